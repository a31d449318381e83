//! The browser's pipes: a `File` read in big slices (the next one read while the
//! current one is encrypted), ciphertext kept by a [`Spool`] (a temporary file on
//! disk, or memory) and PUT from there, or for a big file sent part by part
//! ([`PartsUpload`], docs/FORMAT.md §1.8) without a spool; downloads read from
//! the fetch body stream (of each part in turn) in big pieces and decrypted into
//! a spool. WebCrypto's output stays in JavaScript (`push_parts`): it is never
//! copied into wasm memory and out again.

use js_sys::{Array, Uint8Array};
use url::Url;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ReadableStreamDefaultReader, RequestCache, RequestInit};

use super::download::DownloadError;
use super::parts::{landed, new_generation, part_name, PartOpener, PartPolicy};
use super::spool::Spool;
use super::stream::{ByteSource, CipherUpload, PlainSink, StreamError};
use super::upload::UploadError;
use crate::crypto::envelope::{
    Decryptor, Encryptor, Metadata, WebCryptoCipher, DEFAULT_CHUNK_SIZE,
};
use crate::crypto::RandomError;
use crate::keystore::store::ENCRYPTED_TYPE;
use crate::pod::browser::BrowserHttp;
use crate::pod::error::{check_read, check_write, ReadError, WriteError};
use crate::pod::http::{Method, Response, Signer, TransportError};
use crate::pod::Pod;

/// Bytes handed to the envelope per step: 32 chunks of the default size (4 MiB),
/// half the window of WebCrypto runs the envelope keeps in flight. With 64 chunks
/// (8 MiB) the tab's private memory peaked at 265–268 MiB for a 1 GiB download,
/// with 32 at 218–236 MiB (`scripts/bench drive`, two runs each): less garbage
/// per step, which is what the tab's growth is made of.
pub const PIECE: usize = 32 * DEFAULT_CHUNK_SIZE as usize;

// Reading ahead: the next piece is read while this one is encrypted. Rejections of
// a read nobody awaits any more (after an error) are handled here, so they do not
// surface as unhandled.
#[wasm_bindgen(inline_js = r#"
export function read_slice(blob, start, end) {
  const read = blob.slice(start, end).arrayBuffer().then((b) => new Uint8Array(b));
  read.catch(() => {});
  return read;
}

// Pieces are gathered in two buffers that take turns: the caller copies a piece
// into wasm memory before it asks for the piece after the next one.
async function readAtLeast(reader, want, buffers) {
  const parts = [];
  let total = 0;
  while (total < want) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    total += value.byteLength;
  }
  if (total === 0) return null;
  if (parts.length === 1) return parts[0];
  buffers.turn = 1 - (buffers.turn ?? 1);
  let buffer = buffers[buffers.turn];
  if (!buffer || buffer.byteLength < total) {
    buffer = buffers[buffers.turn] = new Uint8Array(total + want / 4);
  }
  const all = buffer.subarray(0, total);
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.byteLength;
  }
  return all;
}

// One part's PUT, timed so the next part can be sized to the connection.
export function put_part(url, headers, parts, type) {
  const start = performance.now();
  const sent = fetch(url, {
    method: "PUT",
    headers,
    body: new Blob(parts, { type }),
    cache: "no-store",
  }).then((r) => ({ status: r.status, seconds: (performance.now() - start) / 1000 }));
  sent.catch(() => {});
  return sent;
}

export function read_after(previous, reader, want) {
  reader.buffers ??= [];
  const read = (previous ?? Promise.resolve(0)).then(
    (last) => (last === null ? null : readAtLeast(reader, want, reader.buffers)), () => null);
  read.catch(() => {});
  return read;
}
"#)]
extern "C" {
    /// Resolves with bytes `start..end` of `blob` as a `Uint8Array`.
    fn read_slice(blob: &Blob, start: f64, end: f64) -> js_sys::Promise;
    /// After `previous` (a read of this kind, or undefined) resolves, reads from
    /// `reader` until at least `want` bytes or the end; resolves with them in one
    /// `Uint8Array`, or null at the end (or when `previous` failed).
    fn read_after(
        previous: &JsValue,
        reader: &ReadableStreamDefaultReader,
        want: f64,
    ) -> js_sys::Promise;
    /// PUTs the concatenation of `parts` (Uint8Arrays) as one Blob of `type`;
    /// resolves with `{ status, seconds }`.
    fn put_part(
        url: &str,
        headers: &web_sys::Headers,
        parts: &Array,
        type_: &str,
    ) -> js_sys::Promise;
}

