//! Where in the app the address bar points: a section of the frame, and for a
//! drive (the user's own, or a folder shared with them) the folder within it.
//!
//! Folders are named in the address by their **pod ids** (the random last segment
//! of each folder's address on the pod, e.g. `/drive/3f2a…/9c01…`), never by their
//! names. A name is encrypted on the pod and decrypted only in this tab, but the
//! path of the app's address is sent to the app's host whenever the page is
//! requested (a reload, a bookmark, a link opened in a new tab) and lands in its
//! logs, in synced browser history and in bookmarks: names there would reveal what
//! the encryption hides. Ids are random, already known to the pod (and to nobody
//! else), unique where two folders may share a name, and stay valid when a folder
//! is renamed. The breadcrumbs show the names. No key is ever part of a place.
//!
//! A shared item is named by [`share_id`]: a hash of its pod address, so the app's
//! host does not learn whose pod it is on either.

use sha2::{Digest, Sha256};
use url::Url;

/// One place of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A folder of the user's own drive: the ids from its top folder down
    /// (empty: the top, "My files").
    MyFiles(Vec<String>),
    /// The list of what others shared with the user.
    SharedWithMe,
    /// A shared file or folder (`share`, see [`share_id`]) and, for a folder, the
    /// ids of the folder within it.
    Shared { share: String, folders: Vec<String> },
    /// The links the user created.
    LinksCreated,
    /// The people the user shares with: contacts, their keys, shares with them.
    People,
}

/// The sections of the frame's sidebar, in order: label and address. Adding a
/// section is one line here (and its arm in [`Place::parse`] and the frame's view).
pub const SECTIONS: &[(&str, &str)] = &[
    ("My files", "/drive"),
    ("Shared with me", "/shared"),
    ("Links I created", "/links"),
    ("People", "/people"),
];

/// The longest id accepted in an address (pod ids are 32 hex digits).
const MAX_ID_LEN: usize = 200;

impl Place {
    /// The place of an address path (`location.pathname`), or `None` if it is not
    /// one of the app's (then the page says so). `/` is "My files". Every folder id
    /// must be [`valid_id`]: the address may come from anyone.
    pub fn parse(path: &str) -> Option<Place> {
        let mut segments = path.split('/').filter(|s| !s.is_empty());
        let first = segments.next();
        let rest: Vec<String> = segments.map(str::to_owned).collect();
        let ids = |list: Vec<String>| list.iter().all(|s| valid_id(s)).then_some(list);
        match first {
            None => Some(Place::MyFiles(Vec::new())),
            Some("drive") => ids(rest).map(Place::MyFiles),
            Some("links") if rest.is_empty() => Some(Place::LinksCreated),
            Some("people") if rest.is_empty() => Some(Place::People),
            Some("shared") => {
                let mut rest = rest.into_iter();
                match rest.next() {
                    None => Some(Place::SharedWithMe),
                    Some(share) if is_share_id(&share) => {
                        ids(rest.collect()).map(|folders| Place::Shared { share, folders })
                    }
                    Some(_) => None,
                }
            }
            Some(_) => None,
        }
    }

    /// The address of this place (what [`Place::parse`] reads back).
    pub fn href(&self) -> String {
        let join = |base: &str, ids: &[String]| {
            ids.iter().fold(base.to_owned(), |mut path, id| {
                path.push('/');
                path.push_str(id);
                path
            })
        };
        match self {
            Place::MyFiles(ids) => join("/drive", ids),
            Place::SharedWithMe => "/shared".to_owned(),
            Place::Shared { share, folders } => join(&format!("/shared/{share}"), folders),
            Place::LinksCreated => "/links".to_owned(),
            Place::People => "/people".to_owned(),
        }
    }

    /// The address of the sidebar section this place belongs to.
    pub fn section(&self) -> &'static str {
        match self {
            Place::MyFiles(_) => "/drive",
            Place::SharedWithMe | Place::Shared { .. } => "/shared",
            Place::LinksCreated => "/links",
            Place::People => "/people",
        }
    }
}

/// Whether `id` may name a folder in an address: a single path segment of URL
/// characters that is not `.` or `..` (in any spelling), so joined to a folder's
/// address it names a folder directly inside it, nowhere else.
pub fn valid_id(id: &str) -> bool {
    let dots = id.replace("%2e", ".").replace("%2E", ".");
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && dots != "."
        && dots != ".."
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b))
}

