//! Rotating the key of a file stored in parts (FORMAT.md §1.8): the same order as
//! for one resource (new key in every covering keystore first), but the new
//! ciphertext is a new generation of parts written next to the old one, read and
//! written one part at a time, so memory stays at about two parts whatever the
//! file's size. Only when the new generation is complete are the old parts
//! deleted; until then a reader's key picks the generation it opens.

use url::Url;
use zeroize::Zeroizing;

use super::rotate::RotateError;
use crate::crypto::envelope::{Decryptor, Encryptor, Metadata, RustCryptoCipher, SealOptions};
use crate::crypto::SecretKey;
use crate::drive::parts::{
    delete_other_generations, new_generation, part_urls, PartWriter, PartsError,
};
use crate::keystore::{Entry, Keyring};
use crate::pod::container::ListError;
use crate::pod::error::ReadError;
use crate::pod::http::HttpClient;
use crate::pod::resource::Condition;
use crate::pod::Pod;

/// [`super::rotate::rotate_file`] for a parts container `url` whose keystores hold
/// `old` (with its key `old_key`). Returns the new key, or `None` if the file is
/// gone. On failure the parts written are deleted and the old key is put back.
pub(super) async fn rotate_parts<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    url: &Url,
    old: Entry,
    old_key: &SecretKey,
) -> Result<Option<SecretKey>, RotateError> {
    let parts = match part_urls(pod, url, old_key).await {
        Ok(parts) => parts,
        Err(PartsError::List(ListError::Read(ReadError::NotFound))) => return Ok(None),
        Err(e) => return Err(RotateError::Parts(e)),
    };
    let new_key = SecretKey::generate()?;
    let mut writer = PartWriter::new(pod, url.clone(), new_generation()?, 1);
    let renewed = Entry {
        key: Some(new_key.clone()),
        ..old.clone()
    };
    keyring.add(pod, url.as_str(), renewed).await?;
    match rewrite(pod, &mut writer, &parts, old_key, &new_key).await {
        Ok(()) => {
            // Best effort: old parts left behind only take space; readers pick
            // the new generation, the one their key opens.
            let _ = delete_other_generations(pod, url, writer.generation()).await;
            Ok(Some(new_key))
        }
        Err(error) => {
            for part in writer.written() {
                let _ = pod.delete(part, &Condition::Always).await;
            }
            let _ = keyring.add(pod, url.as_str(), old).await;
            Err(error)
        }
    }
}

/// Decrypts `parts` under `old_key` and encrypts the plaintext under `new_key`
/// into `writer`'s new generation, in parts no longer than the longest old one
/// (those PUTs were short enough for the pod's write lock, so these are too).
async fn rewrite<H: HttpClient>(
    pod: &Pod<'_, H>,
    writer: &mut PartWriter<'_, '_, H>,
    parts: &[Url],
    old_key: &SecretKey,
    new_key: &SecretKey,
) -> Result<(), RotateError> {
    let mut decryptor = Decryptor::<RustCryptoCipher>::new(old_key);
    let mut encryptor = None;
    let mut plain = Zeroizing::new(Vec::new());
    let mut out = Vec::new();
    for part in parts {
        let body = pod.get(part).await.map_err(RotateError::Read)?.body;
        writer.part = writer.part.max(body.len());
        decryptor.push_blocking(&body, &mut plain)?;
        drop(body);
        if !plain.is_empty() {
            // Plaintext follows the metadata block, so the metadata is known.
            let metadata = decryptor.metadata().cloned().unwrap_or_default();
            let sealer = start(&mut encryptor, new_key, metadata, &mut out)?;
            sealer.push_blocking(&plain, &mut out)?;
            plain.clear();
        }
        writer
            .send(&mut out, false)
            .await
            .map_err(RotateError::Write)?;
    }
    let metadata = decryptor.finish_blocking(&mut plain)?.unwrap_or_default();
    let mut sealer = match encryptor {
        Some(sealer) => sealer,
        None => Encryptor::start_blocking(new_key, &options(metadata), &mut out)?,
    };
    sealer.push_blocking(&plain, &mut out)?;
    sealer.finish_blocking(&mut out)?;
    writer
        .send(&mut out, true)
        .await
        .map_err(RotateError::Write)
}

/// The encryptor, started with `metadata` on first use.
fn start<'e>(
    encryptor: &'e mut Option<Encryptor<RustCryptoCipher>>,
    key: &SecretKey,
    metadata: Metadata,
    out: &mut Vec<u8>,
) -> Result<&'e mut Encryptor<RustCryptoCipher>, RotateError> {
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
