//! Uploads in progress: one row per file with a progress bar, how much of it is
//! sent, and Cancel; a Retry (or Remove) after a failure; "Uploaded" for a few
//! seconds once it is done (the listing shows the file too, but maybe far down). Each upload runs on its own task, so several go at
//! once. Cancel stops the upload between pieces; pressed during the final PUT, it
//! deletes the file that PUT stored, so a cancelled upload never leaves a file.
//!
//! A dropped or picked folder tree ([`Uploads::start_tree`]) gets one more row
//! for the whole drop (one progress bar, files done, Cancel for all): its
//! folders are created first (`drive::tree`), then its files go through a
//! bounded pool ([`POOL`] at once), their keys written [`BATCH`] at a time
//! (`drive::reserve`: one keystore write per batch, before any of the batch's
//! ciphertext). A file that fails shows on its own row; the others go on.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use url::Url;

use super::dropped::PickedTree;
use super::io::{in_parts, upload_picked, upload_picked_reserved, PickedFile, HTTP};
use super::locale::show_size;
use super::pool::run_all;
use super::toasts::Toasts;
use crate::auth::session::Session;
use crate::drive::tree::{create_folders, folder_of, folders};
use crate::drive::{delete, forget_unused, reserve, NewFile, Reserved, UploadError};
use crate::keystore::Keyring;
use crate::pod::Pod;

/// Where an upload stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Phase {
    /// Part of a folder drop, not started yet.
    Waiting,
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

/// Files of a folder drop uploaded at once: a few, so the pod and the tab's two
/// cores are kept busy while one file waits on its PUT, and memory stays bounded
/// by a few files' pieces in flight.
const POOL: usize = 4;

/// Files whose keys go to the keystores in one write (`drive::reserve`): 1,000
/// small files cost 10 keystore writes, and a closed tab leaves at most a
/// batch of unused keys (never a file without its key).
const BATCH: usize = 100;

/// A folder tree dropped or picked: one row for all of it.
#[derive(Clone)]
struct TreeUpload {
    id: u64,
    name: String,
    size: u64,
    files: usize,
    done: RwSignal<u64>,
    files_done: RwSignal<usize>,
    failed: RwSignal<usize>,
    phase: RwSignal<Phase>,
    cancel: Arc<AtomicBool>,
}

/// The upload rows and how to start more; provided by the file browser.
#[derive(Clone, Copy)]
pub struct Uploads {
    trees: RwSignal<Vec<TreeUpload>, LocalStorage>,
    rows: RwSignal<Vec<Upload>, LocalStorage>,
    next: StoredValue<u64>,
    /// Bumped when an upload finishes, so the listing reloads.
    pub finished: RwSignal<u64>,
}

