//! The encrypted drive screen: find the user's storage, ask for the master
//! password, then the file browser. Components only; the work is in
//! `crate::drive` and `crate::keystore`.

mod account_password;
mod changed;
mod downloads;
mod drag_move;
mod dropped;
mod editor;
mod files;
mod icons;
mod import_pad;
pub(crate) mod index_memory;
mod io;
mod live;
mod locale;
mod password;
mod pool;
mod preview;
#[cfg(target_arch = "wasm32")]
mod raster;
mod rename_move;
mod resuming;
mod search;
mod selection;
mod thumbnails;
mod toasts;
mod uploads;

use leptos::prelude::*;

use super::browser_login::load_profile;
use super::errors::describe_errors;
use super::session::UnlockedKeyring;
use crate::auth::session::Session;
use crate::keystore::master::{setup_state, StateError};
use crate::keystore::{Keyring, Layout, SetupState};
use crate::pod::profile::ProfileError;
use crate::pod::Pod;
pub use account_password::ChangePassword;
pub use changed::DriveChanged;
use downloads::DownloadList;
pub use files::FileBrowser;
pub use import_pad::ImportSolidCryptPad;
pub use io::{remove_temporary_files, save_file, HTTP};
pub use live::follow_changes;
pub use password::PasswordGate;
pub use preview::{PreviewPane, Showing};
pub use thumbnails::forget_thumbnails;
pub use toasts::{ToastList, Toasts};

/// Opening the drive (before the password) failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OpenDriveError {
    #[error(transparent)]
    Profile(#[from] ProfileError),
    #[error(transparent)]
    State(#[from] StateError),
}

/// Finds the user's storage and whether a master password is set (also used by
/// the `/share` page, which asks for the password before accepting a link).
pub async fn open_drive(session: Session) -> Result<(Layout, SetupState), OpenDriveError> {
    let profile = load_profile(session.clone()).await?;
    let layout = Layout::for_storage(&profile.storage);
    let state = setup_state(&Pod::new(&HTTP, Some(&session)), &layout).await?;
    Ok((layout, state))
}

/// The drive of the logged-in user: the password gate, then what `unlocked` shows
/// with the unlocked keyring (the file area of the frame's current place). Locking
/// drops the keyring, and with it every key in memory.
///
/// * `session`: the logged-in session.
/// * `unlocked`: the view of the unlocked drive; it is called again when what it
///   reads changes.
#[component]
pub fn Drive<F>(session: Session, unlocked: F) -> impl IntoView
where
    F: Fn(Keyring) -> AnyView + Clone + Send + Sync + 'static,
{
    Toasts::provide();
    let keyring = UnlockedKeyring::get().0;
    let state = RwSignal::new(SetupState::NotSetUp);
    let opened = {
        let session = session.clone();
        LocalResource::new(move || open_drive(session.clone()))
    };
    let session = StoredValue::new(session);
    view! {
        <section class="drive" aria-label="Encrypted drive">
            <Transition fallback=|| view! { <p role="status">"Opening your drive…"</p> }>
                <ErrorBoundary fallback=|errors| {
                    view! {
                        <p role="alert" class="error">
                            {move || describe_errors(&errors, "Cannot open your drive")}
                        </p>
                    }
                }>
                    {move || {
                        let unlocked = unlocked.clone();
                        opened.get().map(|result| {
                            result.map(|(layout, initial)| {
                                state.set(initial);
                                move || {
                                    // Logging out disposes this screen while the
                                    // app-wide keyring is cleared: render nothing then.
                                    let Some(session) = session.try_get_value() else {
                                        return ().into_any();
                                    };
                                    match keyring.get() {
                                        Some(keys) => unlocked(keys),
                                        None => view! {
                                            <div class="card narrow">
                                                <PasswordGate session layout=layout.clone() state keyring />
                                            </div>
                                        }
                                        .into_any(),
                                    }
                                }
                            })
                        })
                    }}
                </ErrorBoundary>
            </Transition>
            <DownloadList />
            <ToastList />
        </section>
    }
}
