#![cfg(not(target_arch = "wasm32"))]
//! Share links (FORMAT.md §5): every case of `tests/vectors/share_links*.json`
//! parses to what it records or fails with the named error, any link we build
//! parses back to the same thing, and the file link of
//! `tests/vectors/file_link_v1.json` leads through its keystore to the file.

mod common;

use common::vectors::{hex, variant};
use proptest::prelude::*;
use serde_json::Value;
use solidcrypt::crypto::envelope::open;
use solidcrypt::crypto::SecretKey;
use solidcrypt::keystore::format::{decrypt, KeystoreDoc};
use solidcrypt::share::{Access, ShareLink, Shared};
use url::Url;

fn check_ok(case: &Value, link: &ShareLink) {
    let field = |name: &str| case[name].as_str().unwrap_or_default();
    let mode = match link.access {
        Access::Read => "read",
        Access::ReadWrite => "write",
    };
    assert_eq!(mode, field("mode"));
    assert_eq!(link.group.as_str(), field("group"));
    assert_eq!(link.shared.url().as_str(), field("resource"));
    let kind = match &link.shared {
        Shared::FileKey { key, .. } => {
            assert_eq!(hex(key.expose_bytes()), field("key_hex"));
            assert!(case.get("keystore").is_none());
            "file"
        }
        Shared::File { .. } => "file",
        Shared::Folder { .. } => "folder",
    };
    assert_eq!(field("kind"), kind);
    if let Some((keystore, keystore_key)) = link.shared.keystore() {
        assert_eq!(keystore.as_str(), field("keystore"));
        assert_eq!(hex(keystore_key.expose_bytes()), field("keystore_key_hex"));
        assert!(case.get("key_hex").is_none());
    }
}

fn unhex(text: &Value) -> Vec<u8> {
    let text = text.as_str().unwrap();
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// FORMAT.md §5.2: the link's keystore opens with its `kskey`, its entry for
/// exactly `res` gives the key that opens the file; the other address it lists
/// (planted) is not the file's, and the key-in-link link carries the same key.
#[test]
fn file_link_vector_leads_through_its_keystore_to_the_file() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/file_link_v1.json"
    );
    let v: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let link = ShareLink::parse(v["link"].as_str().unwrap()).unwrap();
    let Shared::File {
        url,
        keystore,
        keystore_key,
    } = &link.shared
    else {
        panic!("a file link with its own keystore")
    };
    assert_eq!(url.as_str(), v["resource"].as_str().unwrap());
    assert_eq!(keystore.as_str(), v["keystore"].as_str().unwrap());
    let doc: KeystoreDoc = decrypt(&unhex(&v["keystore_envelope_hex"]), keystore_key).unwrap();
    assert_eq!(serde_json::to_value(&doc).unwrap(), v["keystore_json"]);
    let key = doc.entries[url.as_str()].key.clone().unwrap();
    assert_eq!(hex(key.expose_bytes()), v["file_key_hex"].as_str().unwrap());
    let opened = open(&key, &unhex(&v["file_envelope_hex"])).unwrap();
    assert_eq!(*opened.plaintext, unhex(&v["plaintext_hex"]));
    let metadata = opened.metadata.unwrap();
    assert_eq!(metadata.name.as_deref(), v["metadata"]["name"].as_str());
    let planted = doc.entries[v["planted"]["url"].as_str().unwrap()]
        .key
        .clone()
        .unwrap();
    assert_eq!(
        hex(planted.expose_bytes()),
        v["planted"]["key_hex"].as_str().unwrap()
    );
    assert!(open(&planted, &unhex(&v["file_envelope_hex"])).is_err());

    let old = ShareLink::parse(v["key_in_link"].as_str().unwrap()).unwrap();
    let Shared::FileKey { url: old_url, key } = &old.shared else {
        panic!("a key-in-link file link")
    };
    assert_eq!(old_url, url);
    assert_eq!(hex(key.expose_bytes()), v["file_key_hex"].as_str().unwrap());
}

