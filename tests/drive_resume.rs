#![cfg(not(target_arch = "wasm32"))]
//! Resuming an upload in parts that stopped part-way (docs/FORMAT.md §1.8,
//! resuming), on a real pod: the network dies after part 2, the same file picked
//! again continues from part 3 and downloads byte-identical; another file is
//! refused; Delete leaves nothing; a pod that cuts a part short or lists parts
//! that are not there only makes the resume send more. And the vector.

mod common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use common::{block_on, new_drive, random_bytes, NativeHttp, ALICE};
use solidcrypt::crypto::envelope::{
    open, Encryptor, RustCryptoCipher, DEFAULT_CHUNK_SIZE, HEADER_LEN, TAG_LEN,
};
use solidcrypt::crypto::SecretKey;
use solidcrypt::drive::memory::SliceSource;
use solidcrypt::drive::parts::{generations, parse_part_name, part_name, PodPartsUpload};
use solidcrypt::drive::resume::{
    inspect, parse_record, read_record, resume, Fingerprint, Incomplete, ResumeError, RECORD_NAME,
};
use solidcrypt::drive::{delete, download_to_memory, file_key, upload, NewFile, UploadError};
use solidcrypt::keystore::Keyring;
use solidcrypt::pod::http::{HttpClient, Method, Request, Response, TransportError};
use solidcrypt::pod::resource::Condition;
use solidcrypt::pod::Pod;
use url::Url;

/// Chunks per part in these tests: 2 × 128 KiB, so 1.5 MiB make 6 parts.
const CHUNKS: usize = 2;
const SEGMENT: usize = DEFAULT_CHUNK_SIZE as usize + TAG_LEN;

/// A network that dies: part PUTs up to `parts_ok` go through, then every
/// request fails (so the upload's own clean-up cannot run either, as when a tab
/// closes). Records the part names PUT.
struct Dying {
    inner: NativeHttp,
    parts_ok: usize,
    dead: AtomicBool,
    puts: AtomicUsize,
    put_names: Mutex<Vec<String>>,
}

impl Dying {
    fn after(parts_ok: usize) -> Self {
        Self {
            inner: NativeHttp::new(),
            parts_ok,
            dead: AtomicBool::new(false),
            puts: AtomicUsize::new(0),
            put_names: Mutex::new(Vec::new()),
        }
    }

    fn put_names(&self) -> Vec<String> {
        self.put_names.lock().unwrap().clone()
    }
}

impl HttpClient for Dying {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let name = request.url.rsplit('/').next().unwrap_or("").to_owned();
        if request.method == Method::Put && parse_part_name(&name).is_some() {
            if self.puts.fetch_add(1, Ordering::SeqCst) >= self.parts_ok {
                self.dead.store(true, Ordering::SeqCst);
            } else {
                self.put_names.lock().unwrap().push(name);
            }
        }
        if self.dead.load(Ordering::SeqCst) {
            return Err(TransportError::Network("the network is gone".into()));
        }
        self.inner.send(request).await
    }
}

fn new_file<'a>(folder: &'a Url, name: &'a str, bytes: &[u8]) -> NewFile<'a> {
    NewFile {
        folder,
        name,
        media_type: Some("video/mp4"),
        size: bytes.len() as u64,
        fingerprint: Some(Fingerprint::of(bytes)),
    }
}

/// Uploads `bytes` in parts of [`CHUNKS`] chunks, three PUTs at a time, as the
/// app would.
fn try_upload<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    file: &NewFile<'_>,
    bytes: &[u8],
) -> Result<Url, UploadError> {
    let target = PodPartsUpload::new(pod, 1)
        .unwrap()
        .whole_chunks(CHUNKS)
        .in_flight(3);
    block_on(upload::<_, RustCryptoCipher, _, _>(
        pod,
        keyring,
        file,
        &mut SliceSource::new(bytes, 64 * 1024),
        target,
        &mut |_| {},
        &|| false,
    ))
}

