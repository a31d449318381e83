//! Files stored in parts (docs/FORMAT.md §1.8): a big file's envelope cut into
//! consecutive byte ranges, each its own resource `<gen>-<i>` in a container that
//! stands for the file.
//!
//! Why: CSS 7.2 fails any PUT whose body takes more than about 6 s to arrive
//! (its write lock expires, CommunitySolidServer#2080), which over a home
//! connection is anything above a few MB. Parts keep every PUT short. The
//! envelope already authenticates order and end, so the parts need no framing of
//! their own: a missing, swapped or extra part fails decryption.
//!
//! Here: part names, choosing the parts to read ([`part_urls`]), a source that
//! streams them in order ([`PartsSource`]), the writer's policy ([`PartPolicy`]),
//! PUTs that survive a lost answer ([`put_new`], [`landed`]), native parts
//! writers ([`PartWriter`], [`PodPartsUpload`]) and removal of older generations
//! ([`delete_other_generations`]).

use std::collections::{BTreeMap, VecDeque};

use url::Url;

use super::memory::VecSource;
use super::stream::{ByteSource, CipherUpload, StreamError};
use super::upload::UploadError;
use crate::crypto::envelope::{
    join_all, key_matches, ChunkCipher, Encryptor, Header, OpenError, HEADER_LEN, TAG_LEN,
};
use crate::crypto::{RandomError, SecretKey};
use crate::keystore::store::ENCRYPTED_TYPE;
use crate::pod::container::{Entry, ListError};
use crate::pod::error::{ReadError, WriteError};
use crate::pod::http::HttpClient;
use crate::pod::resource::Condition;
use crate::pod::Pod;

/// Hex digits of a generation id (64 random bits).
const GEN_LEN: usize = 16;

/// The most parts one file is read from: 65 536, at least 64 GiB at the smallest
/// part size ([`PartPolicy::APP`]). A listing naming more is refused rather than
/// fetched part by part.
pub const MAX_PARTS: usize = 1 << 16;

/// Reading the parts of a file failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PartsError {
    #[error("cannot list the parts of the file: {0}")]
    List(#[from] ListError),
    #[error("cannot read a part of the file: {0}")]
    Read(#[from] ReadError),
    #[error("the file is damaged: a part is missing")]
    PartMissing,
    #[error(
        "the file holds several copies written with this key; it cannot tell which is current"
    )]
    SeveralCopies,
    #[error("the file is damaged: the pod lists more than {0} parts for it")]
    TooManyParts(usize),
    /// No copy opens with the key (wrong key, or not an envelope).
    #[error(transparent)]
    Corrupt(#[from] OpenError),
}

/// A part's name: `<gen>-<i>` (16 lowercase hex, `-`, the index in decimal
/// without leading zeros).
pub fn part_name(generation: &str, index: u64) -> String {
    format!("{generation}-{index}")
}

/// The generation and index a member name stands for, or `None` if it is not a
/// part's name (such members are ignored).
pub fn parse_part_name(name: &str) -> Option<(&str, u64)> {
    let (generation, index) = name.split_once('-')?;
    let hex = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
    if generation.len() != GEN_LEN || !generation.bytes().all(hex) {
        return None;
    }
    if index.is_empty()
        || !index.bytes().all(|b| b.is_ascii_digit())
        || (index.len() > 1 && index.starts_with('0'))
    {
        return None;
    }
    Some((generation, index.parse().ok()?))
}

