#![cfg(not(target_arch = "wasm32"))]
//! File links through the sharing API on a real pod, each party with their own
//! unlocked drive: alice shares a file from her drive, the link is listed in her
//! "links I created", bob accepts it (counted requests, idempotent, "Shared with
//! me", the link's keystore in his index across unlocks), carol never gets in, and
//! revoking rotates the file's key so bob's key stops working while another link
//! to the same file, unchanged, opens the new version (its keystore got the new
//! key). Key-in-link links (FORMAT.md §5.3): received ones share one keystore.

mod common;

use common::{
    alice_keeps_control, alice_shares_file, as_text, block_on, drive_password, new_drive, put_file,
    Counting, NativeHttp, ALICE, BOB, CAROL,
};
use solidcrypt::crypto::envelope::{open, seal, Metadata, SealOptions};
use solidcrypt::crypto::SecretKey;
use solidcrypt::keystore::master::unlock;
use solidcrypt::keystore::{Entry, Keyring, KeystoreKind, Layout};
use solidcrypt::pod::error::{ReadError, WriteError};
use solidcrypt::pod::http::HttpClient;
use solidcrypt::pod::resource::Condition;
use solidcrypt::pod::Pod;
use solidcrypt::share::{
    accept, forget_shared, grant_file, links_created, revoke, shared_with_me, start_links_list,
    AcceptError, Accepted, Access, JoinError, LinkKind, Shared, SharedKind,
};
use url::Url;

fn unlock_again<H: HttpClient>(pod: &Pod<'_, H>, layout: &Layout) -> Keyring {
    block_on(unlock(pod, layout, &drive_password())).unwrap()
}

