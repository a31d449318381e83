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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_parses_with_its_nested_json() {
        let text = r#"[{"type":"folder","keystoreSerialized":"{\"url\":\"http://p/a/solidcryptpad-data/keystores/root.json.enc\",\"root\":\"http://p/a/\"}","storageSerialized":"{\"encryptionKey\":\"abc\"}"},
                       {"type":"sharedFile","keystoreSerialized":"{\"url\":\"http://p/a/s.json.enc\"}","storageSerialized":"{\"encryptionKey\":\"def\"}"},
                       {"type":"group","keystoreSerialized":"{\"url\":\"http://p/x\"}","storageSerialized":"{\"encryptionKey\":\"g\"}"}]"#;
        let index = parse_index(text).unwrap();
        assert_eq!(index.len(), 3);
        assert_eq!(index[0].kind, Kind::Folder);
        assert_eq!(index[0].root.as_deref(), Some("http://p/a/"));
        assert_eq!(index[0].passphrase.as_str(), "abc");
        assert_eq!(index[1].kind, Kind::SharedFile);
        assert_eq!(index[1].root, None);
        assert_eq!(index[2].kind, Kind::Unknown);
        assert!(
            !format!("{:?}", index[0]).contains("abc"),
            "no key in Debug"
        );
    }

    #[test]
    fn damaged_indexes_and_keystores_are_refused() {
        for bad in [
            "",
            "{}",
            "[1]",
            r#"[{"type":"folder","keystoreSerialized":"not json","storageSerialized":"{\"encryptionKey\":\"k\"}"}]"#,
            r#"[{"type":"folder","keystoreSerialized":"{\"url\":\"u\"}","storageSerialized":"{}"}]"#,
            r#"[{"type":"folder","keystoreSerialized":"{\"url\":\"u\"}","storageSerialized":"{\"encryptionKey\":\"\"}"}]"#,
        ] {
            assert!(parse_index(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_keystore(r#"{"keys":{"http://p/a":"k"}}"#)
                .unwrap()
                .len(),
            1
        );
        for bad in [
            "[]",
            r#"{"keys":[]}"#,
            r#"{"keys":{"u":1}}"#,
            r#"{"keys":{"":"k"}}"#,
        ] {
            assert!(parse_keystore(bad).is_err(), "{bad}");
        }
        let long = format!(r#"{{"keys":{{"u":"{}"}}}}"#, "k".repeat(MAX_KEY_LEN + 1));
        assert_eq!(parse_keystore(&long), Err(FormatError::BadEntry));
    }

    #[test]
    fn data_urls_as_file_reader_writes_them() {
        let png = parse_data_url("data:image/png;base64,iVBORw==").unwrap();
        assert_eq!(png.media_type, "image/png");
        assert_eq!(&png.bytes[..], &[0x89, b'P', b'N', b'G']);
        let empty = parse_data_url("data:;base64,").unwrap();
        assert_eq!(empty.media_type, "application/octet-stream");
        assert!(empty.bytes.is_empty());
        let text = parse_data_url("data:text/plain;charset=utf-8;base64,aGk=").unwrap();
        assert_eq!(text.media_type, "text/plain;charset=utf-8");
        for bad in [
            "",
            "data:",
            "data:text/plain,hi",
            "data:text/plain;base64",
            "data:text/pl ain;base64,aGk=",
            "data:text/plain;base64,aGk",
            "data:text/plain;base64,a!k=",
            "hello data:text/plain;base64,aGk=",
        ] {
            assert!(parse_data_url(bad).is_err(), "{bad}");
        }
        let long_header = format!("data:{};base64,", "a".repeat(MAX_DATA_HEADER));
        assert_eq!(parse_data_url(&long_header), Err(FormatError::NotDataUrl));
    }

    #[test]
    fn raw_and_listed_urls_meet() {
        assert_eq!(
            normalise("http://p/a/solidcryptpad/Jahr2026/Überuns.txt"),
            normalise("http://p/a/solidcryptpad/Jahr2026/%C3%9Cberuns.txt")
        );
        assert_eq!(
            normalise("http://p/a/My file.txt"),
            normalise("http://p/a/Myfile.txt")
        );
        assert_ne!(normalise("http://p/a/b.txt"), normalise("http://p/a/c.txt"));
    }
}