/// An upload of `bytes` whose network dies after `parts_ok` parts: returns the
/// container it left.
fn interrupted(
    session: &solidcrypt::auth::session::Session,
    keyring: &Keyring,
    file: &NewFile<'_>,
    bytes: &[u8],
    parts_ok: usize,
) -> Url {
    let dying = Dying::after(parts_ok);
    let dying_pod = Pod::new(&dying, Some(session));
    let error = try_upload(&dying_pod, keyring, file, bytes).unwrap_err();
    assert!(matches!(error, UploadError::Write(_)), "{error}");
    keyring
        .entries_under(file.folder.as_str())
        .into_iter()
        .find(|(_, e)| e.name == file.name)
        .map(|(url, _)| Url::parse(&url).unwrap())
        .expect("the key stays when the network dies")
}

/// Resumes `incomplete` with `bytes` through `pod`; returns the progress seen.
fn try_resume<H: HttpClient>(
    pod: &Pod<'_, H>,
    key: &SecretKey,
    incomplete: &Incomplete,
    file: &NewFile<'_>,
    bytes: &[u8],
) -> Result<Vec<u64>, ResumeError> {
    let from = incomplete.from_byte() as usize;
    let target = PodPartsUpload::resuming(
        pod,
        CHUNKS * SEGMENT,
        incomplete.generation(),
        incomplete.next_part(),
    )
    .in_flight(3);
    let mut seen = Vec::new();
    block_on(resume::<_, RustCryptoCipher, _, _>(
        pod,
        key,
        incomplete,
        file,
        &mut SliceSource::new(&bytes[from..], 64 * 1024),
        target,
        &mut |done| seen.push(done),
        &|| false,
    ))?;
    Ok(seen)
}

fn parts_of(pod: &Pod<'_, NativeHttp>, container: &Url) -> Vec<String> {
    let mut names: Vec<String> = block_on(pod.list(container))
        .unwrap()
        .into_iter()
        .map(|m| m.name)
        .filter(|n| parse_part_name(n).is_some())
        .collect();
    names.sort_by_key(|n| parse_part_name(n).unwrap().1);
    names
}

#[test]
fn an_upload_cut_after_part_2_resumes_from_part_3_and_downloads_identical() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let (layout, keyring) = new_drive(&pod, &ALICE);
    let folder = layout.files();
    let bytes = random_bytes(1_500_000);
    let file = new_file(&folder, "film.mp4", &bytes);

    let url = interrupted(&session, &keyring, &file, &bytes, 2);
    let stored = parts_of(&pod, &url);
    assert_eq!(stored.len(), 2, "parts 1 and 2 arrived: {stored:?}");
    let key = file_key(&keyring, &url).unwrap();
    assert!(
        block_on(download_to_memory(&pod, &keyring, &url)).is_err(),
        "incomplete, it does not open"
    );

    let incomplete = block_on(inspect(&pod, &url, &key))
        .unwrap()
        .expect("an incomplete upload with its record");
    assert_eq!(incomplete.next_part(), 2, "continues at the third part");
    assert_eq!(
        incomplete.from_byte(),
        (2 * CHUNKS) as u64 * u64::from(DEFAULT_CHUNK_SIZE)
    );
    incomplete
        .check("film.mp4", "film.mp4", &Fingerprint::of(&bytes))
        .unwrap();

    let counting = Dying::after(usize::MAX);
    let counting_pod = Pod::new(&counting, Some(&session));
    let progress = try_resume(&counting_pod, &key, &incomplete, &file, &bytes).unwrap();
    let sent = counting.put_names();
    let generation = incomplete.generation();
    assert!(
        !sent.contains(&part_name(generation, 0)) && !sent.contains(&part_name(generation, 1)),
        "parts 1 and 2 are not sent again: {sent:?}"
    );
    assert_eq!(sent.first(), Some(&part_name(generation, 2)), "{sent:?}");
    assert_eq!(progress.last(), Some(&(bytes.len() as u64)));
    assert!(
        progress[0] > incomplete.from_byte(),
        "counts the kept bytes"
    );

    let (_, plain) = block_on(download_to_memory(&pod, &keyring, &url)).unwrap();
    assert!(
        plain.0.as_slice() == bytes.as_slice(),
        "the resumed file is byte-identical"
    );
    assert_eq!(
        block_on(inspect(&pod, &url, &key)).unwrap(),
        None,
        "complete now"
    );
}

