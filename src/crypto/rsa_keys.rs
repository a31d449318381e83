//! The RSA master keypair (docs/FORMAT.md §3, §7): wrapping 256-bit keys to another
//! user's public key with RSA-OAEP-SHA256, PEM and DER exchange, the modulus and
//! exponent of the WebID profile's `cert:key`, SHA-256 fingerprints to compare keys
//! by eye, and the private key sealed under a key the password unlocks (the root
//! keystore's, §7.1).

use rsa::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding,
};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, Oaep, RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::envelope::{self, OpenError, SealError, SealOptions};
use super::key::{SecretKey, KEY_LEN};

/// `"SLCK"`: marks an RSA-wrapped key.
pub const MAGIC: [u8; 4] = *b"SLCK";
/// The only version this code reads and writes.
pub const VERSION: u8 = 1;
/// Algorithm id: RSA-OAEP with SHA-256 and MGF1-SHA-256, empty label.
const ALG_OAEP_SHA256: u8 = 1;
/// Bytes before the ciphertext.
const PREFIX_LEN: usize = 40;
/// Smallest modulus we create or accept, in bits.
pub const MIN_BITS: usize = 2048;
/// Largest modulus we accept, in bits (the `rsa` crate's limit for public keys).
pub const MAX_BITS: usize = 4096;
/// The size of the identity keys solidcrypt creates (FORMAT.md §7).
pub const IDENTITY_BITS: usize = 3072;

/// SHA-256 of a public key's SubjectPublicKeyInfo DER.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint(pub [u8; 32]);

impl std::fmt::Display for Fingerprint {
    /// Lowercase hex in groups of four, easy to read aloud and compare.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, pair) in self.0.chunks(2).enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{:02x}{:02x}", pair[0], pair[1])?;
        }
        Ok(())
    }
}

impl std::fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

/// Why a key could not be generated, imported or exported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RsaKeyError {
    /// The modulus is smaller than [`MIN_BITS`].
    #[error("RSA key of {0} bits is too small (minimum 2048)")]
    TooSmall(usize),
    /// Not valid PEM/DER of the expected kind.
    #[error("not a valid key: {0}")]
    Encoding(String),
    /// Key generation failed.
    #[error("RSA key generation failed: {0}")]
    Generate(String),
    /// The sealed private key could not be opened.
    #[error(transparent)]
    Sealed(#[from] OpenError),
    /// The private key could not be sealed.
    #[error(transparent)]
    Seal(#[from] SealError),
}

/// Why a key could not be wrapped to a public key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RsaWrapError {
    /// RSA-OAEP encryption failed.
    #[error("RSA-OAEP encryption failed: {0}")]
    Encrypt(String),
}

/// Why an RSA-wrapped key could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RsaUnwrapError {
    /// Not an RSA-wrapped key.
    #[error("not a solidcrypt RSA-wrapped key (bad magic)")]
    BadMagic,
    /// Written by a newer version.
    #[error("unsupported RSA wrap version {0}")]
    UnsupportedVersion(u8),
    /// Unknown algorithm or ciphertext length out of range.
    #[error("invalid RSA wrap: {0}")]
    InvalidHeader(&'static str),
    /// Ends before the ciphertext does.
    #[error("the RSA wrap is truncated")]
    Truncated,
    /// Bytes follow the ciphertext.
    #[error("data follows the RSA wrap")]
    TrailingData,
    /// Wrapped for a different public key.
    #[error("this key was wrapped for another public key")]
    NotForThisKey,
    /// OAEP decryption failed or did not yield a 32-byte key.
    #[error("the RSA-wrapped key could not be decrypted")]
    DecryptFailed,
}

/// A parsed RSA wrap; [`RsaWrap::to_bytes`] writes back what [`RsaWrap::parse`] read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsaWrap {
    /// Fingerprint of the recipient's public key.
    pub recipient: Fingerprint,
    /// RSA-OAEP ciphertext (modulus-sized).
    pub ciphertext: Vec<u8>,
}

