#![cfg(not(target_arch = "wasm32"))]
//! Opening a link without a drive (issue 17, item 6) on a real pod: carol, whose
//! drive is never set up in these tests (a data folder of her pod that does not
//! exist), looks at alice's links (`share::look`: HEAD requests only), learns who
//! the pod says shares them (`share::sharers`), and opens them read-only
//! (`share::visit`): the join is the one write, on alice's pod; nothing at all
//! is requested from carol's own data folder; the key opens the file (checked
//! before anything is given) and sits in an in-memory keyring that refuses every
//! write. Keeping the link afterwards (set up, then accept) works as before.
//! Altered links are refused the way accepting refuses them, and a link into
//! carol's own pod is not opened without her keystores.

mod common;

use common::{
    alice_shares_file, alice_shares_folder, as_text, block_on, drive_password, new_drive,
    new_top_folder, put_file, Counting, NativeHttp, ALICE, CAROL, FAST,
};
use solidcrypt::crypto::SecretKey;
use solidcrypt::drive::{download_to_memory, list_folder, new_folder};
use solidcrypt::keystore::master::set_up;
use solidcrypt::keystore::{Entry, IndexEntry, KeyringError, KeystoreKind, Layout};
use solidcrypt::pod::error::ReadError;
use solidcrypt::pod::Pod;
use solidcrypt::share::{
    accept_preview, grant_file, look, preview, shared_with_me, sharers, visit, AcceptError,
    Accepted, Access, Shared, SharedKind, VetError,
};

/// A data folder of carol's pod that no test creates: a drive never set up.
fn no_drive() -> Layout {
    Layout::at(
        CAROL
            .storage()
            .join(&format!("{}/", common::unique("never")))
            .unwrap(),
    )
}

/// The requests of `requests` that are not reads.
fn writes(requests: &[String]) -> Vec<&String> {
    requests
        .iter()
        .filter(|r| !r.starts_with("GET ") && !r.starts_with("HEAD "))
        .collect()
}