#[test]
fn another_file_is_refused_and_delete_leaves_no_parts_and_no_key() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let (layout, keyring) = new_drive(&pod, &ALICE);
    let folder = layout.files();
    let bytes = random_bytes(2_500_000);
    let file = new_file(&folder, "film.mp4", &bytes);
    let url = interrupted(&session, &keyring, &file, &bytes, 1);
    let key = file_key(&keyring, &url).unwrap();
    let incomplete = block_on(inspect(&pod, &url, &key)).unwrap().unwrap();

    let mut middle = bytes.clone();
    middle[1_250_000] ^= 1;
    let mut last = bytes.clone();
    *last.last_mut().unwrap() ^= 1;
    let mut first = bytes.clone();
    first[0] ^= 1;
    for other in [first, last, bytes[..bytes.len() - 1].to_vec()] {
        assert_eq!(
            incomplete.check("film.mp4", "film.mp4", &Fingerprint::of(&other)),
            Err(ResumeError::NotTheSameFile)
        );
    }
    assert_eq!(
        incomplete.check("film.mp4", "other.mp4", &Fingerprint::of(&bytes)),
        Err(ResumeError::NotTheSameFile),
        "another name"
    );
    // The same bytes, last modified at another time (an edit put back, or one in
    // the middle): not the same file.
    let later = Fingerprint {
        modified: 1,
        ..Fingerprint::of(&bytes)
    };
    assert_eq!(
        incomplete.check("film.mp4", "film.mp4", &later),
        Err(ResumeError::NotTheSameFile),
        "another last-modified time"
    );
    // The limit the format states: a change in the middle only, with the file's
    // last-modified time put back as it was, is not seen.
    assert!(incomplete
        .check("film.mp4", "film.mp4", &Fingerprint::of(&middle))
        .is_ok());

    block_on(delete(&pod, &keyring, &url)).unwrap();
    assert!(keyring.lookup(url.as_str()).is_none(), "no key");
    assert!(
        block_on(pod.list(&folder)).unwrap().is_empty(),
        "no parts, no record, no container"
    );
}

