//! The drive's browser-only I/O in one place: the HTTP transport, files picked or
//! dropped, streaming upload, download to a file and preview URLs. Big uploads
//! are sent in parts as they are encrypted (`drive::browser::PartsUpload`);
//! smaller ones and downloads go through a spool (a temporary file on disk for
//! big ones, `drive::spool`), so the tab's memory stays bounded; previews stay
//! in memory. A native build
//! of the UI (compiled by `cargo clippy` and the native tests, never run) gets
//! stand-ins that say a browser is needed, as `browser_login` does for the login.

#[cfg(target_arch = "wasm32")]
pub use wasm::*;

/// What the preview pane shows.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    expect(dead_code, reason = "only the browser build decrypts previews")
)]
pub enum Preview {
    /// An object URL of a decrypted image.
    Image(String),
    /// An object URL of a decrypted PDF.
    Pdf(String),
    /// Decrypted text, shown as text.
    Text(String),
}

/// Which preview a media type gets, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewKind {
    /// A raster image the browser shows as pixels only.
    Image,
    /// SVG can carry script: it is drawn into a PNG and only that is shown.
    Svg,
    Pdf,
    Text,
}

/// Raster image types shown as they are: none of them can carry script, even when
/// their blob: URL is opened as a page of its own.
const RASTER_IMAGES: &[&str] = &[
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/avif",
    "image/bmp",
    "image/x-icon",
    "image/vnd.microsoft.icon",
];

impl PreviewKind {
    /// Text, raster images, SVG and PDF; everything else (HTML as a page, unknown
    /// image types, anything a browser might run) is download only. The type comes
    /// from whoever uploaded the file, so it is matched exactly, never guessed.
    pub fn of(media_type: Option<&str>) -> Option<Self> {
        let media_type = media_type?.split(';').next()?.trim().to_ascii_lowercase();
        let media_type = media_type.as_str();
        if RASTER_IMAGES.contains(&media_type) {
            Some(Self::Image)
        } else if media_type == "image/svg+xml" {
            Some(Self::Svg)
        } else if media_type == "application/pdf" {
            Some(Self::Pdf)
        } else if media_type.starts_with("text/")
            || matches!(media_type, "application/json" | "application/xml")
        {
            Some(Self::Text)
        } else {
            None
        }
    }

