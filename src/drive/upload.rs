//! Uploading a file: key first, then ciphertext (DESIGN §4).
//!
//! The file key is written to every keystore covering the new file before a single
//! byte of ciphertext leaves; the plaintext streams through the envelope one piece
//! at a time. A big file is stored in parts (docs/FORMAT.md §1.8; the target
//! decides, see `parts::PartPolicy`). If the upload then fails, parts already sent
//! are deleted, and the key is removed only once a HEAD shows the ciphertext
//! really is absent — so a failure leaves at worst an unused key, never a file
//! nobody can open.

use url::Url;

use super::folder::delete_tree;
use super::resume::{forget_record, write_record, Fingerprint};
use super::stream::{ByteSource, CipherUpload, StreamError};
use crate::crypto::envelope::{ChunkCipher, Encryptor, Metadata, SealError, SealOptions};
use crate::crypto::{RandomError, SecretKey};
use crate::keystore::master::random_suffix;
use crate::keystore::{Entry, Keyring, KeyringError};
use crate::pod::error::{ReadError, WriteError};
use crate::pod::http::HttpClient;
use crate::pod::Pod;

/// What is being uploaded.
#[derive(Debug, Clone)]
pub struct NewFile<'a> {
    /// The (pod) folder it goes into; must be covered by a keystore.
    pub folder: &'a Url,
    /// The user's name for it.
    pub name: &'a str,
    /// Its media type, if known.
    pub media_type: Option<&'a str>,
    /// Its size in bytes (for the keystore, the metadata and progress).
    pub size: u64,
    /// What recognises it if its upload in parts stops and it is picked again
    /// (stored, encrypted, before its first part: `resume::write_record`);
    /// `None` makes an upload that cannot be resumed.
    pub fingerprint: Option<Fingerprint>,
}

