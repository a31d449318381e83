//! A temporary file for a big upload's ciphertext or a big download's plaintext, so
//! the tab's memory stays bounded whatever the file size.
//!
//! Blob parts (the obvious alternative) live in the browser process's memory and
//! page to disk only past a limit that is a fraction of physical RAM (never in an
//! incognito window), so a 1 GiB file cost ≈1.2 GiB of browser memory. The spool
//! writes to the origin private file system (OPFS) instead, in writes of a few MiB,
//! one in flight while the next is encrypted; the finished file is a disk-backed
//! `File` that `fetch` uploads and `<a download>` saves by reading it from disk.
//!
//! When OPFS is missing (old browser, storage blocked) or the quota estimate says
//! the file will not fit, the spool keeps the bytes as Blob parts in memory
//! instead, as before; the caller does not see the difference. A write that fails
//! once on disk is an error (the bytes before it are gone with the aborted file),
//! and the operation can simply be retried. Files live in one OPFS folder; each is
//! removed when its operation ends, and any older than an hour (left by a closed
//! tab) is swept when the page first opens a spool. Plaintext never outlives the
//! unlocked drive either: [`remove_all`] deletes this tab's files at lock and
//! logout, and [`sweep_orphans`] those of tabs that are gone (a crash leaves its
//! files behind) when the app starts. A file's name starts with its tab's id, and
//! each tab holds a Web Lock named after it for as long as it lives.

use std::cell::Cell;

use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

use super::stream::StreamError;

#[wasm_bindgen(inline_js = r#"
const DIR = 'solidcrypt-spool';
const STALE_MS = 60 * 60 * 1000;
const WRITE_AT = 8 * 1024 * 1024;
const SPARE = 64 * 1024 * 1024;
let swept = null;
// This tab: its files are named `${TAB}-….tmp`, and it holds the lock
// `solidcrypt-spool-${TAB}` until it closes or crashes.
const TAB = randomName().slice(0, 16);
const LOCK_PREFIX = 'solidcrypt-spool-';
const live = new Set();
let tabLock = null;

function holdTabLock() {
  tabLock ??= navigator.locks
    ? new Promise((held) => navigator.locks.request(LOCK_PREFIX + TAB, () => {
      held();
      return new Promise(() => {});
    }))
    : Promise.resolve();
  return tabLock;
}

async function spoolDirectory() {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(DIR, { create: true });
}

export async function spool_sweep(olderThan) {
  const dir = await spoolDirectory();
  const now = Date.now();
  for await (const [name, handle] of dir.entries()) {
    try {
      if (now - (await handle.getFile()).lastModified >= olderThan) await dir.removeEntry(name);
    } catch (_) { /* in use by another tab, or gone already */ }
  }
}

function randomName() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('') + '.tmp';
}

export async function spool_open(disk, expected) {
  const spool = { dir: null, name: null, handle: null, writable: null, removed: false,
    memory: [], pending: [], pendingLength: 0, spare: [], chain: Promise.resolve() };
  if (!disk) return spool;
  try {
    const estimate = await navigator.storage.estimate();
    if (estimate.quota - estimate.usage < expected + SPARE) throw new Error('not enough quota');
    const dir = await spoolDirectory();
    swept ??= spool_sweep(STALE_MS).catch(() => {});
    await swept;
    await holdTabLock();
    spool.dir = dir;
    spool.name = `${TAB}-${randomName()}`;
    live.add(spool);
    spool.handle = await dir.getFileHandle(spool.name, { create: true });
    spool.writable = await spool.handle.createWritable();
  } catch (e) {
    console.warn(`solidcrypt: no temporary file (${e && e.name}); keeping the file in memory`);
    await discard(spool);
  }
  return spool;
}

export function spool_on_disk(spool) {
  return spool.dir !== null;
}

// Two buffers take turns (one being written, one being filled), instead of a new
// 8 MiB array per write left for the garbage collector.
function flush(spool) {
  const length = spool.pendingLength;
  let buffer = spool.spare.pop();
  if (!buffer || buffer.byteLength < length) buffer = new Uint8Array(Math.max(length, WRITE_AT + WRITE_AT / 4));
  const view = buffer.subarray(0, length);
  let at = 0;
  for (const part of spool.pending) {
    view.set(part, at);
    at += part.byteLength;
  }
  spool.pending = [];
  spool.pendingLength = 0;
  const previous = spool.chain;
  spool.chain = previous.then(async () => {
    if (spool.removed) throw new Error('the temporary file was removed');
    const start = performance.now();
    // Both copy the bytes before they resolve, so the buffer is free again after.
    if (spool.writable) await spool.writable.write(view);
    else spool.memory.push(new Blob([view]));
    spool.spare.push(buffer);
    try {
      performance.measure('solidcrypt:spool-write', { start, end: performance.now() });
    } catch (_) { /* no User Timing Level 3 */ }
  });
  // Surfaces at the next push or at finish; not an unhandled rejection meanwhile.
  spool.chain.catch(() => {});
  return previous;
}

