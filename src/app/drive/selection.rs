//! Multi-select in the file browser (issue 17 item 4): a checkbox on each row,
//! "Select all", and a bar of actions on what is selected: Delete (one
//! confirmation for all), Move to… (the single move's folder picker), Download
//! (each file in turn, through the single download's path) and Share (one item
//! at a time: a share is made for one file or folder). Kept apart from the
//! listing so `files` only places the checkboxes and the bar.
//!
//! The selection only ever holds rows shown now: opening another folder, a
//! re-listing without an item (deleted, moved, here or elsewhere) or a filter
//! hiding it drops it, so an action never reaches something the user cannot see.

use leptos::prelude::*;
use leptos::task::spawn_local;
use url::Url;

use super::io::{save_file, HTTP};
use super::rename_move::Acting;
use super::toasts::Toasts;
use crate::app::modal::Modal;
use crate::auth::session::Session;
use crate::drive::{delete, Item};
use crate::keystore::Keyring;
use crate::pod::Pod;

/// The items selected, in the listing's order.
#[derive(Debug, Clone, Copy)]
pub struct Selection {
    chosen: RwSignal<Vec<Item>>,
}

impl Selection {
    /// An empty selection that follows `rows`, the rows shown now: an item no
    /// longer among them is dropped (and one still there takes its fresh row,
    /// a new name after a rename, say).
    pub fn new(rows: Memo<Vec<Item>>) -> Self {
        let chosen = RwSignal::new(Vec::<Item>::new());
        Effect::new(move || {
            let Some(rows) = rows.try_get() else {
                return;
            };
            let kept = chosen.with_untracked(|chosen| {
                rows.into_iter()
                    .filter(|row| chosen.iter().any(|i| i.url == row.url))
                    .collect::<Vec<_>>()
            });
            if chosen.with_untracked(|chosen| *chosen != kept) {
                chosen.set(kept);
            }
        });
        Self { chosen }
    }

    /// Whether the item at `url` is selected (tracked).
    pub fn has(&self, url: &Url) -> bool {
        self.chosen
            .try_with(|c| c.iter().any(|i| &i.url == url))
            .unwrap_or(false)
    }

    /// The items selected now (not tracked).
    pub fn items(&self) -> Vec<Item> {
        self.chosen.get_untracked()
    }

    fn count(&self) -> usize {
        self.chosen.with(Vec::len)
    }

    fn set(&self, item: &Item, on: bool) {
        self.chosen.update(|c| {
            c.retain(|i| i.url != item.url);
            if on {
                c.push(item.clone());
            }
        });
    }

    fn clear(&self) {
        if self.chosen.with_untracked(|c| !c.is_empty()) {
            self.chosen.set(Vec::new());
        }
    }
}

/// For the browser's `keydown`: Escape clears the selection, unless it was
/// meant for a dialog (which closes on it).
pub fn clear_on_escape(selection: Selection) -> impl Fn(leptos::ev::KeyboardEvent) + Copy {
    move |ev| {
        if ev.key() == "Escape" && !in_dialog(&ev) {
            selection.clear();
        }
    }
}

/// Whether the event began inside a dialog.
fn in_dialog(ev: &leptos::ev::KeyboardEvent) -> bool {
    use leptos::wasm_bindgen::JsCast;
    ev.target()
        .and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok())
        .and_then(|el| el.closest("dialog, [role=dialog]").ok().flatten())
        .is_some()
}

/// A row's checkbox, named for the item.
#[component]
pub fn SelectBox(selection: Selection, item: Item) -> impl IntoView {
    let label = format!("Select {}", item.name);
    let url = item.url.clone();
    view! {
        <input type="checkbox" class="select" aria-label=label
            prop:checked=move || selection.has(&url)
            on:change=move |ev| selection.set(&item, event_target_checked(&ev)) />
    }
}

