#![cfg(not(target_arch = "wasm32"))]
//! Big files stored in parts (docs/FORMAT.md §1.8) on a real pod, with a tiny
//! policy (one resource up to 64 KiB, then 20 KiB parts) so small files make
//! many parts: upload, list, download, delete; a failure part way; missing,
//! swapped, extra and foreign parts; a lost answer.

mod common;

use common::{block_on, new_drive, random_bytes, NativeHttp, ALICE};
use solidcrypt::crypto::envelope::{OpenError, DEFAULT_CHUNK_SIZE, HEADER_LEN, TAG_LEN};
use solidcrypt::crypto::SecretKey;
use solidcrypt::drive::memory::VecUpload;
use solidcrypt::drive::parts::{
    delete_other_generations, envelope_len_bound, generations, parse_part_name, part_name,
    part_urls, PartPolicy, PartsError, PodPartsUpload,
};
use solidcrypt::drive::{
    delete, download_to_memory, list_folder, open_text, save_text, DownloadError, OpenTextError,
    SaveTextError, UploadError,
};
use solidcrypt::keystore::Keyring;
use solidcrypt::pod::error::{ReadError, WriteError};
use solidcrypt::pod::http::{HttpClient, Method, Request, Response, TransportError};
use solidcrypt::pod::resource::Condition;
use solidcrypt::pod::Pod;
use url::Url;

/// The tests' policy: tiny, so that a few hundred KiB make many parts.
const TINY: PartPolicy = PartPolicy {
    single_up_to: 64 * 1024,
    first_part: 20 * 1024,
    min_part: 20 * 1024,
    max_part: 20 * 1024,
    seconds_per_part: 2.0,
    in_flight: 3,
};

/// Uploads `bytes` as the drive does, laid out by [`TINY`].
fn try_upload<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    folder: &Url,
    bytes: &[u8],
) -> Result<Url, UploadError> {
    let file = ("big.bin", "application/octet-stream");
    let envelope_len = envelope_len_bound(bytes.len() as u64, DEFAULT_CHUNK_SIZE);
    if TINY.in_parts(envelope_len) {
        let target = PodPartsUpload::new(pod, TINY.first_part)
            .unwrap()
            .in_flight(TINY.in_flight);
        common::try_upload(pod, keyring, folder, file, bytes, target)
    } else {
        common::try_upload(pod, keyring, folder, file, bytes, VecUpload::new(pod))
    }
}

/// The part names in `container`, sorted.
fn member_names(pod: &Pod<'_, NativeHttp>, container: &Url) -> Vec<String> {
    block_on(pod.list(container))
        .unwrap()
        .into_iter()
        .map(|m| m.name)
        .collect()
}

#[test]
fn a_big_file_round_trips_through_parts_and_deletes_with_its_key() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let (layout, keyring) = new_drive(&pod, &ALICE);

    let small = random_bytes(10_000);
    let small_url = try_upload(&pod, &keyring, &layout.files(), &small).unwrap();
    assert!(
        !small_url.path().ends_with('/'),
        "small files stay one resource"
    );

    let bytes = random_bytes(300_000);
    let url = try_upload(&pod, &keyring, &layout.files(), &bytes).unwrap();
    assert!(url.path().ends_with('/'), "a big file is a parts container");
    let names = member_names(&pod, &url);
    // 300 000 bytes of plaintext, 3 chunks' tags, header and metadata: 15 parts of 20 KiB.
    assert_eq!(names.len(), 15, "{names:?}");
    let found = generations(&block_on(pod.list(&url)).unwrap());
    assert_eq!(found.len(), 1);
    assert!(found[0].is_complete());
    for (i, name) in found[0].urls().iter().enumerate() {
        assert!(name.as_str().ends_with(&part_name(&found[0].id, i as u64)));
    }

    // Listed as a file with its name and size, not as a folder; a container no
    // keystore knows is still a folder.
    let stranger = layout.files().join("made-elsewhere/").unwrap();
    block_on(pod.create_container(&stranger)).unwrap();
    let items = block_on(list_folder(&pod, &keyring, &layout.files())).unwrap();
    let item = items.iter().find(|i| i.url == url).unwrap();
    assert!(!item.is_folder);
    assert!(item.known);
    assert_eq!(item.name, "big.bin");
    assert_eq!(item.size, Some(300_000));
    let unknown = items.iter().find(|i| i.url == stranger).unwrap();
    assert!(unknown.is_folder && !unknown.known);
    block_on(pod.delete(&stranger, &Condition::Always)).unwrap();

    let (metadata, plain) = block_on(download_to_memory(&pod, &keyring, &url)).unwrap();
    assert_eq!(plain.0.as_slice(), bytes.as_slice());
    assert_eq!(metadata.name.as_deref(), Some("big.bin"));
    let key = keyring.lookup(url.as_str()).unwrap().key.unwrap();
    assert_eq!(block_on(part_urls(&pod, &url, &key)).unwrap().len(), 15);
    assert_eq!(
        block_on(part_urls(&pod, &small_url, &key)).unwrap(),
        std::slice::from_ref(&small_url)
    );
    assert_eq!(
        block_on(open_text(&pod, &keyring, &url)).unwrap_err(),
        OpenTextError::TooBig
    );
    assert_eq!(
        block_on(save_text(&pod, &keyring, &url, "big.bin", "x", None)).unwrap_err(),
        SaveTextError::TooBig
    );
    assert_eq!(member_names(&pod, &url).len(), 15, "nothing was written");

    block_on(delete(&pod, &keyring, &url)).unwrap();
    assert_eq!(block_on(pod.head(&url)).unwrap_err(), ReadError::NotFound);
    assert!(keyring.lookup(url.as_str()).is_none());
    let items = block_on(list_folder(&pod, &keyring, &layout.files())).unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].url, small_url);
}

