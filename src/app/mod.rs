//! The Leptos UI. Components here only compose the plain-Rust layers below them.

mod account;
mod browser_login;
mod callback;
mod drive;
mod errors;
mod home;
mod identity;
mod login;
mod not_found;
mod people;
mod session;
mod share;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use browser_login::restore_session;
use callback::Callback;
use home::Home;
pub use login::LoginScreen;
use not_found::NotFound;
pub use session::{AuthState, SessionContext, UnlockedKeyring};
use share::{SharePage, SharesChanged};

/// Root component: the session and keyring contexts, the page frame and the
/// routes. The `/callback` route must match `auth::browser::CALLBACK_PATH`;
/// `/share` must match the path [`crate::share::ShareLink::to_url`] builds.
#[component]
pub fn App() -> impl IntoView {
    let context = SessionContext::provide();
    let keyring = UnlockedKeyring::provide();
    SharesChanged::provide();
    identity::IdentityContext::provide(context, keyring);
    // Logging out locks too: no key outlives the session that unlocked it.
    Effect::new(move || {
        if matches!(context.0.get(), AuthState::LoggedOut) {
            keyring.0.set(None);
        }
    });
    // No decrypted temporary file outlives the unlocked drive: whenever it is
    // locked (by Lock, or by logging out) and when the app starts (files a crashed
    // tab left), they are removed.
    Effect::new(move || {
        if keyring.0.with(Option::is_none) {
            spawn_local(drive::remove_temporary_files());
        }
    });
    people::provide();
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
                    <Route path=path!("/share") view=SharePage />
                </Routes>
            </main>
        </Router>
    }
}