/// An upload failed. The key may remain in the keystores, unused; no ciphertext
/// without its key ever remains.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UploadError {
    #[error("no randomness available: {0}")]
    Random(#[from] RandomError),
    #[error("cannot store the file key: {0}")]
    Keystore(#[from] KeyringError),
    #[error("cannot read the file: {0}")]
    Read(StreamError),
    #[error("cannot encrypt the file: {0}")]
    Encrypt(#[from] SealError),
    #[error("cannot hold the encrypted file until it is sent: {0}")]
    Store(StreamError),
    #[error("the upload was cancelled")]
    Cancelled,
    #[error("the pod did not accept the file: {0}")]
    Write(#[from] WriteError),
}

/// Encrypts `source` into `target` under a fresh key and stores it as a new file in
/// `file.folder`, calling `progress` with the plaintext bytes done so far and
/// checking `cancelled` between pieces. Returns the new file's URL.
pub async fn upload<H, C, S, U>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    file: &NewFile<'_>,
    source: &mut S,
    target: U,
    progress: &mut dyn FnMut(u64),
    cancelled: &dyn Fn() -> bool,
) -> Result<Url, UploadError>
where
    H: HttpClient,
    C: ChunkCipher,
    S: ByteSource,
    U: CipherUpload<C>,
{
    let mut reserved = reserve(pod, keyring, &[(file.clone(), target.in_parts())]).await?;
    let reserved = reserved.pop().expect("one reserved per file");
    upload_reserved(
        pod, keyring, reserved, file, source, target, progress, cancelled,
    )
    .await
}

/// A new file's address and key, already in every keystore covering it, before
/// any of its ciphertext is sent ([`reserve`]).
#[derive(Debug, Clone)]
pub struct Reserved {
    url: Url,
    key: SecretKey,
    in_parts: bool,
}

impl Reserved {
    /// Where the file goes.
    pub fn url(&self) -> &Url {
        &self.url
    }
}

/// Names and keys a batch of new files (each with whether it is stored in
/// parts) and writes all their keys with one write per keystore
/// ([`Keyring::add_all`]), before a single byte of their ciphertext leaves:
/// "a key is saved before its ciphertext" holds for the batch as a whole, which
/// is what lets a folder of 1,000 files cost a few keystore writes. A file of the
/// batch that then fails or is cancelled has its key taken out again
/// ([`upload_reserved`] after a failure, [`forget_unused`] for those never
/// started), so no key lingers for a file that is not there.
pub async fn reserve<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    files: &[(NewFile<'_>, bool)],
) -> Result<Vec<Reserved>, UploadError> {
    let mut reserved = Vec::with_capacity(files.len());
    let mut entries = Vec::with_capacity(files.len());
    for (file, in_parts) in files {
        let name = random_suffix()?;
        let url = file
            .folder
            .join(&if *in_parts { format!("{name}/") } else { name })
            .expect("a hex name joins a folder URL");
        let key = SecretKey::generate()?;
        entries.push((
            url.to_string(),
            Entry {
                key: Some(key.clone()),
                name: file.name.to_owned(),
                media_type: file.media_type.map(str::to_owned),
                size: Some(file.size),
            },
        ));
        reserved.push(Reserved {
            url,
            key,
            in_parts: *in_parts,
        });
    }
    keyring.add_all(pod, &entries).await?;
    Ok(reserved)
}

/// Takes the keys of reserved files never uploaded (cancelled before they
/// started) out of the keystores, in one write per keystore. Best effort, as
/// after a failed upload: a key left behind is unused, never harmful.
pub async fn forget_unused<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    unused: &[Reserved],
) {
    if unused.is_empty() {
        return;
    }
    let urls: Vec<String> = unused.iter().map(|r| r.url.to_string()).collect();
    let _ = keyring.remove(pod, &urls).await;
}

/// [`upload`] for a file whose key [`reserve`] already wrote: `target` must store
/// in parts exactly when the reservation says so.
#[allow(clippy::too_many_arguments)]
pub async fn upload_reserved<H, C, S, U>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    reserved: Reserved,
    file: &NewFile<'_>,
    source: &mut S,
    mut target: U,
    progress: &mut dyn FnMut(u64),
    cancelled: &dyn Fn() -> bool,
) -> Result<Url, UploadError>
where
    H: HttpClient,
    C: ChunkCipher,
    S: ByteSource,
    U: CipherUpload<C>,
{
    let Reserved { url, key, in_parts } = reserved;
    debug_assert_eq!(in_parts, target.in_parts(), "reserved for another target");
    let recorded = match (&file.fingerprint, in_parts) {
        (Some(fingerprint), true) => write_record(pod, &url, &key, fingerprint).await,
        _ => Ok(()),
    };
    let streamed = match recorded {
        Ok(()) => stream(&key, &url, file, source, &mut target, progress, cancelled).await,
        Err(e) => Err(e),
    };
    let result = match streamed {
        Ok(()) => target.put().await.map_err(UploadError::from),
        Err(e) => {
            target.discard().await;
            Err(e)
        }
    };
    if let Err(error) = result {
        if in_parts {
            // Best effort: a part left behind keeps the container, and so the key.
            let _ = delete_tree(pod, &url, &mut Vec::new()).await;
        }
        forget_if_absent(pod, keyring, &url).await;
        return Err(error);
    }
    if in_parts && file.fingerprint.is_some() {
        forget_record(pod, &url).await;
    }
    Ok(url)
}

/// Seals `file` from `source` into `target` as a new envelope under `key`
/// (fresh salt), header first.
pub(super) async fn stream<C: ChunkCipher, S: ByteSource, U: CipherUpload<C>>(
    key: &SecretKey,
    url: &Url,
    file: &NewFile<'_>,
    source: &mut S,
    target: &mut U,
    progress: &mut dyn FnMut(u64),
    cancelled: &dyn Fn() -> bool,
) -> Result<(), UploadError> {
    let options = SealOptions {
        metadata: Metadata {
            name: Some(file.name.to_owned()),
            media_type: file.media_type.map(str::to_owned),
            size: Some(file.size),
        },
        ..SealOptions::default()
    };
    let mut header = Vec::new();
    let mut encryptor = Encryptor::<C>::start(key, &options, &mut header).await?;
    target.header(url, &header).await?;
    let mut done = 0u64;
    while let Some(piece) = source.next().await.map_err(UploadError::Read)? {
        if cancelled() {
            return Err(UploadError::Cancelled);
        }
        target.seal(&mut encryptor, &piece).await?;
        done += piece.len() as u64;
        progress(done);
    }
    target.finish(encryptor).await
}

/// After a failed upload: drops the key only if the pod has no ciphertext at `url`
/// (a part could not be deleted, or the answer was lost and the check failed).
/// Best effort: if anything here fails, the key stays, which is harmless.
async fn forget_if_absent<H: HttpClient>(pod: &Pod<'_, H>, keyring: &Keyring, url: &Url) {
    if let Err(ReadError::NotFound) = pod.head(url).await {
        let _ = keyring.remove(pod, &[url.to_string()]).await;
    }
}
