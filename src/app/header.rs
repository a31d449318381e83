//! The app's header on every page: the app's name and, once logged in, the account
//! menu (WebID, storage, identity key fingerprint, change of master password, import
//! from SolidCryptPad), Lock (while unlocked) and Log
//! out (of solidcrypt only, or of the pod's provider too).

use leptos::prelude::*;

use super::browser_login::{load_profile, logout, logout_of_provider};
use super::drive::{ChangePassword, ImportSolidCryptPad};
use super::errors::describe_errors;
use super::identity::YourKey;
use super::modal::Modal;
use super::session::{AuthState, SessionContext, UnlockedKeyring};
use crate::auth::session::Session;

/// The header.
#[component]
pub fn AppHeader() -> impl IntoView {
    let state = SessionContext::get().map(|c| c.0);
    view! {
        <header class="app-header">
            <a href="/" class="app-name">"solidcrypt"</a>
            <span class="app-tagline">"your files, encrypted, on your own pod"</span>
            {move || match state.map(|s| s.get()) {
                Some(AuthState::LoggedIn(session)) => view! { <AccountControls session /> }.into_any(),
                _ => ().into_any(),
            }}
        </header>
    }
}

/// The account menu, Lock and Log out.
#[component]
fn AccountControls(session: Session) -> impl IntoView {
    let keyring = UnlockedKeyring::get().0;
    let asking = RwSignal::new(false);
    let session = StoredValue::new(session);
    view! {
        <div class="account-controls">
            <AccountMenu session=session.get_value() />
            <Show when=move || keyring.with(Option::is_some)>
                <button type="button" class="secondary" on:click=move |_| keyring.set(None)>
                    "Lock"
                </button>
            </Show>
            <button type="button" class="secondary" on:click=move |_| asking.set(true)>
                "Log out"
            </button>
            <Show when=move || asking.get()>
                <Modal label="Log out" on_close=move |()| asking.set(false) class="narrow-dialog">
                    <LogOut session=session.get_value() on_close=move |()| asking.set(false) />
                </Modal>
            </Show>
        </div>
    }
}

