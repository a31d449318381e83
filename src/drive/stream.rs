//! The pipes a file streams through, so the drive logic is the same natively and in
//! the browser while only one chunk-sized piece is in Rust memory at a time.
//!
//! Browser implementations (File slices, Blob parts, fetch streams) are in
//! `browser`; in-memory ones for small objects and tests are in [`super::memory`].

use std::future::Future;

use url::Url;

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

/// Takes plaintext pieces (a download's destination).
pub trait PlainSink {
    /// Appends a verified piece. It is only final once the download returns `Ok`.
    fn push(&mut self, bytes: &[u8]) -> Result<(), StreamError>;
}

/// Collects ciphertext and finally writes it to the pod in one request.
pub trait CipherUpload {
    /// Appends a piece of ciphertext.
    fn push(&mut self, bytes: &[u8]) -> Result<(), StreamError>;
    /// PUTs everything pushed to `url` with `If-None-Match: *` (never overwrites).
    fn put(self, url: &Url) -> impl Future<Output = Result<(), WriteError>>;
}
