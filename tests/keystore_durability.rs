#![cfg(not(target_arch = "wasm32"))]
//! Interrupted writes, rollback and deletion on a real pod (FORMAT.md §4.4, §4.6).
//!
//! - A PUT of a keystore or of the index cut off after N bytes of its body (0, 1,
//!   100, half, all but one), through a loopback proxy: unlocking afterwards finds
//!   every key and keystore that was written before, and the next write works.
//! - A password change cut off half-way leaves the old password working; a whole
//!   one leaves only the new password working.
//! - An older index put back by the pod is refused when the browser remembers a
//!   newer one, and accepted when the user chooses to.
//! - A root keystore deleted on the pod fails unlock, and nothing is written.
//! - A folder shared before slots (slot A only) still takes a collaborator's keys.

mod common;

use common::cut::{CutProxy, Keep, Through};
use common::{
    alice_shares_folder, block_on, drive_password, log_in, new_drive, new_top_folder, pod_url,
    pods, put_file, NativeHttp, ALICE, BOB, FAST,
};
use solidcrypt::crypto::SecretKey;
use solidcrypt::keystore::format::{decrypt, KeystoreDoc};
use solidcrypt::keystore::master::{change_password, unlock, unlock_checked, UnlockError};
use solidcrypt::keystore::rollback::Rollback;
use solidcrypt::keystore::slots::slot_b;
use solidcrypt::keystore::store::LoadError;
use solidcrypt::keystore::{Entry, IndexEntry, Keyring, KeystoreKind, Layout, Password};
use solidcrypt::pod::error::ReadError;
use solidcrypt::pod::http::HttpClient;
use solidcrypt::pod::resource::Condition;
use solidcrypt::pod::Pod;
use url::Url;

/// Where the upload is cut: after this many bytes of a body of the given length.
const CUTS: [(&str, Keep); 5] = [
    ("0 bytes", |_| 0),
    ("1 byte", |_| 1),
    ("100 bytes", |_| 100),
    ("half", |len| len / 2),
    ("all but 1", |len| len - 1),
];

fn file_key<H: HttpClient>(pod: &Pod<'_, H>, keyring: &Keyring, n: usize) -> String {
    let url = format!("{}f{n}", keyring.layout().files());
    let entry = Entry {
        key: Some(SecretKey::generate().unwrap()),
        name: format!("file {n}.txt"),
        media_type: Some("text/plain".into()),
        size: Some(n as u64),
    };
    block_on(keyring.add(pod, &url, entry)).unwrap();
    url
}

fn shared_entry(layout: &Layout, n: usize) -> IndexEntry {
    IndexEntry {
        url: layout.new_shared_keystore(&format!("{n:032x}")).to_string(),
        key: SecretKey::generate().unwrap(),
        kind: KeystoreKind::SharedFolder,
        scope: format!("{}s{n}/", layout.files()),
        owner: ALICE.webid(),
        mode: None,
    }
}

/// The bytes of both slots of the document at `url` (`None` for a missing one).
fn slots_of<H: HttpClient>(pod: &Pod<'_, H>, url: &Url) -> [Option<Vec<u8>>; 2] {
    [url.clone(), slot_b(url)].map(|u| match block_on(pod.get(&u)) {
        Ok(r) => Some(r.body),
        Err(ReadError::NotFound) => None,
        Err(e) => panic!("GET {u}: {e}"),
    })
}

fn put_back<H: HttpClient>(pod: &Pod<'_, H>, url: &Url, slots: &[Option<Vec<u8>>; 2]) {
    for (u, body) in [url.clone(), slot_b(url)].iter().zip(slots) {
        match body {
            Some(body) => block_on(pod.put(
                u,
                "application/octet-stream",
                body.clone(),
                &Condition::Always,
            ))
            .unwrap(),
            None => block_on(pod.delete(u, &Condition::Always)).unwrap(),
        }
    }
}