#[test]
fn a_file_link_opens_read_only_without_a_drive_writing_only_the_join() {
    let http = NativeHttp::new();
    let (alice_session, carol_session) = (ALICE.login(&http), CAROL.login(&http));
    let alice = Pod::new(&http, Some(&alice_session));
    let counted = Counting::new(&http);
    let carol = Pod::new(&counted, Some(&carol_session));
    let (alice_layout, alice_keys) = new_drive(&alice, &ALICE);
    let plaintext = format!("for carol {}", common::unique("x")).into_bytes();
    let file = put_file(
        &alice,
        &alice_keys,
        &alice_layout.files(),
        "letter.txt",
        &plaintext,
    );
    let link = as_text(&alice_shares_file(
        &alice,
        &alice_keys,
        &file,
        Access::ReadWrite,
    ));
    let layout = no_drive();

    counted.take();
    let looked = block_on(look(&carol, &layout, &link)).unwrap();
    let looking = counted.take();
    assert!(
        looking.iter().all(|r| r.starts_with("HEAD ")),
        "{looking:?}"
    );
    // Carol's data folder (missing: one more HEAD, to her storage root), the
    // group and alice's storage root.
    assert_eq!(looking.len(), 4, "{looking:?}");
    assert_eq!(looked.kind(), SharedKind::File);
    assert_eq!(looked.storage, ALICE.storage());
    assert!(!looked.own && !looked.known && looked.name.is_none());

    // Who shares: the owner alice's pod states, or (CSS states none) the profile
    // in her storage that names it as its own; read without carol's session.
    counted.take();
    let named = block_on(sharers(&carol, &looked));
    assert_eq!(
        named.iter().map(|s| s.webid.clone()).collect::<Vec<_>>(),
        [ALICE.webid_url()]
    );
    assert!(writes(&counted.take()).is_empty());
    // A storage whose profile names another storage names nobody.
    let mut elsewhere = looked.clone();
    elsewhere.storage = CAROL.storage().join("not-a-storage/").unwrap();
    elsewhere.owners.clear();
    assert_eq!(block_on(sharers(&carol, &elsewhere)), []);

    counted.take();
    let opened = block_on(visit(&carol, &layout, &looked, &CAROL.webid())).unwrap();
    let requests = counted.take();
    let Accepted::File {
        url,
        content,
        access,
        metadata,
    } = opened.opened
    else {
        panic!("a file link opens a file")
    };
    assert_eq!(url, file);
    assert_eq!(content.unwrap().as_slice(), plaintext.as_slice());
    assert_eq!(metadata.name.as_deref(), Some("letter.txt"));
    assert_eq!(access, Access::Read, "read-only, whatever the link allows");
    // Join, the link's keystore (two slots), the file: no index of carol's.
    assert_eq!(requests.len(), 4, "{requests:?}");
    let Shared::File { .. } = &link.shared else {
        panic!("a file link names its own keystore")
    };
    let group_patch = format!("PATCH {}", link.group.path());
    assert_eq!(writes(&requests), [&group_patch], "{requests:?}");
    let carol_path = CAROL.storage().path().to_owned();
    assert!(
        requests.iter().all(|r| !r.contains(&carol_path)),
        "nothing asked of carol's pod: {requests:?}"
    );

    // The key, held in memory: the drive's download reads the file with it.
    let keys = opened.keyring;
    assert!(keys.is_in_memory());
    let (_, downloaded) = block_on(download_to_memory(&carol, &keys, &file)).unwrap();
    assert_eq!(downloaded.0.as_slice(), plaintext.as_slice());
    assert!(!keys.writable(file.as_str()), "read-only");
    assert!(shared_with_me(&keys)
        .iter()
        .all(|s| s.access == Access::Read));

    // It writes nothing anywhere: a new key, a keystore, a received file.
    counted.take();
    let entry = Entry {
        key: Some(SecretKey::generate().unwrap()),
        name: "x".into(),
        media_type: None,
        size: None,
    };
    assert!(matches!(
        block_on(keys.add(&carol, file.as_str(), entry.clone())),
        Err(KeyringError::NotCovered(_))
    ));
    let elsewhere = IndexEntry {
        url: layout.new_shared_keystore("x").to_string(),
        key: SecretKey::generate().unwrap(),
        kind: KeystoreKind::SharedFolder,
        scope: ALICE.storage().to_string(),
        owner: CAROL.webid(),
        mode: None,
    };
    assert_eq!(
        block_on(keys.add_keystore(&carol, elsewhere, None)),
        Err(KeyringError::InMemory)
    );
    let other = ALICE.storage().join("other.txt").unwrap();
    let mode = solidcrypt::keystore::ShareMode::Read;
    assert_eq!(
        block_on(keys.add_received_file(&carol, other.as_str(), entry, mode)),
        Err(KeyringError::InMemory)
    );
    assert_eq!(
        block_on(keys.forget_received(&carol, file.as_str())),
        Err(KeyringError::InMemory)
    );
    assert_eq!(counted.take(), Vec::<String>::new(), "not one request");
    assert_eq!(
        block_on(carol.head(layout.base())).unwrap_err(),
        ReadError::NotFound,
        "no data folder on carol's pod"
    );

    // "Keep it in my drive": set up, look again with the keystores, accept.
    let kept = block_on(set_up(
        &carol,
        &layout,
        &CAROL.webid(),
        &drive_password(),
        &FAST,
    ))
    .unwrap();
    let again = block_on(preview(&carol, &kept, &link)).unwrap();
    let accepted = block_on(accept_preview(&carol, &kept, &again, &CAROL.webid())).unwrap();
    assert!(matches!(
        accepted,
        Accepted::File {
            access: Access::ReadWrite,
            ..
        }
    ));
    let shared = shared_with_me(&kept);
    assert_eq!(shared.len(), 1, "{shared:?}");
    assert_eq!(
        (shared[0].url.as_str(), shared[0].name.as_str()),
        (file.as_str(), "letter.txt")
    );
}

