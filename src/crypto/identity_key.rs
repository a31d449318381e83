//! The user's own RSA private key as the sharing code uses it: only "who am I"
//! (the public half) and "open a key wrapped to me". Two holders implement it: the
//! native [`MasterKeypair`] (tests, tools) and, in the browser, a non-extractable
//! WebCrypto key, so decryption never runs in the `rsa` crate there
//! (RUSTSEC-2023-0071) and the private key's bytes are not kept in wasm memory.

use std::future::Future;

use zeroize::Zeroizing;

use super::key::SecretKey;
use super::rsa_keys::{MasterKeypair, MasterPublicKey, RsaKeyError, RsaUnwrapError, IDENTITY_BITS};

/// An RSA-OAEP-SHA256 private key that can open FORMAT §3 wraps addressed to it.
pub trait IdentityKey {
    /// The public half (what others wrap to, and its fingerprint).
    fn public_key(&self) -> &MasterPublicKey;
    /// Opens an RSA-wrapped key (FORMAT §3) addressed to [`IdentityKey::public_key`].
    fn unwrap_key(&self, wrapped: &[u8])
        -> impl Future<Output = Result<SecretKey, RsaUnwrapError>>;
}

/// A native keypair with its public half computed once.
#[derive(Clone, Debug)]
pub struct NativeIdentityKey {
    pair: MasterKeypair,
    public: MasterPublicKey,
}

impl NativeIdentityKey {
    /// Wraps a keypair.
    pub fn new(pair: MasterKeypair) -> Self {
        let public = pair.public_key();
        Self { pair, public }
    }
}

impl IdentityKey for NativeIdentityKey {
    fn public_key(&self) -> &MasterPublicKey {
        &self.public
    }

    async fn unwrap_key(&self, wrapped: &[u8]) -> Result<SecretKey, RsaUnwrapError> {
        self.pair.unwrap_key(wrapped)
    }
}

/// Makes and opens identity keys on one platform (FORMAT.md §7): what
/// `identity::ensure_identity` needs, so the same code seals and publishes a
/// WebCrypto key in the browser and an `rsa` key natively.
pub trait IdentityKeyMaker {
    /// The usable key it yields.
    type Key: IdentityKey;
    /// A new keypair of [`IDENTITY_BITS`]: its PKCS#8 DER (to seal, wiped on drop)
    /// and the key to use in this session.
    fn generate(
        &self,
    ) -> impl Future<Output = Result<(Zeroizing<Vec<u8>>, Self::Key), RsaKeyError>>;
    /// The key from its PKCS#8 DER, as opened from the seal.
    fn import(
        &self,
        pkcs8: Zeroizing<Vec<u8>>,
    ) -> impl Future<Output = Result<Self::Key, RsaKeyError>>;
}

/// Native keys with the `rsa` crate (tests, tools).
#[derive(Debug, Clone, Copy)]
pub struct NativeKeyMaker {
    /// Modulus size of new keys.
    pub bits: usize,
}

impl Default for NativeKeyMaker {
    fn default() -> Self {
        Self {
            bits: IDENTITY_BITS,
        }
    }
}

impl IdentityKeyMaker for NativeKeyMaker {
    type Key = NativeIdentityKey;

    async fn generate(&self) -> Result<(Zeroizing<Vec<u8>>, NativeIdentityKey), RsaKeyError> {
        let pair = MasterKeypair::generate(self.bits)?;
        Ok((pair.to_pkcs8_der(), NativeIdentityKey::new(pair)))
    }

    async fn import(&self, pkcs8: Zeroizing<Vec<u8>>) -> Result<NativeIdentityKey, RsaKeyError> {
        Ok(NativeIdentityKey::new(MasterKeypair::from_pkcs8_der(
            &pkcs8,
        )?))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn native_key_opens_what_its_public_half_wrapped() {
        let pem = include_str!("../../tests/vectors/rsa_test_key.pem");
        let id = NativeIdentityKey::new(MasterKeypair::from_pkcs8_pem(pem).unwrap());
        let key = SecretKey::generate().unwrap();
        let wrapped = id.public_key().wrap_key(&key).unwrap();
        let opened = pollster::block_on(id.unwrap_key(&wrapped)).unwrap();
        assert_eq!(opened.expose_bytes(), key.expose_bytes());
    }
}
