//! The `/share` route: open a link someone sent. Read the link (fragment, or the
//! original design's query form), make sure the user is logged in and unlocked,
//! show what it shares and wait for Accept (see `consent`), then accept it (join
//! its group, keep its key) and go to where it now lives under "Shared with me"
//! (`/shared/<id>`, replacing `/share` in the history).
//!
//! The link's fragment holds a key. As soon as the page has read it, the address
//! bar shows `/share` alone (`history.replaceState`), so the key is not left in
//! the tab's address or history. Across the login redirect it is kept only in
//! this tab's `sessionStorage` (see `auth::browser::keep_share_link`) and taken out
//! again as soon as this page reads it; it never goes into a query string, a log
//! line or the pod.

use leptos::prelude::*;
use zeroize::Zeroizing;

use super::browser::{hide_link, page_address, reload};
use super::consent::{Choice, Consent, Declined};
use super::shared_view::SharedItem;
use crate::app::browser_login::{keep_share_link, take_share_link};
use crate::app::drive::{open_drive, PasswordGate, HTTP};
use crate::app::errors::describe_errors;
use crate::app::login::{BeforeLeaving, LoginScreen};
use crate::app::place::{share_id, Place};
use crate::app::session::{AuthState, SessionContext, UnlockedKeyring};
use crate::auth::session::Session;
use crate::keystore::{Keyring, SetupState};
use crate::pod::Pod;
use crate::share::{self, Accepted, LinkError, ShareLink, Shared};

/// The link this page was opened with: the address itself, or (back from the
/// login) the one kept in `sessionStorage`, which is removed as it is read. Either
/// way the address bar then shows `/share` without the link's key.
fn read_link() -> (Option<Zeroizing<String>>, Result<ShareLink, LinkError>) {
    let address = page_address();
    let parsed = address
        .as_deref()
        .map_or(Err(LinkError::Empty), |a| ShareLink::parse(a));
    let read = match parsed {
        Err(LinkError::Empty) => match take_share_link() {
            Some(kept) => {
                let parsed = ShareLink::parse(&kept);
                (Some(kept), parsed)
            }
            None => (None, Err(LinkError::Empty)),
        },
        parsed => (address, parsed),
    };
    hide_link();
    read
}

/// Opens the link in the page's address.
#[component]
pub fn SharePage() -> impl IntoView {
    // Another link pasted over this one changes only the fragment: start over.
    let listener = window_event_listener(leptos::ev::hashchange, |_| reload());
    on_cleanup(move || listener.remove());
    let (address, parsed) = read_link();
    match parsed {
        Ok(link) => view! { <OpenLink link address=address.unwrap_or_default() /> }.into_any(),
        Err(error) => view! {
            <section class="card share-page">
                <h1>"This link cannot be opened"</h1>
                <p role="alert" class="error">{sentence(&error.to_string())}</p>
                <p>"Ask whoever sent it to copy the whole link again (with everything after the “#”)."</p>
                <a href="/">"Go to your drive"</a>
            </section>
        }
        .into_any(),
    }
}

/// An error's text as a sentence: capitalized, with a full stop.
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// A well-formed link: log in, unlock, accept, show.
#[component]
fn OpenLink(link: ShareLink, address: Zeroizing<String>) -> impl IntoView {
    let state = SessionContext::get().map(|c| c.0);
    let what = match link.shared {
        Shared::File { .. } | Shared::FileKey { .. } => "file",
        Shared::Folder { .. } => "folder",
    };
    let link = StoredValue::new(link);
    let address = StoredValue::new(address);
    provide_context(BeforeLeaving(Callback::new(move |()| {
        address.with_value(|a| keep_share_link(a))
    })));
    move || match state.map(|s| s.get()) {
        Some(AuthState::Restoring) => {
            view! { <p role="status" class="card">"Checking for a saved session…"</p> }.into_any()
        }
        Some(AuthState::LoggedIn(session)) => {
            view! { <UnlockThenAccept link=link.get_value() session what /> }.into_any()
        }
        Some(AuthState::LoggedOut) | None => view! {
            <section class="card share-page">
                <h1>{format!("Someone shared a {what} with you")}</h1>
                <p class="lead">
                    "Log in to your Solid pod to open it; you come back here afterwards. "
                    "The link's key stays in this browser tab while you log in."
                </p>
            </section>
            <LoginScreen />
        }
        .into_any(),
    }
}