#[test]
fn a_folder_link_lists_and_downloads_read_only_without_a_drive() {
    let http = NativeHttp::new();
    let (alice_session, carol_session) = (ALICE.login(&http), CAROL.login(&http));
    let alice = Pod::new(&http, Some(&alice_session));
    let counted = Counting::new(&http);
    let carol = Pod::new(&counted, Some(&carol_session));
    let (alice_layout, alice_keys) = new_drive(&alice, &ALICE);
    let folder = new_top_folder(&alice, &alice_keys, &alice_layout, "Holiday");
    let photo = common::random_bytes(3000);
    let file = put_file(&alice, &alice_keys, &folder, "photo.bin", &photo);
    let link = as_text(&alice_shares_folder(
        &alice,
        &alice_keys,
        &folder,
        Access::ReadWrite,
    ));
    let layout = no_drive();

    let looked = block_on(look(&carol, &layout, &link)).unwrap();
    assert_eq!(looked.kind(), SharedKind::Folder);
    counted.take();
    let opened = block_on(visit(&carol, &layout, &looked, &CAROL.webid())).unwrap();
    let Accepted::Folder { url, name, access } = &opened.opened else {
        panic!("a folder link opens a folder")
    };
    assert_eq!(
        (url, name.as_str(), *access),
        (&folder, "Holiday", Access::Read)
    );
    let keys = opened.keyring;
    let items = block_on(list_folder(&carol, &keys, &folder)).unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(
        (items[0].name.as_str(), items[0].known),
        ("photo.bin", true)
    );
    let (_, downloaded) = block_on(download_to_memory(&carol, &keys, &file)).unwrap();
    assert_eq!(downloaded.0.as_slice(), photo.as_slice());
    let requests = counted.take();
    let group_patch = format!("PATCH {}", link.group.path());
    assert_eq!(writes(&requests), [&group_patch], "{requests:?}");

    // Read-only although the link allows writing: no new folder, no key written.
    assert!(!keys.writable(folder.join("new/").unwrap().as_str()));
    assert!(block_on(new_folder(&carol, &keys, &folder, "Mine")).is_err());
    let requests = counted.take();
    assert!(writes(&requests).is_empty(), "{requests:?}");
    assert_eq!(
        block_on(carol.head(layout.base())).unwrap_err(),
        ReadError::NotFound
    );
}

#[test]
fn altered_and_own_links_are_refused_before_anything_is_shown() {
    let http = NativeHttp::new();
    let (alice_session, carol_session) = (ALICE.login(&http), CAROL.login(&http));
    let alice = Pod::new(&http, Some(&alice_session));
    let carol = Pod::new(&http, Some(&carol_session));
    let (alice_layout, alice_keys) = new_drive(&alice, &ALICE);
    let file = put_file(
        &alice,
        &alice_keys,
        &alice_layout.files(),
        "secret.txt",
        b"secret",
    );
    let layout = no_drive();

    // A file link whose keystore key was swapped: its keystore does not open.
    let mut link = as_text(&alice_shares_file(&alice, &alice_keys, &file, Access::Read));
    if let Shared::File { keystore_key, .. } = &mut link.shared {
        *keystore_key = SecretKey::generate().unwrap();
    }
    let looked = block_on(look(&carol, &layout, &link)).unwrap();
    assert!(matches!(
        block_on(visit(&carol, &layout, &looked, &CAROL.webid())),
        Err(AcceptError::BadKeystore(_))
    ));

    // A key-in-link link with another key: checked against the file's header.
    let granted = block_on(grant_file(
        &alice,
        &ALICE.webid(),
        &file,
        &SecretKey::generate().unwrap(),
        Access::Read,
        &alice_layout.groups(),
    ))
    .unwrap();
    let looked = block_on(look(&carol, &layout, &as_text(&granted))).unwrap();
    assert!(matches!(
        block_on(visit(&carol, &layout, &looked, &CAROL.webid())),
        Err(AcceptError::StaleKey(_))
    ));
    // With the right key it opens, and the key is held for that one file.
    let key = alice_keys.lookup(file.as_str()).unwrap().key.unwrap();
    let granted = block_on(grant_file(
        &alice,
        &ALICE.webid(),
        &file,
        &key,
        Access::Read,
        &alice_layout.groups(),
    ))
    .unwrap();
    let looked = block_on(look(&carol, &layout, &as_text(&granted))).unwrap();
    let opened = block_on(visit(&carol, &layout, &looked, &CAROL.webid())).unwrap();
    let Accepted::File { content, .. } = opened.opened else {
        panic!("a file")
    };
    assert_eq!(content.unwrap().as_slice(), b"secret");
    assert!(opened.keyring.lookup(file.as_str()).is_some());
    let sibling = file.join("other.txt").unwrap();
    assert!(opened.keyring.lookup(sibling.as_str()).is_none());

    // Alice's own link, looked at by alice without her keystores: marked, not
    // opened (only her keystores can tell it from an altered one), nothing joined.
    let own = as_text(&alice_shares_file(&alice, &alice_keys, &file, Access::Read));
    let looked = block_on(look(&alice, &alice_layout, &own)).unwrap();
    assert!(looked.own);
    let group_before = block_on(alice.get(&own.group)).unwrap().body;
    assert!(matches!(
        block_on(visit(&alice, &alice_layout, &looked, &ALICE.webid())),
        Err(AcceptError::Vet(VetError::OwnStorage(_)))
    ));
    assert_eq!(block_on(alice.get(&own.group)).unwrap().body, group_before);
    // With them, it is hers: the full preview lets it through, unmarked.
    let seen = block_on(preview(&alice, &alice_keys, &own)).unwrap();
    assert!(!seen.own && seen.known);
}
