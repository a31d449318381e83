//! The AES-256-GCM engines behind the envelope.
//!
//! The envelope logic (framing, nonces, error naming) is written once, generic
//! over [`ChunkCipher`]; engines only seal or open buffers (one, or a run of
//! equal-size chunks that WebCrypto handles in a single JS call). The trait is
//! asynchronous because WebCrypto is; the RustCrypto engine never suspends, which
//! is what lets the envelope offer blocking methods for it (see [`ready`]).

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use aes_gcm::aead::AeadInPlace;
use aes_gcm::{Aes256Gcm, KeyInit, Nonce, Tag};

use super::header::TAG_LEN;
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
///
/// Results are written into a caller-provided slice of exactly the right length,
/// so the envelope can run several chunks at once (WebCrypto then works on them in
/// parallel) and copy each result only once. On error the contents of `out` are
/// unspecified and the caller discards them.
pub trait ChunkCipher: Sized {
    /// Prepares the engine for `key` (WebCrypto imports it as a non-extractable key).
    fn new(key: &PayloadKey) -> impl Future<Output = Result<Self, CipherError>>;
    /// Writes `ciphertext || tag` of `plaintext` into `out`
    /// (`out.len() == plaintext.len() + TAG_LEN`).
    fn seal(
        &self,
        nonce: [u8; NONCE_LEN],
        plaintext: &[u8],
        out: &mut [u8],
    ) -> impl Future<Output = Result<(), CipherError>>;
    /// Verifies `ciphertext || tag` and writes the plaintext into `out`
    /// (`out.len() + TAG_LEN == ciphertext.len()`); `Authentication` if the tag fails.
    fn open(
        &self,
        nonce: [u8; NONCE_LEN],
        ciphertext: &[u8],
        out: &mut [u8],
    ) -> impl Future<Output = Result<(), CipherError>>;

    /// Seals the chunks `input.chunks(chunk)` under `nonces` (one each), writing
    /// their `ciphertext || tag` one after another into `out`. Engines override
    /// this to run a whole run in one go; on failure, returns the index of the
    /// first failing chunk.
    fn seal_run(
        &self,
        nonces: &[[u8; NONCE_LEN]],
        input: &[u8],
        chunk: usize,
        out: &mut [u8],
    ) -> impl Future<Output = Result<(), (usize, CipherError)>> {
        async move {
            let mut jobs = Vec::with_capacity(nonces.len());
            let mut rest = out;
            for (nonce, piece) in nonces.iter().zip(input.chunks(chunk)) {
                let (dst, tail) = std::mem::take(&mut rest).split_at_mut(piece.len() + TAG_LEN);
                rest = tail;
                jobs.push(self.seal(*nonce, piece, dst));
            }
            first_failure(join_all(jobs).await)
        }
    }

    /// Opens the segments `input.chunks(segment)` under `nonces`, writing their
    /// plaintexts one after another into `out`; index of the first failure.
    fn open_run(
        &self,
        nonces: &[[u8; NONCE_LEN]],
        input: &[u8],
        segment: usize,
        out: &mut [u8],
    ) -> impl Future<Output = Result<(), (usize, CipherError)>> {
        async move {
            let mut jobs = Vec::with_capacity(nonces.len());
            let mut rest = out;
            for (nonce, piece) in nonces.iter().zip(input.chunks(segment)) {
                let (dst, tail) = std::mem::take(&mut rest).split_at_mut(piece.len() - TAG_LEN);
                rest = tail;
                jobs.push(self.open(*nonce, piece, dst));
            }
            first_failure(join_all(jobs).await)
        }
    }
}

fn first_failure(results: Vec<Result<(), CipherError>>) -> Result<(), (usize, CipherError)> {
    match results
        .into_iter()
        .enumerate()
        .find_map(|(i, r)| r.err().map(|e| (i, e)))
    {
        Some(failure) => Err(failure),
        None => Ok(()),
    }
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
        nonce: [u8; NONCE_LEN],
        plaintext: &[u8],
        out: &mut [u8],
    ) -> Result<(), CipherError> {
        let (body, tag_out) = out.split_at_mut(plaintext.len());
        body.copy_from_slice(plaintext);
        let tag = self
            .0
            .encrypt_in_place_detached(Nonce::from_slice(&nonce), b"", body)
            .map_err(|_| CipherError::Engine("aes-gcm refused the plaintext length".into()))?;
        tag_out.copy_from_slice(&tag);
        Ok(())
    }

    async fn open(
        &self,
        nonce: [u8; NONCE_LEN],
        ciphertext: &[u8],
        out: &mut [u8],
    ) -> Result<(), CipherError> {
        let (body, tag) = ciphertext.split_at(out.len());
        out.copy_from_slice(body);
        // aes-gcm 0.10 checks the tag before decrypting, so on failure `out` holds
        // only ciphertext.
        self.0
            .decrypt_in_place_detached(Nonce::from_slice(&nonce), b"", out, Tag::from_slice(tag))
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

/// Runs `futures` concurrently and returns their outputs in order (also used for
/// part PUTs side by side, `drive::parts::PartWriter`). With WebCrypto
/// every operation is started on the first poll, so the browser works on all of
/// them at once; with RustCrypto each completes on its first poll.
pub(crate) async fn join_all<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut futures: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(move |cx| {
        let mut done = true;
        for (future, output) in futures.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    Poll::Ready(value) => *output = Some(value),
                    Poll::Pending => done = false,
                }
            }
        }
        if done {
            Poll::Ready(outputs.iter_mut().filter_map(Option::take).collect())
        } else {
            Poll::Pending
        }
    })
    .await
}
