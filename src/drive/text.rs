//! Plain-text files written in the app: open one for editing, save it back.
//!
//! A save rewrites the whole (small) file under the same key with a fresh salt, as
//! the envelope format requires, and only if nobody changed it since it was opened
//! (`If-Match`), so an edit in another tab is never silently overwritten.

use url::Url;

use super::download::{file_key, DownloadError};
use super::memory::{SliceSource, VecSink};
use crate::crypto::envelope::{seal, Metadata, RustCryptoCipher, SealError, SealOptions};
use crate::keystore::store::ENCRYPTED_TYPE;
use crate::keystore::{Entry, Keyring, KeyringError};
use crate::pod::error::{ReadError, WriteError};
use crate::pod::http::HttpClient;
use crate::pod::resource::Condition;
use crate::pod::Pod;

/// Media type of text files made in the app.
pub const TEXT_TYPE: &str = "text/plain;charset=utf-8";

/// Largest envelope opened for editing: the app writes one resource only up to
/// 4 MiB (docs/FORMAT.md §1.8), so anything much bigger is not a text made here,
/// and a pod answering with gigabytes must not make the tab hold them.
pub const MAX_EDIT_BYTES: usize = 16 << 20;

/// A text file opened for editing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedText {
    pub text: String,
    /// The version that was read; saving requires it to still be current.
    pub etag: Option<String>,
}

/// Opening a text file failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OpenTextError {
    #[error(transparent)]
    Download(#[from] DownloadError),
    #[error("the file is not UTF-8 text")]
    NotText,
    /// Stored in parts (docs/FORMAT.md §1.8): too big to edit here. Rewriting
    /// a parts file under the same key would leave two copies a reader cannot
    /// tell apart while it runs.
    #[error("the file is too big to edit in the app; download it instead")]
    TooBig,
}

/// Saving a text file failed; the version on the pod is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SaveTextError {
    #[error("no keystore has a key for this file")]
    NoKey,
    /// See [`OpenTextError::TooBig`].
    #[error("the file is too big to edit in the app")]
    TooBig,
    #[error("the file was changed elsewhere since you opened it; reopen it and edit again")]
    ChangedElsewhere,
    #[error("cannot encrypt the text: {0}")]
    Encrypt(#[from] SealError),
    #[error("the pod did not save the file: {0}")]
    Write(WriteError),
    #[error("saved, but its size could not be updated in the keystores: {0}")]
    Keystore(#[from] KeyringError),
}

/// Reads and decrypts a text file, keeping its ETag for [`save_text`].
pub async fn open_text<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    url: &Url,
) -> Result<OpenedText, OpenTextError> {
    if url.path().ends_with('/') {
        return Err(OpenTextError::TooBig);
    }
    let key = file_key(keyring, url)?;
    let resource = match pod.get_bounded(url, "*/*", MAX_EDIT_BYTES).await {
        Ok(resource) => resource,
        Err(ReadError::TooLarge { .. }) => return Err(OpenTextError::TooBig),
        Err(e) => return Err(DownloadError::from(e).into()),
    };
    let mut sink = VecSink::default();
    super::download::decrypt::<RustCryptoCipher, _, _>(
        &key,
        &mut SliceSource::new(&resource.body, resource.body.len()),
        &mut sink,
        &mut |_| {},
    )
    .await?;
    let text = String::from_utf8(sink.0.to_vec()).map_err(|_| OpenTextError::NotText)?;
    Ok(OpenedText {
        text,
        etag: resource.meta.etag,
    })
}

/// Rewrites the text file at `url` (named `name`) with `text`, if it is still the
/// version `etag` names. Returns nothing: reopen to edit again.
pub async fn save_text<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    url: &Url,
    name: &str,
    text: &str,
    etag: Option<&str>,
) -> Result<(), SaveTextError> {
    if url.path().ends_with('/') {
        return Err(SaveTextError::TooBig);
    }
    let entry = keyring.lookup(url.as_str()).ok_or(SaveTextError::NoKey)?;
    let key = entry.key.clone().ok_or(SaveTextError::NoKey)?;
    let options = SealOptions {
        metadata: Metadata {
            name: Some(name.to_owned()),
            media_type: Some(TEXT_TYPE.to_owned()),
            size: Some(text.len() as u64),
        },
        ..SealOptions::default()
    };
    let body = seal(&key, text.as_bytes(), &options)?;
    let condition = etag.map_or(Condition::Always, |e| Condition::IfMatch(e.to_owned()));
    match pod.put(url, ENCRYPTED_TYPE, body, &condition).await {
        Ok(()) => {}
        Err(WriteError::Conflict) => return Err(SaveTextError::ChangedElsewhere),
        Err(e) => return Err(SaveTextError::Write(e)),
    }
    let updated = Entry {
        size: Some(text.len() as u64),
        ..entry
    };
    keyring.add(pod, url.as_str(), updated).await?;
    Ok(())
}
