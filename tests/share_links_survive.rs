#![cfg(not(target_arch = "wasm32"))]
//! Sharing that never breaks other links (issue 17 item 5, FORMAT.md §5.1), on a
//! real pod: a file link names a keystore of its own holding the file's current
//! key, so when revoking someone else's link re-encrypts the file, the holder of
//! the file link reads on with the link as it was sent; the revoked link's keystore
//! is gone. Files in parts too. Key-in-link links (§5.3) are still accepted, and a
//! file link's keystore from someone else's pod that claims more than its one
//! file is consulted for that file alone.

mod common;

use common::{
    alice_shares_a_folder_with_bob, alice_shares_file, as_text, block_on, drive_password, log_in,
    new_drive, pods, put_file, put_in_parts, random_bytes, NativeHttp, ALICE, BOB, CAROL,
};
use solidcrypt::auth::clock::now_secs;
use solidcrypt::crypto::envelope::open;
use solidcrypt::crypto::SecretKey;
use solidcrypt::drive::download_to_memory;
use solidcrypt::keystore::format::{encrypt, Entry, KeystoreDoc};
use solidcrypt::keystore::master::unlock;
use solidcrypt::keystore::slots::slot_b;
use solidcrypt::keystore::store::{load, update, ENCRYPTED_TYPE};
use solidcrypt::keystore::{Keyring, KeystoreKind, Layout};
use solidcrypt::pod::error::ReadError;
use solidcrypt::pod::http::HttpClient;
use solidcrypt::pod::resource::Condition;
use solidcrypt::pod::Pod;
use solidcrypt::share::list::LinksDoc;
use solidcrypt::share::{
    accept, grant_file, links_created, open_file, revoke, share_file, shared_with_me, AcceptError,
    Accepted, Access, CreatedLink, JoinError, ShareLink, Shared, VetError,
};
use url::Url;

fn unlock_again<H: HttpClient>(pod: &Pod<'_, H>, layout: &Layout) -> Keyring {
    block_on(unlock(pod, layout, &drive_password())).unwrap()
}

fn key_of(keyring: &Keyring, url: &Url) -> SecretKey {
    keyring.lookup(url.as_str()).unwrap().key.unwrap()
}

/// The link's own keystore (a keystore-form link).
fn keystore_of(link: &ShareLink) -> (Url, SecretKey) {
    let (keystore, key) = link.shared.keystore().expect("a link with a keystore");
    (keystore.clone(), key.clone())
}

/// `owner`'s entry in "links I created" for the link with `group`.
fn created<H: HttpClient>(pod: &Pod<'_, H>, keyring: &Keyring, group: &Url) -> CreatedLink {
    block_on(links_created(pod, keyring))
        .unwrap()
        .into_iter()
        .find(|l| l.group == group.as_str())
        .expect("the link is listed")
}

fn content(accepted: Accepted) -> Vec<u8> {
    let Accepted::File { content, .. } = accepted else {
        panic!("a file link opens a file")
    };
    content.expect("a file in one resource").to_vec()
}

