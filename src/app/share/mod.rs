//! The sharing screens (issue 6): the Share dialog of a file or folder, the
//! `/share` page that opens a link, "Shared with me" and "Links I created".
//! Components only; the work is in `crate::share`.
//!
//! - [`dialog`]: choose read-only or read-write and a password, create the link,
//!   copy it or show its QR code.
//! - [`open`]: the `/share` route (log in and come back, unlock, accept, show).
//! - [`consent`]: what a link shares, with Accept and Decline.
//! - [`shared_view`]: a shared file (download, preview, edit) or folder (the
//!   drive's file browser rooted there), at its own address.
//! - [`received`] and [`created`]: the "Shared with me" and "Links I created"
//!   sections of the frame.
//! - [`browser`]: the app's address, the page's address and the clipboard.
//! - [`progress`]: the words for how far a revocation got.
//! - [`qr`]: a link's QR code, drawn in the page.
//! - [`unseen`]: the "new changes" badge of a shared folder.

mod browser;
mod consent;
mod created;
mod dialog;
mod open;
mod progress;
mod qr;
mod received;
mod shared_view;
pub mod unseen;

use leptos::prelude::*;

pub use created::LinksCreated;
pub use dialog::ShareDialog;
pub use open::SharePage;
pub use progress::revoke_progress_words;
pub use received::SharedWithMe;
pub use shared_view::SharedPlace;

/// Counts changes to the user's shares, so "Links I created" reloads when the
/// Share dialog made a link. Provided by [`crate::app::App`].
#[derive(Debug, Clone, Copy)]
pub struct SharesChanged(RwSignal<u64>);

impl SharesChanged {
    /// Provides the counter for the whole app.
    pub fn provide() -> Self {
        let changed = SharesChanged(RwSignal::new(0));
        provide_context(changed);
        changed
    }

    /// The app's counter (or a fresh one for a screen mounted alone).
    pub fn get() -> Self {
        use_context::<SharesChanged>().unwrap_or_else(SharesChanged::provide)
    }

    /// Says that a link was created or revoked.
    pub fn bump(self) {
        self.0.update(|n| *n += 1);
    }

    /// Makes the calling effect or resource rerun on every change.
    pub fn track(self) {
        self.0.track();
    }
}
