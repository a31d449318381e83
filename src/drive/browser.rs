//! The browser's pipes: a `File` read in big slices (the next one read while the
//! current one is encrypted), ciphertext kept by a [`Spool`] (a temporary file on
//! disk, or memory) and PUT from there, or for a big file sent part by part
//! ([`PartsUpload`], docs/FORMAT.md §1.8, several PUTs in flight) without a
//! spool; downloads read each part's fetch body ahead ([`FetchPart`]: the next
//! parts download while one is decrypted) in big pieces, decrypted into a spool.
//! WebCrypto's output stays in JavaScript (`push_parts`): it is never copied
//! into wasm memory and out again. Each stage is timed (`stages`).

use std::collections::VecDeque;

use js_sys::{Array, Uint8Array};
use url::Url;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, RequestCache, RequestInit};

use super::download::DownloadError;
use super::parts::{landed, new_generation, part_name, PartOpener, PartPolicy};
use super::spool::Spool;
use super::stages::Stage;
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

// One part's PUT, timed so the next part can be sized to the connection.
export function put_part(url, headers, parts, type) {
  const built = performance.now();
  const body = new Blob(parts, { type });
  const start = performance.now();
  measure('blob', built, start);
  const sent = fetch(url, { method: "PUT", headers, body, cache: "no-store" }).then((r) => {
    measure('put', start, performance.now());
    return { status: r.status, seconds: (performance.now() - start) / 1000 };
  });
  sent.catch(() => {});
  return sent;
}

function measure(stage, start, end) {
  try { performance.measure(`solidcrypt:${stage}`, { start, end }); } catch (_) { /* no User Timing 3 */ }
}

// A part being downloaded: its body is read ahead into `chunks` as it arrives,
// up to AHEAD bytes not yet taken, while the caller works on an earlier part.
const AHEAD = 16 * 1024 * 1024;

function wake(part) {
  const waiting = part.wake;
  part.wake = null;
  waiting?.();
}

export function open_part(url, headers) {
  const start = performance.now();
  const part = { chunks: [], buffered: 0, done: false, error: null, cancelled: false,
    wake: null, resume: null, reader: null };
  part.opened = fetch(url, { method: 'GET', headers, cache: 'no-store' }).then((response) => {
    if (!response.ok || !response.body) {
      response.body?.cancel().catch(() => {});
      part.done = true;
      return response.status;
    }
    part.reader = response.body.getReader();
    pump(part, start);
    return response.status;
  });
  part.opened.catch((e) => { part.error = e; wake(part); });
  return part;
}

async function pump(part, start) {
  try {
    for (;;) {
      while (part.buffered >= AHEAD && !part.cancelled) {
        await new Promise((resolve) => { part.resume = resolve; });
      }
      if (part.cancelled) {
        await part.reader.cancel();
        return;
      }
      const { done, value } = await part.reader.read();
      if (done) break;
      part.chunks.push(value);
      part.buffered += value.byteLength;
      wake(part);
    }
    part.done = true;
    measure('get', start, performance.now());
  } catch (e) {
    part.error = e ?? new Error('the download broke off');
  }
  wake(part);
}

// Resolves with the response's status once its headers are in.
export function part_opened(part) {
  return part.opened;
}

// Resolves with the next Uint8Arrays of the body (at least `want` bytes, or the
// rest), or null at its end.
export async function part_read(part, want) {
  while (part.buffered < want && !part.done && !part.error) {
    await new Promise((resolve) => { part.wake = resolve; });
  }
  if (part.error) throw part.error;
  if (part.buffered === 0) return null;
  const taken = [];
  let total = 0;
  while (total < want && part.chunks.length > 0) {
    const chunk = part.chunks.shift();
    taken.push(chunk);
    total += chunk.byteLength;
  }
  part.buffered -= total;
  const resume = part.resume;
  part.resume = null;
  resume?.();
  return taken;
}