#[test]
fn revoking_a_folder_link_rekeys_its_file_and_the_file_link_to_it_keeps_working() {
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE, &BOB, &CAROL]);
    let [alice, bob, carol] = pods(&http, &sessions);
    let (alice_layout, alice_keys) = new_drive(&alice, &ALICE);
    let (bob_layout, bob_keys) = new_drive(&bob, &BOB);
    let (carol_layout, carol_keys) = new_drive(&carol, &CAROL);
    let (folder, bob_link) = alice_shares_a_folder_with_bob(
        (&alice, &alice_keys),
        &alice_layout,
        (&bob, &bob_keys),
        "Team",
        Access::ReadWrite,
    );
    let plaintext = format!("plan {}", common::unique("p")).into_bytes();
    let file = put_file(&alice, &alice_keys, &folder, "plan.txt", &plaintext);
    let old_key = key_of(&alice_keys, &file);

    // Carol gets a read-only link to the one file; bob reads it through the folder.
    let carol_link = as_text(&alice_shares_file(&alice, &alice_keys, &file, Access::Read));
    let (carol_keystore, carol_keystore_key) = keystore_of(&carol_link);
    let accepted = block_on(accept(&carol, &carol_keys, &carol_link, &CAROL.webid())).unwrap();
    assert_eq!(content(accepted), plaintext);
    block_on(bob_keys.refresh(&bob)).unwrap();
    assert_eq!(
        key_of(&bob_keys, &file).expose_bytes(),
        old_key.expose_bytes()
    );
    block_on(bob.get(&file)).expect("bob reads the file through the folder");

    // Alice revokes bob's folder link: the file is re-encrypted.
    let bobs = created(&alice, &alice_keys, &bob_link.group);
    let revoked = block_on(revoke(&alice, &alice_keys, &ALICE.webid(), &bobs, &|_| {})).unwrap();
    assert!(revoked.rotated.contains(&file), "{:?}", revoked.rotated);
    assert!(
        revoked.updated_links.is_empty(),
        "nothing to send again: {:?}",
        revoked.updated_links
    );
    let body = block_on(alice.get(&file)).unwrap().body;
    assert!(open(&old_key, &body).is_err(), "re-keyed");
    let new_key = key_of(&alice_keys, &file);
    assert_ne!(new_key.expose_bytes(), old_key.expose_bytes());

    // Carol's link's keystore got the new key, before the new ciphertext.
    let in_keystore: KeystoreDoc = block_on(load(&alice, &carol_keystore, &carol_keystore_key))
        .unwrap()
        .unwrap()
        .doc;
    assert_eq!(
        in_keystore.entries[file.as_str()]
            .key
            .as_ref()
            .unwrap()
            .expose_bytes(),
        new_key.expose_bytes()
    );

    // Carol, with her unchanged link, reads the new version: opening the link again
    // in her session (which also makes her session use the new key), and after
    // unlocking again.
    let accepted = block_on(accept(&carol, &carol_keys, &carol_link, &CAROL.webid())).unwrap();
    assert_eq!(content(accepted), plaintext);
    let carol_again = unlock_again(&carol, &carol_layout);
    for keys in [&carol_keys, &carol_again] {
        let key = key_of(keys, &file);
        assert_eq!(*open(&key, &body).unwrap().plaintext, plaintext);
        let shared = shared_with_me(keys);
        assert_eq!(shared.len(), 1, "{shared:?}");
        assert_eq!(shared[0].unavailable, None);
    }
    let opened = block_on(open_file(&carol, &carol_link, &CAROL.webid())).unwrap();
    assert_eq!(*opened.plaintext, plaintext);

    // Bob cannot: refused by the pod, his old key opens nothing, his link is dead.
    assert_eq!(block_on(bob.get(&file)).unwrap_err(), ReadError::Forbidden);
    let bob_again = unlock_again(&bob, &bob_layout);
    assert!(bob_again.lookup(file.as_str()).is_none());
    assert!(matches!(
        block_on(accept(&bob, &bob_again, &as_text(&bob_link), &BOB.webid())),
        Err(AcceptError::Join(JoinError::Revoked))
    ));
}

#[test]
fn a_file_in_parts_rekeyed_by_a_folder_revoke_still_opens_through_its_file_link() {
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE, &BOB, &CAROL]);
    let [alice, bob, carol] = pods(&http, &sessions);
    let (alice_layout, alice_keys) = new_drive(&alice, &ALICE);
    let (bob_layout, bob_keys) = new_drive(&bob, &BOB);
    let (carol_layout, carol_keys) = new_drive(&carol, &CAROL);
    let (folder, bob_link) = alice_shares_a_folder_with_bob(
        (&alice, &alice_keys),
        &alice_layout,
        (&bob, &bob_keys),
        "Films",
        Access::ReadWrite,
    );
    let film = random_bytes(300 * 1024 + 7);
    let file = put_in_parts(&alice, &alice_keys, &folder, "film.mp4", &film);
    assert!(file.path().ends_with('/'), "stored in parts");
    let old_key = key_of(&alice_keys, &file);
    let carol_link = as_text(&alice_shares_file(&alice, &alice_keys, &file, Access::Read));
    let Accepted::File { content, .. } =
        block_on(accept(&carol, &carol_keys, &carol_link, &CAROL.webid())).unwrap()
    else {
        panic!("a file link opens a file")
    };
    assert!(content.is_none(), "only the start of part 0 is read");

    let bobs = created(&alice, &alice_keys, &bob_link.group);
    let revoked = block_on(revoke(&alice, &alice_keys, &ALICE.webid(), &bobs, &|_| {})).unwrap();
    assert!(revoked.rotated.contains(&file), "{:?}", revoked.rotated);
    let new_key = key_of(&alice_keys, &file);
    assert_ne!(new_key.expose_bytes(), old_key.expose_bytes());

    block_on(carol_keys.refresh(&carol)).unwrap();
    let carol_again = unlock_again(&carol, &carol_layout);
    for keys in [&carol_keys, &carol_again] {
        assert_eq!(
            key_of(keys, &file).expose_bytes(),
            new_key.expose_bytes(),
            "carol's keystore holds the new key"
        );
        let (_, got) = block_on(download_to_memory(&carol, keys, &file)).unwrap();
        assert_eq!(got.0.as_slice(), film.as_slice());
    }
    let bob_again = unlock_again(&bob, &bob_layout);
    assert!(bob_again.lookup(file.as_str()).is_none());
    assert!(
        block_on(bob.list(&file)).is_err(),
        "bob cannot list the parts"
    );
    assert!(block_on(download_to_memory(&bob, &bob_keys, &file)).is_err());
}

