//! Which keystore may speak for which address (issue 11, item 1).
//!
//! Every index entry names a *scope*: the folder (or, for a file received alone,
//! the file) whose keys its keystore holds. A keystore someone else gave me (the
//! shared keystore of a folder on their pod, named by a link) is input from that
//! person, so it is consulted only for addresses inside its own scope, and a new
//! key goes into it only when the link was read-write. A foreign keystore is
//! trusted at all only if its scope is on its own origin and outside my data
//! folder; `share::vet` checks the full rule (one storage, not mine) when a link
//! is accepted, this is the part that holds for every entry of the index.
//!
//! Containment is decided on parsed URLs (same origin, the folder's path a prefix
//! ending at a `/`), never on strings: `…/files/` never covers `…/files2/x`, and
//! `http://pod/` never covers `http://pod.evil/`.

use url::Url;

use super::format::{IndexEntry, KeystoreKind, ShareMode};
use super::layout::Layout;

/// Whether `url` is `folder` or lies under it. `folder` must end in `/`; both must
/// parse as absolute URLs on one origin. Dot segments and case in the scheme and
/// host are normalized by parsing, so they cannot smuggle an address across.
pub fn within(url: &str, folder: &str) -> bool {
    let (Ok(url), Ok(folder)) = (Url::parse(url), Url::parse(folder)) else {
        return false;
    };
    within_url(&url, &folder)
}

/// [`within`] on parsed URLs.
pub fn within_url(url: &Url, folder: &Url) -> bool {
    folder.path().ends_with('/')
        && folder.query().is_none()
        && folder.fragment().is_none()
        && url.origin().is_tuple()
        && url.origin() == folder.origin()
        && url.path().starts_with(folder.path())
}

/// Whether two addresses are on one origin (scheme, host and port).
fn same_origin(a: &str, b: &str) -> bool {
    match (Url::parse(a), Url::parse(b)) {
        (Ok(a), Ok(b)) => a.origin().is_tuple() && a.origin() == b.origin(),
        _ => false,
    }
}

/// Whether the keystore of `entry` is one of mine: it lives in my own
/// `keystores/` folder (root, my shared folders', my received files').
pub fn is_own(entry: &IndexEntry, layout: &Layout) -> bool {
    within(&entry.url, layout.keystores().as_str())
}

/// Whether `entry`'s keystore is trusted for anything: mine, or a share's keystore
/// (a folder's, or one file's from a person, FORMAT.md §8.1) whose scope is on the
/// keystore's origin and not inside my data.
fn trusted(entry: &IndexEntry, layout: &Layout) -> bool {
    is_own(entry, layout)
        || (entry.kind != KeystoreKind::Root
            && same_origin(&entry.url, &entry.scope)
            && !within(&entry.scope, layout.base().as_str()))
}

/// Whether a lookup of `url` may consult `entry`'s keystore.
pub fn reads_for(entry: &IndexEntry, url: &str, layout: &Layout) -> bool {
    trusted(entry, layout) && entry.covers(url)
}