impl Uploads {
    /// No uploads yet.
    pub fn new() -> Self {
        Self {
            trees: RwSignal::new_local(Vec::new()),
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

    /// Uploads the folder tree `tree` into `folder`: its folders (empty ones
    /// too) under encrypted names, then its files through the pool.
    pub fn start_tree(&self, session: &Session, keyring: &Keyring, folder: &Url, tree: PickedTree) {
        let this = *self;
        let (session, keyring, folder) = (session.clone(), keyring.clone(), folder.clone());
        let id = self.take_id();
        let paths: Vec<&str> = tree.files.iter().map(|(p, _)| p.as_str()).collect();
        let empty: Vec<&str> = tree.empty.iter().map(String::as_str).collect();
        let dirs = folders(&paths, &empty);
        let name = match dirs.iter().filter(|d| !d.contains('/')).count() {
            1 => dirs[0].clone(),
            _ => format!("{} items", tree.files.len() + tree.empty.len()),
        };
        let row = TreeUpload {
            id,
            name,
            size: tree.files.iter().map(|(_, f)| f.size()).sum(),
            files: tree.files.len(),
            done: RwSignal::new(0),
            files_done: RwSignal::new(0),
            failed: RwSignal::new(0),
            phase: RwSignal::new(Phase::Running),
            cancel: Arc::new(AtomicBool::new(false)),
        };
        self.trees.update(|t| t.push(row.clone()));
        let toasts = Toasts::get();
        spawn_local(async move {
            let pod = Pod::new(&HTTP, Some(&session));
            let urls = match create_folders(&pod, &keyring, &folder, &dirs).await {
                Ok(urls) => urls,
                Err(e) => {
                    toasts.error(format!("Upload of {} failed: {e}.", row.name));
                    row.phase.set(Phase::Failed(e.to_string()));
                    this.finished.update(|n| *n += 1);
                    return;
                }
            };
            this.finished.update(|n| *n += 1);
            let uploads: Vec<Upload> = tree
                .files
                .into_iter()
                .map(|(path, file)| {
                    let upload = Upload {
                        id: this.take_id(),
                        name: path.rsplit('/').next().unwrap_or(&path).to_owned(),
                        size: file.size(),
                        done: RwSignal::new(0),
                        phase: RwSignal::new(Phase::Waiting),
                        cancel: Arc::new(AtomicBool::new(false)),
                        file: StoredValue::new_local(file),
                        folder: urls[folder_of(&path)].clone(),
                    };
                    this.rows.update(|r| r.push(upload.clone()));
                    upload
                })
                .collect();
            for batch in uploads.chunks(BATCH) {
                this.run_batch(&session, &keyring, &row, batch).await;
                this.finished.update(|n| *n += 1);
            }
            let failed = row.failed.get_untracked();
            if failed > 0 {
                let message = format!("{failed} of {} files did not upload", row.files);
                toasts.error(format!("Upload of {}: {message}.", row.name));
                row.phase.set(Phase::Failed(message));
            } else if row.cancel.load(Ordering::Relaxed) {
                this.trees.update(|t| t.retain(|t| t.id != id));
            } else {
                row.phase.set(Phase::Done);
                let trees = this.trees;
                set_timeout(
                    move || {
                        let _ = trees.try_update(|t| t.retain(|t| t.id != id));
                    },
                    DONE_SHOWN_FOR,
                );
            }
        });
    }

    /// One batch of a tree: its keys in one write, then its files through the
    /// pool; the keys of files cancelled before they started are taken out.
    async fn run_batch(
        &self,
        session: &Session,
        keyring: &Keyring,
        tree: &TreeUpload,
        batch: &[Upload],
    ) {
        let pod = Pod::new(&HTTP, Some(session));
        let live: Vec<&Upload> = batch.iter().filter(|u| !self.skipped(tree, u)).collect();
        let names: Vec<String> = live.iter().map(|u| u.name.clone()).collect();
        let files: Vec<PickedFile> = live.iter().filter_map(|u| u.file.try_get_value()).collect();
        let media: Vec<Option<String>> = files.iter().map(PickedFile::media_type).collect();
        let news: Vec<(NewFile, bool)> = live
            .iter()
            .zip(&files)
            .zip(&names)
            .zip(&media)
            .map(|(((u, f), name), media_type)| {
                let new = NewFile {
                    folder: &u.folder,
                    name,
                    media_type: media_type.as_deref(),
                    size: u.size,
                    fingerprint: None,
                };
                (new, in_parts(f))
            })
            .collect();
        let reserved = match reserve(&pod, keyring, &news).await {
            Ok(reserved) => reserved,
            Err(e) => {
                for upload in &live {
                    upload.phase.set(Phase::Failed(e.to_string()));
                }
                tree.failed.update(|n| *n += live.len());
                return;
            }
        };
        let unused = std::cell::RefCell::new(Vec::<Reserved>::new());
        let jobs: Vec<(&Upload, Reserved)> = live.into_iter().zip(reserved).collect();
        run_all(jobs, POOL, |(upload, reserved)| {
            let unused = &unused;
            async move {
                if self.skipped(tree, upload) {
                    unused.borrow_mut().push(reserved);
                    self.rows.update(|r| r.retain(|u| u.id != upload.id));
                    return;
                }
                self.run_reserved(session, keyring, tree, upload, reserved)
                    .await;
            }
        })
        .await;
        forget_unused(&pod, keyring, &unused.into_inner()).await;
        for upload in batch.iter().filter(|u| self.skipped(tree, u)) {
            self.rows.update(|r| r.retain(|u| u.id != upload.id));
        }
    }

    /// Whether `upload` of `tree` is not to start (it or the whole drop cancelled).
    fn skipped(&self, tree: &TreeUpload, upload: &Upload) -> bool {
        (tree.cancel.load(Ordering::Relaxed) || upload.cancel.load(Ordering::Relaxed))
            && upload.phase.get_untracked() != Phase::Running
    }

    async fn run_reserved(
        &self,
        session: &Session,
        keyring: &Keyring,
        tree: &TreeUpload,
        upload: &Upload,
        reserved: Reserved,
    ) {
        let Some(file) = upload.file.try_get_value() else {
            return;
        };
        upload.phase.set(Phase::Running);
        let (cancel, all) = (upload.cancel.clone(), tree.cancel.clone());
        let mut last = 0;
        let result = upload_picked_reserved(
            session,
            keyring,
            reserved,
            &upload.folder,
            &file,
            &mut |done| {
                upload.done.set(done);
                tree.done.update(|d| *d += done - last);
                last = done;
            },
            &move || cancel.load(Ordering::Relaxed) || all.load(Ordering::Relaxed),
        )
        .await;
        let cancelled =
            upload.cancel.load(Ordering::Relaxed) || tree.cancel.load(Ordering::Relaxed);
        match result {
            Ok(url) if cancelled => {
                let pod = Pod::new(&HTTP, Some(session));
                let _ = delete(&pod, keyring, &url).await;
                self.rows.update(|r| r.retain(|u| u.id != upload.id));
            }
            Ok(_) => {
                upload.phase.set(Phase::Done);
                tree.files_done.update(|n| *n += 1);
                self.rows.update(|r| r.retain(|u| u.id != upload.id));
            }
            Err(UploadError::Cancelled) => {
                self.rows.update(|r| r.retain(|u| u.id != upload.id));
            }
            Err(e) => {
                upload.phase.set(Phase::Failed(e.to_string()));
                tree.failed.update(|n| *n += 1);
            }
        }
    }

    fn take_id(&self) -> u64 {
        let id = self.next.get_value();
        self.next.set_value(id + 1);
        id
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
            <For each=move || uploads.trees.get() key=|t| t.id let:tree>
                {
                    let size = tree.size.max(1) as f64;
                    let cancel = tree.cancel.clone();
                    let id = tree.id;
                    view! {
                        <li class="upload upload-tree">
                            <span class="upload-name">{format!("Folder {}", tree.name)}</span>
                            {move || match tree.phase.get() {
                                Phase::Running | Phase::Waiting => {
                                    let cancel = cancel.clone();
                                    view! {
                                        <progress
                                            aria-label=format!("Uploading folder {}", tree.name)
                                            max="1"
                                            value=move || (tree.done.get() as f64 / size).to_string()
                                        ></progress>
                                        <span class="upload-count">
                                            {move || format!("{} of {} files, {} of {}", tree.files_done.get(), tree.files, show_size(tree.done.get()), show_size(tree.size))}
                                        </span>
                                        <button
                                            type="button"
                                            class="secondary"
                                            aria-label=format!("Cancel upload of folder {}", tree.name)
                                            on:click=move |_| {
                                                cancel.store(true, Ordering::Relaxed);
                                                tree.phase.set(Phase::Cancelling);
                                            }
                                        >
                                            "Cancel"
                                        </button>
                                    }
                                        .into_any()
                                }
                                Phase::Done => view! {
                                    <span role="status" class="uploaded">{format!("Uploaded {} files ({})", tree.files, show_size(tree.size))}</span>
                                }
                                    .into_any(),
                                Phase::Cancelling => {
                                    view! { <span role="status">"Cancelling…"</span> }.into_any()
                                }
                                Phase::Failed(message) => view! {
                                    <span class="error">{message}</span>
                                    <button
                                        type="button"
                                        class="secondary"
                                        aria-label=format!("Dismiss upload of folder {}", tree.name)
                                        on:click=move |_| uploads.trees.update(|t| t.retain(|t| t.id != id))
                                    >
                                        "Dismiss"
                                    </button>
                                }
                                    .into_any(),
                            }}
                        </li>
                    }
                }
            </For>
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
                                Phase::Waiting => {
                                    let cancel = cancel.clone();
                                    view! {
                                        <span role="status">"Waiting"</span>
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
