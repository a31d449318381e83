//! Writing envelopes: a streaming [`Encryptor`] whose memory is bounded by one held
//! chunk plus the piece being pushed (at most 64 chunks in flight), whatever the
//! file size, and a one-shot [`seal`] for small objects.

use super::cipher::{ready, ChunkCipher, CipherError, RustCryptoCipher};
use super::header::{Header, MAX_CHUNK_SIZE, MIN_CHUNK_SIZE, SALT_LEN, TAG_LEN};
use super::metadata::{Metadata, MetadataError};
use super::open::{engine_error, OpenError};
use super::schedule::{chunk_nonce, commitment_matches, derive, METADATA_NONCE, NONCE_LEN};
use super::units::{grow, Units, WINDOW_RUNS};
use crate::crypto::key::SecretKey;
use crate::crypto::random::{self, RandomError};

/// Chunk size for new envelopes: 128 KiB was the fastest size for our WebCrypto
/// engine in headless Chromium (`scripts/bench crypto`, 64 KiB–1 MiB compared; see
/// docs/SECURITY.md §Performance): per-chunk costs (one JS call and promise per
/// chunk) are amortized better than at 64 KiB, and WebCrypto itself slows down at
/// 1 MiB.
pub const DEFAULT_CHUNK_SIZE: u32 = 128 * 1024;

/// How to write an envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealOptions {
    /// Plaintext bytes per chunk, within the format's 64 B–16 MiB.
    pub chunk_size: u32,
    /// Encrypted along with the content; an empty value writes no metadata block.
    pub metadata: Metadata,
}

impl Default for SealOptions {
    fn default() -> Self {
        Self {
            chunk_size: DEFAULT_CHUNK_SIZE,
            metadata: Metadata::default(),
        }
    }
}

