#![cfg(not(target_arch = "wasm32"))]
//! Rewriting the keystore index in a session (shares added and removed) on a real
//! pod, without the password: concurrent sessions adding keystores at once lose
//! none (If-Match, re-apply on 412), removal works, and after a password change
//! elsewhere a stale session is refused with a clear error and writes nothing.

mod common;

use std::sync::Barrier;

use common::{block_on, drive_password, new_drive, NativeHttp, ALICE, FAST};
use solidcrypt::crypto::SecretKey;
use solidcrypt::keystore::index::IndexError;
use solidcrypt::keystore::master::{change_password, unlock};
use solidcrypt::keystore::{IndexEntry, KeyringError, KeystoreKind, Password, ShareMode};
use solidcrypt::pod::Pod;

const SESSIONS: usize = 4;
const EACH: usize = 5;

fn shared_folder(layout_base: &str, n: String) -> IndexEntry {
    IndexEntry {
        url: format!("{layout_base}keystores/shared-{n}.json.enc"),
        key: SecretKey::generate().unwrap(),
        kind: KeystoreKind::SharedFolder,
        scope: format!("{layout_base}files/{n}/"),
        owner: ALICE.webid(),
        mode: Some(ShareMode::Write),
    }
}

#[test]
fn concurrent_sessions_adding_keystores_lose_none_and_removal_sticks() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let (layout, _) = new_drive(&pod, &ALICE);
    let base = layout.base().to_string();

    let barrier = Barrier::new(SESSIONS);
    std::thread::scope(|scope| {
        for s in 0..SESSIONS {
            let (layout, barrier, base) = (&layout, &barrier, &base);
            scope.spawn(move || {
                let http = NativeHttp::new();
                let session = ALICE.login(&http);
                let pod = Pod::new(&http, Some(&session));
                let keyring = block_on(unlock(&pod, layout, &drive_password())).unwrap();
                barrier.wait();
                for n in 0..EACH {
                    let entry = shared_folder(base, format!("s{s}n{n}"));
                    block_on(keyring.add_keystore(&pod, entry, None)).unwrap();
                }
                assert_eq!(keyring.keystores().len(), 1 + EACH);
            });
        }
    });

    let fresh = block_on(unlock(&pod, &layout, &drive_password())).unwrap();
    let listed = fresh.keystores();
    assert_eq!(listed.len(), 1 + SESSIONS * EACH, "entries were lost");
    for s in 0..SESSIONS {
        for n in 0..EACH {
            let url = format!("{base}keystores/shared-s{s}n{n}.json.enc");
            let entry = listed.iter().find(|e| e.url == url).expect("listed");
            assert_eq!(entry.mode, Some(ShareMode::Write));
        }
    }
    // A file under a listed folder is now covered by that keystore: adding its key
    // writes the (new) shared keystore too.
    let file = format!("{base}files/s0n0/f1");
    block_on(fresh.add(
        &pod,
        &file,
        solidcrypt::keystore::Entry {
            key: Some(SecretKey::generate().unwrap()),
            name: "f1".into(),
            media_type: None,
            size: Some(1),
        },
    ))
    .unwrap();
    let shared = format!("{base}keystores/shared-s0n0.json.enc");
    assert!(fresh.entries_of(&shared).iter().any(|(u, _)| *u == file));

    block_on(fresh.remove_keystore(&pod, &shared)).unwrap();
    assert!(fresh.entries_of(&shared).is_empty());
    let again = block_on(unlock(&pod, &layout, &drive_password())).unwrap();
    assert_eq!(again.keystores().len(), SESSIONS * EACH);
    assert!(!again.keystores().iter().any(|e| e.url == shared));
    assert!(
        again.lookup(&file).is_some(),
        "the root keystore kept the key"
    );
}

#[test]
fn a_session_older_than_a_password_change_writes_nothing() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let (layout, stale) = new_drive(&pod, &ALICE);
    let new_password = Password::new("a brand new password".into());
    block_on(change_password(
        &pod,
        &layout,
        &drive_password(),
        &new_password,
        &FAST,
    ))
    .unwrap();

    let entry = shared_folder(layout.base().as_str(), "late".into());
    let refused = block_on(stale.add_keystore(&pod, entry, None)).unwrap_err();
    assert!(
        matches!(&refused, KeyringError::Index(e) if **e == IndexError::PasswordChanged),
        "{refused:?}"
    );
    assert!(refused.to_string().contains("unlock again"), "{refused}");
    let fresh = block_on(unlock(&pod, &layout, &new_password)).unwrap();
    assert_eq!(fresh.keystores().len(), 1, "nothing was added");
}
