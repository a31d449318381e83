#![cfg(not(target_arch = "wasm32"))]
//! docs/FORMAT.md §7 test vectors (`tests/vectors/identity_v1.json`): the profile
//! statements for the test key are exactly the recorded N-Triples and read back as
//! that key; the sealed private key opens with the recorded root keystore key, and
//! only with it, to the test key's PKCS#8.

use serde_json::Value;
use solidcrypt::crypto::envelope::{self, OpenError};
use solidcrypt::crypto::rsa_keys::{MasterKeypair, MasterPublicKey};
use solidcrypt::crypto::SecretKey;
use solidcrypt::pod::cert::{key_triples, keys_of};
use solidcrypt::pod::rdf::parse_turtle;
use url::Url;

const VECTORS: &str = include_str!("vectors/identity_v1.json");
const PRIVATE_PEM: &str = include_str!("vectors/rsa_test_key.pem");

fn vectors() -> Value {
    serde_json::from_str(VECTORS).unwrap()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn text(v: &Value, name: &str) -> String {
    v[name].as_str().unwrap().to_owned()
}

#[test]
fn the_profile_statements_are_the_recorded_ones_and_read_back() {
    let v = vectors();
    let pair = MasterKeypair::from_pkcs8_pem(PRIVATE_PEM).unwrap();
    let public = pair.public_key();
    assert_eq!(public.to_spki_pem(), text(&v, "spki_pem"));
    assert_eq!(public.fingerprint().to_string(), text(&v, "fingerprint"));
    assert_eq!(unhex(&text(&v, "modulus_hex")), public.modulus_be());

    let webid = Url::parse(&text(&v, "webid")).unwrap();
    let spki = Url::parse(&text(&v, "public_key_url")).unwrap();
    let written: Vec<String> = key_triples(&webid, &public.modulus_be(), &spki)
        .unwrap()
        .iter()
        .map(|t| format!("{t} ."))
        .collect();
    let recorded: Vec<String> = v["profile_ntriples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(written, recorded);

    let triples = parse_turtle(recorded.join("\n").as_bytes(), webid.as_str()).unwrap();
    let keys = keys_of(&triples, webid.as_str()).unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].see_also, [spki.to_string()]);
    let read = MasterPublicKey::from_components(&keys[0].modulus, &[1, 0, 1]).unwrap();
    assert_eq!(read, public);
}

#[test]
fn the_sealed_key_opens_with_the_root_key_only() {
    let v = vectors();
    let sealed = &v["sealed"];
    let root = SecretKey::from_base64url(sealed["root_key"].as_str().unwrap()).unwrap();
    let envelope = unhex(sealed["envelope_hex"].as_str().unwrap());
    let pair = MasterKeypair::from_pkcs8_pem(PRIVATE_PEM).unwrap();

    let pkcs8 = envelope::open(&root, &envelope).unwrap().plaintext;
    assert_eq!(*pkcs8, *pair.to_pkcs8_der());
    assert_eq!(
        MasterPublicKey::of_pkcs8_der(&pkcs8).unwrap(),
        pair.public_key()
    );
    assert_eq!(
        MasterKeypair::open_sealed(&root, &envelope)
            .unwrap()
            .public_key(),
        pair.public_key()
    );
    let wrong = SecretKey::from_bytes([0x43; 32]);
    assert_eq!(
        envelope::open(&wrong, &envelope).err().unwrap(),
        OpenError::KeyOrHeaderMismatch
    );
    let mut cut = envelope.clone();
    cut.truncate(envelope.len() - 1);
    assert!(envelope::open(&root, &cut).is_err());
}
