#![cfg(not(target_arch = "wasm32"))]
//! The drive on a real pod: upload (streamed, key first), list with real names,
//! download and compare, new folder, recursive delete with key removal, and the bad
//! states — a 5xx or a lost answer during upload, a cancelled upload, a file that is
//! not ours, a damaged file.

mod common;

use common::{block_on, random_bytes, scratch_container, NativeHttp, ALICE};
use solidcrypt::crypto::envelope::RustCryptoCipher;
use solidcrypt::crypto::password::PasswordParams;
use solidcrypt::drive::memory::{SliceSource, VecUpload};
use solidcrypt::drive::{
    delete, download_to_memory, list_folder, new_folder, open_text, save_text, upload,
    DownloadError, NewFile, SaveTextError, UploadError,
};
use solidcrypt::keystore::master::{set_up, unlock};
use solidcrypt::keystore::{Keyring, Layout, Password};
use solidcrypt::pod::error::{ReadError, WriteError};
use solidcrypt::pod::http::{HttpClient, Method, Request, Response, TransportError};
use solidcrypt::pod::resource::Condition;
use solidcrypt::pod::Pod;
use solidcrypt::share::Access;
use url::Url;

const FAST: PasswordParams = PasswordParams {
    m_cost_kib: 1024,
    t_cost: 1,
    p_cost: 1,
};

fn password() -> Password {
    Password::new("correct horse".into())
}

fn drive(pod: &Pod<'_, NativeHttp>) -> (Layout, Keyring) {
    let layout = Layout::at(scratch_container(pod, &ALICE.storage()));
    let keyring = block_on(set_up(pod, &layout, &ALICE.webid(), &password(), &FAST)).unwrap();
    (layout, keyring)
}

fn put_file<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    folder: &Url,
    name: &str,
    bytes: &[u8],
) -> Result<Url, UploadError> {
    let file = NewFile {
        folder,
        name,
        media_type: Some("application/octet-stream"),
        size: bytes.len() as u64,
        fingerprint: None,
    };
    let mut seen = Vec::new();
    let result = block_on(upload::<_, RustCryptoCipher, _, _>(
        pod,
        keyring,
        &file,
        &mut SliceSource::new(bytes, 10_000),
        VecUpload::new(pod),
        &mut |done| seen.push(done),
        &|| false,
    ));
    if result.is_ok() {
        assert_eq!(seen.last().copied().unwrap_or(0), bytes.len() as u64);
    }
    result
}

#[test]
fn upload_list_download_and_the_pod_sees_only_ciphertext() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let (layout, keyring) = drive(&pod);
    assert!(block_on(list_folder(&pod, &keyring, &layout.files()))
        .unwrap()
        .is_empty());

    let text = b"Dear diary, the pod must never read this.\n".repeat(50);
    let binary = random_bytes(300_000);
    let text_url = put_file(&pod, &keyring, &layout.files(), "diary.txt", &text).unwrap();
    let bin_url = put_file(&pod, &keyring, &layout.files(), "random.bin", &binary).unwrap();

    // A fresh session (reload + unlock) lists both with their real names and sizes.
    let fresh = block_on(unlock(&pod, &layout, &password())).unwrap();
    let items = block_on(list_folder(&pod, &fresh, &layout.files())).unwrap();
    let names: Vec<_> = items.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["diary.txt", "random.bin"]);
    assert_eq!(items[0].size, Some(text.len() as u64));
    assert!(items
        .iter()
        .all(|i| i.known && !i.is_folder && i.modified.is_some()));

    let (meta, plain) = block_on(download_to_memory(&pod, &fresh, &bin_url)).unwrap();
    assert_eq!(plain.0.as_slice(), binary.as_slice());
    assert_eq!(meta.name.as_deref(), Some("random.bin"));
    let (_, plain) = block_on(download_to_memory(&pod, &fresh, &text_url)).unwrap();
    assert_eq!(plain.0.as_slice(), text.as_slice());

    let raw = block_on(pod.get(&text_url)).unwrap().body;
    assert_ne!(raw, text);
    assert!(!String::from_utf8_lossy(&raw).contains("diary"));
    assert!(!text_url.as_str().contains("diary"));
}

