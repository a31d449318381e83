//! SolidCryptPad's documents after decryption (docs/FORMAT.md §10.2-10.4): the
//! keystore index, one keystore, and a file's data URL; and the URL normalisation
//! that matches its keystores' raw URL strings to the pod's listing. All of it
//! comes from the pod, so every parser has a size limit and refuses rather than
//! guesses.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use percent_encoding::percent_decode_str;
use serde::Deserialize;
use zeroize::Zeroizing;

/// The most keystores one index may list.
pub const MAX_KEYSTORES: usize = 10_000;
/// The most keys one keystore may hold.
pub const MAX_KEYS: usize = 200_000;
/// The longest key (passphrase) string: SolidCryptPad's are 64 hex digits.
pub const MAX_KEY_LEN: usize = 512;
/// The longest URL in a keystore.
pub const MAX_URL_LEN: usize = 4096;
/// The longest data URL header (`data:<type>;base64`).
const MAX_DATA_HEADER: usize = 256;

/// A decrypted document is not what SolidCryptPad writes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    #[error("not the JSON SolidCryptPad writes: {0}")]
    Json(String),
    #[error("more than {limit} entries")]
    TooMany { limit: usize },
    #[error("a key or URL is empty or too long")]
    BadEntry,
    #[error("not a data URL (data:<type>;base64,<data>)")]
    NotDataUrl,
    #[error("the data URL's base64 is damaged")]
    BadBase64,
}

/// What an index entry is for (its `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kind {
    /// The owner's keystores: the root one (`root.json.enc`) and one per folder
    /// they shared (`<64 hex>.shared-keystore`).
    Folder,
    /// Keys of single files others shared with the owner (`shared-files.json.enc`).
    SharedFile,
    /// A folder someone else shared with the owner (its keystore is on their pod).
    SharedFolder,
    /// A `type` this reader does not know: skipped, reported.
    Unknown,
}

/// One entry of `keystores.json.enc`.
#[derive(Clone, PartialEq, Eq)]
pub struct IndexEntry {
    pub kind: Kind,
    /// Where the keystore is (as SolidCryptPad wrote it: raw, maybe anywhere).
    pub url: String,
    /// The folder it holds keys for (`folder`, `sharedFolder`).
    pub root: Option<String>,
    /// The passphrase that opens the keystore (`storageSerialized.encryptionKey`).
    pub passphrase: Zeroizing<String>,
}

impl std::fmt::Debug for IndexEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexEntry")
            .field("kind", &self.kind)
            .field("url", &self.url)
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEntry {
    #[serde(rename = "type")]
    kind: String,
    keystore_serialized: String,
    storage_serialized: String,
}

#[derive(Deserialize)]
struct RawKeystore {
    url: String,
    root: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawStorage {
    encryption_key: String,
}

#[derive(Deserialize)]
struct RawKeys {
    keys: std::collections::BTreeMap<String, String>,
}

fn json<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, FormatError> {
    serde_json::from_str(text).map_err(|e| FormatError::Json(e.to_string()))
}

fn checked_key(key: String) -> Result<Zeroizing<String>, FormatError> {
    let key = Zeroizing::new(key);
    if key.is_empty() || key.len() > MAX_KEY_LEN {
        return Err(FormatError::BadEntry);
    }
    Ok(key)
}

fn checked_url(url: String) -> Result<String, FormatError> {
    if url.is_empty() || url.len() > MAX_URL_LEN {
        return Err(FormatError::BadEntry);
    }
    Ok(url)
}

/// Parses the decrypted `keystores.json.enc`: a JSON array of entries whose
/// `keystoreSerialized` and `storageSerialized` are themselves JSON texts.
pub fn parse_index(text: &str) -> Result<Vec<IndexEntry>, FormatError> {
    let raw: Vec<RawEntry> = json(text)?;
    if raw.len() > MAX_KEYSTORES {
        return Err(FormatError::TooMany {
            limit: MAX_KEYSTORES,
        });
    }
    raw.into_iter()
        .map(|entry| {
            let keystore: RawKeystore = json(&entry.keystore_serialized)?;
            let storage_text = Zeroizing::new(entry.storage_serialized);
            let storage: RawStorage = json(&storage_text)?;
            Ok(IndexEntry {
                kind: match entry.kind.as_str() {
                    "folder" => Kind::Folder,
                    "sharedFile" => Kind::SharedFile,
                    "sharedFolder" => Kind::SharedFolder,
                    _ => Kind::Unknown,
                },
                url: checked_url(keystore.url)?,
                root: keystore.root.map(checked_url).transpose()?,
                passphrase: checked_key(storage.encryption_key)?,
            })
        })
        .collect()
}

/// Parses one decrypted keystore, `{"keys": {"<file URL>": "<key>"}}`, into its
/// (URL, key) pairs.
pub fn parse_keystore(text: &str) -> Result<Vec<(String, Zeroizing<String>)>, FormatError> {
    let raw: RawKeys = json(text)?;
    if raw.keys.len() > MAX_KEYS {
        return Err(FormatError::TooMany { limit: MAX_KEYS });
    }
    raw.keys
        .into_iter()
        .map(|(url, key)| Ok((checked_url(url)?, checked_key(key)?)))
        .collect()
}

/// A file's content as SolidCryptPad stored it: `FileReader.readAsDataURL`.
#[derive(Clone, PartialEq, Eq)]
pub struct DataUrl {
    /// The type in the data URL; `application/octet-stream` where it was empty.
    pub media_type: String,
    pub bytes: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for DataUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataUrl")
            .field("media_type", &self.media_type)
            .field("len", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

/// Parses `data:<type>;base64,<standard base64>`, the only form FileReader
/// writes (an empty file: nothing after the comma). A type is visible ASCII
/// (parameters such as `;charset=…` kept); anything else is refused.
pub fn parse_data_url(text: &str) -> Result<DataUrl, FormatError> {
    let rest = text.strip_prefix("data:").ok_or(FormatError::NotDataUrl)?;
    let comma = rest
        .get(..MAX_DATA_HEADER.min(rest.len()))
        .and_then(|head| head.find(','))
        .ok_or(FormatError::NotDataUrl)?;
    let (header, data) = (&rest[..comma], &rest[comma + 1..]);
    let media_type = header
        .strip_suffix(";base64")
        .ok_or(FormatError::NotDataUrl)?;
    if !media_type.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(FormatError::NotDataUrl);
    }
    let bytes = Zeroizing::new(STANDARD.decode(data).map_err(|_| FormatError::BadBase64)?);
    Ok(DataUrl {
        media_type: if media_type.is_empty() {
            "application/octet-stream".to_owned()
        } else {
            media_type.to_owned()
        },
        bytes,
    })
}

/// One form for a SolidCryptPad keystore's raw URL string and the pod's listing
/// URL of the same file: percent-decoded (its keystores hold non-ASCII raw, the
/// pod's listing encodes it) and without spaces (SolidCryptPad wrote files at
/// their URL with spaces removed; removing them on both sides matches whichever
/// form a keystore holds).
pub fn normalise(url: &str) -> String {
    percent_decode_str(url)
        .decode_utf8_lossy()
        .chars()
        .filter(|c| *c != ' ')
        .collect()
}
