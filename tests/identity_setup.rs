#![cfg(not(target_arch = "wasm32"))]
//! The identity keypair on a real pod (docs/FORMAT.md §7): created at setup, sealed
//! so that only the password-unlocked index opens it, published in the profile
//! (every other statement kept) and as a public SPKI resource, an inbox anyone may
//! post to but not read; a second unlock makes no second key and repairs what was
//! removed; a password change keeps the key; another user finds it.
//!
//! The tests that change alice's and bob's real profiles run one at a time; the
//! last one uses profile documents of its own.

mod common;

use std::sync::Mutex;

use common::{
    block_on, drive_password, identity_site, new_drive, new_drive_with_identity, scratch_container,
    Counting, NativeHttp, ALICE, BOB, FAST,
};
use solidcrypt::crypto::envelope;
use solidcrypt::crypto::identity_key::{NativeIdentityKey, NativeKeyMaker};
use solidcrypt::crypto::rsa_keys::{MasterKeypair, MasterPublicKey};
use solidcrypt::identity::{ensure_identity, lookup_person, Change, EnsureError, Identity, Site};
use solidcrypt::keystore::master::{change_password, unlock, UnlockError};
use solidcrypt::keystore::{Keyring, Password};
use solidcrypt::pod::acl::Mode;
use solidcrypt::pod::cert::key_node;
use solidcrypt::pod::error::ReadError;
use solidcrypt::pod::http::{HttpClient, Method, Request};
use solidcrypt::pod::rdf::parse_turtle;
use solidcrypt::pod::resource::Condition;
use solidcrypt::pod::vocab;
use solidcrypt::pod::Pod;
use url::Url;

/// One test at a time: they all rewrite the same two profiles.
static PROFILES: Mutex<()> = Mutex::new(());

/// `ensure_identity` with the native key maker, as the app runs it.
fn ensure<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    site: &Site,
) -> Result<Identity<NativeIdentityKey>, EnsureError> {
    block_on(ensure_identity(
        pod,
        keyring,
        site,
        &NativeKeyMaker::default(),
    ))
}

/// The profile document of `webid`: the WebID without its fragment.
fn profile_document(webid: &Url) -> Url {
    let mut document = webid.clone();
    document.set_fragment(None);
    document
}

fn profile_triples<H: HttpClient>(pod: &Pod<'_, H>, webid: &Url) -> Vec<oxrdf::Triple> {
    let document = profile_document(webid);
    let body = block_on(pod.get_as(&document, "text/turtle")).unwrap().body;
    parse_turtle(&body, document.as_str()).unwrap()
}

