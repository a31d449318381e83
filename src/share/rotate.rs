//! Key rotation after a revocation (DESIGN §1 step 5, second half): the file is
//! re-encrypted under a fresh key, so whoever kept the old key (from the link, or
//! from a folder's shared keystore) cannot read later versions.
//!
//! Key before ciphertext: the new key is written to every keystore covering the
//! file (the owner's, and the shared keystores of the links that remain) before
//! the new ciphertext is uploaded. If the upload then fails, the file is read back:
//! if it still opens under the old key, the old key is put back; so a failure
//! never leaves the keystores and the file out of step.

use url::Url;

use super::rotate_parts::rotate_parts;
use crate::crypto::envelope::{self, OpenError, SealError, SealOptions};
use crate::crypto::{RandomError, SecretKey};
use crate::drive::parts::PartsError;
use crate::drive::reseal::ResealError;
use crate::keystore::store::ENCRYPTED_TYPE;
use crate::keystore::{Entry, Keyring, KeyringError};
use crate::pod::error::{ReadError, WriteError};
use crate::pod::http::HttpClient;
use crate::pod::resource::Condition;
use crate::pod::Pod;

/// Rotating one file's key failed; the file still opens with the key its
/// keystores hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RotateError {
    #[error("no key for this file in your keystores")]
    NoKey,
    #[error("cannot read the file: {0}")]
    Read(ReadError),
    #[error("the file does not open with its key (damaged, or changed by someone else): {0}")]
    Open(#[from] OpenError),
    #[error("cannot encrypt the file again: {0}")]
    Seal(#[from] SealError),
    #[error("no randomness available: {0}")]
    Random(#[from] RandomError),
    #[error("cannot store the file's new key: {0}")]
    Keyring(#[from] KeyringError),
    #[error("cannot write the re-encrypted file: {0}")]
    Write(WriteError),
    #[error("cannot read the file's parts: {0}")]
    Parts(PartsError),
}

impl RotateError {
    /// Whether the file cannot be opened with the key its keystores hold (a wrong
    /// key, junk or a damaged file, parts missing): no retry can rotate it, and it
    /// is no more readable with that key than it will be after. A collaborator who
    /// may write to a shared folder can plant such an entry, so a revocation skips
    /// and reports these files instead of stopping (see `revoke`); any other
    /// failure (the pod refusing or failing a write) may pass and is retried.
    pub fn cannot_open(&self) -> bool {
        match self {
            RotateError::NoKey | RotateError::Open(_) => true,
            RotateError::Read(e) => *e == ReadError::NotFound,
            RotateError::Parts(e) => matches!(
                e,
                PartsError::PartMissing | PartsError::SeveralCopies | PartsError::Corrupt(_)
            ),
            RotateError::Seal(_)
            | RotateError::Random(_)
            | RotateError::Keyring(_)
            | RotateError::Write(_) => false,
        }
    }
}

/// Re-encrypts the file at `url` under a fresh key (stored first in every keystore
/// of `keyring` that covers it) and returns that key, or `None` if the file is not
/// on the pod any more. A file in one resource (at most a few MiB, see
/// `drive::parts::PartPolicy`) is held in memory while it is re-encrypted, and
/// the write is conditional on the version read, so a concurrent edit is not
/// overwritten: it fails with [`RotateError::Write`] and can be retried. A file
/// stored in parts is rewritten part by part ([`rotate_parts`]).
pub(crate) async fn rotate_file<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    url: &Url,
) -> Result<Option<SecretKey>, RotateError> {
    let old = keyring.lookup(url.as_str()).ok_or(RotateError::NoKey)?;
    let old_key = old.key.clone().ok_or(RotateError::NoKey)?;
    if url.path().ends_with('/') {
        return rotate_parts(pod, keyring, url, old, &old_key).await;
    }
    let resource = match pod.get(url).await {
        Ok(resource) => resource,
        Err(ReadError::NotFound) => return Ok(None),
        Err(e) => return Err(RotateError::Read(e)),
    };
    let condition = match resource.meta.etag {
        Some(etag) => Condition::IfMatch(etag),
        None => return Err(RotateError::Write(WriteError::Unexpected(200))),
    };
    let opened = envelope::open(&old_key, &resource.body)?;
    let new_key = SecretKey::generate()?;
    let options = SealOptions {
        metadata: opened.metadata.clone().unwrap_or_default(),
        ..SealOptions::default()
    };
    let sealed = envelope::seal(&new_key, &opened.plaintext, &options)?;
    let renewed = Entry {
        key: Some(new_key.clone()),
        ..old.clone()
    };
    keyring.add(pod, url.as_str(), renewed).await?;
    match pod.put(url, ENCRYPTED_TYPE, sealed, &condition).await {
        Ok(()) => Ok(Some(new_key)),
        Err(error) => {
            if landed(pod, url, &new_key).await {
                // The answer was lost, not the write.
                return Ok(Some(new_key));
            }
            // Best effort: the old key opens the file again; if even this write
            // fails, the error says so and a retry of the revocation settles it.
            let _ = keyring.add(pod, url.as_str(), old).await;
            Err(RotateError::Write(error))
        }
    }
}

impl From<ResealError> for RotateError {
    /// The same failures as rotating one resource has.
    fn from(e: ResealError) -> Self {
        match e {
            ResealError::Read(e) => Self::Read(e),
            ResealError::Open(e) => Self::Open(e),
            ResealError::Seal(e) => Self::Seal(e),
            ResealError::Write(e) => Self::Write(e),
        }
    }
}

/// Whether the file on the pod now opens under `key`.
async fn landed<H: HttpClient>(pod: &Pod<'_, H>, url: &Url, key: &SecretKey) -> bool {
    match pod.get(url).await {
        Ok(resource) => envelope::open(key, &resource.body).is_ok(),
        Err(_) => false,
    }
}
