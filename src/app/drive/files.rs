//! The file browser: breadcrumbs, the folder listing (name, size, date), new
//! folder, upload by button or drag-and-drop, download, preview and delete. The
//! folder shown is the one the address names (see `app::place`): opening a folder
//! or a breadcrumb is a link, so Back, Forward and reload walk folders. Selecting
//! rows (`selection`) and moving them by drag and drop (`drag_move`) are wired in
//! here, and live in their own files.

use leptos::prelude::*;
use leptos::task::spawn_local;
use url::Url;

use super::drag_move::{drag_stays_inside, is_internal, DragMove};
use super::dropped::{tree_from_input, tree_of_drop};
use super::editor::{Editing, TextEditor};
use super::io::{picked_from_drop, picked_from_input, save_file, save_zip, PreviewKind, HTTP};
use super::live::LiveFolder;
use super::locale::{name_order, remember_order, remembered_order, show_date, show_size};
use super::preview::{PreviewPane, Showing};
use super::rename_move::{Acting, RenameMoveDialog};
use super::resuming::IncompleteUpload;
use super::search::SearchResults;
use super::selection::{clear_on_escape, SelectBox, Selection, SelectionBar};
use super::thumbnails::ItemPicture;
use super::toasts::Toasts;
use super::uploads::{UploadList, Uploads};
use crate::app::errors::describe_errors;
use crate::app::place::{id_of, resolve};
use crate::app::share::ShareDialog;
use crate::auth::session::Session;
use crate::drive::order::{arrange, SortKey};
use crate::drive::{delete, list_folder, new_folder, open_text, Item, ListError};
use crate::keystore::Keyring;
use crate::pod::Pod;

/// One breadcrumb: a folder's address on the pod, its name, and its app address.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Crumb {
    url: Url,
    name: String,
    href: String,
}

/// The breadcrumbs from `root` down to the folder `ids` names, each named from the
/// keystores (or by its id, if no keystore knows it); `None` if an id names no
/// folder inside `root`.
fn crumbs(
    root: &(Url, String),
    base: &str,
    ids: &[String],
    keyring: &Keyring,
) -> Option<Vec<Crumb>> {
    let mut path = vec![Crumb {
        url: root.0.clone(),
        name: root.1.clone(),
        href: base.to_owned(),
    }];
    for (depth, id) in ids.iter().enumerate() {
        let url = resolve(&root.0, &ids[..=depth])?;
        let name = keyring
            .lookup(url.as_str())
            .map(|entry| entry.name)
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| id.clone());
        let href = format!("{}/{id}", path[depth].href);
        path.push(Crumb { url, name, href });
    }
    Some(path)
}

/// What the listing area of [`FileBrowser`] shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// The address names no folder.
    NoFolder,
    /// The last folder's listing, while the next one loads.
    Opening,
    Empty,
    Rows,
}

