//! Envelopes as files on disk (`solidcrypt decrypt`/`inspect`): one file, or a parts
//! folder copied from a pod (FORMAT §1.8: members `<gen>-<i>`, other names
//! ignored), read in order as one stream of pieces, as the app reads them from the pod.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use url::Url;

use crate::crypto::envelope::{OpenError, HEADER_LEN};
use crate::crypto::SecretKey;
use crate::drive::parts::{chosen_urls, generations, starts_needed, PartsError};
use crate::drive::stream::{ByteSource, StreamError};
use crate::pod::container::Entry;

/// Bytes read from disk at a time.
const PIECE: usize = 1024 * 1024;

/// Why the files of an envelope could not be found.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LocalFilesError {
    #[error("cannot read {0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error(transparent)]
    Parts(#[from] PartsError),
    #[error(transparent)]
    Open(#[from] OpenError),
}

/// The files that make up the envelope at `path`: the file itself, or the parts of
/// a parts folder in index order (with several generations, the one `key` opens;
/// without a key, the only one).
pub fn envelope_files(
    path: &Path,
    key: Option<&SecretKey>,
) -> Result<Vec<PathBuf>, LocalFilesError> {
    let io = |e| LocalFilesError::Io(path.to_owned(), e);
    if !path.is_dir() {
        File::open(path).map_err(io)?;
        return Ok(vec![path.to_owned()]);
    }
    let folder = std::fs::canonicalize(path).map_err(io)?;
    let base = Url::from_directory_path(&folder)
        .map_err(|()| io(std::io::Error::other("not an absolute path")))?;
    let mut members = Vec::new();
    for entry in std::fs::read_dir(&folder).map_err(io)? {
        let entry = entry.map_err(io)?;
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        // A copy from Community Solid Server's disk keeps its media type suffix.
        let name = name
            .split_once("$.")
            .map_or(name.clone(), |(n, _)| n.to_owned());
        if let Ok(url) = base.join(&name) {
            members.push(Entry {
                url,
                name,
                is_container: false,
                modified: None,
            });
        }
    }
    let found = generations(&members);
    let mut starts = Vec::new();
    for first in starts_needed(&found)? {
        starts.push((first, read_start(&on_disk(&folder, first)?, HEADER_LEN)?));
    }
    chosen_urls(&found, key, &starts)
        .map_err(|e| match e {
            // A key that opens no copy is a wrong key, as for a single file.
            PartsError::Corrupt(e) => LocalFilesError::Open(e),
            e => e.into(),
        })?
        .iter()
        .map(|url| on_disk(&folder, url))
        .collect()
}

/// The file in `folder` a part's URL names (with its `$.` suffix, if it has one).
fn on_disk(folder: &Path, url: &Url) -> Result<PathBuf, LocalFilesError> {
    let name = url
        .path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap_or_default();
    let plain = folder.join(name);
    if plain.is_file() {
        return Ok(plain);
    }
    let prefix = format!("{name}$.");
    std::fs::read_dir(folder)
        .map_err(|e| LocalFilesError::Io(folder.to_owned(), e))?
        .filter_map(|e| e.ok())
        .find(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(&prefix))
        })
        .map(|e| e.path())
        .ok_or(LocalFilesError::Parts(PartsError::PartMissing))
}

/// The first `len` bytes of `path` (fewer if it is shorter).
pub fn read_start(path: &Path, len: usize) -> Result<Vec<u8>, LocalFilesError> {
    let io = |e| LocalFilesError::Io(path.to_owned(), e);
    let mut start = Vec::with_capacity(len);
    File::open(path)
        .map_err(io)?
        .take(len as u64)
        .read_to_end(&mut start)
        .map_err(io)?;
    Ok(start)
}

/// Reads `files` one after another as one stream, a MiB at a time.
pub struct FilesSource {
    files: std::vec::IntoIter<PathBuf>,
    current: Option<File>,
}

impl FilesSource {
    pub fn new(files: Vec<PathBuf>) -> Self {
        Self {
            files: files.into_iter(),
            current: None,
        }
    }
}

impl ByteSource for FilesSource {
    async fn next(&mut self) -> Result<Option<Vec<u8>>, StreamError> {
        loop {
            if self.current.is_none() {
                let Some(path) = self.files.next() else {
                    return Ok(None);
                };
                let file = File::open(&path)
                    .map_err(|e| StreamError(format!("cannot read {}: {e}", path.display())))?;
                self.current = Some(file);
            }
            let file = self.current.as_mut().expect("opened above");
            let mut piece = Vec::with_capacity(PIECE);
            file.take(PIECE as u64)
                .read_to_end(&mut piece)
                .map_err(|e| StreamError(e.to_string()))?;
            if piece.is_empty() {
                self.current = None;
                continue;
            }
            return Ok(Some(piece));
        }
    }
}
