#![cfg(not(target_arch = "wasm32"))]
//! Password links (FORMAT.md §5.4): `tests/vectors/password_links_v1.json` is what
//! [`cases`] builds (fixed salt and nonce), and every case parses, unlocks or is
//! refused as it records. Hostile Argon2id parameters are refused by the parser,
//! before any password is asked for or any Argon2id runs.
//!
//! Regenerate after a deliberate format change with
//! `SOLIDCRYPT_WRITE_VECTORS=1 cargo test --test share_password_links -- --ignored`.

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::vectors::{hex, variant};
use serde_json::{json, Value};
use solidcrypt::crypto::password::{self, PasswordParams, PasswordWrap};
use solidcrypt::crypto::SecretKey;
use solidcrypt::share::{Access, LinkError, ParsedLink, ShareLink, Shared, LINK_MAX_PARAMS};
use url::Url;

const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/vectors/password_links_v1.json"
);
const PASSWORD: &str = "correct horse battery";
const GROUP: &str =
    "https://alice.example/solidcrypt-data/groups/group-0123456789abcdef0123456789abcdef.ttl";
const KEYSTORE: &str = "https://alice.example/solidcrypt-data/keystores/shared-a7d2.json.enc";
/// Cheap parameters: the vectors exercise the format, not the cost.
const FAST: PasswordParams = PasswordParams {
    m_cost_kib: 64,
    t_cost: 1,
    p_cost: 1,
};

/// The plain link the password links lock: a read-only file link, keystore form.
fn plain(folder: bool) -> ShareLink {
    let keystore = Url::parse(KEYSTORE).unwrap();
    let keystore_key = SecretKey::from_bytes([0x11; 32]);
    let shared = if folder {
        let url = Url::parse("https://alice.example/solidcrypt-data/files/41be/").unwrap();
        Shared::Folder {
            url,
            keystore,
            keystore_key,
        }
    } else {
        let url = Url::parse("https://alice.example/solidcrypt-data/files/9ad1").unwrap();
        Shared::File {
            url,
            keystore,
            keystore_key,
        }
    };
    ShareLink {
        shared,
        access: if folder {
            Access::ReadWrite
        } else {
            Access::Read
        },
        group: Url::parse(GROUP).unwrap(),
    }
}

/// `plain(folder)` as a password link whose `pw` is `wrap` (any bytes).
fn with_pw(folder: bool, wrap: &[u8]) -> String {
    let open = plain(folder).to_url(&Url::parse("https://app.example/").unwrap());
    let (head, _kskey) = open.rsplit_once("&kskey=").unwrap();
    format!("{head}&pw={}", URL_SAFE_NO_PAD.encode(wrap))
}

/// The wrap of the link's keystore key under [`PASSWORD`], fixed salt and nonce.
fn wrap(params: &PasswordParams) -> Vec<u8> {
    let key = SecretKey::from_bytes([0x11; 32]);
    password::wrap_key_with(PASSWORD, &key, params, [0x5a; 16], [0xa5; 12])
        .unwrap()
        .to_vec()
}

/// A wrap with `m`, `t`, `p` written over its parameters (its check value then no
/// longer matches, which only Argon2id could find out).
fn with_params(m: u32, t: u32, p: u32) -> Vec<u8> {
    let mut bytes = wrap(&FAST);
    bytes[6..10].copy_from_slice(&m.to_be_bytes());
    bytes[10..14].copy_from_slice(&t.to_be_bytes());
    bytes[14..18].copy_from_slice(&p.to_be_bytes());
    bytes
}