/// A fresh generation id: every complete write of a file gets its own.
pub fn new_generation() -> Result<String, RandomError> {
    let random = SecretKey::generate()?;
    Ok(random.expose_bytes()[..GEN_LEN / 2]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// One generation's parts found in a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generation {
    pub id: String,
    /// The parts found, by index; complete when the indices are exactly 0..n-1.
    pub parts: BTreeMap<u64, Url>,
}

impl Generation {
    /// Whether no index is missing (an interrupted write may also lack its last
    /// parts, which only decryption notices: the envelope then ends early).
    pub fn is_complete(&self) -> bool {
        !self.parts.is_empty() && self.parts.keys().copied().eq(0..self.parts.len() as u64)
    }

    /// The part URLs in order.
    pub fn urls(&self) -> Vec<Url> {
        self.parts.values().cloned().collect()
    }
}

/// Groups a container's members into generations by name, ignoring members
/// that are not parts. Sorted by generation id.
pub fn generations(members: &[Entry]) -> Vec<Generation> {
    let mut groups: BTreeMap<String, BTreeMap<u64, Url>> = BTreeMap::new();
    for member in members.iter().filter(|m| !m.is_container) {
        if let Some((generation, index)) = parse_part_name(&member.name) {
            groups
                .entry(generation.to_owned())
                .or_default()
                .insert(index, member.url.clone());
        }
    }
    groups
        .into_iter()
        .map(|(id, parts)| Generation { id, parts })
        .collect()
}

/// The resources holding the envelope of the file at `file_url`, in order.
///
/// A file stored as one resource (URL without a trailing `/`) is just itself, with
/// no request. A parts container is listed: one generation is read as it is;
/// with several (a rewrite or rotation in progress, or interrupted), the one
/// whose part 0 commits to `key` is chosen, so the key in the keystore always
/// picks the copy it opens.
pub async fn part_urls<H: HttpClient>(
    pod: &Pod<'_, H>,
    file_url: &Url,
    key: &SecretKey,
) -> Result<Vec<Url>, PartsError> {
    if !file_url.path().ends_with('/') {
        return Ok(vec![file_url.clone()]);
    }
    let found = generations(&pod.list(file_url).await?);
    let mut starts = Vec::new();
    for first in starts_needed(&found)? {
        starts.push((first, pod.get_start(first, HEADER_LEN as u64).await?.body));
    }
    chosen_urls(&found, Some(key), &starts)
}

/// The part 0s whose first [`HEADER_LEN`] bytes [`chosen_urls`] needs to choose
/// among `found`: none for a single generation. (The choice itself does no I/O, so
/// the pod and a copy on disk make it alike.)
pub fn starts_needed(found: &[Generation]) -> Result<Vec<&Url>, PartsError> {
    match found {
        [] => Err(PartsError::PartMissing),
        [_] => Ok(Vec::new()),
        several => Ok(several.iter().filter_map(|g| g.parts.get(&0)).collect()),
    }
}

/// The part URLs of the generation that holds the file: the only one, or among
/// several the one whose part 0 (its start in `starts`) commits to `key`. It must
/// be complete and within [`MAX_PARTS`].
pub fn chosen_urls(
    found: &[Generation],
    key: Option<&SecretKey>,
    starts: &[(&Url, Vec<u8>)],
) -> Result<Vec<Url>, PartsError> {
    let chosen = match (found, key) {
        ([], _) => return Err(PartsError::PartMissing),
        ([only], _) => only,
        (_, None) => return Err(PartsError::SeveralCopies),
        (several, Some(key)) => {
            let opens = |generation: &Generation| {
                let first = generation.parts.get(&0);
                // Part 0 that is not an envelope (junk, a stray write) is no match.
                starts.iter().any(|(url, start)| {
                    Some(*url) == first && key_matches(key, start).unwrap_or(false)
                })
            };
            let mut matching = several.iter().filter(|g| opens(g));
            match (matching.next(), matching.next()) {
                (None, _) => return Err(OpenError::KeyOrHeaderMismatch.into()),
                (Some(one), None) => one,
                (Some(_), Some(_)) => return Err(PartsError::SeveralCopies),
            }
        }
    };
    if chosen.parts.len() > MAX_PARTS {
        return Err(PartsError::TooManyParts(MAX_PARTS));
    }
    if !chosen.is_complete() {
        return Err(PartsError::PartMissing);
    }
    Ok(chosen.urls())
}

/// Parts opened ahead of the one being read: a browser downloads them while the
/// current one is decrypted, so each part's round trip and transfer overlap the
/// work on the one before (issue 14).
pub const PARTS_AHEAD: usize = 2;

/// Opens one part for reading: natively a GET through the pod client (on first
/// read), in the browser a fetch that starts at once and reads ahead (bounded).
pub trait PartOpener {
    type Source: ByteSource;
    /// Starts reading the part at `url`; a request's failure shows on the
    /// source's first read.
    fn open(&self, url: &Url) -> Result<Self::Source, ReadError>;
}

/// Reads the parts of a file in order as one envelope stream, with up to
/// [`PARTS_AHEAD`] parts opened beyond the current one.
pub struct PartsSource<O: PartOpener> {
    opener: O,
    urls: std::vec::IntoIter<Url>,
    open: VecDeque<O::Source>,
}

impl<O: PartOpener> PartsSource<O> {
    /// Reads `urls` (from [`part_urls`]) in order.
    pub fn new(opener: O, urls: Vec<Url>) -> Self {
        Self {
            opener,
            urls: urls.into_iter(),
            open: VecDeque::new(),
        }
    }

    /// Opens parts until [`PARTS_AHEAD`] wait behind the current one.
    fn open_ahead(&mut self) -> Result<(), StreamError> {
        while self.open.len() <= PARTS_AHEAD {
            let Some(url) = self.urls.next() else {
                break;
            };
            let opened = self
                .opener
                .open(&url)
                .map_err(|e| StreamError(e.to_string()))?;
            self.open.push_back(opened);
        }
        Ok(())
    }
}

impl<O: PartOpener> ByteSource for PartsSource<O> {
    async fn next(&mut self) -> Result<Option<Vec<u8>>, StreamError> {
        loop {
            self.open_ahead()?;
            let Some(current) = self.open.front_mut() else {
                return Ok(None);
            };
            match current.next().await? {
                Some(piece) => return Ok(Some(piece)),
                None => drop(self.open.pop_front()),
            }
        }
    }
}

/// Natively a part is fetched whole on its first read (parts are at most a few
/// tens of MiB) and handed out in pieces.
pub struct PodPart<'p, 'a, H: HttpClient> {
    pod: &'p Pod<'a, H>,
    url: Url,
    body: Option<VecSource>,
}

impl<H: HttpClient> ByteSource for PodPart<'_, '_, H> {
    async fn next(&mut self) -> Result<Option<Vec<u8>>, StreamError> {
        if self.body.is_none() {
            let body = self
                .pod
                .get(&self.url)
                .await
                .map_err(|e| StreamError(e.to_string()))?
                .body;
            self.body = Some(VecSource::new(body, 256 * 1024));
        }
        self.body.as_mut().expect("fetched above").next().await
    }
}

impl<'p, 'a, H: HttpClient> PartOpener for &'p Pod<'a, H> {
    type Source = PodPart<'p, 'a, H>;

    fn open(&self, url: &Url) -> Result<Self::Source, ReadError> {
        Ok(PodPart {
            pod: *self,
            url: url.clone(),
            body: None,
        })
    }
}

/// How a writer lays out a file: one resource up to a size, else parts sized so
/// each PUT takes about [`PartPolicy::seconds_per_part`] (well under CSS's 6 s)
/// while up to [`PartPolicy::in_flight`] of them share the link. A policy, not
/// the format: readers accept any cut.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PartPolicy {
    /// Envelopes up to this many bytes are stored as one resource.
    pub single_up_to: u64,
    /// Size of the first part, before any PUT has been timed.
    pub first_part: usize,
    /// Bounds for the parts after the first.
    pub min_part: usize,
    pub max_part: usize,
    /// How long one part's PUT should take.
    pub seconds_per_part: f64,
    /// Part PUTs under way at once (CSS locks each resource, not the
    /// container, so parts go up side by side): the pod works on one while the
    /// next is encrypted and a third is on the wire. Memory is bounded by
    /// `(in_flight + 1) × max_part`.
    pub in_flight: usize,
}

