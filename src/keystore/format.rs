//! The JSON inside the encrypted keystore files (docs/FORMAT.md §4), and its
//! encryption: every document is a file envelope v1 sealed under its own key.
//!
//! Keys appear in JSON only as base64url text. They are converted straight from and
//! to [`SecretKey`] by the serde helpers below, so no plain `String` copy of a key
//! outlives the (zeroized) JSON buffer.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroizing;

use crate::crypto::envelope::{self, OpenError, SealError, SealOptions};
use crate::crypto::SecretKey;

/// `format` value of a keystore index.
pub const INDEX_FORMAT: &str = "solidcrypt-keystore-index";
/// `format` value of a keystore.
pub const KEYSTORE_FORMAT: &str = "solidcrypt-keystore";
/// The only version of both documents this code reads and writes.
pub const VERSION: u32 = 1;
/// The most a keystore or index file may be on the pod (sealed): 16 MiB, some 50 000
/// entries (an entry is about 300 bytes of JSON). A bigger one is refused before it
/// is read whole or decrypted (a keystore on someone else's pod can be anything),
/// and never written (FORMAT.md §4).
pub const MAX_DOCUMENT_BYTES: usize = 16 << 20;
/// Small chunks: keystores are read and written whole, and most are a few KiB.
const CHUNK_SIZE: u32 = 16 * 1024;

/// What a keystore is for; decides which files it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeystoreKind {
    /// Keys of the user's own files (everything under its scope folder).
    Root,
    /// Keys of one shared folder (its own or someone else's), scope = the folder.
    SharedFolder,
    /// The key of one shared file, scope = the file.
    SharedFile,
}

/// What a share lets its holder do, as the link's `mode` says (FORMAT.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ShareMode {
    /// Read only.
    Read,
    /// Read and write (in a folder: add files too).
    Write,
}

/// One line of the index: where a keystore lives and the key that opens it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexEntry {
    /// The keystore's URL (may be on another pod for shares received).
    pub url: String,
    /// The key its envelope is sealed under.
    #[serde(with = "key_text")]
    pub key: SecretKey,
    pub kind: KeystoreKind,
    /// The folder (ending in `/`) or file this keystore holds keys for.
    pub scope: String,
    /// WebID of the user whose index this is, when the entry was added.
    pub owner: String,
    /// Shares received only: what the link allowed (`read` or `write`), so the
    /// "Shared with me" view knows whether to offer uploads. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<ShareMode>,
}

impl IndexEntry {
    /// Whether a file or folder at `url` belongs to this keystore's scope (compared
    /// as URLs, see [`super::scope::within`]: `…/files/` does not cover `…/files2/`).
    pub fn covers(&self, url: &str) -> bool {
        match self.kind {
            KeystoreKind::SharedFile => url == self.scope,
            KeystoreKind::Root | KeystoreKind::SharedFolder => {
                super::scope::within(url, &self.scope)
            }
        }
    }
}

/// The keystore index document (`keystores.json.enc`, after the password wrap).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexDoc {
    pub format: String,
    pub version: u32,
    /// Writes so far (FORMAT.md §4.2): picks the current slot, reveals rollbacks.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub counter: u64,
    pub keystores: Vec<IndexEntry>,
}

impl IndexDoc {
    /// An index listing `keystores`.
    pub fn new(keystores: Vec<IndexEntry>) -> Self {
        Self {
            format: INDEX_FORMAT.to_owned(),
            version: VERSION,
            counter: 0,
            keystores,
        }
    }
}

/// What a keystore knows about one file or folder. Names live here (not on the
/// pod, where resources have random names) so a listing needs no extra request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// The file key; folders have none.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "opt_key_text"
    )]
    pub key: Option<SecretKey>,
    /// The name the user gave it.
    pub name: String,
    /// Media type of a file, as given at upload.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// Plaintext size of a file in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
}

/// A keystore document: resource URL → entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeystoreDoc {
    pub format: String,
    pub version: u32,
    /// Writes so far (FORMAT.md §4.2): picks the current slot.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub counter: u64,
    pub entries: BTreeMap<String, Entry>,
}

impl Default for KeystoreDoc {
    fn default() -> Self {
        Self {
            format: KEYSTORE_FORMAT.to_owned(),
            version: VERSION,
            counter: 0,
            entries: BTreeMap::new(),
        }
    }
}

