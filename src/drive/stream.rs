//! The pipes a file streams through, so the drive logic is the same natively and in
//! the browser while only one piece of plaintext is in Rust memory at a time.
//!
//! The sinks run the envelope step themselves (they get the [`Encryptor`] or
//! [`Decryptor`]), so a browser sink can keep WebCrypto's output in JavaScript
//! (`push_parts`) instead of copying every chunk into wasm memory and out again.
//! Browser implementations (File slices, an on-disk spool, fetch streams) are in
//! `browser`; in-memory ones for small objects and tests are in [`super::memory`].

use std::future::Future;

use url::Url;

use super::download::DownloadError;
use super::upload::UploadError;
use crate::crypto::envelope::{ChunkCipher, Decryptor, Encryptor, Metadata};
use crate::pod::error::WriteError;

/// A piece could not be read or stored (the browser's reason, as text).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct StreamError(pub String);

/// Yields bytes in pieces until it is exhausted.
pub trait ByteSource {
    /// The next piece, or `None` at the end.
    fn next(&mut self) -> impl Future<Output = Result<Option<Vec<u8>>, StreamError>>;
}

/// A download's destination: decrypts pieces of the envelope and keeps the
/// plaintext, which is only final once [`PlainSink::finish`] returns `Ok`.
pub trait PlainSink<C: ChunkCipher> {
    /// Decrypts `piece` (any length) with `decryptor` and keeps what it yields.
    fn open(
        &mut self,
        decryptor: &mut Decryptor<C>,
        piece: &[u8],
    ) -> impl Future<Output = Result<(), DownloadError>>;
    /// Ends the envelope (the final chunk's plaintext is kept too).
    fn finish(
        &mut self,
        decryptor: Decryptor<C>,
    ) -> impl Future<Output = Result<Option<Metadata>, DownloadError>>;
}

/// An upload's body: the envelope header, then plaintext pieces sealed by the
/// encryptor, written to the pod as one resource at the end, or in parts
/// (docs/FORMAT.md §1.8) as they fill up.
pub trait CipherUpload<C: ChunkCipher> {
    /// Whether the file is stored in parts: its URL is then a container (ends in
    /// `/`) and parts may be on the pod before [`CipherUpload::put`].
    fn in_parts(&self) -> bool;
    /// Appends the envelope header (and metadata block) of the file stored at
    /// `url`, known from here on so that parts can be sent as they fill up.
    fn header(&mut self, url: &Url, bytes: &[u8]) -> impl Future<Output = Result<(), UploadError>>;
    /// Seals `piece` with `encryptor` and appends the ciphertext.
    fn seal(
        &mut self,
        encryptor: &mut Encryptor<C>,
        piece: &[u8],
    ) -> impl Future<Output = Result<(), UploadError>>;
    /// Seals the final chunk.
    fn finish(&mut self, encryptor: Encryptor<C>) -> impl Future<Output = Result<(), UploadError>>;
    /// PUTs what is not sent yet with `If-None-Match: *` (never overwrites),
    /// then frees whatever held the body. A PUT whose answer is lost but whose
    /// bytes arrived counts as done (`parts::landed`).
    fn put(self) -> impl Future<Output = Result<(), WriteError>>;
    /// Frees whatever held the body without sending more (after an error), once
    /// any PUT under way has ended; the caller deletes parts already sent.
    fn discard(self) -> impl Future<Output = ()>;
}