#[test]
fn set_up_seals_publishes_repairs_and_survives_a_password_change() {
    let _one = PROFILES.lock().unwrap_or_else(|e| e.into_inner());
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let counting = Counting::new(&http);
    let pod = Pod::new(&counting, Some(&session));
    let site = identity_site(&ALICE);
    let webid = site.webid.clone();
    let before = profile_triples(&pod, &webid);
    let (layout, keyring) = new_drive(&pod, &ALICE);

    // Set up: a new key, sealed first, then published.
    counting.take();
    let identity = ensure(&pod, &keyring, &site).unwrap();
    let requests = counting.take();
    assert_eq!(
        identity.changes[0],
        Change::CreatedKey,
        "{:?}",
        identity.changes
    );
    let first_write = requests
        .iter()
        .position(|r| !r.starts_with("GET ") && !r.starts_with("HEAD "));
    assert!(
        requests[first_write.unwrap()].ends_with("/keystores/identity-key.enc"),
        "the sealed key is written before anything is published: {requests:?}"
    );
    assert_eq!(identity.public_key().bits(), 3072);
    let fingerprint = identity.fingerprint;

    // The sealed key opens with the root keystore's key, from the index.
    let sealed = block_on(pod.get(&layout.identity_key())).unwrap().body;
    let root = keyring.root().unwrap();
    let pkcs8 = envelope::open(&root.key, &sealed).unwrap().plaintext;
    let opened = MasterKeypair::from_pkcs8_der(&pkcs8).unwrap();
    assert_eq!(opened.public_key().fingerprint(), fingerprint);

    // A wrong password opens nothing and writes nothing.
    counting.take();
    let wrong = block_on(unlock(&pod, &layout, &Password::new("wrong horse".into())));
    assert!(matches!(wrong, Err(UnlockError::WrongPassword)));
    assert!(counting.take().iter().all(|r| r.starts_with("GET ")));

    // The profile keeps every other statement and names the key and the inbox.
    let after = profile_triples(&pod, &webid);
    let node = key_node(&webid);
    for triple in &before {
        let about_key = triple.to_string().contains(node.as_str())
            || triple.predicate.as_str() == vocab::CERT_KEY;
        assert!(about_key || after.contains(triple), "lost {triple}");
    }
    assert!(after
        .iter()
        .any(|t| t.predicate.as_str() == vocab::SOLID_OIDC_ISSUER));

    // The public resource: readable without credentials, the profile's key.
    let anonymous = Pod::new(&http, None);
    let pem = block_on(anonymous.get(&site.public_key)).unwrap().body;
    let published = MasterPublicKey::from_spki_pem(std::str::from_utf8(&pem).unwrap()).unwrap();
    assert_eq!(published.fingerprint(), fingerprint);
    let me = block_on(lookup_person(&anonymous, &webid)).unwrap();
    assert_eq!(me.fingerprint, fingerprint);
    assert_eq!(me.inbox, identity.inbox);
    assert_eq!(me.storage, ALICE.storage());

    // The inbox: anyone may post, nobody but alice may read.
    let inbox = identity.inbox.clone();
    let get = block_on(http.send(Request::new(Method::Get, inbox.as_str()))).unwrap();
    assert!(
        matches!(get.status, 401 | 403),
        "anonymous GET: {}",
        get.status
    );
    let post = Request::new(Method::Post, inbox.as_str()).body(
        "text/turtle",
        b"<#n> a <https://www.w3.org/ns/activitystreams#Note>.".to_vec(),
    );
    let post = block_on(http.send(post)).unwrap();
    assert_eq!(post.status, 201, "anonymous POST");
    block_on(pod.get_as(&inbox, "text/turtle")).expect("alice reads her inbox");

    // A second unlock: the same key, nothing written, four GETs (profile, the
    // keystores' listing, the sealed key, the public key).
    let keyring = block_on(unlock(&pod, &layout, &drive_password())).unwrap();
    counting.take();
    let again = ensure(&pod, &keyring, &site).unwrap();
    let requests = counting.take();
    assert_eq!(again.fingerprint, fingerprint);
    assert!(again.changes.is_empty(), "{:?}", again.changes);
    assert_eq!(requests.len(), 4, "{requests:?}");
    assert!(
        requests.iter().all(|r| r.starts_with("GET ")),
        "{requests:?}"
    );

    // A statement removed from the profile is put back, with the same key.
    let modulus = after
        .iter()
        .find(|t| {
            t.predicate.as_str() == vocab::CERT_MODULUS
                && t.subject.to_string().contains(node.as_str())
        })
        .unwrap()
        .clone();
    let document = profile_document(&webid);
    block_on(pod.patch_triples(&document, &[], std::slice::from_ref(&modulus), None)).unwrap();
    let repaired = ensure(&pod, &keyring, &site).unwrap();
    assert_eq!(repaired.fingerprint, fingerprint);
    assert_eq!(repaired.changes, [Change::PublishedInProfile]);
    assert!(profile_triples(&pod, &webid).contains(&modulus));

    // A new password opens the same key.
    let new = Password::new("battery staple".into());
    block_on(change_password(
        &pod,
        &layout,
        &drive_password(),
        &new,
        &FAST,
    ))
    .unwrap();
    let keyring = block_on(unlock(&pod, &layout, &new)).unwrap();
    let after_change = ensure(&pod, &keyring, &site).unwrap();
    assert_eq!(after_change.fingerprint, fingerprint);
    assert!(
        after_change.changes.is_empty(),
        "{:?}",
        after_change.changes
    );

    // A damaged sealed key that was published is an error, never replaced.
    block_on(pod.put(
        &layout.identity_key(),
        "application/octet-stream",
        b"SLCF damaged".to_vec(),
        &Condition::Always,
    ))
    .unwrap();
    let damaged = ensure(&pod, &keyring, &site);
    assert!(
        matches!(damaged, Err(EnsureError::Damaged)),
        "{:?}",
        damaged.err()
    );
    assert_eq!(
        block_on(pod.get(&layout.identity_key())).unwrap().body,
        b"SLCF damaged"
    );
}