export function spool_push(spool, parts) {
  for (let i = 0; i < parts.length; i++) {
    spool.pending.push(parts[i]);
    spool.pendingLength += parts[i].byteLength;
  }
  return spool.pendingLength >= WRITE_AT ? flush(spool) : Promise.resolve();
}

export async function spool_finish(spool, type) {
  if (spool.pendingLength > 0) flush(spool);
  await spool.chain;
  if (spool.removed) throw new Error('the temporary file was removed');
  if (!spool.dir) return new Blob(spool.memory, { type });
  const writable = spool.writable;
  spool.writable = null;
  await writable.close();
  return new Blob([await spool.handle.getFile()], { type });
}

export function spool_remove(spool) {
  spool.removed = true;
  return discard(spool);
}

async function discard(spool) {
  const { dir, name, writable } = spool;
  spool.writable = null;
  spool.memory = [];
  spool.pending = [];
  spool.pendingLength = 0;
  spool.spare = [];
  if (writable) {
    try { await writable.abort(); } catch (_) { /* failed already */ }
  }
  if (dir) {
    try { await dir.removeEntry(name); } catch (_) { /* never created */ }
  }
  spool.dir = null;
  live.delete(spool);
}

export async function spool_remove_all() {
  for (const spool of [...live]) await spool_remove(spool);
  const dir = await spoolDirectory();
  for await (const [name] of dir.entries()) {
    if (!name.startsWith(`${TAB}-`)) continue;
    try { await dir.removeEntry(name); } catch (_) { /* gone already */ }
  }
}

export async function spool_sweep_orphans() {
  if (!navigator.locks) return spool_sweep(STALE_MS);
  const dir = await spoolDirectory();
  const held = new Set(((await navigator.locks.query()).held ?? []).map((lock) => lock.name));
  for await (const [name] of dir.entries()) {
    const tab = name.split('-')[0];
    if (tab === TAB || held.has(LOCK_PREFIX + tab)) continue;
    try { await dir.removeEntry(name); } catch (_) { /* still open, or gone already */ }
  }
}

export function spool_remove_later(spool, ms) {
  setTimeout(() => spool_remove(spool), ms);
}
"#)]
extern "C" {
    /// A spool, on disk if `disk` and OPFS has room for `expected` bytes (plus a
    /// margin), else in memory. Never fails: trouble means memory.
    fn spool_open(disk: bool, expected: f64) -> js_sys::Promise;
    /// Whether the spool writes to a file (not memory).
    fn spool_on_disk(spool: &JsValue) -> bool;
    /// Appends `parts` (`Uint8Array`s, kept by reference: not to be reused);
    /// resolves once the write before this one is done (one write in flight).
    fn spool_push(spool: &JsValue, parts: &Array) -> js_sys::Promise;
    /// Writes what is left and resolves with one Blob of everything, typed `type`
    /// (the closed file when on disk).
    fn spool_finish(spool: &JsValue, media_type: &str) -> js_sys::Promise;
    /// Aborts any write and deletes the file; resolves when done, never fails.
    fn spool_remove(spool: &JsValue) -> js_sys::Promise;
    /// [`spool_remove`] after `ms` milliseconds.
    fn spool_remove_later(spool: &JsValue, ms: f64);
    /// Deletes the spool files last modified at least `older_than` ms ago, except
    /// those open for writing; rejects only if there is no OPFS.
    #[wasm_bindgen(catch)]
    fn spool_sweep(older_than: f64) -> Result<js_sys::Promise, JsValue>;
    /// Aborts and deletes every spool file of this tab; rejects only if there is
    /// no OPFS.
    #[wasm_bindgen(catch)]
    fn spool_remove_all() -> Result<js_sys::Promise, JsValue>;
    /// Deletes the spool files of tabs that no longer hold their lock, except
    /// those open for writing; rejects only if there is no OPFS.
    #[wasm_bindgen(catch)]
    fn spool_sweep_orphans() -> Result<js_sys::Promise, JsValue>;
}

