//! The text editor: write a new plain-text file, or edit one, in the app. Saving a
//! new file goes through the normal upload (key first); saving an edit rewrites the
//! file only if nobody changed it meanwhile.

use leptos::prelude::*;
use url::Url;

use super::io::HTTP;
use crate::app::modal::Modal;
use crate::auth::session::Session;
use crate::crypto::envelope::RustCryptoCipher;
use crate::drive::memory::{SliceSource, VecUpload};
use crate::drive::{save_text, upload, NewFile, TEXT_TYPE};
use crate::keystore::Keyring;
use crate::pod::Pod;

/// What the editor holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editing {
    /// The file being edited, with the version opened; `None` for a new file.
    pub existing: Option<(Url, Option<String>)>,
    /// The folder a new file goes into.
    pub folder: Url,
    pub name: String,
    pub text: String,
}

/// The editor dialog, shown while `editing` is set. A failed save is said inside
/// it (the page behind a modal dialog is out of reach), and the text stays.
///
/// * `editing`: the file being written; cleared on save or cancel.
/// * `saved`: bumped after a save, so the listing reloads.
/// * `session`, `keyring`: for the writes.
#[component]
pub fn TextEditor(
    editing: RwSignal<Option<Editing>>,
    saved: RwSignal<u64>,
    session: Session,
    keyring: Keyring,
) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let keyring = StoredValue::new_local(keyring);
    let save = Action::new_local(move |draft: &Editing| {
        let (draft, session, keyring) = (draft.clone(), session.clone(), keyring.get_value());
        async move {
            let pod = Pod::new(&HTTP, Some(&session));
            let name = draft.name.trim();
            let result = if name.is_empty() {
                Err("the file needs a name".to_owned())
            } else if let Some((url, etag)) = &draft.existing {
                save_text(&pod, &keyring, url, name, &draft.text, etag.as_deref())
                    .await
                    .map_err(|e| e.to_string())
            } else {
                let file = NewFile {
                    folder: &draft.folder,
                    name,
                    media_type: Some(TEXT_TYPE),
                    size: draft.text.len() as u64,
                    fingerprint: None,
                };
                upload::<_, RustCryptoCipher, _, _>(
                    &pod,
                    &keyring,
                    &file,
                    &mut SliceSource::new(draft.text.as_bytes(), 64 * 1024),
                    VecUpload::new(&pod),
                    &mut |_| {},
                    &|| false,
                )
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
            };
            match result {
                Ok(()) => {
                    problem.set(None);
                    editing.set(None);
                    saved.update(|n| *n += 1);
                }
                Err(e) => problem.set(Some(format!("Cannot save {name}: {e}."))),
            }
        }
    });
    move || {
        editing.get().map(|draft| {
            let is_new = draft.existing.is_none();
            let title = if is_new {
                "New text file".to_owned()
            } else {
                format!("Edit {}", draft.name)
            };
            let name = RwSignal::new(draft.name.clone());
            let text = RwSignal::new(draft.text.clone());
            let on_submit = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                save.dispatch_local(Editing {
                    name: name.get(),
                    text: text.get(),
                    ..draft.clone()
                });
            };
            let label = title.clone();
            // The form takes the focus when it opens (`autofocus`, which the modal
            // dialog honours): the name of a new file, the text of an existing one.
            let cancel = move |()| {
                problem.set(None);
                editing.set(None);
            };
            view! {
                <Modal label=label class="preview editor" on_close=cancel>
                <form class="editor-form" on:submit=on_submit>
                    <div class="preview-bar">
                        <h2>{title}</h2>
                        <div>
                            <button type="submit" disabled=move || save.pending().get()>"Save"</button>
                            <button type="button" class="secondary" on:click=move |_| cancel(())>
                                "Cancel"
                            </button>
                        </div>
                    </div>
                    <div class="editor-fields">
                        <label>
                            "File name"
                            <input
                                type="text"
                                autofocus=is_new
                                prop:value=name
                                disabled=!is_new
                                on:input=move |ev| name.set(event_target_value(&ev))
                            />
                        </label>
                        <label class="editor-text">
                            "Text"
                            <textarea autofocus=!is_new prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                        </label>
                    </div>
                    {move || problem.get().map(|p| view! { <p role="alert" class="error">{p}</p> })}
                </form>
                </Modal>
            }
        })
    }
}
