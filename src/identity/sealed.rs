//! The sealed private key, `keystores/identity-key.enc` (docs/FORMAT.md §7.1): a
//! file envelope of its PKCS#8 DER under the root keystore's key, written once.

use url::Url;
use zeroize::Zeroizing;

use crate::crypto::envelope::{self, SealOptions};
use crate::crypto::SecretKey;
use crate::keystore::store::ENCRYPTED_TYPE;
use crate::pod::error::{ReadError, WriteError};
use crate::pod::http::HttpClient;
use crate::pod::resource::Condition;
use crate::pod::Pod;

/// The most a sealed key may be: an 8192-bit PKCS#8 is under 5 KiB.
pub const MAX_SEALED_BYTES: usize = 64 << 10;

/// What is at the sealed key's address.
pub(super) enum Found {
    /// Nothing: a first run.
    Absent,
    /// The PKCS#8 DER it opened to.
    Opened(Zeroizing<Vec<u8>>),
    /// Something that does not open with the root key (cut off, damaged, not ours).
    Broken { etag: Option<String> },
}

/// Reads and opens the sealed key (one GET).
pub(super) async fn read<H: HttpClient>(
    pod: &Pod<'_, H>,
    url: &Url,
    root_key: &SecretKey,
) -> Result<Found, ReadError> {
    let resource = match pod.get_bounded(url, "*/*", MAX_SEALED_BYTES).await {
        Ok(resource) => resource,
        Err(ReadError::NotFound) => return Ok(Found::Absent),
        Err(e) => return Err(e),
    };
    Ok(match envelope::open(root_key, &resource.body) {
        Ok(opened) => Found::Opened(opened.plaintext),
        Err(_) => Found::Broken {
            etag: resource.meta.etag,
        },
    })
}

/// Seals `pkcs8` under `root_key` and writes it once: `If-None-Match: *`, or
/// `If-Match` on a broken copy's ETag. [`WriteError::Conflict`] means another tab
/// wrote a key first: read that one instead.
pub(super) async fn write<H: HttpClient>(
    pod: &Pod<'_, H>,
    url: &Url,
    root_key: &SecretKey,
    pkcs8: &[u8],
    replacing: Option<String>,
) -> Result<(), SealedWriteError> {
    let body = envelope::seal(root_key, pkcs8, &SealOptions::default())
        .map_err(|e| SealedWriteError::Seal(e.to_string()))?;
    let condition = match replacing {
        Some(etag) => Condition::IfMatch(etag),
        None => Condition::IfAbsent,
    };
    pod.put(url, ENCRYPTED_TYPE, body, &condition)
        .await
        .map_err(SealedWriteError::Write)
}

/// Writing the sealed key failed.
pub(super) enum SealedWriteError {
    Seal(String),
    Write(WriteError),
}