#[test]
fn revoking_one_file_link_deletes_its_keystore_and_leaves_the_other_working() {
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE, &BOB, &CAROL]);
    let [alice, bob, carol] = pods(&http, &sessions);
    let (alice_layout, alice_keys) = new_drive(&alice, &ALICE);
    let (_, bob_keys) = new_drive(&bob, &BOB);
    let (carol_layout, carol_keys) = new_drive(&carol, &CAROL);
    let plaintext = b"one file, two links".to_vec();
    let file = put_file(
        &alice,
        &alice_keys,
        &alice_layout.files(),
        "two.txt",
        &plaintext,
    );
    let share = |access| {
        as_text(
            &block_on(share_file(
                &alice,
                &alice_keys,
                &ALICE.webid(),
                &file,
                access,
            ))
            .unwrap(),
        )
    };
    let (bob_link, carol_link) = (share(Access::Read), share(Access::ReadWrite));
    block_on(accept(&bob, &bob_keys, &bob_link, &BOB.webid())).unwrap();
    block_on(accept(&carol, &carol_keys, &carol_link, &CAROL.webid())).unwrap();
    let (bob_keystore, _) = keystore_of(&bob_link);
    let (carol_keystore, _) = keystore_of(&carol_link);
    block_on(bob.get(&bob_keystore)).expect("bob reads his link's keystore");

    let bobs = created(&alice, &alice_keys, &bob_link.group);
    let revoked = block_on(revoke(&alice, &alice_keys, &ALICE.webid(), &bobs, &|_| {})).unwrap();
    assert_eq!(revoked.rotated, vec![file.clone()]);
    assert!(revoked.updated_links.is_empty());

    // Bob's link's keystore is gone (both slots), out of alice's index; carol's is not.
    for slot in [bob_keystore.clone(), slot_b(&bob_keystore)] {
        assert_eq!(
            block_on(alice.get(&slot)).unwrap_err(),
            ReadError::NotFound,
            "{slot}"
        );
    }
    let index: Vec<String> = alice_keys.keystores().into_iter().map(|e| e.url).collect();
    assert!(!index.contains(&bob_keystore.to_string()));
    assert!(index.contains(&carol_keystore.to_string()));
    assert_eq!(block_on(bob.get(&file)).unwrap_err(), ReadError::Forbidden);
    assert!(block_on(bob.get(&bob_keystore)).is_err());
    assert!(block_on(bob.get(&carol_keystore)).is_err());
    assert!(matches!(
        block_on(accept(&bob, &bob_keys, &bob_link, &BOB.webid())),
        Err(AcceptError::Join(JoinError::Revoked))
    ));

    // Carol's link, as sent, is still listed as it was and opens the new version.
    let listed = created(&alice, &alice_keys, &carol_link.group);
    assert_eq!(
        *listed.link().unwrap().to_url(&app()),
        *carol_link.to_url(&app())
    );
    let body = block_on(alice.get(&file)).unwrap().body;
    let carol_again = unlock_again(&carol, &carol_layout);
    assert_eq!(
        *open(&key_of(&carol_again, &file), &body).unwrap().plaintext,
        plaintext
    );
    let accepted = block_on(accept(&carol, &carol_keys, &carol_link, &CAROL.webid())).unwrap();
    assert_eq!(content(accepted), plaintext);
}

fn app() -> Url {
    Url::parse("http://localhost:8080/").unwrap()
}

