//! What this tab itself wrote lately, so a notification about it is not news:
//! the live listing shows no "was added" note for this tab's own upload. Every
//! authenticated write is signed, and every transport (the pod client, the
//! drive's streamed uploads) signs through `auth::session::Session`, which
//! records here. Only addresses, in memory, for a minute; never sent anywhere.

use std::cell::RefCell;
use std::collections::VecDeque;

use url::Url;

use crate::pod::http::Method;

/// How long a write is remembered, and how many.
const KEPT_MS: f64 = 60_000.0;
const KEPT: usize = 512;

thread_local! {
    static WRITES: RefCell<VecDeque<(String, f64)>> = const { RefCell::new(VecDeque::new()) };
}

/// Notes a request this tab signs, if it writes.
pub fn record(method: Method, url: &str) {
    if matches!(method, Method::Get | Method::Head) {
        return;
    }
    let now = js_sys::Date::now();
    WRITES.with_borrow_mut(|writes| {
        writes.retain(|(_, at)| now - at < KEPT_MS);
        if writes.len() == KEPT {
            writes.pop_front();
        }
        writes.push_back((url.to_owned(), now));
    });
}

/// Whether this tab wrote `url`, or (for a container: a folder, a file stored
/// in parts) anything in it, in the last minute.
pub fn wrote_recently(url: &Url) -> bool {
    wrote_within(url, KEPT_MS)
}

/// Whether this tab wrote `url` (or anything in it) in the last `ms`
/// milliseconds. A keystore's notification arrives within moments of the
/// write: a short window there keeps this tab's own renames from re-reading the
/// names, without hiding a collaborator's rename that follows one of ours (a
/// link made a minute ago wrote the same keystore).
pub fn wrote_within(url: &Url, ms: f64) -> bool {
    let now = js_sys::Date::now();
    let url = url.as_str();
    WRITES.with_borrow(|writes| {
        writes.iter().any(|(written, at)| {
            now - at < ms.min(KEPT_MS)
                && (written == url || (url.ends_with('/') && written.starts_with(url)))
        })
    })
}