#[test]
fn a_part_cut_short_or_listed_but_absent_is_written_again() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let (layout, keyring) = new_drive(&pod, &ALICE);
    let folder = layout.files();
    let bytes = random_bytes(1_400_000);
    let file = new_file(&folder, "film.mp4", &bytes);
    let url = interrupted(&session, &keyring, &file, &bytes, 3);
    let key = file_key(&keyring, &url).unwrap();
    let generation = generations(&block_on(pod.list(&url)).unwrap())[0]
        .id
        .clone();

    // The pod cuts part 3 short (a dropped PUT, CommunitySolidServer#2080) and
    // lists parts 5 and 7, which the upload never sent (junk it made up).
    let third = url.join(&part_name(&generation, 2)).unwrap();
    let body = block_on(pod.get(&third)).unwrap().body;
    let put = |u: &Url, b: Vec<u8>| {
        block_on(pod.put(u, "application/octet-stream", b, &Condition::Always)).unwrap()
    };
    put(&third, body[..body.len() - 1000].to_vec());
    for junk in [5, 7] {
        put(
            &url.join(&part_name(&generation, junk)).unwrap(),
            random_bytes(300),
        );
    }
    let incomplete = block_on(inspect(&pod, &url, &key)).unwrap().unwrap();
    assert_eq!(incomplete.next_part(), 2, "the short part is written again");
    try_resume(&pod, &key, &incomplete, &file, &bytes).unwrap();
    let (_, plain) = block_on(download_to_memory(&pod, &keyring, &url)).unwrap();
    assert!(plain.0.as_slice() == bytes.as_slice(), "byte-identical");

    // A part 0 cut inside its header: nothing to continue, so the file is
    // written again from the start under a fresh salt.
    let other = random_bytes(1_100_000);
    let file = new_file(&folder, "other.mp4", &other);
    let url = interrupted(&session, &keyring, &file, &other, 1);
    let key = file_key(&keyring, &url).unwrap();
    let stored = generations(&block_on(pod.list(&url)).unwrap());
    let part0 = stored[0].parts[&0].clone();
    let old_header = block_on(pod.get(&part0)).unwrap().body[..HEADER_LEN].to_vec();
    put(&part0, old_header[..40].to_vec());
    let incomplete = block_on(inspect(&pod, &url, &key)).unwrap().unwrap();
    assert_eq!((incomplete.next_part(), incomplete.from_byte()), (0, 0));
    assert_ne!(incomplete.generation(), stored[0].id, "a new generation");
    try_resume(&pod, &key, &incomplete, &file, &other).unwrap();
    let (_, plain) = block_on(download_to_memory(&pod, &keyring, &url)).unwrap();
    assert!(plain.0.as_slice() == other.as_slice());
    let now = generations(&block_on(pod.list(&url)).unwrap());
    assert_eq!(now.len(), 1, "the old generation is gone");
    let new_header = block_on(pod.get(&now[0].parts[&0])).unwrap().body[..HEADER_LEN].to_vec();
    assert_ne!(new_header[14..46], old_header[14..46], "a fresh salt");
}

#[test]
fn a_header_that_is_not_ours_or_no_record_is_not_resumed() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let (layout, keyring) = new_drive(&pod, &ALICE);
    let folder = layout.files();
    let bytes = random_bytes(1_100_000);
    let file = new_file(&folder, "film.mp4", &bytes);
    let url = interrupted(&session, &keyring, &file, &bytes, 2);
    let key = file_key(&keyring, &url).unwrap();
    let record = url.join(RECORD_NAME).unwrap();
    let sealed = block_on(pod.get(&record)).unwrap().body;
    assert!(
        parse_record(&open(&key, &sealed).unwrap().plaintext).is_some(),
        "the record opens with the file key only"
    );
    assert!(open(&SecretKey::generate().unwrap(), &sealed).is_err());

    // Part 0 replaced by another key's envelope start: refused, never continued.
    let generation = generations(&block_on(pod.list(&url)).unwrap())[0]
        .id
        .clone();
    let part0 = url.join(&part_name(&generation, 0)).unwrap();
    let original = block_on(pod.get(&part0)).unwrap().body;
    let mut foreign = Vec::new();
    let options = solidcrypt::crypto::envelope::SealOptions::default();
    let other_key = SecretKey::generate().unwrap();
    Encryptor::start_blocking(&other_key, &options, &mut foreign).unwrap();
    foreign.resize(original.len(), 0);
    let put = |b: Vec<u8>| {
        block_on(pod.put(&part0, "application/octet-stream", b, &Condition::Always)).unwrap()
    };
    put(foreign);
    assert!(matches!(
        block_on(inspect(&pod, &url, &key)),
        Err(ResumeError::Header(_))
    ));
    put(original);

    // A record sealed under another key, or none: just not resumable.
    let alien = solidcrypt::crypto::envelope::seal(
        &other_key,
        &open(&key, &sealed).unwrap().plaintext,
        &options,
    )
    .unwrap();
    block_on(pod.put(
        &record,
        "application/octet-stream",
        alien,
        &Condition::Always,
    ))
    .unwrap();
    assert_eq!(block_on(read_record(&pod, &url, &key)).unwrap(), None);
    assert_eq!(block_on(inspect(&pod, &url, &key)).unwrap(), None);
    block_on(pod.delete(&record, &Condition::Always)).unwrap();
    assert_eq!(block_on(inspect(&pod, &url, &key)).unwrap(), None);
}

