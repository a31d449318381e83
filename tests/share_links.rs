#![cfg(not(target_arch = "wasm32"))]
//! Share links (FORMAT.md §5): every case of `tests/vectors/share_links*.json`
//! parses to what it records or fails with the named error, and any link we build
//! parses back to the same thing.

use proptest::prelude::*;
use serde_json::Value;
use solidcrypt::crypto::SecretKey;
use solidcrypt::share::{Access, ShareLink, Shared};
use url::Url;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The variant name of an error, as the vectors spell it (`BadKey { … }` → `BadKey`).
fn variant(error: &impl std::fmt::Debug) -> String {
    format!("{error:?}")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_owned()
}

fn check_ok(case: &Value, link: &ShareLink) {
    let field = |name: &str| case[name].as_str().unwrap_or_default();
    let mode = match link.access {
        Access::Read => "read",
        Access::ReadWrite => "write",
    };
    assert_eq!(mode, field("mode"));
    assert_eq!(link.group.as_str(), field("group"));
    assert_eq!(link.shared.url().as_str(), field("resource"));
    match &link.shared {
        Shared::File { key, .. } => {
            assert_eq!(field("kind"), "file");
            assert_eq!(hex(key.expose_bytes()), field("key_hex"));
        }
        Shared::Folder {
            keystore,
            keystore_key,
            ..
        } => {
            assert_eq!(field("kind"), "folder");
            assert_eq!(keystore.as_str(), field("keystore"));
            assert_eq!(hex(keystore_key.expose_bytes()), field("keystore_key_hex"));
        }
    }
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
        write in any::<bool>(),
    ) {
        let shared = if is_folder {
            Shared::Folder {
                url: folder(resource),
                keystore: file(keystore),
                keystore_key: SecretKey::from_bytes(key),
            }
        } else {
            Shared::File { url: file(resource), key: SecretKey::from_bytes(key) }
        };
        let access = if write { Access::ReadWrite } else { Access::Read };
        let link = ShareLink { shared, access, group: group(groups, random) };
        let text = link.to_url(&app);
        let back = ShareLink::parse(&text).unwrap();
        prop_assert_eq!(back.access, link.access);
        prop_assert_eq!(&back.group, &link.group);
        prop_assert_eq!(back.shared.url(), link.shared.url());
        match (&back.shared, &link.shared) {
            (Shared::File { key: a, .. }, Shared::File { key: b, .. }) => {
                prop_assert_eq!(a.expose_bytes(), b.expose_bytes());
            }
            (
                Shared::Folder { keystore: a, keystore_key: ka, .. },
                Shared::Folder { keystore: b, keystore_key: kb, .. },
            ) => {
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