    /// The type the decrypted blob gets: exactly the one this kind is for, so a
    /// browser never treats the bytes as anything more active.
    #[cfg_attr(
        all(not(target_arch = "wasm32"), not(test)),
        expect(dead_code, reason = "only the browser build decrypts previews")
    )]
    fn blob_type(self, media_type: &str) -> String {
        match self {
            Self::Image => media_type
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase(),
            Self::Svg => "image/svg+xml".to_owned(),
            Self::Pdf => "application/pdf".to_owned(),
            Self::Text => "text/plain".to_owned(),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub use native::*;

#[cfg(target_arch = "wasm32")]
mod wasm {
    use leptos::wasm_bindgen::JsCast;
    use url::Url;
    use web_sys::{Blob, File, FileList, HtmlAnchorElement, HtmlInputElement};

    use crate::auth::session::Session;
    use crate::crypto::envelope::WebCryptoCipher;
    use crate::crypto::envelope::DEFAULT_CHUNK_SIZE;
    use crate::crypto::SecretKey;
    use crate::drive::browser::{
        read_range, BlobSource, FetchParts, PartsUpload, SpoolSink, SpoolUpload,
    };
    use crate::drive::parts::{envelope_len_bound, part_urls, PartPolicy, PartsSource};
    use crate::drive::resume::{inspect, resume, Fingerprint, Incomplete, ResumeError};
    use crate::drive::save_stream::SaveStream;
    use crate::drive::spool::Spool;
    use crate::drive::stages::Stage;
    use crate::drive::StreamError;
    use crate::drive::{
        decrypt, file_key, reserve, upload_reserved, DownloadError, NewFile, Reserved, UploadError,
    };
    use crate::keystore::Keyring;
    use crate::pod::browser::BrowserHttp;
    use crate::pod::Pod;

    use super::super::downloads::Downloading;
    use super::{Preview, PreviewKind};

    /// Files up to this size are kept in memory (Blob parts) rather than in a
    /// temporary file: memory stays bounded by it per transfer, small transfers
    /// skip the disk, and a small download leaves no plaintext file behind.
    const IN_MEMORY_UP_TO: u64 = 16 * 1024 * 1024;

    /// A spool for `size` bytes (if known): in memory up to [`IN_MEMORY_UP_TO`],
    /// else on disk when the browser can.
    async fn spool_for(size: Option<u64>) -> Spool {
        match size {
            Some(size) if size <= IN_MEMORY_UP_TO => Spool::in_memory().await,
            size => Spool::open(size.unwrap_or(0)).await,
        }
    }

    /// The message when a type has no preview.
    const NO_PREVIEW: &str = "no preview for this kind of file; download it instead";

    /// The transport every drive request goes through.
    pub type Http = BrowserHttp;
    /// The one transport value.
    pub const HTTP: Http = BrowserHttp;

    /// A file the user picked or dropped; it stays on disk until read in slices.
    #[derive(Clone)]
    pub struct PickedFile(File);

    impl PickedFile {
        /// A file the browser handed over (a folder drop's entries, `dropped`).
        pub fn new(file: File) -> Self {
            Self(file)
        }
        pub fn name(&self) -> String {
            self.0.name()
        }
        pub fn size(&self) -> u64 {
            self.0.size() as u64
        }
        /// The browser's guess, or none (then the file is stored untyped).
        pub fn media_type(&self) -> Option<String> {
            Some(self.0.type_()).filter(|t| !t.is_empty())
        }
    }

    fn list(files: Option<FileList>) -> Vec<PickedFile> {
        let Some(files) = files else {
            return Vec::new();
        };
        (0..files.length())
            .filter_map(|i| files.get(i))
            .map(PickedFile)
            .collect()
    }

    /// The files chosen in an `<input type=file>` (then cleared, so picking the same
    /// file again fires another change).
    pub fn picked_from_input(ev: &leptos::ev::Event) -> Vec<PickedFile> {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return Vec::new();
        };
        let files = list(input.files());
        input.set_value("");
        files
    }

    /// The files dropped on the drop zone.
    pub fn picked_from_drop(ev: &leptos::ev::DragEvent) -> Vec<PickedFile> {
        list(ev.data_transfer().and_then(|d| d.files()))
    }

    /// Encrypts and uploads `file` into `folder`, streaming it slice by slice: in
    /// parts when big ([`PartPolicy::APP`]), else as one resource.
    pub async fn upload_picked(
        session: &Session,
        keyring: &Keyring,
        folder: &Url,
        file: &PickedFile,
        progress: &mut dyn FnMut(u64),
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Url, UploadError> {
        let whole = Stage::start("upload");
        let uploaded = upload_timed(session, keyring, folder, file, progress, cancelled).await;
        whole.end();
        uploaded
    }

    /// [`upload_picked`]'s work: its key reserved alone (a folder drop reserves
    /// many at once), then the upload; the caller times it (`drive::stages`).
    async fn upload_timed(
        session: &Session,
        keyring: &Keyring,
        folder: &Url,
        file: &PickedFile,
        progress: &mut dyn FnMut(u64),
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Url, UploadError> {
        let pod = Pod::new(&HTTP, Some(session));
        let (name, media_type) = (file.name(), file.media_type());
        let new_file = new_file(folder, file, &name, media_type.as_deref());
        let reserved = reserve(&pod, keyring, &[(new_file, in_parts(file))])
            .await?
            .pop()
            .expect("one reserved per file");
        upload_picked_reserved(
            session, keyring, reserved, folder, file, progress, cancelled,
        )
        .await
    }

    /// What the drive needs to know of `file` going into `folder`.
    fn new_file<'a>(
        folder: &'a Url,
        file: &PickedFile,
        name: &'a str,
        media_type: Option<&'a str>,
    ) -> NewFile<'a> {
        NewFile {
            folder,
            name,
            media_type,
            size: file.size(),
            fingerprint: None,
        }
    }

    /// Whether `file` is stored in parts ([`PartPolicy::APP`]), as
    /// [`upload_picked`] decides: what a reservation (`drive::reserve`) needs.
    pub fn in_parts(file: &PickedFile) -> bool {
        PartPolicy::APP.in_parts(envelope_len_bound(file.size(), DEFAULT_CHUNK_SIZE))
    }

    /// [`upload_picked`] for a file whose key a batch already wrote
    /// (`drive::reserve`, with [`in_parts`]).
    pub async fn upload_picked_reserved(
        session: &Session,
        keyring: &Keyring,
        reserved: Reserved,
        folder: &Url,
        file: &PickedFile,
        progress: &mut dyn FnMut(u64),
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Url, UploadError> {
        let pod = Pod::new(&HTTP, Some(session));
        let (name, media_type) = (file.name(), file.media_type());
        let mut new_file = new_file(folder, file, &name, media_type.as_deref());
        let blob: &Blob = file.0.as_ref();
        let mut source = BlobSource::new(blob.clone());
        if in_parts(file) {
            new_file.fingerprint = Some(fingerprint(file).await.map_err(UploadError::Read)?);
            let target = PartsUpload::new(session, PartPolicy::APP)?;
            return upload_reserved::<_, WebCryptoCipher, _, _>(
                &pod,
                keyring,
                reserved,
                &new_file,
                &mut source,
                target,
                progress,
                cancelled,
            )
            .await;
        }
        let spool = spool_for(Some(envelope_len_bound(file.size(), DEFAULT_CHUNK_SIZE))).await;
        let target = SpoolUpload::new(session, spool);
        upload_reserved::<_, WebCryptoCipher, _, _>(
            &pod,
            keyring,
            reserved,
            &new_file,
            &mut source,
            target,
            progress,
            cancelled,
        )
        .await
    }

    /// What recognises `file` if its upload stops and it is picked again: its
    /// size, last-modified time and the digests of its first and last MiB
    /// (`drive::resume`).
    async fn fingerprint(file: &PickedFile) -> Result<Fingerprint, StreamError> {
        let blob: &Blob = file.0.as_ref();
        let (head, tail) = Fingerprint::edges(file.size());
        let head = read_range(blob, head).await?;
        let tail = read_range(blob, tail).await?;
        let modified = file.0.last_modified().max(0.0) as u64;
        Ok(Fingerprint::new(file.size(), modified, &head, &tail))
    }

    /// Whether the file at `url` is an upload that stopped part-way and can be
    /// resumed (`drive::resume::inspect`); `None` when it cannot be told, and for
    /// this tab's own upload (going on, or just done: the pod may still list its
    /// record for a moment, and asking for it then is a failed request).
    pub async fn incomplete_upload(
        session: &Session,
        keyring: &Keyring,
        url: &Url,
    ) -> Option<Incomplete> {
        if crate::pod::live::own_writes::wrote_recently(url) {
            return None;
        }
        let key = file_key(keyring, url).ok()?;
        let pod = Pod::new(&HTTP, Some(session));
        inspect(&pod, url, &key).await.ok().flatten()
    }

    /// Continues the upload of `url` with `file`, if it is the file whose upload
    /// stopped (else [`ResumeError::NotTheSameFile`], nothing sent).
    pub async fn resume_picked(
        session: &Session,
        keyring: &Keyring,
        url: &Url,
        incomplete: &Incomplete,
        file: &PickedFile,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(), ResumeError> {
        let key = file_key(keyring, url).map_err(|_| ResumeError::NotTheSameFile)?;
        let entry = keyring
            .lookup(url.as_str())
            .ok_or(ResumeError::NotTheSameFile)?;
        let picked = fingerprint(file).await.map_err(UploadError::Read)?;
        incomplete.check(&entry.name, &file.name(), &picked)?;
        let pod = Pod::new(&HTTP, Some(session));
        let folder = url.join("..").expect("a container has a parent");
        let new_file = NewFile {
            folder: &folder,
            name: &entry.name,
            media_type: entry.media_type.as_deref(),
            size: picked.size,
            fingerprint: Some(picked),
        };
        let blob: &Blob = file.0.as_ref();
        let mut source = BlobSource::from_byte(blob.clone(), incomplete.from_byte());
        let target = PartsUpload::resuming(
            session,
            PartPolicy::APP,
            incomplete.generation(),
            incomplete.next_part(),
        );
        resume::<_, WebCryptoCipher, _, _>(
            &pod,
            &key,
            incomplete,
            &new_file,
            &mut source,
            target,
            progress,
            &|| false,
        )
        .await
    }

    /// The key of `url` and a source reading its ciphertext (one resource, or its
    /// parts in turn) as streamed fetches.
    async fn open_file<'s>(
        session: &'s Session,
        keyring: &Keyring,
        url: &Url,
    ) -> Result<(SecretKey, PartsSource<FetchParts<'s>>), DownloadError> {
        let key = file_key(keyring, url)?;
        let pod = Pod::new(&HTTP, Some(session));
        let urls = part_urls(&pod, url, &key).await?;
        Ok((key, PartsSource::new(FetchParts { signer: session }, urls)))
    }

    /// Decrypts `url` into a download streamed by the service worker.
    async fn stream_to_download(
        session: &Session,
        keyring: &Keyring,
        url: &Url,
        mut sink: SaveStream,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(), DownloadError> {
        let (key, mut source) = open_file(session, keyring, url).await?;
        let result = decrypt::<WebCryptoCipher, _, _>(&key, &mut source, &mut sink, progress).await;
        if let Err(error) = &result {
            sink.abort(&error.to_string());
        }
        result.map(drop)
    }

    /// Downloads and decrypts `url` into `spool`; returns the spool and one Blob
    /// of its content. On an error the spool is already removed.
    async fn decrypt_to_spool(
        session: &Session,
        keyring: &Keyring,
        url: &Url,
        media_type: Option<&str>,
        spool: Spool,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(Spool, Blob), DownloadError> {
        let (key, mut source) = match open_file(session, keyring, url).await {
            Ok(opened) => opened,
            Err(e) => {
                spool.remove().await;
                return Err(e);
            }
        };
        let mut sink = SpoolSink::new(spool);
        let decrypted =
            decrypt::<WebCryptoCipher, _, _>(&key, &mut source, &mut sink, progress).await;
        let spool = sink.into_spool();
        let blob = match decrypted {
            Ok(metadata) => {
                let media_type = media_type
                    .map(str::to_owned)
                    .or(metadata.media_type)
                    .unwrap_or_else(|| "application/octet-stream".to_owned());
                spool
                    .finish(&media_type)
                    .await
                    .map_err(DownloadError::Store)
            }
            Err(e) => Err(e),
        };
        match blob {
            Ok(blob) => Ok((spool, blob)),
            Err(e) => {
                spool.remove().await;
                Err(e)
            }
        }
    }

    /// Seconds a saved download's temporary file is kept: the browser copies it
    /// to the downloads folder after the page hands it over, and says nothing
    /// when done. Generous: 30 s plus 1 s per 16 MiB.
    fn keep_for(size: f64) -> f64 {
        30.0 + size / (16.0 * 1024.0 * 1024.0)
    }

    /// Decrypts `url` and hands it to the browser as a download named `name`,
    /// through a spool: a temporary file for big files. Where the spool cannot
    /// use the disk (no OPFS, or too little room), a big file streams through the
    /// download service worker instead of being held in memory whole. (The spool
    /// is the first choice: `scripts/bench drive` measured the streamed download's
    /// tab about 100 MiB bigger at its peak for 1 GiB, garbage in the worker.)
    /// The tab's download list (`downloads`) shows how far it is.
    pub async fn save_file(
        session: &Session,
        keyring: &Keyring,
        url: &Url,
        name: &str,
        media_type: Option<&str>,
    ) -> Result<(), String> {
        let size = keyring.lookup(url.as_str()).and_then(|entry| entry.size);
        let row = Downloading::start(name, size);
        let whole = Stage::start("download");
        let saved = save_into(session, keyring, url, name, media_type, size, &row).await;
        whole.end();
        row.finish(saved.is_ok());
        saved
    }

    /// [`save_file`]'s work, telling `row` how far it is.
    async fn save_into(
        session: &Session,
        keyring: &Keyring,
        url: &Url,
        name: &str,
        media_type: Option<&str>,
        size: Option<u64>,
        row: &Downloading,
    ) -> Result<(), String> {
        let progress = &mut |bytes| row.progress(bytes);
        let spool = spool_for(size).await;
        if size.is_some_and(|size| size > IN_MEMORY_UP_TO) && !spool.on_disk() {
            if let Some(stream) = SaveStream::prepare(name, media_type, None).await {
                spool.remove().await;
                return stream_to_download(session, keyring, url, stream, progress)
                    .await
                    .map_err(|e| e.to_string());
            }
        }
        let (spool, blob) = decrypt_to_spool(session, keyring, url, media_type, spool, progress)
            .await
            .map_err(|e| e.to_string())?;
        let saved = hand_over(&blob, name);
        if saved.is_ok() {
            spool.remove_later(keep_for(blob.size()));
        } else {
            spool.remove().await;
        }
        saved
    }

    /// Files of a zip opened as a download opens them (parts read ahead).
    struct ZipFiles<'s> {
        session: &'s Session,
        keyring: &'s Keyring,
    }

    impl<'s> crate::drive::zip::FileOpener for ZipFiles<'s> {
        type Source = PartsSource<FetchParts<'s>>;

        async fn open(&self, url: &Url) -> Result<(SecretKey, Self::Source), DownloadError> {
            open_file(self.session, self.keyring, url).await
        }
    }

    /// A zip's bytes into a spool.
    struct ZipSpool<'a>(&'a Spool);

    impl crate::drive::zip::ZipOut for ZipSpool<'_> {
        async fn push(&mut self, bytes: &[u8]) -> Result<(), crate::drive::StreamError> {
            self.0.push_bytes(bytes).await
        }
    }

    /// Zips the folder `folder` (named `name`) with everything in it, each file
    /// decrypted as it is written, and hands it to the browser as `<name>.zip`:
    /// through a spool (a temporary file when big), or, where the spool cannot
    /// use the disk and the zip is big or of unknown size, streamed through the
    /// download service worker as [`save_file`] does, with its exact length as
    /// Content-Length when every size is known (`drive::zip::archive_size`). A
    /// file that does not decrypt, or is not the size its keystore entry says,
    /// stops it with an error naming the file: nothing is saved from the spool,
    /// and a streamed download is aborted, so the browser marks it failed.
    pub async fn save_zip(
        session: &Session,
        keyring: &Keyring,
        folder: &Url,
        name: &str,
    ) -> Result<(), String> {
        use crate::drive::zip::{archive_size, plan};
        let pod = Pod::new(&HTTP, Some(session));
        let items = plan(&pod, keyring, folder, name)
            .await
            .map_err(|e| e.to_string())?;
        let size = archive_size(&items);
        let zip_name = format!("{}.zip", crate::drive::names::safe_name(name));
        let row = Downloading::start(&zip_name, size);
        let saved = zip_into(session, keyring, &items, &zip_name, size, &row).await;
        row.finish(saved.is_ok());
        saved
    }

    /// [`save_zip`]'s work for the planned `items` (`size` bytes, if known),
    /// telling `row` how far it is.
    async fn zip_into(
        session: &Session,
        keyring: &Keyring,
        items: &[crate::drive::zip::ZipItem],
        zip_name: &str,
        size: Option<u64>,
        row: &Downloading,
    ) -> Result<(), String> {
        use crate::drive::zip::write_zip;
        let opener = ZipFiles { session, keyring };
        let progress = &mut |bytes| row.progress(bytes);
        let spool = spool_for(size).await;
        // Unlike one file's, a zip of unknown size may be any size: never held whole.
        if size.is_none_or(|size| size > IN_MEMORY_UP_TO) && !spool.on_disk() {
            if let Some(mut stream) =
                SaveStream::prepare(zip_name, Some("application/zip"), size).await
            {
                spool.remove().await;
                let written =
                    write_zip::<WebCryptoCipher, _, _>(items, &opener, &mut stream, progress).await;
                return match written {
                    Ok(()) => stream.close().await.map_err(|e| e.to_string()),
                    Err(e) => {
                        stream.abort(&e.to_string());
                        Err(e.to_string())
                    }
                };
            }
        }
        let written =
            write_zip::<WebCryptoCipher, _, _>(items, &opener, &mut ZipSpool(&spool), progress)
                .await
                .map_err(|e| e.to_string());
        let saved = match written {
            Ok(()) => match spool.finish("application/zip").await {
                Ok(blob) => hand_over(&blob, zip_name).map(|()| blob.size()),
                Err(e) => Err(e.to_string()),
            },
            Err(e) => Err(e),
        };
        match saved {
            Ok(size) => {
                spool.remove_later(keep_for(size));
                Ok(())
            }
            Err(e) => {
                spool.remove().await;
                Err(e)
            }
        }
    }

    /// Clicks a download link to `blob` named `name`.
    fn hand_over(blob: &Blob, name: &str) -> Result<(), String> {
        let object_url = object_url(blob)?;
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or("no document")?;
        let anchor: HtmlAnchorElement = document
            .create_element("a")
            .map_err(|_| "cannot create a link")?
            .unchecked_into();
        anchor.set_href(&object_url);
        anchor.set_download(name);
        anchor.click();
        // The click has resolved the URL to the Blob; the URL is not needed any more.
        revoke(&object_url);
        Ok(())
    }

    /// Decrypts `url` for the preview pane: images and PDFs as object URLs (the
    /// caller revokes them on close), text as a string. Text is never rendered as
    /// HTML, and SVG only as the PNG it draws, so a hostile file cannot run script
    /// in the app's origin, not even when its preview's URL is opened as a page.
    pub async fn preview(
        session: &Session,
        keyring: &Keyring,
        url: &Url,
        media_type: Option<&str>,
    ) -> Result<Preview, String> {
        let kind = PreviewKind::of(media_type).ok_or(NO_PREVIEW)?;
        let blob_type = kind.blob_type(media_type.unwrap_or_default());
        let blob =
            decrypt_in_memory(session, keyring, url, &blob_type, Spool::in_memory().await).await?;
        Ok(match kind {
            PreviewKind::Image => Preview::Image(object_url(&blob)?),
            PreviewKind::Svg => {
                Preview::Image(object_url(&super::super::raster::svg_to_png(&blob).await?)?)
            }
            PreviewKind::Pdf => Preview::Pdf(object_url(&blob)?),
            PreviewKind::Text => {
                let text = wasm_bindgen_futures::JsFuture::from(blob.text())
                    .await
                    .map_err(|_| "cannot read the text".to_owned())?;
                Preview::Text(text.as_string().unwrap_or_default())
            }
        })
    }

    /// Decrypts the raster image at `url` into memory, as a Blob of exactly its
    /// raster type (see [`PreviewKind::blob_type`]), for a thumbnail; anything
    /// else is refused, and so is a file that turns out longer than `at_most`
    /// bytes whatever its keystore entry claims (the whole file is held).
    pub async fn decrypt_image(
        session: &Session,
        keyring: &Keyring,
        url: &Url,
        media_type: Option<&str>,
        at_most: u64,
    ) -> Result<Blob, String> {
        if PreviewKind::of(media_type) != Some(PreviewKind::Image) {
            return Err(NO_PREVIEW.to_owned());
        }
        let blob_type = PreviewKind::Image.blob_type(media_type.unwrap_or_default());
        let spool = Spool::in_memory_at_most(at_most).await;
        decrypt_in_memory(session, keyring, url, &blob_type, spool).await
    }

    /// The whole of `url` decrypted into memory (`spool`) as one Blob of `blob_type`.
    async fn decrypt_in_memory(
        session: &Session,
        keyring: &Keyring,
        url: &Url,
        blob_type: &str,
        spool: Spool,
    ) -> Result<Blob, String> {
        let (_in_memory, blob) =
            decrypt_to_spool(session, keyring, url, Some(blob_type), spool, &mut |_| {})
                .await
                .map_err(|e| e.to_string())?;
        Ok(blob)
    }

    fn object_url(blob: &Blob) -> Result<String, String> {
        web_sys::Url::create_object_url_with_blob(blob)
            .map_err(|_| "the browser refused to hold the file".to_owned())
    }

    /// Frees an object URL made by [`preview`].
    pub fn revoke(object_url: &str) {
        let _ = web_sys::Url::revoke_object_url(object_url);
    }

    /// Deletes the decrypted temporary files: all of this tab's (the drive was
    /// locked, or the user logged out) and those a crashed tab left. Best effort:
    /// without OPFS there are none.
    pub async fn remove_temporary_files() {
        let _ = crate::drive::spool::remove_all().await;
        let _ = crate::drive::spool::sweep_orphans().await;
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use url::Url;

    use crate::auth::session::Session;
    use crate::drive::UploadError;
    use crate::keystore::Keyring;
    use crate::pod::http::{HttpClient, Request, Response, TransportError};

    const ONLY_IN_A_BROWSER: &str = "the drive works only in a browser";

    /// A transport that refuses every request.
    #[derive(Debug, Clone, Copy)]
    pub struct Http;
    /// The one transport value.
    pub const HTTP: Http = Http;

    impl HttpClient for Http {
        async fn send(&self, _request: Request) -> Result<Response, TransportError> {
            Err(TransportError::Network(ONLY_IN_A_BROWSER.into()))
        }
    }

    /// Never exists outside a browser.
    #[derive(Clone)]
    pub struct PickedFile(std::convert::Infallible);

    impl PickedFile {
        pub fn name(&self) -> String {
            match self.0 {}
        }
        pub fn size(&self) -> u64 {
            match self.0 {}
        }
        pub fn media_type(&self) -> Option<String> {
            match self.0 {}
        }
    }

    pub fn picked_from_input(_ev: &leptos::ev::Event) -> Vec<PickedFile> {
        Vec::new()
    }

    pub fn picked_from_drop(_ev: &leptos::ev::DragEvent) -> Vec<PickedFile> {
        Vec::new()
    }

    pub async fn upload_picked(
        _session: &Session,
        _keyring: &Keyring,
        _folder: &Url,
        file: &PickedFile,
        _progress: &mut dyn FnMut(u64),
        _cancelled: &dyn Fn() -> bool,
    ) -> Result<Url, UploadError> {
        match file.0 {}
    }

    pub fn in_parts(file: &PickedFile) -> bool {
        match file.0 {}
    }

    pub async fn incomplete_upload(
        _session: &Session,
        _keyring: &Keyring,
        _url: &Url,
    ) -> Option<crate::drive::resume::Incomplete> {
        None
    }

    pub async fn resume_picked(
        _session: &Session,
        _keyring: &Keyring,
        _url: &Url,
        _incomplete: &crate::drive::resume::Incomplete,
        file: &PickedFile,
        _progress: &mut dyn FnMut(u64),
    ) -> Result<(), crate::drive::resume::ResumeError> {
        match file.0 {}
    }

    pub async fn upload_picked_reserved(
        _session: &Session,
        _keyring: &Keyring,
        _reserved: crate::drive::Reserved,
        _folder: &Url,
        file: &PickedFile,
        _progress: &mut dyn FnMut(u64),
        _cancelled: &dyn Fn() -> bool,
    ) -> Result<Url, UploadError> {
        match file.0 {}
    }

    pub async fn save_file(
        _session: &Session,
        _keyring: &Keyring,
        _url: &Url,
        _name: &str,
        _media_type: Option<&str>,
    ) -> Result<(), String> {
        Err(ONLY_IN_A_BROWSER.to_owned())
    }

    pub async fn save_zip(
        _session: &Session,
        _keyring: &Keyring,
        _folder: &Url,
        _name: &str,
    ) -> Result<(), String> {
        Err(ONLY_IN_A_BROWSER.to_owned())
    }

    pub async fn preview(
        _session: &Session,
        _keyring: &Keyring,
        _url: &Url,
        _media_type: Option<&str>,
    ) -> Result<super::Preview, String> {
        Err(ONLY_IN_A_BROWSER.to_owned())
    }

    pub fn revoke(_object_url: &str) {}

    pub async fn remove_temporary_files() {}
}

#[cfg(test)]
mod tests {
    use super::PreviewKind;

    #[test]
    fn only_text_images_and_pdf_are_previewed() {
        assert_eq!(PreviewKind::of(Some("image/png")), Some(PreviewKind::Image));
        assert_eq!(
            PreviewKind::of(Some("IMAGE/JPEG")),
            Some(PreviewKind::Image)
        );
        assert_eq!(
            PreviewKind::of(Some("application/pdf")),
            Some(PreviewKind::Pdf)
        );
        assert_eq!(
            PreviewKind::of(Some("text/plain;charset=utf-8")),
            Some(PreviewKind::Text)
        );
        assert_eq!(
            PreviewKind::of(Some("application/json")),
            Some(PreviewKind::Text)
        );
        assert_eq!(PreviewKind::of(Some("application/octet-stream")), None);
        assert_eq!(PreviewKind::of(None), None);
    }

    #[test]
    fn active_content_is_never_shown_as_itself() {
        // SVG is drawn to pixels; HTML is text; unknown image types are download only.
        assert_eq!(
            PreviewKind::of(Some("image/svg+xml")),
            Some(PreviewKind::Svg)
        );
        assert_eq!(PreviewKind::of(Some("text/html")), Some(PreviewKind::Text));
        assert_eq!(PreviewKind::Text.blob_type("text/html"), "text/plain");
        assert_eq!(PreviewKind::of(Some("image/x-made-up")), None);
        assert_eq!(PreviewKind::of(Some("application/xhtml+xml")), None);
        assert_eq!(PreviewKind::Image.blob_type("image/PNG; x=1"), "image/png");
        assert_eq!(
            PreviewKind::Pdf.blob_type("application/pdf"),
            "application/pdf"
        );
    }
}
