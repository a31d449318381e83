//! Decrypted bytes streamed into a file. The bytes go to a temporary file beside
//! the target and get the real name only when the envelope has checked out to its
//! last chunk, so a damaged, cut-short or tampered file never leaves a plausible but
//! wrong copy under its real name; the temporary file is removed on failure.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::crypto::envelope::{ChunkCipher, Decryptor, Metadata};
use crate::drive::stream::{PlainSink, StreamError};
use crate::drive::DownloadError;

/// Suffix of the file being written (removed on success or failure).
const PARTIAL_SUFFIX: &str = ".solidcrypt-partial";

/// A new file written under a temporary name beside its target, which it gets only
/// by [`PartialFile::commit`]; dropped before that (an error, or the caller gave
/// up), the temporary file is removed. Nothing that exists is overwritten. (Also
/// the CLI's `encrypt`: whatever the tool writes appears whole or not at all.)
pub struct PartialFile {
    target: PathBuf,
    partial: PathBuf,
    file: Option<File>,
}

impl PartialFile {
    /// A file to become `target`, which must not exist yet.
    pub fn create(target: &Path) -> std::io::Result<Self> {
        let mut partial = target.as_os_str().to_owned();
        partial.push(PARTIAL_SUFFIX);
        let partial = PathBuf::from(partial);
        if target.exists() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!("{} already exists", target.display()),
            ));
        }
        let file = File::options()
            .write(true)
            .create_new(true)
            .open(&partial)?;
        Ok(Self {
            target: target.to_owned(),
            partial,
            file: Some(file),
        })
    }

    pub fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match &mut self.file {
            Some(file) => file.write_all(bytes),
            None => Err(std::io::Error::other("the file is already finished")),
        }
    }

    /// Flushes the file to disk and gives it its name.
    pub fn commit(mut self) -> std::io::Result<()> {
        let Some(file) = self.file.take() else {
            return Err(std::io::Error::other("the file is already finished"));
        };
        let done = file.sync_all().and_then(|()| {
            drop(file);
            std::fs::rename(&self.partial, &self.target)
        });
        if done.is_err() {
            let _ = std::fs::remove_file(&self.partial);
        }
        done
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.partial);
        }
    }
}

/// Writes the plaintext of one envelope to `target`, through a temporary file.
pub struct FileSink {
    file: Option<PartialFile>,
    /// Decrypted bytes not yet written (one chunk's worth at a time), wiped after use.
    buffer: Zeroizing<Vec<u8>>,
    written: u64,
}

impl FileSink {
    /// A sink for `target`, which must not exist yet (nothing is overwritten).
    pub fn create(target: &Path) -> std::io::Result<Self> {
        Ok(Self {
            file: Some(PartialFile::create(target)?),
            buffer: Zeroizing::new(Vec::new()),
            written: 0,
        })
    }

    /// Plaintext bytes written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    fn flush_buffer(&mut self) -> Result<(), DownloadError> {
        let store = |e: std::io::Error| DownloadError::Store(StreamError(e.to_string()));
        let file = self
            .file
            .as_mut()
            .ok_or_else(|| store(std::io::Error::other("the file is already finished")))?;
        file.write_all(&self.buffer).map_err(store)?;
        self.written += self.buffer.len() as u64;
        self.buffer.clear();
        Ok(())
    }
}

impl<C: ChunkCipher> PlainSink<C> for FileSink {
    async fn open(
        &mut self,
        decryptor: &mut Decryptor<C>,
        piece: &[u8],
    ) -> Result<(), DownloadError> {
        decryptor.push(piece, &mut self.buffer).await?;
        self.flush_buffer()
    }

    async fn finish(&mut self, decryptor: Decryptor<C>) -> Result<Option<Metadata>, DownloadError> {
        let metadata = decryptor.finish(&mut self.buffer).await?;
        self.flush_buffer()?;
        let store = |e: std::io::Error| DownloadError::Store(StreamError(e.to_string()));
        let file = self
            .file
            .take()
            .expect("flush_buffer checked the file is open");
        file.commit().map_err(store)?;
        Ok(metadata)
    }
}