/// Runs `test` with alice's pod reached directly, the proxy, and the pod through it.
fn through_proxy(
    test: impl FnOnce(&Pod<'_, NativeHttp>, &CutProxy, &Pod<'_, Through<'_, NativeHttp>>),
) {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let direct = Pod::new(&http, Some(&session));
    let proxy = CutProxy::start(&pod_url());
    let through = proxy.transport(&http);
    test(&direct, &proxy, &Pod::new(&through, Some(&session)));
}

#[test]
fn a_keystore_upload_cut_at_any_byte_loses_no_key() {
    through_proxy(|direct, proxy, pod| {
        let mut truncated = 0;
        for (label, keep) in CUTS {
            let (layout, keyring) = new_drive(pod, &ALICE);
            let root = keyring.root().unwrap();
            let kept: Vec<String> = (0..3).map(|n| file_key(pod, &keyring, n)).collect();

            proxy.cut_next_put("/keystores/root-", keep);
            let url = format!("{}f9", layout.files());
            let entry = Entry {
                key: Some(SecretKey::generate().unwrap()),
                name: "cut.txt".into(),
                media_type: None,
                size: None,
            };
            assert!(
                block_on(keyring.add(pod, &url, entry)).is_err(),
                "{label}: a cut upload must fail"
            );
            let cuts = proxy.cuts();
            assert_eq!(cuts.len(), 1, "{label}: {cuts:?}");
            let slot = pod_url().join(&cuts[0].0).unwrap();
            let on_pod = block_on(direct.get(&slot)).map(|r| r.body);
            if !on_pod.is_ok_and(|body| decrypt::<KeystoreDoc>(&body, &root.key).is_ok()) {
                truncated += 1;
            }

            let fresh = block_on(unlock(pod, &layout, &drive_password()))
                .unwrap_or_else(|e| panic!("{label}: unlock after the cut: {e}"));
            for url in &kept {
                assert!(fresh.lookup(url).is_some(), "{label}: lost {url}");
            }
            // Writing on repairs the slot the cut broke; nothing goes missing.
            let more = file_key(pod, &fresh, 4);
            let again = block_on(unlock(pod, &layout, &drive_password())).unwrap();
            for url in kept.iter().chain([&more]) {
                assert!(again.lookup(url).is_some(), "{label}: lost {url} later");
            }
            println!(
                "keystore cut after {label} of {} bytes: {} keys kept",
                cuts[0].1,
                kept.len()
            );
        }
        // Otherwise the pod never kept a partial upload and this test tests nothing.
        assert!(
            truncated > 0,
            "no cut left a damaged keystore slot on the pod"
        );
        println!(
            "{truncated} of {} cuts left a damaged slot behind",
            CUTS.len()
        );
    });
}

#[test]
fn an_index_upload_cut_at_any_byte_loses_no_keystore() {
    through_proxy(|direct, proxy, pod| {
        let mut truncated = 0;
        for (label, keep) in CUTS {
            let (layout, keyring) = new_drive(pod, &ALICE);
            let kept: Vec<IndexEntry> = (0..2).map(|n| shared_entry(&layout, n)).collect();
            for entry in &kept {
                block_on(keyring.add_keystore(pod, entry.clone(), Some(KeystoreDoc::default())))
                    .unwrap();
            }
            let before = slots_of(direct, &layout.index());

            proxy.cut_next_put("/keystores/keystores.json.enc", keep);
            let cut = shared_entry(&layout, 9);
            assert!(
                block_on(keyring.add_keystore(pod, cut, Some(KeystoreDoc::default()))).is_err(),
                "{label}: a cut upload must fail"
            );
            assert_eq!(proxy.cuts().len(), 1, "{label}");
            if slots_of(direct, &layout.index()) != before {
                truncated += 1;
            }

            let fresh = block_on(unlock(pod, &layout, &drive_password()))
                .unwrap_or_else(|e| panic!("{label}: unlock after the cut: {e}"));
            let has = |keyring: &Keyring, entry: &IndexEntry| {
                keyring.keystores().iter().any(|e| e.url == entry.url)
            };
            for entry in &kept {
                assert!(has(&fresh, entry), "{label}: lost {}", entry.url);
            }
            assert!(fresh.root().is_some(), "{label}: lost the root keystore");
            let more = shared_entry(&layout, 4);
            block_on(fresh.add_keystore(pod, more.clone(), Some(KeystoreDoc::default())))
                .unwrap_or_else(|e| panic!("{label}: the next index write: {e}"));
            let again = block_on(unlock(pod, &layout, &drive_password())).unwrap();
            for entry in kept.iter().chain([&more]) {
                assert!(has(&again, entry), "{label}: lost {} later", entry.url);
            }
            println!("index cut after {label}: {} keystores kept", kept.len() + 1);
        }
        assert!(truncated > 0, "no cut changed the index on the pod");
    });
}

#[test]
fn a_password_change_cut_half_way_keeps_the_old_password() {
    through_proxy(|_, proxy, pod| {
        let (layout, keyring) = new_drive(pod, &ALICE);
        let kept = file_key(pod, &keyring, 0);
        let (old, new) = (
            drive_password(),
            Password::new("a brand new passphrase".into()),
        );

        proxy.cut_next_put("/keystores/keystores.json.enc", |len| len / 2);
        assert!(block_on(change_password(pod, &layout, &old, &new, &FAST)).is_err());
        let opened = block_on(unlock(pod, &layout, &old)).expect("the old password still works");
        assert!(opened.lookup(&kept).is_some());
        // Unlock repaired the slot the cut left behind another wrap, so the session
        // can write the index (else: "password changed elsewhere").
        let entry = shared_entry(&layout, 1);
        block_on(opened.add_keystore(pod, entry, Some(KeystoreDoc::default()))).unwrap();
        assert_eq!(
            block_on(unlock(pod, &layout, &new)).unwrap_err(),
            UnlockError::WrongPassword
        );

        // Done whole, the change reaches both slots: only the new password opens.
        block_on(change_password(pod, &layout, &old, &new, &FAST)).unwrap();
        let opened = block_on(unlock(pod, &layout, &new)).unwrap();
        assert!(opened.lookup(&kept).is_some());
        assert_eq!(
            block_on(unlock(pod, &layout, &old)).unwrap_err(),
            UnlockError::WrongPassword,
            "the old password must not open the other slot"
        );
    });
}

#[test]
fn an_older_index_put_back_is_refused_unless_accepted() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let (layout, keyring) = new_drive(&pod, &ALICE);
    let first = shared_entry(&layout, 0);
    block_on(keyring.add_keystore(&pod, first.clone(), Some(KeystoreDoc::default()))).unwrap();
    let old = slots_of(&pod, &layout.index());
    for n in 1..3 {
        let entry = shared_entry(&layout, n);
        block_on(keyring.add_keystore(&pod, entry, Some(KeystoreDoc::default()))).unwrap();
    }
    let seen = keyring.index_seen().expect("a drive's keyring");
    assert_eq!(seen.counter, 3, "every index write counts");

    // The remembered version itself, and a newer one, open.
    let same = block_on(unlock_checked(
        &pod,
        &layout,
        &drive_password(),
        Some(&seen),
    ))
    .unwrap();
    assert_eq!(same.keystores().len(), 4);

    // The pod puts an older copy back (both slots as they were).
    let current = slots_of(&pod, &layout.index());
    put_back(&pod, &layout.index(), &old);
    let err = block_on(unlock_checked(
        &pod,
        &layout,
        &drive_password(),
        Some(&seen),
    ))
    .unwrap_err();
    assert_eq!(
        err,
        UnlockError::RolledBack(Rollback::Older { seen: 3, served: 1 })
    );
    assert!(
        err.to_string()
            .contains("your pod served an older copy of your keystore index"),
        "{err}"
    );
    assert_eq!(
        slots_of(&pod, &layout.index()),
        old,
        "refusing writes nothing"
    );

    // The user chose to open it (a restored backup): the older index, as it was.
    let accepted = block_on(unlock(&pod, &layout, &drive_password())).unwrap();
    let listed: Vec<String> = accepted.keystores().into_iter().map(|e| e.url).collect();
    assert_eq!(listed.len(), 2);
    assert!(listed.contains(&first.url));
    assert_eq!(accepted.index_seen().map(|s| s.counter), Some(1));

    // Deleting the newer slot is a rollback too. Setup wrote counter 0 to both
    // slots; the three writes went to B (1), A (2), B (3).
    let mut only_older = current.clone();
    only_older[1] = None;
    put_back(&pod, &layout.index(), &only_older);
    assert_eq!(
        block_on(unlock_checked(
            &pod,
            &layout,
            &drive_password(),
            Some(&seen)
        ))
        .unwrap_err(),
        UnlockError::RolledBack(Rollback::Older { seen: 3, served: 2 })
    );
}