#[test]
fn file_link_listed_accepted_once_and_revoked_with_rotation() {
    let http = NativeHttp::new();
    let (alice_session, bob_session, carol_session) =
        (ALICE.login(&http), BOB.login(&http), CAROL.login(&http));
    let alice = Pod::new(&http, Some(&alice_session));
    let counted = Counting::new(&http);
    let bob = Pod::new(&counted, Some(&bob_session));
    let carol = Pod::new(&http, Some(&carol_session));
    let (alice_layout, alice_keys) = new_drive(&alice, &ALICE);
    let (bob_layout, bob_keys) = new_drive(&bob, &BOB);
    let plaintext = format!("minutes {}", common::unique("x")).into_bytes();
    let file = put_file(
        &alice,
        &alice_keys,
        &alice_layout.files(),
        "minutes.txt",
        &plaintext,
    );
    let old_key = alice_keys.lookup(file.as_str()).unwrap().key.unwrap();

    let link = alice_shares_file(&alice, &alice_keys, &file, Access::Read);
    alice_keeps_control(&alice, &file);
    assert!(link
        .group
        .as_str()
        .starts_with(alice_layout.groups().as_str()));
    let listed = block_on(links_created(&alice, &alice_keys)).unwrap();
    assert_eq!(listed.len(), 1);
    let created = &listed[0];
    assert_eq!(
        (created.kind, created.access(), created.name.as_str()),
        (LinkKind::File, Access::Read, "minutes.txt")
    );
    assert_eq!(created.resource, file.as_str());
    let now = solidcrypt::auth::clock::now_secs();
    assert!(created.created <= now && created.created + 120 > now);
    let app = Url::parse("http://localhost:8080/").unwrap();
    assert_eq!(
        *created.link().unwrap().to_url(&app),
        *link.to_url(&app),
        "the listed link is the link"
    );

    // Carol, who never joined, is refused even with the file's address.
    assert_eq!(
        block_on(carol.get(&file)).unwrap_err(),
        ReadError::Forbidden
    );

    // Bob accepts: join, read, keep the key.
    counted.take();
    let accepted = block_on(accept(&bob, &bob_keys, &as_text(&link), &BOB.webid())).unwrap();
    let requests = common::after_preview(counted.take());
    let Accepted::File {
        content, access, ..
    } = accepted
    else {
        panic!("a file link opens a file")
    };
    assert_eq!(content.unwrap().as_slice(), plaintext.as_slice());
    assert_eq!(access, Access::Read);
    // Two slots per document (FORMAT.md §4.4): the link's keystore and the index
    // are read twice each. Join, keystore, file, index GET + PUT.
    assert_eq!(requests.len(), 7, "opening a file link took {requests:?}");
    assert!(requests[0].starts_with("PATCH "), "{requests:?}");
    println!("first accept of a file link: {} requests", requests.len());
    let Shared::File { keystore, .. } = &link.shared else {
        panic!("a file link names its own keystore")
    };
    assert!(keystore
        .as_str()
        .starts_with(alice_layout.keystores().as_str()));

    // Accepting again writes nothing: bob is a member already, three reads (the
    // keystore's two slots, the file).
    block_on(accept(&bob, &bob_keys, &as_text(&link), &BOB.webid())).unwrap();
    let again = common::after_preview(counted.take());
    assert_eq!(again.len(), 3, "{again:?}");
    assert!(again.iter().all(|r| r.starts_with("GET ")), "{again:?}");
    assert_eq!(again[2], format!("GET {}", file.path()));

    // "Shared with me", also after a fresh unlock (the key is on bob's pod).
    let bob_again = unlock_again(&bob, &bob_layout);
    for keys in [&bob_keys, &bob_again] {
        let shared = shared_with_me(keys);
        assert_eq!(shared.len(), 1, "{shared:?}");
        assert_eq!(
            (shared[0].kind, shared[0].name.as_str(), shared[0].access),
            (SharedKind::File, "minutes.txt", Access::Read)
        );
        assert_eq!(shared[0].url, file.as_str());
        assert_eq!(
            keys.lookup(file.as_str())
                .unwrap()
                .key
                .unwrap()
                .expose_bytes(),
            old_key.expose_bytes()
        );
    }
    let received: Vec<_> = bob_again
        .keystores()
        .into_iter()
        .filter(|e| e.kind == KeystoreKind::SharedFile)
        .collect();
    assert_eq!(received.len(), 1, "one index entry per received file");
    assert_eq!(
        received[0].url,
        keystore.as_str(),
        "the link's own keystore"
    );
    assert_eq!(received[0].scope, file.as_str());
    assert!(shared_with_me(&alice_keys).is_empty());

    // Read-only: bob cannot overwrite.
    assert_eq!(
        block_on(bob.put(
            &file,
            "application/octet-stream",
            b"bob was here".to_vec(),
            &Condition::Always
        )),
        Err(WriteError::Forbidden)
    );

    // A second link to the same file (read-write), never opened by anyone.
    let second = alice_shares_file(&alice, &alice_keys, &file, Access::ReadWrite);
    assert_eq!(
        block_on(links_created(&alice, &alice_keys)).unwrap().len(),
        2
    );

    // Alice revokes the first link.
    let revoked = block_on(revoke(
        &alice,
        &alice_keys,
        &ALICE.webid(),
        created,
        &|_| {},
    ))
    .unwrap();
    assert_eq!(revoked.rotated, vec![file.clone()]);
    alice_keeps_control(&alice, &file);
    assert_eq!(block_on(bob.get(&file)).unwrap_err(), ReadError::Forbidden);
    assert_eq!(
        block_on(alice.get(&link.group)).unwrap_err(),
        ReadError::NotFound,
        "the group is deleted"
    );
    let left = block_on(links_created(&alice, &alice_keys)).unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].group, second.group.as_str());

    // The file was re-encrypted: the old key (bob's, and the link's) opens nothing.
    let rotated = block_on(alice.get(&file)).unwrap().body;
    assert!(open(&old_key, &rotated).is_err());
    let alice_again = unlock_again(&alice, &alice_layout);
    let new_key = alice_again.lookup(file.as_str()).unwrap().key.unwrap();
    assert_ne!(new_key.expose_bytes(), old_key.expose_bytes());
    assert_eq!(
        open(&new_key, &rotated).unwrap().plaintext.as_slice(),
        plaintext.as_slice()
    );

    // The other link did not go stale: its keystore holds the new key, so the
    // link as sent opens the new version, and nothing is handed back to re-send.
    assert!(revoked.updated_links.is_empty());
    assert!(left[0].key.is_none());
    let Accepted::File { content, .. } =
        block_on(accept(&bob, &bob_keys, &as_text(&second), &BOB.webid())).unwrap()
    else {
        panic!("a file link opens a file")
    };
    assert_eq!(content.unwrap().as_slice(), plaintext.as_slice());
    assert_eq!(
        bob_keys
            .lookup(file.as_str())
            .unwrap()
            .key
            .unwrap()
            .expose_bytes(),
        new_key.expose_bytes(),
        "accepting the other link replaced the revoked one's cached key"
    );

    // The revoked link itself is dead: its group is gone.
    assert!(matches!(
        block_on(accept(&bob, &bob_keys, &as_text(&link), &BOB.webid())),
        Err(AcceptError::Join(JoinError::Revoked))
    ));

    // Bob forgets the file: gone from his view and his keystores, also later.
    let shared = shared_with_me(&bob_keys);
    assert_eq!(shared.len(), 1);
    assert_eq!(shared[0].unavailable, None);
    block_on(forget_shared(&bob, &bob_keys, &shared[0])).unwrap();
    assert!(shared_with_me(&bob_keys).is_empty());
    let bob_later = unlock_again(&bob, &bob_layout);
    assert!(shared_with_me(&bob_later).is_empty());
    assert!(bob_later.lookup(file.as_str()).is_none());
}