fn describe(value: JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}

/// Awaits a read started by [`read_slice`] or [`read_after`] and copies it into
/// wasm memory (once).
async fn bytes_of(read: js_sys::Promise) -> Result<Option<Vec<u8>>, StreamError> {
    let value = JsFuture::from(read)
        .await
        .map_err(|e| StreamError(describe(e)))?;
    if value.is_null() {
        return Ok(None);
    }
    Ok(Some(value.unchecked_into::<Uint8Array>().to_vec()))
}

/// Reads a Blob (a picked or dropped `File`) in pieces of [`PIECE`] bytes.
pub struct BlobSource {
    blob: Blob,
    offset: f64,
    /// The read of the piece at `offset`, started ahead.
    ahead: Option<js_sys::Promise>,
}

impl BlobSource {
    /// Reads `blob` from the start.
    pub fn new(blob: Blob) -> Self {
        Self {
            blob,
            offset: 0.0,
            ahead: None,
        }
    }

    fn start(&self, offset: f64) -> Option<js_sys::Promise> {
        let size = self.blob.size();
        (offset < size).then(|| read_slice(&self.blob, offset, (offset + PIECE as f64).min(size)))
    }
}

impl ByteSource for BlobSource {
    async fn next(&mut self) -> Result<Option<Vec<u8>>, StreamError> {
        let Some(read) = self.ahead.take().or_else(|| self.start(self.offset)) else {
            return Ok(None);
        };
        self.offset = (self.offset + PIECE as f64).min(self.blob.size());
        self.ahead = self.start(self.offset);
        bytes_of(read).await
    }
}

/// Decrypts into a [`Spool`].
pub struct SpoolSink {
    spool: Spool,
}

impl SpoolSink {
    /// Plaintext goes to `spool`.
    pub fn new(spool: Spool) -> Self {
        Self { spool }
    }

    /// The spool, to finish (or remove) once the download is over.
    pub fn into_spool(self) -> Spool {
        self.spool
    }
}

impl PlainSink<WebCryptoCipher> for SpoolSink {
    async fn open(
        &mut self,
        decryptor: &mut Decryptor<WebCryptoCipher>,
        piece: &[u8],
    ) -> Result<(), DownloadError> {
        let parts = Array::new();
        decryptor.push_parts(piece, &parts).await?;
        self.spool.push(&parts).await.map_err(DownloadError::Store)
    }

    async fn finish(
        &mut self,
        decryptor: Decryptor<WebCryptoCipher>,
    ) -> Result<Option<Metadata>, DownloadError> {
        let parts = Array::new();
        let metadata = decryptor.finish_parts(&parts).await?;
        self.spool
            .push(&parts)
            .await
            .map_err(DownloadError::Store)?;
        Ok(metadata)
    }
}

/// Collects ciphertext in a [`Spool`] and PUTs it with the session's headers.
pub struct SpoolUpload<'s> {
    signer: &'s dyn Signer,
    spool: Spool,
    url: Option<Url>,
    len: u64,
}

impl<'s> SpoolUpload<'s> {
    /// An upload signed by `signer`, its body kept in `spool`.
    pub fn new(signer: &'s dyn Signer, spool: Spool) -> Self {
        Self {
            signer,
            spool,
            url: None,
            len: 0,
        }
    }

    async fn send(&self, url: &Url) -> Result<(), WriteError> {
        let network = |e: JsValue| WriteError::Transport(TransportError::Network(describe(e)));
        let blob = self
            .spool
            .finish(ENCRYPTED_TYPE)
            .await
            .map_err(|e| WriteError::Transport(TransportError::Network(e.0)))?;
        let headers = put_headers(self.signer, url)?;
        let init = RequestInit::new();
        init.set_method("PUT");
        init.set_headers(&headers);
        init.set_body(&blob);
        init.set_cache(RequestCache::NoStore);
        let status = fetch(url, &init).await.map_err(network)?.status();
        check_write(bare(status)).map(drop)
    }
}

/// The headers of a PUT of new ciphertext to `url`, signed.
fn put_headers(signer: &dyn Signer, url: &Url) -> Result<web_sys::Headers, WriteError> {
    let network = |e: JsValue| WriteError::Transport(TransportError::Network(describe(e)));
    let headers = web_sys::Headers::new().map_err(network)?;
    headers
        .set("Content-Type", ENCRYPTED_TYPE)
        .map_err(network)?;
    headers.set("If-None-Match", "*").map_err(network)?;
    for (name, value) in signer.sign(Method::Put, url.as_str())? {
        headers.set(&name, &value).map_err(network)?;
    }
    Ok(headers)
}

