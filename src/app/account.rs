//! What a logged-in user sees for now: who they are, where their storage is, and
//! their identity key's fingerprint.

use leptos::prelude::*;

use super::browser_login::{load_profile, logout};
use super::errors::describe_errors;
use super::identity::YourKey;
use super::session::{AuthState, SessionContext};
use crate::auth::session::Session;

/// The logged-in user's WebID, storage root (read from their profile) and key
/// fingerprint, and a way to log out.
///
/// * `session`: the session to read the profile with.
#[component]
pub fn Account(session: Session) -> impl IntoView {
    let webid = session.webid.clone();
    let profile = LocalResource::new(move || load_profile(session.clone()));
    let on_logout = move |_| {
        logout();
        if let Some(context) = SessionContext::get() {
            context.0.set(AuthState::LoggedOut);
        }
    };

    view! {
        <section class="card account">
            <h1>"Your pod"</h1>
            <dl class="facts">
                <dt>"WebID"</dt>
                <dd data-testid="webid">{webid}</dd>
                <dt>"Storage"</dt>
                <dd data-testid="storage">
                    <Transition fallback=|| view! { <span role="status">"Reading your profile…"</span> }>
                        <ErrorBoundary fallback=|errors| {
                            view! {
                                <span role="alert" class="error">
                                    {move || describe_errors(&errors, "Cannot read your profile")}
                                </span>
                            }
                        }>
                            {move || {
                                profile.get().map(|result| result.map(|p| p.storage.to_string()))
                            }}
                        </ErrorBoundary>
                    </Transition>
                </dd>
                <dt>"Your key"</dt>
                <dd>
                    <YourKey />
                </dd>
            </dl>
            <button type="button" on:click=on_logout>
                "Log out"
            </button>
        </section>
    }
}
