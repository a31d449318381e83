//! The logged-in app as a drive: the sidebar of sections (tabs on a phone: My
//! files, Shared with me, Links I created, People) and the file area, which shows the [`Place`] the address names. Changing folders changes
//! the address (`history.pushState` through the router), so Back and Forward walk
//! folders and a reload or a bookmark opens the same folder (after unlocking).
//! Logged out, it shows the login screen and keeps the place for after the login
//! (see `return_to`).

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::drive::{Drive, FileBrowser};
use super::login::{BeforeLeaving, LoginScreen};
use super::not_found::NotFound;
use super::people::{Offers, OffersAccepted, People};
use super::place::{Place, SECTIONS};
use super::return_to;
use super::session::{AuthState, SessionContext};
use super::share::{LinksCreated, SharedPlace, SharedWithMe};
use crate::auth::session::Session;

/// The place the address names (`None`: not one of the app's).
fn current_place() -> Memo<Option<Place>> {
    let location = use_location();
    Memo::new(move |_| Place::parse(&location.pathname.get()))
}

/// Every address that is not `/callback` or `/share`: restoring, the login screen,
/// or the frame.
#[component]
pub fn Frame() -> impl IntoView {
    let state = SessionContext::get().map(|c| c.0);
    let place = current_place();
    provide_context(BeforeLeaving(Callback::new(move |()| {
        if let Some(place) = place.get_untracked() {
            return_to::keep(&place);
        }
        Ok(())
    })));
    let known = Memo::new(move |_| place.with(Option::is_some));
    move || match state.map(|s| s.get()) {
        // An address that is no place says so, logged in or not.
        _ if !known.get() => view! { <div class="narrow"><NotFound /></div> }.into_any(),
        Some(AuthState::Restoring) => {
            view! { <p role="status" class="card narrow">"Checking for a saved session…"</p> }
                .into_any()
        }
        Some(AuthState::LoggedIn(session)) => view! { <Workspace session place /> }.into_any(),
        Some(AuthState::LoggedOut) | None => {
            view! { <div class="narrow"><LoginScreen /></div> }.into_any()
        }
    }
}

/// Which view the file area shows; changing folders within one keeps the view
/// (only its folder changes), so the page is not rebuilt on every click.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Area {
    MyFiles,
    SharedWithMe,
    Shared(String),
    LinksCreated,
    People,
    NotFound,
}

/// The sidebar and the file area of a logged-in user. Offers from people (once
/// unlocked, when there are any) stand above every section, so they are seen
/// wherever the user is.
#[component]
fn Workspace(session: Session, place: Memo<Option<Place>>) -> impl IntoView {
    let accepted = OffersAccepted::get();
    let section = Memo::new(move |_| place.get().map(|p| p.section()));
    let area = Memo::new(move |_| match place.get() {
        Some(Place::MyFiles(_)) => Area::MyFiles,
        Some(Place::SharedWithMe) => Area::SharedWithMe,
        Some(Place::Shared { share, .. }) => Area::Shared(share),
        Some(Place::LinksCreated) => Area::LinksCreated,
        Some(Place::People) => Area::People,
        None => Area::NotFound,
    });
    // The folder ids of the drive shown; kept while the address leaves it, so the
    // browser being closed does not first list some other folder.
    let folders = Memo::new(move |previous: Option<&Vec<String>>| match place.get() {
        Some(Place::MyFiles(ids)) => ids,
        Some(Place::Shared { folders, .. }) => folders,
        _ => previous.cloned().unwrap_or_default(),
    });
    let links = SECTIONS
        .iter()
        .map(|&(label, href)| {
            view! {
                <a
                    href=href
                    class="section"
                    aria-current=move || (section.get() == Some(href)).then_some("page")
                >
                    {label}
                </a>
            }
        })
        .collect_view();
    let session = StoredValue::new(session);
    view! {
        <div class="workspace">
            <nav class="sections" aria-label="Sections">{links}</nav>
            <main class="file-area">
                <Offers session=session.get_value() />
                <Drive session=session.get_value() unlocked=move |keyring| {
                    let session = session.get_value();
                    match area.get() {
                        Area::MyFiles => view! {
                            <FileBrowser session keyring folders=folders.into() base="/drive" />
                        }
                        .into_any(),
                        Area::SharedWithMe => {
                            // Accepting an offer adds a keystore: list again.
                            accepted.track();
                            view! { <SharedWithMe session keyring /> }.into_any()
                        }
                        Area::Shared(share) => view! {
                            <SharedPlace share session keyring folders=folders.into() />
                        }
                        .into_any(),
                        Area::LinksCreated => view! { <LinksCreated session keyring /> }.into_any(),
                        Area::People => view! { <People session keyring /> }.into_any(),
                        Area::NotFound => view! { <NotFound /> }.into_any(),
                    }
                } />
            </main>
        </div>
    }
}