impl PartPolicy {
    /// What the app uses: 4 MiB in one resource, then parts of 1 to 16 MiB at
    /// about 2 s each, three PUTs in flight: at most 64 MiB of ciphertext held,
    /// as with one PUT of at most 32 MiB before.
    pub const APP: PartPolicy = PartPolicy {
        single_up_to: 4 * 1024 * 1024,
        first_part: 4 * 1024 * 1024,
        min_part: 1024 * 1024,
        max_part: 16 * 1024 * 1024,
        seconds_per_part: 2.0,
        in_flight: 3,
    };

    /// Whether an envelope of `envelope_len` bytes is stored in parts.
    pub fn in_parts(&self, envelope_len: u64) -> bool {
        envelope_len > self.single_up_to
    }

    /// The size of the next part, given that an earlier one (`bytes`) took
    /// `seconds` to PUT while `sharing` PUTs (itself included) were under way
    /// when it started. The link's speed is taken as `sharing` times that PUT's,
    /// and the next part gets `1 / in_flight` of it, so it takes about
    /// `seconds_per_part` alongside a full pipeline.
    pub fn next_part(&self, bytes: usize, seconds: f64, sharing: usize) -> usize {
        if seconds <= 0.0 || !seconds.is_finite() {
            return self.max_part;
        }
        let link = bytes as f64 / seconds * sharing.max(1) as f64;
        let share = link / self.in_flight.max(1) as f64;
        ((share * self.seconds_per_part) as usize).clamp(self.min_part, self.max_part)
    }
}