impl RsaWrap {
    /// Parses a whole wrap.
    pub fn parse(bytes: &[u8]) -> Result<Self, RsaUnwrapError> {
        if bytes.len() >= MAGIC.len() && bytes[..MAGIC.len()] != MAGIC {
            return Err(RsaUnwrapError::BadMagic);
        }
        let Some(prefix) = bytes.get(..PREFIX_LEN) else {
            return Err(RsaUnwrapError::Truncated);
        };
        if prefix[4] != VERSION {
            return Err(RsaUnwrapError::UnsupportedVersion(prefix[4]));
        }
        if prefix[5] != ALG_OAEP_SHA256 {
            return Err(RsaUnwrapError::InvalidHeader("unknown algorithm"));
        }
        let ct_len = usize::from(u16::from_be_bytes([prefix[38], prefix[39]]));
        if !(256..=1024).contains(&ct_len) {
            return Err(RsaUnwrapError::InvalidHeader(
                "ciphertext length out of range",
            ));
        }
        let rest = &bytes[PREFIX_LEN..];
        if rest.len() < ct_len {
            return Err(RsaUnwrapError::Truncated);
        }
        if rest.len() > ct_len {
            return Err(RsaUnwrapError::TrailingData);
        }
        let mut recipient = [0u8; 32];
        recipient.copy_from_slice(&prefix[6..38]);
        Ok(Self {
            recipient: Fingerprint(recipient),
            ciphertext: rest.to_vec(),
        })
    }

    /// Serializes the wrap.
    pub fn to_bytes(&self) -> Vec<u8> {
        let ct_len =
            u16::try_from(self.ciphertext.len()).expect("RSA ciphertexts are at most 1024 bytes");
        let mut out = Vec::with_capacity(PREFIX_LEN + self.ciphertext.len());
        out.extend_from_slice(&MAGIC);
        out.push(VERSION);
        out.push(ALG_OAEP_SHA256);
        out.extend_from_slice(&self.recipient.0);
        out.extend_from_slice(&ct_len.to_be_bytes());
        out.extend_from_slice(&self.ciphertext);
        out
    }
}

/// Someone's RSA public key: what keys are wrapped to.
#[derive(Clone, PartialEq, Eq)]
pub struct MasterPublicKey(RsaPublicKey);

impl MasterPublicKey {
    /// Imports `-----BEGIN PUBLIC KEY-----` (SPKI) PEM.
    pub fn from_spki_pem(pem: &str) -> Result<Self, RsaKeyError> {
        let key = RsaPublicKey::from_public_key_pem(pem)
            .map_err(|e| RsaKeyError::Encoding(e.to_string()))?;
        check_size(key.size() * 8)?;
        Ok(Self(key))
    }

    /// Imports SubjectPublicKeyInfo DER (what WebCrypto exports as `spki`).
    pub fn from_spki_der(der: &[u8]) -> Result<Self, RsaKeyError> {
        let key = RsaPublicKey::from_public_key_der(der)
            .map_err(|e| RsaKeyError::Encoding(e.to_string()))?;
        check_size(key.size() * 8)?;
        Ok(Self(key))
    }

    /// From a modulus and public exponent, big-endian (the `cert:` vocabulary's
    /// numbers, FORMAT.md §7.3).
    pub fn from_components(modulus: &[u8], exponent: &[u8]) -> Result<Self, RsaKeyError> {
        let key = RsaPublicKey::new(
            BigUint::from_bytes_be(modulus),
            BigUint::from_bytes_be(exponent),
        )
        .map_err(|e| RsaKeyError::Encoding(e.to_string()))?;
        check_size(key.size() * 8)?;
        Ok(Self(key))
    }