#[test]
fn folders_nest_and_delete_recursively_with_their_keys() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let (layout, keyring) = drive(&pod);

    let photos = block_on(new_folder(&pod, &keyring, &layout.files(), "Photos")).unwrap();
    let inner = block_on(new_folder(&pod, &keyring, &photos, "2026")).unwrap();
    let a = put_file(&pod, &keyring, &photos, "a.jpg", b"aaaa").unwrap();
    let b = put_file(&pod, &keyring, &inner, "b.jpg", b"bbbb").unwrap();
    let keep = put_file(&pod, &keyring, &layout.files(), "keep.txt", b"keep").unwrap();

    let top = block_on(list_folder(&pod, &keyring, &layout.files())).unwrap();
    assert_eq!(
        top.iter()
            .map(|i| (i.name.as_str(), i.is_folder))
            .collect::<Vec<_>>(),
        [("Photos", true), ("keep.txt", false)]
    );
    let in_photos = block_on(list_folder(&pod, &keyring, &photos)).unwrap();
    assert_eq!(
        in_photos
            .iter()
            .map(|i| i.name.as_str())
            .collect::<Vec<_>>(),
        ["2026", "a.jpg"]
    );

    block_on(delete(&pod, &keyring, &photos)).unwrap();
    for url in [&photos, &inner, &a, &b] {
        assert_eq!(block_on(pod.head(url)).unwrap_err(), ReadError::NotFound);
    }
    let fresh = block_on(unlock(&pod, &layout, &password())).unwrap();
    for url in [&photos, &inner, &a, &b] {
        assert!(fresh.lookup(url.as_str()).is_none(), "key of {url} remains");
    }
    assert!(fresh.lookup(keep.as_str()).is_some());

    block_on(delete(&pod, &keyring, &keep)).unwrap();
    assert!(block_on(list_folder(&pod, &keyring, &layout.files()))
        .unwrap()
        .is_empty());
    assert!(keyring.lookup(keep.as_str()).is_none());
    assert_eq!(
        block_on(new_folder(&pod, &keyring, &layout.files(), "  ")).unwrap_err(),
        solidcrypt::drive::NewFolderError::EmptyName
    );
}

/// The transport of a flaky pod: PUTs of files under `files/` fail, either with a
/// 503 before reaching the pod or with the answer lost after the pod stored them.
struct Flaky {
    inner: NativeHttp,
    lose_answer: bool,
}

impl HttpClient for Flaky {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let is_file_put = request.method == Method::Put
            && request.url.contains("/files/")
            && !request.url.ends_with('/');
        if !is_file_put {
            return self.inner.send(request).await;
        }
        if self.lose_answer {
            self.inner.send(request).await?;
            return Err(TransportError::Network("connection reset".into()));
        }
        Ok(Response {
            status: 503,
            headers: Vec::new(),
            body: Vec::new(),
        })
    }
}

#[test]
fn a_failed_upload_leaves_no_ciphertext_without_its_key() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let (layout, keyring) = drive(&pod);

    // 503: nothing stored, so the key is removed again and nothing is listed.
    let flaky = Flaky {
        inner: NativeHttp::new(),
        lose_answer: false,
    };
    let flaky_pod = Pod::new(&flaky, Some(&session));
    let error = put_file(&flaky_pod, &keyring, &layout.files(), "x.bin", b"xyz").unwrap_err();
    assert_eq!(error, UploadError::Write(WriteError::Server(503)));
    assert!(keyring.entries_under(layout.files().as_str()).is_empty());
    assert!(block_on(list_folder(&pod, &keyring, &layout.files()))
        .unwrap()
        .is_empty());

    // Answer lost after the pod stored it: a HEAD finds it with the right length,
    // so the upload succeeded (a retry would have stored a second copy).
    let lossy = Flaky {
        inner: NativeHttp::new(),
        lose_answer: true,
    };
    let lossy_pod = Pod::new(&lossy, Some(&session));
    let url = put_file(&lossy_pod, &keyring, &layout.files(), "y.bin", b"yes").unwrap();
    let fresh = block_on(unlock(&pod, &layout, &password())).unwrap();
    let items = block_on(list_folder(&pod, &fresh, &layout.files())).unwrap();
    assert_eq!(items.len(), 1);
    assert!(items[0].known);
    assert_eq!(items[0].url, url);
    let (_, plain) = block_on(download_to_memory(&pod, &fresh, &items[0].url)).unwrap();
    assert_eq!(plain.0.as_slice(), b"yes");

    // Cancelled: no key, no file.
    let file = NewFile {
        folder: &layout.files(),
        name: "big.bin",
        media_type: None,
        size: 3,
        fingerprint: None,
    };
    let cancelled = block_on(upload::<_, RustCryptoCipher, _, _>(
        &pod,
        &keyring,
        &file,
        &mut SliceSource::new(b"abc", 1),
        VecUpload::new(&pod),
        &mut |_| {},
        &|| true,
    ));
    assert_eq!(cancelled.unwrap_err(), UploadError::Cancelled);
    assert_eq!(keyring.entries_under(layout.files().as_str()).len(), 1);
}

