//! Changes to the drive made outside the file browser (today: an import from
//! SolidCryptPad, from the account menu): the browser's own writes do not come
//! back to it as notifications (`live`), so such a change says so here and the
//! listing re-reads itself.

use leptos::prelude::*;

/// Counts drive changes made outside the file browser. Provided by
/// [`crate::app::App`].
#[derive(Debug, Clone, Copy)]
pub struct DriveChanged(RwSignal<u64>);

impl DriveChanged {
    /// Provides the counter for the whole app.
    pub fn provide() -> Self {
        let changed = DriveChanged(RwSignal::new(0));
        provide_context(changed);
        changed
    }

    /// The app's counter (or a fresh one for a screen mounted alone).
    pub fn get() -> Self {
        use_context::<DriveChanged>().unwrap_or_else(DriveChanged::provide)
    }

    /// Says that files or folders were written.
    pub fn bump(self) {
        self.0.try_update(|n| *n += 1);
    }

    /// Makes the calling effect or resource rerun on every change.
    pub fn track(self) {
        self.0.track();
    }
}
