//! "Download as zip" (issue 15) natively against the local pod: a folder tree of
//! the drive (a small file, a file in parts, a subfolder, a hostile name) becomes a
//! zip that an independent reader (Python's `zipfile`, which checks every CRC)
//! reads back byte for byte; a file that does not decrypt stops the archive with
//! its name instead of leaving it out. Without a pod (files sealed in memory): the
//! length predicted from the plan (`archive_size`, the streamed download's
//! Content-Length) is the length written for many shapes of tree, a keystore size
//! that lies stops the zip, and nothing is output before a file's chunk opened.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::{BTreeMap, HashMap};
use std::process::Command;

use common::*;
use solidcrypt::crypto::envelope::{seal, RustCryptoCipher, SealOptions};
use solidcrypt::crypto::SecretKey;
use solidcrypt::drive::zip::{
    archive_size, plan, write_zip, FileOpener, PodFiles, ZipError, ZipItem,
};
use solidcrypt::drive::{ByteSource, DownloadError, StreamError};
use solidcrypt::pod::resource::Condition;
use url::Url;

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
    // The length announced before writing is the length written, and the progress
    // counts the archive's bytes.
    assert_eq!(archive_size(&items), Some(zip.len() as u64));
    assert_eq!(reported, zip.len() as u64);

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

/// Files sealed in memory, opened as the drive opens them (key and ciphertext).
#[derive(Default)]
struct Sealed(HashMap<Url, (SecretKey, Vec<u8>)>);

/// A ciphertext handed out in pieces of 1000 bytes (several chunks, cut anywhere).
struct Pieces(Vec<u8>);

impl ByteSource for Pieces {
    async fn next(&mut self) -> Result<Option<Vec<u8>>, StreamError> {
        if self.0.is_empty() {
            return Ok(None);
        }
        let rest = self.0.split_off(self.0.len().min(1000));
        Ok(Some(std::mem::replace(&mut self.0, rest)))
    }
}

impl FileOpener for Sealed {
    type Source = Pieces;

    async fn open(&self, url: &Url) -> Result<(SecretKey, Pieces), DownloadError> {
        let (key, body) = &self.0[url];
        Ok((key.clone(), Pieces(body.clone())))
    }
}

/// A tree of items for `spec` (paths; a path ending in `/` is a folder, a file
/// has its plaintext), the files sealed in `sealed` in 256-byte chunks; each
/// file's planned size is its real one.
fn tree(sealed: &mut Sealed, spec: &[(&str, &[u8])]) -> Vec<ZipItem> {
    spec.iter()
        .map(|(path, plain)| {
            if path.ends_with('/') {
                return ZipItem::Folder {
                    path: (*path).into(),
                };
            }
            let url = Url::parse(&format!("https://pod.example/{}", unique("f"))).unwrap();
            let key = SecretKey::generate().unwrap();
            let options = SealOptions {
                chunk_size: 256,
                ..SealOptions::default()
            };
            let body = seal(&key, plain, &options).unwrap();
            sealed.0.insert(url.clone(), (key, body));
            ZipItem::File {
                path: (*path).into(),
                url,
                size: Some(plain.len() as u64),
            }
        })
        .collect()
}

/// What `write_zip` says of `items`, and the bytes it output.
fn zip_of(sealed: &Sealed, items: &[ZipItem]) -> (Result<(), ZipError>, Vec<u8>) {
    let mut zip = Vec::new();
    let written = block_on(write_zip::<RustCryptoCipher, _, _>(
        items,
        sealed,
        &mut zip,
        &mut |_| {},
    ));
    (written, zip)
}

#[test]
fn the_announced_length_is_the_length_written_for_every_shape_of_tree() {
    let many: Vec<(String, Vec<u8>)> = (0..300)
        .map(|i| (format!("Many/f{i:03}.bin"), random_bytes(i * 7 % 600)))
        .collect();
    let mut many_spec: Vec<(&str, &[u8])> = vec![("Many/", &[])];
    many_spec.extend(many.iter().map(|(p, b)| (p.as_str(), b.as_slice())));
    let big = random_bytes(256 * 5);
    let shapes: Vec<Vec<(&str, &[u8])>> = vec![
        vec![("Empty/", &[])],
        vec![("Top/", &[]), ("Top/nothing", &[])],
        vec![
            ("Top/", &[]),
            ("Top/a.txt", b"one"),
            ("Top/b/", &[]),
            ("Top/b/c/", &[]),
            ("Top/b/c/d/", &[]),
            ("Top/b/c/d/exactly five chunks", &big),
            ("Top/b/empty folder/", &[]),
        ],
        vec![
            ("Réisí 🚲/", &[]),
            ("Réisí 🚲/日本語のファイル.txt", "こんにちは".as_bytes()),
            ("Réisí 🚲/Ωmega/", &[]),
            ("Réisí 🚲/Ωmega/naïve café", b"cr\xc3\xa8me"),
        ],
        many_spec,
    ];
    for spec in shapes {
        let mut sealed = Sealed::default();
        let items = tree(&mut sealed, &spec);
        let (written, zip) = zip_of(&sealed, &items);
        written.unwrap();
        assert_eq!(archive_size(&items), Some(zip.len() as u64), "{spec:?}");
        let read = read_with_python(&zip);
        assert_eq!(read.len(), spec.len());
        for (path, plain) in &spec {
            assert_eq!(read[*path].2, sha256(plain), "{path}");
        }
    }
}

#[test]
fn a_keystore_size_that_lies_stops_the_zip_before_it_is_longer_or_shorter() {
    let plain = random_bytes(1000);
    for stated in [999, 1001, 0, u64::MAX / 2] {
        let mut sealed = Sealed::default();
        let mut items = tree(&mut sealed, &[("Top/", &[]), ("Top/x", &plain)]);
        let ZipItem::File { size, .. } = &mut items[1] else {
            unreachable!()
        };
        *size = Some(stated);
        let (written, partial) = zip_of(&sealed, &items);
        let error = written.unwrap_err();
        match &error {
            ZipError::WrongSize {
                path,
                stated: s,
                found,
            } => {
                assert_eq!((path.as_str(), *s), ("Top/x", stated));
                // Stopped at the first byte too many, or at the end when short.
                assert!(*found == 1000 || (*found > stated && *found <= 1000));
            }
            other => panic!("expected WrongSize for {stated}, got {other:?}"),
        }
        let message = error.to_string();
        assert!(message.contains("Top/x") && message.contains(&stated.to_string()));
        // What was output never runs past the stated size of the file.
        let header = 30 + "Top/".len() + 30 + "Top/x".len();
        assert!(partial.len() as u64 <= header as u64 + stated, "{stated}");
    }
}

#[test]
fn nothing_is_output_before_the_first_file_proved_readable() {
    let mut sealed = Sealed::default();
    let items = tree(
        &mut sealed,
        &[
            ("Top/", &[]),
            ("Top/sub/", &[]),
            ("Top/first", b"abc"),
            ("Top/second", b"d"),
        ],
    );
    let ZipItem::File { url, .. } = &items[2] else {
        unreachable!()
    };
    // The first file's first (and only) chunk does not open.
    let body = &mut sealed.0.get_mut(url).unwrap().1;
    *body.last_mut().unwrap() ^= 1;
    let (written, partial) = zip_of(&sealed, &items);
    let error = written.unwrap_err();
    assert!(
        matches!(&error, ZipError::File { path, .. } if path == "Top/first"),
        "{error:?}"
    );
    assert!(partial.is_empty(), "{} bytes were output", partial.len());
}
