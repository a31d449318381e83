//! This browser's memory of each user's keystore index (FORMAT.md §4.6): the newest
//! version seen, in `localStorage` under `solidcrypt.index-seen.<WebID>`, so that
//! unlock notices a pod serving an older one. Per origin and browser profile; a new
//! browser starts with no memory (and so trusts what the pod serves first).

use crate::keystore::rollback::Seen;
use crate::keystore::Keyring;

const PREFIX: &str = "solidcrypt.index-seen.";

/// The newest version of `webid`'s index this browser saw, if any.
pub fn remembered(webid: &str) -> Option<Seen> {
    serde_json::from_str(&load(&format!("{PREFIX}{webid}"))?).ok()
}

/// Remembers `keyring`'s index version for `webid` (replacing an older memory, or
/// any memory when the user chose to accept an older copy), and every version the
/// session writes from now on.
pub fn keep_up_with(webid: &str, keyring: &Keyring, accepted_older: bool) {
    let Some(seen) = keyring.index_seen() else {
        return;
    };
    if accepted_older {
        store(webid, &seen);
    } else {
        remember(webid, &seen);
    }
    let webid = webid.to_owned();
    keyring.on_index_written(move |seen| remember(&webid, seen));
}

/// Stores `seen` unless this browser remembers a newer version (another tab).
fn remember(webid: &str, seen: &Seen) {
    if seen.replaces(remembered(webid).as_ref()) {
        store(webid, seen);
    }
}

fn store(webid: &str, seen: &Seen) {
    if let Ok(json) = serde_json::to_string(seen) {
        save(&format!("{PREFIX}{webid}"), &json);
    }
}

/// The value under `key` in this browser's `localStorage` (also the shared
/// folders' last-seen versions, `app::share::unseen`).
#[cfg(target_arch = "wasm32")]
pub(crate) fn load(key: &str) -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()??
        .get_item(key)
        .ok()?
}

/// Stores `value` under `key` in this browser's `localStorage`, if it has one.
#[cfg(target_arch = "wasm32")]
pub(crate) fn save(key: &str, value: &str) {
    // Without storage (private mode, quota) there is simply no memory.
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(key, value);
    }
}

/// Natively (unit tests of the app) there is no browser, so no memory.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn load(_key: &str) -> Option<String> {
    None
}

#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn save(_key: &str, _value: &str) {}
