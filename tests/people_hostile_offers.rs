#![cfg(not(target_arch = "wasm32"))]
//! Hostile inbox members on a real pod: junk bytes, 10 MiB, an offer naming
//! someone else as recipient, one replayed within a read, one whose key does not
//! open the keystore it names, one naming a resource outside the sender's storage
//! and one inside bob's own. Each is refused with its reason and deleted; nothing
//! reaches bob's index or his list of shares. The real offer next to them is shown.

mod common;

use common::{
    block_on, log_in, new_drive_with_identity, new_top_folder, pods, put_file, NativeHttp, ALICE,
    BOB, CAROL, PROFILES,
};
use solidcrypt::auth::clock::now_secs;
use solidcrypt::crypto::SecretKey;
use solidcrypt::identity::{lookup_person, Person};
use solidcrypt::keystore::ShareMode;
use solidcrypt::people::notification::{Activity, Notification};
use solidcrypt::people::offer::{Kind, Offer};
use solidcrypt::people::payload::seal_payload;
use solidcrypt::people::{decline_offer, read_inbox, share_with_person, shares, Refusal};
use solidcrypt::pod::error::ReadError;
use solidcrypt::pod::http::{HttpClient, Method, Request};
use solidcrypt::pod::Pod;
use solidcrypt::share::Access;
use url::Url;

/// An offer from alice to `to` (wrapped to `to`'s key) saying `recipient`.
fn offer_turtle(
    to: &Person,
    recipient: &str,
    resource: &Url,
    keystore: &Url,
    key: &SecretKey,
) -> Vec<u8> {
    let offer = Offer::new(
        &ALICE.webid(),
        recipient,
        &to.fingerprint,
        Kind::Folder,
        ShareMode::Read,
        "Forged",
        resource,
        keystore,
        key,
        now_secs(),
    )
    .unwrap();
    Notification {
        activity: Activity::Offer,
        actor: Url::parse(&ALICE.webid()).unwrap(),
        target: to.webid.clone(),
        payload: seal_payload(&to.public_key, &offer.to_json()).unwrap(),
    }
    .to_turtle()
    .unwrap()
}

fn post_raw<H: HttpClient>(pod: &Pod<'_, H>, inbox: &Url, content_type: &str, body: Vec<u8>) {
    let request = Request::new(Method::Post, inbox.as_str()).body(content_type, body);
    let status = block_on(pod.send(request)).unwrap().status;
    assert_eq!(status, 201, "POST to the inbox");
}

