//! A folder tree as one zip archive, each file decrypted as it is written ("Download
//! as zip"): entries are *stored* (what people keep in a drive is mostly compressed
//! already, and storing keeps the pace of the download), zip64 where sizes or
//! offsets need it (rawzip decides), names from the keystores made safe
//! ([`super::names`]) under one top folder. A file that fails to decrypt stops the
//! archive with an error naming it: the caller discards what was written (or
//! aborts the streamed download), so there is never a silently short archive.
//!
//! Its exact length is known from the plan ([`archive_size`]), so a streamed
//! download can announce it; a file whose plaintext is not the size its keystore
//! entry claims stops the archive ([`ZipError::WrongSize`]) rather than make it
//! longer or shorter than announced. Nothing reaches the output before verified
//! plaintext: entry headers wait until their file's first chunk has opened, so a
//! streamed download only starts once the first file proved readable.

use std::cell::RefCell;
use std::future::Future;
use std::io::Write;
use std::rc::Rc;

use url::Url;

use super::download::DownloadError;
use super::listing::{list_folder, ListError};
use super::names::Names;
use super::stream::{ByteSource, StreamError};
use crate::crypto::envelope::{ChunkCipher, Decryptor};
use crate::crypto::SecretKey;
use crate::keystore::Keyring;
use crate::pod::http::HttpClient;
use crate::pod::Pod;

mod size;
pub use size::archive_size;
use size::in_order;

/// Deepest folder nesting followed: a pod could answer with endless folders.
const MAX_DEPTH: usize = 64;

/// One entry of the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZipItem {
    /// A folder, `path` ending in `/`.
    Folder { path: String },
    /// A file to decrypt from `url`, with its size if the keystore states it.
    File {
        path: String,
        url: Url,
        size: Option<u64>,
    },
}

/// Why the archive could not be made; what was written must be thrown away.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ZipError {
    #[error("cannot list {path}: {source}")]
    List { path: String, source: ListError },
    #[error("{path}: {source}")]
    File { path: String, source: DownloadError },
    #[error("{path} has no key in your keystores, so the zip cannot hold it")]
    Unknown { path: String },
    #[error("folders nested deeper than {MAX_DEPTH} at {path}")]
    TooDeep { path: String },
    #[error("cannot write the zip: {0}")]
    Write(String),
    #[error("cannot store the zip: {0}")]
    Store(StreamError),
    /// The keystore entry (which a collaborator may write) claims a size the
    /// plaintext does not have; `found` is how far it got (past `stated`, or short).
    #[error(
        "{path} is not the {stated} bytes its keystore entry says (it decrypts to {found}{more}), so the zip stops",
        more = if found > stated { " or more" } else { "" }
    )]
    WrongSize {
        path: String,
        stated: u64,
        found: u64,
    },
}

/// What goes into the zip of `folder` (named `name`): every folder and file under
/// it, in listing order, paths under `name/`. Everything must be known to the
/// keystores: an item without a key stops it ([`ZipError::Unknown`]).
pub async fn plan<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    folder: &Url,
    name: &str,
) -> Result<Vec<ZipItem>, ZipError> {
    let top = format!("{}/", Names::default().claim(name));
    let mut items = vec![ZipItem::Folder { path: top.clone() }];
    let mut pending = vec![(folder.clone(), top, 0usize)];
    while let Some((folder, path, depth)) = pending.pop() {
        if depth > MAX_DEPTH {
            return Err(ZipError::TooDeep { path });
        }
        let listed = list_folder(pod, keyring, &folder)
            .await
            .map_err(|source| ZipError::List {
                path: path.clone(),
                source,
            })?;
        let mut names = Names::default();
        for item in listed {
            let child = format!("{path}{}", names.claim(&item.name));
            if !item.known {
                return Err(ZipError::Unknown { path: child });
            }
            if item.is_folder {
                let child = format!("{child}/");
                items.push(ZipItem::Folder {
                    path: child.clone(),
                });
                pending.push((item.url, child, depth + 1));
            } else {
                items.push(ZipItem::File {
                    path: child,
                    url: item.url,
                    size: item.size,
                });
            }
        }
    }
    Ok(items)
}

/// Opens a file of the drive for reading: its key and its ciphertext.
pub trait FileOpener {
    type Source: ByteSource;
    fn open(
        &self,
        url: &Url,
    ) -> impl Future<Output = Result<(SecretKey, Self::Source), DownloadError>>;
}

/// Where the archive's bytes go, in order.
pub trait ZipOut {
    fn push(&mut self, bytes: &[u8]) -> impl Future<Output = Result<(), StreamError>>;
}

/// The bytes rawzip wrote since the last drain.
#[derive(Clone, Default)]
struct Pending(Rc<RefCell<Vec<u8>>>);