/// Key-in-link links (FORMAT.md §5.3, made before file links had keystores; built
/// here with the lower step `grant_file`): their keys all go into one received-files
/// keystore.
#[test]
fn files_received_by_key_in_link_links_share_one_keystore_loaded_once() {
    let http = NativeHttp::new();
    let (alice_session, bob_session) = (ALICE.login(&http), BOB.login(&http));
    let alice = Pod::new(&http, Some(&alice_session));
    let counted = Counting::new(&http);
    let bob = Pod::new(&counted, Some(&bob_session));
    let (alice_layout, alice_keys) = new_drive(&alice, &ALICE);
    let (bob_layout, bob_keys) = new_drive(&bob, &BOB);
    let mut links = Vec::new();
    for name in ["one.txt", "two.txt", "three.txt"] {
        let url = put_file(
            &alice,
            &alice_keys,
            &alice_layout.files(),
            name,
            name.as_bytes(),
        );
        let key = alice_keys.lookup(url.as_str()).unwrap().key.unwrap();
        let link = block_on(grant_file(
            &alice,
            &ALICE.webid(),
            &url,
            &key,
            Access::ReadWrite,
            &alice_layout.groups(),
        ))
        .unwrap();
        assert!(matches!(link.shared, Shared::FileKey { .. }));
        links.push((url, link));
    }
    let mut counts = Vec::new();
    for (_, link) in &links {
        counted.take();
        block_on(accept(&bob, &bob_keys, &as_text(link), &BOB.webid())).unwrap();
        counts.push(common::after_preview(counted.take()).len());
    }
    // The first creates the received-files keystore in one PUT per slot; later
    // ones read-modify-write it. Join, GET file, keystore (two slots), index (two
    // slots) GET + PUT.
    assert_eq!(counts, [7, 8, 8]);

    counted.take();
    let fresh = unlock_again(&bob, &bob_layout);
    let requests = counted.take();
    assert_eq!(
        requests.len(),
        6,
        "index, root and the one received keystore, two slots each: {requests:?}"
    );
    let received: Vec<_> = fresh
        .keystores()
        .into_iter()
        .filter(|e| e.kind == KeystoreKind::SharedFile)
        .collect();
    assert_eq!(received.len(), 3);
    assert!(received.iter().all(|e| e.url == received[0].url));
    for (url, _) in &links {
        assert!(fresh.lookup(url.as_str()).is_some(), "{url}");
    }
    let shared = shared_with_me(&fresh);
    let mut names: Vec<_> = shared.iter().map(|s| s.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["one.txt", "three.txt", "two.txt"]);
    assert!(shared.iter().all(|s| s.access == Access::ReadWrite));
}

