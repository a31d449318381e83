//! The Leptos UI. Components here only compose the plain-Rust layers below them.

mod login;
mod not_found;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

pub use login::LoginScreen;
use not_found::NotFound;

/// Root component: the page frame and the routes.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <header class="app-header">
                <span class="app-name">"solidcrypt"</span>
                <span class="app-tagline">"your files, encrypted, on your own pod"</span>
            </header>
            <main class="app-main">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=LoginScreen />
                </Routes>
            </main>
        </Router>
    }
}
