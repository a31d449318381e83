#![cfg(not(target_arch = "wasm32"))]
//! Sharing with a person through their inbox, on a real pod: alice grants bob a
//! folder read-write while bob has no session; bob later reads his inbox, sees who
//! offers what, accepts, reads and uploads; alice decrypts his file and sees that
//! bob holds his key. Carol gets 403 and cannot use the offer forwarded to her; a
//! replayed offer is refused. Alice revokes bob: 403 for him, his old keys open no
//! new version, carol's share keeps working. A changed key for bob makes alice's
//! next grant refuse until she verifies it.

mod common;

use common::{
    block_on, inbox_of, log_in, new_drive_with_identity, new_top_folder, pods, put_file,
    scratch_container, Counting, NativeHttp, ALICE, BOB, CAROL, PROFILES,
};
use solidcrypt::crypto::envelope::{open, OpenError};
use solidcrypt::drive::download_to_memory;
use solidcrypt::identity::lookup_person;
use solidcrypt::keystore::{Keyring, ShareMode};
use solidcrypt::people::{
    accept_offer, read_inbox, revoke_person, share_with_person, shares, verify_contact, Kind,
    PersonShareError, ProofStatus, Refusal,
};
use solidcrypt::pod::error::ReadError;
use solidcrypt::pod::http::HttpClient;
use solidcrypt::pod::Pod;
use solidcrypt::share::Access;
use url::Url;

fn get_file<H: HttpClient>(pod: &Pod<'_, H>, keyring: &Keyring, url: &Url) -> Vec<u8> {
    let (_, sink) = block_on(download_to_memory(pod, keyring, url))
        .unwrap_or_else(|e| panic!("download of {url}: {e}"));
    sink.0.to_vec()
}

/// Reads `account`'s inbox once so what earlier tests left there (offers to a key
/// since replaced) is refused and gone before this test looks.
fn drain<H: HttpClient>(
    pod: &Pod<'_, H>,
    keys: &Keyring,
    account: &common::Account,
    id: &solidcrypt::identity::Identity<solidcrypt::crypto::identity_key::NativeIdentityKey>,
) {
    inbox_of(pod, keys, account, id);
}

