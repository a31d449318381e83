//! The Leptos UI. Components here only compose the plain-Rust layers below them.

mod browser_login;
mod callback;
mod drive;
mod errors;
mod frame;
mod header;
mod identity;
mod login;
mod modal;
mod not_found;
mod people;
mod place;
mod return_to;
mod session;
mod share;
mod type_index;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::path;

use browser_login::restore_session;
use callback::Callback;
use frame::Frame;
use header::AppHeader;
pub use login::LoginScreen;
pub use session::{AuthState, SessionContext, UnlockedKeyring};
use share::{SharePage, SharesChanged};

/// Root component: the session and keyring contexts, the header and the routes.
/// The `/callback` route must match `auth::browser::CALLBACK_PATH`; `/share` must
/// match the path [`crate::share::ShareLink::to_url`] builds. Every other address
/// is one route, the frame, which reads its place from the path (see `place`): so
/// moving between folders, which changes only the path, never rebuilds the frame.
/// The router keeps the address and the history (`<a>` clicks become `pushState`,
/// Back and Forward `popstate`).
#[component]
pub fn App() -> impl IntoView {
    let context = SessionContext::provide();
    let keyring = UnlockedKeyring::provide();
    SharesChanged::provide();
    drive::DriveChanged::provide();
    let identity = identity::IdentityContext::provide(context, keyring);
    type_index::register_on_unlock(context, keyring, identity);
    // Logging out locks too: no key outlives the session that unlocked it.
    Effect::new(move || {
        if matches!(context.0.get(), AuthState::LoggedOut) {
            keyring.0.set(None);
        }
    });
    // No decrypted temporary file or thumbnail outlives the unlocked drive:
    // whenever it is locked (by Lock, or by logging out) and when the app starts
    // (files a crashed tab left), they are removed.
    Effect::new(move || {
        if keyring.0.with(Option::is_none) {
            drive::forget_thumbnails();
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
            <div class="app">
                <AppHeader />
                <FlatRoutes fallback=|| ()>
                    <Route path=path!("/callback") view=|| view! { <div class="narrow"><Callback /></div> } />
                    <Route path=path!("/share/*folders") view=|| view! { <div class="narrow wide"><SharePage /></div> } />
                    <Route path=path!("/*any") view=Frame />
                </FlatRoutes>
            </div>
        </Router>
    }
}
