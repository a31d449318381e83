#![cfg(not(target_arch = "wasm32"))]
//! "Import from SolidCryptPad" against a real pod: a SolidCryptPad pod tree written
//! by the real crypto-js 4.1.1 (tests/solidcryptpad/make-fixture.mjs) is PUT into a
//! scratch folder standing for alice's storage root, imported into a fresh drive,
//! and every file downloaded again through the drive and compared byte for byte;
//! a wrong password writes nothing, a tampered file and one without a key are
//! reported while the rest is imported, a second run duplicates nothing, and the
//! old data is left as it was.

mod common;

use std::process::Command;

use common::{block_on, new_drive, scratch_container, unique, NativeHttp, ALICE};
use serde_json::Value;
use sha2::{Digest, Sha256};
use solidcrypt::drive::{download_to_memory, list_folder, Item};
use solidcrypt::import::solidcryptpad::{import, plan, Outcome, PlanError, TARGET_FOLDER};
use solidcrypt::keystore::Keyring;
use solidcrypt::pod::resource::Condition;
use solidcrypt::pod::Pod;
use url::Url;

/// Writes the fixture for storage root `root` with node and PUTs it there; returns
/// the fixture description (password, files, what the import must find).
fn put_fixture(pod: &Pod<'_, NativeHttp>, root: &Url) -> Value {
    let dir = std::env::temp_dir().join(unique("scp-fixture"));
    let status = Command::new("node")
        .args(["tests/solidcryptpad/make-fixture.mjs", "pod", root.as_str()])
        .arg(&dir)
        .status()
        .expect("node runs (scripts/setup installs it and crypto-js)");
    assert!(status.success(), "make-fixture.mjs failed");
    let fixture: Value =
        serde_json::from_slice(&std::fs::read(dir.join("fixture.json")).unwrap()).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    for file in fixture["files"].as_array().unwrap() {
        let url = root.join(file["path"].as_str().unwrap()).unwrap();
        let body = file["body"].as_str().unwrap().as_bytes().to_vec();
        block_on(pod.put(&url, "text/plain", body, &Condition::Always))
            .unwrap_or_else(|e| panic!("PUT {url}: {e}"));
    }
    fixture
}

/// The items of the drive folder reached by `path` (names) from My files.
fn items_at(pod: &Pod<'_, NativeHttp>, keyring: &Keyring, path: &[&str]) -> Vec<Item> {
    let mut folder = keyring.layout().files();
    for name in path {
        let items = block_on(list_folder(pod, keyring, &folder)).unwrap();
        folder = items
            .iter()
            .find(|i| i.is_folder && i.name == *name)
            .unwrap_or_else(|| panic!("no folder {name} in {folder}: {items:?}"))
            .url
            .clone();
    }
    block_on(list_folder(pod, keyring, &folder)).unwrap()
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn a_solidcryptpad_pod_imports_byte_identical_and_a_rerun_adds_nothing() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let root = scratch_container(&pod, &ALICE.storage());
    let fixture = put_fixture(&pod, &root);
    let (_, keyring) = new_drive(&pod, &ALICE);

    // A wrong password: refused before anything is written.
    let wrong = block_on(plan(&pod, &root, "not the old password"));
    assert!(matches!(wrong, Err(PlanError::WrongPassword)), "{wrong:?}");
    assert!(items_at(&pod, &keyring, &[]).is_empty(), "nothing written");

    let password = fixture["password"].as_str().unwrap();
    let found = block_on(plan(&pod, &root, password)).unwrap();
    let expect = fixture["expect"].as_array().unwrap();
    assert_eq!(found.files.len(), expect.len(), "{:?}", found.files);
    assert_eq!(
        found.files.iter().filter(|f| !f.has_key()).count(),
        1,
        "orphan.txt"
    );
    // The other pod's folder and the hostile entry are counted, never fetched.
    assert_eq!(
        found.notes,
        ["2 folder(s) or file(s) others shared with you are on their pods: not imported"]
    );
    assert!(
        items_at(&pod, &keyring, &[]).is_empty(),
        "planning writes nothing"
    );

    let mut seen = Vec::new();
    let summary = block_on(import(&pod, &keyring, &found, &mut |done, total, _| {
        seen.push((done, total))
    }))
    .unwrap();
    assert_eq!(seen.last(), Some(&(expect.len(), expect.len())));
    let imported = expect.iter().filter(|e| e["outcome"] == "imported").count();
    assert_eq!(summary.imported(), imported, "{summary:?}");
    let failed: Vec<&str> = summary.failed().iter().map(|(path, _)| *path).collect();
    assert_eq!(
        failed,
        ["broken.bin", "orphan.txt", "raw.html"],
        "{summary:?}"
    );
    let reasons: Vec<&str> = summary.failed().iter().map(|(_, why)| *why).collect();
    assert!(
        reasons[0].starts_with("it does not decrypt"),
        "{}",
        reasons[0]
    );
    assert_eq!(reasons[1], "no SolidCryptPad keystore has its key");
    assert!(
        reasons[2].starts_with("it decrypts, but not a data URL"),
        "{}",
        reasons[2]
    );

    // Every imported file, where SolidCryptPad had it, with its bytes and type.
    for e in expect.iter().filter(|e| e["outcome"] == "imported") {
        let mut path = vec![TARGET_FOLDER];
        path.extend(
            e["folder"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap()),
        );
        let name = e["name"].as_str().unwrap();
        let items = items_at(&pod, &keyring, &path);
        let item = items
            .iter()
            .find(|i| i.name == name)
            .unwrap_or_else(|| panic!("{name} not in {path:?}: {items:?}"));
        assert_eq!(item.media_type.as_deref(), e["type"].as_str(), "{name}");
        let (metadata, plain) = block_on(download_to_memory(&pod, &keyring, &item.url)).unwrap();
        assert_eq!(metadata.name.as_deref(), Some(name));
        assert_eq!(sha256(&plain.0), e["sha256"].as_str().unwrap(), "{name}");
    }

    // Again: nothing new, nothing duplicated.
    let before = items_at(&pod, &keyring, &[TARGET_FOLDER]);
    let again = block_on(import(&pod, &keyring, &found, &mut |_, _, _| {})).unwrap();
    assert_eq!(
        (again.imported(), again.skipped()),
        (0, imported),
        "{again:?}"
    );
    assert_eq!(again.failed().len(), 3);
    assert!(again
        .files
        .iter()
        .all(|(_, o)| !matches!(o, Outcome::Imported { .. })));
    assert_eq!(items_at(&pod, &keyring, &[TARGET_FOLDER]), before);
    assert_eq!(items_at(&pod, &keyring, &[]).len(), 1, "one import folder");

    // The old data is untouched.
    for file in fixture["files"].as_array().unwrap() {
        let url = root.join(file["path"].as_str().unwrap()).unwrap();
        let now = block_on(pod.get(&url)).unwrap().body;
        assert_eq!(now, file["body"].as_str().unwrap().as_bytes(), "{url}");
    }
}

#[test]
fn a_pod_without_solidcryptpad_data_says_so() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let root = scratch_container(&pod, &ALICE.storage());
    let result = block_on(plan(&pod, &root, "anything"));
    assert!(matches!(result, Err(PlanError::NothingThere)), "{result:?}");
}
