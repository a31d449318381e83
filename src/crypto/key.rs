//! 256-bit secret keys and their text form.
//!
//! One type serves file keys, keystore keys and the master key: they are all
//! "32 random bytes that open a file envelope", and a single type keeps the
//! zeroize-on-drop and no-Debug-leak rules in one place.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use zeroize::Zeroizing;

use super::random::{self, RandomError};

/// Length of every symmetric key in solidcrypt, in bytes.
pub const KEY_LEN: usize = 32;

/// A 256-bit symmetric key, wiped from memory when dropped.
///
/// `Debug` prints only the type name, so keys never end up in logs or panics.
#[derive(Clone)]
pub struct SecretKey(Zeroizing<[u8; KEY_LEN]>);

/// Why a text key from a link or keystore was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyDecodeError {
    /// Not canonical base64url without padding (wrong alphabet, padding, or
    /// non-zero trailing bits).
    #[error("the key is not valid base64url (no padding)")]
    NotBase64Url,
    /// Decoded fine but is not 32 bytes long.
    #[error("the key has {0} bytes, expected 32")]
    WrongLength(usize),
}

impl SecretKey {
    /// A fresh random key from the platform CSPRNG.
    pub fn generate() -> Result<Self, RandomError> {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        random::fill(key.as_mut())?;
        Ok(Self(key))
    }

    /// Wraps existing key bytes (e.g. from an unwrap); the caller should wipe its copy.
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// The raw key bytes, for handing to a cipher. Named so that uses stand out in review.
    pub fn expose_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// The 43-character base64url (no padding) form used in share links and keystores.
    pub fn to_base64url(&self) -> Zeroizing<String> {
        Zeroizing::new(URL_SAFE_NO_PAD.encode(self.0.as_ref()))
    }

    /// Parses the text form strictly, so one key has exactly one spelling.
    pub fn from_base64url(text: &str) -> Result<Self, KeyDecodeError> {
        let mut buf = Zeroizing::new([0u8; KEY_LEN + 3]);
        let len = URL_SAFE_NO_PAD
            .decode_slice(text.as_bytes(), buf.as_mut())
            .map_err(|e| match e {
                base64::DecodeSliceError::OutputSliceTooSmall => {
                    KeyDecodeError::WrongLength(text.len() * 3 / 4)
                }
                base64::DecodeSliceError::DecodeError(_) => KeyDecodeError::NotBase64Url,
            })?;
        if len != KEY_LEN {
            return Err(KeyDecodeError::WrongLength(len));
        }
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        key.copy_from_slice(&buf[..KEY_LEN]);
        Ok(Self(key))
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_and_is_43_chars() {
        let key = SecretKey::generate().unwrap();
        let text = key.to_base64url();
        assert_eq!(text.len(), 43);
        let back = SecretKey::from_base64url(&text).unwrap();
        assert_eq!(back.expose_bytes(), key.expose_bytes());
    }

    #[test]
    fn known_encoding() {
        let key = SecretKey::from_bytes([0xfb; 32]);
        assert_eq!(
            key.to_base64url().as_str(),
            "-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_s"
        );
    }

    #[test]
    fn rejects_non_canonical_text() {
        let good = SecretKey::from_bytes([7; 32]).to_base64url();
        let padded = format!("{}=", good.as_str());
        assert_eq!(
            SecretKey::from_base64url(&padded).unwrap_err(),
            KeyDecodeError::NotBase64Url
        );
        let std_alphabet = good.replace('-', "+").replace('_', "/") + "+";
        assert!(SecretKey::from_base64url(&std_alphabet).is_err());
        // Last char carries 2 spare bits; 'd' sets them, which must be refused.
        let mut trailing = good.to_string();
        trailing.pop();
        trailing.push('d');
        assert_eq!(
            SecretKey::from_base64url(&trailing).unwrap_err(),
            KeyDecodeError::NotBase64Url
        );
        assert_eq!(
            SecretKey::from_base64url("AAAA").unwrap_err(),
            KeyDecodeError::WrongLength(3)
        );
        assert!(matches!(
            SecretKey::from_base64url(&"A".repeat(64)).unwrap_err(),
            KeyDecodeError::WrongLength(_)
        ));
    }

    #[test]
    fn debug_hides_the_key() {
        let key = SecretKey::from_bytes([0x41; 32]);
        assert_eq!(format!("{key:?}"), "SecretKey(..)");
    }
}
