//! Which shared folders changed since the user last opened them on this device:
//! the badge on "Shared with me" and "Links I created" (issue 13). Sans-IO: the
//! app reads a folder's version (its ETag, from a `HEAD`, which changes when a
//! member is added or removed) and keeps the last one seen; this module says
//! what is new and under which key the last one is kept.
//!
//! Where it is kept: the browser's `localStorage`, under a hash of the folder's
//! address. Not on the pod unencrypted: a file there would tell the pod (and
//! anyone it lets read) when the user looks at what; not in an address (links
//! get copied). The hash keeps addresses out of the storage's keys for casual
//! eyes — the pod knows them anyway, and an ETag says nothing the pod does not
//! serve to every reader. A device-local memory is also what "since I last
//! looked" means here: the encrypted keystores would be a write to the pod per
//! folder opened, racing other tabs' writes, for a hint this small.

use sha2::{Digest, Sha256};
use url::Url;

/// The prefix of every key this module names.
pub const PREFIX: &str = "solidcrypt.seen.";

/// A version longer than this is no ETag a sane pod sends: it is not kept
/// (local storage is small and shared with the whole app).
pub const MAX_VERSION: usize = 200;

/// The storage key for `folder`'s last-seen version: a hash, not the address.
pub fn key_for(folder: &Url) -> String {
    let digest = Sha256::digest(folder.as_str().as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("{PREFIX}{hex}")
}

/// The version worth keeping of what the pod said, if any.
pub fn version(etag: Option<&str>) -> Option<&str> {
    etag.filter(|v| !v.is_empty() && v.len() <= MAX_VERSION)
}

/// What a list does with a folder whose current version is `now`, given the
/// last one seen (`seen`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// Never seen on this device: remember `now` as seen (there is nothing to
    /// compare with, and every share would otherwise start out "changed").
    Remember,
    /// Changed since last seen: show the badge.
    Unseen,
    /// As last seen, or not known now (the pod did not say): no badge.
    Same,
}

/// The rule (see [`Seen`]).
pub fn compare(seen: Option<&str>, now: Option<&str>) -> Seen {
    match (seen, version(now)) {
        (_, None) => Seen::Same,
        (None, Some(_)) => Seen::Remember,
        (Some(seen), Some(now)) if seen == now => Seen::Same,
        (Some(_), Some(_)) => Seen::Unseen,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_seen_before_is_new_only_when_its_version_moved() {
        assert_eq!(compare(Some("\"1\""), Some("\"1\"")), Seen::Same);
        assert_eq!(compare(Some("\"1\""), Some("\"2\"")), Seen::Unseen);
    }

    #[test]
    fn a_folder_never_seen_is_remembered_not_badged() {
        assert_eq!(compare(None, Some("\"1\"")), Seen::Remember);
    }

    #[test]
    fn a_pod_that_says_nothing_or_junk_badges_nothing() {
        assert_eq!(compare(Some("\"1\""), None), Seen::Same);
        assert_eq!(compare(None, Some("")), Seen::Same);
        let huge = "x".repeat(MAX_VERSION + 1);
        assert_eq!(compare(Some("\"1\""), Some(&huge)), Seen::Same);
        assert_eq!(compare(None, Some(&huge)), Seen::Same);
        assert_eq!(
            version(Some(&"x".repeat(MAX_VERSION))).map(str::len),
            Some(MAX_VERSION)
        );
    }

    #[test]
    fn the_key_is_a_stable_hash_not_the_address() {
        let trip = Url::parse("http://pod/alice/solidcrypt-data/files/trip/").unwrap();
        let other = Url::parse("http://pod/alice/solidcrypt-data/files/other/").unwrap();
        let key = key_for(&trip);
        assert_eq!(key, key_for(&trip.clone()));
        assert_ne!(key, key_for(&other));
        assert!(key.starts_with(PREFIX));
        assert!(!key.contains("trip") && !key.contains("pod"));
        assert_eq!(key.len(), PREFIX.len() + 32);
    }
}
