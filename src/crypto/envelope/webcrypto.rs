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

use super::cipher::{ChunkCipher, CipherError};
use super::header::TAG_LEN;
use super::schedule::{PayloadKey, NONCE_LEN};

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
        webcrypto_run(
            &self.subtle,
            &self.key,
            decrypt,
            input,
            &lengths,
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
    let mut rest = out;
    for result in results.iter() {
        let array = Uint8Array::new(&result);
        let len = array.length() as usize;
        if len > rest.len() {
            return Err(CipherError::Engine(
                "WebCrypto returned an unexpected length".into(),
            ));
        }
        let (dst, tail) = std::mem::take(&mut rest).split_at_mut(len);
        array.copy_to(dst);
        rest = tail;
    }
    if !rest.is_empty() {
        return Err(CipherError::Engine(
            "WebCrypto returned an unexpected length".into(),
        ));
    }
    Ok(())
}
