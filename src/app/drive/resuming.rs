//! A listed file in parts whose upload stopped part-way (a closed tab, a lost
//! connection): said so in its row, with Resume (pick the same file again; the
//! upload goes on from the first missing part, `drive::resume`) and Delete.
//! A file picked that is not the same is refused plainly, with a new upload or
//! a replacement offered instead. One still being written (by a collaborator
//! in a shared folder, or another tab) says so, with neither action, until it
//! completes or has been quiet for `drive::resume::QUIET_MS`.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::io::{
    incomplete_upload, picked_from_input, resume_picked, upload_picked, PickedFile, HTTP,
};
use super::toasts::Toasts;
use crate::auth::clock::now_millis;
use crate::auth::session::Session;
use crate::drive::resume::{Activity, Incomplete, ResumeError};
use crate::drive::{delete, numbered, rename, Item, NameError, RenameError};
use crate::keystore::Keyring;
use crate::pod::Pod;

/// What the row shows after a file was picked to resume.
#[derive(Clone)]
enum Step {
    Idle,
    Resuming(u64),
    /// Resumed: nothing to say until the folder is listed again.
    Done,
    /// Not the file whose upload stopped: offer it as a new upload or a
    /// replacement.
    Other(PickedFile),
}

/// The incomplete-upload note and its actions for `item` (a file stored in
/// parts); nothing for a complete file. `reload` lists the folder again;
/// `listed` changes with every listing that arrives, and the row looks again then.
#[component]
pub fn IncompleteUpload(
    item: Item,
    session: Session,
    keyring: Keyring,
    reload: RwSignal<u64>,
    listed: Memo<u64>,
) -> impl IntoView {
    let toasts = Toasts::get();
    let session = StoredValue::new(session);
    let keyring = StoredValue::new_local(keyring);
    let url = item.url.clone();
    // Bumped to look again at an upload that was still being written.
    let looks = RwSignal::new(0u32);
    let found = LocalResource::new(move || {
        // Looked at with every listing (the row itself is kept), and again while
        // someone is still writing it.
        listed.track();
        looks.track();
        let (session, keyring, url) = (session.get_value(), keyring.get_value(), url.clone());
        async move { incomplete_upload(&session, &keyring, &url).await }
    });
    let writing = move || {
        let incomplete = found.get().flatten()?;
        match incomplete.activity(now_millis()) {
            Activity::Writing { recheck_ms } => Some(recheck_ms),
            Activity::Stopped => None,
        }
    };
    Effect::new(move || {
        if let Some(recheck_ms) = writing() {
            let again = move || {
                looks.try_update(|n| *n += 1);
            };
            set_timeout(again, std::time::Duration::from_millis(recheck_ms.into()));
        }
    });
    let step = RwSignal::new_local(Step::Idle);
    let input = NodeRef::<leptos::html::Input>::new();
    let name = StoredValue::new(item.name.clone());
    let item_url = StoredValue::new(item.url.clone());
    let size = item.size.unwrap_or(0).max(1);
    let folder = item.url.join("..").expect("a container has a parent");
    let folder = StoredValue::new(folder);

    let remove = move || {
        let (session, keyring) = (session.get_value(), keyring.get_value());
        spawn_local(async move {
            let pod = Pod::new(&HTTP, Some(&session));
            if let Err(e) = delete(&pod, &keyring, &item_url.get_value()).await {
                toasts.error(format!("Cannot delete {}: {e}.", name.get_value()));
            }
            reload.update(|n| *n += 1);
        });
    };
    let picked = move |ev: leptos::ev::Event, incomplete: Incomplete| {
        let Some(file) = picked_from_input(&ev).into_iter().next() else {
            return;
        };
        let (session, keyring) = (session.get_value(), keyring.get_value());
        step.set(Step::Resuming(incomplete.from_byte()));
        spawn_local(async move {
            let url = item_url.get_value();
            let mut progress = |done: u64| step.set(Step::Resuming(done));
            match resume_picked(&session, &keyring, &url, &incomplete, &file, &mut progress).await {
                Ok(()) => {
                    step.set(Step::Done);
                    reload.update(|n| *n += 1);
                }
                Err(ResumeError::NotTheSameFile) => step.set(Step::Other(file)),
                Err(e) => {
                    step.set(Step::Idle);
                    toasts.error(format!("Cannot resume {}: {e}.", name.get_value()));
                    found.refetch();
                }
            }
        });
    };
    // The other file, as a new upload next to this one, or instead of it.
    let upload_other = move |file: PickedFile, replace: bool| {
        let (session, keyring) = (session.get_value(), keyring.get_value());
        step.set(Step::Idle);
        spawn_local(async move {
            let pod = Pod::new(&HTTP, Some(&session));
            if replace {
                if let Err(e) = delete(&pod, &keyring, &item_url.get_value()).await {
                    toasts.error(format!("Cannot delete {}: {e}.", name.get_value()));
                    return;
                }
            }
            let folder = folder.get_value();
            match upload_picked(&session, &keyring, &folder, &file, &mut |_| {}, &|| false).await {
                // Next to the incomplete one under the same name: numbered.
                Ok(url) if !replace && file.name() == name.get_value() => {
                    for n in 2..100 {
                        let numbered = numbered(&file.name(), n);
                        match rename(&pod, &keyring, &url, &numbered).await {
                            Err(RenameError::Name(NameError::Taken(_))) => continue,
                            Err(e) => toasts.error(format!("Cannot rename {numbered}: {e}.")),
                            Ok(()) => {}
                        }
                        break;
                    }
                }
                Ok(_) => {}
                Err(e) => toasts.error(format!("Cannot upload {}: {e}.", file.name())),
            }
            reload.update(|n| *n += 1);
        });
    };

    move || {
        let incomplete = found.get().flatten()?;
        let label = name.get_value();
        let view = match step.get() {
            Step::Idle if writing().is_some() => view! {
                <span class="badge" role="status">"being uploaded…"</span>
            }
            .into_any(),
            Step::Idle => view! {
                <span class="badge">"incomplete upload — resume or delete"</span>
                <input type="file" hidden node_ref=input aria-label=format!("File to resume {label}")
                    on:change=move |ev| picked(ev, incomplete.clone()) />
                <button type="button" class="secondary" aria-label=format!("Resume {label}")
                    on:click=move |_| {
                        if let Some(input) = input.get() {
                            input.click();
                        }
                    }>"Resume"</button>
                <button type="button" class="secondary" aria-label=format!("Delete incomplete {label}")
                    on:click=move |_| remove()>"Delete"</button>
            }
            .into_any(),
            Step::Done => return None,
            Step::Resuming(done) => view! {
                <span class="badge" role="status">
                    {format!("resuming… {}%", done.saturating_mul(100) / size)}
                </span>
            }
            .into_any(),
            Step::Other(file) => {
                let again = file.clone();
                view! {
                    <span role="alert">
                        {format!(
                            "{} is not the file whose upload stopped (its name, size or content differs).",
                            file.name()
                        )}
                    </span>
                    <button type="button" class="secondary"
                        on:click=move |_| upload_other(file.clone(), false)>"Upload as a new file"</button>
                    <button type="button" class="danger"
                        on:click=move |_| upload_other(again.clone(), true)>"Replace the incomplete one"</button>
                    <button type="button" class="secondary" on:click=move |_| step.set(Step::Idle)>"Cancel"</button>
                }
                .into_any()
            }
        };
        Some(view)
    }
}