/// An encrypted document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The envelope did not open (wrong key, damaged, or not ours).
    #[error(transparent)]
    Envelope(#[from] OpenError),
    /// The JSON is malformed.
    #[error("the document is not valid keystore JSON: {0}")]
    Json(String),
    /// Another format or a newer version.
    #[error("unsupported document: format {format:?} version {version}")]
    Unsupported { format: String, version: u32 },
    /// Over [`MAX_DOCUMENT_BYTES`]: not decrypted.
    #[error("the document is {len} bytes, more than the {MAX_DOCUMENT_BYTES} a keystore may have")]
    TooBig { len: usize },
}

/// An encrypted document could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    #[error(transparent)]
    Seal(#[from] SealError),
    #[error("could not write keystore JSON: {0}")]
    Json(String),
    /// Sealed, it would be over [`MAX_DOCUMENT_BYTES`], which no reader opens.
    #[error(
        "the document would be {len} bytes, more than the {MAX_DOCUMENT_BYTES} a keystore may have"
    )]
    TooBig { len: usize },
}

/// Documents with a `format` and `version` header and a write `counter`.
pub trait Versioned: Serialize + for<'de> Deserialize<'de> {
    /// The expected `format` value.
    const FORMAT: &'static str;
    /// The document's own header.
    fn header(&self) -> (&str, u32);
    /// How many times it was written (FORMAT.md §4.2; 0 if it says nothing).
    fn counter(&self) -> u64;
    /// Sets the counter before a write.
    fn set_counter(&mut self, counter: u64);
}

/// Implements [`Versioned`] for a document with `format`, `version` and `counter`
/// fields, as every sealed document of FORMAT.md §4 has.
macro_rules! impl_versioned {
    ($doc:ty, $format:expr) => {
        impl $crate::keystore::format::Versioned for $doc {
            const FORMAT: &'static str = $format;
            fn header(&self) -> (&str, u32) {
                (&self.format, self.version)
            }
            fn counter(&self) -> u64 {
                self.counter
            }
            fn set_counter(&mut self, counter: u64) {
                self.counter = counter;
            }
        }
    };
}
pub(crate) use impl_versioned;

impl_versioned!(IndexDoc, INDEX_FORMAT);

impl_versioned!(KeystoreDoc, KEYSTORE_FORMAT);

/// Serde's test for leaving a counter of 0 out, so documents that never had one
/// are written as before.
pub(crate) fn is_zero(counter: &u64) -> bool {
    *counter == 0
}

/// Seals a document's JSON under `key` (a fresh salt every time).
pub fn encrypt<T: Versioned>(doc: &T, key: &SecretKey) -> Result<Vec<u8>, EncodeError> {
    let json =
        Zeroizing::new(serde_json::to_vec(doc).map_err(|e| EncodeError::Json(e.to_string()))?);
    let options = SealOptions {
        chunk_size: CHUNK_SIZE,
        ..SealOptions::default()
    };
    let sealed = envelope::seal(key, &json, &options)?;
    if sealed.len() > MAX_DOCUMENT_BYTES {
        return Err(EncodeError::TooBig { len: sealed.len() });
    }
    Ok(sealed)
}

/// Opens and parses a document sealed by [`encrypt`].
pub fn decrypt<T: Versioned>(bytes: &[u8], key: &SecretKey) -> Result<T, DecodeError> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(DecodeError::TooBig { len: bytes.len() });
    }
    let opened = envelope::open(key, bytes)?;
    parse_json(&opened.plaintext)
}

/// Parses a document's JSON once decrypted: whoever could write the keystore (a
/// collaborator, for a shared folder) chose these bytes, so this is a parser of
/// outside input (fuzzed: `solidcrypt::fuzz::keystore_json`).
pub fn parse_json<T: Versioned>(json: &[u8]) -> Result<T, DecodeError> {
    let doc: T = serde_json::from_slice(json).map_err(|e| DecodeError::Json(e.to_string()))?;
    let (format, version) = doc.header();
    if format != T::FORMAT || version != VERSION {
        return Err(DecodeError::Unsupported {
            format: format.to_owned(),
            version,
        });
    }
    Ok(doc)
}

/// serde for a [`SecretKey`] as base64url text, parsed from the borrowed JSON text
/// (also used by other keystore-sealed documents, such as the list of shares).
pub(crate) mod key_text {
    use super::*;

    pub fn serialize<S: Serializer>(key: &SecretKey, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&key.to_base64url())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<SecretKey, D::Error> {
        d.deserialize_str(KeyVisitor)
    }