/// Why an envelope could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SealError {
    /// No randomness for the salt.
    #[error(transparent)]
    Random(#[from] RandomError),
    /// The chunk size is outside what readers accept.
    #[error("chunk size {0} is outside 64 B..=16 MiB")]
    ChunkSize(u32),
    /// The metadata cannot be encoded (too large).
    #[error(transparent)]
    Metadata(#[from] MetadataError),
    /// The cipher engine failed.
    #[error("crypto engine failed: {0}")]
    Engine(String),
}

impl From<CipherError> for SealError {
    fn from(e: CipherError) -> Self {
        Self::Engine(e.to_string())
    }
}

/// Streaming envelope writer over engine `C`.
///
/// Call [`Encryptor::start`] (which emits the header), then [`Encryptor::push`] with
/// the plaintext in pieces of any size, then [`Encryptor::finish`]. Output bytes are
/// appended to the caller's buffer, which the caller may drain between calls.
pub struct Encryptor<C> {
    cipher: C,
    next_index: u64,
    /// Plaintext not sealed yet: at most one chunk, held until we know whether it is
    /// the last one (a full final chunk is sealed with the last flag).
    pending: Units,
}

impl<C: ChunkCipher> Encryptor<C> {
    /// Starts an envelope under `file_key` with a fresh random salt, appending the
    /// header (and metadata block) to `out`.
    pub async fn start(
        file_key: &SecretKey,
        options: &SealOptions,
        out: &mut Vec<u8>,
    ) -> Result<Self, SealError> {
        Self::start_with_salt(file_key, options, random::array()?, out).await
    }

    /// Like [`Encryptor::start`] with a caller-chosen salt. Only for test vectors and
    /// engine-agreement tests: reusing a salt with one key for two plaintexts
    /// reuses nonces and destroys confidentiality.
    #[doc(hidden)]
    pub async fn start_with_salt(
        file_key: &SecretKey,
        options: &SealOptions,
        salt: [u8; SALT_LEN],
        out: &mut Vec<u8>,
    ) -> Result<Self, SealError> {
        let records = options.metadata.to_records()?;
        let metadata_len = if options.metadata.is_empty() {
            0
        } else {
            u32::try_from(records.len() + TAG_LEN).map_err(|_| MetadataError::TooLarge)?
        };
        if !(MIN_CHUNK_SIZE..=MAX_CHUNK_SIZE).contains(&options.chunk_size) {
            return Err(SealError::ChunkSize(options.chunk_size));
        }
        let mut header = Header {
            chunk_size: options.chunk_size,
            metadata_len,
            salt,
            commitment: [0; 32],
        };
        let (payload_key, commitment) = derive(file_key, &header);
        header.commitment = commitment;
        let cipher = C::new(&payload_key).await?;
        out.extend_from_slice(&header.to_bytes());
        if metadata_len > 0 {
            seal_into(&cipher, METADATA_NONCE, &records, out).await?;
        }
        Ok(Self {
            cipher,
            next_index: 0,
            pending: Units::new(options.chunk_size as usize),
        })
    }

    /// Continues an envelope whose header (`header`, its first 78 bytes, as
    /// stored) was written earlier under `file_key`, from chunk `next_chunk`: the
    /// plaintext pushed next is the file's from byte `next_chunk × chunk_size`.
    /// Nothing is appended for the header; the payload key is the one that
    /// header derives, so every chunk comes out exactly as the first write sealed
    /// it from the same plaintext (docs/FORMAT.md §1.8, resuming: why this
    /// reuses no nonce with other plaintext). A header whose commitment does not
    /// check with `file_key` is refused: nobody without the key can make one.
    pub async fn resume(
        file_key: &SecretKey,
        header: &[u8],
        next_chunk: u64,
    ) -> Result<Self, OpenError> {
        let header = Header::parse(header)?;
        let (payload_key, commitment) = derive(file_key, &header);
        if !commitment_matches(&commitment, &header.commitment) {
            return Err(OpenError::KeyOrHeaderMismatch);
        }
        let cipher = C::new(&payload_key).await.map_err(engine_error)?;
        Ok(Self {
            cipher,
            next_index: next_chunk,
            pending: Units::new(header.chunk_size as usize),
        })
    }

    /// Encrypts the next piece of plaintext; full chunks are appended to `out`.
    /// After an error the encryptor must be dropped.
    pub async fn push(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<(), SealError> {
        self.push_into(input, out).await
    }

    /// Seals what is left as the final chunk (empty for an empty file).
    pub async fn finish(self, out: &mut Vec<u8>) -> Result<(), SealError> {
        self.finish_into(out).await
    }

    pub(crate) async fn push_into<S: SealSink<C>>(
        &mut self,
        input: &[u8],
        out: &mut S,
    ) -> Result<(), SealError> {
        let Some(ready) = self.pending.take(input) else {
            return Ok(());
        };
        let chunk_size = self.pending.unit();
        let mut result = Ok(());
        for window in ready.runs().chunks(WINDOW_RUNS) {
            let count = window
                .iter()
                .map(|run| run.len() / chunk_size)
                .sum::<usize>();
            let nonces: Vec<_> = (0..count as u64)
                .map(|i| chunk_nonce(self.next_index + i, false))
                .collect();
            result = out
                .seal_window(&self.cipher, &nonces, window, chunk_size)
                .await;
            if result.is_err() {
                break;
            }
            self.next_index += count as u64;
        }
        self.pending.keep_rest(ready);
        result
    }

    pub(crate) async fn finish_into<S: SealSink<C>>(
        mut self,
        out: &mut S,
    ) -> Result<(), SealError> {
        let nonce = chunk_nonce(self.next_index, true);
        out.seal_one(&self.cipher, nonce, self.pending.held())
            .await?;
        self.next_index += 1;
        Ok(())
    }
}

/// Where sealed chunks go: appended to a `Vec<u8>` in wasm/native memory, or (in
/// the browser) kept as JS buffers for a Blob (`Encryptor::push_parts`).
pub(crate) trait SealSink<C: ChunkCipher> {
    /// Seals the whole chunks of `window` (runs of chunks of `chunk_size`) under
    /// `nonces`, one per chunk, and appends them in order; appends nothing on failure.
    async fn seal_window(
        &mut self,
        cipher: &C,
        nonces: &[[u8; NONCE_LEN]],
        window: &[&[u8]],
        chunk_size: usize,
    ) -> Result<(), SealError>;

    /// Seals one buffer (the final chunk, possibly short or empty) and appends it.
    async fn seal_one(
        &mut self,
        cipher: &C,
        nonce: [u8; NONCE_LEN],
        plaintext: &[u8],
    ) -> Result<(), SealError>;
}

impl<C: ChunkCipher> SealSink<C> for Vec<u8> {
    /// All runs are started before the first is awaited, so engines that work in
    /// the background (WebCrypto) overlap their work with our copying of earlier
    /// results.
    async fn seal_window(
        &mut self,
        cipher: &C,
        nonces: &[[u8; NONCE_LEN]],
        window: &[&[u8]],
        chunk_size: usize,
    ) -> Result<(), SealError> {
        let out = self;
        let start = out.len();
        grow(
            out,
            window.iter().map(|run| run.len()).sum::<usize>() + nonces.len() * TAG_LEN,
        );
        let mut rest = &mut out[start..];
        let mut nonces_left = nonces;
        let mut runs = Vec::with_capacity(window.len());
        for run in window {
            let (nonces, more) = nonces_left.split_at(run.len() / chunk_size);
            nonces_left = more;
            let (dst, tail) =
                std::mem::take(&mut rest).split_at_mut(run.len() + nonces.len() * TAG_LEN);
            rest = tail;
            runs.push(cipher.seal_run(nonces, run, chunk_size, dst));
        }
        let mut failure = None;
        for run in runs {
            if let Err((_, e)) = run.await {
                failure = Some(e);
                break;
            }
        }
        if let Some(e) = failure {
            out.truncate(start);
            return Err(e.into());
        }
        Ok(())
    }

    async fn seal_one(
        &mut self,
        cipher: &C,
        nonce: [u8; NONCE_LEN],
        plaintext: &[u8],
    ) -> Result<(), SealError> {
        seal_into(cipher, nonce, plaintext, self).await
    }
}

/// Seals one buffer and appends it to `out`.
async fn seal_into<C: ChunkCipher>(
    cipher: &C,
    nonce: [u8; NONCE_LEN],
    plaintext: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), SealError> {
    let start = out.len();
    grow(out, plaintext.len() + TAG_LEN);
    if let Err(e) = cipher.seal(nonce, plaintext, &mut out[start..]).await {
        out.truncate(start);
        return Err(e.into());
    }
    Ok(())
}

impl Encryptor<RustCryptoCipher> {
    /// [`Encryptor::start`] without an executor (the RustCrypto engine never waits).
    pub fn start_blocking(
        file_key: &SecretKey,
        options: &SealOptions,
        out: &mut Vec<u8>,
    ) -> Result<Self, SealError> {
        ready(Self::start(file_key, options, out))
    }

    /// [`Encryptor::start_with_salt`] without an executor; test vectors only.
    #[doc(hidden)]
    pub fn start_blocking_with_salt(
        file_key: &SecretKey,
        options: &SealOptions,
        salt: [u8; SALT_LEN],
        out: &mut Vec<u8>,
    ) -> Result<Self, SealError> {
        ready(Self::start_with_salt(file_key, options, salt, out))
    }

    /// [`Encryptor::push`] without an executor.
    pub fn push_blocking(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<(), SealError> {
        ready(self.push(input, out))
    }

    /// [`Encryptor::finish`] without an executor.
    pub fn finish_blocking(self, out: &mut Vec<u8>) -> Result<(), SealError> {
        ready(self.finish(out))
    }
}

/// Encrypts a whole small object (keystore, sealed key) in one call with the
/// RustCrypto engine and a fresh salt.
pub fn seal(
    file_key: &SecretKey,
    plaintext: &[u8],
    options: &SealOptions,
) -> Result<Vec<u8>, SealError> {
    let chunks = plaintext.len() / options.chunk_size.max(1) as usize + 1;
    let mut out = Vec::with_capacity(plaintext.len() + chunks * TAG_LEN + 256);
    let mut encryptor = Encryptor::start_blocking(file_key, options, &mut out)?;
    encryptor.push_blocking(plaintext, &mut out)?;
    encryptor.finish_blocking(&mut out)?;
    Ok(out)
}