#[test]
fn hostile_offers_are_refused_with_a_reason_and_deleted() {
    let _one = PROFILES.lock().unwrap_or_else(|e| e.into_inner());
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE, &BOB]);
    let [alice, bob] = pods(&http, &sessions);
    let anyone = alice.anonymous();
    let (bob_layout, bob_keys, bob_id) = new_drive_with_identity(&bob, &BOB);
    let (alice_layout, alice_keys, _) = new_drive_with_identity(&alice, &ALICE);
    let me = Url::parse(&BOB.webid()).unwrap();
    block_on(read_inbox(&bob, &bob_keys, &me, &bob_id.key, &bob_id.inbox)).unwrap();

    let folder = new_top_folder(&alice, &alice_keys, &alice_layout, "Real");
    put_file(&alice, &alice_keys, &folder, "a.txt", b"a");
    let person = block_on(lookup_person(&alice, &me)).unwrap();
    let real = block_on(share_with_person(
        &alice,
        &alice_keys,
        &ALICE.webid(),
        &person,
        &folder,
        Access::Read,
        None,
    ))
    .unwrap();
    let keystore = Url::parse(&real.keystore).unwrap();
    let inbox = &bob_id.inbox;

    post_raw(
        &anyone,
        inbox,
        "application/octet-stream",
        b"\x00\x01junk\xff".to_vec(),
    );
    post_raw(
        &anyone,
        inbox,
        "application/octet-stream",
        vec![b'x'; 10 << 20],
    );
    let for_carol = offer_turtle(
        &person,
        &CAROL.webid(),
        &folder,
        &keystore,
        &real.keystore_key,
    );
    post_raw(&anyone, inbox, "text/turtle", for_carol);
    let wrong_key = SecretKey::generate().unwrap();
    post_raw(
        &anyone,
        inbox,
        "text/turtle",
        offer_turtle(&person, &BOB.webid(), &folder, &keystore, &wrong_key),
    );
    let carols = CAROL.storage().join("somewhere/").unwrap();
    post_raw(
        &anyone,
        inbox,
        "text/turtle",
        offer_turtle(
            &person,
            &BOB.webid(),
            &carols,
            &keystore,
            &real.keystore_key,
        ),
    );
    let bobs = bob_layout.files();
    post_raw(
        &anyone,
        inbox,
        "text/turtle",
        offer_turtle(&person, &BOB.webid(), &bobs, &keystore, &real.keystore_key),
    );
    let index_before = bob_keys.keystores().len();

    let found = block_on(read_inbox(&bob, &bob_keys, &me, &bob_id.key, inbox)).unwrap();
    let reasons: Vec<&Refusal> = found.refused.iter().map(|r| &r.reason).collect();
    let has = |test: &dyn Fn(&Refusal) -> bool, what: &str| {
        assert!(reasons.iter().any(|r| test(r)), "{what}: {reasons:#?}");
    };
    has(&|r| matches!(r, Refusal::Junk(_)), "junk");
    has(&|r| matches!(r, Refusal::TooLarge), "10 MiB");
    has(&|r| matches!(r, Refusal::WrongRecipient), "for carol");
    has(
        &|r| matches!(r, Refusal::BadKeystore),
        "a key that opens nothing",
    );
    has(
        &|r| matches!(r, Refusal::OutsideSenderStorage { .. }),
        "carol's storage",
    );
    has(
        &|r| matches!(r, Refusal::OwnStorage(_)),
        "bob's own storage",
    );
    assert_eq!(found.refused.len(), 6, "{reasons:#?}");
    for refused in &found.refused {
        assert_eq!(
            block_on(bob.get(&refused.member)).unwrap_err(),
            ReadError::NotFound,
            "{refused:?} was deleted"
        );
    }
    let [offer] = found.offers.as_slice() else {
        panic!("the real offer: {:?}", found.offers)
    };
    assert_eq!(offer.resource, folder);
    // Nothing applied before consent.
    assert_eq!(bob_keys.keystores().len(), index_before);
    let listed = block_on(shares(&bob, &bob_keys)).unwrap();
    assert!(listed.received.is_empty() && listed.declined.is_empty());

    // A copy of the real offer next to it: shown once, the copy is a replay.
    let body = block_on(bob.get(&offer.member)).unwrap().body;
    post_raw(&anyone, inbox, "text/turtle", body);
    let again = block_on(read_inbox(&bob, &bob_keys, &me, &bob_id.key, inbox)).unwrap();
    assert_eq!(again.offers.len(), 1);
    assert!(
        matches!(again.refused.as_slice(), [r] if r.reason == Refusal::Replayed),
        "{:?}",
        again.refused
    );

    // Declined: gone, remembered, and a copy posted later is a replay.
    let body = block_on(bob.get(&again.offers[0].member)).unwrap().body;
    block_on(decline_offer(&bob, &bob_keys, &again.offers[0])).unwrap();
    assert_eq!(
        block_on(bob.get(&again.offers[0].member)).unwrap_err(),
        ReadError::NotFound
    );
    post_raw(&anyone, inbox, "text/turtle", body);
    let later = block_on(read_inbox(&bob, &bob_keys, &me, &bob_id.key, inbox)).unwrap();
    assert!(later.offers.is_empty());
    assert!(matches!(later.refused.as_slice(), [r] if r.reason == Refusal::Replayed));
    assert_eq!(bob_keys.keystores().len(), index_before);
}
