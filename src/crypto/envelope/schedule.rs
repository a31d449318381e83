//! Key schedule and nonces (docs/FORMAT.md §1.2–1.3): from the file key and the
//! header to the per-write payload key, the key commitment and each chunk nonce.

use hkdf::Hkdf;
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::header::{Header, COMMITMENT_LEN};
use crate::crypto::key::{SecretKey, KEY_LEN};

/// HKDF info label; followed by the committed header bytes.
const INFO_LABEL: &[u8; 18] = b"solidcrypt file v1";

/// Length of an AES-GCM nonce.
pub const NONCE_LEN: usize = 12;

/// The per-write AES-256-GCM key for the metadata block and chunks.
pub struct PayloadKey(Zeroizing<[u8; KEY_LEN]>);

impl PayloadKey {
    /// Raw key bytes, for importing into a cipher engine.
    pub fn expose_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }
}

/// Derives the payload key and the key commitment for `header` (whose own
/// commitment field is ignored here).
pub(crate) fn derive(file_key: &SecretKey, header: &Header) -> (PayloadKey, [u8; COMMITMENT_LEN]) {
    let mut info = [0u8; INFO_LABEL.len() + super::header::COMMITTED_LEN];
    info[..INFO_LABEL.len()].copy_from_slice(INFO_LABEL);
    info[INFO_LABEL.len()..].copy_from_slice(&header.committed_bytes());
    let hk = Hkdf::<Sha256>::new(Some(&header.salt), file_key.expose_bytes());
    let mut okm = Zeroizing::new([0u8; KEY_LEN + COMMITMENT_LEN]);
    hk.expand(&info, okm.as_mut())
        .expect("64 bytes is far below HKDF-SHA256's 8160-byte limit");
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    key.copy_from_slice(&okm[..KEY_LEN]);
    let mut commitment = [0u8; COMMITMENT_LEN];
    commitment.copy_from_slice(&okm[KEY_LEN..]);
    (PayloadKey(key), commitment)
}

/// Constant-time comparison of two commitments, so timing reveals nothing about the key.
pub(crate) fn commitment_matches(a: &[u8; COMMITMENT_LEN], b: &[u8; COMMITMENT_LEN]) -> bool {
    a.ct_eq(b).into()
}

/// Nonce of chunk `index`: 88-bit big-endian counter, then 1 for the final chunk, else 0.
pub(crate) fn chunk_nonce(index: u64, last: bool) -> [u8; NONCE_LEN] {
    let mut nonce = [0u8; NONCE_LEN];
    nonce[3..11].copy_from_slice(&index.to_be_bytes());
    nonce[11] = u8::from(last);
    nonce
}

/// Nonce of the metadata block: counter 0 with flag 2, which no chunk ever uses.
pub(crate) const METADATA_NONCE: [u8; NONCE_LEN] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_follow_the_spec() {
        assert_eq!(chunk_nonce(0, false), [0; 12]);
        assert_eq!(chunk_nonce(1, true), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
        assert_eq!(
            chunk_nonce(0x0102_0304_0506_0708, false),
            [0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0]
        );
    }

    #[test]
    fn header_fields_change_the_keys() {
        let key = SecretKey::from_bytes([1; 32]);
        let header = Header {
            chunk_size: 4096,
            metadata_len: 0,
            salt: [9; 32],
            commitment: [0; 32],
        };
        let (k1, c1) = derive(&key, &header);
        let other = Header {
            chunk_size: 8192,
            ..header.clone()
        };
        let (k2, c2) = derive(&key, &other);
        assert_ne!(k1.expose_bytes(), k2.expose_bytes());
        assert_ne!(c1, c2);
        // The commitment field itself is not an input.
        let (k3, c3) = derive(
            &key,
            &Header {
                commitment: [7; 32],
                ..header
            },
        );
        assert_eq!(k1.expose_bytes(), k3.expose_bytes());
        assert_eq!(c1, c3);
    }
}
