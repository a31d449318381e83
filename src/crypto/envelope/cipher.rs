//! The AES-256-GCM engines behind the envelope.
//!
//! The envelope logic (framing, nonces, error naming) is written once, generic
//! over [`ChunkCipher`]; engines only seal or open one buffer. The trait is
//! asynchronous because WebCrypto is; the RustCrypto engine never suspends, which
//! is what lets the envelope offer blocking methods for it (see [`ready`]).

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use aes_gcm::aead::Aead;
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};

use super::schedule::{PayloadKey, NONCE_LEN};

/// Why an engine could not seal or open a buffer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CipherError {
    /// The tag did not verify: the ciphertext, nonce or key is not the one sealed.
    #[error("authentication failed")]
    Authentication,
    /// The engine itself failed (e.g. WebCrypto unavailable or threw).
    #[error("crypto engine failed: {0}")]
    Engine(String),
}

/// One AES-256-GCM implementation, keyed with a payload key. AAD is always empty
/// (the header is bound through the key schedule instead).
pub trait ChunkCipher: Sized {
    /// Prepares the engine for `key` (WebCrypto imports it as a non-extractable key).
    fn new(key: &PayloadKey) -> impl Future<Output = Result<Self, CipherError>>;
    /// Returns `ciphertext || tag` for `plaintext`.
    fn seal(
        &self,
        nonce: &[u8; NONCE_LEN],
        plaintext: &[u8],
    ) -> impl Future<Output = Result<Vec<u8>, CipherError>>;
    /// Verifies and decrypts `ciphertext || tag`; returns nothing unless the tag verifies.
    fn open(
        &self,
        nonce: &[u8; NONCE_LEN],
        ciphertext: &[u8],
    ) -> impl Future<Output = Result<Vec<u8>, CipherError>>;
}

/// Portable engine: RustCrypto `aes-gcm`. Used natively, in tests, and in the
/// browser for small objects where a WebCrypto round trip costs more than it saves.
pub struct RustCryptoCipher(Aes256Gcm);

impl ChunkCipher for RustCryptoCipher {
    async fn new(key: &PayloadKey) -> Result<Self, CipherError> {
        Ok(Self(Aes256Gcm::new(key.expose_bytes().into())))
    }

    async fn seal(
        &self,
        nonce: &[u8; NONCE_LEN],
        plaintext: &[u8],
    ) -> Result<Vec<u8>, CipherError> {
        self.0
            .encrypt(Nonce::from_slice(nonce), plaintext)
            .map_err(|_| CipherError::Engine("aes-gcm refused the plaintext length".into()))
    }

    async fn open(
        &self,
        nonce: &[u8; NONCE_LEN],
        ciphertext: &[u8],
    ) -> Result<Vec<u8>, CipherError> {
        self.0
            .decrypt(Nonce::from_slice(nonce), ciphertext)
            .map_err(|_| CipherError::Authentication)
    }
}

/// Runs a future that is known to complete without suspending (every future built
/// only from [`RustCryptoCipher`] calls), giving blocking APIs without an executor.
pub(crate) fn ready<F: Future>(future: F) -> F::Output {
    let future = pin!(future);
    match future.poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => unreachable!("the RustCrypto engine never suspends"),
    }
}
