#![cfg(not(target_arch = "wasm32"))]
//! Someone's identity from a hostile profile (docs/FORMAT.md §7.3): every way the
//! profile or the published copy of the key can be wrong is its own refusal. Runs
//! against an in-memory pod that serves whatever the test puts there.

mod common;

use std::collections::BTreeMap;
use std::sync::Mutex;

use common::block_on;
use solidcrypt::crypto::rsa_keys::{MasterPublicKey, MIN_BITS};
use solidcrypt::identity::{lookup_person, LookupError};
use solidcrypt::pod::cert::CertError;
use solidcrypt::pod::error::ReadError;
use solidcrypt::pod::http::{HttpClient, Request, Response, TransportError};
use solidcrypt::pod::profile::MAX_PROFILE_BYTES;
use solidcrypt::pod::Pod;
use url::Url;

const WEBID: &str = "https://bob.example/profile/card#me";
const CARD: &str = "https://bob.example/profile/card";
const PEM_URL: &str = "https://bob.example/solidcrypt-public/identity.pem";
const PUBLIC_PEM: &str = include_str!("vectors/rsa_test_key.pub.pem");

/// Serves fixed bodies by URL (404 otherwise), as Turtle or PEM.
#[derive(Default)]
struct Fixed {
    bodies: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl Fixed {
    fn with(profile: &str, pem: Option<&str>) -> Self {
        let fixed = Fixed::default();
        fixed.put(CARD, profile.as_bytes().to_vec());
        if let Some(pem) = pem {
            fixed.put(PEM_URL, pem.as_bytes().to_vec());
        }
        fixed
    }

    fn put(&self, url: &str, body: Vec<u8>) {
        self.bodies.lock().unwrap().insert(url.to_owned(), body);
    }
}

impl HttpClient for Fixed {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let body = self.bodies.lock().unwrap().get(&request.url).cloned();
        Ok(match body {
            Some(mut body) => {
                if let Some(limit) = request.max_body {
                    body.truncate(limit + 1);
                }
                Response {
                    status: 200,
                    headers: vec![("content-type".into(), "text/turtle".into())],
                    body,
                }
            }
            None => Response {
                status: 404,
                headers: Vec::new(),
                body: Vec::new(),
            },
        })
    }
}

