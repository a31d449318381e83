//! The Leptos UI. Components here only compose the plain-Rust layers below them.

mod account;
mod browser_login;
mod callback;
mod drive;
mod errors;
mod home;
mod login;
mod not_found;
mod session;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use browser_login::restore_session;
use callback::Callback;
use home::Home;
pub use login::LoginScreen;
use not_found::NotFound;
pub use session::{AuthState, SessionContext};

/// Root component: the session context, the page frame and the routes. The
/// `/callback` route must match `auth::browser::CALLBACK_PATH`.
#[component]
pub fn App() -> impl IntoView {
    let context = SessionContext::provide();
    spawn_local(async move {
        let restored = restore_session().await;
        // The callback may have logged in meanwhile; never overwrite that.
        if matches!(context.0.get_untracked(), AuthState::Restoring) {
            context.0.set(match restored {
                Some(session) => AuthState::LoggedIn(session),
                None => AuthState::LoggedOut,
            });
        }
    });
    view! {
        <Router>
            <header class="app-header">
                <span class="app-name">"solidcrypt"</span>
                <span class="app-tagline">"your files, encrypted, on your own pod"</span>
            </header>
            <main class="app-main">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/callback") view=Callback />
                </Routes>
            </main>
        </Router>
    }
}
