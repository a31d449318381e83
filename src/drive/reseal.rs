//! Re-encrypting a file stored in parts under another key, into a new generation
//! (FORMAT.md §1.8), one part at a time so memory stays at about two parts
//! whatever the file's size: key rotation (`share::rotate_parts`, same container)
//! and moving a file (`relocate`, a new container) both write their copy so.

use url::Url;
use zeroize::Zeroizing;

use super::parts::PartWriter;
use crate::crypto::envelope::{
    Decryptor, Encryptor, Metadata, OpenError, RustCryptoCipher, SealError, SealOptions,
};
use crate::crypto::SecretKey;
use crate::pod::error::{ReadError, WriteError};
use crate::pod::http::HttpClient;
use crate::pod::Pod;

/// Re-encrypting failed; the parts written so far are in the writer's
/// [`PartWriter::written`], for the caller to delete.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResealError {
    #[error("cannot read a part of the file: {0}")]
    Read(ReadError),
    #[error("the file does not open with its key: {0}")]
    Open(#[from] OpenError),
    #[error("cannot encrypt the file again: {0}")]
    Seal(#[from] SealError),
    #[error("cannot write a part of the new copy: {0}")]
    Write(WriteError),
}

/// Decrypts `parts` under `old_key` and encrypts the plaintext under `new_key`
/// into `writer`'s generation, in parts no longer than the longest old one
/// (those PUTs were short enough for the pod's write lock, so these are too).
/// The metadata block is the old one, with its name replaced by `name` if given
/// (a move writes the file's current name, which a rename left in the keystores
/// only).
pub async fn reseal_parts<H: HttpClient>(
    pod: &Pod<'_, H>,
    writer: &mut PartWriter<'_, '_, H>,
    parts: &[Url],
    old_key: &SecretKey,
    new_key: &SecretKey,
    name: Option<&str>,
) -> Result<(), ResealError> {
    let named = |metadata: Option<&Metadata>| Metadata {
        name: name
            .map(str::to_owned)
            .or(metadata.and_then(|m| m.name.clone())),
        ..metadata.cloned().unwrap_or_default()
    };
    let mut decryptor = Decryptor::<RustCryptoCipher>::new(old_key);
    let mut encryptor = None;
    let mut plain = Zeroizing::new(Vec::new());
    let mut out = Vec::new();
    for part in parts {
        let body = pod.get(part).await.map_err(ResealError::Read)?.body;
        writer.part = writer.part.max(body.len());
        decryptor.push_blocking(&body, &mut plain)?;
        drop(body);
        if !plain.is_empty() {
            // Plaintext follows the metadata block, so the metadata is known.
            let metadata = named(decryptor.metadata());
            let sealer = start(&mut encryptor, new_key, metadata, &mut out)?;
            sealer.push_blocking(&plain, &mut out)?;
            plain.clear();
        }
        writer
            .send(&mut out, false)
            .await
            .map_err(ResealError::Write)?;
    }
    let metadata = decryptor.finish_blocking(&mut plain)?;
    let mut sealer = match encryptor {
        Some(sealer) => sealer,
        None => Encryptor::start_blocking(new_key, &options(named(metadata.as_ref())), &mut out)?,
    };
    sealer.push_blocking(&plain, &mut out)?;
    sealer.finish_blocking(&mut out)?;
    writer
        .send(&mut out, true)
        .await
        .map_err(ResealError::Write)
}

/// The encryptor, started with `metadata` on first use.
fn start<'e>(
    encryptor: &'e mut Option<Encryptor<RustCryptoCipher>>,
    key: &SecretKey,
    metadata: Metadata,
    out: &mut Vec<u8>,
) -> Result<&'e mut Encryptor<RustCryptoCipher>, ResealError> {
    if encryptor.is_none() {
        *encryptor = Some(Encryptor::start_blocking(key, &options(metadata), out)?);
    }
    Ok(encryptor.as_mut().expect("just started"))
}

fn options(metadata: Metadata) -> SealOptions {
    SealOptions {
        metadata,
        ..SealOptions::default()
    }
}
