//! The browser's pipes: a `File` read in slices, ciphertext collected as Blob parts
//! and PUT as one Blob, downloads read from the fetch body stream and kept as Blob
//! parts. Rust memory holds one slice at a time; the Blob parts live in the
//! browser's blob storage, which can spill to disk, instead of one giant `Vec`.

use js_sys::{Array, Reflect, Uint8Array};
use url::Url;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, ReadableStreamDefaultReader, RequestCache, RequestInit};

use super::stream::{ByteSource, CipherUpload, PlainSink, StreamError};
use crate::crypto::envelope::DEFAULT_CHUNK_SIZE;
use crate::keystore::store::ENCRYPTED_TYPE;
use crate::pod::error::{check_read, check_write, ReadError, WriteError};
use crate::pod::http::{Method, Response, Signer, TransportError};

/// Bytes read from a File per step: 16 envelope chunks of the default size, which
/// the WebCrypto engine encrypts in one parallel run.
pub const SLICE: f64 = 16.0 * DEFAULT_CHUNK_SIZE as f64;

fn describe(value: JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}

/// Reads a Blob (a picked or dropped `File`) slice by slice.
pub struct BlobSource {
    blob: Blob,
    offset: f64,
}

impl BlobSource {
    /// Reads `blob` from the start.
    pub fn new(blob: Blob) -> Self {
        Self { blob, offset: 0.0 }
    }
}

impl ByteSource for BlobSource {
    async fn next(&mut self) -> Result<Option<Vec<u8>>, StreamError> {
        let size = self.blob.size();
        if self.offset >= size {
            return Ok(None);
        }
        let end = (self.offset + SLICE).min(size);
        let slice = self
            .blob
            .slice_with_f64_and_f64(self.offset, end)
            .map_err(|e| StreamError(describe(e)))?;
        let buffer = JsFuture::from(slice.array_buffer())
            .await
            .map_err(|e| StreamError(describe(e)))?;
        self.offset = end;
        Ok(Some(Uint8Array::new(&buffer).to_vec()))
    }
}

/// Bytes of typed-array parts gathered before they are folded into one Blob.
const FOLD_AT: usize = 8 * 1024 * 1024;

/// Keeps pieces as Blob parts, copied out of wasm memory at once. Every 8 MiB the
/// gathered typed arrays are folded into a Blob, which lives in the browser's blob
/// storage (spilling to disk for big files) instead of the JavaScript heap.
#[derive(Default)]
pub struct BlobParts {
    /// Folded Blobs, in order.
    blobs: Array,
    /// Typed arrays not folded yet, in order, and their total length.
    pending: Array,
    pending_len: usize,
}

impl BlobParts {
    fn add(&mut self, bytes: &[u8]) -> Result<(), StreamError> {
        if bytes.is_empty() {
            return Ok(());
        }
        self.pending.push(&Uint8Array::from(bytes));
        self.pending_len += bytes.len();
        if self.pending_len >= FOLD_AT {
            let folded = Blob::new_with_u8_array_sequence(&self.pending)
                .map_err(|e| StreamError(describe(e)))?;
            self.blobs.push(&folded);
            self.pending = Array::new();
            self.pending_len = 0;
        }
        Ok(())
    }

    /// One Blob of everything added, typed `media_type`.
    pub fn into_blob(self, media_type: &str) -> Result<Blob, StreamError> {
        let options = BlobPropertyBag::new();
        options.set_type(media_type);
        let parts = self.blobs.concat(&self.pending);
        Blob::new_with_blob_sequence_and_options(&parts, &options)
            .map_err(|e| StreamError(describe(e)))
    }
}

impl PlainSink for BlobParts {
    fn push(&mut self, bytes: &[u8]) -> Result<(), StreamError> {
        self.add(bytes)
    }
}

/// Collects ciphertext as Blob parts and PUTs the Blob with the session's headers.
pub struct BlobUpload<'s> {
    signer: &'s dyn Signer,
    parts: BlobParts,
}

impl<'s> BlobUpload<'s> {
    /// An upload signed by `signer`.
    pub fn new(signer: &'s dyn Signer) -> Self {
        Self {
            signer,
            parts: BlobParts::default(),
        }
    }
}

impl CipherUpload for BlobUpload<'_> {
    fn push(&mut self, bytes: &[u8]) -> Result<(), StreamError> {
        self.parts.add(bytes)
    }

    async fn put(self, url: &Url) -> Result<(), WriteError> {
        let network = |e: JsValue| WriteError::Transport(TransportError::Network(describe(e)));
        let blob = self
            .parts
            .into_blob(ENCRYPTED_TYPE)
            .map_err(|e| WriteError::Transport(TransportError::Network(e.0)))?;
        let headers = web_sys::Headers::new().map_err(network)?;
        headers
            .set("Content-Type", ENCRYPTED_TYPE)
            .map_err(network)?;
        headers.set("If-None-Match", "*").map_err(network)?;
        for (name, value) in self.signer.sign(Method::Put, url.as_str())? {
            headers.set(&name, &value).map_err(network)?;
        }
        let init = RequestInit::new();
        init.set_method("PUT");
        init.set_headers(&headers);
        init.set_body(&blob);
        init.set_cache(RequestCache::NoStore);
        let status = fetch(url, &init).await.map_err(network)?.status();
        check_write(bare(status))?;
        Ok(())
    }
}

/// Streams a GET's body, piece by piece as the network delivers it.
pub struct FetchSource {
    reader: ReadableStreamDefaultReader,
    /// Content-Length, when the pod sent one (for progress).
    pub length: Option<u64>,
}

impl FetchSource {
    /// Starts a signed GET of `url`; fails on a non-2xx status.
    pub async fn open(signer: &dyn Signer, url: &Url) -> Result<Self, ReadError> {
        let network = |e: JsValue| ReadError::Transport(TransportError::Network(describe(e)));
        let headers = web_sys::Headers::new().map_err(network)?;
        for (name, value) in signer.sign(Method::Get, url.as_str())? {
            headers.set(&name, &value).map_err(network)?;
        }
        let init = RequestInit::new();
        init.set_method("GET");
        init.set_headers(&headers);
        init.set_cache(RequestCache::NoStore);
        let response = fetch(url, &init).await.map_err(network)?;
        check_read(bare(response.status()))?;
        let length = response
            .headers()
            .get("Content-Length")
            .ok()
            .flatten()
            .and_then(|v| v.parse().ok());
        let body = response
            .body()
            .ok_or_else(|| network(JsValue::from_str("the response has no body")))?;
        let reader = body
            .get_reader()
            .dyn_into::<ReadableStreamDefaultReader>()
            .map_err(|object| network(object.into()))?;
        Ok(Self { reader, length })
    }
}

impl ByteSource for FetchSource {
    async fn next(&mut self) -> Result<Option<Vec<u8>>, StreamError> {
        let step = JsFuture::from(self.reader.read())
            .await
            .map_err(|e| StreamError(describe(e)))?;
        let done = Reflect::get(&step, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            return Ok(None);
        }
        let value = Reflect::get(&step, &"value".into()).map_err(|e| StreamError(describe(e)))?;
        Ok(Some(Uint8Array::new(&value).to_vec()))
    }
}

async fn fetch(url: &Url, init: &RequestInit) -> Result<web_sys::Response, JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let response = JsFuture::from(window.fetch_with_str_and_init(url.as_str(), init)).await?;
    response.dyn_into()
}

/// A status-only response for the shared status → error mapping.
fn bare(status: u16) -> Response {
    Response {
        status,
        headers: Vec::new(),
        body: Vec::new(),
    }
}
