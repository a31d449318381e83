//! Moving by drag and drop (issue 17 item 2): a row dragged onto a folder's row
//! or onto a breadcrumb moves there, through the same `move_each` as "Move to…"
//! (so a move re-keys, and one out of a shared folder rotates, alike). Dragging
//! a selected row carries the whole selection.
//!
//! The drag carries only a marker type ([`DRAG_TYPE`]), no addresses or names
//! (another window or app it is dropped on learns nothing): what moves is kept
//! here. The upload drop zone tells such a drag from files dragged in from the
//! desktop by that type ([`is_internal`]), so a row dropped beside a target is
//! not taken for an upload.

use leptos::ev::DragEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use url::Url;

use super::rename_move::move_each;
use super::selection::Selection;
use super::toasts::Toasts;
use crate::auth::session::Session;
use crate::drive::Item;
use crate::keystore::Keyring;

/// The type a row's drag carries, and the only one.
#[cfg_attr(
    not(target_arch = "wasm32"),
    expect(dead_code, reason = "only the browser build reads drags")
)]
const DRAG_TYPE: &str = "application/x-solidcrypt-move";

/// Whether `ev` is a drag of rows of this app (not files from the desktop).
pub fn is_internal(ev: &DragEvent) -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        ev.data_transfer()
            .is_some_and(|d| d.types().includes(&DRAG_TYPE.into(), 0))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = ev;
        false
    }
}

/// Whether a `dragleave` only moved the pointer onto something inside the
/// element it left (the next element under the pointer is it or a child of it).
pub fn drag_stays_inside(ev: &DragEvent) -> bool {
    use leptos::wasm_bindgen::JsCast;
    let zone = ev
        .current_target()
        .and_then(|t| t.dyn_into::<leptos::web_sys::Node>().ok());
    let next = ev
        .related_target()
        .and_then(|t| t.dyn_into::<leptos::web_sys::Node>().ok());
    matches!((zone, next), (Some(zone), Some(next)) if zone.contains(Some(&next)))
}

/// The drag in progress in one file browser, and its handlers for rows
/// (`start`, `end`) and drop targets (`over`, `leave`, `drop`).
#[derive(Clone, Copy)]
pub struct DragMove {
    dragged: RwSignal<Vec<Item>>,
    over: RwSignal<Option<Url>>,
    selection: Selection,
    done: RwSignal<u64>,
    session: StoredValue<Session>,
    keyring: StoredValue<Keyring, LocalStorage>,
    toasts: Toasts,
}

impl DragMove {
    /// * `done`: bumped after a drop, so the listing reloads.
    pub fn new(
        selection: Selection,
        done: RwSignal<u64>,
        session: StoredValue<Session>,
        keyring: StoredValue<Keyring, LocalStorage>,
    ) -> Self {
        Self {
            dragged: RwSignal::new(Vec::new()),
            over: RwSignal::new(None),
            selection,
            done,
            session,
            keyring,
            toasts: Toasts::get(),
        }
    }

    /// `dragstart` on `item`'s row: it moves, or the whole selection if it is in it.
    pub fn start(self, item: Item) -> impl Fn(DragEvent) + 'static {
        move |ev| {
            let selected = self.selection.items();
            let items = if selected.iter().any(|i| i.url == item.url) {
                selected
            } else {
                vec![item.clone()]
            };
            self.dragged.set(items);
            #[cfg(target_arch = "wasm32")]
            if let Some(transfer) = ev.data_transfer() {
                // A link in the row would add its address: only the marker goes.
                let _ = transfer.clear_data();
                let _ = transfer.set_data(DRAG_TYPE, "");
                transfer.set_effect_allowed("move");
            }
            #[cfg(not(target_arch = "wasm32"))]
            let _ = ev;
        }
    }

    /// `dragend` on a row: the drag is over, dropped or not.
    pub fn end(self) -> impl Fn(DragEvent) + Copy + 'static {
        move |_| {
            self.dragged.set(Vec::new());
            self.over.set(None);
        }
    }

    /// `dragenter` and `dragover` on the folder `target` (`None`: a file's row,
    /// no target): a drag of rows may drop here.
    pub fn over(self, target: Option<Url>) -> impl Fn(DragEvent) + 'static {
        move |ev| {
            let Some(target) = &target else {
                return;
            };
            if !is_internal(&ev) || self.dragged.with_untracked(Vec::is_empty) {
                return;
            }
            ev.prevent_default();
            #[cfg(target_arch = "wasm32")]
            if let Some(transfer) = ev.data_transfer() {
                transfer.set_drop_effect("move");
            }
            if self.over.with_untracked(|o| o.as_ref() != Some(target)) {
                self.over.set(Some(target.clone()));
            }
        }
    }

    /// `dragleave` on a drop target: the highlight goes once the pointer is out.
    pub fn leave(self) -> impl Fn(DragEvent) + Copy + 'static {
        move |ev| {
            if !drag_stays_inside(&ev) {
                self.over.set(None);
            }
        }
    }

    /// Whether a drag of rows is over the folder `target` now (for its highlight).
    pub fn is_over(self, target: &Url) -> bool {
        self.over.with(|o| o.as_ref() == Some(target))
    }

    /// `drop` on the folder `target` (`None`: no target): the dragged items move
    /// there, one after another; each that cannot (onto itself, into its own
    /// folder, or the pod refusing) is said in a toast, and the others still move.
    pub fn drop(self, target: Option<Url>) -> impl Fn(DragEvent) + 'static {
        move |ev| {
            let Some(target) = &target else {
                return;
            };
            if !is_internal(&ev) {
                return;
            }
            ev.prevent_default();
            // Not also an upload in the drop zone around.
            ev.stop_propagation();
            self.over.set(None);
            let items = self.dragged.try_update(std::mem::take).unwrap_or_default();
            let (session, keyring) = (self.session.get_value(), self.keyring.get_value());
            let (target, toasts, done) = (target.clone(), self.toasts, self.done);
            spawn_local(async move {
                for (_, message) in move_each(&session, &keyring, &items, &target).await {
                    toasts.error(message);
                }
                let _ = done.try_update(|n| *n += 1);
            });
        }
    }
}
