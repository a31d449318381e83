#![cfg(not(target_arch = "wasm32"))]
//! The "links I created" document against its test vector
//! (tests/vectors/links_created_v1.json, docs/FORMAT.md §6): it opens with its key to
//! the stored JSON, serializes back to the same JSON, each entry turns back into
//! the link it records, and a wrong key, damage, another document or an entry
//! missing its key are refused. No pod needed.

use solidcrypt::crypto::SecretKey;
use solidcrypt::keystore::format::{decrypt, encrypt, DecodeError, KeystoreDoc};
use solidcrypt::share::list::LinksDoc;
use solidcrypt::share::{Access, LinkKind, ShareLink, Shared, StoredLinkError};
use url::Url;

fn vector() -> serde_json::Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/links_created_v1.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn bytes(hex: &serde_json::Value) -> Vec<u8> {
    let hex = hex.as_str().unwrap();
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

fn key(v: &serde_json::Value) -> SecretKey {
    SecretKey::from_base64url(v["key"].as_str().unwrap()).unwrap()
}

#[test]
fn the_vector_opens_and_round_trips() {
    let v = vector();
    let doc: LinksDoc = decrypt(&bytes(&v["file_hex"]), &key(&v)).unwrap();
    assert_eq!(serde_json::to_value(&doc).unwrap(), v["json"]);
    // Parse → serialize → parse gives the same JSON again, also through a new seal.
    let again: LinksDoc = serde_json::from_value(v["json"].clone()).unwrap();
    let resealed = encrypt(&again, &key(&v)).unwrap();
    let reopened: LinksDoc = decrypt(&resealed, &key(&v)).unwrap();
    assert_eq!(serde_json::to_value(&reopened).unwrap(), v["json"]);

    assert_eq!(doc.links.len(), 3);
    let file = &doc.links[0];
    assert_eq!(
        (file.kind, file.access(), file.name.as_str(), file.created),
        (LinkKind::File, Access::Read, "minutes.txt", 1_795_000_000)
    );
    let folder = &doc.links[1];
    assert_eq!(
        (folder.kind, folder.access(), folder.name.as_str()),
        (LinkKind::Folder, Access::ReadWrite, "Project")
    );
}

#[test]
fn each_entry_is_the_link_it_records() {
    let v = vector();
    let doc: LinksDoc = decrypt(&bytes(&v["file_hex"]), &key(&v)).unwrap();
    let app = Url::parse("https://app.example/").unwrap();
    for (entry, json) in doc.links.iter().zip(v["json"]["links"].as_array().unwrap()) {
        let link = entry.link().unwrap();
        let back = ShareLink::parse(&link.to_url(&app)).unwrap();
        assert_eq!(back.group.as_str(), json["group"].as_str().unwrap());
        assert_eq!(
            back.shared.url().as_str(),
            json["resource"].as_str().unwrap()
        );
        assert_eq!(back.access, entry.access());
        let kind = match &back.shared {
            Shared::FileKey { key, .. } => {
                assert_eq!(*key.to_base64url(), json["key"].as_str().unwrap());
                "file"
            }
            Shared::File { .. } => "file",
            Shared::Folder { .. } => "folder",
        };
        assert_eq!(kind, json["kind"].as_str().unwrap());
        if let Some((keystore, keystore_key)) = back.shared.keystore() {
            assert_eq!(keystore.as_str(), json["keystore"].as_str().unwrap());
            assert_eq!(
                *keystore_key.to_base64url(),
                json["keystore_key"].as_str().unwrap()
            );
        }
    }
}

#[test]
fn wrong_key_damage_other_documents_and_incomplete_entries_are_refused() {
    let v = vector();
    let file = bytes(&v["file_hex"]);
    let other = SecretKey::from_bytes([0x44; 32]);
    assert!(matches!(
        decrypt::<LinksDoc>(&file, &other),
        Err(DecodeError::Envelope(_))
    ));
    for at in [20, file.len() / 2, file.len() - 1] {
        let mut damaged = file.clone();
        damaged[at] ^= 0x80;
        assert!(
            decrypt::<LinksDoc>(&damaged, &key(&v)).is_err(),
            "byte {at}"
        );
    }
    // A keystore sealed under the same key is not a list of links.
    let keystore = encrypt(&KeystoreDoc::default(), &key(&v)).unwrap();
    assert!(decrypt::<LinksDoc>(&keystore, &key(&v)).is_err());
    // A newer version is refused, not half-read.
    let mut newer: LinksDoc = serde_json::from_value(v["json"].clone()).unwrap();
    newer.version = 2;
    let sealed = encrypt(&newer, &key(&v)).unwrap();
    assert!(matches!(
        decrypt::<LinksDoc>(&sealed, &key(&v)),
        Err(DecodeError::Unsupported { version: 2, .. })
    ));
    // A file entry with neither its key nor a keystore cannot become a link, nor
    // one with both.
    let mut json = v["json"].clone();
    json["links"][0].as_object_mut().unwrap().remove("key");
    json["links"][2]["key"] = json["links"][2]["keystore_key"].clone();
    let doc: LinksDoc = serde_json::from_value(json).unwrap();
    assert_eq!(
        doc.links[0].link().unwrap_err(),
        StoredLinkError::Damaged("keystore")
    );
    assert_eq!(
        doc.links[2].link().unwrap_err(),
        StoredLinkError::Damaged("key and keystore")
    );
}