fn cases() -> Value {
    let good = wrap(&FAST);
    let mut flipped_key = good.clone();
    flipped_key[100] ^= 1;
    let mut flipped_salt = good.clone();
    flipped_salt[20] ^= 1;
    let ok = |name: &str, folder: bool, password: &str, expect: &str| {
        json!({"name": name, "link": with_pw(folder, &good), "password": password, "expect": expect,
               "keystore_key_hex": hex(&[0x11; 32])})
    };
    let refused = |name: &str, link: String, expect: &str| json!({"name": name, "link": link, "expect": expect});
    let open = plain(false).to_url(&Url::parse("https://app.example/").unwrap());
    let pw = URL_SAFE_NO_PAD.encode(&good);
    json!({
        "format": "solidcrypt password share links v1 (docs/FORMAT.md §5.4)",
        "notes": "Each link locks the keystore key keystore_key_hex (file: read-only; folder: read-write) under the password \"correct horse battery\" with Argon2id m=64 KiB, t=1, p=1 (salt 5a…, nonce a5…). expect: \"ok\" (unlocks with `password` to that key), \"WrongPassword\" or \"Damaged\" (parses, then unlocking with `password` fails so), or the LinkError variant that refuses the link at parsing, before any Argon2id runs.",
        "cases": [
            ok("file, right password", false, PASSWORD, "ok"),
            ok("folder, right password", true, PASSWORD, "ok"),
            ok("wrong password", false, "correct horse battery ", "WrongPassword"),
            json!({"name": "salt tampered: reads as a wrong password (FORMAT.md §2)",
                   "link": with_pw(false, &flipped_salt), "password": PASSWORD, "expect": "WrongPassword"}),
            json!({"name": "wrapped key tampered", "link": with_pw(false, &flipped_key),
                   "password": PASSWORD, "expect": "Damaged"}),
            refused("memory over the link limit (1 GiB, fine for a master password)",
                    with_pw(false, &with_params(1024 * 1024, 1, 1)), "PasswordTooCostly"),
            refused("passes over the link limit (64)", with_pw(false, &with_params(64, 64, 1)), "PasswordTooCostly"),
            refused("lanes over the link limit (16)", with_pw(false, &with_params(128, 1, 16)), "PasswordTooCostly"),
            refused("memory over any limit (4 GiB)", with_pw(false, &with_params(u32::MAX, 1, 1)), "BadPasswordWrap"),
            refused("wrap cut short", with_pw(false, &good[..125]), "BadPasswordWrap"),
            refused("wrap with a byte more", with_pw(false, &[&good[..], &[0]].concat()), "BadPasswordWrap"),
            refused("pw not base64url", format!("{}&pw=%2B%2F", open.rsplit_once("&kskey=").unwrap().0), "BadPasswordWrap"),
            refused("pw and kskey", format!("{}&pw={pw}", *open), "PasswordAndKey"),
            refused("pw without ks", with_pw(false, &good).replace(&format!("&ks={}", urlencode(KEYSTORE)), ""), "Missing"),
            refused("pw twice", format!("{}&pw={pw}", with_pw(false, &good)), "Duplicate"),
        ]
    })
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[test]
fn vectors_are_what_the_code_builds_and_read_as_recorded() {
    let recorded: Value = serde_json::from_slice(&std::fs::read(VECTORS).unwrap()).unwrap();
    assert_eq!(
        recorded,
        cases(),
        "regenerate the vectors (see the top of this file)"
    );
    let (mut opened, mut refused) = (0, 0);
    for case in recorded["cases"].as_array().unwrap() {
        let (name, expect) = (
            case["name"].as_str().unwrap(),
            case["expect"].as_str().unwrap(),
        );
        let text = case["link"].as_str().unwrap();
        match ParsedLink::parse(text) {
            Ok(ParsedLink::Locked(locked)) => {
                assert_eq!(
                    ShareLink::parse(text).unwrap_err(),
                    LinkError::NeedsPassword,
                    "{name}"
                );
                let app = Url::parse("https://app.example/").unwrap();
                assert_eq!(
                    *locked.to_url(&app),
                    text,
                    "{name}: builds back byte for byte"
                );
                match locked.unlock(case["password"].as_str().unwrap()) {
                    Ok(link) => {
                        assert_eq!(expect, "ok", "{name}");
                        let (_, key) = link.shared.keystore().unwrap();
                        assert_eq!(hex(key.expose_bytes()), case["keystore_key_hex"], "{name}");
                        assert_eq!(matches!(link.shared, Shared::Folder { .. }), locked.folder);
                        opened += 1;
                    }
                    Err(e) => {
                        assert_eq!(variant(&e), expect, "{name}: {e}");
                        refused += 1;
                    }
                }
            }
            Ok(ParsedLink::Open(_)) => panic!("{name}: parsed as a link without password"),
            Err(e) => {
                assert_eq!(variant(&e), expect, "{name}: {e}");
                refused += 1;
            }
        }
    }
    assert!(
        opened >= 2 && refused >= 12,
        "{opened} opened, {refused} refused"
    );
}

/// A wrap §2 accepts (1 GiB) is refused in a link by the parser itself: nothing
/// ran Argon2id, and no `LockedLink` exists to be unlocked.
#[test]
fn hostile_cost_is_refused_by_the_parser() {
    let hostile = with_params(1024 * 1024, 64, 1);
    assert!(PasswordWrap::parse(&hostile).is_ok(), "a valid §2 wrap");
    let started = std::time::Instant::now();
    let refused = ParsedLink::parse(&with_pw(false, &hostile)).unwrap_err();
    assert_eq!(refused, LinkError::PasswordTooCostly);
    // Argon2id at 1 GiB takes seconds; parsing, microseconds.
    assert!(started.elapsed() < std::time::Duration::from_millis(200));
    // What writers use is within the limits, with room to raise it.
    let writer = PasswordParams::default();
    assert!(writer.m_cost_kib * 2 <= LINK_MAX_PARAMS.m_cost_kib);
    assert!(writer.t_cost * 2 <= LINK_MAX_PARAMS.t_cost);
}

#[test]
#[ignore = "writes tests/vectors/password_links_v1.json; run only after a deliberate format change"]
fn write_vectors() {
    if std::env::var_os("SOLIDCRYPT_WRITE_VECTORS").is_none() {
        return;
    }
    let text = serde_json::to_string_pretty(&cases()).unwrap() + "\n";
    std::fs::write(VECTORS, text).unwrap();
}