// Stops reading a part nobody will read any more, and frees what it holds.
export function part_cancel(part) {
  part.cancelled = true;
  part.chunks = [];
  part.buffered = 0;
  const resume = part.resume;
  part.resume = null;
  resume?.();
}
"#)]
extern "C" {
    /// Resolves with bytes `start..end` of `blob` as a `Uint8Array`.
    fn read_slice(blob: &Blob, start: f64, end: f64) -> js_sys::Promise;
    /// Starts a GET of `url` with `headers` whose body is read ahead (bounded).
    fn open_part(url: &str, headers: &web_sys::Headers) -> JsValue;
    /// Resolves with the part's HTTP status once its headers are in.
    fn part_opened(part: &JsValue) -> js_sys::Promise;
    /// Resolves with an array of the next Uint8Arrays of the part's body (at
    /// least `want` bytes, or the rest), or null at its end.
    fn part_read(part: &JsValue, want: f64) -> js_sys::Promise;
    /// Stops reading the part and frees its buffered bytes.
    fn part_cancel(part: &JsValue);
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

/// Awaits a read started by [`read_slice`] and copies it into
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

/// The bytes `range` of `blob` (what a fingerprint digests, `drive::resume`).
pub async fn read_range(blob: &Blob, range: std::ops::Range<u64>) -> Result<Vec<u8>, StreamError> {
    if range.is_empty() {
        return Ok(Vec::new());
    }
    let read = read_slice(blob, range.start as f64, range.end as f64);
    Ok(bytes_of(read).await?.unwrap_or_default())
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
        Self::from_byte(blob, 0)
    }

    /// Reads `blob` from byte `offset` (a resumed upload, `drive::resume`).
    pub fn from_byte(blob: Blob, offset: u64) -> Self {
        Self {
            blob,
            offset: offset as f64,
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
        let reading = Stage::start("read");
        let bytes = bytes_of(read).await;
        reading.end();
        bytes
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
        let decrypting = Stage::start("decrypt");
        decryptor.push_parts(piece, &parts).await?;
        decrypting.end();
        let spooling = Stage::start("spool-wait");
        let pushed = self.spool.push(&parts).await.map_err(DownloadError::Store);
        spooling.end();
        pushed
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
        let encrypting = Stage::start("encrypt");
        encryptor.push_parts(piece, &parts).await?;
        encrypting.end();
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
    /// PUTs under way when it started, itself included (for [`PartPolicy::next_part`]).
    sharing: usize,
}

/// Sends a big file in parts (docs/FORMAT.md §1.8), no spool: the ciphertext of
/// the part being filled stays in WebCrypto's Uint8Arrays and is PUT as one Blob,
/// while the next part is encrypted and up to [`PartPolicy::in_flight`] PUTs are
/// under way. So at most `in_flight + 1` parts are in memory, and each PUT is
/// short enough for CSS's write lock (sized by [`PartPolicy`] to take about 2 s
/// alongside the others, at the speed the last one went).
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
    /// Whether a PUT has been timed yet (until then parts are cut blind, and
    /// only one is sent at a time).
    timed: bool,
    /// PUTs under way, oldest first.
    sending: VecDeque<Sending>,
}

impl<'s> PartsUpload<'s> {
    /// An upload signed by `signer`, cut by `policy`.
    pub fn new(signer: &'s dyn Signer, policy: PartPolicy) -> Result<Self, RandomError> {
        Ok(Self::with_generation(signer, policy, new_generation()?))
    }

    fn with_generation(signer: &'s dyn Signer, policy: PartPolicy, generation: String) -> Self {
        Self {
            signer,
            policy,
            generation,
            container: None,
            next_index: 0,
            filling: Array::new(),
            filled: 0,
            target: policy.first_part as u64,
            timed: false,
            sending: VecDeque::new(),
        }
    }

    /// Continues generation `generation` at part `index` (`drive::resume`): the
    /// header is stored already, so the first part sent holds chunks only.
    pub fn resuming(
        signer: &'s dyn Signer,
        policy: PartPolicy,
        generation: &str,
        index: u64,
    ) -> Self {
        Self {
            generation: generation.to_owned(),
            next_index: index,
            ..Self::with_generation(signer, policy, String::new())
        }
    }

    /// Waits for the oldest PUT under way, if any; sizes the next parts by its
    /// speed. The others stay under way, also after an error.
    async fn sent_oldest(&mut self) -> Result<(), WriteError> {
        let Some(sending) = self.sending.pop_front() else {
            return Ok(());
        };
        let waiting = Stage::start("put-wait");
        let answer = JsFuture::from(sending.answer).await;
        waiting.end();
        match answer {
            Ok(answer) => {
                let field = |name: &str| {
                    js_sys::Reflect::get(&answer, &JsValue::from_str(name))
                        .ok()
                        .and_then(|v| v.as_f64())
                        .unwrap_or(0.0)
                };
                check_write(bare(field("status") as u16))?;
                self.target =
                    self.policy
                        .next_part(sending.len as usize, field("seconds"), sending.sharing)
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

    /// Waits for every PUT under way, even after one failed: the caller deletes
    /// the parts once this returns, so none may land later. The first error.
    async fn sent_all(&mut self) -> Result<(), WriteError> {
        let mut result = Ok(());
        while !self.sending.is_empty() {
            let sent = self.sent_oldest().await;
            if result.is_ok() {
                result = sent;
            }
        }
        result
    }

    /// Sends the part filled so far, once fewer than `in_flight` PUTs are under way.
    async fn send(&mut self) -> Result<(), WriteError> {
        while self.sending.len() >= self.policy.in_flight.max(1) {
            self.sent_oldest().await?;
        }
        let container = self
            .container
            .as_ref()
            .expect("header() names the container first");
        let url = container
            .join(&part_name(&self.generation, self.next_index))
            .expect("a part name joins a container URL");
        let headers = put_headers(self.signer, &url)?;
        let parts = std::mem::replace(&mut self.filling, Array::new());
        let sharing = self.sending.len() + 1;
        self.sending.push_back(Sending {
            answer: put_part(url.as_str(), &headers, &parts, ENCRYPTED_TYPE),
            url,
            len: std::mem::take(&mut self.filled),
            sharing,
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
        // PUT's speed, so on a slow uplink it is not cut blind at the first size
        // too (nor sent alongside the first).
        let chunk = DEFAULT_CHUNK_SIZE as usize;
        let min_part = self.policy.min_part as u64;
        let mut rest = piece;
        while !rest.is_empty() {
            let blind = !self.sending.is_empty() && !self.timed;
            let limit = if blind {
                self.target.min(min_part)
            } else {
                self.target
            };
            let room = limit.saturating_sub(self.filled) as usize;
            let take = (room / chunk * chunk).max(chunk).min(rest.len());
            let (now, later) = rest.split_at(take);
            let before = self.filling.length();
            let encrypting = Stage::start("encrypt");
            encryptor.push_parts(now, &self.filling).await?;
            encrypting.end();
            self.filled += byte_length(&self.filling, before);
            rest = later;
            if blind && self.filled >= min_part {
                self.sent_oldest().await?;
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
        let sent = if self.filled > 0 {
            self.send().await
        } else {
            Ok(())
        };
        let all = self.sent_all().await;
        sent.and(all)
    }

    async fn discard(mut self) {
        let _ = self.sent_all().await;
    }
}

/// Opens each part of a file as a fetch that starts at once and reads ahead.
pub struct FetchParts<'s> {
    pub signer: &'s dyn Signer,
}

impl PartOpener for FetchParts<'_> {
    type Source = FetchPart;

    fn open(&self, url: &Url) -> Result<FetchPart, ReadError> {
        FetchPart::open(self.signer, url)
    }
}

/// A GET's body in pieces of at least [`PIECE`] bytes (the last may be
/// shorter). The browser reads it ahead, up to 16 MiB not yet taken, from the
/// moment it is opened: while earlier parts are decrypted.
pub struct FetchPart {
    part: JsValue,
    /// Whether the status has been checked.
    opened: bool,
}

impl FetchPart {
    /// Starts a signed GET of `url`; a non-2xx status fails the first read.
    pub fn open(signer: &dyn Signer, url: &Url) -> Result<Self, ReadError> {
        let network = |e: JsValue| ReadError::Transport(TransportError::Network(describe(e)));
        let headers = web_sys::Headers::new().map_err(network)?;
        for (name, value) in signer.sign(Method::Get, url.as_str())? {
            headers.set(&name, &value).map_err(network)?;
        }
        Ok(Self {
            part: open_part(url.as_str(), &headers),
            opened: false,
        })
    }
}

impl ByteSource for FetchPart {
    async fn next(&mut self) -> Result<Option<Vec<u8>>, StreamError> {
        let waiting = Stage::start("get-wait");
        if !self.opened {
            let status = JsFuture::from(part_opened(&self.part))
                .await
                .map_err(|e| StreamError(describe(e)))?;
            check_read(bare(status.as_f64().unwrap_or(0.0) as u16))
                .map_err(|e| StreamError(e.to_string()))?;
            self.opened = true;
        }
        let taken = JsFuture::from(part_read(&self.part, PIECE as f64))
            .await
            .map_err(|e| StreamError(describe(e)))?;
        if taken.is_null() {
            return Ok(None);
        }
        // Straight from the fetched Uint8Arrays into one buffer in wasm memory:
        // the only copy the ciphertext gets on its way to WebCrypto.
        let chunks: Array = taken.unchecked_into();
        let chunks: Vec<Uint8Array> = chunks.iter().map(JsCast::unchecked_into).collect();
        let total = chunks.iter().map(|c| c.length() as usize).sum();
        let mut bytes = vec![0; total];
        let mut at = 0;
        for chunk in &chunks {
            let len = chunk.length() as usize;
            chunk.copy_to(&mut bytes[at..at + len]);
            at += len;
        }
        waiting.end();
        Ok(Some(bytes))
    }
}

impl Drop for FetchPart {
    /// A part opened ahead and never read (the download failed or ended early)
    /// stops downloading and lets go of its bytes.
    fn drop(&mut self) {
        part_cancel(&self.part);
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
