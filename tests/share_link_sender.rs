#![cfg(not(target_arch = "wasm32"))]
//! A link's sender is an attacker (issue 11, items 1 and 2), on a real pod where
//! alice's, bob's and carol's pods share one origin. Bob edits a link of his own
//! so that it names alice's files, or mixes addresses from several pods, or slips
//! a second keystore around a folder alice already holds: `accept` refuses each
//! with a clear error before joining or writing anything, and alice's later
//! uploads never write a key into bob's keystore. Looking at a link sends only
//! HEAD requests, and joining never creates a group document.

mod common;

use common::{
    as_text, block_on, folder_keystore, log_in, new_drive, pods, put_file, Counting, NativeHttp,
    ALICE, BOB, CAROL,
};
use solidcrypt::drive::new_folder;
use solidcrypt::keystore::format::{decrypt, KeystoreDoc};
use solidcrypt::keystore::{IndexEntry, Keyring, KeystoreKind, ShareMode};
use solidcrypt::pod::error::ReadError;
use solidcrypt::pod::group::Group;
use solidcrypt::pod::http::HttpClient;
use solidcrypt::pod::Pod;
use solidcrypt::share::{
    accept, preview, share_folder, AcceptError, Access, JoinError, ShareLink, Shared, VetError,
};
use url::Url;

/// Bob's link of `access` to his folder `folder`.
fn bob_shares<H: HttpClient>(
    bob: &Pod<'_, H>,
    keys: &Keyring,
    folder: &Url,
    access: Access,
) -> ShareLink {
    block_on(share_folder(bob, keys, &BOB.webid(), folder, access)).unwrap()
}

/// Alice accepts `link` as she gets it, as text.
fn alice_accepts<H: HttpClient>(
    alice: &Pod<'_, H>,
    keys: &Keyring,
    link: &ShareLink,
) -> Result<solidcrypt::share::Accepted, AcceptError> {
    block_on(accept(alice, keys, &as_text(link), &ALICE.webid()))
}

/// Bob's drive with a folder `name` shared read-write: his pod, keyring and link.
fn bobs_shared_folder<'h, H: HttpClient>(
    bob: &Pod<'h, H>,
    name: &str,
) -> (Keyring, Url, ShareLink) {
    let (layout, keys) = new_drive(bob, &BOB);
    let folder = block_on(new_folder(bob, &keys, &layout.files(), name)).unwrap();
    put_file(bob, &keys, &folder, "bait.txt", b"bob's bait");
    let link = bob_shares(bob, &keys, &folder, Access::ReadWrite);
    (keys, folder, link)
}

/// `link` with its folder, keystore or group replaced.
fn edited(link: &ShareLink, res: Option<&Url>, ks: Option<&Url>, group: Option<&Url>) -> ShareLink {
    let Shared::Folder {
        url,
        keystore,
        keystore_key,
    } = &link.shared
    else {
        panic!("a folder link")
    };
    as_text(&ShareLink {
        shared: Shared::Folder {
            url: res.unwrap_or(url).clone(),
            keystore: ks.unwrap_or(keystore).clone(),
            keystore_key: keystore_key.clone(),
        },
        access: link.access,
        group: group.unwrap_or(&link.group).clone(),
    })
}

/// The entries of the folder keystore `link` names, read as its owner.
fn keystore_entries<H: HttpClient>(owner: &Pod<'_, H>, link: &ShareLink) -> Vec<String> {
    let (keystore, keystore_key) = folder_keystore(link);
    let doc: KeystoreDoc =
        decrypt(&block_on(owner.get(&keystore)).unwrap().body, &keystore_key).unwrap();
    doc.entries.into_keys().collect()
}

fn members<H: HttpClient>(pod: &Pod<'_, H>, link: &ShareLink) -> Vec<String> {
    block_on(pod.group_members(&Group::in_document(&link.group))).unwrap()
}