impl Write for Pending {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Pending {
    /// Hands what rawzip wrote to `out`; the number of bytes.
    async fn drain<O: ZipOut>(&self, out: &mut O) -> Result<u64, ZipError> {
        let bytes = std::mem::take(&mut *self.0.borrow_mut());
        if bytes.is_empty() {
            return Ok(0);
        }
        out.push(&bytes).await.map_err(ZipError::Store)?;
        Ok(bytes.len() as u64)
    }
}

fn writing(e: impl std::fmt::Display) -> ZipError {
    ZipError::Write(e.to_string())
}

/// Where the archive's bytes go, and how many went.
struct Output<'o, O> {
    pending: Pending,
    out: &'o mut O,
    sent: u64,
    progress: &'o mut dyn FnMut(u64),
}

impl<O: ZipOut> Output<'_, O> {
    /// Sends what rawzip wrote since the last call; called only once the bytes
    /// written are backed by verified plaintext (or are the archive's end).
    async fn send(&mut self) -> Result<(), ZipError> {
        self.sent += self.pending.drain(self.out).await?;
        (self.progress)(self.sent);
        Ok(())
    }
}

/// Writes `items` as a zip into `out`, decrypting each file with `C`, in the
/// layout [`archive_size`] predicts (folders first, then files); `progress` gets
/// the archive bytes handed to `out` so far. `out` gets nothing before the first
/// file's first chunk has opened (all of it at the end when there is no file).
pub async fn write_zip<C: ChunkCipher, F: FileOpener, O: ZipOut>(
    items: &[ZipItem],
    opener: &F,
    out: &mut O,
    progress: &mut dyn FnMut(u64),
) -> Result<(), ZipError> {
    let pending = Pending::default();
    let mut archive = rawzip::ZipArchiveWriter::new(pending.clone());
    let mut output = Output {
        pending,
        out,
        sent: 0,
        progress,
    };
    for item in in_order(items) {
        match item {
            ZipItem::Folder { path } => archive.new_dir(path).create().map_err(writing)?,
            ZipItem::File { path, url, size } => {
                write_file::<C, _, _>(&mut archive, &mut output, opener, path, url, *size).await?;
            }
        }
    }
    archive.finish().map_err(writing)?;
    output.send().await
}

/// One file's entry: its header, its plaintext as it is decrypted, its data
/// descriptor. A plaintext longer or shorter than `stated` (when known) stops it
/// before the entry has more bytes than `stated` or is closed short.
async fn write_file<C: ChunkCipher, F: FileOpener, O: ZipOut>(
    archive: &mut rawzip::ZipArchiveWriter<Pending>,
    output: &mut Output<'_, O>,
    opener: &F,
    path: &str,
    url: &Url,
    stated: Option<u64>,
) -> Result<(), ZipError> {
    let failed = |source| ZipError::File {
        path: path.to_owned(),
        source,
    };
    let (key, mut source) = opener.open(url).await.map_err(failed)?;
    let (mut entry, config) = archive
        .new_file(path)
        .compression_method(rawzip::CompressionMethod::Store)
        .start()
        .map_err(writing)?;
    let mut writer = config.wrap(&mut entry);
    let mut decryptor = Decryptor::<C>::new(&key);
    let mut plain = zeroize::Zeroizing::new(Vec::new());
    let mut found = 0u64;
    let mut append = |plain: &[u8], writer: &mut dyn Write| {
        found += plain.len() as u64;
        if let Some(stated) = stated.filter(|&stated| found > stated) {
            return Err(ZipError::WrongSize {
                path: path.to_owned(),
                stated,
                found,
            });
        }
        writer.write_all(plain).map_err(writing)
    };
    while let Some(piece) = source
        .next()
        .await
        .map_err(|e| failed(DownloadError::Fetch(e)))?
    {
        decryptor
            .push(&piece, &mut plain)
            .await
            .map_err(|e| failed(e.into()))?;
        if !plain.is_empty() {
            append(&plain, &mut writer)?;
            plain.clear();
            output.send().await?;
        }
    }
    decryptor
        .finish(&mut plain)
        .await
        .map_err(|e| failed(e.into()))?;
    append(&plain, &mut writer)?;
    if let Some(stated) = stated.filter(|&stated| found != stated) {
        return Err(ZipError::WrongSize {
            path: path.to_owned(),
            stated,
            found,
        });
    }
    let (_, descriptor) = writer.finish().map_err(writing)?;
    entry.finish(descriptor).map_err(writing)?;
    output.send().await
}

/// Natively (tests, tools): files opened through the pod client.
pub struct PodFiles<'p, 'a, H: HttpClient> {
    pub pod: &'p Pod<'a, H>,
    pub keyring: &'p Keyring,
}

impl<'p, 'a, H: HttpClient> FileOpener for PodFiles<'p, 'a, H> {
    type Source = super::parts::PartsSource<&'p Pod<'a, H>>;

    async fn open(&self, url: &Url) -> Result<(SecretKey, Self::Source), DownloadError> {
        super::download::open_on_pod(self.pod, self.keyring, url).await
    }
}

/// An archive kept in memory (tests and small tools).
impl ZipOut for Vec<u8> {
    async fn push(&mut self, bytes: &[u8]) -> Result<(), StreamError> {
        self.extend_from_slice(bytes);
        Ok(())
    }
}
