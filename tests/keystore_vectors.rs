#![cfg(not(target_arch = "wasm32"))]
//! The keystore formats against their test vectors (tests/vectors/keystore_v1.json,
//! docs/FORMAT.md §4): a stored index file opens with its password to the stored
//! JSON and refuses a wrong one; a stored keystore opens with the key the index
//! lists; damage anywhere is refused; the counted copies carry their `counter`
//! and the older files open as counter 0. No pod needed.

use solidcrypt::keystore::format::{decrypt, KeystoreDoc};
use solidcrypt::keystore::master::{open_index, OpenIndexError};
use solidcrypt::keystore::Password;

fn vectors() -> serde_json::Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/keystore_v1.json"
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

fn password(value: &serde_json::Value) -> Password {
    Password::new(value.as_str().unwrap().to_owned())
}

#[test]
fn the_index_vector_opens_with_its_password_only() {
    let v = vectors();
    let file = bytes(&v["index"]["file_hex"]);
    let index = open_index(&file, &password(&v["index"]["password"])).unwrap();
    assert_eq!(serde_json::to_value(&index).unwrap(), v["index"]["json"]);
    assert_eq!(
        open_index(&file, &password(&v["index"]["wrong_password"])).unwrap_err(),
        OpenIndexError::WrongPassword
    );
    for at in [130, file.len() - 1] {
        let mut damaged = file.clone();
        damaged[at] ^= 1;
        assert!(matches!(
            open_index(&damaged, &password(&v["index"]["password"])),
            Err(OpenIndexError::Damaged(_))
        ));
    }
    assert!(matches!(
        open_index(&file[..100], &password(&v["index"]["password"])),
        Err(OpenIndexError::Damaged(_))
    ));
}

#[test]
fn the_keystore_vector_opens_with_the_key_the_index_lists() {
    let v = vectors();
    let index = open_index(
        &bytes(&v["index"]["file_hex"]),
        &password(&v["index"]["password"]),
    )
    .unwrap();
    let key = &index.keystores[0].key;
    assert_eq!(
        key.to_base64url().as_str(),
        v["keystore"]["key"].as_str().unwrap()
    );
    let file = bytes(&v["keystore"]["file_hex"]);
    let doc: KeystoreDoc = decrypt(&file, key).unwrap();
    assert_eq!(serde_json::to_value(&doc).unwrap(), v["keystore"]["json"]);
    let mut damaged = file.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    assert!(decrypt::<KeystoreDoc>(&damaged, key).is_err());
}

#[test]
fn counted_vectors_carry_their_counter_and_old_files_count_zero() {
    let v = vectors();
    let pw = password(&v["index"]["password"]);
    let old = open_index(&bytes(&v["index"]["file_hex"]), &pw).unwrap();
    assert_eq!(old.counter, 0, "an index from before counters");
    let counted = open_index(&bytes(&v["counted"]["index"]["file_hex"]), &pw).unwrap();
    assert_eq!(counted.counter, 5);
    assert_eq!(
        serde_json::to_value(&counted).unwrap(),
        v["counted"]["index"]["json"]
    );
    let key = &counted.keystores[0].key;
    let doc: KeystoreDoc = decrypt(&bytes(&v["counted"]["keystore"]["file_hex"]), key).unwrap();
    assert_eq!(doc.counter, 7);
    assert_eq!(
        serde_json::to_value(&doc).unwrap(),
        v["counted"]["keystore"]["json"]
    );
    let old: KeystoreDoc = decrypt(&bytes(&v["keystore"]["file_hex"]), key).unwrap();
    assert_eq!(old.counter, 0, "a keystore from before counters");
}
