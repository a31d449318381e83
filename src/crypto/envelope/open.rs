//! Reading envelopes: a streaming [`Decryptor`] that holds back at most one chunk,
//! and a one-shot [`open`] for small objects. Every failure is a typed
//! [`OpenError`]; no plaintext is released from a chunk whose tag did not verify.

use zeroize::Zeroizing;

use super::cipher::{ready, ChunkCipher, CipherError, RustCryptoCipher};
use super::header::{Header, HeaderError, HEADER_LEN, TAG_LEN};
use super::metadata::{Metadata, MetadataError};
use super::schedule::{chunk_nonce, commitment_matches, derive, METADATA_NONCE, NONCE_LEN};
use super::units::{grow, Units, WINDOW_RUNS};
use crate::crypto::key::SecretKey;

/// Why an envelope could not be opened. Variant names are the `expect` values of
/// the test vectors in `tests/vectors/`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OpenError {
    /// Not a solidcrypt envelope.
    #[error("it is not something solidcrypt encrypted, or it is damaged")]
    BadMagic,
    /// Written by a newer format version.
    #[error("it was encrypted by a newer solidcrypt (format {0}): update the app to open it")]
    UnsupportedVersion(u8),
    /// A header field is out of range.
    #[error("it is damaged ({0})")]
    InvalidHeader(&'static str),
    /// The key commitment does not match: wrong key, or the header was modified.
    #[error("its key does not open it: the wrong key, or the file was changed")]
    KeyOrHeaderMismatch,
    /// The metadata block failed authentication.
    #[error("it was damaged or tampered with (its name and type do not check out)")]
    MetadataTampered,
    /// The metadata authenticated but its records are malformed (faulty writer).
    #[error(transparent)]
    MalformedMetadata(#[from] MetadataError),
    /// A chunk failed authentication: modified, reordered or from another envelope.
    #[error("it was damaged or tampered with (piece {index} does not check out)")]
    ChunkTampered {
        /// Zero-based position of the failing chunk.
        index: u64,
    },
    /// The envelope ends early (inside the header, metadata, or after a non-final chunk).
    #[error("it is incomplete: it was cut short")]
    Truncated,
    /// Data follows what was sealed as the final chunk.
    #[error("it was damaged or tampered with (something was added after its end)")]
    TrailingData,
    /// The cipher engine failed (not the data).
    #[error("this browser could not decrypt it ({0}): reload and try again")]
    Engine(String),
}

impl From<HeaderError> for OpenError {
    fn from(e: HeaderError) -> Self {
        match e {
            HeaderError::Truncated => Self::Truncated,
            HeaderError::BadMagic => Self::BadMagic,
            HeaderError::UnsupportedVersion(v) => Self::UnsupportedVersion(v),
            HeaderError::InvalidHeader(why) => Self::InvalidHeader(why),
        }
    }
}

pub(crate) fn engine_error(e: CipherError) -> OpenError {
    OpenError::Engine(e.to_string())
}

enum State<C> {
    /// Collecting the 78 header bytes; the key is needed once they are complete.
    Header { key: SecretKey, buf: Vec<u8> },
    /// Collecting the encrypted metadata block of `len` bytes.
    Metadata {
        cipher: C,
        len: usize,
        segment_len: usize,
        buf: Vec<u8>,
    },
    /// Decrypting chunks; `pending` holds at most one segment, kept until we know
    /// whether it is the final one.
    Chunks {
        cipher: C,
        next_index: u64,
        pending: Units,
    },
    /// An error happened; every later call repeats it.
    Failed(OpenError),
}

/// Streaming envelope reader over engine `C`.
///
/// Feed ciphertext with [`Decryptor::push`] in pieces of any size; verified
/// plaintext is appended to the caller's buffer. The content is complete and
/// authentic only once [`Decryptor::finish`] returns `Ok`: a consumer that shows or
/// stores plaintext early must discard it if a later call fails.
pub struct Decryptor<C> {
    state: State<C>,
    metadata: Option<Metadata>,
}

impl<C: ChunkCipher> Decryptor<C> {
    /// A reader for an envelope sealed under `file_key`.
    pub fn new(file_key: &SecretKey) -> Self {
        Self {
            state: State::Header {
                key: file_key.clone(),
                buf: Vec::with_capacity(HEADER_LEN),
            },
            metadata: None,
        }
    }

    /// The decrypted metadata, once the bytes after the header have been pushed.
    pub fn metadata(&self) -> Option<&Metadata> {
        self.metadata.as_ref()
    }

    /// Decrypts the next piece of the envelope, appending verified plaintext to `out`.
    pub async fn push(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<(), OpenError> {
        self.push_into(input, out).await
    }

    /// Checks that the envelope ended properly and decrypts its final chunk.
    /// Returns the metadata, if the envelope has any.
    pub async fn finish(self, out: &mut Vec<u8>) -> Result<Option<Metadata>, OpenError> {
        self.finish_into(out).await
    }

    pub(crate) async fn push_into<S: OpenSink<C>>(
        &mut self,
        input: &[u8],
        out: &mut S,
    ) -> Result<(), OpenError> {
        let result = self.step(input, out).await;
        self.fail_on(result)
    }

    pub(crate) async fn finish_into<S: OpenSink<C>>(
        mut self,
        out: &mut S,
    ) -> Result<Option<Metadata>, OpenError> {
        match std::mem::replace(&mut self.state, State::Failed(OpenError::Truncated)) {
            State::Header { buf, .. } => Err(Header::parse(&buf)
                .err()
                .map_or(OpenError::Truncated, OpenError::from)),
            State::Metadata { .. } => Err(OpenError::Truncated),
            State::Chunks {
                cipher,
                next_index,
                pending,
            } => {
                let segment = pending.held();
                if segment.len() < TAG_LEN {
                    // No chunk at all, or a final chunk too short to hold its tag.
                    return Err(OpenError::Truncated);
                }
                out.open_window(&cipher, next_index, &[segment], segment.len(), true)
                    .await?;
                Ok(self.metadata)
            }
            State::Failed(e) => Err(e),
        }
    }

    fn fail_on(&mut self, result: Result<(), OpenError>) -> Result<(), OpenError> {
        if let Err(e) = &result {
            self.state = State::Failed(e.clone());
        }
        result
    }

    async fn step<S: OpenSink<C>>(
        &mut self,
        mut input: &[u8],
        out: &mut S,
    ) -> Result<(), OpenError> {
        while !input.is_empty() {
            match &mut self.state {
                State::Header { key, buf } => {
                    let take = (HEADER_LEN - buf.len()).min(input.len());
                    buf.extend_from_slice(&input[..take]);
                    input = &input[take..];
                    if buf.len() == HEADER_LEN {
                        let header = Header::parse(buf)?;
                        let (payload_key, commitment) = derive(key, &header);
                        if !commitment_matches(&commitment, &header.commitment) {
                            return Err(OpenError::KeyOrHeaderMismatch);
                        }
                        let cipher = C::new(&payload_key).await.map_err(engine_error)?;
                        let segment_len = header.chunk_size as usize + TAG_LEN;
                        let len = header.metadata_len as usize;
                        self.state = if len > 0 {
                            State::Metadata {
                                cipher,
                                len,
                                segment_len,
                                buf: Vec::with_capacity(len),
                            }
                        } else {
                            State::chunks(cipher, segment_len)
                        };
                    }
                }
                State::Metadata {
                    cipher,
                    len,
                    segment_len,
                    buf,
                } => {
                    let take = (*len - buf.len()).min(input.len());
                    buf.extend_from_slice(&input[..take]);
                    input = &input[take..];
                    if buf.len() == *len {
                        let mut records = Zeroizing::new(vec![0u8; *len - TAG_LEN]);
                        match cipher.open(METADATA_NONCE, buf, &mut records).await {
                            Ok(()) => {}
                            Err(CipherError::Authentication) => {
                                return Err(OpenError::MetadataTampered)
                            }
                            Err(e) => return Err(engine_error(e)),
                        }
                        self.metadata = Some(Metadata::from_records(&records)?);
                        let segment_len = *segment_len;
                        let placeholder = State::Failed(OpenError::Truncated);
                        if let State::Metadata { cipher, .. } =
                            std::mem::replace(&mut self.state, placeholder)
                        {
                            self.state = State::chunks(cipher, segment_len);
                        }
                    }
                }
                State::Chunks {
                    cipher,
                    next_index,
                    pending,
                } => {
                    let Some(ready) = pending.take(input) else {
                        return Ok(());
                    };
                    let segment_len = pending.unit();
                    let mut result = Ok(());
                    for window in ready.runs().chunks(WINDOW_RUNS) {
                        result = out
                            .open_window(cipher, *next_index, window, segment_len, false)
                            .await;
                        if result.is_err() {
                            break;
                        }
                        *next_index += window
                            .iter()
                            .map(|run| (run.len() / segment_len) as u64)
                            .sum::<u64>();
                    }
                    pending.keep_rest(ready);
                    return result;
                }
                State::Failed(e) => return Err(e.clone()),
            }
        }
        Ok(())
    }
}

impl<C> State<C> {
    fn chunks(cipher: C, segment_len: usize) -> Self {
        Self::Chunks {
            cipher,
            next_index: 0,
            pending: Units::new(segment_len),
        }
    }
}

/// Where verified plaintext goes: appended to a `Vec<u8>`, or (in the browser)
/// kept as JS buffers for a Blob (`Decryptor::push_parts`).
pub(crate) trait OpenSink<C: ChunkCipher> {
    /// Opens the segments of `window` (runs of whole segments, or the one final
    /// segment), the first being chunk `first_index`; the last of them is the
    /// envelope's final chunk iff `ends`. Appends verified plaintext; on failure
    /// appends nothing and names the first failing chunk.
    async fn open_window(
        &mut self,
        cipher: &C,
        first_index: u64,
        window: &[&[u8]],
        segment_len: usize,
        ends: bool,
    ) -> Result<(), OpenError>;
}

impl<C: ChunkCipher> OpenSink<C> for Vec<u8> {
    /// All runs start before the first is awaited (see `Vec::seal_window`).
    async fn open_window(
        &mut self,
        cipher: &C,
        first_index: u64,
        window: &[&[u8]],
        segment_len: usize,
        ends: bool,
    ) -> Result<(), OpenError> {
        let out = self;
        let segments: Vec<&[u8]> = window
            .iter()
            .flat_map(|run| run.chunks(segment_len))
            .collect();
        let count = segments.len();
        let nonces = window_nonces(first_index, count, ends);
        let start = out.len();
        grow(out, segments.iter().map(|s| s.len() - TAG_LEN).sum());
        let mut rest = &mut out[start..];
        let mut nonces_left = &nonces[..];
        let mut runs = Vec::with_capacity(window.len());
        for run in window {
            let (nonces, more) = nonces_left.split_at(run.len().div_ceil(segment_len));
            nonces_left = more;
            let (dst, tail) =
                std::mem::take(&mut rest).split_at_mut(run.len() - nonces.len() * TAG_LEN);
            rest = tail;
            runs.push((nonces.len(), cipher.open_run(nonces, run, segment_len, dst)));
        }
        let mut failure = None;
        let mut before = 0;
        for (len, run) in runs {
            if let Err((i, e)) = run.await {
                failure = Some((before + i, e));
                break;
            }
            before += len;
        }
        let Some((i, error)) = failure else {
            return Ok(());
        };
        out.truncate(start);
        let index = first_index + i as u64;
        Err(match error {
            CipherError::Authentication => {
                name_failure(cipher, index, segments[i], ends && i + 1 == count).await
            }
            e => engine_error(e),
        })
    }
}

/// The nonces of `count` consecutive chunks from `first_index`; the last one is
/// the envelope's final chunk iff `ends`.
pub(crate) fn window_nonces(first_index: u64, count: usize, ends: bool) -> Vec<[u8; NONCE_LEN]> {
    (0..count)
        .map(|i| chunk_nonce(first_index + i as u64, ends && i + 1 == count))
        .collect()
}

/// Names an authentication failure by trying the other last-chunk flag: if that
/// opens, a boundary moved (`Truncated` or `TrailingData`). The trial plaintext
/// is never returned.
async fn name_failure<C: ChunkCipher>(
    cipher: &C,
    index: u64,
    segment: &[u8],
    last: bool,
) -> OpenError {
    let mut scratch = Zeroizing::new(vec![0u8; segment.len() - TAG_LEN]);
    match cipher
        .open(chunk_nonce(index, !last), segment, &mut scratch)
        .await
    {
        Ok(()) if last => OpenError::Truncated,
        Ok(()) => OpenError::TrailingData,
        Err(CipherError::Authentication) => OpenError::ChunkTampered { index },
        Err(e) => engine_error(e),
    }
}

impl Decryptor<RustCryptoCipher> {
    /// [`Decryptor::push`] without an executor (the RustCrypto engine never waits).
    pub fn push_blocking(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<(), OpenError> {
        ready(self.push(input, out))
    }

    /// [`Decryptor::finish`] without an executor.
    pub fn finish_blocking(self, out: &mut Vec<u8>) -> Result<Option<Metadata>, OpenError> {
        ready(self.finish(out))
    }
}

/// A whole decrypted small object.
pub struct Opened {
    /// The content, wiped on drop (keystores hold keys).
    pub plaintext: Zeroizing<Vec<u8>>,
    /// The metadata block, if the envelope has one.
    pub metadata: Option<Metadata>,
}

/// Decrypts a whole small object (keystore, sealed key) in one call with the
/// RustCrypto engine.
pub fn open(file_key: &SecretKey, envelope: &[u8]) -> Result<Opened, OpenError> {
    // Reserve enough up front so the buffer never reallocates and leaves copies behind.
    let mut plaintext = Zeroizing::new(Vec::with_capacity(envelope.len()));
    let mut decryptor = Decryptor::<RustCryptoCipher>::new(file_key);
    decryptor.push_blocking(envelope, &mut plaintext)?;
    let metadata = decryptor.finish_blocking(&mut plaintext)?;
    Ok(Opened {
        plaintext,
        metadata,
    })
}

/// Whether `file_key` is the key of the envelope that starts with `envelope_start`
/// (at least its header): only the key commitment is checked, nothing is
/// decrypted. A file stored in parts may hold several generations at once (a
/// rewrite in progress); this picks the one written under the key at hand.
pub fn key_matches(file_key: &SecretKey, envelope_start: &[u8]) -> Result<bool, OpenError> {
    let header = Header::parse(envelope_start)?;
    let (_, commitment) = derive(file_key, &header);
    Ok(commitment_matches(&commitment, &header.commitment))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::envelope::{seal, SealOptions};

    #[test]
    fn key_matches_checks_only_the_commitment() {
        let key = SecretKey::generate().unwrap();
        let other = SecretKey::generate().unwrap();
        let envelope = seal(&key, b"some bytes", &SealOptions::default()).unwrap();
        assert_eq!(key_matches(&key, &envelope[..HEADER_LEN]), Ok(true));
        assert_eq!(key_matches(&other, &envelope), Ok(false));
        let mut modified = envelope.clone();
        modified[20] ^= 1;
        assert_eq!(key_matches(&key, &modified), Ok(false));
        assert_eq!(
            key_matches(&key, &envelope[..HEADER_LEN - 1]),
            Err(OpenError::Truncated)
        );
        assert_eq!(key_matches(&key, b"nope"), Err(OpenError::BadMagic));
    }
}
