//! The share link (docs/FORMAT.md §5): everything a friend needs to open a shared
//! file or folder, carried in the URL **fragment**, which browsers never send to any
//! server — so neither the app's host nor the pod ever sees the key.
//!
//! ```text
//! <app>/share#v=1&kind=file&mode=read&res=<url>&group=<url>&ks=<url>&kskey=<base64url>
//! <app>/share#v=1&kind=folder&mode=write&res=<url>&group=<url>&ks=<url>&kskey=<base64url>
//! <app>/share#v=1&kind=file&mode=read&res=<url>&group=<url>&key=<base64url>
//! ```
//!
//! Every link written names a keystore of its own (a file link's holds the one
//! file's current key, FORMAT.md §5.1), so a key rotation after another link's
//! revocation reaches its holder; the last form, the file key itself in the link,
//! is still read (links made before), never written.
//!
//! Parsing is strict (every field once, nothing unknown, URLs http(s), keys exactly
//! 32 bytes, groups named `group-<≥128-bit hex>.ttl`) because a link is input from
//! anyone: a damaged or altered link must be refused with a clear reason, never
//! half-understood. The original design's query form
//! (`share?file=…&key=…&group=…`, a read-only file) is still accepted.

use url::form_urlencoded;
use url::Url;
use zeroize::Zeroizing;

use super::link_password::{read_wrap, LockedLink, ParsedLink};
use crate::crypto::{KeyDecodeError, SecretKey};

/// The only format version this code writes and reads.
pub const LINK_VERSION: &str = "1";

/// Links longer than this are refused before any parsing: real links are a few
/// hundred characters, and a bound keeps hostile input cheap.
pub const MAX_LINK_LEN: usize = 8192;

/// Minimum hex digits in a group's name: 32 digits = 128 random bits, so the group's
/// address (which is what lets someone join) cannot be guessed.
const MIN_GROUP_HEX: usize = 32;

/// What a link lets its holder do with the shared resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Read (and decrypt) only.
    Read,
    /// Read and overwrite (and, in a folder, add files).
    ReadWrite,
}

impl Access {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::ReadWrite => "write",
        }
    }
}

/// What is shared, with the key material that opens it.
#[derive(Debug, Clone)]
pub enum Shared {
    /// One file, and the link's own keystore (FORMAT.md §5.1, on the file owner's
    /// pod) with that keystore's key: the keystore holds the file's current key.
    File {
        url: Url,
        keystore: Url,
        keystore_key: SecretKey,
    },
    /// One file and its file key, in the link itself (FORMAT.md §5.3: links made
    /// before file links had keystores; read, never written by [`super::share_file`]).
    /// Goes stale when the file is re-encrypted.
    FileKey { url: Url, key: SecretKey },
    /// A folder (URL ending in `/`) and the shared keystore holding the keys of the
    /// files in it, with that keystore's key.
    Folder {
        url: Url,
        keystore: Url,
        keystore_key: SecretKey,
    },
}

impl Shared {
    /// The shared file or folder.
    pub fn url(&self) -> &Url {
        match self {
            Shared::File { url, .. } | Shared::FileKey { url, .. } | Shared::Folder { url, .. } => {
                url
            }
        }
    }

    /// The link's own keystore and its key (every form but key-in-link).
    pub fn keystore(&self) -> Option<(&Url, &SecretKey)> {
        match self {
            Shared::File {
                keystore,
                keystore_key,
                ..
            }
            | Shared::Folder {
                keystore,
                keystore_key,
                ..
            } => Some((keystore, keystore_key)),
            Shared::FileKey { .. } => None,
        }
    }
}

/// A parsed (or to-be-built) share link. `Debug` shows no key: [`SecretKey`]'s
/// `Debug` prints only its type name.
#[derive(Debug, Clone)]
pub struct ShareLink {
    pub shared: Shared,
    pub access: Access,
    /// The group *document* (`…/group-<hex>.ttl`) whose members the ACL lets in.
    pub group: Url,
}