/// An upper bound of the envelope length for `size` plaintext bytes in chunks
/// of `chunk_size`, with room for the header and a metadata block: what the
/// writer compares with [`PartPolicy::single_up_to`].
pub fn envelope_len_bound(size: u64, chunk_size: u32) -> u64 {
    let chunks = size / u64::from(chunk_size) + 1;
    size + chunks * 16 + HEADER_LEN as u64 + 4096
}

/// Whether the pod holds a resource at `url` of exactly `len` bytes: after a PUT
/// whose answer was lost, this tells whether it arrived (so a retry does not
/// store a second copy, and a stored file's key is not dropped).
pub async fn landed<H: HttpClient>(pod: &Pod<'_, H>, url: &Url, len: u64) -> bool {
    matches!(pod.head(url).await, Ok(meta) if meta.content_length == Some(len))
}

/// PUTs a new resource (`If-None-Match: *`, never overwriting). If the answer is
/// lost but the bytes arrived (see [`landed`]), that is a success.
pub async fn put_new<H: HttpClient>(
    pod: &Pod<'_, H>,
    url: &Url,
    body: Vec<u8>,
) -> Result<(), WriteError> {
    let len = body.len() as u64;
    match pod
        .put(url, ENCRYPTED_TYPE, body, &Condition::IfAbsent)
        .await
    {
        Err(WriteError::Transport(e)) => {
            if landed(pod, url, len).await {
                Ok(())
            } else {
                Err(WriteError::Transport(e))
            }
        }
        other => other,
    }
}

