//! "Rename" and "Move to…" for a row of the file browser (or, for Move, the
//! rows selected): a small modal dialog over `crate::drive::rename` and
//! `crate::drive::move_to`, which do the work (and check the names). Kept in its
//! own file so the browser only opens it. [`move_each`] is the one way items are
//! moved, from this dialog and from a drag and drop (`drag_move`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use url::Url;

use super::io::HTTP;
use crate::app::modal::Modal;
use crate::auth::session::Session;
use crate::drive::destination::{check_destination, Destination};
use crate::drive::rename::parent_of;
use crate::drive::{list_folder, move_to, rename, Item};
use crate::keystore::Keyring;
use crate::pod::Pod;

/// What the dialog is doing, and to which item (items, for a move).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acting {
    Rename(Item),
    Move(Vec<Item>),
}

/// Moves `items` into `target` one after another; one failing does not stop the
/// others. Returns each item that was not moved, with why (a drop onto itself or
/// into its own folder is refused before the pod is asked); an item already in
/// `target` is left alone.
pub async fn move_each(
    session: &Session,
    keyring: &Keyring,
    items: &[Item],
    target: &Url,
) -> Vec<(Item, String)> {
    let pod = Pod::new(&HTTP, Some(session));
    let mut failed = Vec::new();
    for item in items {
        let outcome = match check_destination(item, target) {
            Ok(Destination::AlreadyThere) => Ok(()),
            Ok(Destination::Elsewhere) => move_to(&pod, keyring, &item.url, target)
                .await
                .map(|_| ())
                .map_err(|e| format!("Cannot move {}: {e}.", item.name)),
            Err(refused) => Err(format!("{refused}.")),
        };
        if let Err(message) = outcome {
            failed.push((item.clone(), message));
        }
    }
    failed
}

