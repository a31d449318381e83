//! A folder tree as one zip archive, each file decrypted as it is written ("Download
//! as zip"): entries are *stored* (what people keep in a drive is mostly compressed
//! already, and storing keeps the pace of the download), zip64 where sizes or
//! offsets need it (rawzip decides), names from the keystores made safe
//! ([`super::names`]) under one top folder. A file that fails to decrypt stops the
//! archive with an error naming it: the caller discards what was written, so there
//! is never a silently short archive.

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

/// Total plaintext bytes of the files in `items` whose size is known.
pub fn plain_size(items: &[ZipItem]) -> u64 {
    items
        .iter()
        .map(|item| match item {
            ZipItem::File { size, .. } => size.unwrap_or(0),
            ZipItem::Folder { .. } => 0,
        })
        .sum()
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
    async fn drain<O: ZipOut>(&self, out: &mut O) -> Result<(), ZipError> {
        let bytes = std::mem::take(&mut *self.0.borrow_mut());
        if bytes.is_empty() {
            return Ok(());
        }
        out.push(&bytes).await.map_err(ZipError::Store)
    }
}

fn writing(e: impl std::fmt::Display) -> ZipError {
    ZipError::Write(e.to_string())
}

/// Writes `items` as a zip into `out`, decrypting each file with `C`; `progress`
/// gets the plaintext bytes written so far.
pub async fn write_zip<C: ChunkCipher, F: FileOpener, O: ZipOut>(
    items: &[ZipItem],
    opener: &F,
    out: &mut O,
    progress: &mut dyn FnMut(u64),
) -> Result<(), ZipError> {
    let pending = Pending::default();
    let mut archive = rawzip::ZipArchiveWriter::new(pending.clone());
    let mut done = 0u64;
    for item in items {
        match item {
            ZipItem::Folder { path } => archive.new_dir(path).create().map_err(writing)?,
            ZipItem::File { path, url, .. } => {
                let failed = |source| ZipError::File {
                    path: path.clone(),
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
                while let Some(piece) = source
                    .next()
                    .await
                    .map_err(|e| failed(DownloadError::Fetch(e)))?
                {
                    decryptor
                        .push(&piece, &mut plain)
                        .await
                        .map_err(|e| failed(e.into()))?;
                    writer.write_all(&plain).map_err(writing)?;
                    done += plain.len() as u64;
                    plain.clear();
                    pending.drain(out).await?;
                    progress(done);
                }
                decryptor
                    .finish(&mut plain)
                    .await
                    .map_err(|e| failed(e.into()))?;
                writer.write_all(&plain).map_err(writing)?;
                done += plain.len() as u64;
                let (_, output) = writer.finish().map_err(writing)?;
                entry.finish(output).map_err(writing)?;
            }
        }
        pending.drain(out).await?;
        progress(done);
    }
    archive.finish().map_err(writing)?;
    pending.drain(out).await
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