#[test]
fn foreign_and_damaged_files_are_reported_not_opened() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let (layout, keyring) = drive(&pod);

    let foreign = layout.files().join("stranger.txt").unwrap();
    block_on(pod.put(
        &foreign,
        "text/plain",
        b"hello".to_vec(),
        &Condition::IfAbsent,
    ))
    .unwrap();
    let mine = put_file(
        &pod,
        &keyring,
        &layout.files(),
        "mine.bin",
        &random_bytes(1000),
    )
    .unwrap();
    let mut damaged = block_on(pod.get(&mine)).unwrap().body;
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    block_on(pod.put(
        &mine,
        "application/octet-stream",
        damaged,
        &Condition::Always,
    ))
    .unwrap();

    let items = block_on(list_folder(&pod, &keyring, &layout.files())).unwrap();
    let stranger = items.iter().find(|i| i.url == foreign).unwrap();
    assert!(!stranger.known);
    assert_eq!(stranger.name, "stranger.txt");
    assert_eq!(
        block_on(download_to_memory(&pod, &keyring, &foreign)).unwrap_err(),
        DownloadError::NoKey
    );
    assert!(matches!(
        block_on(download_to_memory(&pod, &keyring, &mine)).unwrap_err(),
        DownloadError::Corrupt(_)
    ));
}

#[test]
fn two_tabs_see_each_others_files_and_keep_both_keys() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let (layout, first) = drive(&pod);
    let second = block_on(unlock(&pod, &layout, &password())).unwrap();

    let a = put_file(&pod, &first, &layout.files(), "from-a.txt", b"a").unwrap();
    let b = put_file(&pod, &second, &layout.files(), "from-b.txt", b"b").unwrap();
    // Each tab's cache learns about the other's file when it meets it in a listing.
    for tab in [&first, &second] {
        let items = block_on(list_folder(&pod, tab, &layout.files())).unwrap();
        assert_eq!(
            items
                .iter()
                .map(|i| (i.name.as_str(), i.known))
                .collect::<Vec<_>>(),
            [("from-a.txt", true), ("from-b.txt", true)]
        );
    }
    let fresh = block_on(unlock(&pod, &layout, &password())).unwrap();
    assert!(fresh.lookup(a.as_str()).is_some() && fresh.lookup(b.as_str()).is_some());
}

#[test]
fn a_file_from_another_tab_re_reads_only_the_keystores_that_may_hold_its_key() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let (layout, first) = drive(&pod);
    // Three folders shared by link: three more keystores in the index.
    let shared: Vec<Url> = ["one", "two", "three"]
        .into_iter()
        .map(|name| {
            let folder = common::new_top_folder(&pod, &first, &layout, name);
            let link = common::alice_shares_folder(&pod, &first, &folder, Access::Read);
            common::folder_keystore(&link).0
        })
        .collect();
    let second = block_on(unlock(&pod, &layout, &password())).unwrap();
    put_file(&pod, &first, &layout.files(), "from-a.txt", b"a").unwrap();

    let counting = common::Counting::new(&http);
    let counted = Pod::new(&counting, Some(&session));
    let items = block_on(list_folder(&counted, &second, &layout.files())).unwrap();
    let file = items.iter().find(|i| i.name == "from-a.txt");
    assert!(
        file.is_some_and(|f| f.known),
        "the new file is known: {items:?}"
    );
    let requests = counting.take();
    for keystore in &shared {
        assert!(
            !requests.iter().any(|r| r.ends_with(keystore.path())),
            "{keystore} was read again for a file outside it: {requests:?}"
        );
    }
    assert!(
        requests.len() <= 4,
        "the listing and the root keystore: {requests:?}"
    );
}

#[test]
fn text_files_are_edited_in_place_and_never_overwrite_a_newer_version() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let (layout, keyring) = drive(&pod);
    let url = put_file(&pod, &keyring, &layout.files(), "todo.txt", b"milk").unwrap();

    let opened = block_on(open_text(&pod, &keyring, &url)).unwrap();
    assert_eq!(opened.text, "milk");
    let before = block_on(pod.get(&url)).unwrap().body;
    block_on(save_text(
        &pod,
        &keyring,
        &url,
        "todo.txt",
        "milk, eggs",
        opened.etag.as_deref(),
    ))
    .unwrap();
    let after = block_on(pod.get(&url)).unwrap().body;
    assert_ne!(before[..78], after[..78], "a fresh salt on every write");
    let again = block_on(open_text(&pod, &keyring, &url)).unwrap();
    assert_eq!(again.text, "milk, eggs");
    assert_eq!(keyring.lookup(url.as_str()).unwrap().size, Some(10));

    // Saving over a version someone else replaced meanwhile is refused.
    assert_eq!(
        block_on(save_text(
            &pod,
            &keyring,
            &url,
            "todo.txt",
            "stale",
            opened.etag.as_deref()
        )),
        Err(SaveTextError::ChangedElsewhere)
    );
    assert_eq!(
        block_on(open_text(&pod, &keyring, &url)).unwrap().text,
        "milk, eggs"
    );
}