#[test]
fn a_folder_link_edited_to_name_alices_own_files_is_refused_and_her_uploads_stay_hers() {
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE, &BOB]);
    let [alice, bob] = pods(&http, &sessions);
    let (alice_layout, alice_keys) = new_drive(&alice, &ALICE);
    let (_, _, link) = bobs_shared_folder(&bob, "Bait");
    let before = keystore_entries(&bob, &link);

    let elsewhere = ALICE.storage().join("photos/").unwrap();
    for target in [alice_layout.files(), elsewhere] {
        let crafted = edited(&link, Some(&target), None, None);
        let refused = block_on(accept(&alice, &alice_keys, &crafted, &ALICE.webid())).unwrap_err();
        assert!(
            matches!(refused, AcceptError::Vet(VetError::OwnStorage(_))),
            "{target}: {refused:?}"
        );
        assert!(refused.to_string().contains("your own pod"), "{refused}");
    }
    assert!(
        !alice_keys
            .keystores()
            .iter()
            .any(|e| e.kind == KeystoreKind::SharedFolder),
        "nothing joined alice's index"
    );
    assert!(!members(&bob, &link).contains(&ALICE.webid()), "no join");

    let mine = put_file(
        &alice,
        &alice_keys,
        &alice_layout.files(),
        "diary.txt",
        b"mine",
    );
    assert_eq!(
        keystore_entries(&bob, &link),
        before,
        "bob's keystore unchanged"
    );

    // Even an index entry that older code accepted gives bob nothing: a keystore
    // on his pod is never consulted or written for alice's own files.
    let Shared::Folder {
        keystore,
        keystore_key,
        ..
    } = &link.shared
    else {
        unreachable!()
    };
    let planted = IndexEntry {
        url: keystore.to_string(),
        key: keystore_key.clone(),
        kind: KeystoreKind::SharedFolder,
        scope: alice_layout.files().to_string(),
        owner: ALICE.webid(),
        mode: Some(ShareMode::Write),
    };
    block_on(solidcrypt::share::join(&alice, &link, &ALICE.webid())).unwrap();
    block_on(alice_keys.add_keystore(&alice, planted, None)).unwrap();
    let later = put_file(
        &alice,
        &alice_keys,
        &alice_layout.files(),
        "later.txt",
        b"mine too",
    );
    assert_eq!(keystore_entries(&bob, &link), before, "still unchanged");
    assert!(alice_keys.lookup(mine.as_str()).is_some());
    assert!(alice_keys.lookup(later.as_str()).is_some());
}

#[test]
fn a_link_mixing_pods_on_one_origin_is_refused_before_joining() {
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE, &BOB]);
    let [alice, bob] = pods(&http, &sessions);
    let (_, alice_keys) = new_drive(&alice, &ALICE);
    let (_, folder, link) = bobs_shared_folder(&bob, "Mixed");
    let carols = CAROL.storage();
    let carol_folder = carols.join("shared/").unwrap();
    let carol_ks = carols
        .join("solidcrypt-data/keystores/shared-x.json.enc")
        .unwrap();
    let carol_group = carols
        .join("solidcrypt-data/groups/group-0123456789abcdef0123456789abcdef.ttl")
        .unwrap();
    // The same pod under another name of its host is another origin.
    let mut other_origin = link.group.clone();
    other_origin.set_host(Some("127.0.0.1")).unwrap();
    let cases = [
        (edited(&link, None, Some(&carol_ks), None), "keystore"),
        (edited(&link, None, None, Some(&carol_group)), "group"),
        (edited(&link, Some(&carol_folder), None, None), "group"),
        (edited(&link, None, None, Some(&other_origin)), "group"),
    ];
    for (crafted, field) in cases {
        let refused = block_on(accept(&alice, &alice_keys, &crafted, &ALICE.webid())).unwrap_err();
        match &refused {
            AcceptError::Vet(VetError::SplitStorage { field: f, .. }) if *f == field => {}
            other => panic!("{crafted:?}: {other:?}"),
        }
        assert!(
            refused.to_string().contains("on different pods"),
            "{refused}"
        );
    }
    assert!(!members(&bob, &link).contains(&ALICE.webid()), "no join");
    assert_eq!(alice_keys.keystores().len(), 1, "only her root keystore");

    // The link as bob made it is fine.
    block_on(accept(&alice, &alice_keys, &as_text(&link), &ALICE.webid())).unwrap();
    assert!(alice_keys.covers(folder.join("x").unwrap().as_str()));
}