#[test]
fn key_in_link_links_are_still_accepted_and_handed_back_updated_after_a_rotation() {
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE, &BOB, &CAROL]);
    let [alice, bob, carol] = pods(&http, &sessions);
    let (alice_layout, alice_keys) = new_drive(&alice, &ALICE);
    let (_, bob_keys) = new_drive(&bob, &BOB);
    let (carol_layout, carol_keys) = new_drive(&carol, &CAROL);
    let plaintext = b"from before file links had keystores".to_vec();
    let file = put_file(
        &alice,
        &alice_keys,
        &alice_layout.files(),
        "old.txt",
        &plaintext,
    );

    // A key-in-link link, recorded in "links I created" as the app wrote them then.
    let old_link = block_on(grant_file(
        &alice,
        &ALICE.webid(),
        &file,
        &key_of(&alice_keys, &file),
        Access::Read,
        &alice_layout.groups(),
    ))
    .unwrap();
    let text = old_link.to_url(&app());
    assert!(
        text.contains("&key=") && !text.contains("&ks="),
        "{}",
        *text
    );
    let root = alice_keys.root().unwrap();
    block_on(update(
        &alice,
        &alice_layout.links_created(),
        &root.key,
        LinksDoc::default,
        |doc| {
            doc.links
                .push(CreatedLink::new(&old_link, "old.txt", now_secs()));
            true
        },
    ))
    .unwrap();
    let old_link = ShareLink::parse(&text).unwrap();
    let accepted = block_on(accept(&carol, &carol_keys, &old_link, &CAROL.webid())).unwrap();
    assert_eq!(content(accepted), plaintext);
    let received: Vec<_> = carol_keys
        .keystores()
        .into_iter()
        .filter(|e| e.kind == KeystoreKind::SharedFile)
        .collect();
    assert_eq!(received.len(), 1);
    assert!(
        received[0]
            .url
            .starts_with(carol_layout.keystores().as_str()),
        "the key went to carol's received-files keystore"
    );

    // Revoking another link re-keys the file: the key-in-link link goes stale and
    // is handed back with the new key.
    let bob_link = alice_shares_file(&alice, &alice_keys, &file, Access::Read);
    block_on(accept(&bob, &bob_keys, &bob_link, &BOB.webid())).unwrap();
    let bobs = created(&alice, &alice_keys, &bob_link.group);
    let revoked = block_on(revoke(&alice, &alice_keys, &ALICE.webid(), &bobs, &|_| {})).unwrap();
    assert_eq!(revoked.updated_links.len(), 1);
    let updated = revoked.updated_links[0].link().unwrap();
    let Shared::FileKey { key, .. } = &updated.shared else {
        panic!("still a key-in-link link")
    };
    assert_eq!(
        key.expose_bytes(),
        key_of(&alice_keys, &file).expose_bytes()
    );
    assert!(matches!(
        block_on(accept(&carol, &carol_keys, &old_link, &CAROL.webid())),
        Err(AcceptError::StaleKey(_))
    ));
    let accepted = block_on(accept(
        &carol,
        &carol_keys,
        &as_text(&updated),
        &CAROL.webid(),
    ))
    .unwrap();
    assert_eq!(content(accepted), plaintext);

    // A keystore-form link to the same file replaces the key carol kept.
    let new_link = as_text(&alice_shares_file(&alice, &alice_keys, &file, Access::Read));
    let accepted = block_on(accept(&carol, &carol_keys, &new_link, &CAROL.webid())).unwrap();
    assert_eq!(content(accepted), plaintext);
    let carol_again = unlock_again(&carol, &carol_layout);
    for keys in [&carol_keys, &carol_again] {
        let entries: Vec<_> = keys
            .keystores()
            .into_iter()
            .filter(|e| e.scope == file.as_str())
            .collect();
        assert_eq!(entries.len(), 1, "{entries:?}");
        assert_eq!(entries[0].url, keystore_of(&new_link).0.as_str());
        assert_eq!(shared_with_me(keys).len(), 1);
    }
}

/// Bob, a hostile sender, rewrites his own link's keystore (he owns it) each time.
fn plant<H: HttpClient>(bob: &Pod<'_, H>, link: &ShareLink, doc: &KeystoreDoc) {
    let (keystore, key) = keystore_of(link);
    let body = encrypt(doc, &key).unwrap();
    for slot in [keystore.clone(), slot_b(&keystore)] {
        block_on(bob.put(&slot, ENCRYPTED_TYPE, body.clone(), &Condition::Always)).unwrap();
    }
}

fn planted(key: &SecretKey) -> Entry {
    Entry {
        key: Some(key.clone()),
        name: "planted".into(),
        media_type: None,
        size: None,
    }
}