    /// The public half of a PKCS#8 RSA private key, read from its DER structure
    /// alone (no arithmetic with the private numbers): how the browser learns which
    /// public key a WebCrypto private key it imported belongs to.
    pub fn of_pkcs8_der(der: &[u8]) -> Result<Self, RsaKeyError> {
        let encoding = |e: &dyn std::fmt::Display| RsaKeyError::Encoding(e.to_string());
        let info = rsa::pkcs8::PrivateKeyInfo::try_from(der).map_err(|e| encoding(&e))?;
        if info.algorithm.oid != rsa::pkcs1::ALGORITHM_OID {
            return Err(RsaKeyError::Encoding("not an RSA private key".into()));
        }
        let private =
            rsa::pkcs1::RsaPrivateKey::try_from(info.private_key).map_err(|e| encoding(&e))?;
        Self::from_components(
            private.modulus.as_bytes(),
            private.public_exponent.as_bytes(),
        )
    }

    /// The modulus, big-endian without leading zeros.
    pub fn modulus_be(&self) -> Vec<u8> {
        self.0.n().to_bytes_be()
    }

    /// The public exponent, big-endian without leading zeros.
    pub fn exponent_be(&self) -> Vec<u8> {
        self.0.e().to_bytes_be()
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        self.0.n().bits()
    }

    /// Exports SubjectPublicKeyInfo DER (its SHA-256 is the fingerprint).
    pub fn to_spki_der(&self) -> Vec<u8> {
        self.0
            .to_public_key_der()
            .expect("an RSA public key always encodes")
            .into_vec()
    }

    /// Exports SPKI PEM (LF line endings).
    pub fn to_spki_pem(&self) -> String {
        self.0
            .to_public_key_pem(LineEnding::LF)
            .expect("an RSA public key always encodes")
    }

    /// SHA-256 of the SPKI DER, the key's identity in wraps and in the UI.
    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint(Sha256::digest(self.to_spki_der()).into())
    }

    /// Wraps `key` for the holder of the matching private key.
    pub fn wrap_key(&self, key: &SecretKey) -> Result<Vec<u8>, RsaWrapError> {
        let ciphertext = self
            .0
            .encrypt(
                &mut rand_core::OsRng,
                Oaep::new::<Sha256>(),
                key.expose_bytes(),
            )
            .map_err(|e| RsaWrapError::Encrypt(e.to_string()))?;
        Ok(RsaWrap {
            recipient: self.fingerprint(),
            ciphertext,
        }
        .to_bytes())
    }
}

impl std::fmt::Debug for MasterPublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MasterPublicKey({})", self.fingerprint())
    }
}

/// The user's RSA keypair. The private half is zeroized on drop by `rsa`, and
/// `Debug` shows only the public fingerprint.
#[derive(Clone)]
pub struct MasterKeypair(RsaPrivateKey);

fn check_size(bits: usize) -> Result<(), RsaKeyError> {
    if bits < MIN_BITS {
        return Err(RsaKeyError::TooSmall(bits));
    }
    Ok(())
}

impl MasterKeypair {
    /// Generates a new keypair of `bits` (≥ 2048). Takes seconds in wasm.
    pub fn generate(bits: usize) -> Result<Self, RsaKeyError> {
        check_size(bits)?;
        RsaPrivateKey::new(&mut rand_core::OsRng, bits)
            .map(Self)
            .map_err(|e| RsaKeyError::Generate(e.to_string()))
    }

    /// The public half.
    pub fn public_key(&self) -> MasterPublicKey {
        MasterPublicKey(self.0.to_public_key())
    }

    /// Imports `-----BEGIN PRIVATE KEY-----` (PKCS#8) PEM.
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, RsaKeyError> {
        let key =
            RsaPrivateKey::from_pkcs8_pem(pem).map_err(|e| RsaKeyError::Encoding(e.to_string()))?;
        check_size(key.size() * 8)?;
        Ok(Self(key))
    }