/// Deletes every part in `container` that is not of generation `keep`: what a
/// rewrite does once its new generation is complete.
pub async fn delete_other_generations<H: HttpClient>(
    pod: &Pod<'_, H>,
    container: &Url,
    keep: &str,
) -> Result<(), PartsDeleteError> {
    for generation in generations(&pod.list(container).await?) {
        if generation.id == keep {
            continue;
        }
        for url in generation.parts.values() {
            match pod.delete(url, &Condition::Always).await {
                Ok(()) | Err(WriteError::NotFound) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(())
}

/// Deleting an older generation failed; the new one is complete and is read
/// (it matches the key), the old parts only take space.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PartsDeleteError {
    #[error("cannot list the parts of the file: {0}")]
    List(#[from] ListError),
    #[error("cannot delete an old part: {0}")]
    Write(#[from] WriteError),
}

/// Sends one generation of a file's parts through the pod client, numbered in
/// order, up to [`PartWriter::in_flight`] at once: the native upload
/// ([`PodPartsUpload`]) and key rotation write parts with it.
pub struct PartWriter<'p, 'a, H: HttpClient> {
    pod: &'p Pod<'a, H>,
    container: Url,
    generation: String,
    /// Bytes per part (the last may be shorter); at least 1.
    pub part: usize,
    /// Bytes of part 0 when it differs from [`PartWriter::part`] (it also holds
    /// the header, [`PartWriter::first_part`]).
    first: Option<usize>,
    /// Parts PUT side by side (1 unless set by [`PartWriter::in_flight`]).
    in_flight: usize,
    /// The index of the first part this writer sends (0 unless resuming).
    first_index: u64,
    written: Vec<Url>,
}

impl<'p, 'a, H: HttpClient> PartWriter<'p, 'a, H> {
    /// Writes generation `generation` of the file `container` in parts of `part`
    /// bytes, one PUT at a time.
    pub fn new(pod: &'p Pod<'a, H>, container: Url, generation: String, part: usize) -> Self {
        Self {
            pod,
            container,
            generation,
            part: part.max(1),
            first: None,
            in_flight: 1,
            first_index: 0,
            written: Vec::new(),
        }
    }

    /// Makes part 0 `bytes` long (at least 1).
    pub fn first_part(self, bytes: usize) -> Self {
        Self {
            first: Some(bytes.max(1)),
            ..self
        }
    }

    /// Numbers the parts from `index` on: a resumed upload (`resume`) continues
    /// a generation whose parts `0..index` are stored.
    pub fn starting_at(self, index: u64) -> Self {
        Self {
            first_index: index,
            ..self
        }
    }

    /// The size of the part with `index`.
    fn size_of(&self, index: u64) -> usize {
        match self.first {
            Some(first) if index == 0 => first,
            _ => self.part,
        }
    }

    /// Sends up to `count` (at least 1) parts at once when the buffer holds them.
    pub fn in_flight(self, count: usize) -> Self {
        Self {
            in_flight: count.max(1),
            ..self
        }
    }

    /// The generation written.
    pub fn generation(&self) -> &str {
        &self.generation
    }

    /// The parts PUT so far, in order (to delete if the write is abandoned).
    pub fn written(&self) -> &[Url] {
        &self.written
    }

    /// PUTs full parts from the front of `buffer`, up to `in_flight` side by
    /// side; with `all`, also the rest as the last part. When one fails, the
    /// others under way still end first (so none lands after the caller deletes
    /// the parts), and the first failure is returned.
    pub async fn send(&mut self, buffer: &mut Vec<u8>, all: bool) -> Result<(), WriteError> {
        let more =
            |buffer: &Vec<u8>, size: usize| buffer.len() >= size || (all && !buffer.is_empty());
        loop {
            let next = |batch: usize| self.first_index + (self.written.len() + batch) as u64;
            if !more(buffer, self.size_of(next(0))) {
                break;
            }
            let mut batch = Vec::new();
            while batch.len() < self.in_flight && more(buffer, self.size_of(next(batch.len()))) {
                let index = next(batch.len());
                let body: Vec<u8> = buffer
                    .drain(..self.size_of(index).min(buffer.len()))
                    .collect();
                let url = self
                    .container
                    .join(&part_name(&self.generation, index))
                    .expect("a part name joins a container URL");
                batch.push((url, body));
            }
            let pod = self.pod;
            let (urls, bodies): (Vec<Url>, Vec<Vec<u8>>) = batch.into_iter().unzip();
            let puts = urls
                .iter()
                .zip(bodies)
                .map(|(url, body)| put_new(pod, url, body))
                .collect();
            let results = join_all(puts).await;
            let mut failed = None;
            for (url, result) in urls.into_iter().zip(results) {
                match result {
                    Ok(()) => self.written.push(url),
                    Err(e) => {
                        failed.get_or_insert(e);
                    }
                }
            }
            if let Some(e) = failed {
                return Err(e);
            }
        }
        Ok(())
    }
}

/// A native parts writer: ciphertext collects in memory and every `part` bytes
/// are PUT as the next part, through the pod client. Cuts fall anywhere (not at
/// chunk boundaries), which the format allows; the tests use tiny parts.
pub struct PodPartsUpload<'p, 'a, H: HttpClient> {
    pod: &'p Pod<'a, H>,
    part: usize,
    in_flight: usize,
    /// Parts of this many whole chunks, if set ([`PodPartsUpload::whole_chunks`]).
    chunks: Option<usize>,
    /// The index of the first part sent ([`PodPartsUpload::resuming`]).
    first_index: u64,
    generation: String,
    /// Once the header names the file.
    writer: Option<PartWriter<'p, 'a, H>>,
    buffer: Vec<u8>,
}

impl<'p, 'a, H: HttpClient> PodPartsUpload<'p, 'a, H> {
    /// A writer of parts of `part` bytes (at least 1) through `pod`, one PUT at
    /// a time.
    pub fn new(pod: &'p Pod<'a, H>, part: usize) -> Result<Self, RandomError> {
        Ok(Self {
            pod,
            part,
            in_flight: 1,
            chunks: None,
            first_index: 0,
            generation: new_generation()?,
            writer: None,
            buffer: Vec::new(),
        })
    }

    /// Sends up to `count` parts side by side, as the app does
    /// ([`PartPolicy::in_flight`]).
    pub fn in_flight(self, count: usize) -> Self {
        Self {
            in_flight: count,
            ..self
        }
    }

    /// Cuts parts of `count` whole chunks each (part 0 also holding the header),
    /// as the browser does, so that a resumed upload keeps them
    /// (`resume::inspect`).
    pub fn whole_chunks(self, count: usize) -> Self {
        Self {
            chunks: Some(count.max(1)),
            ..self
        }
    }

    /// Continues generation `generation` at part `index` (`resume::resume`),
    /// in parts of `part` bytes.
    pub fn resuming(pod: &'p Pod<'a, H>, part: usize, generation: &str, index: u64) -> Self {
        Self {
            pod,
            part,
            in_flight: 1,
            chunks: None,
            first_index: index,
            generation: generation.to_owned(),
            writer: None,
            buffer: Vec::new(),
        }
    }

    /// PUTs full parts; with `all`, also the rest as the last part.
    async fn send(&mut self, all: bool) -> Result<(), WriteError> {
        self.writer
            .as_mut()
            .expect("header() names the container first")
            .send(&mut self.buffer, all)
            .await
    }
}

impl<C: ChunkCipher, H: HttpClient> CipherUpload<C> for PodPartsUpload<'_, '_, H> {
    fn in_parts(&self) -> bool {
        true
    }

    async fn header(&mut self, url: &Url, bytes: &[u8]) -> Result<(), UploadError> {
        let generation = std::mem::take(&mut self.generation);
        let mut writer = PartWriter::new(self.pod, url.clone(), generation, self.part)
            .in_flight(self.in_flight)
            .starting_at(self.first_index);
        if let (Some(count), Ok(header)) = (self.chunks, Header::parse(bytes)) {
            let part = count * (header.chunk_size as usize + TAG_LEN);
            writer.part = part;
            writer = writer.first_part(bytes.len() + part);
        }
        self.writer = Some(writer);
        self.buffer.extend_from_slice(bytes);
        Ok(self.send(false).await?)
    }

    async fn seal(
        &mut self,
        encryptor: &mut Encryptor<C>,
        piece: &[u8],
    ) -> Result<(), UploadError> {
        encryptor.push(piece, &mut self.buffer).await?;
        Ok(self.send(false).await?)
    }

    async fn finish(&mut self, encryptor: Encryptor<C>) -> Result<(), UploadError> {
        Ok(encryptor.finish(&mut self.buffer).await?)
    }

    async fn put(mut self) -> Result<(), WriteError> {
        self.send(true).await
    }

    async fn discard(self) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(container: &str, name: &str) -> Entry {
        Entry {
            url: Url::parse(container).unwrap().join(name).unwrap(),
            name: name.trim_end_matches('/').to_owned(),
            is_container: name.ends_with('/'),
            modified: None,
        }
    }

    #[test]
    fn part_names_parse_strictly() {
        let generation = "0123456789abcdef";
        assert_eq!(
            parse_part_name(&part_name(generation, 0)),
            Some((generation, 0))
        );
        assert_eq!(
            parse_part_name("0123456789abcdef-17"),
            Some(("0123456789abcdef", 17))
        );
        for bad in [
            "0123456789abcdef-01",
            "0123456789abcdef-",
            "0123456789ABCDEF-0",
            "0123456789abcde-0",
            "0123456789abcdef0-0",
            "0123456789abcdef-1x",
            "0123456789abcdef-+1",
            "0123456789abcdef--1",
            "0123456789abcdef",
            "notes.txt",
            "0123456789abcdef-99999999999999999999999",
        ] {
            assert_eq!(parse_part_name(bad), None, "{bad}");
        }
        let fresh = new_generation().unwrap();
        assert_eq!(
            parse_part_name(&part_name(&fresh, 3)),
            Some((fresh.as_str(), 3))
        );
        assert_ne!(fresh, new_generation().unwrap());
    }

    #[test]
    fn members_group_by_generation_and_gaps_are_incomplete() {
        let c = "http://localhost:3000/alice/files/0123456789abcdef0123456789abcdef/";
        let a = "aaaaaaaaaaaaaaaa";
        let b = "bbbbbbbbbbbbbbbb";
        let members: Vec<Entry> = [
            format!("{a}-1"),
            format!("{a}-0"),
            format!("{a}-2"),
            format!("{b}-0"),
            format!("{b}-2"),
            "readme.txt".to_owned(),
            format!("{b}-1/"),
        ]
        .iter()
        .map(|n| entry(c, n))
        .collect();
        let found = generations(&members);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].id, a);
        assert!(found[0].is_complete());
        let names: Vec<String> = found[0]
            .urls()
            .iter()
            .map(|u| u.path_segments().unwrap().next_back().unwrap().to_owned())
            .collect();
        assert_eq!(
            names,
            [format!("{a}-0"), format!("{a}-1"), format!("{a}-2")]
        );
        assert_eq!(found[1].id, b);
        assert!(!found[1].is_complete(), "{b}-1 is a container, not a part");
        let only_later = generations(&[entry(c, &format!("{a}-1"))]);
        assert!(!only_later[0].is_complete());
    }

    #[test]
    fn the_key_chooses_among_generations() {
        use crate::crypto::envelope::{seal, SealOptions};
        let c = "http://localhost:3000/alice/files/0123456789abcdef0123456789abcdef/";
        let (mine, other) = (
            SecretKey::generate().unwrap(),
            SecretKey::generate().unwrap(),
        );
        let start = |key: &SecretKey| seal(key, b"part 0", &SealOptions::default()).unwrap();
        let members =
            |names: &[&str]| -> Vec<Entry> { names.iter().map(|n| entry(c, n)).collect() };
        let (a0, a1, b0) = (
            "aaaaaaaaaaaaaaaa-0",
            "aaaaaaaaaaaaaaaa-1",
            "bbbbbbbbbbbbbbbb-0",
        );

        let one = generations(&members(&[a0, a1]));
        assert!(
            starts_needed(&one).unwrap().is_empty(),
            "one generation needs no read"
        );
        assert_eq!(chosen_urls(&one, None, &[]).unwrap().len(), 2);
        assert_eq!(starts_needed(&[]), Err(PartsError::PartMissing));

        let two = generations(&members(&[a0, a1, b0]));
        let needed = starts_needed(&two).unwrap();
        assert_eq!(needed.len(), 2);
        let choose = |a: &SecretKey, b: &SecretKey, key: Option<&SecretKey>| {
            chosen_urls(&two, key, &[(needed[0], start(a)), (needed[1], start(b))])
        };
        assert_eq!(
            choose(&mine, &other, Some(&mine)).unwrap().len(),
            2,
            "generation a"
        );
        assert_eq!(
            choose(&other, &mine, Some(&mine)).unwrap().len(),
            1,
            "generation b"
        );
        assert_eq!(
            choose(&other, &other, Some(&mine)),
            Err(PartsError::Corrupt(OpenError::KeyOrHeaderMismatch))
        );
        assert_eq!(
            choose(&mine, &mine, Some(&mine)),
            Err(PartsError::SeveralCopies)
        );
        assert_eq!(choose(&mine, &other, None), Err(PartsError::SeveralCopies));
        // A start given for a URL that is not that generation's part 0 does not count.
        assert_eq!(
            chosen_urls(
                &two,
                Some(&mine),
                &[(needed[1], start(&other)), (needed[1], start(&mine))]
            ),
            Ok(vec![needed[1].clone()])
        );
        let gap = generations(&members(&[a0, "aaaaaaaaaaaaaaaa-2", b0]));
        let needed = starts_needed(&gap).unwrap();
        assert_eq!(
            chosen_urls(
                &gap,
                Some(&mine),
                &[(needed[0], start(&mine)), (needed[1], start(&other))]
            ),
            Err(PartsError::PartMissing)
        );
    }

    #[test]
    fn parts_take_about_two_seconds_each_within_bounds() {
        let policy = PartPolicy::APP;
        assert!(!policy.in_parts(4 * 1024 * 1024));
        assert!(policy.in_parts(4 * 1024 * 1024 + 1));
        let mib = 1024 * 1024;
        // Timed alone, the next part gets a third of the link (three in flight).
        assert_eq!(policy.next_part(6 * mib, 1.0, 1), 4 * mib);
        // Timed alongside two others: the link was three times that PUT's speed.
        assert_eq!(policy.next_part(4 * mib, 2.0, 3), 4 * mib);
        assert_eq!(policy.next_part(4 * mib, 100.0, 1), mib);
        assert_eq!(policy.next_part(32 * mib, 0.5, 3), 16 * mib);
        assert_eq!(policy.next_part(mib, 0.0, 1), 16 * mib);
        // At 10 Mbit/s (1.25 MB/s) three parts of 1 MiB side by side take ~2.5 s.
        assert_eq!(policy.next_part(4 * mib, 4.0 * mib as f64 / 1.25e6, 1), mib);
        assert!(envelope_len_bound(10 * mib as u64, 128 * 1024) > 10 * mib as u64 + 80 * 16);
    }
}