/// Whether a new key for `url` is written to `entry`'s keystore: my root and my
/// own shared folders' keystores, and shares received read-write (a folder's
/// keystore on its owner's pod, or my copy of a read-write file's key), each only
/// for addresses in its scope.
pub fn writes_for(entry: &IndexEntry, url: &str, layout: &Layout) -> bool {
    let allowed = match entry.kind {
        KeystoreKind::Root => is_own(entry, layout),
        // Mine (no `mode`): my folder links' keystores, my shares with people.
        KeystoreKind::SharedFolder | KeystoreKind::SharedFile if entry.mode.is_none() => {
            is_own(entry, layout)
        }
        KeystoreKind::SharedFolder | KeystoreKind::SharedFile => {
            entry.mode == Some(ShareMode::Write)
        }
    };
    allowed && reads_for(entry, url, layout)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Native only: `pollster` is a native dev-dependency.
    #[cfg(not(target_arch = "wasm32"))]
    mod keyring {
        use std::cell::RefCell;

        use url::Url;

        use crate::crypto::SecretKey;
        use crate::keystore::format::{Entry, IndexEntry, KeystoreDoc, KeystoreKind, ShareMode};
        use crate::keystore::index::IndexKey;
        use crate::keystore::rollback::Seen;
        use crate::keystore::{Keyring, KeyringError, Layout};
        use crate::pod::http::{HttpClient, Method, Request, Response, TransportError};
        use crate::pod::Pod;

        /// A pod where nothing exists yet and every PUT lands; it lists the
        /// documents PUT, once each (a new document is written to both of its
        /// slots, FORMAT.md §4.4).
        #[derive(Default)]
        struct Empty(RefCell<Vec<String>>);

        impl HttpClient for Empty {
            async fn send(&self, request: Request) -> Result<Response, TransportError> {
                let status = if request.method == Method::Put {
                    let document = request.url.strip_suffix(".b").unwrap_or(&request.url);
                    let mut written = self.0.borrow_mut();
                    if !written.iter().any(|w| w == document) {
                        written.push(document.to_owned());
                    }
                    201
                } else {
                    404
                };
                Ok(Response {
                    status,
                    headers: Vec::new(),
                    body: Vec::new(),
                })
            }
        }

        const ROOT: &str = "http://pod/alice/solidcrypt-data/keystores/root-1.json.enc";
        const BOBS: &str = "http://pod/bob/solidcrypt-data/keystores/shared-1.json.enc";

        fn entry(
            url: &str,
            kind: KeystoreKind,
            scope: &str,
            mode: Option<ShareMode>,
        ) -> IndexEntry {
            IndexEntry {
                url: url.into(),
                key: SecretKey::from_bytes([3; 32]),
                kind,
                scope: scope.into(),
                owner: "http://pod/alice/profile/card#me".into(),
                mode,
            }
        }

        fn known(name: &str) -> Entry {
            Entry {
                key: Some(SecretKey::from_bytes([9; 32])),
                name: name.into(),
                media_type: None,
                size: None,
            }
        }

        /// Alice's keyring holding bob's folder `…/bob/files/` read-write, whose
        /// keystore also lists addresses outside that scope.
        fn alice_with(bobs_scope: &str) -> Keyring {
            let layout = Layout::at(Url::parse("http://pod/alice/solidcrypt-data/").unwrap());
            let files = layout.files().to_string();
            let index = vec![
                entry(ROOT, KeystoreKind::Root, &files, None),
                entry(
                    BOBS,
                    KeystoreKind::SharedFolder,
                    bobs_scope,
                    Some(ShareMode::Write),
                ),
            ];
            let mut bobs = KeystoreDoc::default();
            for url in [
                "http://pod/bob/files/x",
                "http://pod/bob/files2/x",
                "http://pod/alice/solidcrypt-data/files/diary",
            ] {
                bobs.entries.insert(url.into(), known("planted"));
            }
            Keyring::new(
                layout,
                IndexKey::new(SecretKey::from_bytes([1; 32]), &[], Seen::of(0, &[])),
                index,
                vec![KeystoreDoc::default(), bobs],
            )
        }

        /// The keystores watched for renames of a folder shown are exactly those
        /// its lookups consult: a shared keystore planting names outside its scope
        /// (or claiming my data) is not watched for it either.
        #[test]
        fn the_keystores_watched_for_a_folder_are_those_consulted() {
            let keys = alice_with("http://pod/bob/files/");
            assert_eq!(keys.consulted_for("http://pod/bob/files/"), vec![BOBS]);
            assert!(keys.consulted_for("http://pod/bob/files2/").is_empty());
            assert_eq!(
                keys.consulted_for("http://pod/alice/solidcrypt-data/files/"),
                vec![ROOT]
            );
            let planted = alice_with("http://pod/alice/solidcrypt-data/files/");
            assert_eq!(
                planted.consulted_for("http://pod/alice/solidcrypt-data/files/"),
                vec![ROOT]
            );
        }

        #[test]
        fn a_received_keystore_is_consulted_and_written_only_inside_its_scope() {
            let keys = alice_with("http://pod/bob/files/");
            assert_eq!(
                keys.lookup("http://pod/bob/files/x").unwrap().name,
                "planted"
            );
            assert!(
                keys.lookup("http://pod/bob/files2/x").is_none(),
                "files vs files2"
            );
            assert!(keys
                .lookup("http://pod/alice/solidcrypt-data/files/diary")
                .is_none());
            assert!(!keys.covers("http://pod/bob/files2/x"));

            let pod = Empty::default();
            let pod_ref = Pod::new(&pod, None);
            let outside = "http://pod/bob/files2/new";
            let refused = pollster::block_on(keys.add(&pod_ref, outside, known("n")));
            assert_eq!(refused, Err(KeyringError::NotCovered(outside.into())));
            let mine = "http://pod/alice/solidcrypt-data/files/new";
            pollster::block_on(keys.add(&pod_ref, mine, known("n"))).unwrap();
            pollster::block_on(keys.add(&pod_ref, "http://pod/bob/files/new", known("n"))).unwrap();
            assert_eq!(
                *pod.0.borrow(),
                [ROOT, BOBS],
                "one write each, to its own scope"
            );
        }

        #[test]
        fn a_received_keystore_scoped_to_my_data_or_without_a_slash_is_ignored() {
            for scope in [
                "http://pod/alice/solidcrypt-data/files/",
                "http://pod/bob/files",
            ] {
                let keys = alice_with(scope);
                let pod = Empty::default();
                let mine = "http://pod/alice/solidcrypt-data/files/new";
                pollster::block_on(keys.add(&Pod::new(&pod, None), mine, known("n"))).unwrap();
                assert_eq!(*pod.0.borrow(), [ROOT], "{scope}");
                assert!(keys
                    .lookup("http://pod/alice/solidcrypt-data/files/diary")
                    .is_none());
                assert!(keys.lookup("http://pod/bob/files2/x").is_none());
            }
        }
    }

    #[test]
    fn containment_respects_path_and_origin_boundaries() {
        assert!(within("http://pod/a/files/x", "http://pod/a/files/"));
        assert!(within("http://pod/a/files/", "http://pod/a/files/"));
        assert!(!within("http://pod/a/files2/x", "http://pod/a/files/"));
        assert!(!within("http://pod/a/files2/x", "http://pod/a/files"));
        assert!(!within("http://pod.evil/a/files/x", "http://pod/"));
        assert!(!within("http://pod:81/a/files/x", "http://pod/a/"));
        assert!(!within("https://pod/a/files/x", "http://pod/a/"));
        assert!(!within("http://pod/a/files/../../b/x", "http://pod/a/"));
        assert!(!within(
            "http://pod/a/files/%2e%2e/%2e%2e/b",
            "http://pod/a/files/"
        ));
        assert!(within("HTTP://POD/a/files/x", "http://pod/a/files/"));
        assert!(!within("not a url", "http://pod/"));
        assert!(!within("http://pod/a/x", "http://pod/a/?q=1"));
    }
}
