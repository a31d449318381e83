//! The encrypted payload of an inbox notification (FORMAT.md §8.3): a fresh key
//! wrapped to one person's RSA key (§3), then a file envelope (§1) under that key.
//! Only that person's private key opens it, so the inbox's pod (and whoever reads
//! the inbox) learns nothing but who sent it to whom.

use zeroize::Zeroizing;

use crate::crypto::envelope::{self, OpenError, SealError, SealOptions};
use crate::crypto::identity_key::IdentityKey;
use crate::crypto::rsa_keys::{MasterPublicKey, RsaUnwrapError, RsaWrap, RsaWrapError};
use crate::crypto::{RandomError, SecretKey};

/// The largest payload read (decoded): an offer is about 1.5 KiB.
pub const MAX_PAYLOAD_BYTES: usize = 32 * 1024;
/// Small chunks, as for keystores: the JSON is read whole.
const CHUNK_SIZE: u32 = 16 * 1024;
/// The wrap's bytes before its ciphertext (FORMAT.md §3).
const WRAP_PREFIX: usize = 40;

/// The payload could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SealPayloadError {
    #[error("no randomness available: {0}")]
    Random(#[from] RandomError),
    #[error(transparent)]
    Wrap(#[from] RsaWrapError),
    #[error(transparent)]
    Seal(#[from] SealError),
}

/// The payload could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OpenPayloadError {
    #[error("it is larger than {MAX_PAYLOAD_BYTES} bytes")]
    TooLarge,
    #[error("it is not addressed to your key")]
    NotForMe,
    #[error("its key wrap is damaged: {0}")]
    Wrap(RsaUnwrapError),
    #[error("it does not decrypt: {0}")]
    Envelope(#[from] OpenError),
}

/// Seals `json` so only the holder of `to`'s private key can read it.
pub fn seal_payload(to: &MasterPublicKey, json: &[u8]) -> Result<Vec<u8>, SealPayloadError> {
    let key = SecretKey::generate()?;
    let mut out = to.wrap_key(&key)?;
    let options = SealOptions {
        chunk_size: CHUNK_SIZE,
        ..SealOptions::default()
    };
    out.extend(envelope::seal(&key, json, &options)?);
    Ok(out)
}

/// Opens a payload addressed to `me` (its wrap's recipient is checked before any
/// RSA operation, so a payload for someone else costs nothing).
pub async fn open_payload<K: IdentityKey>(
    me: &K,
    payload: &[u8],
) -> Result<Zeroizing<Vec<u8>>, OpenPayloadError> {
    if payload.len() > MAX_PAYLOAD_BYTES {
        return Err(OpenPayloadError::TooLarge);
    }
    let (wrap, sealed) = split(payload)?;
    if RsaWrap::parse(wrap)
        .map_err(OpenPayloadError::Wrap)?
        .recipient
        != me.public_key().fingerprint()
    {
        return Err(OpenPayloadError::NotForMe);
    }
    let key = me.unwrap_key(wrap).await.map_err(|e| match e {
        RsaUnwrapError::NotForThisKey => OpenPayloadError::NotForMe,
        other => OpenPayloadError::Wrap(other),
    })?;
    Ok(envelope::open(&key, sealed)?.plaintext)
}

/// The wrap and the envelope: the wrap is 40 bytes plus its `ct_len`.
fn split(payload: &[u8]) -> Result<(&[u8], &[u8]), OpenPayloadError> {
    let truncated = OpenPayloadError::Wrap(RsaUnwrapError::Truncated);
    let prefix = payload.get(..WRAP_PREFIX).ok_or(truncated.clone())?;
    let ct_len = usize::from(u16::from_be_bytes([prefix[38], prefix[39]]));
    let end = WRAP_PREFIX + ct_len;
    if payload.len() < end {
        return Err(truncated);
    }
    Ok(payload.split_at(end))
}

/// Native only: `pollster` is a native dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::crypto::identity_key::NativeIdentityKey;
    use crate::crypto::rsa_keys::MasterKeypair;

    fn me() -> NativeIdentityKey {
        let pem = include_str!("../../tests/vectors/rsa_test_key.pem");
        NativeIdentityKey::new(MasterKeypair::from_pkcs8_pem(pem).unwrap())
    }

    #[test]
    fn a_payload_opens_only_for_its_recipient_and_untouched() {
        let me = me();
        let payload = seal_payload(me.public_key(), b"{\"a\":1}").unwrap();
        let opened = pollster::block_on(open_payload(&me, &payload)).unwrap();
        assert_eq!(opened.as_slice(), b"{\"a\":1}");

        let mut flipped = payload.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert!(matches!(
            pollster::block_on(open_payload(&me, &flipped)),
            Err(OpenPayloadError::Envelope(_))
        ));
        let mut other = payload.clone();
        other[6] ^= 1;
        assert_eq!(
            pollster::block_on(open_payload(&me, &other)),
            Err(OpenPayloadError::NotForMe)
        );
        assert!(matches!(
            pollster::block_on(open_payload(&me, &payload[..100])),
            Err(OpenPayloadError::Wrap(RsaUnwrapError::Truncated))
        ));
        assert!(matches!(
            pollster::block_on(open_payload(&me, b"junk junk junk")),
            Err(OpenPayloadError::Wrap(_))
        ));
        assert_eq!(
            pollster::block_on(open_payload(&me, &vec![0; MAX_PAYLOAD_BYTES + 1])),
            Err(OpenPayloadError::TooLarge)
        );
    }
}
