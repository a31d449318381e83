//! Resuming an upload in parts that stopped part-way (docs/FORMAT.md §1.8,
//! "Resuming an interrupted upload").
//!
//! Why: a closed tab or a lost connection stops an upload where no clean-up can
//! run, leaving the key in the keystores and an incomplete generation of parts.
//! Picking the same file again continues from the first part missing instead of
//! sending gigabytes again. The same file is recognised by an upload record,
//! encrypted under the file key in the parts container ([`write_record`]), and
//! the rest is encrypted under the payload key of the header already stored,
//! chunk by chunk from the same plaintext offsets, so it comes out exactly as
//! the first attempt would have sealed it and no nonce meets other plaintext.
//!
//! Nothing the pod lists is trusted for that: the listing and the parts' sizes
//! only decide where to start; the header must commit to the file key, and size
//! and digests come from the encrypted record.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use url::Url;

use super::order::instant;
use super::parts::{generations, new_generation, put_new, Generation, MAX_PARTS};
use super::stream::{ByteSource, CipherUpload};
use super::upload::{stream, NewFile, UploadError};
use crate::crypto::envelope::{
    key_matches, open, seal, ChunkCipher, Encryptor, Header, OpenError, SealOptions, HEADER_LEN,
    TAG_LEN,
};
use crate::crypto::{RandomError, SecretKey};
use crate::pod::container::ListError;
use crate::pod::error::{ReadError, WriteError};
use crate::pod::http::HttpClient;
use crate::pod::resource::Condition;
use crate::pod::Pod;

/// How much of each end of a file its fingerprint digests: 1 MiB.
pub const EDGE: u64 = 1024 * 1024;

/// The upload record's name in a parts container (not a part's name, so
/// readers ignore it).
pub const RECORD_NAME: &str = "upload.json.enc";

/// How long after the last write the pod lists in it an incomplete upload counts
/// as still going on (its uploader, maybe a collaborator or another tab, is
/// between two parts), so that nobody is offered to delete or resume it: every
/// part is sized to be stored within Community Solid Server's 6 s lock, so a
/// live upload writes far more often than this.
pub const QUIET_MS: i64 = 20_000;

/// A record larger than this is not decrypted (it is a few hundred bytes).
const RECORD_MAX: usize = 64 * 1024;

const RECORD_FORMAT: &str = "solidcrypt-upload";

/// What recognises a file picked again: its size, its last-modified time and the
/// SHA-256 of its first and last [`EDGE`] bytes (cheap to read from a 10 GiB file,
/// unlike a digest of all of it). The time is what tells a file edited in the
/// middle (a disk image, a database) from the one whose upload stopped: resuming
/// that would mix old and new content and could encrypt chunks that were in flight
/// at the cut again under their nonces with other plaintext.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    pub size: u64,
    /// Milliseconds since 1970 (the browser's `File.lastModified`); 0 if unknown.
    pub modified: u64,
    pub head: [u8; 32],
    pub tail: [u8; 32],
}

impl Fingerprint {
    /// The byte ranges of a file of `size` bytes to digest: the first and the
    /// last `min(EDGE, size)` bytes.
    pub fn edges(size: u64) -> (Range<u64>, Range<u64>) {
        let len = size.min(EDGE);
        (0..len, size - len..size)
    }

    /// The fingerprint of a file of `size` bytes last modified at `modified`
    /// whose [`Fingerprint::edges`] hold `head` and `tail`.
    pub fn new(size: u64, modified: u64, head: &[u8], tail: &[u8]) -> Self {
        Self {
            size,
            modified,
            head: Sha256::digest(head).into(),
            tail: Sha256::digest(tail).into(),
        }
    }

    /// The fingerprint of a whole file held in memory (modified at time 0).
    pub fn of(bytes: &[u8]) -> Self {
        let (head, tail) = Self::edges(bytes.len() as u64);
        let range = |r: Range<u64>| &bytes[r.start as usize..r.end as usize];
        Self::new(bytes.len() as u64, 0, range(head), range(tail))
    }
}

#[derive(Serialize, Deserialize)]
struct RecordJson {
    format: String,
    version: u32,
    size: u64,
    modified: u64,
    head: String,
    tail: String,
}