#[test]
fn a_deleted_root_keystore_fails_unlock_and_nothing_is_written() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let (layout, keyring) = new_drive(&pod, &ALICE);
    file_key(&pod, &keyring, 0);
    let root = Url::parse(&keyring.root().unwrap().url).unwrap();
    put_back(&pod, &root, &[None, None]);
    let index = slots_of(&pod, &layout.index());

    let err = block_on(unlock(&pod, &layout, &drive_password())).unwrap_err();
    assert!(
        matches!(&err, UnlockError::Keystore(LoadError::RootMissing { url }) if *url == root),
        "{err:?}"
    );
    assert!(err.to_string().contains("missing"), "{err}");
    assert_eq!(
        slots_of(&pod, &root),
        [None, None],
        "no empty root recreated"
    );
    assert_eq!(
        slots_of(&pod, &layout.index()),
        index,
        "the index is untouched"
    );
}

/// A folder shared before slots existed has slot A only, and a collaborator may not
/// create slot B in the owner's folder: their keys go into slot A, as before.
#[test]
fn a_share_from_before_slots_still_takes_a_collaborators_keys() {
    use solidcrypt::share::{accept, Access, ShareLink, Shared};
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE, &BOB]);
    let [alice, bob] = pods(&http, &sessions);
    let (alice_layout, alice_keys) = new_drive(&alice, &ALICE);
    let (_, bob_keys) = new_drive(&bob, &BOB);
    let folder = new_top_folder(&alice, &alice_keys, &alice_layout, "Old");
    let link = alice_shares_folder(&alice, &alice_keys, &folder, Access::ReadWrite);
    let Shared::Folder { keystore, .. } = &link.shared else {
        panic!("a folder link")
    };
    block_on(alice.delete(&slot_b(keystore), &Condition::Always)).unwrap();

    let app = Url::parse("http://localhost:8080/").unwrap();
    let link = ShareLink::parse(&link.to_url(&app)).unwrap();
    block_on(accept(&bob, &bob_keys, &link, &BOB.webid())).unwrap();
    let notes = put_file(&bob, &bob_keys, &folder, "notes.txt", b"bob's notes");
    let again = block_on(unlock(&alice, &alice_layout, &drive_password())).unwrap();
    assert_eq!(again.lookup(notes.as_str()).unwrap().name, "notes.txt");
    assert_eq!(slots_of(&alice, keystore)[1], None, "bob created no slot B");
}