/// The dialog; closed while `acting` is `None`.
///
/// * `root`: the top folder of this browser (my files, or a folder shared with
///   me) and its name: a move goes somewhere under it.
/// * `done`: bumped after a rename or move, so the listing reloads.
#[component]
pub fn RenameMoveDialog(
    acting: RwSignal<Option<Acting>>,
    root: (Url, String),
    done: RwSignal<u64>,
    session: Session,
    keyring: Keyring,
) -> impl IntoView {
    let session = StoredValue::new(session);
    let keyring = StoredValue::new_local(keyring);
    let failed = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let close = move || {
        acting.set(None);
        failed.set(None);
        busy.set(false);
    };
    // Runs a rename or move; closes on success, shows the error otherwise (a move
    // of several items then goes on with only those that were not moved).
    let run = move |work: Work| {
        let (session, keyring) = (session.get_value(), keyring.get_value());
        busy.set(true);
        spawn_local(async move {
            let pod = Pod::new(&HTTP, Some(&session));
            let result = match &work {
                Work::Rename(item, name) => rename(&pod, &keyring, &item.url, name)
                    .await
                    .map_err(|e| format!("Cannot rename {}: {e}.", item.name)),
                Work::Move(items, target) => {
                    let failed = move_each(&session, &keyring, items, target).await;
                    if failed.is_empty() {
                        Ok(())
                    } else {
                        let messages = failed.iter().map(|(_, m)| m.clone()).collect::<Vec<_>>();
                        let left = failed.into_iter().map(|(item, _)| item).collect();
                        let _ = acting.try_set(Some(Acting::Move(left)));
                        Err(messages.join(" "))
                    }
                }
            };
            // The browser may have been closed (locked) meanwhile.
            let _ = done.try_update(|n| *n += 1);
            match result {
                Ok(()) => {
                    let _ = acting.try_set(None);
                    let _ = failed.try_set(None);
                }
                Err(message) => {
                    let _ = failed.try_set(Some(message));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    let error = move || {
        failed
            .get()
            .map(|message| view! { <p role="alert" class="error">{message}</p> })
    };
    move || {
        acting.get().map(|act| match act {
            Acting::Rename(item) => {
                let name = RwSignal::new(item.name.clone());
                let title = format!("Rename “{}”", item.name);
                let label = title.clone();
                view! {
                    <Modal label on_close=move |()| close() class="share-dialog rename-dialog">
                        <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            run(Work::Rename(item.clone(), name.get_untracked()));
                        }>
                            <h2>{title}</h2>
                            <label>
                                "New name"
                                <input type="text" prop:value=name on:input=move |ev| {
                                    name.set(event_target_value(&ev));
                                    // The last failure was about the name before.
                                    failed.set(None);
                                } />
                            </label>
                            <button type="submit" disabled=move || busy.get()>"Rename"</button>
                            <button type="button" class="secondary" on:click=move |_| close()>"Cancel"</button>
                        </form>
                        {error}
                    </Modal>
                }
                .into_any()
            }
            Acting::Move(items) => {
                let label = match items.as_slice() {
                    [item] => format!("Move “{}”", item.name),
                    several => format!("Move {} items", several.len()),
                };
                let root = root.clone();
                view! {
                    <Modal label on_close=move |()| close() class="share-dialog move-dialog">
                        <MovePicker items root run busy close=Callback::new(move |()| close()) session=session.get_value() keyring=keyring.get_value() />
                        {error}
                    </Modal>
                }
                .into_any()
            }
        })
    }
}

/// A rename or move to run.
enum Work {
    Rename(Item, String),
    Move(Vec<Item>, Url),
}

/// Browses the folders under `root` (not into the items moved) and moves `items`
/// (all from one folder) into the one shown on "Move here".
#[component]
fn MovePicker(
    items: Vec<Item>,
    root: (Url, String),
    run: impl Fn(Work) + Copy + 'static,
    busy: RwSignal<bool>,
    close: Callback<()>,
    session: Session,
    keyring: Keyring,
) -> impl IntoView {
    let path = RwSignal::new(vec![root]);
    let here = Memo::new(move |_| path.with(|p| p[p.len() - 1].0.clone()));
    let (session, keyring) = (StoredValue::new(session), StoredValue::new_local(keyring));
    let folders = LocalResource::new(move || {
        let folder = here.get();
        let (session, keyring) = (session.get_value(), keyring.get_value());
        async move {
            let pod = Pod::new(&HTTP, Some(&session));
            list_folder(&pod, &keyring, &folder)
                .await
                .map(|items| {
                    items
                        .into_iter()
                        .filter(|i| i.is_folder)
                        .collect::<Vec<_>>()
                })
                .map_err(|e| e.to_string())
        }
    });
    let parent = items.first().map(|item| parent_of(&item.url));
    let title = match items.as_slice() {
        [item] => format!("Move “{}”", item.name),
        several => format!("Move {} items", several.len()),
    };
    let inside = items.iter().map(|i| i.url.clone()).collect::<Vec<_>>();
    let moving = items;
    view! {
            <div class="share-bar">
                <h2>{title}</h2>
                <button type="button" class="secondary" on:click=move |_| close.run(())>"Cancel"</button>
            </div>
            <nav aria-label="Move to folder" class="breadcrumbs">
                {move || {
                    path.get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, (_, name))| view! {
                            <button type="button" class="link" on:click=move |_| path.update(|p| p.truncate(i + 1))>{name}</button>
                            <span class="sep">"/"</span>
                        })
                        .collect_view()
                }}
            </nav>
            <Transition fallback=|| view! { <p role="status">"Loading the folders…"</p> }>
                {move || {
                    folders.get().map(|found| match found {
                        Ok(found) => found
                            .into_iter()
                            .filter(|f| !inside.contains(&f.url))
                            .map(|f| {
                                let label = format!("Open {}", f.name);
                                view! {
                                    <button type="button" class="link folder" aria-label=label
                                        on:click=move |_| path.update(|p| p.push((f.url.clone(), f.name.clone())))>
                                        {f.name.clone()}
                                    </button>
                                }
                            })
                            .collect_view()
                            .into_any(),
                        Err(e) => view! { <p role="alert" class="error">{format!("Cannot list the folder: {e}.")}</p> }.into_any(),
                    })
                }}
            </Transition>
            <button
                type="button"
                disabled=move || busy.get() || Some(here.get()) == parent
                on:click=move |_| run(Work::Move(moving.clone(), here.get_untracked()))
            >
                "Move here"
            </button>
    }
}