#[test]
fn alice_grants_bob_a_folder_he_accepts_later_and_she_revokes_him() {
    let _one = PROFILES.lock().unwrap_or_else(|e| e.into_inner());
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE, &BOB, &CAROL]);
    let [alice, bob, carol] = pods(&http, &sessions);
    let (_, bob_keys, bob_id) = new_drive_with_identity(&bob, &BOB);
    let (_, carol_keys, carol_id) = new_drive_with_identity(&carol, &CAROL);
    let (alice_layout, alice_keys, alice_id) = new_drive_with_identity(&alice, &ALICE);
    drain(&bob, &bob_keys, &BOB, &bob_id);
    drain(&carol, &carol_keys, &CAROL, &carol_id);
    drain(&alice, &alice_keys, &ALICE, &alice_id);

    // Alice alone: bob's pod is only read (his public profile), bob sends nothing.
    let folder = new_top_folder(&alice, &alice_keys, &alice_layout, "Trip");
    let plan = b"the plan, by alice".to_vec();
    let plan_url = put_file(&alice, &alice_keys, &folder, "plan.txt", &plan);
    let bob_person = block_on(lookup_person(&alice, &BOB.webid_url())).unwrap();
    assert_eq!(bob_person.fingerprint, bob_id.fingerprint);
    let share = block_on(share_with_person(
        &alice,
        &alice_keys,
        &ALICE.webid(),
        &bob_person,
        &folder,
        Access::ReadWrite,
        None,
    ))
    .unwrap();
    assert!(share.alias.starts_with("share_"));
    assert_eq!(share.id, format!("{}${}", share.alias, BOB.webid()));
    assert_eq!(share.proof_status, ProofStatus::Pending);
    common::alice_keeps_control(&alice, &folder);
    // Nobody else: carol has neither the folder nor its keystore.
    for url in [&folder, &plan_url, &Url::parse(&share.keystore).unwrap()] {
        assert_eq!(
            block_on(carol.get(url)).unwrap_err(),
            ReadError::Forbidden,
            "{url}"
        );
    }

    // Bob, later: the offer, checked, shown.
    let inbox = inbox_of(&bob, &bob_keys, &BOB, &bob_id);
    assert!(inbox.refused.is_empty(), "{:?}", inbox.refused);
    let [preview] = inbox.offers.as_slice() else {
        panic!("one offer: {:?}", inbox.offers)
    };
    assert_eq!(preview.sender.webid, ALICE.webid_url());
    assert_eq!(preview.sender_fingerprint(), alice_id.fingerprint);
    assert_eq!(preview.name, "Trip");
    assert_eq!(
        (preview.kind, preview.mode),
        (Kind::Folder, ShareMode::Write)
    );
    let offer_body = block_on(bob.get(&preview.member)).unwrap().body;

    // Forwarded to carol, it opens nothing: refused and deleted from her inbox.
    block_on(carol.post_notification(&carol_id.inbox, offer_body.clone())).unwrap();
    let carols = inbox_of(&carol, &carol_keys, &CAROL, &carol_id);
    assert!(carols.offers.is_empty());
    let [refused] = carols.refused.as_slice() else {
        panic!("{:?}", carols.refused)
    };
    assert!(
        matches!(refused.reason, Refusal::NotForMe(_)),
        "{refused:?}"
    );
    assert_eq!(
        block_on(carol.get(&refused.member)).unwrap_err(),
        ReadError::NotFound
    );

    let received = block_on(accept_offer(&bob, &bob_keys, &BOB.webid(), preview)).unwrap();
    assert_eq!(received.sender, ALICE.webid());
    assert_eq!(
        block_on(bob.get(&preview.member)).unwrap_err(),
        ReadError::NotFound
    );
    assert_eq!(get_file(&bob, &bob_keys, &plan_url), plan);
    let notes = b"bob's notes".to_vec();
    let notes_url = put_file(&bob, &bob_keys, &folder, "notes.txt", &notes);

    // Alice: bob's proof, and bob's file.
    let mine = inbox_of(&alice, &alice_keys, &ALICE, &alice_id);
    assert_eq!(mine.proofs.len(), 1, "{mine:?}");
    assert_eq!(mine.proofs[0].share, share.id);
    let listed = block_on(shares(&alice, &alice_keys)).unwrap();
    assert_eq!(listed.created[0].proof_status, ProofStatus::HoldsKey);
    assert!(listed
        .contacts
        .iter()
        .any(|c| c.webid == BOB.webid() && !c.verified));
    block_on(alice_keys.refresh(&alice)).unwrap();
    assert_eq!(get_file(&alice, &alice_keys, &notes_url), notes);

    // The same offer again: a replay, refused and deleted.
    block_on(alice.post_notification(&bob_id.inbox, offer_body)).unwrap();
    let again = inbox_of(&bob, &bob_keys, &BOB, &bob_id);
    assert!(again.offers.is_empty());
    assert!(
        matches!(again.refused.as_slice(), [r] if r.reason == Refusal::Replayed),
        "{again:?}"
    );

    // Carol gets the folder read-only from alice, the proper way.
    let carol_person = block_on(lookup_person(&alice, &CAROL.webid_url())).unwrap();
    block_on(share_with_person(
        &alice,
        &alice_keys,
        &ALICE.webid(),
        &carol_person,
        &folder,
        Access::Read,
        Some("Trip for carol"),
    ))
    .unwrap();
    let carols = inbox_of(&carol, &carol_keys, &CAROL, &carol_id);
    block_on(accept_offer(
        &carol,
        &carol_keys,
        &CAROL.webid(),
        &carols.offers[0],
    ))
    .unwrap();
    assert_eq!(get_file(&carol, &carol_keys, &plan_url), plan);

    // Alice revokes bob: no access, and his keys open no new version.
    let bobs_old_key = bob_keys.lookup(plan_url.as_str()).unwrap().key.unwrap();
    let listed = block_on(shares(&alice, &alice_keys)).unwrap();
    let bobs = listed
        .created
        .iter()
        .find(|s| s.recipient == BOB.webid())
        .unwrap();
    let revoked = block_on(revoke_person(
        &alice,
        &alice_keys,
        &ALICE.webid(),
        bobs,
        &|_| {},
    ))
    .unwrap();
    assert!(revoked.rotated.contains(&plan_url) && revoked.rotated.contains(&notes_url));
    for url in [&folder, &plan_url, &Url::parse(&bobs.keystore).unwrap()] {
        assert_eq!(
            block_on(bob.get(url)).unwrap_err(),
            ReadError::Forbidden,
            "{url}"
        );
    }
    let now = block_on(alice.get(&plan_url)).unwrap().body;
    assert!(matches!(
        open(&bobs_old_key, &now),
        Err(OpenError::KeyOrHeaderMismatch)
    ));
    assert_eq!(get_file(&alice, &alice_keys, &plan_url), plan);
    block_on(carol_keys.refresh(&carol)).unwrap();
    assert_eq!(get_file(&carol, &carol_keys, &plan_url), plan);
    assert_eq!(get_file(&carol, &carol_keys, &notes_url), notes);
    common::alice_keeps_control(&alice, &folder);
    let listed = block_on(shares(&alice, &alice_keys)).unwrap();
    assert!(listed.created.iter().all(|s| s.recipient != BOB.webid()));
}