/// The drive's password gate (set the master password on first use, or unlock),
/// then the link accepted. Built as the drive is (the gate and what replaces it
/// inside one closure over the keyring, under the resource that found the drive):
/// a first-run setup sets the keyring and then the setup state, and both must
/// outlive the gate's replacement.
///
/// * `link`: the link to accept.
/// * `session`: the logged-in session.
/// * `what`: "file" or "folder", for the heading.
#[component]
fn UnlockThenAccept(link: ShareLink, session: Session, what: &'static str) -> impl IntoView {
    let keyring = UnlockedKeyring::get().0;
    let state = RwSignal::new(SetupState::NotSetUp);
    let found = {
        let session = session.clone();
        LocalResource::new(move || open_drive(session.clone()))
    };
    let session = StoredValue::new(session);
    let link = StoredValue::new(link);
    view! {
        <Transition fallback=|| view! { <p role="status" class="card">"Opening your drive…"</p> }>
            <ErrorBoundary fallback=|errors| view! {
                <p role="alert" class="error card">{move || describe_errors(&errors, "Cannot open your drive")}</p>
            }>
                {move || found.get().map(|result| result.map(|(layout, initial)| {
                    state.set(initial);
                    move || match keyring.get() {
                        Some(unlocked) => view! {
                            <Accept link=link.get_value() session=session.get_value() keyring=unlocked />
                        }
                        .into_any(),
                        None => view! {
                            <section class="card share-page">
                                <h1>{format!("Someone shared a {what} with you")}</h1>
                                <p class="lead">
                                    "Unlock your drive to open it: its key will be kept in your own "
                                    "keystores, so it shows under “Shared with me” next time."
                                </p>
                                <PasswordGate session=session.get_value() layout=layout.clone() state keyring />
                            </section>
                        }
                        .into_any(),
                    }
                }))}
            </ErrorBoundary>
        </Transition>
    }
}

/// Looks at the link (reads only) and asks: Accept or Decline.
#[component]
fn Accept(link: ShareLink, session: Session, keyring: Keyring) -> impl IntoView {
    let previewed = {
        let (session, keyring) = (session.clone(), keyring.clone());
        LocalResource::new(move || {
            let (link, session, keyring) = (link.clone(), session.clone(), keyring.clone());
            async move {
                let pod = Pod::new(&HTTP, Some(&session));
                share::preview(&pod, &keyring, &link).await
            }
        })
    };
    let choice = RwSignal::new(Choice::Undecided);
    let session = StoredValue::new(session);
    let keyring = StoredValue::new_local(keyring);
    view! {
        <Transition fallback=|| view! { <p role="status" class="card">"Looking at the shared link…"</p> }>
            <ErrorBoundary fallback=|errors| view! {
                <section class="card share-page">
                    <h1>"This link cannot be opened"</h1>
                    <p role="alert" class="error">{move || describe_errors(&errors, "Cannot open this link")}</p>
                    <a href="/">"Go to your drive"</a>
                </section>
            }>
                {move || previewed.get().map(|result| result.map(|preview| match choice.get() {
                    Choice::Undecided => view! { <Consent preview choice /> }.into_any(),
                    Choice::Declined => view! { <Declined /> }.into_any(),
                    Choice::Accepted => view! {
                        <Accepting preview session=session.get_value() keyring=keyring.get_value() />
                    }
                    .into_any(),
                }))}
            </ErrorBoundary>
        </Transition>
    }
}

/// Accepts the previewed link (join its group, keep its key) once, then goes to
/// its place in the frame.
#[component]
fn Accepting(preview: share::Preview, session: Session, keyring: Keyring) -> impl IntoView {
    let accepted = {
        let (session, keyring) = (session.clone(), keyring.clone());
        LocalResource::new(move || {
            let (preview, session, keyring) = (preview.clone(), session.clone(), keyring.clone());
            async move {
                let pod = Pod::new(&HTTP, Some(&session));
                let webid = &session.webid;
                let item = match share::accept_preview(&pod, &keyring, &preview, webid).await? {
                    Accepted::File { url, access, .. } => SharedItem::known(&keyring, &url, access),
                    Accepted::Folder { url, name, access } => SharedItem {
                        name,
                        ..SharedItem::known(&keyring, &url, access)
                    },
                };
                Ok::<_, share::AcceptError>(item)
            }
        })
    };
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move || {
        if let Some(Ok(item)) = accepted.get() {
            let place = Place::Shared {
                share: share_id(&item.url),
                folders: Vec::new(),
            };
            navigate(
                &place.href(),
                leptos_router::NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    view! {
        <section class="card share-page">
            <Transition fallback=|| view! { <p role="status">"Opening the shared link…"</p> }>
                <ErrorBoundary fallback=|errors| view! {
                    <p role="alert" class="error">{move || describe_errors(&errors, "Cannot open this link")}</p>
                    <a href="/">"Go to your drive"</a>
                }>
                    {move || accepted.get().map(|result| result.map(|_| view! {
                        <p role="status">"Opening it under “Shared with me”…"</p>
                    }))}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_read_as_sentences() {
        let cut = ShareLink::parse("http://localhost:8080/share#v=1&kind=file").unwrap_err();
        assert_eq!(
            sentence(&cut.to_string()),
            "The link has no “mode” part; it may have been cut off when copied."
        );
        assert_eq!(sentence(""), "");
    }
}