#[test]
fn a_file_with_a_record_reads_as_before() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let (layout, keyring) = new_drive(&pod, &ALICE);
    let folder = layout.files();
    let bytes = random_bytes(900_000);
    let url = try_upload(&pod, &keyring, &new_file(&folder, "a.bin", &bytes), &bytes).unwrap();
    let key = file_key(&keyring, &url).unwrap();
    assert_eq!(
        block_on(read_record(&pod, &url, &key)).unwrap(),
        None,
        "a finished upload deletes its record"
    );
    assert_eq!(block_on(inspect(&pod, &url, &key)).unwrap(), None);

    // A record left behind (its deletion failed): the lengths show it complete.
    let sealed = solidcrypt::crypto::envelope::seal(
        &key,
        &solidcrypt::drive::resume::record_json(&Fingerprint::of(&bytes)),
        &solidcrypt::crypto::envelope::SealOptions::default(),
    )
    .unwrap();
    let record = url.join(RECORD_NAME).unwrap();
    block_on(pod.put(
        &record,
        "application/octet-stream",
        sealed,
        &Condition::IfAbsent,
    ))
    .unwrap();
    assert_eq!(block_on(inspect(&pod, &url, &key)).unwrap(), None);
    let (_, plain) = block_on(download_to_memory(&pod, &keyring, &url)).unwrap();
    assert!(
        plain.0.as_slice() == bytes.as_slice(),
        "readers ignore the record"
    );
}

fn vector() -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/upload_resume_v1.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn unhex(text: &serde_json::Value) -> Vec<u8> {
    let text = text.as_str().unwrap();
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn rule(size: u64) -> Vec<u8> {
    (0..size).map(|i| (i % 251) as u8).collect()
}

#[test]
fn the_vector_opens_and_a_resumed_envelope_is_the_uninterrupted_one() {
    let v = vector();
    let record = &v["record"];
    let key = SecretKey::from_base64url(record["key"].as_str().unwrap()).unwrap();
    let opened = open(&key, &unhex(&record["envelope_hex"])).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&opened.plaintext).unwrap();
    assert_eq!(json, record["json"]);
    let plain = rule(record["plaintext_size"].as_u64().unwrap());
    assert_eq!(
        parse_record(&opened.plaintext),
        Some(Fingerprint {
            modified: record["json"]["modified"].as_u64().unwrap(),
            ..Fingerprint::of(&plain)
        })
    );

    // Continuing from chunk 5 under the stored header yields exactly the rest of
    // the envelope written in one go.
    let resumed = &v["resumed"];
    let key = SecretKey::from_base64url(resumed["key"].as_str().unwrap()).unwrap();
    let whole = unhex(&resumed["envelope_hex"]);
    let plain = rule(resumed["plaintext_size"].as_u64().unwrap());
    let chunk = resumed["chunk_size"].as_u64().unwrap() as usize;
    let next = resumed["next_chunk"].as_u64().unwrap();
    let kept: usize = resumed["kept_part_lengths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_u64().unwrap() as usize)
        .sum();
    let mut rest = Vec::new();
    let mut encryptor = pollster::block_on(Encryptor::<RustCryptoCipher>::resume(
        &key,
        &whole[..HEADER_LEN],
        next,
    ))
    .unwrap();
    encryptor
        .push_blocking(&plain[next as usize * chunk..], &mut rest)
        .unwrap();
    encryptor.finish_blocking(&mut rest).unwrap();
    assert_eq!(rest.len(), whole.len() - kept);
    assert!(whole[kept..] == rest[..], "byte-identical continuation");
    let other = SecretKey::generate().unwrap();
    assert!(pollster::block_on(Encryptor::<RustCryptoCipher>::resume(
        &other,
        &whole[..HEADER_LEN],
        next
    ))
    .is_err());
}
