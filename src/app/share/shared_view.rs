//! A file or folder someone shared with the user, opened at its own address
//! (`/shared/<id>`, see `app::place`): a file with download, preview and (for text
//! shared read-write) edit; a folder in the drive's file browser, rooted there.

use leptos::prelude::*;
use url::Url;

use crate::app::drive::{save_file, FileBrowser, PreviewPane, Showing, HTTP};
use crate::app::place::{share_id, Place};
use crate::auth::session::Session;
use crate::drive::{open_text, save_text, Item, SaveTextError};
use crate::keystore::Keyring;
use crate::pod::error::WriteError;
use crate::pod::Pod;
use crate::share::{self, Access, SharedKind, SharedWithMe};

/// What was shared, as the user's keystores know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedItem {
    pub url: Url,
    pub is_folder: bool,
    /// The owner's name for it, if a keystore knows it.
    pub name: String,
    pub media_type: Option<String>,
    /// What the link allowed.
    pub access: Access,
}

impl SharedItem {
    /// An item of "Shared with me"; `None` if its address is not a URL.
    pub fn listed(shared: &SharedWithMe) -> Option<Self> {
        Some(SharedItem {
            url: Url::parse(&shared.url).ok()?,
            is_folder: shared.kind == SharedKind::Folder,
            name: shared.name.clone(),
            media_type: shared.media_type.clone(),
            access: shared.access,
        })
    }

    /// The item at `url` with its name and type from `keyring` (a folder shared as a
    /// whole may have no entry of its own: it is then called "Shared folder").
    pub fn known(keyring: &Keyring, url: &Url, access: Access) -> Self {
        let entry = keyring.lookup(url.as_str());
        // A container whose entry has a key is a file stored in parts (FORMAT §1.8).
        let is_folder = url.path().ends_with('/') && entry.as_ref().is_none_or(|e| e.key.is_none());
        let fallback = if is_folder {
            "Shared folder"
        } else {
            "Shared file"
        };
        SharedItem {
            url: url.clone(),
            is_folder,
            name: entry
                .as_ref()
                .map(|e| e.name.clone())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| fallback.to_owned()),
            media_type: entry.and_then(|e| e.media_type),
            access,
        }
    }

    fn as_item(&self) -> Item {
        Item {
            url: self.url.clone(),
            name: self.name.clone(),
            is_folder: self.is_folder,
            size: None,
            media_type: self.media_type.clone(),
            modified: None,
            known: true,
        }
    }

    /// Shared read-write, and text or of unknown type (opening it as text then
    /// says if it is not). A read-only share offers no Edit: its owner's pod would
    /// refuse the save.
    fn editable(&self) -> bool {
        self.access == Access::ReadWrite
            && self
                .media_type
                .as_deref()
                .is_none_or(|t| t.starts_with("text/"))
    }
}

/// What the user may do with a shared item, in words.
pub fn allowed(access: Access, is_folder: bool) -> &'static str {
    match (access, is_folder) {
        (Access::Read, false) => {
            "Shared with you read-only: you can open and download it, not change it."
        }
        (Access::ReadWrite, false) => {
            "Shared with you to read and write: you can open, download and change it."
        }
        (Access::Read, true) => {
            "Shared with you read-only: you can open and download its files, not add or change any."
        }
        (Access::ReadWrite, true) => {
            "Shared with you to read and write: what you upload here, its owner can read too."
        }
    }
}

/// Why a save of a shared text file failed, in words; a refusal by the owner's pod
/// says that the link is read-only instead of a bare status code.
pub fn save_problem(error: &SaveTextError) -> String {
    match error {
        SaveTextError::Write(WriteError::Forbidden) => "The owner's pod refused the change: this was shared with you read-only, or the link was revoked. Your text is still in the editor.".to_owned(),
        SaveTextError::Write(WriteError::Unauthorized) => "The pod refused the change because your login expired. Log out and log in again; your text is still in the editor.".to_owned(),
        other => format!("Cannot save: {other}. Your text is still in the editor."),
    }
}

/// The shared item at `/shared/<share>/…`, looked up in the user's keystores.
///
/// * `share`: its id in the address ([`share_id`] of its pod address).
/// * `folders`: for a folder, the ids of the folder shown within it.
#[component]
pub fn SharedPlace(
    share: String,
    session: Session,
    keyring: Keyring,
    folders: Signal<Vec<String>>,
) -> impl IntoView {
    let found = share::shared_with_me(&keyring)
        .iter()
        .filter_map(SharedItem::listed)
        .find(|item| share_id(&item.url) == share);
    let base = Place::Shared {
        share,
        folders: Vec::new(),
    }
    .href();
    match found {
        Some(item) => view! { <SharedView item session keyring folders base /> }.into_any(),
        None => view! {
            <section class="share-page">
                <h1>"Not shared with you"</h1>
                <p role="alert" class="error">
                    "Nothing under “Shared with me” has this address: it was removed, or "
                    "this address belongs to someone else's list."
                </p>
                <a href=Place::SharedWithMe.href()>"Go to Shared with me"</a>
            </section>
        }
        .into_any(),
    }
}

