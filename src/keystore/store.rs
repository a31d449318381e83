//! Reading and writing one encrypted document with optimistic concurrency.
//!
//! Every write is read-modify-write: GET (keeping the ETag), apply the change to
//! what was read, PUT with `If-Match` (or `If-None-Match: *` when creating). On 412
//! someone else wrote in between; the change is re-applied to their version and
//! retried, so concurrent writers never lose each other's keys.

use url::Url;

use super::format::{decrypt, encrypt, DecodeError, EncodeError, Versioned};
use super::pause;
use crate::crypto::SecretKey;
use crate::pod::error::{ReadError, WriteError};
use crate::pod::http::HttpClient;
use crate::pod::resource::Condition;
use crate::pod::Pod;

/// Media type of every encrypted document on the pod.
pub const ENCRYPTED_TYPE: &str = "application/octet-stream";

/// How often a write is retried after 412 before giving up: contention among a
/// handful of tabs or collaborators clears in a few rounds; the bound only stops a
/// runaway loop.
const MAX_ATTEMPTS: usize = 200;

/// A document as read, with the ETag to write it back.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    pub doc: T,
    pub etag: Option<String>,
}

/// Reading an encrypted document failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    #[error("cannot read {url}: {source}")]
    Read { url: Url, source: ReadError },
    #[error("cannot decrypt {url}: {source}")]
    Decode { url: Url, source: DecodeError },
    #[error("a keystore address in the index is not a URL: {0}")]
    BadUrl(String),
}

/// An update of an encrypted document failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UpdateError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("cannot encrypt {url}: {source}")]
    Encode { url: Url, source: EncodeError },
    #[error("cannot write {url}: {source}")]
    Write { url: Url, source: WriteError },
    #[error("{url} kept changing under us; gave up after {MAX_ATTEMPTS} attempts")]
    TooMuchContention { url: Url },
}

/// GETs and decrypts the document at `url`; `Ok(None)` if it does not exist.
pub async fn load<H: HttpClient, T: Versioned>(
    pod: &Pod<'_, H>,
    url: &Url,
    key: &SecretKey,
) -> Result<Option<Loaded<T>>, LoadError> {
    let resource = match pod.get(url).await {
        Ok(resource) => resource,
        Err(ReadError::NotFound) => return Ok(None),
        Err(source) => {
            return Err(LoadError::Read {
                url: url.clone(),
                source,
            })
        }
    };
    let doc = decrypt(&resource.body, key).map_err(|source| LoadError::Decode {
        url: url.clone(),
        source,
    })?;
    Ok(Some(Loaded {
        doc,
        etag: resource.meta.etag,
    }))
}

/// Writes `doc` as a new document at `url` in one request (`If-None-Match: *`),
/// for a document that cannot exist yet or whose existing version must be kept.
/// Returns `false`, writing nothing, if one is there already.
pub async fn create<H: HttpClient, T: Versioned>(
    pod: &Pod<'_, H>,
    url: &Url,
    key: &SecretKey,
    doc: &T,
) -> Result<bool, UpdateError> {
    let body = encrypt(doc, key).map_err(|source| UpdateError::Encode {
        url: url.clone(),
        source,
    })?;
    match pod
        .put(url, ENCRYPTED_TYPE, body, &Condition::IfAbsent)
        .await
    {
        Ok(()) => Ok(true),
        Err(WriteError::Conflict) => Ok(false),
        Err(source) => Err(UpdateError::Write {
            url: url.clone(),
            source,
        }),
    }
}

/// Read-modify-write of the document at `url` under `key`.
///
/// `change` gets the current document (`T::default()`-like `fresh()` if none exists)
/// and returns whether it changed anything; it may run several times, each time on
/// the latest version. Returns the document as written (or as read, if unchanged).
pub async fn update<H, T, F>(
    pod: &Pod<'_, H>,
    url: &Url,
    key: &SecretKey,
    fresh: impl Fn() -> T,
    mut change: F,
) -> Result<T, UpdateError>
where
    H: HttpClient,
    T: Versioned,
    F: FnMut(&mut T) -> bool,
{
    for attempt in 0..MAX_ATTEMPTS {
        let (mut doc, condition) = match load::<H, T>(pod, url, key).await? {
            Some(current) => {
                let condition = match current.etag {
                    Some(etag) => Condition::IfMatch(etag),
                    // No ETag means no safe write; a pod without ETags is not supported.
                    None => {
                        return Err(UpdateError::Write {
                            url: url.clone(),
                            source: WriteError::Unexpected(200),
                        })
                    }
                };
                (current.doc, condition)
            }
            None => (fresh(), Condition::IfAbsent),
        };
        if !change(&mut doc) {
            return Ok(doc);
        }
        let body = encrypt(&doc, key).map_err(|source| UpdateError::Encode {
            url: url.clone(),
            source,
        })?;
        match pod.put(url, ENCRYPTED_TYPE, body, &condition).await {
            Ok(()) => return Ok(doc),
            Err(WriteError::Conflict) => pause::after_conflict(attempt).await,
            Err(source) => {
                return Err(UpdateError::Write {
                    url: url.clone(),
                    source,
                })
            }
        }
    }
    Err(UpdateError::TooMuchContention { url: url.clone() })
}