#[test]
fn a_file_links_keystore_that_claims_more_than_its_file_is_confined_to_it() {
    let http = NativeHttp::new();
    let (bob_session, carol_session) = (BOB.login(&http), CAROL.login(&http));
    let bob = Pod::new(&http, Some(&bob_session));
    let carol = Pod::new(&http, Some(&carol_session));
    let (bob_layout, bob_keys) = new_drive(&bob, &BOB);
    let (carol_layout, carol_keys) = new_drive(&carol, &CAROL);
    let diary = put_file(
        &carol,
        &carol_keys,
        &carol_layout.files(),
        "diary.txt",
        b"dear diary",
    );
    let diary_key = key_of(&carol_keys, &diary);
    let other = put_file(
        &bob,
        &bob_keys,
        &bob_layout.files(),
        "other.txt",
        b"not shared",
    );
    let bait = put_file(&bob, &bob_keys, &bob_layout.files(), "bait.txt", b"bait");
    let link = as_text(
        &block_on(share_file(
            &bob,
            &bob_keys,
            &BOB.webid(),
            &bait,
            Access::Read,
        ))
        .unwrap(),
    );
    let real = bob_keys.lookup(bait.as_str()).unwrap();
    let fake = SecretKey::generate().unwrap();

    // No entry for the file, or one whose key does not open it: refused, nothing kept.
    let mut doc = KeystoreDoc::default();
    doc.entries.insert(other.to_string(), planted(&fake));
    plant(&bob, &link, &doc);
    assert!(matches!(
        block_on(accept(&carol, &carol_keys, &link, &CAROL.webid())),
        Err(AcceptError::NotInKeystore)
    ));
    doc.entries.insert(bait.to_string(), planted(&fake));
    plant(&bob, &link, &doc);
    assert!(matches!(
        block_on(accept(&carol, &carol_keys, &link, &CAROL.webid())),
        Err(AcceptError::WrongKeyInKeystore(_))
    ));
    assert_eq!(
        carol_keys.keystores().len(),
        1,
        "only carol's root keystore"
    );
    // A keystore named in carol's own pod (her root keystore): refused unread.
    let mut into_carols = link.clone();
    if let Shared::File { keystore, .. } = &mut into_carols.shared {
        *keystore = Url::parse(&carol_keys.root().unwrap().url).unwrap();
    }
    assert!(matches!(
        block_on(accept(&carol, &carol_keys, &into_carols, &CAROL.webid())),
        Err(AcceptError::Vet(VetError::SplitStorage {
            field: "keystore",
            ..
        }))
    ));

    // The real entry, and claims on carol's diary, bob's other file, a new address
    // in carol's drive and carol's whole files folder: accepted, for the bait alone.
    let new_in_carols = carol_layout
        .files()
        .join("0123456789abcdef0123456789abcdef")
        .unwrap();
    let mut doc = KeystoreDoc::default();
    doc.entries.insert(bait.to_string(), real.clone());
    for url in [&diary, &other, &new_in_carols] {
        doc.entries.insert(url.to_string(), planted(&fake));
    }
    doc.entries.insert(
        carol_layout.files().to_string(),
        Entry {
            key: None,
            name: "planted folder".into(),
            media_type: None,
            size: None,
        },
    );
    plant(&bob, &link, &doc);
    let accepted = block_on(accept(&carol, &carol_keys, &link, &CAROL.webid())).unwrap();
    assert_eq!(content(accepted), b"bait");
    let carol_again = unlock_again(&carol, &carol_layout);
    for keys in [&carol_keys, &carol_again] {
        assert_eq!(
            key_of(keys, &diary).expose_bytes(),
            diary_key.expose_bytes(),
            "carol's own key for her diary"
        );
        assert!(keys.lookup(other.as_str()).is_none());
        assert!(keys.lookup(new_in_carols.as_str()).is_none());
        assert_ne!(
            keys.lookup(carol_layout.files().as_str()).map(|e| e.name),
            Some("planted folder".into())
        );
        assert!(keys
            .entries_under(carol_layout.files().as_str())
            .iter()
            .all(|(_, e)| e.name != "planted"));
        assert_eq!(
            key_of(keys, &bait).expose_bytes(),
            real.key.as_ref().unwrap().expose_bytes()
        );
    }
    // Carol's own writes never go to bob's read-only keystore: deleting her diary
    // (which it lists) and adding a file where it claims one both work.
    block_on(carol_again.remove(&carol, &[diary.to_string()])).unwrap();
    assert!(carol_again.lookup(diary.as_str()).is_none());
    let added = Entry {
        key: Some(SecretKey::generate().unwrap()),
        name: "mine.txt".into(),
        media_type: None,
        size: None,
    };
    block_on(carol_again.add(&carol, new_in_carols.as_str(), added)).unwrap();
    assert_eq!(
        carol_again.lookup(new_in_carols.as_str()).unwrap().name,
        "mine.txt"
    );
    let (keystore, key) = keystore_of(&link);
    let as_bob: KeystoreDoc = block_on(load(&bob, &keystore, &key)).unwrap().unwrap().doc;
    assert_eq!(
        as_bob.entries.len(),
        doc.entries.len(),
        "bob's keystore unchanged"
    );
    assert_eq!(as_bob.entries[new_in_carols.as_str()].name, "planted");
}
