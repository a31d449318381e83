//! The picture at the start of a row: a small thumbnail for an image, decrypted
//! in this tab, else the icon of its kind (see `icons`).
//!
//! A thumbnail is made only when its row comes on screen, at most [`AT_ONCE`] at
//! a time, and only for PNG, JPEG, GIF and WebP files of at most
//! [`MAX_SOURCE_BYTES`] (decrypting holds the whole file in memory for a moment;
//! SVG is left out: it is drawn to pixels only for a preview, see `raster`). The
//! image is decoded, drawn [`SIDE`] pixels at most into a canvas, and only that
//! small PNG is kept, as an object URL in a cache of [`KEEP`] entries for the
//! session: the oldest is revoked when a new one comes, and all of them when the
//! drive is locked or the user logs out ([`forget_thumbnails`]). A file that does
//! not decrypt (tampered, key gone, not an image) keeps its icon, quietly: the
//! listing is no place for an error about a picture.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use leptos::prelude::*;

use super::icons::{Kind, KindIcon};
use super::io::revoke;
use crate::auth::session::Session;
use crate::drive::Item;
use crate::keystore::Keyring;

/// The biggest image (plaintext bytes, as its keystore entry says) given a
/// thumbnail: it is decrypted whole into memory, two at a time at most.
const MAX_SOURCE_BYTES: u64 = 20 * 1024 * 1024;
/// The thumbnail's longest side in pixels (shown at half that, sharp on dense
/// screens).
#[cfg_attr(
    not(target_arch = "wasm32"),
    expect(dead_code, reason = "drawn in a browser only")
)]
const SIDE: u32 = 64;
/// Thumbnails kept for the session (some 10–30 KiB each).
const KEEP: usize = 200;
/// Images decrypted and drawn at the same time.
#[cfg_attr(
    not(target_arch = "wasm32"),
    expect(dead_code, reason = "drawn in a browser only")
)]
const AT_ONCE: usize = 2;
/// The image types drawn as thumbnails.
const DRAWN: &[&str] = &["image/png", "image/jpeg", "image/gif", "image/webp"];

/// Whether `item` gets a thumbnail: a readable file of a drawn type, small enough.
fn wants_thumbnail(item: &Item) -> bool {
    let media_type = item
        .media_type
        .as_deref()
        .and_then(|t| t.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase());
    item.known
        && !item.is_folder
        && media_type.is_some_and(|t| DRAWN.contains(&t.as_str()))
        && item.size.is_some_and(|size| size <= MAX_SOURCE_BYTES)
}

/// The most recently used `capacity` values by key; inserting beyond that hands
/// back the least recently used, for the caller to free.
struct Lru<V> {
    capacity: usize,
    /// Least recently used first.
    entries: VecDeque<(String, V)>,
}

impl<V: Clone> Lru<V> {
    const fn new(capacity: usize) -> Self {
        Self {
            capacity,
            entries: VecDeque::new(),
        }
    }

    /// The value of `key`, now the most recently used.
    fn get(&mut self, key: &str) -> Option<V> {
        let at = self.entries.iter().position(|(k, _)| k == key)?;
        let entry = self.entries.remove(at)?;
        let value = entry.1.clone();
        self.entries.push_back(entry);
        Some(value)
    }

    /// Keeps `value` for `key`; returns the values that went (an older value of
    /// `key`, and the least recently used ones over the capacity).
    fn insert(&mut self, key: String, value: V) -> Vec<V> {
        let mut gone = Vec::new();
        if let Some(at) = self.entries.iter().position(|(k, _)| *k == key) {
            gone.extend(self.entries.remove(at).map(|(_, v)| v));
        }
        self.entries.push_back((key, value));
        while self.entries.len() > self.capacity {
            gone.extend(self.entries.pop_front().map(|(_, v)| v));
        }
        gone
    }