/// Shows a shared item.
///
/// * `item`: the shared file or folder.
/// * `session`: the user's session (the item is on someone else's pod).
/// * `keyring`: the user's unlocked keystores, which hold the item's keys (or the
///   link's key alone, held in memory: `share::visit`).
/// * `folders`: for a folder, the ids of the folder shown within it.
/// * `base`: the app address of the folder's top (its subfolders' are
///   `base/id/id…`): its place under "Shared with me", or the `/share` page of
///   a link open without keeping it.
#[component]
pub fn SharedView(
    item: SharedItem,
    session: Session,
    keyring: Keyring,
    folders: Signal<Vec<String>>,
    base: String,
) -> impl IntoView {
    if item.is_folder {
        view! {
            <h1>{format!("Shared folder: {}", item.name)}</h1>
            <p class="hint">{allowed(item.access, true)}</p>
            <FileBrowser
                session
                keyring
                folders
                base
                root=(item.url.clone(), item.name.clone())
                read_only=item.access == Access::Read
            />
        }
        .into_any()
    } else {
        view! { <SharedFile item session keyring /> }.into_any()
    }
}

/// A shared file: download, preview, and edit if it is text. Results of pod
/// requests are shown with `try_set`: the view may be closed before they end.
#[component]
fn SharedFile(item: SharedItem, session: Session, keyring: Keyring) -> impl IntoView {
    let showing = RwSignal::new(None::<Showing>);
    let problem = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let editing = RwSignal::new(None::<(String, Option<String>)>);
    let (session_v, keyring_v) = (
        StoredValue::new(session.clone()),
        StoredValue::new_local(keyring.clone()),
    );
    let stored = StoredValue::new(item.clone());

    let download = move |_| {
        let item = stored.get_value();
        let (session, keyring) = (session_v.get_value(), keyring_v.get_value());
        leptos::task::spawn_local(async move {
            let result = save_file(
                &session,
                &keyring,
                &item.url,
                &item.name,
                item.media_type.as_deref(),
            )
            .await;
            let _ = problem.try_set(
                result
                    .err()
                    .map(|e| format!("Cannot download {}: {e}.", item.name)),
            );
        });
    };
    let edit = move |_| {
        let item = stored.get_value();
        let (session, keyring) = (session_v.get_value(), keyring_v.get_value());
        saved.set(false);
        leptos::task::spawn_local(async move {
            let pod = Pod::new(&HTTP, Some(&session));
            match open_text(&pod, &keyring, &item.url).await {
                Ok(opened) => {
                    let _ = problem.try_set(None);
                    let _ = editing.try_set(Some((opened.text, opened.etag)));
                }
                Err(e) => {
                    let _ =
                        problem.try_set(Some(format!("Cannot open {} as text: {e}.", item.name)));
                }
            }
        });
    };
    let save = Action::new_local(move |(text, etag): &(String, Option<String>)| {
        let (text, etag, item) = (text.clone(), etag.clone(), stored.get_value());
        let (session, keyring) = (session_v.get_value(), keyring_v.get_value());
        async move {
            let pod = Pod::new(&HTTP, Some(&session));
            match save_text(
                &pod,
                &keyring,
                &item.url,
                &item.name,
                &text,
                etag.as_deref(),
            )
            .await
            {
                Ok(()) => {
                    let _ = editing.try_set(None);
                    let _ = problem.try_set(None);
                    let _ = saved.try_set(true);
                }
                Err(e) => {
                    let _ = problem.try_set(Some(save_problem(&e)));
                }
            }
        }
    });
    let (text, set_text) = signal(String::new());
    Effect::new(move || {
        if let Some((t, _)) = editing.get() {
            set_text.set(t);
        }
    });
    let name = item.name.clone();
    let editable = item.editable();
    view! {
        <div class="shared-file">
            <h1>{format!("Shared file: {name}")}</h1>
            <p class="hint">{allowed(item.access, false)}</p>
            <div class="shared-actions">
                <button type="button" aria-label=format!("Download {name}") on:click=download>"Download"</button>
                <button type="button" class="secondary" aria-label=format!("Preview {name}")
                    on:click=move |_| showing.set(Some(Showing::from_item(&stored.get_value().as_item())))>
                    "Preview"
                </button>
                <Show when=move || editable>
                    <button type="button" class="secondary" aria-label=format!("Edit {}", stored.get_value().name) on:click=edit>"Edit"</button>
                </Show>
            </div>
            {move || editing.get().map(|(_, etag)| view! {
                <form class="shared-editor" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    save.dispatch_local((text.get_untracked(), etag.clone()));
                }>
                    <label>
                        "Text"
                        <textarea rows="10" prop:value=text on:input=move |ev| set_text.set(event_target_value(&ev))></textarea>
                    </label>
                    <button type="submit" disabled=move || save.pending().get()>"Save"</button>
                    <button type="button" class="secondary" on:click=move |_| editing.set(None)>"Cancel"</button>
                </form>
            })}
            <Show when=move || saved.get()>
                <p role="status">"Saved: the owner (and whoever else the file is shared with) sees the new version."</p>
            </Show>
            {move || problem.get().map(|p| view! { <p role="alert" class="error">{p}</p> })}
            <PreviewPane showing session keyring />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_write_says_read_only() {
        let forbidden = save_problem(&SaveTextError::Write(WriteError::Forbidden));
        assert!(
            !forbidden.contains("403") && forbidden.contains("read-only"),
            "{forbidden}"
        );
        let expired = save_problem(&SaveTextError::Write(WriteError::Unauthorized));
        assert!(
            expired.contains("log in again") && !expired.contains("read-only"),
            "{expired}"
        );
        let busy = save_problem(&SaveTextError::ChangedElsewhere);
        assert!(
            busy.starts_with("Cannot save: the file was changed elsewhere"),
            "{busy}"
        );
    }
}