/// The byte length of the Uint8Arrays in `parts` from index `from` on.
fn byte_length(parts: &Array, from: u32) -> u64 {
    (from..parts.length())
        .map(|i| u64::from(parts.get(i).unchecked_into::<Uint8Array>().byte_length()))
        .sum()
}

/// A PUT whose answer was lost: done if the bytes arrived (`parts::landed`).
async fn lost_answer(
    signer: &dyn Signer,
    url: &Url,
    len: u64,
    error: WriteError,
) -> Result<(), WriteError> {
    let pod = Pod::new(&BrowserHttp, Some(signer));
    if landed(&pod, url, len).await {
        Ok(())
    } else {
        Err(error)
    }
}

impl CipherUpload<WebCryptoCipher> for SpoolUpload<'_> {
    fn in_parts(&self) -> bool {
        false
    }

    async fn header(&mut self, url: &Url, bytes: &[u8]) -> Result<(), UploadError> {
        self.url = Some(url.clone());
        self.len += bytes.len() as u64;
        self.spool
            .push_bytes(bytes)
            .await
            .map_err(UploadError::Store)
    }

    async fn seal(
        &mut self,
        encryptor: &mut Encryptor<WebCryptoCipher>,
        piece: &[u8],
    ) -> Result<(), UploadError> {
        let parts = Array::new();
        encryptor.push_parts(piece, &parts).await?;
        self.len += byte_length(&parts, 0);
        self.spool.push(&parts).await.map_err(UploadError::Store)
    }

    async fn finish(&mut self, encryptor: Encryptor<WebCryptoCipher>) -> Result<(), UploadError> {
        let parts = Array::new();
        encryptor.finish_parts(&parts).await?;
        self.len += byte_length(&parts, 0);
        self.spool.push(&parts).await.map_err(UploadError::Store)
    }

    async fn put(self) -> Result<(), WriteError> {
        let url = self.url.clone().expect("header() names the file first");
        // The request has read the whole body once its answer (or failure) is in.
        let result = match self.send(&url).await {
            Err(e @ WriteError::Transport(_)) => lost_answer(self.signer, &url, self.len, e).await,
            other => other,
        };
        self.spool.remove().await;
        result
    }

    async fn discard(self) {
        self.spool.remove().await;
    }
}

/// A PUT of one part under way.
struct Sending {
    /// Resolves with `{ status, seconds }` (see `put_part`).
    answer: js_sys::Promise,
    url: Url,
    len: u64,
}

/// Sends a big file in parts (docs/FORMAT.md §1.8), no spool: the ciphertext of
/// the part being filled stays in WebCrypto's Uint8Arrays and is PUT as one Blob,
/// while the next part is encrypted. So at most two parts are in memory, and
/// each PUT is short enough for CSS's write lock (sized by [`PartPolicy`] to take
/// about 2 s at the speed the last one went).
pub struct PartsUpload<'s> {
    signer: &'s dyn Signer,
    policy: PartPolicy,
    generation: String,
    container: Option<Url>,
    next_index: u64,
    /// The part being filled.
    filling: Array,
    filled: u64,
    /// Where the part being filled is cut.
    target: u64,
    /// Whether a PUT has been timed yet (until then parts are cut blind).
    timed: bool,
    sending: Option<Sending>,
}

impl<'s> PartsUpload<'s> {
    /// An upload signed by `signer`, cut by `policy`.
    pub fn new(signer: &'s dyn Signer, policy: PartPolicy) -> Result<Self, RandomError> {
        Ok(Self {
            signer,
            policy,
            generation: new_generation()?,
            container: None,
            next_index: 0,
            filling: Array::new(),
            filled: 0,
            target: policy.first_part as u64,
            timed: false,
            sending: None,
        })
    }

    /// Waits for the PUT under way, if any; sizes the next parts by its speed.
    async fn sent(&mut self) -> Result<(), WriteError> {
        let Some(sending) = self.sending.take() else {
            return Ok(());
        };
        match JsFuture::from(sending.answer).await {
            Ok(answer) => {
                let field = |name: &str| {
                    js_sys::Reflect::get(&answer, &JsValue::from_str(name))
                        .ok()
                        .and_then(|v| v.as_f64())
                        .unwrap_or(0.0)
                };
                check_write(bare(field("status") as u16))?;
                self.target = self
                    .policy
                    .next_part(sending.len as usize, field("seconds"))
                    as u64;
                self.timed = true;
                Ok(())
            }
            Err(e) => {
                let error = WriteError::Transport(TransportError::Network(describe(e)));
                lost_answer(self.signer, &sending.url, sending.len, error).await
            }
        }
    }