#[test]
fn a_changed_key_stops_the_next_grant_until_verified() {
    let _one = PROFILES.lock().unwrap_or_else(|e| e.into_inner());
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE, &BOB]);
    let [alice, bob] = pods(&http, &sessions);
    let (_, bob_keys, bob_id) = new_drive_with_identity(&bob, &BOB);
    let (alice_layout, alice_keys, _) = new_drive_with_identity(&alice, &ALICE);
    drain(&bob, &bob_keys, &BOB, &bob_id);
    let files = alice_layout.files();
    let first = put_file(&alice, &alice_keys, &files, "first.txt", b"one");
    let second = put_file(&alice, &alice_keys, &files, "second.txt", b"two");

    // A file, read-only: bob accepts and reads it through alice's share keystore.
    let person = block_on(lookup_person(&alice, &BOB.webid_url())).unwrap();
    let share = block_on(share_with_person(
        &alice,
        &alice_keys,
        &ALICE.webid(),
        &person,
        &first,
        Access::Read,
        Some("First"),
    ))
    .unwrap();
    assert_eq!((share.kind, share.name.as_str()), (Kind::File, "first.txt"));
    let inbox = inbox_of(&bob, &bob_keys, &BOB, &bob_id);
    let preview = inbox
        .offers
        .iter()
        .find(|o| o.resource == first)
        .expect("the offer");
    block_on(accept_offer(&bob, &bob_keys, &BOB.webid(), preview)).unwrap();
    assert_eq!(get_file(&bob, &bob_keys, &first), b"one");
    assert!(solidcrypt::share::shared_with_me(&bob_keys)
        .iter()
        .any(|s| s.url == first.as_str()));
    assert!(
        solidcrypt::share::shared_with_me(&alice_keys).is_empty(),
        "alice's own share is not shared with her"
    );

    // Bob's key changes (a new drive publishes a new one).
    let (_, _, bob_new) = new_drive_with_identity(&bob, &BOB);
    assert_ne!(bob_new.fingerprint, bob_id.fingerprint);
    let person = block_on(lookup_person(&alice, &BOB.webid_url())).unwrap();
    let refused = block_on(share_with_person(
        &alice,
        &alice_keys,
        &ALICE.webid(),
        &person,
        &second,
        Access::Read,
        None,
    ))
    .unwrap_err();
    assert!(
        matches!(refused, PersonShareError::KeyChanged { .. }),
        "{refused}"
    );
    assert_eq!(
        block_on(bob.get(&second)).unwrap_err(),
        ReadError::Forbidden,
        "nothing granted"
    );
    block_on(verify_contact(&alice, &alice_keys, &person)).unwrap();
    block_on(share_with_person(
        &alice,
        &alice_keys,
        &ALICE.webid(),
        &person,
        &second,
        Access::Read,
        None,
    ))
    .unwrap();
    let listed = block_on(shares(&alice, &alice_keys)).unwrap();
    let bob_contact = listed
        .contacts
        .iter()
        .find(|c| c.webid == BOB.webid())
        .unwrap();
    assert!(bob_contact.verified);
}

/// The app reads the inbox at every unlock and every minute: an empty one costs its
/// listing alone, not a read of the shares list (which may not exist yet).
#[test]
fn an_empty_inbox_costs_one_request() {
    let _one = PROFILES.lock().unwrap_or_else(|e| e.into_inner());
    let http = NativeHttp::new();
    let session = BOB.login(&http);
    let bob = Pod::new(&http, Some(&session));
    let (_, keys, id) = new_drive_with_identity(&bob, &BOB);
    let empty = scratch_container(&bob, &BOB.storage());
    let counting = Counting::new(&http);
    let counted = Pod::new(&counting, Some(&session));
    let found = block_on(read_inbox(
        &counted,
        &keys,
        &BOB.webid_url(),
        &id.key,
        &empty,
    ))
    .unwrap();
    assert!(found.offers.is_empty() && found.proofs.is_empty() && found.refused.is_empty());
    assert_eq!(counting.take(), vec![format!("GET {}", empty.path())]);
}
