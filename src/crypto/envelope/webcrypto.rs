//! Browser engine: AES-256-GCM through WebCrypto (`crypto.subtle`), several times
//! faster in Chromium than AES in wasm (DESIGN §6), with byte-identical output.
//!
//! Works in windows and workers: `crypto` is looked up on the global object.

use std::future::Future;

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesGcmParams, Crypto, CryptoKey, SubtleCrypto};

use zeroize::Zeroizing;

use super::cipher::{ChunkCipher, CipherError};
use super::header::TAG_LEN;
use super::metadata::Metadata;
use super::open::{engine_error, window_nonces, Decryptor, OpenError, OpenSink};
use super::schedule::{PayloadKey, NONCE_LEN};
use super::seal::{Encryptor, SealError, SealSink};

// One wasm→JS call per run of chunks: each chunk's view of wasm memory is handed
// to `subtle.encrypt/decrypt` (which copies it before returning), all of them
// start at once, and a single promise settles with every result. Calling
// WebCrypto chunk by chunk through web-sys costs more in glue than the AES itself.
#[wasm_bindgen(inline_js = r#"
export function webcrypto_run(subtle, key, decrypt, data, lengths, nonces) {
  const jobs = [];
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    const algorithm = { name: 'AES-GCM', iv: nonces.slice(12 * i, 12 * i + 12) };
    const part = data.subarray(at, at + lengths[i]);
    at += lengths[i];
    jobs.push(decrypt ? subtle.decrypt(algorithm, key, part) : subtle.encrypt(algorithm, key, part));
  }
  return Promise.all(jobs);
}

export function webcrypto_copy(results, out) {
  let at = 0;
  for (const buffer of results) {
    if (at + buffer.byteLength > out.length) return -1;
    out.set(new Uint8Array(buffer), at);
    at += buffer.byteLength;
  }
  return at;
}

export function webcrypto_collect(runs, parts) {
  return Promise.all(runs).then((results) => {
    let total = 0;
    for (const run of results) {
      for (const buffer of run) {
        parts.push(new Uint8Array(buffer));
        total += buffer.byteLength;
      }
    }
    return total;
  });
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn webcrypto_run(
        subtle: &SubtleCrypto,
        key: &CryptoKey,
        decrypt: bool,
        data: &[u8],
        lengths: &[u32],
        nonces: &[u8],
    ) -> Result<js_sys::Promise, JsValue>;

    /// Awaits started runs (promises of arrays of ArrayBuffers) and appends every
    /// result, in order, to `parts` as a `Uint8Array`; resolves with the total
    /// length. Appends nothing if any run fails.
    fn webcrypto_collect(runs: &Array, parts: &Array) -> js_sys::Promise;

    /// Copies the results of a run (ArrayBuffers) one after another into `out`;
    /// returns the bytes copied, or -1 if they do not fit.
    fn webcrypto_copy(results: &Array, out: &mut [u8]) -> f64;
}

/// A payload key imported into WebCrypto as a non-extractable AES-GCM key.
pub struct WebCryptoCipher {
    subtle: SubtleCrypto,
    key: CryptoKey,
}

fn describe(e: JsValue) -> CipherError {
    let name = Reflect::get(&e, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    // WebCrypto reports a failed tag as OperationError and nothing else does here.
    if name == "OperationError" {
        CipherError::Authentication
    } else {
        CipherError::Engine(format!("WebCrypto: {name} {e:?}"))
    }
}

fn subtle() -> Result<SubtleCrypto, CipherError> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into())
        .ok()
        .and_then(|c| c.dyn_into::<Crypto>().ok())
        .ok_or_else(|| CipherError::Engine("no WebCrypto in this context".into()))?;
    Ok(crypto.subtle())
}

fn params(nonce: &[u8; NONCE_LEN]) -> AesGcmParams {
    AesGcmParams::new("AES-GCM", &Uint8Array::from(&nonce[..]))
}

/// Awaits a WebCrypto result and copies it once, into `out`.
async fn copy_result(
    promise: Result<js_sys::Promise, JsValue>,
    out: &mut [u8],
) -> Result<(), CipherError> {
    let buffer = JsFuture::from(promise.map_err(describe)?)
        .await
        .map_err(describe)?;
    let array = Uint8Array::new(&buffer);
    if array.length() as usize != out.len() {
        return Err(CipherError::Engine(
            "WebCrypto returned an unexpected length".into(),
        ));
    }
    array.copy_to(out);
    Ok(())
}

impl ChunkCipher for WebCryptoCipher {
    async fn new(key: &PayloadKey) -> Result<Self, CipherError> {
        let subtle = subtle()?;
        let raw = Uint8Array::from(&key.expose_bytes()[..]);
        let algorithm = Object::new();
        Reflect::set(&algorithm, &"name".into(), &"AES-GCM".into()).map_err(describe)?;
        let usages = Array::of2(&"encrypt".into(), &"decrypt".into());
        let promise = subtle
            .import_key_with_object("raw", &raw, &algorithm, false, &usages)
            .map_err(describe)?;
        let imported = JsFuture::from(promise).await.map_err(describe);
        // The JS copy of the raw key is garbage we cannot free; at least overwrite it.
        raw.fill(0, 0, raw.length());
        let key = imported?.unchecked_into::<CryptoKey>();
        Ok(Self { subtle, key })
    }

