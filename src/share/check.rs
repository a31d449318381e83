//! Checking that a link's key opens the shared file, reading no more than needed:
//! a file in one resource (a few MiB at most; over 16 MiB only its start) is read
//! and decrypted whole, which also gives its content; a file stored in parts (FORMAT.md §1.8) only has its
//! header and metadata block read (one `Range` GET of part 0), so accepting a
//! link to a 1 GiB file does not download it.

use url::Url;
use zeroize::Zeroizing;

use crate::crypto::envelope::{
    self, Decryptor, Header, Metadata, OpenError, RustCryptoCipher, HEADER_LEN, MAX_METADATA_LEN,
};
use crate::crypto::SecretKey;
use crate::drive::parts::{part_urls, PartsError};
use crate::pod::container::ListError;
use crate::pod::error::ReadError;
use crate::pod::http::HttpClient;
use crate::pod::Pod;

/// Largest one-resource file read whole (and previewed): the app writes one
/// resource only up to 4 MiB (FORMAT.md §1.8); a bigger answer has only its start read.
const MAX_WHOLE_BYTES: usize = 16 << 20;

/// Enough bytes for any envelope's header and metadata block.
const HEADER_AND_METADATA: usize = HEADER_LEN + MAX_METADATA_LEN as usize;

/// The key did not open the file, or it could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CheckError {
    Read(ReadError),
    Open(OpenError),
    Parts(PartsError),
}

/// A shared file, checked against its key.
pub(crate) struct Checked {
    pub metadata: Metadata,
    /// The plaintext, when the file is one resource (read whole anyway).
    pub content: Option<Zeroizing<Vec<u8>>>,
}

/// Reads the file at `url` and checks that `key` opens it (see the module doc).
pub(crate) async fn check_file<H: HttpClient>(
    pod: &Pod<'_, H>,
    url: &Url,
    key: &SecretKey,
) -> Result<Checked, CheckError> {
    if !url.path().ends_with('/') {
        match pod.get_bounded(url, "*/*", MAX_WHOLE_BYTES).await {
            Ok(resource) => {
                let opened = envelope::open(key, &resource.body).map_err(CheckError::Open)?;
                return Ok(Checked {
                    metadata: opened.metadata.unwrap_or_default(),
                    content: Some(opened.plaintext),
                });
            }
            // Bigger than the app writes in one resource: check the start alone,
            // as for parts, rather than hold whatever the pod sends.
            Err(ReadError::TooLarge { .. }) => return start_checked(pod, url, key).await,
            Err(e) => return Err(CheckError::Read(e)),
        }
    }
    let parts = part_urls(pod, url, key).await.map_err(|e| match e {
        PartsError::List(ListError::Read(e)) | PartsError::Read(e) => CheckError::Read(e),
        PartsError::Corrupt(e) => CheckError::Open(e),
        other => CheckError::Parts(other),
    })?;
    let first = parts
        .first()
        .ok_or(CheckError::Parts(PartsError::PartMissing))?;
    start_checked(pod, first, key).await
}

/// Checks `key` against the header and metadata block at the start of `url`.
async fn start_checked<H: HttpClient>(
    pod: &Pod<'_, H>,
    url: &Url,
    key: &SecretKey,
) -> Result<Checked, CheckError> {
    let start = pod
        .get_start(url, HEADER_AND_METADATA as u64)
        .await
        .map_err(CheckError::Read)?
        .body;
    Ok(Checked {
        metadata: metadata_of(key, &start).map_err(CheckError::Open)?,
        content: None,
    })
}

/// The metadata of the envelope starting with `start`, checked against `key`
/// (the header's key commitment, then the metadata block's tag).
fn metadata_of(key: &SecretKey, start: &[u8]) -> Result<Metadata, OpenError> {
    let header = Header::parse(start)?;
    let end = HEADER_LEN + header.metadata_len as usize;
    let prefix = start.get(..end).ok_or(OpenError::Truncated)?;
    let mut decryptor = Decryptor::<RustCryptoCipher>::new(key);
    let mut nothing = Vec::new();
    decryptor.push_blocking(prefix, &mut nothing)?;
    if decryptor.metadata().is_none() && header.metadata_len > 0 {
        return Err(OpenError::Truncated);
    }
    Ok(decryptor.metadata().cloned().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::envelope::{seal, SealOptions};

    #[test]
    fn metadata_is_read_from_the_start_alone_and_checked() {
        let key = SecretKey::generate().unwrap();
        let options = SealOptions {
            metadata: Metadata {
                name: Some("film.mkv".into()),
                media_type: Some("video/x-matroska".into()),
                size: Some(3000),
            },
            chunk_size: 1024,
        };
        let envelope = seal(&key, &[7u8; 3000], &options).unwrap();
        let start = &envelope[..HEADER_LEN + 200];
        assert_eq!(metadata_of(&key, start).unwrap(), options.metadata);

        let other = SecretKey::generate().unwrap();
        assert_eq!(
            metadata_of(&other, start),
            Err(OpenError::KeyOrHeaderMismatch)
        );
        let mut flipped = start.to_vec();
        flipped[HEADER_LEN + 3] ^= 1;
        assert_eq!(
            metadata_of(&key, &flipped),
            Err(OpenError::MetadataTampered)
        );
        assert_eq!(
            metadata_of(&key, &envelope[..HEADER_LEN + 5]),
            Err(OpenError::Truncated)
        );
    }
}
