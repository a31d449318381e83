//! "Download as zip" (issue 15) natively against the local pod: a folder tree of
//! the drive (a small file, a file in parts, a subfolder, a hostile name) becomes a
//! zip that an independent reader (Python's `zipfile`, which checks every CRC)
//! reads back byte for byte; a file that does not decrypt stops the archive with
//! its name instead of leaving it out.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use common::*;
use solidcrypt::crypto::envelope::RustCryptoCipher;
use solidcrypt::drive::zip::{plain_size, plan, write_zip, PodFiles, ZipError, ZipItem};
use solidcrypt::pod::resource::Condition;

/// `zip`'s entries as Python's zipfile reads them (after `testzip`, which checks
/// every entry's CRC): name → (stored?, size, sha256 hex).
fn read_with_python(zip: &[u8]) -> BTreeMap<String, (bool, u64, String)> {
    let path = std::env::temp_dir().join(format!("{}.zip", unique("drive-zip")));
    std::fs::write(&path, zip).unwrap();
    let script = r#"
import hashlib, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    assert z.testzip() is None, "a CRC does not match"
    print(json.dumps({i.filename: [i.compress_type == zipfile.ZIP_STORED, i.file_size,
        hashlib.sha256(z.read(i)).hexdigest()] for i in z.infolist()}))
"#;
    let output = Command::new("python3")
        .args(["-c", script, path.to_str().unwrap()])
        .output()
        .expect("python3 runs");
    let _ = std::fs::remove_file(&path);
    assert!(output.status.success(), "{output:?}");
    let parsed: BTreeMap<String, (bool, u64, String)> =
        serde_json::from_slice(&output.stdout).unwrap();
    parsed
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn a_folder_tree_zips_to_what_an_independent_reader_gets_back() {
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE]);
    let [alice] = pods(&http, &sessions);
    let (layout, keys) = new_drive(&alice, &ALICE);
    let files = layout.files();
    let trip = block_on(solidcrypt::drive::new_folder(&alice, &keys, &files, "Trip")).unwrap();
    let notes = b"packing list".to_vec();
    put_file(&alice, &keys, &trip, "notes.txt", &notes);
    let movie = random_bytes(3 * PART + 77);
    put_in_parts(&alice, &keys, &trip, "movie.mp4", &movie);
    let sub = block_on(solidcrypt::drive::new_folder(&alice, &keys, &trip, "Day 1")).unwrap();
    let empty = Vec::new();
    put_file(&alice, &keys, &sub, "empty.txt", &empty);
    let hostile = b"climbing".to_vec();
    put_file(&alice, &keys, &sub, "../../../etc/passwd", &hostile);

    let items = block_on(plan(&alice, &keys, &trip, "Trip")).unwrap();
    assert_eq!(
        plain_size(&items),
        (notes.len() + movie.len() + hostile.len()) as u64
    );
    assert!(items.contains(&ZipItem::Folder {
        path: "Trip/Day 1/".into()
    }));
    let mut zip = Vec::new();
    let mut reported = 0;
    let opener = PodFiles {
        pod: &alice,
        keyring: &keys,
    };
    block_on(write_zip::<RustCryptoCipher, _, _>(
        &items,
        &opener,
        &mut zip,
        &mut |done| reported = done,
    ))
    .unwrap();
    assert_eq!(reported, plain_size(&items));

    let entry = |bytes: &[u8]| (true, bytes.len() as u64, sha256(bytes));
    let expected = BTreeMap::from([
        ("Trip/".to_owned(), entry(&[])),
        ("Trip/notes.txt".to_owned(), entry(&notes)),
        ("Trip/movie.mp4".to_owned(), entry(&movie)),
        ("Trip/Day 1/".to_owned(), entry(&[])),
        ("Trip/Day 1/empty.txt".to_owned(), entry(&empty)),
        // One name inside its folder: no `..`, no `/` of its own.
        ("Trip/Day 1/_.._.._etc_passwd".to_owned(), entry(&hostile)),
    ]);
    assert_eq!(read_with_python(&zip), expected);
}

#[test]
fn a_file_that_does_not_decrypt_stops_the_zip_and_is_named() {
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE]);
    let [alice] = pods(&http, &sessions);
    let (layout, keys) = new_drive(&alice, &ALICE);
    let files = layout.files();
    let folder = block_on(solidcrypt::drive::new_folder(&alice, &keys, &files, "Docs")).unwrap();
    put_file(&alice, &keys, &folder, "a.txt", b"first");
    let damaged = put_file(&alice, &keys, &folder, "b.txt", b"second, to be damaged");
    // Someone with write access flips a byte of b.txt's ciphertext.
    let mut body = block_on(alice.get(&damaged)).unwrap().body;
    *body.last_mut().unwrap() ^= 1;
    block_on(alice.put(
        &damaged,
        "application/octet-stream",
        body,
        &Condition::Always,
    ))
    .unwrap();

    let items = block_on(plan(&alice, &keys, &folder, "Docs")).unwrap();
    let mut zip = Vec::new();
    let opener = PodFiles {
        pod: &alice,
        keyring: &keys,
    };
    let failed = block_on(write_zip::<RustCryptoCipher, _, _>(
        &items,
        &opener,
        &mut zip,
        &mut |_| {},
    ));
    match failed {
        Err(ZipError::File { path, .. }) => assert_eq!(path, "Docs/b.txt"),
        other => panic!("expected b.txt to stop the zip, got {other:?}"),
    }
    let message = format!(
        "{}",
        block_on(write_zip::<RustCryptoCipher, _, _>(
            &items,
            &opener,
            &mut Vec::new(),
            &mut |_| {}
        ))
        .unwrap_err()
    );
    assert!(
        message.contains("Docs/b.txt") && message.contains("tampered"),
        "{message}"
    );
}