    /// Sends the part filled so far (after the previous one has arrived).
    async fn send(&mut self) -> Result<(), WriteError> {
        self.sent().await?;
        let container = self
            .container
            .as_ref()
            .expect("header() names the container first");
        let url = container
            .join(&part_name(&self.generation, self.next_index))
            .expect("a part name joins a container URL");
        let headers = put_headers(self.signer, &url)?;
        let parts = std::mem::replace(&mut self.filling, Array::new());
        self.sending = Some(Sending {
            answer: put_part(url.as_str(), &headers, &parts, ENCRYPTED_TYPE),
            url,
            len: std::mem::take(&mut self.filled),
        });
        self.next_index += 1;
        Ok(())
    }
}

impl CipherUpload<WebCryptoCipher> for PartsUpload<'_> {
    fn in_parts(&self) -> bool {
        true
    }

    async fn header(&mut self, url: &Url, bytes: &[u8]) -> Result<(), UploadError> {
        self.container = Some(url.clone());
        self.filling.push(&Uint8Array::from(bytes));
        self.filled += bytes.len() as u64;
        Ok(())
    }

    async fn seal(
        &mut self,
        encryptor: &mut Encryptor<WebCryptoCipher>,
        piece: &[u8],
    ) -> Result<(), UploadError> {
        // Cut at chunk boundaries near the target: feed the encryptor only what
        // fits, then send. The second part waits at its minimum size for the first
        // PUT's speed, so on a slow uplink it is not cut blind at the first size too.
        let chunk = DEFAULT_CHUNK_SIZE as usize;
        let min_part = self.policy.min_part as u64;
        let mut rest = piece;
        while !rest.is_empty() {
            let blind = self.sending.is_some() && !self.timed;
            let limit = if blind {
                self.target.min(min_part)
            } else {
                self.target
            };
            let room = limit.saturating_sub(self.filled) as usize;
            let take = (room / chunk * chunk).max(chunk).min(rest.len());
            let (now, later) = rest.split_at(take);
            let before = self.filling.length();
            encryptor.push_parts(now, &self.filling).await?;
            self.filled += byte_length(&self.filling, before);
            rest = later;
            if blind && self.filled >= min_part {
                self.sent().await?;
            }
            if self.filled >= self.target {
                self.send().await?;
            }
        }
        Ok(())
    }

    async fn finish(&mut self, encryptor: Encryptor<WebCryptoCipher>) -> Result<(), UploadError> {
        let before = self.filling.length();
        encryptor.finish_parts(&self.filling).await?;
        self.filled += byte_length(&self.filling, before);
        Ok(())
    }

    async fn put(mut self) -> Result<(), WriteError> {
        if self.filled > 0 {
            self.send().await?;
        }
        self.sent().await
    }

    async fn discard(mut self) {
        let _ = self.sent().await;
    }
}

/// Opens each part of a file as a streamed fetch.
pub struct FetchParts<'s> {
    pub signer: &'s dyn Signer,
}

impl PartOpener for FetchParts<'_> {
    type Source = FetchSource;

    async fn open(&self, url: &Url) -> Result<FetchSource, ReadError> {
        FetchSource::open(self.signer, url).await
    }
}

/// Streams a GET's body in pieces of at least [`PIECE`] bytes (the last may be
/// shorter), reading the next piece while the current one is decrypted.
pub struct FetchSource {
    reader: ReadableStreamDefaultReader,
    ahead: Option<js_sys::Promise>,
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
        let body = response
            .body()
            .ok_or_else(|| network(JsValue::from_str("the response has no body")))?;
        let reader = body
            .get_reader()
            .dyn_into::<ReadableStreamDefaultReader>()
            .map_err(|object| network(object.into()))?;
        Ok(Self {
            reader,
            ahead: None,
        })
    }
}

impl ByteSource for FetchSource {
    async fn next(&mut self) -> Result<Option<Vec<u8>>, StreamError> {
        let read = match self.ahead.take() {
            Some(read) => read,
            None => read_after(&JsValue::UNDEFINED, &self.reader, PIECE as f64),
        };
        self.ahead = Some(read_after(&read, &self.reader, PIECE as f64));
        bytes_of(read).await
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
