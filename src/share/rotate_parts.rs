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
    delete_other_generations, new_generation, part_name, part_urls, put_new, PartsError,
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
    let generation = new_generation()?;
    let renewed = Entry {
        key: Some(new_key.clone()),
        ..old.clone()
    };
    keyring.add(pod, url.as_str(), renewed).await?;
    let mut written = Vec::new();
    let rewritten = Rewrite {
        pod,
        container: url,
        generation: &generation,
        written: &mut written,
    }
    .run(&parts, old_key, &new_key)
    .await;
    match rewritten {
        Ok(()) => {
            // Best effort: old parts left behind only take space; readers pick
            // the new generation, the one their key opens.
            let _ = delete_other_generations(pod, url, &generation).await;
            Ok(Some(new_key))
        }
        Err(error) => {
            for part in &written {
                let _ = pod.delete(part, &Condition::Always).await;
            }
            let _ = keyring.add(pod, url.as_str(), old).await;
            Err(error)
        }
    }
}

/// One rewrite of a parts file into a new generation.
struct Rewrite<'r, 'p, H: HttpClient> {
    pod: &'r Pod<'p, H>,
    container: &'r Url,
    generation: &'r str,
    /// Every part PUT so far, to delete if the rewrite fails.
    written: &'r mut Vec<Url>,
}

impl<H: HttpClient> Rewrite<'_, '_, H> {
    /// Decrypts `parts` under `old_key` and encrypts the plaintext under `new_key`
    /// into new parts no longer than the longest old one (those PUTs were short
    /// enough for the pod's write lock, so these are too).
    async fn run(
        &mut self,
        parts: &[Url],
        old_key: &SecretKey,
        new_key: &SecretKey,
    ) -> Result<(), RotateError> {
        let mut decryptor = Decryptor::<RustCryptoCipher>::new(old_key);
        let mut encryptor = None;
        let mut plain = Zeroizing::new(Vec::new());
        let mut out = Vec::new();
        let mut cut = 1;
        for part in parts {
            let body = self.pod.get(part).await.map_err(RotateError::Read)?.body;
            cut = cut.max(body.len());
            decryptor.push_blocking(&body, &mut plain)?;
            drop(body);
            if !plain.is_empty() {
                // Plaintext follows the metadata block, so the metadata is known.
                let metadata = decryptor.metadata().cloned().unwrap_or_default();
                let sealer = start(&mut encryptor, new_key, metadata, &mut out)?;
                sealer.push_blocking(&plain, &mut out)?;
                plain.clear();
            }
            self.send(&mut out, cut, false).await?;
        }
        let metadata = decryptor.finish_blocking(&mut plain)?.unwrap_or_default();
        let mut sealer = match encryptor {
            Some(sealer) => sealer,
            None => Encryptor::start_blocking(new_key, &options(metadata), &mut out)?,
        };
        sealer.push_blocking(&plain, &mut out)?;
        sealer.finish_blocking(&mut out)?;
        self.send(&mut out, cut, true).await
    }

    /// PUTs the next parts of `cut` bytes from the front of `out`; with `all`, the
    /// rest too.
    async fn send(&mut self, out: &mut Vec<u8>, cut: usize, all: bool) -> Result<(), RotateError> {
        while out.len() >= cut || (all && !out.is_empty()) {
            let body: Vec<u8> = out.drain(..cut.min(out.len())).collect();
            let index = self.written.len() as u64;
            let url = self
                .container
                .join(&part_name(self.generation, index))
                .expect("a part name joins a container URL");
            put_new(self.pod, &url, body)
                .await
                .map_err(RotateError::Write)?;
            self.written.push(url);
        }
        Ok(())
    }
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
