//! Downloading a file: look its key up in the (cached) keystores, find the
//! resources that hold it (one, or its parts: `parts::part_urls`), then decrypt
//! the ciphertext piece by piece into a sink.

use url::Url;

use super::memory::VecSink;
use super::parts::{part_urls, PartsError, PartsSource};
use super::stream::{ByteSource, PlainSink, StreamError};
use crate::crypto::envelope::{ChunkCipher, Decryptor, Metadata, OpenError, RustCryptoCipher};
use crate::crypto::SecretKey;
use crate::keystore::Keyring;
use crate::pod::error::ReadError;
use crate::pod::http::HttpClient;
use crate::pod::Pod;

/// A download failed; nothing the sink holds may be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DownloadError {
    #[error("no keystore has a key for this file (not ours, or shared without a key)")]
    NoKey,
    #[error("cannot read the file from the pod: {0}")]
    Read(#[from] ReadError),
    #[error("cannot fetch the file: {0}")]
    Fetch(StreamError),
    #[error("the file is damaged or not a solidcrypt file: {0}")]
    Corrupt(#[from] OpenError),
    #[error("cannot store the decrypted file: {0}")]
    Store(StreamError),
    /// The file is stored in parts and they do not make up one copy.
    #[error(transparent)]
    Parts(PartsError),
}

impl From<PartsError> for DownloadError {
    /// The pod's and the envelope's errors read the same for parts as for one
    /// resource.
    fn from(e: PartsError) -> Self {
        match e {
            PartsError::Read(e) => Self::Read(e),
            PartsError::Corrupt(e) => Self::Corrupt(e),
            e => Self::Parts(e),
        }
    }
}

/// The key of the file at `url`, from memory.
pub fn file_key(keyring: &Keyring, url: &Url) -> Result<SecretKey, DownloadError> {
    keyring
        .lookup(url.as_str())
        .and_then(|entry| entry.key)
        .ok_or(DownloadError::NoKey)
}

/// Decrypts the envelope read from `source` into `sink`, calling `progress` with the
/// ciphertext bytes consumed. Returns the envelope's metadata (name, type, size).
pub async fn decrypt<C: ChunkCipher, S: ByteSource, K: PlainSink<C>>(
    key: &SecretKey,
    source: &mut S,
    sink: &mut K,
    progress: &mut dyn FnMut(u64),
) -> Result<Metadata, DownloadError> {
    let mut decryptor = Decryptor::<C>::new(key);
    let mut done = 0u64;
    while let Some(piece) = source.next().await.map_err(DownloadError::Fetch)? {
        sink.open(&mut decryptor, &piece).await?;
        done += piece.len() as u64;
        progress(done);
    }
    let metadata = sink.finish(decryptor).await?;
    Ok(metadata.unwrap_or_default())
}

/// The key of the file at `url` and its ciphertext, read through the pod client
/// (one resource, or its parts in order): how native callers open a file (the
/// browser reads parts ahead with `browser::FetchParts` instead).
pub async fn open_on_pod<'p, 'a, H: HttpClient>(
    pod: &'p Pod<'a, H>,
    keyring: &Keyring,
    url: &Url,
) -> Result<(SecretKey, PartsSource<&'p Pod<'a, H>>), DownloadError> {
    let key = file_key(keyring, url)?;
    let urls = part_urls(pod, url, &key).await?;
    Ok((key, PartsSource::new(pod, urls)))
}

/// Downloads and decrypts a whole (small) file into memory: for text previews and
/// native callers. Large files in the browser stream through `browser` instead.
pub async fn download_to_memory<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    url: &Url,
) -> Result<(Metadata, VecSink), DownloadError> {
    let (key, mut source) = open_on_pod(pod, keyring, url).await?;
    let mut sink = VecSink::default();
    let metadata =
        decrypt::<RustCryptoCipher, _, _>(&key, &mut source, &mut sink, &mut |_| {}).await?;
    Ok((metadata, sink))
}
