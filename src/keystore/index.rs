//! Rewriting the keystore index during a session (a share added or removed) without
//! asking for the master password again.
//!
//! The index file is the password wrap of a random index key followed by the index
//! sealed under that key (FORMAT.md §4.2), kept in two slots (§4.4). Unlocking yields
//! the index key and the wrap it opened behind, which the keyring keeps ([`IndexKey`],
//! the key zeroized when dropped); a rewrite puts that same wrap in front of the
//! changed index sealed under the same key with a fresh salt, into the slot that is
//! not current. Read-modify-write with `If-Match` and re-apply on 412, like
//! keystores. If the password was changed in another tab meanwhile, a slot starts
//! with another wrap: the rewrite is refused with [`IndexError::PasswordChanged`]
//! and nothing is written.

use std::cell::RefCell;
use std::rc::Rc;

use url::Url;

use super::format::{decrypt, encrypt, EncodeError, IndexDoc};
use super::pause;
use super::rollback::Seen;
use super::slots::{self, Pair, Slot, Target};
use super::store::ENCRYPTED_TYPE;
use crate::crypto::password::WRAPPED_LEN;
use crate::crypto::SecretKey;
use crate::pod::error::{ReadError, WriteError};
use crate::pod::http::HttpClient;
use crate::pod::Pod;

/// Rounds of read-modify-write before giving up (as for keystores).
const MAX_ATTEMPTS: usize = 200;

/// The index could not be rewritten; the index on the pod is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IndexError {
    #[error("cannot read the keystore index: {0}")]
    Read(ReadError),
    #[error("the master password was changed elsewhere; lock and unlock again")]
    PasswordChanged,
    #[error("the keystore index is damaged: {0}")]
    Damaged(String),
    #[error("cannot encrypt the keystore index: {0}")]
    Encode(EncodeError),
    #[error("cannot write the keystore index: {0}")]
    Write(WriteError),
    #[error("the keystore index kept changing under us; try again")]
    TooMuchContention,
}

/// What a session keeps to rewrite the index without the password: the index key,
/// the password wrap it came from, and the latest version seen (for the browser's
/// rollback memory, FORMAT.md §4.6). Cheap to clone (shared).
#[derive(Clone)]
pub(crate) struct IndexKey(Rc<Kept>);

struct Kept {
    key: SecretKey,
    wrap: Vec<u8>,
    seen: RefCell<Seen>,
    /// Told about every version this session writes.
    watcher: RefCell<Option<Watcher>>,
}

/// What is told about every index version a session writes.
pub(crate) type Watcher = Box<dyn Fn(&Seen)>;

impl IndexKey {
    /// The key from the wrap at the start of the index file `seen` describes.
    pub(crate) fn new(key: SecretKey, wrap: &[u8], seen: Seen) -> Self {
        Self(Rc::new(Kept {
            key,
            wrap: wrap.to_vec(),
            seen: RefCell::new(seen),
            watcher: RefCell::new(None),
        }))
    }

    /// The latest version of the index this session read or wrote.
    pub(crate) fn seen(&self) -> Seen {
        self.0.seen.borrow().clone()
    }

    /// Calls `watcher` with every version this session writes from now on.
    pub(crate) fn watch(&self, watcher: Watcher) {
        *self.0.watcher.borrow_mut() = Some(watcher);
    }

    fn saw(&self, seen: Seen) {
        *self.0.seen.borrow_mut() = seen.clone();
        if let Some(watcher) = self.0.watcher.borrow().as_ref() {
            watcher(&seen);
        }
    }

    /// `index` sealed behind the kept wrap: one slot's bytes.
    fn seal(&self, index: &IndexDoc) -> Result<Vec<u8>, EncodeError> {
        let mut body = self.0.wrap.clone();
        body.extend_from_slice(&encrypt(index, &self.0.key)?);
        Ok(body)
    }
}

/// Applies `change` to the index at `url` (sealed under `index_key`) and writes it
/// back if `change` says it changed anything. Returns the index as written (or read).
pub(crate) async fn update_index<H: HttpClient>(
    pod: &Pod<'_, H>,
    url: &Url,
    index_key: &IndexKey,
    mut change: impl FnMut(&mut IndexDoc) -> bool,
) -> Result<IndexDoc, IndexError> {
    for attempt in 0..MAX_ATTEMPTS {
        let pair = slots::read(pod, url)
            .await
            .map_err(|(_, e)| IndexError::Read(e))?;
        let (current, mut index) = open_current(&pair, index_key)?;
        if !change(&mut index) {
            return Ok(index);
        }
        let target = pair
            .target(current)
            .ok_or(IndexError::Write(WriteError::Unexpected(200)))?;
        match write(pod, &target, &mut index, index_key).await {
            Ok(()) => return Ok(index),
            Err(IndexError::Write(WriteError::Conflict)) => pause::after_conflict(attempt).await,
            Err(e) => return Err(e),
        }
    }
    Err(IndexError::TooMuchContention)
}

/// Unlock's repair of a slot that did not open (FORMAT.md §4.4, "Unlocking"):
/// `index` (the current version) written once more into `target`, behind the kept
/// wrap. Fails, changing nothing, if someone wrote there meanwhile (412).
pub(crate) async fn repair<H: HttpClient>(
    pod: &Pod<'_, H>,
    target: &Target,
    mut index: IndexDoc,
    index_key: &IndexKey,
) -> Result<(), IndexError> {
    write(pod, target, &mut index, index_key).await
}

/// Writes `index` with the next counter to `target`; remembers what it wrote.
async fn write<H: HttpClient>(
    pod: &Pod<'_, H>,
    target: &Target,
    index: &mut IndexDoc,
    index_key: &IndexKey,
) -> Result<(), IndexError> {
    index.counter = index.counter.saturating_add(1);
    let body = index_key.seal(index).map_err(IndexError::Encode)?;
    let seen = Seen::of(index.counter, &body);
    pod.put(&target.url, ENCRYPTED_TYPE, body, &target.condition)
        .await
        .map_err(IndexError::Write)?;
    index_key.saw(seen);
    Ok(())
}

/// The current slot of the index and what it holds, under the session's key.
fn open_current(pair: &Pair, index_key: &IndexKey) -> Result<(Slot, IndexDoc), IndexError> {
    if pair.is_absent() {
        return Err(IndexError::Read(ReadError::NotFound));
    }
    let mut opened = [None, None];
    for (i, slot) in [Slot::A, Slot::B].into_iter().enumerate() {
        let Some(body) = pair.get(slot).body() else {
            continue;
        };
        if body.len() >= WRAPPED_LEN && body[..WRAPPED_LEN] != index_key.0.wrap[..] {
            return Err(IndexError::PasswordChanged);
        }
        opened[i] = body
            .get(WRAPPED_LEN..)
            .and_then(|sealed| decrypt::<IndexDoc>(sealed, &index_key.0.key).ok());
    }
    let [a, b] = opened;
    let counter = |doc: &Option<IndexDoc>| doc.as_ref().map(|d| d.counter);
    match slots::current(counter(&a), counter(&b)) {
        Some(Slot::A) => Ok((Slot::A, a.expect("current opened"))),
        Some(Slot::B) => Ok((Slot::B, b.expect("current opened"))),
        None => Err(IndexError::Damaged(
            "neither copy of the index opens with this session's key".into(),
        )),
    }
}