    async fn seal(
        &self,
        nonce: [u8; NONCE_LEN],
        plaintext: &[u8],
        out: &mut [u8],
    ) -> Result<(), CipherError> {
        // WebCrypto copies `plaintext` out of wasm memory before returning the promise.
        let promise =
            self.subtle
                .encrypt_with_object_and_u8_array(&params(&nonce), &self.key, plaintext);
        copy_result(promise, out).await
    }

    async fn open(
        &self,
        nonce: [u8; NONCE_LEN],
        ciphertext: &[u8],
        out: &mut [u8],
    ) -> Result<(), CipherError> {
        let promise =
            self.subtle
                .decrypt_with_object_and_u8_array(&params(&nonce), &self.key, ciphertext);
        copy_result(promise, out).await
    }

    // Not `async fn`: the WebCrypto work starts when these are called, not when
    // first polled, which is what lets the envelope keep several runs in flight.
    fn seal_run(
        &self,
        nonces: &[[u8; NONCE_LEN]],
        input: &[u8],
        chunk: usize,
        out: &mut [u8],
    ) -> impl Future<Output = Result<(), (usize, CipherError)>> {
        let started = self.start(false, nonces, input, chunk);
        async move {
            copy_results(started, out).await.map_err(|e| match e {
                // OperationError while encrypting is not about a tag.
                CipherError::Authentication => (
                    0,
                    CipherError::Engine("WebCrypto refused to encrypt".into()),
                ),
                e => (0, e),
            })
        }
    }

    fn open_run(
        &self,
        nonces: &[[u8; NONCE_LEN]],
        input: &[u8],
        segment: usize,
        out: &mut [u8],
    ) -> impl Future<Output = Result<(), (usize, CipherError)>> {
        let started = self.start(true, nonces, input, segment);
        async move {
            match copy_results(started, out).await {
                Ok(()) => Ok(()),
                // Promise.all does not say which chunk failed: find it one by one
                // (failure path only).
                Err(CipherError::Authentication) => {
                    let mut scratch = Vec::new();
                    for (i, (nonce, piece)) in nonces.iter().zip(input.chunks(segment)).enumerate()
                    {
                        scratch.resize(piece.len() - TAG_LEN, 0);
                        self.open(*nonce, piece, &mut scratch)
                            .await
                            .map_err(|e| (i, e))?;
                    }
                    Err((
                        0,
                        CipherError::Engine(
                            "WebCrypto failed a run, then opened every chunk".into(),
                        ),
                    ))
                }
                Err(e) => Err((0, e)),
            }
        }
    }
}

impl WebCryptoCipher {
    /// Starts encrypting or decrypting `input.chunks(unit)` in one call.
    fn start(
        &self,
        decrypt: bool,
        nonces: &[[u8; NONCE_LEN]],
        input: &[u8],
        unit: usize,
    ) -> Result<js_sys::Promise, CipherError> {
        let lengths: Vec<u32> = input.chunks(unit).map(|c| c.len() as u32).collect();
        self.start_lengths(decrypt, nonces, input, &lengths)
    }

    /// Starts encrypting or decrypting consecutive pieces of `input` of `lengths`.
    fn start_lengths(
        &self,
        decrypt: bool,
        nonces: &[[u8; NONCE_LEN]],
        input: &[u8],
        lengths: &[u32],
    ) -> Result<js_sys::Promise, CipherError> {
        debug_assert_eq!(nonces.len(), lengths.len());
        webcrypto_run(
            &self.subtle,
            &self.key,
            decrypt,
            input,
            lengths,
            &nonces.concat(),
        )
        .map_err(describe)
    }
}

/// Awaits a started run and copies each result into its place in `out`.
async fn copy_results(
    started: Result<js_sys::Promise, CipherError>,
    out: &mut [u8],
) -> Result<(), CipherError> {
    let results: Array = JsFuture::from(started?)
        .await
        .map_err(describe)?
        .unchecked_into();
    // One call copies every result of the run (per-chunk glue calls cost more).
    if webcrypto_copy(&results, out) != out.len() as f64 {
        return Err(CipherError::Engine(
            "WebCrypto returned an unexpected length".into(),
        ));
    }
    Ok(())
}

/// Output kept in JS memory: every sealed or opened chunk is appended to a JS array
/// as the `Uint8Array` WebCrypto produced, never copied into wasm memory. This is
/// what a Blob (upload body, download result) is built from.
struct Parts<'a>(&'a Array);