    /// Imports PKCS#8 DER (as opened from the seal, FORMAT.md §7.1).
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, RsaKeyError> {
        let key =
            RsaPrivateKey::from_pkcs8_der(der).map_err(|e| RsaKeyError::Encoding(e.to_string()))?;
        check_size(key.size() * 8)?;
        Ok(Self(key))
    }

    /// Exports PKCS#8 DER, wiped on drop (to seal it; never stored unencrypted).
    pub fn to_pkcs8_der(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(
            self.0
                .to_pkcs8_der()
                .expect("an RSA private key always encodes")
                .as_bytes()
                .to_vec(),
        )
    }

    /// Exports PKCS#8 PEM (for a user-held backup; never stored unencrypted).
    pub fn to_pkcs8_pem(&self) -> Zeroizing<String> {
        self.0
            .to_pkcs8_pem(LineEnding::LF)
            .expect("an RSA private key always encodes")
    }

    /// Seals the PKCS#8 DER in a file envelope (FORMAT.md §7.1) under `key` (the
    /// root keystore's, which the password-protected index holds).
    pub fn seal(&self, key: &SecretKey) -> Result<Vec<u8>, RsaKeyError> {
        Ok(envelope::seal(
            key,
            &self.to_pkcs8_der(),
            &SealOptions::default(),
        )?)
    }

    /// Opens what [`MasterKeypair::seal`] wrote.
    pub fn open_sealed(key: &SecretKey, sealed: &[u8]) -> Result<Self, RsaKeyError> {
        Self::from_pkcs8_der(&envelope::open(key, sealed)?.plaintext)
    }

    /// Opens a key wrapped to this keypair's public key.
    pub fn unwrap_key(&self, bytes: &[u8]) -> Result<SecretKey, RsaUnwrapError> {
        let wrap = RsaWrap::parse(bytes)?;
        if wrap.recipient != self.public_key().fingerprint() {
            return Err(RsaUnwrapError::NotForThisKey);
        }
        let plain = Zeroizing::new(
            self.0
                .decrypt(Oaep::new::<Sha256>(), &wrap.ciphertext)
                .map_err(|_| RsaUnwrapError::DecryptFailed)?,
        );
        let bytes: [u8; KEY_LEN] = plain
            .as_slice()
            .try_into()
            .map_err(|_| RsaUnwrapError::DecryptFailed)?;
        Ok(SecretKey::from_bytes(bytes))
    }
}

