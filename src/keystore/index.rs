//! Rewriting the keystore index during a session (a share added or removed) without
//! asking for the master password again.
//!
//! The index file is the password wrap of a random index key followed by the index
//! sealed under that key (FORMAT.md §4.2). Unlocking yields the index key, which the
//! keyring keeps (zeroized when it is dropped); a rewrite keeps the wrap bytes as
//! they are on the pod and seals the changed index under the same key with a fresh
//! salt. Read-modify-write with `If-Match` and re-apply on 412, like keystores. If
//! the password was changed in another tab meanwhile, the index key changed with it:
//! the rewrite is refused with [`IndexError::PasswordChanged`] and nothing is written.

use url::Url;

use super::format::{decrypt, encrypt, DecodeError, EncodeError, IndexDoc};
use super::pause;
use super::store::ENCRYPTED_TYPE;
use crate::crypto::password::WRAPPED_LEN;
use crate::crypto::SecretKey;
use crate::pod::error::{ReadError, WriteError};
use crate::pod::http::HttpClient;
use crate::pod::resource::Condition;
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

/// Applies `change` to the index at `url` (sealed under `index_key`) and writes it
/// back if `change` says it changed anything. Returns the index as written (or read).
pub(crate) async fn update_index<H: HttpClient>(
    pod: &Pod<'_, H>,
    url: &Url,
    index_key: &SecretKey,
    mut change: impl FnMut(&mut IndexDoc) -> bool,
) -> Result<IndexDoc, IndexError> {
    for attempt in 0..MAX_ATTEMPTS {
        let resource = pod.get(url).await.map_err(IndexError::Read)?;
        let etag = resource
            .meta
            .etag
            .ok_or(IndexError::Write(WriteError::Unexpected(200)))?;
        if resource.body.len() < WRAPPED_LEN {
            return Err(IndexError::Damaged("the file is truncated".into()));
        }
        let (wrap, sealed) = resource.body.split_at(WRAPPED_LEN);
        let mut index: IndexDoc = decrypt(sealed, index_key).map_err(|e| match e {
            DecodeError::Envelope(_) => IndexError::PasswordChanged,
            other => IndexError::Damaged(other.to_string()),
        })?;
        if !change(&mut index) {
            return Ok(index);
        }
        let mut body = wrap.to_vec();
        body.extend_from_slice(&encrypt(&index, index_key).map_err(IndexError::Encode)?);
        match pod
            .put(url, ENCRYPTED_TYPE, body, &Condition::IfMatch(etag))
            .await
        {
            Ok(()) => return Ok(index),
            Err(WriteError::Conflict) => pause::after_conflict(attempt).await,
            Err(e) => return Err(IndexError::Write(e)),
        }
    }
    Err(IndexError::TooMuchContention)
}