/// Deletes every temporary file this tab made, at once: those still being written
/// too (their uploads or downloads then fail). For lock and logout, after which
/// no decrypted file may stay on disk.
pub async fn remove_all() -> Result<(), StreamError> {
    let promise = spool_remove_all().map_err(describe)?;
    JsFuture::from(promise).await.map(drop).map_err(describe)
}

/// Deletes the temporary files of tabs that are gone, however recent: what a
/// crashed tab left. Files of other open tabs are kept.
pub async fn sweep_orphans() -> Result<(), StreamError> {
    let promise = spool_sweep_orphans().map_err(describe)?;
    JsFuture::from(promise).await.map(drop).map_err(describe)
}

/// Deletes temporary files at least `older_than` old that no tab is writing:
/// what a closed or crashed tab left. Runs by itself (files over an hour old) the
/// first time a page opens a spool.
pub async fn sweep(older_than: std::time::Duration) -> Result<(), StreamError> {
    let promise = spool_sweep(older_than.as_millis() as f64).map_err(describe)?;
    JsFuture::from(promise).await.map(drop).map_err(describe)
}

fn describe(value: JsValue) -> StreamError {
    StreamError(
        value
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| value.as_string())
            .unwrap_or_else(|| format!("{value:?}")),
    )
}

/// Where one file's bytes wait: a temporary OPFS file, or Blob parts in memory.
pub struct Spool {
    js: JsValue,
    /// At most this many bytes are taken (see [`Spool::in_memory_at_most`]).
    limit: Option<u64>,
    pushed: Cell<u64>,
}

impl Spool {
    /// A spool on disk when the browser can give one with room for `expected`
    /// bytes, otherwise in memory.
    pub async fn open(expected: u64) -> Self {
        Self::start(true, expected).await
    }

    /// A spool in memory (for previews, which are shown from an object URL that
    /// must stay readable until the preview closes).
    pub async fn in_memory() -> Self {
        Self::start(false, 0).await
    }

    /// A spool in memory that refuses to grow past `limit` bytes: for thumbnails,
    /// whose size limit would otherwise rest on the size a keystore entry claims,
    /// which in a shared folder a collaborator writes.
    pub async fn in_memory_at_most(limit: u64) -> Self {
        Self {
            limit: Some(limit),
            ..Self::start(false, 0).await
        }
    }

    async fn start(disk: bool, expected: u64) -> Self {
        // spool_open never rejects; an error value would still be a usable object.
        let spool = JsFuture::from(spool_open(disk, expected as f64))
            .await
            .unwrap_or_else(|e| e);
        Self {
            js: spool,
            limit: None,
            pushed: Cell::new(0),
        }
    }

    /// Whether the bytes go to a file on disk.
    pub fn on_disk(&self) -> bool {
        spool_on_disk(&self.js)
    }

    /// Appends `parts` (`Uint8Array`s the spool then owns).
    pub async fn push(&self, parts: &Array) -> Result<(), StreamError> {
        if let Some(limit) = self.limit {
            let adding: u64 = parts
                .iter()
                .map(|part| part.unchecked_into::<Uint8Array>().length() as u64)
                .sum();
            let pushed = self.pushed.get() + adding;
            if pushed > limit {
                return Err(StreamError(format!("larger than {limit} bytes")));
            }
            self.pushed.set(pushed);
        }
        JsFuture::from(spool_push(&self.js, parts))
            .await
            .map(drop)
            .map_err(describe)
    }

    /// Appends a copy of `bytes`.
    pub async fn push_bytes(&self, bytes: &[u8]) -> Result<(), StreamError> {
        self.push(&Array::of1(&Uint8Array::from(bytes))).await
    }

    /// Everything appended, as one Blob typed `media_type`.
    pub async fn finish(&self, media_type: &str) -> Result<Blob, StreamError> {
        let blob = JsFuture::from(spool_finish(&self.js, media_type))
            .await
            .map_err(describe)?;
        blob.dyn_into()
            .map_err(|_| StreamError("the spool did not give a Blob".into()))
    }

    /// Deletes the temporary file now (the bytes must not be read any more).
    pub async fn remove(&self) {
        let _ = JsFuture::from(spool_remove(&self.js)).await;
    }

    /// Deletes the temporary file after `seconds`: for a saved download, which
    /// the browser keeps reading from the file after the page hands it over.
    pub fn remove_later(&self, seconds: f64) {
        spool_remove_later(&self.js, seconds * 1000.0);
    }
}