/// A pod whose PUTs of parts fail: the second with a 503, or every one with the
/// answer lost after the pod stored it.
struct Flaky {
    inner: NativeHttp,
    lose_answers: bool,
    parts_put: std::sync::Mutex<u32>,
}

impl Flaky {
    fn new(lose_answers: bool) -> Self {
        Self {
            inner: NativeHttp::new(),
            lose_answers,
            parts_put: std::sync::Mutex::new(0),
        }
    }
}

impl HttpClient for Flaky {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let is_part_put = request.method == Method::Put
            && request
                .url
                .rsplit('/')
                .next()
                .is_some_and(|name| parse_part_name(name).is_some());
        if !is_part_put {
            return self.inner.send(request).await;
        }
        if self.lose_answers {
            self.inner.send(request).await?;
            return Err(TransportError::Network("connection reset".into()));
        }
        let count = {
            let mut count = self.parts_put.lock().unwrap();
            *count += 1;
            *count
        };
        if count == 2 {
            return Ok(Response {
                status: 503,
                headers: Vec::new(),
                body: Vec::new(),
            });
        }
        self.inner.send(request).await
    }
}

#[test]
fn a_failure_part_way_leaves_no_parts_and_no_key_and_lost_answers_store_one_copy() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let (layout, keyring) = new_drive(&pod, &ALICE);
    let bytes = random_bytes(200_000);

    let failing = Flaky::new(false);
    let failing_pod = Pod::new(&failing, Some(&session));
    let error = try_upload(&failing_pod, &keyring, &layout.files(), &bytes).unwrap_err();
    assert_eq!(error, UploadError::Write(WriteError::Server(503)));
    // Parts 0, 1 and 2 went up side by side: 1 was refused while 2 was under
    // way, and 2 was stored. None of them stays, nor the key.
    assert_eq!(
        *failing.parts_put.lock().unwrap(),
        3,
        "the part after the refused one was sent alongside it, and no more"
    );
    assert!(keyring.entries_under(layout.files().as_str()).is_empty());
    assert!(block_on(pod.list(&layout.files())).unwrap().is_empty());

    // Every part's answer lost after the pod stored it: HEAD finds each with the
    // right length, so the upload succeeds once.
    let lossy = Flaky::new(true);
    let lossy_pod = Pod::new(&lossy, Some(&session));
    let url = try_upload(&lossy_pod, &keyring, &layout.files(), &bytes).unwrap();
    let members = block_on(pod.list(&layout.files())).unwrap();
    assert_eq!(members.len(), 1, "one copy: {members:?}");
    assert_eq!(members[0].url, url);
    let (_, plain) = block_on(download_to_memory(&pod, &keyring, &url)).unwrap();
    assert_eq!(plain.0.as_slice(), bytes.as_slice());
}

/// Reads the part at `url`.
fn get(pod: &Pod<'_, NativeHttp>, url: &Url) -> Vec<u8> {
    block_on(pod.get(url)).unwrap().body
}

fn put(pod: &Pod<'_, NativeHttp>, url: &Url, body: Vec<u8>) {
    block_on(pod.put(url, "application/octet-stream", body, &Condition::Always)).unwrap();
}

