//! The session contexts shared by every screen: whether someone is logged in, and
//! the keyring once they unlocked with their master password.

use leptos::prelude::*;

use crate::auth::session::Session;
use crate::keystore::Keyring;

/// Where the app stands with the user's login.
#[derive(Debug, Clone)]
pub enum AuthState {
    /// Looking for a session kept in this tab (and renewing it if needed).
    Restoring,
    LoggedOut,
    LoggedIn(Session),
}

/// The typed context holding the [`AuthState`]; provided by [`crate::app::App`].
#[derive(Debug, Clone, Copy)]
pub struct SessionContext(pub RwSignal<AuthState>);

impl SessionContext {
    /// Provides a new context, starting in [`AuthState::Restoring`].
    pub fn provide() -> SessionContext {
        let context = SessionContext(RwSignal::new(AuthState::Restoring));
        provide_context(context);
        context
    }

    /// The context provided by the app, if any (screens mounted alone have none).
    pub fn get() -> Option<SessionContext> {
        use_context::<SessionContext>()
    }
}

/// The unlocked keyring of this tab, or `None` while locked. One per app (not one
/// per screen) so that unlocking once serves the drive, the share lists and a link
/// opened from within the app alike; locking or logging out sets it to `None`,
/// which drops the last copy of every key.
#[derive(Debug, Clone, Copy)]
pub struct UnlockedKeyring(pub RwSignal<Option<Keyring>, LocalStorage>);

impl UnlockedKeyring {
    /// Provides a locked keyring context; [`crate::app::App`] does this once.
    pub fn provide() -> UnlockedKeyring {
        let context = UnlockedKeyring(RwSignal::new_local(None));
        provide_context(context);
        context
    }

    /// The app's context, or a fresh locked one for a screen mounted alone (tests).
    pub fn get() -> UnlockedKeyring {
        use_context::<UnlockedKeyring>().unwrap_or_else(UnlockedKeyring::provide)
    }
}