#[test]
fn a_second_keystore_around_or_inside_a_folder_already_held_is_refused() {
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE, &BOB]);
    let [alice, bob] = pods(&http, &sessions);
    let (_, alice_keys) = new_drive(&alice, &ALICE);
    let (bob_keys, outer, outer_link) = bobs_shared_folder(&bob, "Outer");
    let inner = block_on(new_folder(&bob, &bob_keys, &outer, "Inner")).unwrap();
    let inner_link = bob_shares(&bob, &bob_keys, &inner, Access::ReadWrite);
    let same_again = bob_shares(&bob, &bob_keys, &outer, Access::Read);

    alice_accepts(&alice, &alice_keys, &inner_link).unwrap();
    for around in [&outer_link, &same_again] {
        let refused = alice_accepts(&alice, &alice_keys, around).unwrap_err();
        assert_eq!(
            refused,
            AcceptError::Vet(VetError::Overlaps {
                held: inner.to_string()
            })
        );
        assert!(refused.to_string().contains("Shared with me"), "{refused}");
        assert!(!members(&bob, around).contains(&ALICE.webid()), "no join");
    }
    // Accepting the one she holds again is fine (nothing new).
    alice_accepts(&alice, &alice_keys, &inner_link).unwrap();
    assert_eq!(alice_keys.keystores().len(), 2);
}

#[test]
fn looking_at_a_link_only_reads_and_joining_never_creates_a_group() {
    let http = NativeHttp::new();
    let (alice_session, bob_session) = (ALICE.login(&http), BOB.login(&http));
    let counted = Counting::new(&http);
    let alice = Pod::new(&counted, Some(&alice_session));
    let bob = Pod::new(&http, Some(&bob_session));
    let (_, alice_keys) = new_drive(&alice, &ALICE);
    let (_, folder, link) = bobs_shared_folder(&bob, "Look");

    counted.take();
    let seen = block_on(preview(&alice, &alice_keys, &as_text(&link))).unwrap();
    let requests = counted.take();
    assert!(
        requests.iter().all(|r| r.starts_with("HEAD ")),
        "{requests:?}"
    );
    assert!(requests.len() <= 4, "{requests:?}");
    assert_eq!(seen.url(), &folder);
    assert_eq!(seen.storage, BOB.storage());
    assert_eq!(
        (seen.access(), seen.name.as_deref()),
        (Access::ReadWrite, None)
    );
    assert!(!members(&bob, &link).contains(&ALICE.webid()));

    // A group that is not there is never created by joining it: with
    // `If-Match: *` the PATCH fails instead of planting a document.
    let missing = link
        .group
        .join("group-ffffffffffffffffffffffffffffffff.ttl")
        .unwrap();
    let crafted = edited(&link, None, None, Some(&missing));
    let refused = block_on(accept(&alice, &alice_keys, &crafted, &ALICE.webid())).unwrap_err();
    assert_eq!(refused, AcceptError::Join(JoinError::Revoked));
    let scratch =
        common::scratch_container(&Pod::new(&http, Some(&alice_session)), &ALICE.storage());
    let nowhere = Group::in_document(
        &scratch
            .join("group-00000000000000000000000000000000.ttl")
            .unwrap(),
    );
    assert!(block_on(alice.join_group(&nowhere, &ALICE.webid())).is_err());
    assert_eq!(
        block_on(alice.head(&nowhere.document)).unwrap_err(),
        ReadError::NotFound,
        "joining created no document"
    );
}