/// Why a share link was refused. The variant names are the `expect` values of
/// `tests/vectors/share_links_v1.json`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LinkError {
    #[error("the link is too long ({0} characters, at most {MAX_LINK_LEN})")]
    TooLong(usize),
    #[error("this is not a web address")]
    NotAUrl,
    #[error("this is not a solidcrypt share link (the address must end in /share)")]
    NotAShareLink,
    #[error("the link carries nothing to open; it may have been cut off when copied")]
    Empty,
    #[error("the link has both a ?query and a #fragment part; it was probably altered")]
    Ambiguous,
    #[error("the link was made by a newer version of solidcrypt; update the app to open it")]
    UnsupportedVersion,
    #[error("the link has no “{0}” part; it may have been cut off when copied")]
    Missing(&'static str),
    #[error("the link has “{0}” more than once; it was probably altered")]
    Duplicate(String),
    #[error("the link has an unknown part “{0}”; it was probably altered")]
    UnknownField(String),
    #[error("a {kind} link cannot carry “{field}”; it was probably altered")]
    NotForKind {
        kind: &'static str,
        field: &'static str,
    },
    #[error("the link shares neither a file nor a folder (unknown kind)")]
    BadKind,
    #[error("the link's access mode is neither read nor write")]
    BadMode,
    #[error("the {field} address in the link is not valid: {reason}")]
    BadUrl {
        field: &'static str,
        reason: &'static str,
    },
    #[error("the group address must name a file group-<at least 32 hex digits>.ttl")]
    BadGroup,
    #[error("the {field} in the link is not a valid key: {error}")]
    BadKey {
        field: &'static str,
        error: KeyDecodeError,
    },
    #[error("a folder link must point to a folder (ending in /), and an old-style link to a file")]
    KindMismatch,
    #[error("the file link carries both a key and a keystore; it was probably altered")]
    KeyAndKeystore,
    /// A password link (FORMAT.md §5.4) where only unlocked links are taken: parse
    /// it with [`super::ParsedLink::parse`].
    #[error("this link needs a password")]
    NeedsPassword,
    #[error("the link carries its key both with and without a password; it was probably altered")]
    PasswordAndKey,
    #[error("the link's password-protected key is not valid ({0}); it was probably altered")]
    BadPasswordWrap(&'static str),
    /// Refused before any work: a link asking for more Argon2id memory or passes
    /// than [`super::link_password::LINK_MAX_PARAMS`] would freeze the tab.
    #[error("the link asks for more work to check its password than solidcrypt allows (at most 256 MiB, 8 passes, 4 lanes); it was probably altered")]
    PasswordTooCostly,
}

/// Field names of the fragment form, in the order [`ShareLink::to_url`] writes them.
const FIELDS: [&str; 9] = [
    "v", "kind", "mode", "res", "group", "key", "ks", "kskey", "pw",
];
/// Field names of the original design's query form.
const LEGACY_FIELDS: [&str; 3] = ["file", "key", "group"];

impl ShareLink {
    /// The link under the app at `app` (its origin, or the folder it is served
    /// from): `<app>/share#…`. Wiped from memory when dropped, since it holds a key.
    pub fn to_url(&self, app: &Url) -> Zeroizing<String> {
        let kind = match &self.shared {
            Shared::File { .. } | Shared::FileKey { .. } => "file",
            Shared::Folder { .. } => "folder",
        };
        let tail: Vec<(&str, Zeroizing<String>)> = match (&self.shared, self.shared.keystore()) {
            (Shared::FileKey { key, .. }, _) => vec![("key", key.to_base64url())],
            (_, Some((keystore, keystore_key))) => vec![
                ("ks", Zeroizing::new(keystore.to_string())),
                ("kskey", keystore_key.to_base64url()),
            ],
            (_, None) => Vec::new(),
        };
        let tail: Vec<(&str, &str)> = tail.iter().map(|(n, v)| (*n, v.as_str())).collect();
        write_link(
            app,
            kind,
            self.access,
            self.shared.url(),
            &self.group,
            &tail,
        )
    }

    /// Parses a link as the browser shows it (the whole address, fragment
    /// included). Never panics; every refusal is a [`LinkError`]; a password link
    /// is refused with [`LinkError::NeedsPassword`] (see [`super::ParsedLink`]).
    pub fn parse(link: &str) -> Result<ShareLink, LinkError> {
        match parse_any(link)? {
            ParsedLink::Open(link) => Ok(link),
            ParsedLink::Locked(_) => Err(LinkError::NeedsPassword),
        }
    }
}

/// `<app>/share#v=1&kind=…&mode=…&res=…&group=…` then `tail`, the key fields, in
/// the order of FORMAT.md §5's table. Wiped from memory when dropped.
pub(super) fn write_link(
    app: &Url,
    kind: &str,
    access: Access,
    res: &Url,
    group: &Url,
    tail: &[(&str, &str)],
) -> Zeroizing<String> {
    let mut base = app.clone();
    base.set_query(None);
    base.set_fragment(None);
    let base = base.join("share").unwrap_or(base);
    // Reserved up front so growing never leaves copies of the key behind.
    let mut fragment = Zeroizing::new(String::with_capacity(1024));
    let mut fields = form_urlencoded::Serializer::new(&mut *fragment);
    fields
        .append_pair("v", LINK_VERSION)
        .append_pair("kind", kind)
        .append_pair("mode", access.as_str())
        .append_pair("res", res.as_str())
        .append_pair("group", group.as_str());
    for (name, value) in tail {
        fields.append_pair(name, value);
    }
    fields.finish();
    let mut link = Zeroizing::new(String::with_capacity(
        base.as_str().len() + 1 + fragment.len(),
    ));
    link.push_str(base.as_str());
    link.push('#');
    link.push_str(&fragment);
    link
}

/// [`super::ParsedLink::parse`]: any link, open or locked.
pub(super) fn parse_any(link: &str) -> Result<ParsedLink, LinkError> {
    let link = link.trim();
    if link.len() > MAX_LINK_LEN {
        return Err(LinkError::TooLong(link.len()));
    }
    // The fragment is split off by hand so the key never enters a `Url`
    // (whose buffer is not wiped).
    let (address, fragment) = match link.split_once('#') {
        Some((address, fragment)) => (address, Some(fragment)),
        None => (link, None),
    };
    let address = Url::parse(address).map_err(|_| LinkError::NotAUrl)?;
    if !matches!(address.scheme(), "http" | "https") {
        return Err(LinkError::NotAUrl);
    }
    let is_share = address
        .path_segments()
        .and_then(|mut s| s.next_back())
        .is_some_and(|last| last == "share");
    if !is_share {
        return Err(LinkError::NotAShareLink);
    }
    let query = address.query().filter(|q| !q.is_empty());
    match (fragment.filter(|f| !f.is_empty()), query) {
        (Some(_), Some(_)) => Err(LinkError::Ambiguous),
        (Some(fragment), None) => parse_fragment(fragment),
        (None, Some(query)) => parse_legacy(query).map(ParsedLink::Open),
        (None, None) => Err(LinkError::Empty),
    }
}

/// The `name=value` pairs of a fragment or query, each name at most once and
/// from `allowed`. Values are wiped on drop (two of them are keys).
struct Fields(Vec<(&'static str, Zeroizing<String>)>);

impl Fields {
    fn read(text: &str, allowed: &[&'static str]) -> Result<Fields, LinkError> {
        let mut fields = Vec::new();
        for (name, value) in form_urlencoded::parse(text.as_bytes()) {
            let Some(known) = allowed.iter().find(|a| **a == name) else {
                return Err(LinkError::UnknownField(shorten(&name)));
            };
            if fields.iter().any(|(n, _)| n == known) {
                return Err(LinkError::Duplicate((*known).to_owned()));
            }
            fields.push((*known, Zeroizing::new(value.into_owned())));
        }
        Ok(Fields(fields))
    }

    fn get(&self, name: &'static str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    fn require(&self, name: &'static str) -> Result<&str, LinkError> {
        self.get(name).ok_or(LinkError::Missing(name))
    }
}

/// Names from a hostile link are echoed in messages, but never at length.
fn shorten(name: &str) -> String {
    name.chars().take(40).collect()
}

fn parse_fragment(fragment: &str) -> Result<ParsedLink, LinkError> {
    let fields = Fields::read(fragment, &FIELDS)?;
    if fields.require("v")? != LINK_VERSION {
        return Err(LinkError::UnsupportedVersion);
    }
    let access = match fields.require("mode")? {
        "read" => Access::Read,
        "write" => Access::ReadWrite,
        _ => return Err(LinkError::BadMode),
    };
    let kind = fields.require("kind")?;
    let url = http_url(fields.require("res")?, "res")?;
    let group = group_url(fields.require("group")?)?;
    if let Some(pw) = fields.get("pw") {
        return parse_locked(&fields, kind, access, url, group, pw).map(ParsedLink::Locked);
    }
    let shared = match kind {
        // A file stored in parts (FORMAT.md §1.8) is a container: `res` may end
        // in `/` here, unlike in the legacy form.
        "file" => match fields.get("key") {
            Some(_) if fields.get("ks").is_some() || fields.get("kskey").is_some() => {
                return Err(LinkError::KeyAndKeystore)
            }
            Some(text) => Shared::FileKey {
                url,
                key: key(text, "key")?,
            },
            None if fields.get("ks").is_none() && fields.get("kskey").is_none() => {
                return Err(LinkError::Missing("key"))
            }
            None => Shared::File {
                url,
                keystore: http_url(fields.require("ks")?, "ks")?,
                keystore_key: key(fields.require("kskey")?, "kskey")?,
            },
        },
        "folder" => {
            if fields.get("key").is_some() {
                return Err(LinkError::NotForKind {
                    kind: "folder",
                    field: "key",
                });
            }
            if !url.path().ends_with('/') {
                return Err(LinkError::KindMismatch);
            }
            Shared::Folder {
                url,
                keystore: http_url(fields.require("ks")?, "ks")?,
                keystore_key: key(fields.require("kskey")?, "kskey")?,
            }
        }
        _ => return Err(LinkError::BadKind),
    };
    Ok(ParsedLink::Open(ShareLink {
        shared,
        access,
        group,
    }))
}

/// A password link (FORMAT.md §5.4): `ks` and `pw`, never `kskey` or `key`. The
/// wrap's Argon2id cost is checked here, before anyone types a password.
fn parse_locked(
    fields: &Fields,
    kind: &str,
    access: Access,
    url: Url,
    group: Url,
    pw: &str,
) -> Result<LockedLink, LinkError> {
    if fields.get("key").is_some() || fields.get("kskey").is_some() {
        return Err(LinkError::PasswordAndKey);
    }
    let folder = match kind {
        "file" => false,
        "folder" => true,
        _ => return Err(LinkError::BadKind),
    };
    if folder && !url.path().ends_with('/') {
        return Err(LinkError::KindMismatch);
    }
    let keystore = http_url(fields.require("ks")?, "ks")?;
    Ok(LockedLink {
        folder,
        access,
        url,
        group,
        keystore,
        wrap: read_wrap(pw)?,
    })
}

/// `share?file=…&key=…&group=…`: the original design's read-only file link.
fn parse_legacy(query: &str) -> Result<ShareLink, LinkError> {
    let fields = Fields::read(query, &LEGACY_FIELDS)?;
    let url = http_url(fields.require("file")?, "file")?;
    let group = group_url(fields.require("group")?)?;
    let key = key(fields.require("key")?, "key")?;
    // Links of this form predate files stored in parts: always one resource.
    if url.path().ends_with('/') {
        return Err(LinkError::KindMismatch);
    }
    Ok(ShareLink {
        shared: Shared::FileKey { url, key },
        access: Access::Read,
        group,
    })
}

fn key(text: &str, field: &'static str) -> Result<SecretKey, LinkError> {
    SecretKey::from_base64url(text).map_err(|error| LinkError::BadKey { field, error })
}

/// An absolute http(s) URL without credentials or fragment: anything else in a
/// link is either a mistake or an attempt to point the app somewhere odd.
fn http_url(text: &str, field: &'static str) -> Result<Url, LinkError> {
    let bad = |reason| LinkError::BadUrl { field, reason };
    let url = Url::parse(text).map_err(|_| bad("not an absolute address"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("only http and https are allowed"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("it must not contain a user name or password"));
    }
    if url.fragment().is_some() {
        return Err(bad("it must not contain a #fragment"));
    }
    Ok(url)
}

/// A group document: `…/group-<≥32 lowercase hex>.ttl`, no query.
fn group_url(text: &str) -> Result<Url, LinkError> {
    let url = http_url(text, "group")?;
    let name = url
        .path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap_or("");
    let hex = name
        .strip_prefix("group-")
        .and_then(|rest| rest.strip_suffix(".ttl"))
        .unwrap_or("");
    let random =
        hex.len() >= MIN_GROUP_HEX && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if !random || url.query().is_some() {
        return Err(LinkError::BadGroup);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GROUP: &str =
        "https://alice.example/solidcrypt-data/groups/group-0123456789abcdef0123456789abcdef.ttl";

    fn file_link(access: Access) -> ShareLink {
        ShareLink {
            shared: Shared::File {
                url: Url::parse("https://alice.example/solidcrypt-data/files/9ad1").unwrap(),
                keystore: Url::parse(
                    "https://alice.example/solidcrypt-data/keystores/shared-a7d2.json.enc",
                )
                .unwrap(),
                keystore_key: SecretKey::from_bytes([0x11; 32]),
            },
            access,
            group: Url::parse(GROUP).unwrap(),
        }
    }

    #[test]
    fn file_link_round_trips_with_everything_in_the_fragment() {
        let app = Url::parse("https://app.example/").unwrap();
        let link = file_link(Access::ReadWrite).to_url(&app);
        let (address, fragment) = link.split_once('#').unwrap();
        assert_eq!(address, "https://app.example/share");
        assert!(fragment.starts_with("v=1&kind=file&mode=write&res="));
        let back = ShareLink::parse(&link).unwrap();
        assert_eq!(back.access, Access::ReadWrite);
        assert_eq!(back.group.as_str(), GROUP);
        assert!(fragment.ends_with("&kskey=ERERERERERERERERERERERERERERERERERERERERERE"));
        let Shared::File {
            url, keystore_key, ..
        } = back.shared
        else {
            panic!("a file link with its keystore")
        };
        assert_eq!(
            url.as_str(),
            "https://alice.example/solidcrypt-data/files/9ad1"
        );
        assert_eq!(keystore_key.expose_bytes(), &[0x11; 32]);
    }

    #[test]
    fn app_served_from_a_folder_keeps_its_path() {
        let app = Url::parse("https://host.example/apps/solidcrypt/?x=1#y").unwrap();
        let link = file_link(Access::Read).to_url(&app);
        assert!(link.starts_with("https://host.example/apps/solidcrypt/share#v=1&"));
        assert!(ShareLink::parse(&link).is_ok());
    }

    #[test]
    fn debug_does_not_show_the_key() {
        let link = file_link(Access::Read);
        let text = format!("{link:?}");
        let key = SecretKey::from_bytes([0x11; 32]).to_base64url();
        assert!(!text.contains(key.as_str()), "{text}");
        assert!(text.contains("SecretKey(..)"));
    }

    #[test]
    fn group_names_need_128_random_bits() {
        let short = GROUP.replace("0123456789abcdef0123456789abcdef", "0123456789abcdef");
        assert_eq!(group_url(&short).unwrap_err(), LinkError::BadGroup);
        let upper = GROUP.replace("abcdef.ttl", "ABCDEF.ttl");
        assert_eq!(group_url(&upper).unwrap_err(), LinkError::BadGroup);
        assert!(group_url(GROUP).is_ok());
    }
}