#[test]
fn missing_swapped_extra_and_foreign_parts_are_clear_errors() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let (layout, keyring) = new_drive(&pod, &ALICE);
    let bytes = random_bytes(150_000);
    let download = |url: &Url| block_on(download_to_memory(&pod, &keyring, url));

    // A part in the middle missing: found before any decryption.
    let url = try_upload(&pod, &keyring, &layout.files(), &bytes).unwrap();
    let parts = generations(&block_on(pod.list(&url)).unwrap())[0].urls();
    assert_eq!(parts.len(), 8);
    block_on(pod.delete(&parts[3], &Condition::Always)).unwrap();
    let error = download(&url).unwrap_err();
    assert_eq!(error, DownloadError::Parts(PartsError::PartMissing));
    assert_eq!(error.to_string(), "the file is damaged: a part is missing");

    // The last part missing: its final chunk is cut short and fails authentication.
    let url = try_upload(&pod, &keyring, &layout.files(), &bytes).unwrap();
    let found = generations(&block_on(pod.list(&url)).unwrap()).remove(0);
    let parts = found.urls();
    let envelope: Vec<u8> = parts.iter().flat_map(|part| get(&pod, part)).collect();
    block_on(pod.delete(parts.last().unwrap(), &Condition::Always)).unwrap();
    assert_eq!(
        download(&url).unwrap_err(),
        DownloadError::Corrupt(OpenError::ChunkTampered { index: 1 })
    );

    // Cut where a chunk ends and the parts after it missing: the envelope ends early.
    for part in &parts[..parts.len() - 1] {
        block_on(pod.delete(part, &Condition::Always)).unwrap();
    }
    let metadata_len = u32::from_be_bytes(envelope[10..14].try_into().unwrap()) as usize;
    let first_chunk_end = HEADER_LEN + metadata_len + DEFAULT_CHUNK_SIZE as usize + TAG_LEN;
    put(
        &pod,
        &url.join(&part_name(&found.id, 0)).unwrap(),
        envelope[..first_chunk_end].to_vec(),
    );
    assert_eq!(
        download(&url).unwrap_err(),
        DownloadError::Corrupt(OpenError::Truncated)
    );

    // Two parts swapped: a chunk fails authentication.
    let url = try_upload(&pod, &keyring, &layout.files(), &bytes).unwrap();
    let parts = generations(&block_on(pod.list(&url)).unwrap())[0].urls();
    let (second, third) = (get(&pod, &parts[1]), get(&pod, &parts[2]));
    put(&pod, &parts[1], third);
    put(&pod, &parts[2], second);
    assert!(matches!(
        download(&url).unwrap_err(),
        DownloadError::Corrupt(OpenError::ChunkTampered { index: 0 })
    ));

    // An extra part after the last: data after the end. (The file fills its last
    // chunk, so the extra bytes cannot pass for part of it.)
    let whole_chunks = random_bytes(2 * DEFAULT_CHUNK_SIZE as usize);
    let url = try_upload(&pod, &keyring, &layout.files(), &whole_chunks).unwrap();
    let found = generations(&block_on(pod.list(&url)).unwrap()).remove(0);
    let extra = url
        .join(&part_name(&found.id, found.parts.len() as u64))
        .unwrap();
    put(&pod, &extra, b"more".to_vec());
    assert_eq!(
        download(&url).unwrap_err(),
        DownloadError::Corrupt(OpenError::TrailingData)
    );

    // Another generation under another key, and members that are not parts: the
    // key picks its own generation, the rest is ignored.
    let url = try_upload(&pod, &keyring, &layout.files(), &bytes).unwrap();
    let own = generations(&block_on(pod.list(&url)).unwrap()).remove(0);
    let stranger = solidcrypt::crypto::envelope::seal(
        &SecretKey::generate().unwrap(),
        b"someone else's",
        &Default::default(),
    )
    .unwrap();
    let other_id = "0000000000000000";
    assert_ne!(own.id, other_id);
    put(&pod, &url.join(&part_name(other_id, 0)).unwrap(), stranger);
    put(
        &pod,
        &url.join("notes.txt").unwrap(),
        b"not a part".to_vec(),
    );
    let (_, plain) = download(&url).unwrap();
    assert_eq!(plain.0.as_slice(), bytes.as_slice());

    // With the foreign generation alone, the key opens nothing: the usual error.
    for part in own.parts.values() {
        block_on(pod.delete(part, &Condition::Always)).unwrap();
    }
    put(
        &pod,
        &url.join(&part_name(&own.id, 0)).unwrap(),
        get(&pod, &url.join(&part_name(other_id, 0)).unwrap()),
    );
    put(
        &pod,
        &url.join("ffffffffffffffff-0").unwrap(),
        b"SLCF junk".to_vec(),
    );
    assert_eq!(
        download(&url).unwrap_err(),
        DownloadError::Corrupt(OpenError::KeyOrHeaderMismatch)
    );

    // A rewrite's clean-up keeps only the generation it names.
    block_on(delete_other_generations(&pod, &url, other_id)).unwrap();
    let left = member_names(&pod, &url);
    assert_eq!(left, ["0000000000000000-0", "notes.txt"]);
}
