//! The `/share` route: open a link someone sent. Read the link (fragment, or the
//! original design's query form), make sure the user is logged in (the link's
//! ACL grants a group, and reading takes membership), show what it shares and
//! who shares it and wait (see `consent`). No master password is asked for
//! before a choice:
//!
//! - **Open**: join its group and show the file (download, preview) or the
//!   folder (its listing, `/share/<folder ids>` within it) read-only, the key
//!   held in this tab only (`share::visit`): nothing written to the user's pod,
//!   no drive needed;
//! - **Keep it in my drive** (also offered while open): the drive's password
//!   gate (set up or unlock), then accept it (join, keep its key) and go to
//!   where it now lives under "Shared with me" (`/shared/<id>`, replacing
//!   `/share` in the history);
//! - **Decline**: nothing joined or kept.
//!
//! A password link (FORMAT.md §5.4) asks for its password once logged in, before
//! anything else: "Link password", unlocked in the browser (Argon2id in a Web
//! Worker) with no request to any pod, "wrong password for this link" until it is
//! right, then the landing as for any link.
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
use super::consent::{what, Choice, Consent, Declined};
use super::shared_view::{SharedItem, SharedView};
use crate::app::browser_login::{keep_share_link, take_share_link};
use crate::app::drive::{open_drive, OpenDriveError, PasswordGate, ToastList, Toasts, HTTP};
use crate::app::errors::describe_errors;
use crate::app::login::{BeforeLeaving, LoginScreen};
use crate::app::place::{share_id, Place};
use crate::app::session::{AuthState, SessionContext, UnlockedKeyring};
use crate::auth::session::Session;
use crate::keystore::master::kdf;
use crate::keystore::{Keyring, Layout, SetupState};
use crate::pod::Pod;
use crate::share::{
    self, Accepted, Access, LinkError, LockedLink, ParsedLink, Preview, ShareLink, Shared,
    SharedKind, VetError, Visit,
};

