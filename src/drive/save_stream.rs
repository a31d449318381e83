//! Saving a download as a stream (browser only): the decrypted pieces go to the
//! app's download service worker (`static/save-sw.js`), which answers a hidden
//! frame's request with them as a file download, written to disk by the browser
//! as it is decrypted. The app uses it where the spool would have to hold a big
//! file in memory (no OPFS, or too little room): memory then stays at about one
//! piece plus the garbage the worker has not collected yet (with a 1 GiB file,
//! about 100 MiB more at the peak than the spool on disk, hence not the default).
//!
//! Where service workers are missing too (not a secure context),
//! [`SaveStream::prepare`] says so before anything is decrypted and the caller
//! keeps the spool. The download only starts with the first verified plaintext,
//! so a file whose first chunk does not open never becomes a download; a failure
//! later aborts it, and the browser marks the download failed. A zip streams the
//! same way (`drive::zip` outputs nothing before its first file's first chunk
//! opened) and announces its exact length, which the worker sends as
//! Content-Length. The page's JavaScript is `save_stream.js` next to this file.

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::download::DownloadError;
use super::stream::{PlainSink, StreamError};
use super::zip::ZipOut;
use crate::crypto::envelope::{Decryptor, Metadata, WebCryptoCipher};

// Its own file, imported by path (`raw_module`, copied next to the app's JS by
// index.html) rather than `module = "/src/…"`: a local module makes wasm-bindgen
// read the crate's package.json as npm dependencies, which the Argon2id worker's
// `no-modules` build of this same library refuses (see `app/modal.rs`); a raw
// import it only refuses where it is used, and the worker never uses it.
#[wasm_bindgen(raw_module = "./save_stream.js")]
extern "C" {
    fn prepare_saver() -> Promise;
    fn open_saver(
        registration: &JsValue,
        name: &str,
        media_type: &str,
        size: Option<f64>,
    ) -> Promise;
    fn saver_write(saver: &JsValue, parts: &Array) -> Promise;
    fn saver_close(saver: &JsValue);
    fn saver_abort(saver: &JsValue, reason: &str);
}

/// A download that streams through the service worker.
pub struct SaveStream {
    registration: JsValue,
    name: String,
    /// As given, else the envelope's (known once the first piece is open).
    media_type: Option<String>,
    /// The exact length, announced as the download's Content-Length.
    length: Option<u64>,
    /// The download, once the first plaintext arrived.
    saver: Option<JsValue>,
}

impl SaveStream {
    /// A stream for a download named `name` of `media_type`, or `None` when this
    /// browser cannot stream downloads (the caller then uses the spool). `length`,
    /// if given, is announced as the download's size and must be exactly what is
    /// written: the browser fails a download that ends short of it (a zip knows
    /// its length beforehand, `drive::zip::archive_size`).
    pub async fn prepare(
        name: &str,
        media_type: Option<&str>,
        length: Option<u64>,
    ) -> Option<Self> {
        let registration = JsFuture::from(prepare_saver()).await.ok()?;
        (!registration.is_null()).then(|| Self {
            registration,
            name: name.to_owned(),
            media_type: media_type.map(str::to_owned),
            length,
            saver: None,
        })
    }

    /// Ends the download early; the browser shows it as failed.
    pub fn abort(&self, reason: &str) {
        if let Some(saver) = &self.saver {
            saver_abort(saver, reason);
        }
    }

    /// Ends the download once everything is written (starting it if nothing was:
    /// an empty file is a download too).
    pub async fn close(&mut self) -> Result<(), StreamError> {
        let saver = self.saver().await?;
        saver_close(&saver);
        Ok(())
    }

    /// The download, started on first use.
    async fn saver(&mut self) -> Result<JsValue, StreamError> {
        if let Some(saver) = &self.saver {
            return Ok(saver.clone());
        }
        let media_type = self
            .media_type
            .as_deref()
            .unwrap_or("application/octet-stream");
        let length = self.length.map(|length| length as f64);
        let opened = JsFuture::from(open_saver(
            &self.registration,
            &self.name,
            media_type,
            length,
        ))
        .await
        .map_err(stream_error)?;
        Ok(self.saver.insert(opened).clone())
    }

    async fn write(&mut self, parts: &Array) -> Result<(), StreamError> {
        if parts.length() == 0 {
            return Ok(());
        }
        let saver = self.saver().await?;
        JsFuture::from(saver_write(&saver, parts))
            .await
            .map_err(stream_error)?;
        Ok(())
    }
}

fn stream_error(e: JsValue) -> StreamError {
    StreamError(
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| "the browser stopped the download".to_owned()),
    )
}

/// A zip streamed as it is written (`drive::zip::write_zip` sends only bytes
/// backed by verified plaintext, so the download starts with the first file
/// proved readable).
impl ZipOut for SaveStream {
    async fn push(&mut self, bytes: &[u8]) -> Result<(), StreamError> {
        self.write(&Array::of1(&Uint8Array::from(bytes))).await
    }
}

impl PlainSink<WebCryptoCipher> for SaveStream {
    async fn open(
        &mut self,
        decryptor: &mut Decryptor<WebCryptoCipher>,
        piece: &[u8],
    ) -> Result<(), DownloadError> {
        let parts = Array::new();
        decryptor.push_parts(piece, &parts).await?;
        if self.media_type.is_none() {
            self.media_type = decryptor.metadata().and_then(|m| m.media_type.clone());
        }
        self.write(&parts).await.map_err(DownloadError::Store)
    }

    async fn finish(
        &mut self,
        decryptor: Decryptor<WebCryptoCipher>,
    ) -> Result<Option<Metadata>, DownloadError> {
        let parts = Array::new();
        let metadata = decryptor.finish_parts(&parts).await?;
        self.write(&parts).await.map_err(DownloadError::Store)?;
        self.close().await.map_err(DownloadError::Store)?;
        Ok(metadata)
    }
}
