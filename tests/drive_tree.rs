#![cfg(not(target_arch = "wasm32"))]
//! A dropped folder tree on a real pod: its folders created under random names
//! (the dropped names only in the keystore), its files' keys written in one
//! batch before their ciphertext, a cancelled file and files never started
//! leaving no key behind, and everything listing and decrypting as dropped.

mod common;

use common::{block_on, new_drive, random_bytes, Counting, NativeHttp, ALICE};
use solidcrypt::crypto::envelope::RustCryptoCipher;
use solidcrypt::drive::memory::{SliceSource, VecUpload};
use solidcrypt::drive::tree::{create_folders, folder_of, folders};
use solidcrypt::drive::{
    download_to_memory, forget_unused, list_folder, reserve, upload_reserved, NewFile, UploadError,
};
use solidcrypt::pod::Pod;

const FILES: [&str; 6] = [
    "top.txt",
    "a/one.txt",
    "a/b/two.txt",
    "a/b/c/three.txt",
    "x/four.txt",
    "x/five.txt",
];

#[test]
fn a_tree_arrives_with_one_keystore_write_per_batch_and_no_stray_keys() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let counting = Counting::new(&http);
    let pod = Pod::new(&counting, Some(&session));
    let (layout, keyring) = new_drive(&pod, &ALICE);
    let root = layout.files();
    counting.take();

    let dirs = folders(&FILES, &["a/empty"]);
    let urls = block_on(create_folders(&pod, &keyring, &root, &dirs)).unwrap();
    let requests = counting.take();
    let keystore_puts = |requests: &[String]| {
        requests
            .iter()
            .filter(|r| r.starts_with("PUT ") && r.contains("/keystores/"))
            .count()
    };
    assert_eq!(keystore_puts(&requests), 1, "{requests:?}");
    for request in &requests {
        for name in ["/a/", "/b/", "/x/", "empty", "top.txt"] {
            assert!(
                !request.contains(name),
                "a dropped name reached the pod: {request}"
            );
        }
    }

    let bodies: Vec<Vec<u8>> = FILES.iter().map(|_| random_bytes(4096)).collect();
    let news: Vec<(NewFile, bool)> = FILES
        .iter()
        .zip(&bodies)
        .map(|(path, body)| {
            let name = path.rsplit('/').next().unwrap();
            let file = NewFile {
                folder: &urls[folder_of(path)],
                name,
                media_type: Some("text/plain"),
                size: body.len() as u64,
                fingerprint: None,
            };
            (file, false)
        })
        .collect();
    let mut reserved = block_on(reserve(&pod, &keyring, &news)).unwrap();
    assert_eq!(
        keystore_puts(&counting.take()),
        1,
        "one write for the batch"
    );
    for r in &reserved {
        assert!(
            keyring.lookup(r.url().as_str()).is_some(),
            "key before ciphertext"
        );
    }

    // The last two never start (cancelled while queued); the one before is
    // cancelled mid-way; the rest arrive.
    let never = reserved.split_off(FILES.len() - 2);
    let cancelled_url = reserved[reserved.len() - 1].url().clone();
    for (i, r) in reserved.into_iter().enumerate() {
        let cancel = i == FILES.len() - 3;
        let got = block_on(upload_reserved::<_, RustCryptoCipher, _, _>(
            &pod,
            &keyring,
            r,
            &news[i].0,
            &mut SliceSource::new(&bodies[i], 1024),
            VecUpload::new(&pod),
            &mut |_| {},
            &|| cancel,
        ));
        if cancel {
            assert_eq!(got, Err(UploadError::Cancelled));
        } else {
            got.unwrap();
        }
    }
    block_on(forget_unused(&pod, &keyring, &never));
    assert!(keyring.lookup(cancelled_url.as_str()).is_none());
    for r in &never {
        assert!(keyring.lookup(r.url().as_str()).is_none(), "stray key");
    }

    // A fresh unlock sees the tree as dropped, minus the three that did not go.
    let fresh = block_on(solidcrypt::keystore::master::unlock(
        &pod,
        &layout,
        &common::drive_password(),
    ))
    .unwrap();
    let names = |url: &url::Url| {
        let mut n: Vec<String> = block_on(list_folder(&pod, &fresh, url))
            .unwrap()
            .into_iter()
            .map(|i| i.name)
            .collect();
        n.sort();
        n
    };
    assert_eq!(names(&root), ["a", "top.txt", "x"]);
    assert_eq!(names(&urls["a"]), ["b", "empty", "one.txt"]);
    assert_eq!(names(&urls["a/b"]), ["c", "two.txt"]);
    assert_eq!(
        names(&urls["a/b/c"]),
        Vec::<String>::new(),
        "three.txt was cancelled"
    );
    assert_eq!(names(&urls["a/empty"]), Vec::<String>::new());
    assert_eq!(
        names(&urls["x"]),
        Vec::<String>::new(),
        "x's files never went"
    );
    let listed = block_on(list_folder(&pod, &fresh, &urls["a/b"])).unwrap();
    let two = listed.iter().find(|i| i.name == "two.txt").unwrap();
    let (_, plain) = block_on(download_to_memory(&pod, &fresh, &two.url)).unwrap();
    assert_eq!(plain.0.as_slice(), bodies[2].as_slice());
}