/// What "Log out" asks: out of solidcrypt in this tab only, or (where the
/// provider offers it) out of the pod's provider too, which ends the provider's
/// login session (Community Solid Server 7.2 keeps its account pages' own login
/// cookie even then, so its next login may still skip the password).
#[component]
fn LogOut(session: Session, #[prop(into)] on_close: Callback<()>) -> impl IntoView {
    let failed = RwSignal::new(None::<String>);
    let issuer = session.issuer.clone();
    let offered = session.end_session().is_some();
    let session = StoredValue::new(session);
    let logged_out = || {
        if let Some(context) = SessionContext::get() {
            context.0.set(AuthState::LoggedOut);
        }
    };
    let local = move |_| {
        logout();
        logged_out();
    };
    let everywhere = move |_| {
        match logout_of_provider(&session.get_value()) {
        Ok(()) => logged_out(),
        Err(e) => failed.set(Some(format!(
            "Cannot log out of your pod: {e}. You are still logged in; “Log out of solidcrypt” still works."
        ))),
    }
    };
    view! {
        <h2>"Log out"</h2>
        <p>{format!(
            "Logging out of solidcrypt forgets your login in this tab. Your pod's provider ({issuer}) still remembers you, so logging in again on this browser may need no password; on a shared computer, log out of your pod too."
        )}</p>
        <div class="dialog-actions">
            <button type="button" on:click=local>"Log out of solidcrypt"</button>
            {offered.then(|| view! {
                <button type="button" class="secondary" on:click=everywhere>
                    {format!("Also log out of your pod ({issuer})")}
                </button>
            })}
            <button type="button" class="secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
        </div>
        {move || failed.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
    }
}

/// "Account": a button that opens a small panel with who is logged in, where their
/// storage is, their key's fingerprint (for people to compare before sharing with
/// them), and (while unlocked) the change of master password and the import from
/// SolidCryptPad (an old app's files on the same pod). Escape, the
/// button again, or a click elsewhere closes it.
#[component]
fn AccountMenu(session: Session) -> impl IntoView {
    let keyring = UnlockedKeyring::get().0;
    let open = RwSignal::new(false);
    let changing = RwSignal::new(false);
    let importing = RwSignal::new(false);
    let menu = NodeRef::<leptos::html::Div>::new();
    let webid = session.webid.clone();
    let initial = webid_initial(&webid);
    let session = StoredValue::new(session);
    let profile = LocalResource::new(move || load_profile(session.get_value()));
    let outside = window_event_listener(leptos::ev::click, move |ev| {
        use leptos::wasm_bindgen::JsCast;
        let target = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::Node>().ok());
        let inside = menu
            .get_untracked()
            .is_some_and(|m| target.is_some_and(|t| m.contains(Some(&t))));
        if !inside && open.try_get_untracked() == Some(true) {
            open.set(false);
        }
    });
    on_cleanup(move || outside.remove());
    view! {
        <div
            class="account-menu"
            node_ref=menu
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Escape" {
                    open.set(false);
                }
            }
        >
            <button
                type="button"
                class="account-button"
                aria-label="Account"
                aria-haspopup="true"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <span class="avatar" aria-hidden="true">{initial}</span>
            </button>
            <Show when=move || open.get()>
                <div class="menu-panel" role="group" aria-label="Your account">
                    <p class="menu-label">"Logged in as"</p>
                    <p class="menu-value" data-testid="webid">{webid.clone()}</p>
                    <p class="menu-label">"Storage"</p>
                    <p class="menu-value" data-testid="storage">
                        <Transition fallback=|| view! { <span role="status">"Reading your profile…"</span> }>
                            <ErrorBoundary fallback=|errors| view! {
                                <span role="alert" class="error">
                                    {move || describe_errors(&errors, "Cannot read your profile")}
                                </span>
                            }>
                                {move || profile.get().map(|r| r.map(|p| p.storage.to_string()))}
                            </ErrorBoundary>
                        </Transition>
                    </p>
                    <p class="menu-label">"Your key"</p>
                    <p class="menu-value"><YourKey /></p>
                    <Show when=move || keyring.with(Option::is_some)>
                        <button type="button" class="secondary" on:click=move |_| {
                            open.set(false);
                            changing.set(true);
                        }>"Change master password"</button>
                        <button type="button" class="secondary" on:click=move |_| {
                            open.set(false);
                            importing.set(true);
                        }>"Import from SolidCryptPad"</button>
                    </Show>
                </div>
            </Show>
            {move || {
                let layout = keyring.with(|k| k.as_ref().map(|k| k.layout().clone()));
                match (changing.get(), layout) {
                    (true, Some(layout)) => view! {
                        <Modal label="Change master password" on_close=move |()| changing.set(false) class="narrow-dialog">
                            <ChangePassword session=session.get_value() layout on_close=move |()| changing.set(false) />
                        </Modal>
                    }
                    .into_any(),
                    _ => ().into_any(),
                }
            }}
            {move || match (importing.get(), keyring.with(Option::is_some)) {
                (true, true) => view! {
                    <Modal label="Import from SolidCryptPad" on_close=move |()| importing.set(false) class="narrow-dialog">
                        <ImportSolidCryptPad session=session.get_value() on_close=move |()| importing.set(false) />
                    </Modal>
                }
                .into_any(),
                _ => ().into_any(),
            }}
        </div>
    }
}

/// The letter the account button shows: the first letter of the WebID's first path
/// segment (`…/alice/profile/card#me` → `A`), or of its host when the WebID is
/// the host's own (`https://bob.example/profile/card#me` → `B`).
pub fn webid_initial(webid: &str) -> String {
    let parsed = url::Url::parse(webid).ok();
    let first = parsed.as_ref().and_then(|u| {
        let segment = u.path_segments().and_then(|mut s| s.next()).unwrap_or("");
        if segment.is_empty() || segment == "profile" {
            u.host_str().map(str::to_owned)
        } else {
            Some(segment.to_owned())
        }
    });
    first
        .and_then(|s| s.chars().find(|c| c.is_alphanumeric()))
        .map_or_else(|| "?".to_owned(), |c| c.to_uppercase().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_button_shows_a_letter_of_the_webid() {
        assert_eq!(
            webid_initial("http://localhost:3000/alice/profile/card#me"),
            "A"
        );
        assert_eq!(
            webid_initial("https://bob.solidcommunity.net/profile/card#me"),
            "B"
        );
        assert_eq!(webid_initial("not a url"), "?");
    }
}