/// The link this page was opened with: the address itself, or (back from the
/// login) the one kept in `sessionStorage`, which is removed as it is read. Either
/// way the address bar then shows `/share` without the link's key.
fn read_link() -> (Option<Zeroizing<String>>, Result<ParsedLink, LinkError>) {
    let address = page_address();
    let parsed = address
        .as_deref()
        .map_or(Err(LinkError::Empty), |a| ParsedLink::parse(a));
    let read = match parsed {
        Err(LinkError::Empty) => match take_share_link() {
            Some(kept) => {
                let parsed = ParsedLink::parse(&kept);
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

/// A well-formed link: log in, its password if it has one, then the landing page.
#[component]
fn OpenLink(link: ParsedLink, address: Zeroizing<String>) -> impl IntoView {
    let state = SessionContext::get().map(|c| c.0);
    let (what, link) = match link {
        ParsedLink::Open(link) => (what(kind_of(&link)), Ok(link)),
        ParsedLink::Locked(locked) => {
            let kind = if locked.folder {
                SharedKind::Folder
            } else {
                SharedKind::File
            };
            (what(kind), Err(locked))
        }
    };
    let unlocked = RwSignal::new(link.as_ref().ok().cloned());
    let locked = StoredValue::new(link.err());
    let address = StoredValue::new(address);
    provide_context(BeforeLeaving(Callback::new(move |()| {
        address.with_value(|a| keep_share_link(a))
    })));
    move || match state.map(|s| s.get()) {
        Some(AuthState::Restoring) => {
            view! { <p role="status" class="card">"Checking for a saved session…"</p> }.into_any()
        }
        Some(AuthState::LoggedIn(session)) => match (unlocked.get(), locked.get_value()) {
            (Some(link), _) => view! { <Landing link session /> }.into_any(),
            (None, Some(locked)) => view! { <Unlock locked unlocked /> }.into_any(),
            (None, None) => ().into_any(),
        },
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

/// The password prompt of a password link. Unlocking runs Argon2id and AES-GCM
/// here only: no request leaves the tab until the password is right.
///
/// * `locked`: the link as parsed (its cost already within the link limits).
/// * `unlocked`: set to the link with its key once the password is right.
#[component]
fn Unlock(locked: LockedLink, unlocked: RwSignal<Option<ShareLink>>) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let locked = StoredValue::new(locked);
    let attempt = Action::new_local(move |typed: &Zeroizing<String>| {
        let (typed, locked) = (typed.clone(), locked.get_value());
        async move {
            let result = locked.unlock_using(&kdf(), &typed).await;
            if let Ok(link) = &result {
                let _ = unlocked.try_set(Some(link.clone()));
            }
            result.map(|_| ())
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = Zeroizing::new(password.get_untracked());
        if !typed.is_empty() {
            attempt.dispatch_local(typed);
        }
    };
    view! {
        <section class="card share-page" aria-label="Link password">
            <h1>"This link needs a password"</h1>
            <p class="lead">
                "Whoever sent the link should tell you its password another way (a call, "
                "another app). It is checked in this browser: nothing is fetched before it is right."
            </p>
            <form on:submit=submit>
                <label>
                    "Link password"
                    <input type="password" autocomplete="off" prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev)) />
                </label>
                <button type="submit" disabled=move || attempt.pending().get()>"Unlock link"</button>
            </form>
            {move || {
                if attempt.pending().get() {
                    return view! { <p role="status">"Checking the password…"</p> }.into_any();
                }
                match attempt.value().get() {
                    Some(Err(e)) => view! { <p role="alert" class="error">{sentence(&e.to_string())}</p> }.into_any(),
                    _ => ().into_any(),
                }
            }}
        </section>
    }
}

/// A file or a folder, as the link says.
fn kind_of(link: &ShareLink) -> SharedKind {
    match link.shared {
        Shared::File { .. } | Shared::FileKey { .. } => SharedKind::File,
        Shared::Folder { .. } => SharedKind::Folder,
    }
}

/// Looking at a link before any choice failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
enum LandingError {
    #[error(transparent)]
    Drive(#[from] OpenDriveError),
    #[error(transparent)]
    Link(#[from] VetError),
}

/// Finds the user's storage (and whether a drive is set up there), looks at the
/// link (reads only: with the keystores if already unlocked in this tab, else
/// without) and who the pod says shares it, then waits for the user's choice.
#[component]
fn Landing(link: ShareLink, session: Session) -> impl IntoView {
    let keyring = UnlockedKeyring::get().0;
    let looked = {
        let (link, session) = (link.clone(), session.clone());
        LocalResource::new(move || {
            let (link, session) = (link.clone(), session.clone());
            let unlocked = keyring.get_untracked();
            async move {
                let (layout, initial) = open_drive(session.clone()).await?;
                let pod = Pod::new(&HTTP, Some(&session));
                let preview = match &unlocked {
                    Some(keys) => share::preview(&pod, keys, &link).await?,
                    None => share::look(&pod, &layout, &link).await?,
                };
                let sharers = share::sharers(&pod, &preview).await;
                Ok::<_, LandingError>((layout, initial, preview, sharers))
            }
        })
    };
    let choice = RwSignal::new(Choice::Undecided);
    // Outlives the gate's replacement: a first-run setup sets the keyring, then this.
    let state = RwSignal::new(SetupState::NotSetUp);
    let session = StoredValue::new(session);
    let link = StoredValue::new(link);
    view! {
        <Transition fallback=|| view! { <p role="status" class="card">"Looking at the shared link…"</p> }>
            <ErrorBoundary fallback=|errors| view! {
                <section class="card share-page">
                    <h1>"This link cannot be opened"</h1>
                    <p role="alert" class="error">{move || describe_errors(&errors, "Cannot open this link")}</p>
                    <a href="/">"Go to your drive"</a>
                </section>
            }>
                {move || looked.get().map(|result| result.map(|(layout, initial, preview, sharers)| {
                    state.set(initial);
                    move || match choice.get() {
                        Choice::Undecided => view! {
                            <Consent preview=preview.clone() sharers=sharers.clone() choice />
                        }
                        .into_any(),
                        Choice::Declined => view! { <Declined /> }.into_any(),
                        Choice::Open => view! {
                            <Visiting preview=preview.clone() session=session.get_value() layout=layout.clone() choice />
                        }
                        .into_any(),
                        Choice::Keep => view! {
                            <KeepInDrive link=link.get_value() session=session.get_value() layout=layout.clone() state />
                        }
                        .into_any(),
                    }
                }))}
            </ErrorBoundary>
        </Transition>
    }
}

/// Opens the previewed link read-only, keeping nothing (`share::visit`), and
/// shows it with the drive's viewers; **Keep it in my drive** stays offered.
#[component]
fn Visiting(
    preview: Preview,
    session: Session,
    layout: Layout,
    choice: RwSignal<Choice>,
) -> impl IntoView {
    let visited = {
        let session = session.clone();
        LocalResource::new(move || {
            let (preview, session, layout) = (preview.clone(), session.clone(), layout.clone());
            async move {
                let pod = Pod::new(&HTTP, Some(&session));
                let Visit { opened, keyring } =
                    share::visit(&pod, &layout, &preview, &session.webid).await?;
                let item = match opened {
                    Accepted::File { url, .. } => SharedItem::known(&keyring, &url, Access::Read),
                    Accepted::Folder { url, name, .. } => SharedItem {
                        name,
                        ..SharedItem::known(&keyring, &url, Access::Read)
                    },
                };
                Ok::<_, share::AcceptError>((item, keyring))
            }
        })
    };
    let session = StoredValue::new(session);
    view! {
        <Transition fallback=|| view! { <p role="status" class="card">"Opening the shared link…"</p> }>
            <ErrorBoundary fallback=|errors| view! {
                <section class="card share-page">
                    <h1>"This link cannot be opened"</h1>
                    <p role="alert" class="error">{move || describe_errors(&errors, "Cannot open this link")}</p>
                    <a href="/">"Go to your drive"</a>
                </section>
            }>
                {move || visited.get().map(|result| result.map(|(item, keyring)| view! {
                    <Visited item keyring session=session.get_value() choice />
                }))}
            </ErrorBoundary>
        </Transition>
    }
}

/// A link open in this tab only: the shared file or folder, read-only, under a
/// note saying so and offering to keep it. A folder's subfolders are
/// `/share/<ids>` (the same page: the link stays in memory).
///
/// * `item`: what the link opened.
/// * `keyring`: the link's key, held in memory (`share::visit`).
/// * `choice`: set to Keep by **Keep it in my drive**.
#[component]
fn Visited(
    item: SharedItem,
    keyring: Keyring,
    session: Session,
    choice: RwSignal<Choice>,
) -> impl IntoView {
    // The file browser reports through the drive's toasts.
    Toasts::provide();
    let params = leptos_router::hooks::use_params_map();
    let folders = Signal::derive(move || {
        params
            .read()
            .get("folders")
            .map(|rest| {
                rest.split('/')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    });
    view! {
        <section class="card share-page visit" aria-label="Open in this tab">
            <p role="status">
                "Open in this tab only, read-only: nothing was kept in your drive, and "
                "closing the tab forgets the link's key."
            </p>
            <button type="button" on:click=move |_| choice.set(Choice::Keep)>"Keep it in my drive"</button>
        </section>
        <section class="card shared-visit">
            <SharedView item session keyring folders base=SHARE_PAGE.to_owned() />
        </section>
        <ToastList />
    }
}

/// The address of this page, and the base of a visited folder's subfolders.
const SHARE_PAGE: &str = "/share";

/// The drive's password gate (set the master password on first use, or unlock),
/// then the link kept. As the drive does, the gate and what replaces it sit in
/// one closure over the keyring; `state` comes from the landing page.
///
/// * `link`: the link to keep.
/// * `session`: the logged-in session.
/// * `layout`: where the user's drive is (or goes).
/// * `state`: whether a master password is set; the gate updates it.
#[component]
fn KeepInDrive(
    link: ShareLink,
    session: Session,
    layout: Layout,
    state: RwSignal<SetupState>,
) -> impl IntoView {
    let keyring = UnlockedKeyring::get().0;
    let what = what(kind_of(&link));
    let session = StoredValue::new(session);
    let link = StoredValue::new(link);
    move || match keyring.get() {
        Some(unlocked) => view! {
            <Keeping link=link.get_value() session=session.get_value() keyring=unlocked />
        }
        .into_any(),
        None => view! {
            <section class="card share-page">
                <h1>{format!("Keep the shared {what} in your drive")}</h1>
                <p class="lead">
                    "Set up or unlock your drive: the link's key will be kept in your own "
                    "keystores, so it shows under “Shared with me” next time."
                </p>
                <PasswordGate session=session.get_value() layout=layout.clone() state keyring />
            </section>
        }
        .into_any(),
    }
}

/// Looks at the link again with the keystores (`share::preview`: now it can
/// also refuse one overlapping what they hold) and accepts it (join its group,
/// keep its key) once, then goes to its place in the frame.
#[component]
fn Keeping(link: ShareLink, session: Session, keyring: Keyring) -> impl IntoView {
    let accepted = {
        let (session, keyring) = (session.clone(), keyring.clone());
        LocalResource::new(move || {
            let (link, session, keyring) = (link.clone(), session.clone(), keyring.clone());
            async move {
                let pod = Pod::new(&HTTP, Some(&session));
                let preview = share::preview(&pod, &keyring, &link).await?;
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
            <Transition fallback=|| view! { <p role="status">"Keeping the shared link in your drive…"</p> }>
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
    fn a_wrong_link_password_reads_as_a_sentence() {
        assert_eq!(
            sentence(&share::UnlockError::WrongPassword.to_string()),
            "Wrong password for this link."
        );
    }

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