/// Awaits `runs` (see [`webcrypto_collect`]) into `parts`; checks the total length.
async fn collect(runs: &Array, parts: &Array, expected: usize) -> Result<(), CipherError> {
    let total = JsFuture::from(webcrypto_collect(runs, parts))
        .await
        .map_err(describe)?;
    if total.as_f64() != Some(expected as f64) {
        return Err(CipherError::Engine(
            "WebCrypto returned an unexpected length".into(),
        ));
    }
    Ok(())
}

fn seal_failure(e: CipherError) -> SealError {
    match e {
        // OperationError while encrypting is not about a tag.
        CipherError::Authentication => SealError::Engine("WebCrypto refused to encrypt".into()),
        e => e.into(),
    }
}

impl SealSink<WebCryptoCipher> for Parts<'_> {
    async fn seal_window(
        &mut self,
        cipher: &WebCryptoCipher,
        nonces: &[[u8; NONCE_LEN]],
        window: &[&[u8]],
        chunk_size: usize,
    ) -> Result<(), SealError> {
        let runs = Array::new();
        let mut left = nonces;
        let mut expected = 0;
        for run in window {
            let (run_nonces, more) = left.split_at(run.len() / chunk_size);
            left = more;
            expected += run.len() + run_nonces.len() * TAG_LEN;
            let started = cipher
                .start(false, run_nonces, run, chunk_size)
                .map_err(seal_failure)?;
            runs.push(&started);
        }
        collect(&runs, self.0, expected).await.map_err(seal_failure)
    }

    async fn seal_one(
        &mut self,
        cipher: &WebCryptoCipher,
        nonce: [u8; NONCE_LEN],
        plaintext: &[u8],
    ) -> Result<(), SealError> {
        let started = cipher
            .start_lengths(false, &[nonce], plaintext, &[plaintext.len() as u32])
            .map_err(seal_failure)?;
        let runs = Array::of1(&started);
        collect(&runs, self.0, plaintext.len() + TAG_LEN)
            .await
            .map_err(seal_failure)
    }
}

impl OpenSink<WebCryptoCipher> for Parts<'_> {
    async fn open_window(
        &mut self,
        cipher: &WebCryptoCipher,
        first_index: u64,
        window: &[&[u8]],
        segment_len: usize,
        ends: bool,
    ) -> Result<(), OpenError> {
        let count = window
            .iter()
            .map(|run| run.len().div_ceil(segment_len))
            .sum();
        let nonces = window_nonces(first_index, count, ends);
        let runs = Array::new();
        let mut left = &nonces[..];
        let mut expected = 0;
        for run in window {
            let (run_nonces, more) = left.split_at(run.len().div_ceil(segment_len));
            left = more;
            expected += run.len() - run_nonces.len() * TAG_LEN;
            let started = cipher
                .start(true, run_nonces, run, segment_len)
                .map_err(engine_error)?;
            runs.push(&started);
        }
        match collect(&runs, self.0, expected).await {
            Ok(()) => Ok(()),
            // Failure path only: the byte-copying sink opens chunk by chunk and
            // names the first failure (`Truncated`, `TrailingData`, `ChunkTampered`).
            Err(CipherError::Authentication) => {
                let mut scratch = Zeroizing::new(Vec::new());
                OpenSink::<WebCryptoCipher>::open_window(
                    &mut *scratch,
                    cipher,
                    first_index,
                    window,
                    segment_len,
                    ends,
                )
                .await?;
                Err(OpenError::Engine(
                    "WebCrypto failed a run, then opened every chunk".into(),
                ))
            }
            Err(e) => Err(engine_error(e)),
        }
    }
}

impl Encryptor<WebCryptoCipher> {
    /// Like [`Encryptor::push`], but each sealed chunk is appended to `parts` as
    /// the `Uint8Array` WebCrypto returned, without a copy into wasm memory: for
    /// building a Blob (`new Blob(parts)`) or a request body from the ciphertext.
    /// The header (written by [`Encryptor::start`] into a `Vec`) is the caller's
    /// first part. After an error the encryptor must be dropped.
    pub async fn push_parts(&mut self, input: &[u8], parts: &Array) -> Result<(), SealError> {
        self.push_into(input, &mut Parts(parts)).await
    }

    /// Like [`Encryptor::finish`], appending the final chunk to `parts`.
    pub async fn finish_parts(self, parts: &Array) -> Result<(), SealError> {
        self.finish_into(&mut Parts(parts)).await
    }
}

impl Decryptor<WebCryptoCipher> {
    /// Like [`Decryptor::push`], but verified plaintext is appended to `parts` as
    /// `Uint8Array`s (one per chunk) that stay in JS memory, e.g. for a Blob. The
    /// same rule holds: the content is authentic only once
    /// [`Decryptor::finish_parts`] returns `Ok`.
    pub async fn push_parts(&mut self, input: &[u8], parts: &Array) -> Result<(), OpenError> {
        self.push_into(input, &mut Parts(parts)).await
    }

    /// Like [`Decryptor::finish`], appending the final chunk's plaintext to `parts`.
    pub async fn finish_parts(self, parts: &Array) -> Result<Option<Metadata>, OpenError> {
        self.finish_into(&mut Parts(parts)).await
    }
}