/// The id of a folder item in an address: the last segment of its pod address.
pub fn id_of(folder: &Url) -> Option<String> {
    let id = folder.path_segments()?.rev().find(|s| !s.is_empty())?;
    valid_id(id).then(|| id.to_owned())
}

/// The folder `ids` names under `root` (a folder address ending in `/`), or `None`
/// if an id is not valid or the result would not lie inside `root`.
pub fn resolve(root: &Url, ids: &[String]) -> Option<Url> {
    let mut folder = root.clone();
    for id in ids {
        if !valid_id(id) {
            return None;
        }
        let next = folder.join(&format!("{id}/")).ok()?;
        if next.as_str() != format!("{folder}{id}/") {
            return None;
        }
        folder = next;
    }
    Some(folder)
}

/// The id of a shared item in an address: the first 16 bytes of SHA-256 over its
/// pod address, in hex. Stable for as long as the share is kept, and it says
/// nothing about where the item lives.
pub fn share_id(item: &Url) -> String {
    Sha256::digest(item.as_str().as_bytes())[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn is_share_id(text: &str) -> bool {
    text.len() == 32 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn every_place_reads_back_from_its_address() {
        let share = share_id(&Url::parse("https://a.example/alice/x/").unwrap());
        let places = [
            Place::MyFiles(vec![]),
            Place::MyFiles(vec![ID.into(), "fedc".into()]),
            Place::SharedWithMe,
            Place::Shared {
                share: share.clone(),
                folders: vec![],
            },
            Place::Shared {
                share,
                folders: vec![ID.into()],
            },
            Place::LinksCreated,
            Place::People,
        ];
        for place in places {
            assert_eq!(
                Place::parse(&place.href()),
                Some(place.clone()),
                "{place:?}"
            );
        }
        assert_eq!(Place::parse("/"), Some(Place::MyFiles(vec![])));
        assert_eq!(Place::parse(""), Some(Place::MyFiles(vec![])));
        assert_eq!(Place::parse("/drive/"), Some(Place::MyFiles(vec![])));
        assert_eq!(
            Place::parse(&format!("/drive/{ID}/")),
            Some(Place::MyFiles(vec![ID.into()]))
        );
    }

    #[test]
    fn foreign_addresses_are_no_place() {
        for path in [
            "/nowhere",
            "/links/extra",
            "/people/extra",
            "/shared/not-a-share-id",
            "/drive/..",
            "/drive/%2e%2E",
            "/drive/a/./b",
            "/drive/a?b",
            "/drive/a#b",
            "/drive/a:b",
            "/drive/a@evil.example",
        ] {
            assert_eq!(Place::parse(path), None, "{path}");
        }
        assert_eq!(Place::parse(&format!("/drive/{}", "a".repeat(201))), None);
    }

    #[test]
    fn folders_resolve_only_inside_their_root() {
        let root = Url::parse("https://pod.example/alice/solidcrypt-data/files/").unwrap();
        let inside = resolve(&root, &[ID.into(), "b".into()]).unwrap();
        assert_eq!(inside.as_str(), format!("{root}{ID}/b/"));
        assert_eq!(id_of(&inside).as_deref(), Some("b"));
        assert_eq!(resolve(&root, &[]), Some(root.clone()));
        for bad in ["..", "%2e%2e", "%2E%2e", ".", "", "a/b", "?x", "#x", "a:b"] {
            assert_eq!(resolve(&root, &[bad.into()]), None, "{bad}");
        }
        // An escaped slash is one segment to the pod too: still directly inside.
        let escaped = resolve(&root, &["a%2Fb".into()]).unwrap();
        assert_eq!(escaped.as_str(), format!("{root}a%2Fb/"));
    }

    #[test]
    fn share_ids_are_stable_hex_and_differ_per_item() {
        let a = Url::parse("https://a.example/alice/f/").unwrap();
        let b = Url::parse("https://a.example/alice/g/").unwrap();
        assert_eq!(share_id(&a), share_id(&a));
        assert_ne!(share_id(&a), share_id(&b));
        assert!(is_share_id(&share_id(&a)));
        assert!(!share_id(&a).contains("alice"));
    }
}
