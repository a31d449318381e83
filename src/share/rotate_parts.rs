//! Rotating the key of a file stored in parts (FORMAT.md §1.8): the same order as
//! for one resource (new key in every covering keystore first), but the new
//! ciphertext is a new generation of parts written next to the old one, read and
//! written one part at a time (`drive::reseal`), so memory stays at about two
//! parts whatever the file's size. Only when the new generation is complete are the old parts
//! deleted; until then a reader's key picks the generation it opens.

use url::Url;

use super::rotate::RotateError;
use crate::crypto::SecretKey;
use crate::drive::parts::{
    delete_other_generations, new_generation, part_urls, PartWriter, PartsError,
};
use crate::drive::reseal::reseal_parts;
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
    match reseal_parts(pod, &mut writer, &parts, old_key, &new_key, None).await {
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
            Err(error.into())
        }
    }
}