    /// Empties the cache, handing back every value.
    fn drain(&mut self) -> Vec<V> {
        self.entries.drain(..).map(|(_, v)| v).collect()
    }
}

thread_local! {
    /// The session's thumbnails: an object URL each, or `None` for a file that
    /// gave none (so it is not decrypted again and again).
    static CACHE: RefCell<Lru<Option<String>>> = const { RefCell::new(Lru::new(KEEP)) };
    /// Bumped by [`forget_thumbnails`]: a thumbnail started before is not kept.
    static GENERATION: Cell<u64> = const { Cell::new(0) };
}

/// The cache's key of `item`: its address and last change (a file written again
/// at the same address gets a new picture).
fn cache_key(item: &Item) -> String {
    format!(
        "{} {}",
        item.url,
        item.modified.as_deref().unwrap_or_default()
    )
}

fn cached(key: &str) -> Option<Option<String>> {
    CACHE.with(|cache| cache.borrow_mut().get(key))
}

/// Keeps `made` for `key` if the cache was not emptied since `generation`, and
/// revokes what that pushes out; returns what the row shows.
#[cfg_attr(
    not(target_arch = "wasm32"),
    expect(dead_code, reason = "drawn in a browser only")
)]
fn keep(key: String, made: Option<String>, generation: u64) -> Option<String> {
    if GENERATION.with(Cell::get) != generation {
        if let Some(url) = made {
            revoke(&url);
        }
        return None;
    }
    let gone = CACHE.with(|cache| cache.borrow_mut().insert(key, made.clone()));
    for url in gone.into_iter().flatten() {
        revoke(&url);
    }
    made
}

/// Revokes every thumbnail of the session (the drive was locked, or the user
/// logged out): none of the pictures outlives the keys that decrypted them.
pub fn forget_thumbnails() {
    GENERATION.with(|g| g.set(g.get() + 1));
    for url in CACHE
        .with(|cache| cache.borrow_mut().drain())
        .into_iter()
        .flatten()
    {
        revoke(&url);
    }
}

/// The picture of a row: `item`'s thumbnail when it gets one (the icon until
/// then, and for good if it cannot be made), else the icon of its kind.
///
/// While `paused` holds (a name is being searched), no thumbnail starts: which
/// rows the filter brings on screen must not show in the pod's log. A thumbnail
/// already made is still shown; the others come once `paused` ends.
#[component]
pub fn ItemPicture(
    item: Item,
    session: Session,
    keyring: Keyring,
    #[prop(into)] paused: Signal<bool>,
) -> impl IntoView {
    let kind = Kind::of(item.is_folder, item.media_type.as_deref(), &item.name);
    if !wants_thumbnail(&item) {
        return view! { <span class="picture"><KindIcon kind /></span> }.into_any();
    }
    let key = cache_key(&item);
    let shown = RwSignal::new(cached(&key));
    let spot = NodeRef::<leptos::html::Span>::new();
    #[cfg(target_arch = "wasm32")]
    browser::draw_when_visible(spot, item, key, shown, paused, session, keyring);
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (key, session, keyring, paused);
    view! {
        <span class="picture" node_ref=spot>
            {move || match shown.get() {
                Some(Some(url)) => view! {
                    <img class="thumbnail" src=url alt="Thumbnail" on:error=move |_| shown.set(Some(None)) />
                }
                .into_any(),
                _ => view! { <KindIcon kind /> }.into_any(),
            }}
        </span>
    }
    .into_any()
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use std::cell::{Cell, RefCell};
    use std::collections::VecDeque;
    use std::future::poll_fn;
    use std::rc::Rc;
    use std::task::{Poll, Waker};

    use leptos::prelude::*;
    use leptos::task::spawn_local;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Blob, Element};

    use super::{keep, AT_ONCE, GENERATION, SIDE};
    use crate::app::drive::io::decrypt_image;
    use crate::auth::session::Session;
    use crate::drive::Item;
    use crate::keystore::Keyring;

    // Inline rather than `module = "/….js"`: a local JS module makes wasm-bindgen
    // take in the crate's package.json (the e2e tools' npm packages), which the
    // Argon2id worker's `no-modules` build of this same library refuses.
    #[wasm_bindgen(inline_js = r#"