#[test]
fn vectors() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.starts_with("share_links") && name.ends_with(".json")
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no share link vectors in {dir}");
    let (mut valid, mut invalid) = (0, 0);
    for path in files {
        let doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        for case in doc["cases"].as_array().unwrap() {
            let name = case["name"].as_str().unwrap();
            let text = case["link"].as_str().unwrap();
            let expect = case["expect"].as_str().unwrap();
            match (ShareLink::parse(text), expect) {
                (Ok(link), "ok") => {
                    check_ok(case, &link);
                    valid += 1;
                }
                (Ok(_), _) => panic!("{name}: parsed, expected {expect}"),
                (Err(e), "ok") => panic!("{name}: refused ({e}), expected ok"),
                (Err(e), _) => {
                    assert_eq!(variant(&e), expect, "{name}: {e}");
                    assert!(!e.to_string().is_empty());
                    invalid += 1;
                }
            }
        }
    }
    assert!(
        valid >= 10 && invalid >= 15,
        "{valid} valid, {invalid} invalid"
    );
}

fn http_url() -> impl Strategy<Value = Url> {
    (
        prop_oneof!["http", "https"],
        "[a-z][a-z0-9-]{0,20}(\\.[a-z]{2,6})?",
        proptest::option::of(1024u16..65535),
        proptest::collection::vec("[A-Za-z0-9 ._~%&=+#?é-]{1,12}", 0..5),
    )
        .prop_map(|(scheme, host, port, segments)| {
            let port = port.map(|p| format!(":{p}")).unwrap_or_default();
            let mut url = Url::parse(&format!("{scheme}://{host}{port}/")).unwrap();
            url.path_segments_mut().unwrap().extend(&segments);
            url
        })
}

fn folder(mut url: Url) -> Url {
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url
}

fn file(mut url: Url) -> Url {
    if url.path().ends_with('/') {
        let path = format!("{}f", url.path());
        url.set_path(&path);
    }
    url
}

fn group(container: Url, random: [u8; 20]) -> Url {
    folder(container)
        .join(&format!("group-{}.ttl", hex(&random)))
        .unwrap()
}

proptest! {
    #[test]
    fn built_links_parse_back(
        app in http_url(),
        resource in http_url(),
        keystore in http_url(),
        groups in http_url(),
        random in any::<[u8; 20]>(),
        key in any::<[u8; 32]>(),
        is_folder in any::<bool>(),
        key_in_link in any::<bool>(),
        write in any::<bool>(),
    ) {
        let shared = match (is_folder, key_in_link) {
            (true, _) => Shared::Folder {
                url: folder(resource),
                keystore: file(keystore),
                keystore_key: SecretKey::from_bytes(key),
            },
            (false, false) => Shared::File {
                url: file(resource),
                keystore: file(keystore),
                keystore_key: SecretKey::from_bytes(key),
            },
            (false, true) => Shared::FileKey { url: file(resource), key: SecretKey::from_bytes(key) },
        };
        let access = if write { Access::ReadWrite } else { Access::Read };
        let link = ShareLink { shared, access, group: group(groups, random) };
        let text = link.to_url(&app);
        let back = ShareLink::parse(&text).unwrap();
        prop_assert_eq!(back.access, link.access);
        prop_assert_eq!(&back.group, &link.group);
        prop_assert_eq!(back.shared.url(), link.shared.url());
        match (&back.shared, &link.shared) {
            (Shared::FileKey { key: a, .. }, Shared::FileKey { key: b, .. }) => {
                prop_assert_eq!(a.expose_bytes(), b.expose_bytes());
            }
            (Shared::File { .. }, Shared::File { .. })
            | (Shared::Folder { .. }, Shared::Folder { .. }) => {
                let ((a, ka), (b, kb)) = (back.shared.keystore().unwrap(), link.shared.keystore().unwrap());
                prop_assert_eq!(a, b);
                prop_assert_eq!(ka.expose_bytes(), kb.expose_bytes());
            }
            _ => prop_assert!(false, "kind changed"),
        }
        // The key travels only in the fragment, never in the part sent to a server.
        let (address, _) = text.split_once('#').unwrap();
        prop_assert!(!address.contains(SecretKey::from_bytes(key).to_base64url().as_str()));
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        let _ = ShareLink::parse(&text);
        let with_prefix = format!("https://app.example/share#{text}");
        let _ = ShareLink::parse(&with_prefix);
    }
}