fn key() -> MasterPublicKey {
    MasterPublicKey::from_spki_pem(PUBLIC_PEM).unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A profile with `keys` (modulus hex, exponent text) at `#k0`, `#k1`, … linked to
/// the PEM, an inbox and a storage, plus `extra` Turtle.
fn profile(keys: &[(String, &str)], extra: &str) -> String {
    let mut text = String::from(
        "@prefix cert: <http://www.w3.org/ns/auth/cert#>.\n\
         @prefix xsd: <http://www.w3.org/2001/XMLSchema#>.\n\
         @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#>.\n\
         @prefix ldp: <http://www.w3.org/ns/ldp#>.\n\
         @prefix pim: <http://www.w3.org/ns/pim/space#>.\n\
         <#me> pim:storage </>.\n",
    );
    if !extra.contains("ldp:inbox") {
        text.push_str("<#me> ldp:inbox </inbox/>.\n");
    }
    for (i, (modulus, exponent)) in keys.iter().enumerate() {
        text.push_str(&format!(
            "<#me> cert:key <#k{i}>.\n<#k{i}> a cert:RSAPublicKey; cert:modulus \"{modulus}\"^^xsd:hexBinary; cert:exponent {exponent}; rdfs:seeAlso <{PEM_URL}>.\n"
        ));
    }
    text.push_str(extra);
    text
}

fn good_modulus() -> String {
    hex(&key().modulus_be())
}

fn look(pod: &Fixed) -> Result<solidcrypt::identity::Person, LookupError> {
    block_on(lookup_person(
        &Pod::new(pod, None),
        &Url::parse(WEBID).unwrap(),
    ))
}

#[test]
fn a_good_profile_gives_key_fingerprint_inbox_and_storage() {
    let pod = Fixed::with(&profile(&[(good_modulus(), "65537")], ""), Some(PUBLIC_PEM));
    let person = look(&pod).unwrap();
    assert_eq!(person.public_key, key());
    assert_eq!(person.fingerprint, key().fingerprint());
    assert_eq!(person.inbox.as_str(), "https://bob.example/inbox/");
    assert_eq!(person.storage.as_str(), "https://bob.example/");
    // The same key twice (two nodes, upper-case hex, a leading zero byte) is one key.
    let upper = format!("00{}", good_modulus().to_uppercase());
    let twice = profile(&[(good_modulus(), "65537"), (upper, "65537")], "");
    assert_eq!(
        look(&Fixed::with(&twice, Some(PUBLIC_PEM)))
            .unwrap()
            .public_key,
        key()
    );
}

#[test]
fn no_key_two_keys_small_keys_and_bad_numbers_are_refused() {
    let no_key = Fixed::with(&profile(&[], ""), None);
    assert!(matches!(look(&no_key), Err(LookupError::NoKey)));

    let other = hex(
        &solidcrypt::crypto::rsa_keys::MasterKeypair::generate(MIN_BITS)
            .unwrap()
            .public_key()
            .modulus_be(),
    );
    let two = Fixed::with(
        &profile(&[(good_modulus(), "65537"), (other, "65537")], ""),
        Some(PUBLIC_PEM),
    );
    assert!(matches!(look(&two), Err(LookupError::SeveralKeys(2))));

    let small = Fixed::with(&profile(&[("c3".repeat(128), "65537")], ""), None);
    assert!(matches!(look(&small), Err(LookupError::KeyTooSmall(1024))));
    let huge = Fixed::with(&profile(&[("c3".repeat(1025), "65537")], ""), None);
    assert!(matches!(look(&huge), Err(LookupError::KeyTooLarge(8200))));

    for (modulus, why) in [
        (
            format!("{}zz", good_modulus()),
            "a character is not a hex digit",
        ),
        (format!("{}0", good_modulus()), "odd number of digits"),
        (
            format!("{}:0", good_modulus()),
            "a character is not a hex digit",
        ),
        (
            format!("{} 0", good_modulus()),
            "a character is not a hex digit",
        ),
        (String::new(), "empty"),
    ] {
        let pod = Fixed::with(&profile(&[(modulus, "65537")], ""), None);
        assert_eq!(
            look(&pod).unwrap_err(),
            LookupError::BadKey(CertError::BadModulus(why))
        );
    }
    for exponent in [
        "3",
        "1",
        "65536",
        "-65537",
        "65537.0",
        "\"x\"",
        "18446744073709551617",
    ] {
        let pod = Fixed::with(&profile(&[(good_modulus(), exponent)], ""), None);
        assert!(
            matches!(
                look(&pod),
                Err(LookupError::BadKey(CertError::BadExponent(_)))
            ),
            "exponent {exponent}: {:?}",
            look(&pod)
        );
    }
    let incomplete = Fixed::with(
        &profile(&[], "<#me> <http://www.w3.org/ns/auth/cert#key> <#k>.\n"),
        None,
    );
    assert!(matches!(
        look(&incomplete),
        Err(LookupError::BadKey(CertError::Incomplete))
    ));
}

#[test]
fn the_published_copy_must_be_there_and_agree() {
    let good = profile(&[(good_modulus(), "65537")], "");
    let missing = Fixed::with(&good, None);
    assert!(matches!(
        look(&missing),
        Err(LookupError::KeyLinkUnreadable {
            source: ReadError::NotFound,
            ..
        })
    ));
    let junk = Fixed::with(
        &good,
        Some("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"),
    );
    assert!(matches!(look(&junk), Err(LookupError::KeyLinkInvalid)));
    let other_pem = solidcrypt::crypto::rsa_keys::MasterKeypair::generate(MIN_BITS)
        .unwrap()
        .public_key()
        .to_spki_pem();
    let disagreeing = Fixed::with(&good, Some(&other_pem));
    assert!(matches!(
        look(&disagreeing),
        Err(LookupError::KeyMismatch { .. })
    ));

    let ftp = good.replace(PEM_URL, "ftp://bob.example/identity.pem");
    assert!(matches!(
        look(&Fixed::with(&ftp, None)),
        Err(LookupError::BadKeyLink(_))
    ));
    let two_links = profile(
        &[(good_modulus(), "65537")],
        "<#k0> rdfs:seeAlso <https://elsewhere.example/k.pem>.\n",
    );
    assert!(matches!(
        look(&Fixed::with(&two_links, Some(PUBLIC_PEM))),
        Err(LookupError::SeveralKeyLinks)
    ));
}

#[test]
fn the_inbox_must_be_one_http_address_and_the_profile_small() {
    let key = [(good_modulus(), "65537")];
    let mailto = Fixed::with(
        &profile(&key, "<#me> ldp:inbox <mailto:bob@bob.example>.\n"),
        Some(PUBLIC_PEM),
    );
    assert!(matches!(look(&mailto), Err(LookupError::BadInbox(_))));
    let none = Fixed::with(
        &profile(&key, "").replace("<#me> ldp:inbox </inbox/>.\n", ""),
        Some(PUBLIC_PEM),
    );
    assert!(matches!(look(&none), Err(LookupError::NoInbox)));
    let two = Fixed::with(
        &profile(&key, "<#me> ldp:inbox </inbox/>, </other-inbox/>.\n"),
        Some(PUBLIC_PEM),
    );
    assert!(matches!(look(&two), Err(LookupError::SeveralInboxes)));

    let mut huge = profile(&key, "");
    huge.push_str(&format!(
        "<#me> <http://example.org/p> \"{}\".\n",
        "x".repeat(MAX_PROFILE_BYTES)
    ));
    assert!(matches!(
        look(&Fixed::with(&huge, Some(PUBLIC_PEM))),
        Err(LookupError::Read(ReadError::TooLarge { .. }))
    ));
    assert!(matches!(
        look(&Fixed::with("<#me> this is not turtle", None)),
        Err(LookupError::Rdf(_))
    ));
    assert!(matches!(
        block_on(lookup_person(
            &Pod::new(&Fixed::default(), None),
            &Url::parse("ftp://bob.example/card#me").unwrap()
        )),
        Err(LookupError::BadWebId(_))
    ));
}
