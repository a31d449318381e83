#![cfg(not(target_arch = "wasm32"))]
//! Sharing with a person against its test vector (tests/vectors/person_share_v1.json,
//! docs/FORMAT.md §8): the offer notification opens with the recipient's key to the
//! stored offer JSON, its proof is the hash FORMAT.md spells out (computed here
//! from the definition, not by the code under test), the proof notification opens
//! to its JSON and matches, the shares document opens and round-trips, and damage
//! or another key is refused. No pod needed.

use sha2::{Digest, Sha256};
use solidcrypt::crypto::identity_key::NativeIdentityKey;
use solidcrypt::crypto::rsa_keys::MasterKeypair;
use solidcrypt::crypto::SecretKey;
use solidcrypt::keystore::format::{decrypt, DecodeError};
use solidcrypt::people::notification::{Activity, Notification};
use solidcrypt::people::offer::{Offer, Proof};
use solidcrypt::people::payload::{open_payload, OpenPayloadError};
use solidcrypt::people::SharesDoc;
use url::Url;

fn vector() -> serde_json::Value {
    let text = include_str!("vectors/person_share_v1.json");
    serde_json::from_str(text).unwrap()
}

fn recipient() -> NativeIdentityKey {
    let pem = include_str!("vectors/rsa_test_key.pem");
    NativeIdentityKey::new(MasterKeypair::from_pkcs8_pem(pem).unwrap())
}

fn hex(text: &serde_json::Value) -> Vec<u8> {
    let text = text.as_str().unwrap();
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn member() -> Url {
    Url::parse("https://bob.example/inbox/1").unwrap()
}

fn open(notification: &serde_json::Value) -> (Notification, Vec<u8>) {
    let body = notification.as_str().unwrap().as_bytes();
    let n = Notification::parse(body, &member()).unwrap().unwrap();
    let json = pollster::block_on(open_payload(&recipient(), &n.payload)).unwrap();
    (n, json.to_vec())
}

#[test]
fn the_offer_opens_to_its_json_and_its_proof_is_the_specified_hash() {
    let v = vector();
    let (n, json) = open(&v["offer"]["notification"]);
    assert_eq!(n.activity, Activity::Offer);
    assert_eq!(n.payload, hex(&v["offer"]["payload_hex"]));
    assert_eq!(n.actor.as_str(), v["offer"]["json"]["sender"]);
    assert_eq!(n.target.as_str(), v["offer"]["json"]["recipient"]);
    let parsed: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(parsed, v["offer"]["json"]);
    let offer = Offer::parse(&json).unwrap().offer;
    assert_eq!(offer.proof().to_text(), v["offer"]["proof"]);

    // The proof from FORMAT.md §8.5 alone.
    let id = hex(&v["offer"]["json"]["id"]);
    let challenge =
        SecretKey::from_base64url(v["offer"]["json"]["challenge"].as_str().unwrap()).unwrap();
    let mut hash = Sha256::new();
    hash.update(b"solidcrypt offer proof v1");
    hash.update(&id);
    hash.update(challenge.expose_bytes());
    let expected = SecretKey::from_bytes(hash.finalize().into()).to_base64url();
    assert_eq!(v["offer"]["proof"], expected.as_str());
    assert_eq!(
        v["recipient_fingerprint"],
        v["offer"]["json"]["recipient_fingerprint"]
    );
}

#[test]
fn the_proof_opens_and_matches_the_offer() {
    let v = vector();
    let (n, json) = open(&v["proof"]["notification"]);
    assert_eq!(n.activity, Activity::Accept);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&json).unwrap(),
        v["proof"]["json"]
    );
    let (proof, value) = Proof::parse(&json).unwrap();
    assert_eq!(proof.from, n.actor.as_str());
    assert_eq!(value.to_text(), v["offer"]["proof"]);
}

#[test]
fn damage_or_another_key_is_refused() {
    let v = vector();
    let mut payload = hex(&v["offer"]["payload_hex"]);
    let last = payload.len() - 1;
    payload[last] ^= 1;
    assert!(matches!(
        pollster::block_on(open_payload(&recipient(), &payload)),
        Err(OpenPayloadError::Envelope(_))
    ));
    let other = NativeIdentityKey::new(MasterKeypair::generate(2048).unwrap());
    assert_eq!(
        pollster::block_on(open_payload(&other, &hex(&v["offer"]["payload_hex"]))),
        Err(OpenPayloadError::NotForMe)
    );
}

#[test]
fn the_shares_document_opens_and_round_trips() {
    let v = vector();
    let key = SecretKey::from_base64url(v["shares"]["key"].as_str().unwrap()).unwrap();
    let sealed = hex(&v["shares"]["file_hex"]);
    let doc: SharesDoc = decrypt(&sealed, &key).unwrap();
    assert_eq!(serde_json::to_value(&doc).unwrap(), v["shares"]["json"]);
    assert!(doc.answered(&doc.received[0].offer) && doc.answered(&doc.declined[0]));
    let wrong = SecretKey::from_bytes([0x34; 32]);
    assert!(matches!(
        decrypt::<SharesDoc>(&sealed, &wrong),
        Err(DecodeError::Envelope(_))
    ));
    // The links-created list under the same key is another document.
    let links =
        solidcrypt::keystore::format::encrypt(&solidcrypt::share::list::LinksDoc::default(), &key)
            .unwrap();
    assert!(decrypt::<SharesDoc>(&links, &key).is_err());
}
