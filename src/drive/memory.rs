//! In-memory pipes: for small objects (a text file typed in the app) and for the
//! native tests. Large files go through the browser's spool-backed pipes instead.

use url::Url;
use zeroize::Zeroizing;

use super::download::DownloadError;
use super::parts::put_new;
use super::stream::{ByteSource, CipherUpload, PlainSink, StreamError};
use super::upload::UploadError;
use crate::crypto::envelope::{ChunkCipher, Decryptor, Encryptor, Metadata};
use crate::pod::error::WriteError;
use crate::pod::http::HttpClient;
use crate::pod::Pod;

/// Hands out a byte buffer in pieces of `piece` bytes.
pub struct SliceSource<'a> {
    bytes: &'a [u8],
    piece: usize,
}

impl<'a> SliceSource<'a> {
    /// Reads `bytes` in pieces of `piece` bytes (at least 1).
    pub fn new(bytes: &'a [u8], piece: usize) -> Self {
        Self {
            bytes,
            piece: piece.max(1),
        }
    }
}

impl ByteSource for SliceSource<'_> {
    async fn next(&mut self) -> Result<Option<Vec<u8>>, StreamError> {
        if self.bytes.is_empty() {
            return Ok(None);
        }
        let (head, rest) = self.bytes.split_at(self.piece.min(self.bytes.len()));
        self.bytes = rest;
        Ok(Some(head.to_vec()))
    }
}

/// Hands out an owned byte buffer in pieces (a part fetched whole).
pub struct VecSource {
    bytes: Vec<u8>,
    at: usize,
    piece: usize,
}

impl VecSource {
    /// Reads `bytes` in pieces of `piece` bytes (at least 1).
    pub fn new(bytes: Vec<u8>, piece: usize) -> Self {
        Self {
            bytes,
            at: 0,
            piece: piece.max(1),
        }
    }
}

impl ByteSource for VecSource {
    async fn next(&mut self) -> Result<Option<Vec<u8>>, StreamError> {
        if self.at >= self.bytes.len() {
            return Ok(None);
        }
        let end = (self.at + self.piece).min(self.bytes.len());
        let piece = self.bytes[self.at..end].to_vec();
        self.at = end;
        Ok(Some(piece))
    }
}

/// Collects plaintext in a buffer that is wiped when dropped.
#[derive(Default)]
pub struct VecSink(pub Zeroizing<Vec<u8>>);

impl std::fmt::Debug for VecSink {
    /// Only the length: the content is plaintext.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "VecSink({} bytes)", self.0.len())
    }
}

impl<C: ChunkCipher> PlainSink<C> for VecSink {
    async fn open(
        &mut self,
        decryptor: &mut Decryptor<C>,
        piece: &[u8],
    ) -> Result<(), DownloadError> {
        Ok(decryptor.push(piece, &mut self.0).await?)
    }

    async fn finish(&mut self, decryptor: Decryptor<C>) -> Result<Option<Metadata>, DownloadError> {
        Ok(decryptor.finish(&mut self.0).await?)
    }
}

/// Collects ciphertext in memory and PUTs it through the pod client as one
/// resource.
pub struct VecUpload<'p, 'a, H: HttpClient> {
    pod: &'p Pod<'a, H>,
    url: Option<Url>,
    body: Vec<u8>,
}

impl<'p, 'a, H: HttpClient> VecUpload<'p, 'a, H> {
    /// An upload through `pod`.
    pub fn new(pod: &'p Pod<'a, H>) -> Self {
        Self {
            pod,
            url: None,
            body: Vec::new(),
        }
    }
}

impl<C: ChunkCipher, H: HttpClient> CipherUpload<C> for VecUpload<'_, '_, H> {
    fn in_parts(&self) -> bool {
        false
    }

    async fn header(&mut self, url: &Url, bytes: &[u8]) -> Result<(), UploadError> {
        self.url = Some(url.clone());
        self.body.extend_from_slice(bytes);
        Ok(())
    }

    async fn seal(
        &mut self,
        encryptor: &mut Encryptor<C>,
        piece: &[u8],
    ) -> Result<(), UploadError> {
        Ok(encryptor.push(piece, &mut self.body).await?)
    }

    async fn finish(&mut self, encryptor: Encryptor<C>) -> Result<(), UploadError> {
        Ok(encryptor.finish(&mut self.body).await?)
    }

    async fn put(self) -> Result<(), WriteError> {
        let url = self.url.expect("header() names the file first");
        put_new(self.pod, &url, self.body).await
    }

    async fn discard(self) {}
}