const waiting = new Map();
let observer = null;

function settle(id, seen) {
  const found = waiting.get(id);
  if (!found) return;
  waiting.delete(id);
  observer.unobserve(found.element);
  found.resolve(seen);
}

/** Resolves with true once `element` is on screen (or near it), with false if
 * `forget(id)` comes first (the row went away). */
export function when_visible(element, id) {
  observer ??= new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) settle(Number(entry.target.dataset.thumbnail), true);
    }
  }, { rootMargin: '200px' });
  return new Promise((resolve) => {
    element.dataset.thumbnail = String(id);
    waiting.set(id, { element, resolve });
    observer.observe(element);
  });
}

/** Stops waiting for the element `when_visible(…, id)` watches. */
export function forget(id) {
  settle(id, false);
}

/** A PNG of `image` (a Blob of a raster image) no larger than `side` pixels
 * either way. Only the small picture is kept: the decoded bitmap is closed at
 * once. Rejects when the bytes are no image the browser can decode. */
export async function shrink(image, side) {
  const bitmap = await createImageBitmap(image);
  try {
    const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve, reject) =>
      canvas.toBlob((png) => (png ? resolve(png) : reject(new Error('no picture'))), 'image/png'));
  } finally {
    bitmap.close();
  }
}
"#)]
    extern "C" {
        fn when_visible(element: &Element, id: u32) -> js_sys::Promise;
        fn forget(id: u32);
        fn shrink(image: &Blob, side: u32) -> js_sys::Promise;
    }

    /// Images being drawn, and those waiting for their turn.
    #[derive(Default)]
    struct Turns {
        drawing: Cell<usize>,
        waiting: RefCell<VecDeque<Waker>>,
    }

    /// A turn to draw; dropping it lets the next one go.
    struct Turn(Rc<Turns>);

    impl Drop for Turn {
        fn drop(&mut self) {
            self.0.drawing.set(self.0.drawing.get() - 1);
            let next = self.0.waiting.borrow_mut().pop_front();
            if let Some(next) = next {
                next.wake();
            }
        }
    }

    thread_local! {
        static TURNS: Rc<Turns> = Rc::default();
        static NEXT_ID: Cell<u32> = const { Cell::new(0) };
    }

    /// Waits until fewer than [`AT_ONCE`] images are being drawn.
    async fn my_turn() -> Turn {
        let turns = TURNS.with(Rc::clone);
        poll_fn(|cx| {
            if turns.drawing.get() < AT_ONCE {
                turns.drawing.set(turns.drawing.get() + 1);
                Poll::Ready(())
            } else {
                turns.waiting.borrow_mut().push_back(cx.waker().clone());
                Poll::Pending
            }
        })
        .await;
        Turn(turns)
    }

    /// The object URL of `item`'s thumbnail, `Some(None)` if it cannot be made,
    /// or `None` if it was no longer `wanted` once its turn came (a pause began,
    /// or the row went: nothing was fetched).
    async fn draw(
        session: &Session,
        keyring: &Keyring,
        item: &Item,
        wanted: impl Fn() -> bool,
    ) -> Option<Option<String>> {
        let _turn = my_turn().await;
        if !wanted() {
            return None;
        }
        Some(drawn(session, keyring, item).await)
    }

    async fn drawn(session: &Session, keyring: &Keyring, item: &Item) -> Option<String> {
        let image = decrypt_image(
            session,
            keyring,
            &item.url,
            item.media_type.as_deref(),
            super::MAX_SOURCE_BYTES,
        )
        .await
        .ok()?;
        let small: Blob = JsFuture::from(shrink(&image, SIDE))
            .await
            .ok()?
            .dyn_into()
            .ok()?;
        web_sys::Url::create_object_url_with_blob(&small).ok()
    }

    /// Once the row's picture is on screen and nothing `paused` it, draws
    /// `item`'s thumbnail into `shown` (unless the cache already had its answer).
    pub(super) fn draw_when_visible(
        spot: NodeRef<leptos::html::Span>,
        item: Item,
        key: String,
        shown: RwSignal<Option<Option<String>>>,
        paused: Signal<bool>,
        session: Session,
        keyring: Keyring,
    ) {
        if shown.get_untracked().is_some() {
            return;
        }
        let id = NEXT_ID.with(|n| {
            n.set(n.get().wrapping_add(1));
            n.get()
        });
        // Bumped at every run of the effect below: only the latest watch draws.
        let watch = Rc::new(Cell::new(0u32));
        Effect::new(move || {
            let Some(element) = spot.get() else {
                return;
            };
            // A pause ends the watch (and a task waiting for its turn); its end
            // starts a new one.
            let mine = watch.get().wrapping_add(1);
            watch.set(mine);
            forget(id);
            if paused.get() || shown.get_untracked().is_some() {
                return;
            }
            let wanted = {
                let watch = Rc::clone(&watch);
                move || watch.get() == mine && paused.try_get_untracked() == Some(false)
            };
            let (item, key, session, keyring) =
                (item.clone(), key.clone(), session.clone(), keyring.clone());
            spawn_local(async move {
                let seen = JsFuture::from(when_visible(&element, id)).await;
                if seen.ok().and_then(|v| v.as_bool()) != Some(true) {
                    return;
                }
                let generation = GENERATION.with(Cell::get);
                if let Some(made) = draw(&session, &keyring, &item, wanted).await {
                    let _ = shown.try_set(Some(keep(key, made, generation)));
                }
            });
        });
        on_cleanup(move || forget(id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use url::Url;

    #[test]
    fn the_cache_hands_back_what_it_lets_go() {
        let mut cache = Lru::new(2);
        assert!(cache.insert("a".into(), 1).is_empty());
        assert!(cache.insert("b".into(), 2).is_empty());
        assert_eq!(cache.get("a"), Some(1), "a is now the most recent");
        assert_eq!(cache.insert("c".into(), 3), [2], "b was the least recent");
        assert_eq!(cache.get("b"), None);
        assert_eq!(cache.insert("c".into(), 4), [3], "an older value of c");
        assert_eq!(cache.get("c"), Some(4));
        let mut all = cache.drain();
        all.sort();
        assert_eq!(all, [1, 4]);
        assert_eq!(cache.get("a"), None);
    }

    #[test]
    fn only_small_readable_raster_images_get_thumbnails() {
        let item = |media_type: &str, size: u64| Item {
            url: Url::parse("https://pod.example/f/x").unwrap(),
            name: "x".into(),
            is_folder: false,
            size: Some(size),
            media_type: Some(media_type.into()),
            modified: None,
            known: true,
        };
        for drawn in ["image/png", "image/jpeg", "IMAGE/GIF", "image/webp; x=1"] {
            assert!(wants_thumbnail(&item(drawn, 10)), "{drawn}");
        }
        assert!(wants_thumbnail(&item("image/png", MAX_SOURCE_BYTES)));
        assert!(!wants_thumbnail(&item("image/png", MAX_SOURCE_BYTES + 1)));
        for not_drawn in [
            "image/svg+xml",
            "image/avif",
            "text/plain",
            "application/pdf",
        ] {
            assert!(!wants_thumbnail(&item(not_drawn, 10)), "{not_drawn}");
        }
        let unknown = Item {
            known: false,
            ..item("image/png", 10)
        };
        assert!(!wants_thumbnail(&unknown));
        let no_size = Item {
            size: None,
            ..item("image/png", 10)
        };
        assert!(!wants_thumbnail(&no_size));
    }
}