/// The empty list written right after the password is set reads back empty, and
/// starting it again keeps the links already in it (`If-None-Match`, never a blind
/// overwrite).
#[test]
fn starting_the_links_list_again_keeps_what_is_listed() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let alice = Pod::new(&http, Some(&session));
    let (layout, keys) = new_drive(&alice, &ALICE);
    block_on(start_links_list(&alice, &keys)).unwrap();
    block_on(alice.get(&layout.links_created())).expect("the list is on the pod");
    assert!(block_on(links_created(&alice, &keys)).unwrap().is_empty());

    let file = put_file(&alice, &keys, &layout.files(), "kept.txt", b"kept");
    alice_shares_file(&alice, &keys, &file, Access::Read);
    block_on(start_links_list(&alice, &keys)).unwrap();
    let listed = block_on(links_created(&alice, &keys)).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].resource, file.as_str());
}

/// A one-resource file bigger than the app ever writes whole (another client's, or a
/// pod padding its answer) is checked from its start alone: the accept names it and
/// keeps its key without the tab holding the whole body.
#[test]
fn accepting_a_link_to_an_oversized_single_resource_reads_only_its_start() {
    let http = NativeHttp::new();
    let (alice_session, bob_session) = (ALICE.login(&http), BOB.login(&http));
    let alice = Pod::new(&http, Some(&alice_session));
    let counted = Counting::new(&http);
    let bob = Pod::new(&counted, Some(&bob_session));
    let (alice_layout, alice_keys) = new_drive(&alice, &ALICE);
    let (_bob_layout, bob_keys) = new_drive(&bob, &BOB);
    let file = alice_layout
        .files()
        .join("0a1b2c3d4e5f60718293a4b5c6d7e8f9")
        .unwrap();
    let key = SecretKey::generate().unwrap();
    let size = (17 << 20) as u64;
    let metadata = Metadata {
        name: Some("big.bin".into()),
        media_type: Some("application/octet-stream".into()),
        size: Some(size),
    };
    let options = SealOptions {
        metadata: metadata.clone(),
        ..SealOptions::default()
    };
    let envelope = seal(&key, &vec![7u8; size as usize], &options).unwrap();
    let entry = Entry {
        key: Some(key),
        name: "big.bin".into(),
        media_type: metadata.media_type.clone(),
        size: Some(size),
    };
    block_on(alice_keys.add(&alice, file.as_str(), entry)).unwrap();
    block_on(alice.put(
        &file,
        "application/octet-stream",
        envelope,
        &Condition::IfAbsent,
    ))
    .unwrap();
    let link = alice_shares_file(&alice, &alice_keys, &file, Access::Read);

    counted.take();
    let accepted = block_on(accept(&bob, &bob_keys, &as_text(&link), &BOB.webid())).unwrap();
    let Accepted::File {
        content,
        metadata: seen,
        ..
    } = accepted
    else {
        panic!("a file link opens a file")
    };
    assert!(content.is_none(), "no preview of a body over the limit");
    assert_eq!(seen, metadata);
    assert!(bob_keys
        .lookup(file.as_str())
        .is_some_and(|e| e.name == "big.bin"));
    let requests = counted.take();
    assert!(
        requests
            .iter()
            .any(|r| r.starts_with("GET ") && r.contains(file.path())),
        "{requests:?}"
    );
}
