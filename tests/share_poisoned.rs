#![cfg(not(target_arch = "wasm32"))]
//! A read-write collaborator plants entries that cannot be opened in a shared
//! folder's keystore, on a real pod: a key for a file of junk, a wrong key for a
//! real file, keys for a parts container holding junk and for one holding no
//! parts, and a key for a file that is not there. Revoking the link still rotates
//! every other file, and reports the ones it skipped and why.

mod common;

use common::{
    block_on, drive_password, drives_and_a_folder_alice_shares_with_bob, log_in, pods, put_file,
    random_bytes, NativeHttp, SharedFolder, ALICE, BOB,
};
use solidcrypt::crypto::envelope::open;
use solidcrypt::crypto::SecretKey;
use solidcrypt::keystore::master::unlock;
use solidcrypt::keystore::Entry;
use solidcrypt::pod::resource::Condition;
use solidcrypt::share::{links_created, revoke, Access};
use url::Url;

fn entry(name: &str) -> Entry {
    Entry {
        key: Some(SecretKey::generate().unwrap()),
        name: name.to_owned(),
        media_type: Some("text/plain".into()),
        size: Some(3),
    }
}

#[test]
fn poisoned_entries_are_skipped_and_reported_and_the_rest_is_rotated() {
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE, &BOB]);
    let [alice, bob] = pods(&http, &sessions);
    let SharedFolder {
        alice_layout,
        alice_keys,
        bob_keys,
        folder,
        ..
    } = drives_and_a_folder_alice_shares_with_bob(&alice, &bob, "Team", Access::ReadWrite);
    let plan = put_file(&alice, &alice_keys, &folder, "plan.txt", b"alice's plan");
    let notes = put_file(&bob, &bob_keys, &folder, "notes.txt", b"bob's notes");

    // Bob's poison, each entry written into the folder's shared keystore.
    let junk = folder.join("0123456789abcdef0123456789abcdef").unwrap();
    block_on(bob.put(
        &junk,
        "application/octet-stream",
        random_bytes(300),
        &Condition::IfAbsent,
    ))
    .unwrap();
    block_on(bob_keys.add(&bob, junk.as_str(), entry("junk.txt"))).unwrap();
    let decoy = put_file(&bob, &bob_keys, &folder, "decoy.txt", b"real file");
    block_on(bob_keys.add(&bob, decoy.as_str(), entry("decoy.txt"))).unwrap();
    let parts = folder.join("fedcba9876543210fedcba9876543210/").unwrap();
    block_on(bob.put(
        &parts.join("0123456789abcdef-0").unwrap(),
        "application/octet-stream",
        random_bytes(300),
        &Condition::IfAbsent,
    ))
    .unwrap();
    block_on(bob_keys.add(&bob, parts.as_str(), entry("big.bin"))).unwrap();
    let hollow = folder.join("00112233445566778899aabbccddeeff/").unwrap();
    block_on(bob.create_container(&hollow)).unwrap();
    block_on(bob_keys.add(&bob, hollow.as_str(), entry("hollow.bin"))).unwrap();
    let ghost = folder.join("00000000000000000000000000000000").unwrap();
    block_on(bob_keys.add(&bob, ghost.as_str(), entry("ghost.txt"))).unwrap();
    let old_key = |url: &Url| bob_keys.lookup(url.as_str()).unwrap().key.unwrap();
    let old_keys = [old_key(&plan), old_key(&notes)];

    // Alice (her keystores read afresh, so she has bob's entries) revokes.
    let alice_keys = block_on(unlock(&alice, &alice_layout, &drive_password())).unwrap();
    let created = block_on(links_created(&alice, &alice_keys))
        .unwrap()
        .remove(0);
    let revoked = block_on(revoke(
        &alice,
        &alice_keys,
        &ALICE.webid(),
        &created,
        &|_| {},
    ))
    .unwrap_or_else(|e| panic!("one poisoned entry stopped the revocation: {e}"));

    let mut rotated = revoked.rotated.clone();
    rotated.sort();
    let mut expected = vec![plan.clone(), notes.clone()];
    expected.sort();
    assert_eq!(rotated, expected, "{revoked:?}");
    let mut skipped: Vec<(Url, String, bool)> = revoked
        .skipped
        .iter()
        .map(|s| (s.url.clone(), s.name.clone(), s.error.cannot_open()))
        .collect();
    skipped.sort();
    let mut expected = vec![
        (junk.clone(), "junk.txt".to_owned(), true),
        (decoy.clone(), "decoy.txt".to_owned(), true),
        (parts.clone(), "big.bin".to_owned(), true),
        (hollow.clone(), "hollow.bin".to_owned(), true),
    ];
    expected.sort();
    assert_eq!(skipped, expected, "{revoked:?}");
    assert!(
        block_on(links_created(&alice, &alice_keys))
            .unwrap()
            .is_empty(),
        "the revocation completed"
    );

    // The rotated files open with alice's new keys (fresh unlock), not bob's old one.
    let after = block_on(unlock(&alice, &alice_layout, &drive_password())).unwrap();
    let files = [(&plan, &b"alice's plan"[..]), (&notes, &b"bob's notes"[..])];
    for ((url, text), old) in files.into_iter().zip(&old_keys) {
        let body = block_on(alice.get(url)).unwrap().body;
        let key = after.lookup(url.as_str()).unwrap().key.unwrap();
        assert_eq!(&open(&key, &body).unwrap().plaintext[..], text);
        assert!(
            open(old, &body).is_err(),
            "{url} still opens with bob's key"
        );
    }
}
