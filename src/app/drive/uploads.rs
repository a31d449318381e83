//! Uploads in progress: one row per file with a progress bar, how much of it is
//! sent, and Cancel; a Retry (or Remove) after a failure; "Uploaded" for a few
//! seconds once it is done (the listing shows the file too, but maybe far down). Each upload runs on its own task, so several go at
//! once. Cancel stops the upload between pieces; pressed during the final PUT, it
//! deletes the file that PUT stored, so a cancelled upload never leaves a file.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use url::Url;

use super::io::{upload_picked, PickedFile, HTTP};
use super::locale::show_size;
use super::toasts::Toasts;
use crate::auth::session::Session;
use crate::drive::{delete, UploadError};
use crate::keystore::Keyring;
use crate::pod::Pod;

/// Where an upload stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Phase {
    Running,
    /// Cancel was pressed; the upload stops (or is taken back) shortly.
    Cancelling,
    Failed(String),
    /// Stored: the row says so, then goes by itself ([`DONE_SHOWN_FOR`]).
    Done,
}

/// How long a finished upload's row stays to say "Uploaded".
const DONE_SHOWN_FOR: std::time::Duration = std::time::Duration::from_secs(4);

/// One file being uploaded.
#[derive(Clone)]
pub struct Upload {
    id: u64,
    name: String,
    size: u64,
    done: RwSignal<u64>,
    phase: RwSignal<Phase>,
    cancel: Arc<AtomicBool>,
    file: StoredValue<PickedFile, LocalStorage>,
    folder: Url,
}

/// The upload rows and how to start more; provided by the file browser.
#[derive(Clone, Copy)]
pub struct Uploads {
    rows: RwSignal<Vec<Upload>, LocalStorage>,
    next: StoredValue<u64>,
    /// Bumped when an upload finishes, so the listing reloads.
    pub finished: RwSignal<u64>,
}

impl Uploads {
    /// No uploads yet.
    pub fn new() -> Self {
        Self {
            rows: RwSignal::new_local(Vec::new()),
            next: StoredValue::new(0),
            finished: RwSignal::new(0),
        }
    }

    /// Starts uploading each of `files` into `folder`.
    pub fn start(
        &self,
        session: &Session,
        keyring: &Keyring,
        folder: &Url,
        files: Vec<PickedFile>,
    ) {
        for file in files {
            let id = self.next.get_value();
            self.next.set_value(id + 1);
            let upload = Upload {
                id,
                name: file.name(),
                size: file.size(),
                done: RwSignal::new(0),
                phase: RwSignal::new(Phase::Running),
                cancel: Arc::new(AtomicBool::new(false)),
                file: StoredValue::new_local(file),
                folder: folder.clone(),
            };
            self.rows.update(|r| r.push(upload.clone()));
            self.run(session.clone(), keyring.clone(), upload);
        }
    }

    fn run(&self, session: Session, keyring: Keyring, upload: Upload) {
        let this = *self;
        let toasts = Toasts::get();
        spawn_local(async move {
            upload.phase.set(Phase::Running);
            upload.done.set(0);
            upload.cancel.store(false, Ordering::Relaxed);
            let Some(file) = upload.file.try_get_value() else {
                return;
            };
            let cancel = upload.cancel.clone();
            let result = upload_picked(
                &session,
                &keyring,
                &upload.folder,
                &file,
                &mut |done| upload.done.set(done),
                &move || cancel.load(Ordering::Relaxed),
            )
            .await;
            match result {
                // Cancel pressed once the ciphertext was on its way: the pod has the
                // file, so take it back (ciphertext, then key); Cancel means no file.
                Ok(url) if upload.cancel.load(Ordering::Relaxed) => {
                    let pod = Pod::new(&HTTP, Some(&session));
                    if let Err(e) = delete(&pod, &keyring, &url).await {
                        toasts.error(format!(
                            "Cancelled {}, but it could not be removed from the pod: {e}.",
                            upload.name
                        ));
                        this.finished.update(|n| *n += 1);
                    }
                    this.rows.update(|r| r.retain(|u| u.id != upload.id));
                }
                Ok(_) => {
                    upload.phase.set(Phase::Done);
                    this.finished.update(|n| *n += 1);
                    let (rows, id) = (this.rows, upload.id);
                    set_timeout(
                        move || {
                            // The browser may be gone meanwhile (locked, logged out).
                            let _ = rows.try_update(|r| r.retain(|u| u.id != id));
                        },
                        DONE_SHOWN_FOR,
                    );
                }
                Err(UploadError::Cancelled) => {
                    this.rows.update(|r| r.retain(|u| u.id != upload.id));
                }
                Err(e) => {
                    toasts.error(format!("Upload of {} failed: {e}.", upload.name));
                    upload.phase.set(Phase::Failed(e.to_string()));
                    // If the pod stored the file and only its answer was lost, the key
                    // was kept: a fresh listing shows the file, readable.
                    this.finished.update(|n| *n += 1);
                }
            }
        });
    }
}

