//! The start page: the login screen, or the account, the drive and (once unlocked)
//! the share lists, offers and people when logged in.

use leptos::prelude::*;

use super::account::Account;
use super::drive::Drive;
use super::login::LoginScreen;
use super::people::{Offers, People};
use super::session::{AuthState, SessionContext};
use super::share::ShareLists;

/// Chooses between restoring, logging in and the logged-in view.
#[component]
pub fn Home() -> impl IntoView {
    let state = SessionContext::get().map(|c| c.0);
    move || match state.map(|s| s.get()) {
        Some(AuthState::Restoring) => {
            view! { <p role="status" class="card">"Checking for a saved session…"</p> }.into_any()
        }
        Some(AuthState::LoggedIn(session)) => view! {
            <Account session=session.clone() />
            <Offers session=session.clone() />
            <Drive session=session.clone() />
            <ShareLists session=session.clone() />
            <People session />
        }
        .into_any(),
        Some(AuthState::LoggedOut) | None => view! { <LoginScreen /> }.into_any(),
    }
}
