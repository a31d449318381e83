//! Reading and writing one encrypted document with optimistic concurrency, in two
//! slots (FORMAT.md §4.4, [`super::slots`]) so an interrupted write loses nothing.
//!
//! Every write is read-modify-write: GET both slots (keeping their ETags), apply the
//! change to the current version, PUT it with the next counter to the other slot
//! with `If-Match` (or `If-None-Match: *` when creating). On 412 someone else wrote
//! in between; the change is re-applied to their version and retried, so concurrent
//! writers never lose each other's keys.

use url::Url;

use super::format::{decrypt, encrypt, DecodeError, EncodeError, Versioned};
use super::pause;
use super::slots::{self, Pair, Slot, Target};
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

/// A document as read (its current slot), with where its next version goes.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    pub doc: T,
    /// The other slot and its condition; `None` if the pod gave no ETag.
    next: Option<Target>,
    /// Slot A in place, for when `next` is an absent slot B the writer may not create
    /// (a share from before slots, FORMAT.md §4.4).
    in_place: Option<Target>,
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
    #[error(
        "your root keystore {url} is missing from the pod, so your files' keys are gone \
         from it; nothing was written. Restore it (and its .b copy) from a backup"
    )]
    RootMissing { url: Url },
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

/// GETs both slots of the document at `url` and decrypts the current one;
/// `Ok(None)` if it does not exist. A slot that does not open is ignored while the
/// other does; if neither opens, that is a [`LoadError::Decode`].
pub async fn load<H: HttpClient, T: Versioned>(
    pod: &Pod<'_, H>,
    url: &Url,
    key: &SecretKey,
) -> Result<Option<Loaded<T>>, LoadError> {
    let pair = slots::read(pod, url)
        .await
        .map_err(|(url, source)| LoadError::Read { url, source })?;
    open(&pair, key)
}

/// The current version of `pair` under `key` (FORMAT.md §4.4, "Reading").
fn open<T: Versioned>(pair: &Pair, key: &SecretKey) -> Result<Option<Loaded<T>>, LoadError> {
    let try_open = |slot| pair.get(slot).body().map(|body| decrypt::<T>(body, key));
    let (mut a, mut b) = (try_open(Slot::A), try_open(Slot::B));
    let counter = |o: &Option<Result<T, DecodeError>>| match o {
        Some(Ok(doc)) => Some(doc.counter()),
        _ => None,
    };
    let Some(current) = slots::current(counter(&a), counter(&b)) else {
        return match (a, b) {
            (Some(Err(source)), _) => Err(LoadError::Decode {
                url: pair.url(Slot::A),
                source,
            }),
            (_, Some(Err(source))) => Err(LoadError::Decode {
                url: pair.url(Slot::B),
                source,
            }),
            _ => Ok(None),
        };
    };
    let opened = match current {
        Slot::A => a.take(),
        Slot::B => b.take(),
    };
    let Some(Ok(doc)) = opened else {
        unreachable!("the current slot is one that opened")
    };
    let next = pair.target(current);
    let in_place = match (&next, &pair.b) {
        (Some(t), slots::Found::Absent) if t.slot == Slot::B => pair.target_at(Slot::A),
        _ => None,
    };
    Ok(Some(Loaded {
        doc,
        next,
        in_place,
    }))
}

/// Writes `doc` as a new document at `url` (`If-None-Match: *`, FORMAT.md §4.4), for
/// a document that cannot exist yet or whose existing version must be kept, then
/// copies it to slot B. Returns `false`, writing nothing, if slot A is there already.
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
        .put(url, ENCRYPTED_TYPE, body.clone(), &Condition::IfAbsent)
        .await
    {
        Ok(()) => {
            copy_to_b(pod, url, body).await;
            Ok(true)
        }
        Err(WriteError::Conflict) => Ok(false),
        Err(source) => Err(UpdateError::Write {
            url: url.clone(),
            source,
        }),
    }
}

/// Puts the version just created in slot A into slot B too (`If-None-Match: *`), so
/// readers find both slots and never ask for a missing one (a 404 is an error in
/// the browser's console). Best effort: without it the next write creates slot B.
pub(crate) async fn copy_to_b<H: HttpClient>(pod: &Pod<'_, H>, a: &Url, body: Vec<u8>) {
    let _ = pod
        .put(
            &slots::slot_b(a),
            ENCRYPTED_TYPE,
            body,
            &Condition::IfAbsent,
        )
        .await;
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
        let creating = Target {
            slot: Slot::A,
            url: url.clone(),
            condition: Condition::IfAbsent,
        };
        let loaded = load::<H, T>(pod, url, key).await?;
        let created = loaded.is_none();
        let (mut doc, target, in_place) = match loaded {
            // No ETag means no safe write; a pod without ETags is not supported.
            Some(current) => match current.next {
                Some(next) => (current.doc, next, current.in_place),
                None => {
                    return Err(UpdateError::Write {
                        url: url.clone(),
                        source: WriteError::Unexpected(200),
                    })
                }
            },
            None => (fresh(), creating, None),
        };
        if !change(&mut doc) {
            return Ok(doc);
        }
        doc.set_counter(doc.counter().saturating_add(1));
        let body = encrypt(&doc, key).map_err(|source| UpdateError::Encode {
            url: target.url.clone(),
            source,
        })?;
        let mut written = put(pod, &target, body.clone()).await;
        if let (Err(WriteError::Forbidden | WriteError::Unauthorized), Some(place)) =
            (&written, &in_place)
        {
            written = put(pod, place, body.clone()).await;
        }
        match written {
            Ok(()) => {
                if created {
                    copy_to_b(pod, url, body).await;
                }
                return Ok(doc);
            }
            Err(WriteError::Conflict) => pause::after_conflict(attempt).await,
            Err(source) => {
                return Err(UpdateError::Write {
                    url: target.url,
                    source,
                })
            }
        }
    }
    Err(UpdateError::TooMuchContention { url: url.clone() })
}

async fn put<H: HttpClient>(
    pod: &Pod<'_, H>,
    target: &Target,
    body: Vec<u8>,
) -> Result<(), WriteError> {
    pod.put(&target.url, ENCRYPTED_TYPE, body, &target.condition)
        .await
}