    pub(super) struct KeyVisitor;

    impl serde::de::Visitor<'_> for KeyVisitor {
        type Value = SecretKey;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a 256-bit key in base64url")
        }
        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<SecretKey, E> {
            SecretKey::from_base64url(text).map_err(E::custom)
        }
    }
}

/// [`key_text`] for an optional key (also used by other keystore-sealed
/// documents, such as the list of links created).
pub(crate) mod opt_key_text {
    use super::*;

    pub fn serialize<S: Serializer>(key: &Option<SecretKey>, s: S) -> Result<S::Ok, S::Error> {
        match key {
            Some(key) => key_text::serialize(key, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SecretKey>, D::Error> {
        d.deserialize_str(key_text::KeyVisitor).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keystore_round_trips_and_wrong_key_fails() {
        let key = SecretKey::generate().unwrap();
        let mut doc = KeystoreDoc::default();
        doc.entries.insert(
            "http://pod/a/f1".into(),
            Entry {
                key: Some(SecretKey::from_bytes([7; 32])),
                name: "notes.txt".into(),
                media_type: Some("text/plain".into()),
                size: Some(12),
            },
        );
        doc.entries.insert(
            "http://pod/a/d1/".into(),
            Entry {
                key: None,
                name: "Photos".into(),
                media_type: None,
                size: None,
            },
        );
        let bytes = encrypt(&doc, &key).unwrap();
        let back: KeystoreDoc = decrypt(&bytes, &key).unwrap();
        let f1 = &back.entries["http://pod/a/f1"];
        assert_eq!(f1.key.as_ref().unwrap().expose_bytes(), &[7; 32]);
        assert_eq!(f1.name, "notes.txt");
        assert!(back.entries["http://pod/a/d1/"].key.is_none());
        let other = SecretKey::generate().unwrap();
        assert!(matches!(
            decrypt::<KeystoreDoc>(&bytes, &other),
            Err(DecodeError::Envelope(OpenError::KeyOrHeaderMismatch))
        ));
        // A keystore is not an index.
        assert!(matches!(
            decrypt::<IndexDoc>(&bytes, &key),
            Err(DecodeError::Json(_))
        ));
    }

    #[test]
    fn newer_versions_are_refused() {
        let key = SecretKey::generate().unwrap();
        let doc = KeystoreDoc {
            version: 2,
            ..KeystoreDoc::default()
        };
        let bytes = encrypt(&doc, &key).unwrap();
        assert!(matches!(
            decrypt::<KeystoreDoc>(&bytes, &key),
            Err(DecodeError::Unsupported { version: 2, .. })
        ));
    }

    #[test]
    fn documents_over_the_limit_are_neither_written_nor_read() {
        let key = SecretKey::generate().unwrap();
        let mut doc = KeystoreDoc::default();
        let name = "n".repeat(64 * 1024);
        for i in 0..(MAX_DOCUMENT_BYTES / name.len() + 1) {
            let entry = Entry {
                key: None,
                name: name.clone(),
                media_type: None,
                size: None,
            };
            doc.entries.insert(format!("http://pod/a/{i}"), entry);
        }
        assert!(matches!(
            encrypt(&doc, &key),
            Err(EncodeError::TooBig { .. })
        ));
        let huge = vec![0; MAX_DOCUMENT_BYTES + 1];
        assert!(matches!(
            decrypt::<KeystoreDoc>(&huge, &key),
            Err(DecodeError::TooBig { .. })
        ));
    }

    #[test]
    fn scopes() {
        let entry = |kind, scope: &str| IndexEntry {
            url: "http://pod/k".into(),
            key: SecretKey::from_bytes([1; 32]),
            kind,
            scope: scope.into(),
            owner: "http://pod/me".into(),
            mode: None,
        };
        let root = entry(KeystoreKind::Root, "http://pod/a/files/");
        assert!(root.covers("http://pod/a/files/x/y"));
        assert!(!root.covers("http://pod/a/other"));
        assert!(!root.covers("http://pod/a/files2/y"));
        assert!(!entry(KeystoreKind::Root, "http://pod/a/files").covers("http://pod/a/files2/y"));
        let file = entry(KeystoreKind::SharedFile, "http://pod/a/files/x");
        assert!(file.covers("http://pod/a/files/x"));
        assert!(!file.covers("http://pod/a/files/xy"));
    }
}