/// "Select all" and, while something is selected, what can be done with it.
///
/// * `rows`: the rows shown now ("Select all" selects them).
/// * `read_only`: a folder shared read-only: only Download.
/// * `own`: the user's own files: only they offer Share.
/// * `sharing`, `acting`: the Share and Move dialogs of the browser.
/// * `done`: bumped after a delete, so the listing reloads.
#[component]
pub fn SelectionBar(
    selection: Selection,
    rows: Memo<Vec<Item>>,
    read_only: bool,
    own: bool,
    sharing: RwSignal<Option<Item>>,
    acting: RwSignal<Option<Acting>>,
    done: RwSignal<u64>,
    session: Session,
    keyring: Keyring,
) -> impl IntoView {
    let toasts = Toasts::get();
    let session = StoredValue::new(session);
    let keyring = StoredValue::new_local(keyring);
    let confirming = RwSignal::new(false);
    // While deleting: how many are done, of how many.
    let deleting = RwSignal::new(None::<(usize, usize)>);
    // What Download left out (folders, files without a key).
    let note = RwSignal::new(None::<String>);
    Effect::new(move || {
        if selection.count() == 0 {
            note.set(None);
        }
    });

    let all = move || {
        let (n, shown) = (selection.count(), rows.with(Vec::len));
        (n > 0 && n == shown, n > 0 && n < shown)
    };
    let select_all = move |on: bool| {
        if on {
            selection.chosen.set(rows.get_untracked());
        } else {
            selection.clear();
        }
    };

    // Deletes each selected item in turn; one failing is reported and the others
    // still go. The failed ones stay in the listing, and so stay selected.
    let delete_all = move || {
        let items = selection.items();
        let (session, keyring) = (session.get_value(), keyring.get_value());
        spawn_local(async move {
            let pod = Pod::new(&HTTP, Some(&session));
            for (i, item) in items.iter().enumerate() {
                let _ = deleting.try_set(Some((i, items.len())));
                // `delete` removes the keys only once the file is gone from the pod.
                if let Err(e) = delete(&pod, &keyring, &item.url).await {
                    toasts.error(format!("Cannot delete {}: {e}.", item.name));
                }
            }
            let _ = deleting.try_set(None);
            let _ = confirming.try_set(false);
            let _ = done.try_update(|n| *n += 1);
        });
    };

    // Downloads the selected files one after another through the single
    // download's path; what cannot be downloaded so is said, not skipped silently.
    let download_all = move || {
        let items = selection.items();
        let (files, left): (Vec<_>, Vec<_>) =
            items.into_iter().partition(|i| i.known && !i.is_folder);
        let folders = names(left.iter().filter(|i| i.is_folder));
        let unreadable = names(left.iter().filter(|i| !i.is_folder));
        let mut said = Vec::new();
        if !folders.is_empty() {
            said.push(format!(
                "Folders are not downloaded yet (one zip for a folder is planned): {folders}."
            ));
        }
        if !unreadable.is_empty() {
            said.push(format!("Not readable (no key): {unreadable}."));
        }
        note.set((!said.is_empty()).then(|| said.join(" ")));
        let (session, keyring) = (session.get_value(), keyring.get_value());
        spawn_local(async move {
            for item in files {
                let saved = save_file(
                    &session,
                    &keyring,
                    &item.url,
                    &item.name,
                    item.media_type.as_deref(),
                )
                .await;
                if let Err(e) = saved {
                    toasts.error(format!("Cannot download {}: {e}.", item.name));
                }
            }
        });
    };

    // Share is for one item: the one selected, if it has a key.
    let one = move || match selection.chosen.get().as_slice() {
        [item] if item.known => Some(item.clone()),
        _ => None,
    };

    view! {
        <Show when=move || !rows.with(Vec::is_empty)>
            <div class="selection-bar" role="group" aria-label="Selection">
                <label class="select-all">
                    <input type="checkbox" prop:checked=move || all().0 prop:indeterminate=move || all().1
                        on:change=move |ev| select_all(event_target_checked(&ev)) />
                    "Select all"
                </label>
                <Show when=move || { selection.count() > 0 }>
                    <span class="count" aria-live="polite">{move || format!("{} selected", selection.count())}</span>
                    <Show when=move || !read_only>
                        <button type="button" class="secondary" on:click=move |_| confirming.set(true)>"Delete"</button>
                        <button type="button" class="secondary"
                            on:click=move |_| acting.set(Some(Acting::Move(selection.items())))>"Move to…"</button>
                    </Show>
                    <button type="button" class="secondary" on:click=move |_| download_all()>"Download"</button>
                    <Show when=move || own>
                        <button type="button" class="secondary" aria-describedby="share-one-hint"
                            disabled=move || one().is_none() on:click=move |_| sharing.set(one())>"Share"</button>
                        <span class="hint" id="share-one-hint">
                            {move || if selection.count() > 1 { "Share works on one item at a time: select only one." } else { "" }}
                        </span>
                    </Show>
                    <button type="button" class="secondary" on:click=move |_| selection.clear()>"Clear selection"</button>
                </Show>
                <p class="hint" aria-live="polite">{move || note.get()}</p>
            </div>
        </Show>
        <Show when=move || confirming.get()>
            {move || {
                let items = selection.items();
                let title = format!("Delete {} items", items.len());
                let question = format!("Delete these {} items?", items.len());
                let list = items
                    .iter()
                    .map(|i| {
                        let what = if i.is_folder { " (folder, with everything in it)" } else { "" };
                        view! { <li>{format!("{}{what}", i.name)}</li> }
                    })
                    .collect_view();
                view! {
                    <Modal label=title.clone() class="confirm-many" on_close=move |_| confirming.set(false)>
                        <h2>{question}</h2>
                        <ul class="names">{list}</ul>
                        <p aria-live="polite">
                            {move || deleting.get().map(|(i, n)| format!("Deleting {} of {n}…", i + 1))}
                        </p>
                        <button type="button" class="danger" disabled=move || deleting.get().is_some()
                            on:click=move |_| delete_all()>{title.clone()}</button>
                        <button type="button" class="secondary" disabled=move || deleting.get().is_some()
                            on:click=move |_| confirming.set(false)>"Keep"</button>
                    </Modal>
                }
            }}
        </Show>
    }
}

/// The items' names, for a note.
fn names<'a>(items: impl Iterator<Item = &'a Item>) -> String {
    items
        .map(|i| format!("“{}”", i.name))
        .collect::<Vec<_>>()
        .join(", ")
}