fn hex(bytes: &[u8; 32]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<[u8; 32]> {
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks(2).enumerate() {
        out[i] = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}

/// The record's JSON (docs/FORMAT.md §1.8).
pub fn record_json(fingerprint: &Fingerprint) -> Vec<u8> {
    serde_json::to_vec(&RecordJson {
        format: RECORD_FORMAT.to_owned(),
        version: 1,
        size: fingerprint.size,
        modified: fingerprint.modified,
        head: hex(&fingerprint.head),
        tail: hex(&fingerprint.tail),
    })
    .expect("plain JSON serializes")
}

/// Parses a record's JSON; `None` for anything but a version 1 record with
/// 64 lowercase hex digits in each digest.
pub fn parse_record(json: &[u8]) -> Option<Fingerprint> {
    let record: RecordJson = serde_json::from_slice(json).ok()?;
    if record.format != RECORD_FORMAT || record.version != 1 {
        return None;
    }
    Some(Fingerprint {
        size: record.size,
        modified: record.modified,
        head: unhex(&record.head)?,
        tail: unhex(&record.tail)?,
    })
}

fn record_url(container: &Url) -> Url {
    container
        .join(RECORD_NAME)
        .expect("a plain name joins a container URL")
}

fn record_options() -> SealOptions {
    SealOptions {
        chunk_size: 16 * 1024,
        ..SealOptions::default()
    }
}

/// Stores the record of a file about to be written in parts into `container`,
/// sealed under its key: after the key is in the keystores, before part 0.
pub async fn write_record<H: HttpClient>(
    pod: &Pod<'_, H>,
    container: &Url,
    key: &SecretKey,
    fingerprint: &Fingerprint,
) -> Result<(), UploadError> {
    let sealed = seal(key, &record_json(fingerprint), &record_options())?;
    Ok(put_new(pod, &record_url(container), sealed).await?)
}

/// The record in `container`, if there is one that opens with `key` (a missing,
/// oversized, foreign or malformed one is no record: the file is just not
/// resumable).
pub async fn read_record<H: HttpClient>(
    pod: &Pod<'_, H>,
    container: &Url,
    key: &SecretKey,
) -> Result<Option<Fingerprint>, ReadError> {
    let url = record_url(container);
    match pod.head(&url).await {
        Ok(meta)
            if meta
                .content_length
                .is_some_and(|len| len as usize > RECORD_MAX) =>
        {
            return Ok(None)
        }
        Ok(_) => {}
        Err(ReadError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    }
    let body = match pod.get(&url).await {
        Ok(resource) => resource.body,
        Err(ReadError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    if body.len() > RECORD_MAX {
        return Ok(None);
    }
    Ok(open(key, &body)
        .ok()
        .and_then(|opened| parse_record(&opened.plaintext)))
}

/// Looking at an upload, or resuming it, failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResumeError {
    #[error("cannot list the parts of the file: {0}")]
    List(#[from] ListError),
    #[error("cannot read a part of the file: {0}")]
    Read(#[from] ReadError),
    #[error(
        "this is not the file whose upload stopped (its name, size or content differs): upload it as a new file, or replace the incomplete one"
    )]
    NotTheSameFile,
    #[error("the file holds several copies; delete it and upload it again")]
    SeveralCopies,
    #[error("the pod lists more than {0} parts for the file")]
    TooManyParts(usize),
    #[error("the stored start of the file does not open with its key: {0}")]
    Header(#[from] OpenError),
    #[error("cannot delete a part that has to be written again: {0}")]
    Delete(WriteError),
    #[error("no randomness available: {0}")]
    Random(#[from] RandomError),
    #[error(transparent)]
    Upload(#[from] UploadError),
}

/// Where an incomplete upload continues: parts `0..next_part` are kept, the rest
/// is written from chunk `next_chunk`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Kept {
    header: [u8; HEADER_LEN],
    chunk_size: u32,
    next_part: u64,
    next_chunk: u64,
}

/// An incomplete upload found by [`inspect`]: what to delete and where to go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incomplete {
    container: Url,
    record: Fingerprint,
    generation: String,
    /// `None`: no usable part 0, the file is written again from the start.
    kept: Option<Kept>,
    /// Listed parts that are written again (deleted first).
    stale: Vec<Url>,
    /// The newest `dc:modified` the pod lists for the record and the parts, in
    /// milliseconds since 1970: what [`Incomplete::activity`] judges by.
    last_write: Option<i64>,
}

/// Whether an incomplete upload is still being written ([`Incomplete::activity`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    /// Something was written within [`QUIET_MS`]: someone is uploading it; ask
    /// again in `recheck_ms`.
    Writing { recheck_ms: u32 },
    /// Nothing written for longer (or the pod does not say): the upload stopped.
    Stopped,
}

impl Incomplete {
    /// Checks that the picked file (`picked_name`, `picked`) is the one whose
    /// upload stopped (`entry_name` is the keystore entry's name).
    pub fn check(
        &self,
        entry_name: &str,
        picked_name: &str,
        picked: &Fingerprint,
    ) -> Result<(), ResumeError> {
        if entry_name != picked_name || *picked != self.record {
            return Err(ResumeError::NotTheSameFile);
        }
        Ok(())
    }

    /// Whether the upload is still going on at `now_ms` (the browser's clock,
    /// milliseconds since 1970). The pod's listed times are its own clock: a time
    /// more than [`QUIET_MS`] ahead of ours is not believed (a pod's wrong clock
    /// or a hostile one must not hide Delete for good), so a clock skew beyond
    /// that only makes a live upload look stopped, as before this check.
    pub fn activity(&self, now_ms: i64) -> Activity {
        match self.last_write {
            Some(at) if at <= now_ms + QUIET_MS && now_ms - at < QUIET_MS => Activity::Writing {
                recheck_ms: (at + QUIET_MS - now_ms).clamp(1_000, QUIET_MS) as u32,
            },
            _ => Activity::Stopped,
        }
    }

    /// The generation the rest is written to.
    pub fn generation(&self) -> &str {
        &self.generation
    }

    /// The index of the first part written.
    pub fn next_part(&self) -> u64 {
        self.kept.as_ref().map_or(0, |k| k.next_part)
    }

    /// The plaintext offset the source must start at.
    pub fn from_byte(&self) -> u64 {
        self.kept
            .as_ref()
            .map_or(0, |k| k.next_chunk * u64::from(k.chunk_size))
    }
}

/// The envelope length of `size` plaintext bytes after `start` bytes of header
/// and metadata, in chunks of `chunk_size` (§1.5).
fn envelope_len(start: u64, size: u64, chunk_size: u32) -> u64 {
    let chunks = size.div_ceil(u64::from(chunk_size)).max(1);
    start + size + chunks * TAG_LEN as u64
}

/// Whether the parts container `url` (a file opened by `key`) holds an
/// incomplete upload that can be resumed: a record, and parts that do not make
/// the whole envelope. `None` for a complete file, or one without a record
/// (then it is simply damaged, or was written before records existed).
pub async fn inspect<H: HttpClient>(
    pod: &Pod<'_, H>,
    url: &Url,
    key: &SecretKey,
) -> Result<Option<Incomplete>, ResumeError> {
    if !url.path().ends_with('/') {
        return Ok(None);
    }
    let members = pod.list(url).await?;
    // A complete upload deletes its record: one listing tells most files apart.
    if !members
        .iter()
        .any(|m| m.name == RECORD_NAME && !m.is_container)
    {
        return Ok(None);
    }
    let last_write = members
        .iter()
        .filter_map(|m| m.modified.as_deref().and_then(instant))
        .max();
    let found = generations(&members);
    if found.len() > 1 {
        return Err(ResumeError::SeveralCopies);
    }
    let Some(record) = read_record(pod, url, key).await? else {
        return Ok(None);
    };
    let Some(generation) = found.into_iter().next() else {
        return Ok(Some(Incomplete {
            container: url.clone(),
            record,
            generation: new_generation()?,
            kept: None,
            stale: Vec::new(),
            last_write,
        }));
    };
    let start_over = |generation: &Generation| -> Result<_, ResumeError> {
        Ok(Incomplete {
            container: url.clone(),
            record,
            generation: new_generation()?,
            kept: None,
            stale: generation.urls(),
            last_write,
        })
    };
    if generation.parts.len() > MAX_PARTS {
        return Err(ResumeError::TooManyParts(MAX_PARTS));
    }
    let Some(first) = generation.parts.get(&0) else {
        return Ok(Some(start_over(&generation)?));
    };
    let first_len = pod.head(first).await?.content_length.unwrap_or(0);
    if first_len < HEADER_LEN as u64 {
        return Ok(Some(start_over(&generation)?));
    }
    let start = pod.get_start(first, HEADER_LEN as u64).await?.body;
    let header_bytes: [u8; HEADER_LEN] = start
        .get(..HEADER_LEN)
        .and_then(|b| b.try_into().ok())
        .ok_or(OpenError::Truncated)?;
    if !key_matches(key, &header_bytes)? {
        return Err(OpenError::KeyOrHeaderMismatch.into());
    }
    let header = Header::parse(&header_bytes).map_err(OpenError::from)?;
    let head_len = HEADER_LEN as u64 + u64::from(header.metadata_len);
    let segment = u64::from(header.chunk_size) + TAG_LEN as u64;
    let total = envelope_len(head_len, record.size, header.chunk_size);
    // The longest run of parts from 0 that ends on a chunk boundary within the
    // envelope: a part cut short by a dropped PUT almost never does. Sizes come
    // from the pod; they only decide where to start.
    let (mut end, mut kept_parts, mut kept_end) = (0u64, 0u64, None);
    for (expected, (index, url)) in (0u64..).zip(&generation.parts) {
        if *index != expected {
            break;
        }
        let len = if *index == 0 {
            first_len
        } else {
            match pod.head(url).await?.content_length {
                Some(len) => len,
                None => break,
            }
        };
        end = end.saturating_add(len);
        if end > total {
            break;
        }
        if end == total {
            // The whole envelope (the record's deletion failed, or the pod lists
            // parts beyond its end, which must go).
            if generation.parts.len() as u64 == index + 1 {
                return Ok(None);
            }
            let chunks = record.size.div_ceil(u64::from(header.chunk_size)).max(1);
            kept_parts = index + 1;
            kept_end = Some(head_len + chunks * segment);
            break;
        }
        if end >= head_len && (end - head_len).is_multiple_of(segment) {
            kept_parts = index + 1;
            kept_end = Some(end);
        }
    }
    let Some(kept_end) = kept_end else {
        return Ok(Some(start_over(&generation)?));
    };
    let stale = generation
        .parts
        .range(kept_parts..)
        .map(|(_, url)| url.clone())
        .collect();
    Ok(Some(Incomplete {
        container: url.clone(),
        record,
        generation: generation.id,
        kept: Some(Kept {
            header: header_bytes,
            chunk_size: header.chunk_size,
            next_part: kept_parts,
            next_chunk: (kept_end - head_len) / segment,
        }),
        stale,
        last_write,
    }))
}

/// Resumes `incomplete` (already [`Incomplete::check`]ed against the picked
/// file): deletes the parts to write again, then encrypts `source` (the picked
/// file from [`Incomplete::from_byte`]) into `target`, a parts writer that
/// continues [`Incomplete::generation`] at [`Incomplete::next_part`] without
/// writing the header again. `file` gives the metadata if the file is written
/// from the start; `progress` gets the plaintext bytes done, kept ones included.
///
/// A failure changes nothing that matters: the parts written stay, the key
/// stays, and the upload can be resumed again.
#[allow(clippy::too_many_arguments)]
pub async fn resume<H, C, S, U>(
    pod: &Pod<'_, H>,
    key: &SecretKey,
    incomplete: &Incomplete,
    file: &NewFile<'_>,
    source: &mut S,
    mut target: U,
    progress: &mut dyn FnMut(u64),
    cancelled: &dyn Fn() -> bool,
) -> Result<(), ResumeError>
where
    H: HttpClient,
    C: ChunkCipher,
    S: ByteSource,
    U: CipherUpload<C>,
{
    for url in &incomplete.stale {
        match pod.delete(url, &Condition::Always).await {
            Ok(()) | Err(WriteError::NotFound) => {}
            Err(e) => return Err(ResumeError::Delete(e)),
        }
    }
    let url = &incomplete.container;
    let Some(kept) = &incomplete.kept else {
        stream(key, url, file, source, &mut target, progress, cancelled).await?;
        target.put().await.map_err(UploadError::from)?;
        forget_record(pod, url).await;
        return Ok(());
    };
    let mut done = incomplete.from_byte();
    if done >= incomplete.record.size {
        // Every chunk is stored already; only the stale parts had to go.
        forget_record(pod, url).await;
        return Ok(());
    }
    let written = async {
        let mut encryptor = Encryptor::<C>::resume(key, &kept.header, kept.next_chunk).await?;
        target.header(url, &[]).await?;
        while let Some(piece) = source.next().await.map_err(UploadError::Read)? {
            if cancelled() {
                return Err(UploadError::Cancelled.into());
            }
            target.seal(&mut encryptor, &piece).await?;
            done += piece.len() as u64;
            progress(done);
        }
        target.finish(encryptor).await?;
        Ok::<(), ResumeError>(())
    }
    .await;
    match written {
        Ok(()) => target.put().await.map_err(UploadError::from)?,
        Err(e) => {
            target.discard().await;
            return Err(e);
        }
    }
    forget_record(pod, url).await;
    Ok(())
}

/// Deletes the record of a file whose parts are all stored, so that listing it
/// takes one request. Best effort: a record left behind only makes
/// [`inspect`] check the parts' sizes.
pub async fn forget_record<H: HttpClient>(pod: &Pod<'_, H>, container: &Url) {
    let _ = pod.delete(&record_url(container), &Condition::Always).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written_at(last_write: Option<i64>) -> Incomplete {
        Incomplete {
            container: Url::parse("http://pod.example/f/").unwrap(),
            record: Fingerprint::new(1, 0, b"a", b"a"),
            generation: "g".into(),
            kept: None,
            stale: Vec::new(),
            last_write,
        }
    }

    #[test]
    fn an_upload_written_to_lately_is_still_going_on() {
        let now = 1_800_000_000_000;
        let writing = |at| written_at(Some(at)).activity(now);
        assert_eq!(
            writing(now - 5_000),
            Activity::Writing { recheck_ms: 15_000 }
        );
        assert_eq!(
            writing(now - 19_500),
            Activity::Writing { recheck_ms: 1_000 }
        );
        // The pod's clock a little ahead of ours: still writing, asked again later.
        assert_eq!(
            writing(now + 3_000),
            Activity::Writing { recheck_ms: 20_000 }
        );
        assert_eq!(writing(now - QUIET_MS), Activity::Stopped);
        assert_eq!(writing(now - 3_600_000), Activity::Stopped);
        // Far in the future (a wrong or hostile clock) or not said: stopped.
        assert_eq!(writing(now + QUIET_MS + 1), Activity::Stopped);
        assert_eq!(written_at(None).activity(now), Activity::Stopped);
    }

    #[test]
    fn fingerprints_digest_both_ends_and_records_parse_strictly() {
        assert_eq!(Fingerprint::edges(10), (0..10, 0..10));
        assert_eq!(Fingerprint::edges(3 * EDGE), (0..EDGE, 2 * EDGE..3 * EDGE));
        let bytes: Vec<u8> = (0..3 * EDGE).map(|i| (i % 251) as u8).collect();
        let print = Fingerprint::of(&bytes);
        let mut changed = bytes.clone();
        changed[(3 * EDGE - 1) as usize] ^= 1;
        assert_ne!(Fingerprint::of(&changed), print);
        assert_eq!(parse_record(&record_json(&print)), Some(print));
        for bad in [
            r#"{"format":"solidcrypt-upload","version":2,"size":1,"modified":0,"head":"00","tail":"00"}"#,
            r#"{"format":"solidcrypt-keystore","version":1,"size":1,"modified":0,"head":"00","tail":"00"}"#,
        ] {
            assert_eq!(parse_record(bad.as_bytes()), None);
        }
        // Without its last-modified time a record recognises nothing.
        let timeless = String::from_utf8(record_json(&print))
            .unwrap()
            .replace(r#""modified":0,"#, "");
        assert!(!timeless.contains("modified"));
        assert_eq!(parse_record(timeless.as_bytes()), None);
        let edited = Fingerprint {
            modified: 1_764_806_400_000,
            ..print
        };
        assert_ne!(edited, print, "the same bytes modified at another time");
        assert_eq!(parse_record(&record_json(&edited)), Some(edited));
        assert_eq!(parse_record(b""), None);
        let upper = String::from_utf8(record_json(&print))
            .unwrap()
            .replace(&hex(&print.head), &hex(&print.head).to_uppercase());
        assert_eq!(parse_record(upper.as_bytes()), None, "lowercase hex only");
    }

    #[test]
    fn envelope_lengths_count_one_tag_per_chunk_and_an_empty_chunk() {
        assert_eq!(envelope_len(78, 0, 64), 78 + 16);
        assert_eq!(envelope_len(78, 64, 64), 78 + 64 + 16);
        assert_eq!(envelope_len(78, 65, 64), 78 + 65 + 32);
    }
}