impl std::fmt::Debug for MasterKeypair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MasterKeypair({})", self.public_key().fingerprint())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRIVATE_PEM: &str = include_str!("../../tests/vectors/rsa_test_key.pem");
    const PUBLIC_PEM: &str = include_str!("../../tests/vectors/rsa_test_key.pub.pem");

    fn keypair() -> MasterKeypair {
        MasterKeypair::from_pkcs8_pem(PRIVATE_PEM).unwrap()
    }

    #[test]
    fn pem_round_trips() {
        let pair = keypair();
        assert_eq!(pair.public_key().to_spki_pem(), PUBLIC_PEM);
        let public = MasterPublicKey::from_spki_pem(PUBLIC_PEM).unwrap();
        assert_eq!(public, pair.public_key());
        let again = MasterKeypair::from_pkcs8_pem(&pair.to_pkcs8_pem()).unwrap();
        assert_eq!(again.public_key(), public);
    }

    #[test]
    fn wrap_unwrap_and_wrong_recipient() {
        let pair = keypair();
        let key = SecretKey::from_bytes([3; 32]);
        let wrapped = pair.public_key().wrap_key(&key).unwrap();
        assert_eq!(wrapped.len(), 40 + 256);
        assert_eq!(
            pair.unwrap_key(&wrapped).unwrap().expose_bytes(),
            key.expose_bytes()
        );
        assert_eq!(RsaWrap::parse(&wrapped).unwrap().to_bytes(), wrapped);

        let mut other = wrapped.clone();
        other[6] ^= 1;
        assert_eq!(
            pair.unwrap_key(&other).unwrap_err(),
            RsaUnwrapError::NotForThisKey
        );
        let mut flipped = wrapped.clone();
        flipped[100] ^= 1;
        assert_eq!(
            pair.unwrap_key(&flipped).unwrap_err(),
            RsaUnwrapError::DecryptFailed
        );
        assert_eq!(
            pair.unwrap_key(&wrapped[..200]).unwrap_err(),
            RsaUnwrapError::Truncated
        );
        let mut longer = wrapped.clone();
        longer.push(0);
        assert_eq!(
            pair.unwrap_key(&longer).unwrap_err(),
            RsaUnwrapError::TrailingData
        );
        assert_eq!(
            pair.unwrap_key(b"SLCF....").unwrap_err(),
            RsaUnwrapError::BadMagic
        );
    }

    #[test]
    fn sealed_private_key_opens_only_with_the_master_key() {
        let pair = keypair();
        let master = SecretKey::from_bytes([8; 32]);
        let sealed = pair.seal(&master).unwrap();
        let opened = MasterKeypair::open_sealed(&master, &sealed).unwrap();
        assert_eq!(opened.public_key(), pair.public_key());
        assert_eq!(
            MasterKeypair::open_sealed(&SecretKey::from_bytes([9; 32]), &sealed).unwrap_err(),
            RsaKeyError::Sealed(OpenError::KeyOrHeaderMismatch)
        );
    }

    #[test]
    fn fingerprint_is_sha256_of_spki_and_displays_in_groups() {
        let fp = keypair().public_key().fingerprint();
        let text = fp.to_string();
        assert_eq!(text.len(), 16 * 4 + 15);
        assert!(format!("{:?}", keypair()).starts_with("MasterKeypair("));
        assert!(!format!("{:?}", keypair()).contains("BEGIN"));
    }

    #[test]
    fn generated_keypair_wraps_seals_and_exports() {
        let pair = MasterKeypair::generate(MIN_BITS).unwrap();
        let key = SecretKey::from_bytes([6; 32]);
        let wrapped = pair.public_key().wrap_key(&key).unwrap();
        assert_eq!(
            pair.unwrap_key(&wrapped).unwrap().expose_bytes(),
            key.expose_bytes()
        );
        let master = SecretKey::from_bytes([2; 32]);
        let reopened = MasterKeypair::open_sealed(&master, &pair.seal(&master).unwrap()).unwrap();
        assert_eq!(reopened.public_key(), pair.public_key());
        let public = MasterPublicKey::from_spki_pem(&pair.public_key().to_spki_pem()).unwrap();
        assert_eq!(public.fingerprint(), pair.public_key().fingerprint());
    }

    #[test]
    fn der_components_and_pkcs8_structure_give_the_same_public_key() {
        let pair = keypair();
        let public = pair.public_key();
        assert_eq!(
            MasterPublicKey::from_spki_der(&public.to_spki_der()).unwrap(),
            public
        );
        assert_eq!(
            MasterPublicKey::from_components(&public.modulus_be(), &public.exponent_be()).unwrap(),
            public
        );
        assert_eq!(public.exponent_be(), [1, 0, 1]);
        assert_eq!(public.bits(), 2048);
        assert_eq!(
            MasterPublicKey::of_pkcs8_der(&pair.to_pkcs8_der()).unwrap(),
            public
        );
        let again = MasterKeypair::from_pkcs8_der(&pair.to_pkcs8_der()).unwrap();
        assert_eq!(again.public_key(), public);
        assert!(MasterPublicKey::of_pkcs8_der(&public.to_spki_der()).is_err());
        assert!(matches!(
            MasterPublicKey::from_components(&[0xff; 128], &[1, 0, 1]),
            Err(RsaKeyError::TooSmall(1024))
        ));
    }

    #[test]
    fn small_keys_are_refused() {
        assert_eq!(
            MasterKeypair::generate(1024).unwrap_err(),
            RsaKeyError::TooSmall(1024)
        );
    }
}