/// The rows of [`Uploads`].
///
/// * `uploads`: the rows.
/// * `session`, `keyring`: for retries.
#[component]
pub fn UploadList(uploads: Uploads, session: Session, keyring: Keyring) -> impl IntoView {
    let session = StoredValue::new(session);
    let keyring = StoredValue::new_local(keyring);
    view! {
        <ul class="uploads" aria-label="Uploads">
            <For each=move || uploads.rows.get() key=|u| u.id let:upload>
                {
                    let label = format!("Uploading {}", upload.name);
                    let size = upload.size.max(1) as f64;
                    let retry = upload.clone();
                    let cancel = upload.cancel.clone();
                    let id = upload.id;
                    view! {
                        <li class="upload">
                            <span class="upload-name">{upload.name.clone()}</span>
                            {move || match upload.phase.get() {
                                Phase::Running => {
                                    let cancel = cancel.clone();
                                    view! {
                                        <progress
                                            aria-label=label.clone()
                                            max="1"
                                            value=move || (upload.done.get() as f64 / size).to_string()
                                        ></progress>
                                        <span class="upload-count">
                                            {move || format!("{} of {}", show_size(upload.done.get()), show_size(upload.size))}
                                        </span>
                                        <button
                                            type="button"
                                            class="secondary"
                                            aria-label=format!("Cancel upload of {}", upload.name)
                                            on:click=move |_| {
                                                cancel.store(true, Ordering::Relaxed);
                                                upload.phase.set(Phase::Cancelling);
                                            }
                                        >
                                            "Cancel"
                                        </button>
                                    }
                                        .into_any()
                                }
                                Phase::Done => view! {
                                    <span role="status" class="uploaded">{format!("Uploaded ({})", show_size(upload.size))}</span>
                                }
                                    .into_any(),
                                Phase::Cancelling => {
                                    view! { <span role="status">"Cancelling…"</span> }.into_any()
                                }
                                Phase::Failed(message) => {
                                    let retry = retry.clone();
                                    view! {
                                        <span class="error">{message}</span>
                                        // A failed row stays until the user retries or
                                        // removes it, so the failure is never silent.
                                        <button
                                            type="button"
                                            class="secondary"
                                            aria-label=format!("Remove failed upload of {}", upload.name)
                                            on:click=move |_| uploads.rows.update(|r| r.retain(|u| u.id != id))
                                        >
                                            "Remove"
                                        </button>
                                        <button
                                            type="button"
                                            aria-label=format!("Retry upload of {}", upload.name)
                                            on:click=move |_| {
                                                uploads
                                                    .run(
                                                        session.get_value(),
                                                        keyring.get_value(),
                                                        retry.clone(),
                                                    )
                                            }
                                        >
                                            "Retry"
                                        </button>
                                    }
                                        .into_any()
                                }
                            }}
                        </li>
                    }
                }
            </For>
        </ul>
    }
}