#[test]
fn alice_finds_bobs_key() {
    let _one = PROFILES.lock().unwrap_or_else(|e| e.into_inner());
    let http = NativeHttp::new();
    let bob_session = BOB.login(&http);
    let bob = Pod::new(&http, Some(&bob_session));
    let (_, _, identity) = new_drive_with_identity(&bob, &BOB);

    let alice_session = ALICE.login(&http);
    let alice = Pod::new(&http, Some(&alice_session));
    let person = block_on(lookup_person(&alice, &Url::parse(&BOB.webid()).unwrap())).unwrap();
    assert_eq!(person.fingerprint, identity.fingerprint);
    assert_eq!(person.inbox, identity.inbox);
    assert_eq!(person.storage, BOB.storage());
    assert_eq!(person.public_key, *identity.public_key());
}

/// A profile document of alice's own in a scratch folder, standing in for her
/// WebID's, so this test runs alongside the others.
fn scratch_site(pod: &Pod<'_, NativeHttp>, profile: &str) -> Site {
    let scratch = scratch_container(pod, &ALICE.storage());
    let card = scratch.join("card").unwrap();
    block_on(pod.put(
        &card,
        "text/turtle",
        profile.as_bytes().to_vec(),
        &Condition::IfAbsent,
    ))
    .unwrap();
    Site {
        webid: card.join("#me").unwrap(),
        owner: ALICE.webid(),
        public_key: scratch.join("identity.pem").unwrap(),
        inbox: scratch.join("inbox/").unwrap(),
    }
}

#[test]
fn a_cut_off_first_write_is_redone_an_inbox_made_or_kept() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));

    // A sealed key that does not open, and nothing published: a first write cut
    // off half-way. It is replaced. The profile's inbox (elsewhere) is kept.
    let elsewhere = "https://elsewhere.example/inbox/";
    let site = scratch_site(
        &pod,
        &format!(
            "<#me> a <http://xmlns.com/foaf/0.1/Person>; <{}> <{elsewhere}>.",
            vocab::LDP_INBOX
        ),
    );
    let (layout, keyring) = new_drive(&pod, &ALICE);
    let cut = b"SLCF\x01\x00 cut off".to_vec();
    block_on(pod.put(
        &layout.identity_key(),
        "application/octet-stream",
        cut,
        &Condition::IfAbsent,
    ))
    .unwrap();
    let identity = ensure(&pod, &keyring, &site).unwrap();
    assert_eq!(
        identity.changes,
        [
            Change::ReplacedUnusableKey,
            Change::PublishedPublicKey,
            Change::PublishedInProfile
        ]
    );
    assert_eq!(identity.inbox.as_str(), elsewhere);
    let sealed = block_on(pod.get(&layout.identity_key())).unwrap().body;
    let pkcs8 = envelope::open(&keyring.root().unwrap().key, &sealed)
        .unwrap()
        .plaintext;
    assert_eq!(
        MasterKeypair::from_pkcs8_der(&pkcs8)
            .unwrap()
            .public_key()
            .fingerprint(),
        identity.fingerprint
    );
    let person = block_on(lookup_person(&pod, &site.webid)).unwrap();
    assert_eq!(person.fingerprint, identity.fingerprint);
    assert_eq!(person.inbox.as_str(), elsewhere);
    assert_eq!(person.storage, ALICE.storage());

    // A profile without an inbox gets one: public Append, no public Read.
    let site = scratch_site(&pod, "<#me> a <http://xmlns.com/foaf/0.1/Person>.");
    let (_, keyring) = new_drive(&pod, &ALICE);
    let identity = ensure(&pod, &keyring, &site).unwrap();
    assert_eq!(
        identity.changes,
        [
            Change::CreatedKey,
            Change::PublishedPublicKey,
            Change::PublishedInProfile,
            Change::CreatedInbox,
            Change::LinkedInbox
        ]
    );
    assert_eq!(identity.inbox, site.inbox);
    let acl = block_on(pod.read_acl(&site.inbox)).unwrap().acl;
    let public: Vec<_> = acl
        .authorizations
        .iter()
        .filter(|a| a.agent_classes.iter().any(|c| c == vocab::FOAF_AGENT))
        .collect();
    assert_eq!(public.len(), 1);
    assert_eq!(public[0].modes.iter().collect::<Vec<_>>(), [&Mode::Append]);
    assert!(public[0].default.is_empty());
    common::alice_keeps_control(&pod, &site.inbox);
    let anonymous = Pod::new(&http, None);
    assert!(matches!(
        block_on(anonymous.get_as(&site.inbox, "text/turtle")),
        Err(ReadError::Unauthorized | ReadError::Forbidden)
    ));
    // A second run keeps it all.
    let again = ensure(&pod, &keyring, &site).unwrap();
    assert!(again.changes.is_empty(), "{:?}", again.changes);
}