/// The unlocked drive.
///
/// * `session`: for every request.
/// * `keyring`: the unlocked keystores (cached; written through).
/// * `folders`: the ids of the folder shown, from `root` down (the address's).
/// * `base`: the app address of `root`; a folder's is `base/id/id…`.
/// * `root`: the top folder and its name in the breadcrumbs; by default the
///   user's own files ("My files"). A folder someone shared is browsed from its
///   own root, and offers no Share (only its owner can share it).
/// * `read_only`: a folder shared read-only: no upload, new folder, new text file,
///   edit or delete, since the owner's pod would refuse each of them (403).
#[component]
pub fn FileBrowser(
    session: Session,
    keyring: Keyring,
    folders: Signal<Vec<String>>,
    #[prop(into)] base: String,
    #[prop(optional)] root: Option<(Url, String)>,
    #[prop(optional)] read_only: bool,
) -> impl IntoView {
    let toasts = Toasts::get();
    let own = root.is_none();
    let root = root.unwrap_or_else(|| (keyring.layout().files(), "My files".to_owned()));
    let top = root.clone();
    let acting = RwSignal::new(None::<Acting>);
    let base = StoredValue::new(base);
    let sharing = RwSignal::new(None::<Item>);
    let reload = RwSignal::new(0u64);
    let uploads = Uploads::new();
    let showing = RwSignal::new(None::<Showing>);
    let confirming = RwSignal::new(None::<Url>);
    let editing = RwSignal::new(None::<Editing>);
    let session = StoredValue::new(session);
    let keyring = StoredValue::new_local(keyring);
    let path = Memo::new(move |_| {
        let ids = folders.get();
        keyring.with_value(|keyring| base.with_value(|base| crumbs(&root, base, &ids, keyring)))
    });
    // The folder shown, or `None` when the address names no folder here.
    let folder = Memo::new(move |_| path.with(|p| p.as_ref().map(|p| p[p.len() - 1].url.clone())));

    // Each listing says which folder it lists: while the next folder loads, the
    // rows of the last one are not shown (a click meant for the new rows would
    // otherwise land on an old row, and Share would open for the wrong item).
    let changed = super::DriveChanged::get();
    // Changes made elsewhere (a collaborator, another tab) re-read the listing,
    // one re-read at a time, and others' new files are announced once it shows
    // them (`live`).
    let live = LiveFolder::follow(session.get_value(), keyring.get_value(), folder, reload);
    let listing = LocalResource::new(move || {
        reload.track();
        changed.track();
        uploads.finished.track();
        let folder = folder.get();
        let (session, keyring) = (session.get_value(), keyring.get_value());
        let live_read = live.take_read();
        async move {
            let Some(folder) = folder else {
                return Ok(None);
            };
            let pod = Pod::new(&HTTP, Some(&session));
            // A keystore changed (a rename elsewhere): its names first.
            if live_read.as_ref().is_some_and(|r| r.names) {
                keyring
                    .refresh_for(&pod, &[folder.as_str()])
                    .await
                    .map_err(|e| ListError::Keystore(Box::new(e)))?;
            }
            let listed = list_folder(&pod, &keyring, &folder).await;
            drop(live_read);
            listed.map(|items| Some((folder, items)))
        }
    });
    // Counts the listings that arrived. Rows are kept from one listing to the next
    // (keyed), so what a row looks up by itself (an incomplete upload's state)
    // follows this to look again with each.
    let listed = Memo::new(move |n: Option<&u64>| {
        listing.track();
        n.map_or(0, |n| n + 1)
    });
    Effect::new(move || {
        let Some(Ok(Some((listed, items)))) = listing.try_get().flatten() else {
            return;
        };
        let name = path.with_untracked(|p| {
            p.as_ref()
                .filter(|p| p[p.len() - 1].url == listed)
                .map(|p| p[p.len() - 1].name.clone())
        });
        if let Some(name) = name {
            live.announce(&items, &name, toasts);
            // What the drive shows is seen: a shared folder's badge clears.
            crate::app::share::unseen::opened(session.get_value(), listed);
        }
    });
    // A listing that ended for another folder than the one now shown is fetched
    // again rather than waited for. (Seen in the e2e run after a reload into a
    // nested folder, rarely: the folder shown had changed and no new listing came.)
    Effect::new(move || {
        let listed = listing.get().and_then(|l| l.ok().flatten()).map(|(f, _)| f);
        if listed.is_some_and(|listed| folder.with(|f| f.as_ref() != Some(&listed))) {
            listing.refetch();
        }
    });

    let (folder_name, set_folder_name) = signal(String::new());
    let create_folder = Action::new_local(move |name: &String| {
        let (name, parent) = (name.clone(), folder.get_untracked());
        let (session, keyring) = (session.get_value(), keyring.get_value());
        async move {
            let Some(parent) = parent else {
                return;
            };
            let pod = Pod::new(&HTTP, Some(&session));
            match new_folder(&pod, &keyring, &parent, &name).await {
                Ok(_) => {
                    set_folder_name.set(String::new());
                    reload.update(|n| *n += 1);
                }
                Err(e) => toasts.error(format!("Cannot create the folder: {e}.")),
            }
        }
    });

    let remove = move |item: Item| {
        let (session, keyring) = (session.get_value(), keyring.get_value());
        spawn_local(async move {
            let pod = Pod::new(&HTTP, Some(&session));
            if let Err(e) = delete(&pod, &keyring, &item.url).await {
                toasts.error(format!("Cannot delete {}: {e}.", item.name));
            }
            confirming.set(None);
            reload.update(|n| *n += 1);
        });
    };

    let download = move |item: Item| {
        let (session, keyring) = (session.get_value(), keyring.get_value());
        spawn_local(async move {
            if let Err(e) = save_file(
                &session,
                &keyring,
                &item.url,
                &item.name,
                item.media_type.as_deref(),
            )
            .await
            {
                toasts.error(format!("Cannot download {}: {e}.", item.name));
                // It may have been deleted or replaced elsewhere: show the pod as it is now.
                reload.update(|n| *n += 1);
            }
        });
    };

    let download_zip = move |item: Item| {
        let (session, keyring) = (session.get_value(), keyring.get_value());
        spawn_local(async move {
            if let Err(e) = save_zip(&session, &keyring, &item.url, &item.name).await {
                toasts.error(format!("Cannot download {} as zip: {e}.", item.name));
            }
        });
    };

    let edit = move |item: Item| {
        let (session, keyring) = (session.get_value(), keyring.get_value());
        spawn_local(async move {
            let pod = Pod::new(&HTTP, Some(&session));
            let opened = open_text(&pod, &keyring, &item.url).await;
            // The browser may have been closed (locked, re-rendered) meanwhile.
            let Some(Some(folder)) = folder.try_get_untracked() else {
                return;
            };
            match opened {
                Ok(opened) => editing.set(Some(Editing {
                    folder,
                    existing: Some((item.url, opened.etag)),
                    name: item.name,
                    text: opened.text,
                })),
                Err(e) => toasts.error(format!("Cannot open {}: {e}.", item.name)),
            }
        });
    };

    // The app address of a folder listed here.
    let folder_href = move |item: &Item| {
        let here = path.with_untracked(|p| p.as_ref().map(|p| p[p.len() - 1].href.clone()));
        match (here, id_of(&item.url)) {
            (Some(here), Some(id)) => format!("{here}/{id}"),
            _ => base.get_value(),
        }
    };

    let add_files = move |files| {
        if let Some(folder) = folder.get_untracked() {
            uploads.start(&session.get_value(), &keyring.get_value(), &folder, files)
        }
    };
    let add_tree = move |tree| {
        if let Some(folder) = folder.get_untracked() {
            uploads.start_tree(&session.get_value(), &keyring.get_value(), &folder, tree)
        }
    };
    let (dragging, set_dragging) = signal(false);

    // The list's order (kept for this tab) and the name filter (for this folder:
    // opening another one clears it).
    let order = RwSignal::new(remembered_order());
    let sort_by = move |key: SortKey| {
        order.update(|o| *o = o.clicked(key));
        remember_order(order.get_untracked());
    };
    let filter = RwSignal::new(String::new());
    Effect::new(move || {
        folder.track();
        filter.set(String::new());
    });
    // The rows shown now, which the selection follows.
    let shown = Memo::new(move |_| {
        let listed = listing.try_get().flatten().and_then(Result::ok).flatten();
        match (
            listed,
            folder.try_get().flatten(),
            order.try_get(),
            filter.try_get(),
        ) {
            (Some((listed, items)), Some(here), Some(order), Some(filter)) if listed == here => {
                arrange(&items, order, &filter, name_order())
            }
            _ => Vec::new(),
        }
    });
    let selection = Selection::new(shown);
    // What the listing area shows (rows aside): a memo, so a re-read that keeps
    // the shape keeps the table and its rows (`For`, below).
    let shape = Memo::new(move |_| {
        listing.try_get().flatten().map(|result| {
            result.map(|listed| match listed {
                None => Shape::NoFolder,
                Some((listed, _)) if Some(&listed) != folder.try_get().flatten().as_ref() => {
                    Shape::Opening
                }
                Some((_, items)) if items.is_empty() => Shape::Empty,
                Some(_) => Shape::Rows,
            })
        })
    });
    // While a name is typed, no new thumbnail starts: a row the filter brings on
    // screen would otherwise be fetched, telling the pod which names match.
    let searching = Signal::derive(move || filter.with(|f| !f.trim().is_empty()));
    let drag = DragMove::new(selection, reload, session, keyring);
    let header = move |key: SortKey, label: &'static str, class: &'static str| {
        let arrow = move || match order.get().aria_sort(key) {
            "ascending" => "▲",
            "descending" => "▼",
            _ => "",
        };
        view! {
            <th class=class aria-sort=move || order.get().aria_sort(key)>
                <button type="button" class="sort" on:click=move |_| sort_by(key)>
                    {label}<span class="arrow" aria-hidden="true">{arrow}</span>
                </button>
            </th>
        }
    };

    let row = move |item: Item| {
        let name = item.name.clone();
        let size = item.size.map(show_size).unwrap_or_default();
        let date = item.modified.as_deref().map(show_date).unwrap_or_default();
        let previewable =
            item.known && !item.is_folder && PreviewKind::of(item.media_type.as_deref()).is_some();
        let editable = !read_only
            && item.known
            && !item.is_folder
            && item
                .media_type
                .as_deref()
                .is_some_and(|t| t.starts_with("text/plain"));
        let name_cell = if item.is_folder {
            view! { <a class="folder" href=folder_href(&item)>{name.clone()}</a> }.into_any()
        } else if item.known && item.url.path().ends_with('/') && !read_only {
            view! {
                <span class="file">{name.clone()}</span>
                <IncompleteUpload item=item.clone() session=session.get_value()
                    keyring=keyring.get_value() reload listed />
            }
            .into_any()
        } else if item.known {
            view! { <span class="file">{name.clone()}</span> }.into_any()
        } else {
            view! {
                <span class="file unknown">{name.clone()}</span>
                <span class="badge">"not readable: no key"</span>
            }
            .into_any()
        };
        let (for_download, for_preview, for_delete, for_confirm) =
            (item.clone(), item.clone(), item.clone(), item.clone());
        let url = item.url.clone();
        let actions = move || {
            if confirming.get().as_ref() == Some(&url) {
                let item = for_confirm.clone();
                let what = if item.is_folder {
                    "folder and everything in it"
                } else {
                    "file"
                };
                // The confirmation takes the focus, so a keyboard user answers it at once.
                let confirm = NodeRef::<leptos::html::Button>::new();
                Effect::new(move || {
                    if let Some(button) = confirm.get() {
                        let _ = button.focus();
                    }
                });
                view! {
                    <span class="confirm">{format!("Delete this {what}?")}</span>
                    <button type="button" class="danger" node_ref=confirm aria-label=format!("Confirm delete {}", item.name)
                        on:click=move |_| remove(item.clone())>"Delete"</button>
                    <button type="button" class="secondary" on:click=move |_| confirming.set(None)>"Keep"</button>
                }
                .into_any()
            } else {
                let (d, p, x) = (
                    for_download.clone(),
                    for_preview.clone(),
                    for_delete.clone(),
                );
                let e = p.clone();
                let z = d.clone();
                let s = x.clone();
                let r = x.clone();
                view! {
                    <Show when=move || d.known && !d.is_folder>
                        {
                            let d = d.clone();
                            view! {
                                <button type="button" class="secondary" aria-label=format!("Download {}", d.name)
                                    on:click=move |_| download(d.clone())>"Download"</button>
                            }
                        }
                    </Show>
                    <Show when=move || z.known && z.is_folder>
                        {
                            let z = z.clone();
                            view! {
                                <button type="button" class="secondary" aria-label=format!("Download {} as zip", z.name)
                                    on:click=move |_| download_zip(z.clone())>"Download as zip"</button>
                            }
                        }
                    </Show>
                    <Show when=move || previewable>
                        {
                            let p = p.clone();
                            view! {
                                <button type="button" class="secondary" aria-label=format!("Preview {}", p.name)
                                    on:click=move |_| showing.set(Some(Showing::from_item(&p)))>"Preview"</button>
                            }
                        }
                    </Show>
                    <Show when=move || editable>
                        {
                            let e = e.clone();
                            view! {
                                <button type="button" class="secondary" aria-label=format!("Edit {}", e.name)
                                    on:click=move |_| edit(e.clone())>"Edit"</button>
                            }
                        }
                    </Show>
                    <Show when=move || own && s.known>
                        {
                            let s = s.clone();
                            view! {
                                <button type="button" class="secondary" aria-label=format!("Share {}", s.name)
                                    on:click=move |_| sharing.set(Some(s.clone()))>"Share"</button>
                            }
                        }
                    </Show>
                    <Show when=move || !read_only && r.known>
                        {
                            let (rename, relocate) = (r.clone(), r.clone());
                            view! {
                                <button type="button" class="secondary" aria-label=format!("Rename {}", r.name)
                                    on:click=move |_| acting.set(Some(Acting::Rename(rename.clone())))>"Rename"</button>
                                <button type="button" class="secondary" aria-label=format!("Move {}", r.name)
                                    on:click=move |_| acting.set(Some(Acting::Move(vec![relocate.clone()])))>"Move to…"</button>
                            }
                        }
                    </Show>
                    <Show when=move || !read_only>
                        {
                            let url = x.url.clone();
                            view! {
                                <button type="button" class="secondary" aria-label=format!("Delete {}", x.name)
                                    on:click=move |_| confirming.set(Some(url.clone()))>"Delete"</button>
                            }
                        }
                    </Show>
                }
                .into_any()
            }
        };
        // The pod address (a random name) lets tests and curious users find the
        // ciphertext; it reveals nothing the pod does not already know.
        let pod_url = item.url.to_string();
        let target = item.is_folder.then(|| item.url.clone());
        let over = target.clone();
        view! {
            <tr data-url=pod_url draggable=if read_only { "false" } else { "true" }
                on:dragstart=drag.start(item.clone()) on:dragend=drag.end()
                on:dragenter=drag.over(target.clone()) on:dragover=drag.over(target.clone())
                on:dragleave=drag.leave() on:drop=drag.drop(target)
                class:drop-target=move || over.as_ref().is_some_and(|o| drag.is_over(o))>
                <td class="name">
                    <SelectBox selection item=item.clone() />
                    <ItemPicture item=item.clone() session=session.get_value() keyring=keyring.get_value() paused=searching />
                    {name_cell}
                </td>
                <td class="size">{size}</td>
                <td class="date">{date}</td>
                <td class="actions">{actions}</td>
            </tr>
        }
    };

    view! {
        <div
            class="file-browser dropzone"
            class:dragging=dragging
            role="region"
            aria-label="Drop files here to upload"
            on:keydown=clear_on_escape(selection)
            // A row dragged within the app is no upload (`drag_move`).
            on:dragenter=move |ev: leptos::ev::DragEvent| {
                if is_internal(&ev) {
                    return;
                }
                ev.prevent_default();
                set_dragging.set(true);
            }
            on:dragover=move |ev: leptos::ev::DragEvent| {
                if is_internal(&ev) {
                    return;
                }
                ev.prevent_default();
                set_dragging.set(true);
            }
            on:dragleave=move |ev: leptos::ev::DragEvent| {
                // Moving onto a child of the zone also fires `dragleave`; only
                // leaving the zone itself ends the highlight (no flicker).
                if !drag_stays_inside(&ev) {
                    set_dragging.set(false);
                }
            }
            on:drop=move |ev: leptos::ev::DragEvent| {
                if is_internal(&ev) {
                    return;
                }
                ev.prevent_default();
                set_dragging.set(false);
                if read_only {
                    toasts.error("This folder was shared read-only: you cannot add files to it.");
                } else if let Some(reading) = tree_of_drop(&ev) {
                    // Uploads need this component's context (toasts) after the await.
                    let owner = Owner::current();
                    leptos::task::spawn_local(async move {
                        match reading.await {
                            Ok(tree) => match owner {
                                Some(owner) => owner.with(|| add_tree(tree)),
                                None => add_tree(tree),
                            },
                            Err(e) => toasts.error(format!("Cannot read the dropped folder: {e}.")),
                        }
                    });
                } else {
                    add_files(picked_from_drop(&ev));
                }
            }
        >
            <nav aria-label="Breadcrumbs" class="breadcrumbs">
                {move || {
                    let crumbs = path.get().unwrap_or_default();
                    let last = crumbs.len().saturating_sub(1);
                    crumbs
                        .into_iter()
                        .enumerate()
                        .map(|(i, crumb)| {
                            if i == last {
                                view! { <span aria-current="page">{crumb.name}</span> }.into_any()
                            } else {
                                let (target, over) = (Some(crumb.url.clone()), crumb.url);
                                view! {
                                    <a href=crumb.href
                                        on:dragenter=drag.over(target.clone()) on:dragover=drag.over(target.clone())
                                        on:dragleave=drag.leave() on:drop=drag.drop(target)
                                        class:drop-target=move || drag.is_over(&over)>{crumb.name}</a>
                                    <span class="sep" aria-hidden="true">"›"</span>
                                }
                                .into_any()
                            }
                        })
                        .collect_view()
                }}
            </nav>
            <Show when=move || !read_only>
            <div class="drive-tools">
                <form class="new-folder" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    create_folder.dispatch_local(folder_name.get());
                }>
                    <label>
                        "Folder name"
                        <input type="text" prop:value=folder_name on:input=move |ev| set_folder_name.set(event_target_value(&ev)) />
                    </label>
                    <button type="submit" disabled=move || create_folder.pending().get()>"Create folder"</button>
                </form>
                <button
                    type="button"
                    class="secondary"
                    on:click=move |_| {
                        if let Some(folder) = folder.get_untracked() {
                            editing.set(Some(Editing {
                                existing: None,
                                folder,
                                name: String::new(),
                                text: String::new(),
                            }));
                        }
                    }
                >
                    "New text file"
                </button>
                <label class="upload-button">
                    <span aria-hidden="true">"⇪"</span>
                    "Upload files"
                    <input type="file" class="visually-hidden" multiple on:change=move |ev| add_files(picked_from_input(&ev)) />
                </label>
                <label class="upload-button">
                    <span aria-hidden="true">"⇪"</span>
                    "Upload folder"
                    <input type="file" class="visually-hidden" prop:webkitdirectory=true multiple
                        on:change=move |ev| add_tree(tree_from_input(&ev)) />
                </label>
            </div>
            </Show>
            <div class="listing-area">
                <div class="list-filter">
                    <label>
                        "Filter by name"
                        <input type="search" aria-describedby="list-filter-hint" prop:value=filter
                            on:input=move |ev| filter.set(event_target_value(&ev)) />
                    </label>
                    <p class="hint" id="list-filter-hint">
                        {format!(
                            "Names are decrypted in this browser, so the filter (this folder) and the search (all of {}, below it) run here: what you type is never sent to your pod.",
                            top.1,
                        )}
                    </p>
                </div>
                <UploadList uploads session=session.get_value() keyring=keyring.get_value() />
                <SelectionBar selection rows=shown read_only own sharing acting done=reload
                    session=session.get_value() keyring=keyring.get_value() />
                <Transition fallback=|| view! { <p role="status">"Loading the folder…"</p> }>
                    <ErrorBoundary fallback=move |errors| {
                        view! {
                            <p role="alert" class="error">
                                {move || describe_errors(&errors, "Cannot show this folder")}
                            </p>
                            <button type="button" class="secondary" on:click=move |_| reload.update(|n| *n += 1)>
                                "Try again"
                            </button>
                        }
                    }>
                        // Only the waiting and the errors: what is shown comes from
                        // `shape` and `shown` below, which a re-read of the same
                        // folder leaves as they were where nothing changed.
                        {move || listing.try_get().flatten().map(|r| r.map(|_| ()))}
                    </ErrorBoundary>
                </Transition>
                {move || match shape.try_get().flatten() {
                    Some(Ok(Shape::NoFolder)) => view! {
                        <p role="alert" class="error">"This address names no folder here."</p>
                        <a href=base.get_value()>"Go to the top folder"</a>
                    }
                    .into_any(),
                    // An older listing while the folder shown changes.
                    Some(Ok(Shape::Opening)) => view! { <p role="status">"Opening the folder…"</p> }.into_any(),
                    Some(Ok(Shape::Empty)) => view! {
                        <p class="empty">
                            {if read_only {
                                "This folder is empty."
                            } else {
                                "This folder is empty. Upload files (or drop them here) or create a folder."
                            }}
                        </p>
                    }
                    .into_any(),
                    Some(Ok(Shape::Rows)) => view! {
                        <table class="listing" aria-label="Files">
                            <thead>
                                <tr>
                                    {header(SortKey::Name, "Name", "name")}
                                    {header(SortKey::Size, "Size", "size")}
                                    {header(SortKey::Modified, "Modified", "date")}
                                    <th><span class="visually-hidden">"Actions"</span></th>
                                </tr>
                            </thead>
                            <tbody>
                                <Show when=move || shown.with(|rows| !rows.is_empty()) fallback=move || view! {
                                    <tr><td colspan="4" class="empty" role="status">
                                        {format!("No name in this folder holds “{}”.", filter.get_untracked().trim())}
                                    </td></tr>
                                }>
                                    // Keyed by the whole item: a re-read rebuilds only the
                                    // rows that changed (a renamed file), the others keep
                                    // their elements, so focus and scroll stay.
                                    <For each=move || shown.get() key=|item: &Item| item.clone() children=row />
                                </Show>
                            </tbody>
                        </table>
                    }
                    .into_any(),
                    // Loading (the Transition says so) or failed (the boundary does).
                    Some(Err(_)) | None => ().into_any(),
                }}
                <SearchResults query=filter keyring=keyring.get_value() top=top.clone() base=base.get_value()
                    here=folder changed=Signal::derive(move || reload.get() + uploads.finished.get()) />
            </div>
            <PreviewPane showing session=session.get_value() keyring=keyring.get_value() />
            <TextEditor editing saved=reload session=session.get_value() keyring=keyring.get_value() />
            <ShareDialog sharing session=session.get_value() keyring=keyring.get_value() />
            <RenameMoveDialog acting root=top.clone() done=reload session=session.get_value() keyring=keyring.get_value() />
        </div>
    }
}
