//! The session context: whether someone is logged in, shared by every screen.

use leptos::prelude::*;

use crate::auth::session::Session;

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
