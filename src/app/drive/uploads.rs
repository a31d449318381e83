//! Uploads in progress: one row per file with a progress bar and Cancel, a Retry
//! after a failure. Each upload runs on its own task, so several go at once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use url::Url;

use super::io::{upload_picked, PickedFile};
use super::toasts::Toasts;
use crate::auth::session::Session;
use crate::drive::UploadError;
use crate::keystore::Keyring;

/// Where an upload stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Phase {
    Running,
    Failed(String),
}

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
            upload.cancel.store(false, Ordering::Relaxed);
            let file = upload.file.get_value();
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
                Ok(_) => {
                    this.rows.update(|r| r.retain(|u| u.id != upload.id));
                    this.finished.update(|n| *n += 1);
                }
                Err(UploadError::Cancelled) => {
                    this.rows.update(|r| r.retain(|u| u.id != upload.id));
                }
                Err(e) => {
                    toasts.error(format!("Upload of {} failed: {e}.", upload.name));
                    upload.phase.set(Phase::Failed(e.to_string()));
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
                    view! {
                        <li class="upload">
                            <span class="upload-name">{upload.name.clone()}</span>
                            <progress
                                aria-label=label
                                max="1"
                                value=move || (upload.done.get() as f64 / size).to_string()
                            ></progress>
                            {move || match upload.phase.get() {
                                Phase::Running => {
                                    let cancel = cancel.clone();
                                    view! {
                                        <button
                                            type="button"
                                            class="secondary"
                                            aria-label=format!("Cancel upload of {}", upload.name)
                                            on:click=move |_| cancel.store(true, Ordering::Relaxed)
                                        >
                                            "Cancel"
                                        </button>
                                    }
                                        .into_any()
                                }
                                Phase::Failed(message) => {
                                    let retry = retry.clone();
                                    view! {
                                        <span class="error">{message}</span>
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
