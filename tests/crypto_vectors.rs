#![cfg(not(target_arch = "wasm32"))]
//! Runs every test vector in `tests/vectors/` both ways: valid cases must encrypt
//! to exactly the recorded bytes (given key and salt) and decrypt back, whole and
//! streamed in odd-sized pieces; invalid cases must fail with the named error.
//!
//! Regenerate after a deliberate format change (then bump the version!) with
//! `SOLIDCRYPT_WRITE_VECTORS=1 cargo test --test crypto_vectors -- --ignored`, and
//! check them with `node tests/vectors/independent_decrypt.mjs`.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use solidcrypt::crypto::envelope::{
    open, Decryptor, Encryptor, Metadata, OpenError, RustCryptoCipher, SealOptions,
};
use solidcrypt::crypto::password::{self, PasswordParams, UnwrapError};
use solidcrypt::crypto::rsa_keys::{MasterKeypair, MasterPublicKey, RsaUnwrapError};
use solidcrypt::crypto::SecretKey;

const ENVELOPE_VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/vectors/file_envelope_v1.json"
);
const PASSWORD_VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/vectors/password_wrap_v1.json"
);
const RSA_VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/vectors/rsa_wrap_v1.json"
);

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

fn key_of(case: &Value) -> SecretKey {
    SecretKey::from_bytes(unhex(case["key_hex"].as_str().unwrap()).try_into().unwrap())
}

fn open_error_name(e: &OpenError) -> &'static str {
    match e {
        OpenError::BadMagic => "BadMagic",
        OpenError::UnsupportedVersion(_) => "UnsupportedVersion",
        OpenError::InvalidHeader(_) => "InvalidHeader",
        OpenError::KeyOrHeaderMismatch => "KeyOrHeaderMismatch",
        OpenError::MetadataTampered => "MetadataTampered",
        OpenError::MalformedMetadata(_) => "MalformedMetadata",
        OpenError::ChunkTampered { .. } => "ChunkTampered",
        OpenError::Truncated => "Truncated",
        OpenError::TrailingData => "TrailingData",
        other => panic!("unexpected error {other:?}"),
    }
}

fn metadata_of(case: &Value) -> Metadata {
    let m = &case["metadata"];
    Metadata {
        name: m["name"].as_str().map(str::to_owned),
        media_type: m["media_type"].as_str().map(str::to_owned),
        size: m["size"].as_u64(),
    }
}

fn metadata_json(meta: &Metadata) -> Value {
    if meta.is_empty() {
        return Value::Null;
    }
    json!({"name": meta.name, "media_type": meta.media_type, "size": meta.size})
}

/// Streams `envelope` into a fresh decryptor in pieces of `piece` bytes.
fn open_streamed(
    key: &SecretKey,
    envelope: &[u8],
    piece: usize,
) -> Result<(Vec<u8>, Option<Metadata>), OpenError> {
    let mut decryptor = Decryptor::<RustCryptoCipher>::new(key);
    let mut out = Vec::new();
    for part in envelope.chunks(piece) {
        decryptor.push_blocking(part, &mut out)?;
    }
    let meta = decryptor.finish_blocking(&mut out)?;
    Ok((out, meta))
}

fn seal_with_salt(
    key: &SecretKey,
    salt: [u8; 32],
    plaintext: &[u8],
    options: &SealOptions,
    piece: usize,
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc =
        Encryptor::<RustCryptoCipher>::start_blocking_with_salt(key, options, salt, &mut out)
            .unwrap();
    for part in plaintext.chunks(piece.max(1)) {
        enc.push_blocking(part, &mut out).unwrap();
    }
    enc.finish_blocking(&mut out).unwrap();
    out
}

fn load(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("vector file")).expect("JSON")
}

#[test]
fn file_envelope_vectors_both_ways() {
    let cases = load(ENVELOPE_VECTORS)["cases"].as_array().unwrap().clone();
    let valid = cases.iter().filter(|c| c["expect"] == "ok").count();
    assert!(
        valid >= 20 && cases.len() - valid >= 20,
        "need 20 valid and 20 invalid cases"
    );
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let key = key_of(case);
        let ciphertext = unhex(case["ciphertext_hex"].as_str().unwrap());
        if case["expect"] == "ok" {
            let plaintext = unhex(case["plaintext_hex"].as_str().unwrap());
            let salt: [u8; 32] = unhex(case["salt_hex"].as_str().unwrap())
                .try_into()
                .unwrap();
            let options = SealOptions {
                chunk_size: case["chunk_size"].as_u64().unwrap() as u32,
                metadata: metadata_of(case),
            };
            for piece in [plaintext.len().max(1), 1, 7, 64, 1000] {
                assert_eq!(
                    hex(&seal_with_salt(&key, salt, &plaintext, &options, piece)),
                    hex(&ciphertext),
                    "{name}: encrypt (pieces of {piece})"
                );
            }
            let opened = open(&key, &ciphertext).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(*opened.plaintext, plaintext, "{name}");
            let expected_meta = (!options.metadata.is_empty()).then_some(options.metadata.clone());
            assert_eq!(opened.metadata, expected_meta, "{name}");
            for piece in [1, 13, 80, 4096] {
                let (pt, meta) = open_streamed(&key, &ciphertext, piece).unwrap();
                assert_eq!(pt, plaintext, "{name}: streamed in {piece}");
                assert_eq!(meta, expected_meta, "{name}: streamed in {piece}");
            }
        } else {
            let expect = case["expect"].as_str().unwrap();
            let err = open(&key, &ciphertext)
                .err()
                .unwrap_or_else(|| panic!("{name}: opened"));
            assert_eq!(open_error_name(&err), expect, "{name}: {err}");
            if let Some(index) = case["error_index"].as_u64() {
                assert_eq!(err, OpenError::ChunkTampered { index }, "{name}");
            }
            for piece in [1, 13, 80] {
                let err = open_streamed(&key, &ciphertext, piece).unwrap_err();
                assert_eq!(open_error_name(&err), expect, "{name}: streamed in {piece}");
            }
        }
    }
}

#[test]
fn password_wrap_vectors() {
    for case in load(PASSWORD_VECTORS)["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let wrapped = unhex(case["wrapped_hex"].as_str().unwrap());
        let pw = case["password"].as_str().unwrap();
        let result = password::unwrap_key(pw, &wrapped);
        match case["expect"].as_str().unwrap() {
            "ok" => {
                assert_eq!(
                    hex(result.unwrap().expose_bytes()),
                    case["key_hex"].as_str().unwrap(),
                    "{name}"
                );
                let p = &case["params"];
                let params = PasswordParams {
                    m_cost_kib: p["m_cost_kib"].as_u64().unwrap() as u32,
                    t_cost: p["t_cost"].as_u64().unwrap() as u32,
                    p_cost: p["p_cost"].as_u64().unwrap() as u32,
                };
                let again = password::wrap_key_with(
                    pw,
                    &key_of(case),
                    &params,
                    unhex(case["salt_hex"].as_str().unwrap())
                        .try_into()
                        .unwrap(),
                    unhex(case["nonce_hex"].as_str().unwrap())
                        .try_into()
                        .unwrap(),
                )
                .unwrap();
                assert_eq!(hex(&again), hex(&wrapped), "{name}: wrap");
            }
            "WrongPassword" => {
                assert_eq!(result.unwrap_err(), UnwrapError::WrongPassword, "{name}")
            }
            "Corrupted" => assert_eq!(result.unwrap_err(), UnwrapError::Corrupted, "{name}"),
            other => panic!("{name}: unknown expectation {other}"),
        }
    }
}

#[test]
fn rsa_wrap_vectors() {
    let vectors = load(RSA_VECTORS);
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/");
    let pair = MasterKeypair::from_pkcs8_pem(
        &std::fs::read_to_string(format!("{dir}rsa_test_key.pem")).unwrap(),
    )
    .unwrap();
    let public = MasterPublicKey::from_spki_pem(
        &std::fs::read_to_string(format!("{dir}rsa_test_key.pub.pem")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        hex(&public.fingerprint().0),
        vectors["fingerprint_hex"].as_str().unwrap()
    );
    for case in vectors["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let result = pair.unwrap_key(&unhex(case["wrapped_hex"].as_str().unwrap()));
        match case["expect"].as_str().unwrap() {
            "ok" => assert_eq!(
                hex(result.unwrap().expose_bytes()),
                case["key_hex"].as_str().unwrap(),
                "{name}"
            ),
            "NotForThisKey" => {
                assert_eq!(result.unwrap_err(), RsaUnwrapError::NotForThisKey, "{name}")
            }
            "DecryptFailed" => {
                assert_eq!(result.unwrap_err(), RsaUnwrapError::DecryptFailed, "{name}")
            }
            other => panic!("{name}: unknown expectation {other}"),
        }
    }
}

// ---------------------------------------------------------------------------
// Generator (ignored): writes the vector files from the cases below.

fn seed(label: &str) -> [u8; 32] {
    Sha256::digest(label.as_bytes()).into()
}

fn pattern(len: usize, label: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 32);
    let mut block = seed(label);
    while out.len() < len {
        out.extend_from_slice(&block);
        block = Sha256::digest(block).into();
    }
    out.truncate(len);
    out
}

struct Valid {
    name: String,
    key: [u8; 32],
    salt: [u8; 32],
    chunk_size: u32,
    metadata: Metadata,
    plaintext: Vec<u8>,
}

impl Valid {
    fn new(name: &str, len: usize, chunk_size: u32, metadata: Metadata) -> Self {
        Self {
            name: name.into(),
            key: seed(&format!("key {name}")),
            salt: seed(&format!("salt {name}")),
            chunk_size,
            metadata,
            plaintext: pattern(len, name),
        }
    }

    fn seal(&self) -> Vec<u8> {
        let options = SealOptions {
            chunk_size: self.chunk_size,
            metadata: self.metadata.clone(),
        };
        seal_with_salt(
            &SecretKey::from_bytes(self.key),
            self.salt,
            &self.plaintext,
            &options,
            usize::MAX,
        )
    }

    fn json(&self) -> Value {
        json!({
            "name": self.name,
            "key_hex": hex(&self.key),
            "salt_hex": hex(&self.salt),
            "chunk_size": self.chunk_size,
            "metadata": metadata_json(&self.metadata),
            "plaintext_hex": hex(&self.plaintext),
            "ciphertext_hex": hex(&self.seal()),
            "expect": "ok",
        })
    }
}

fn meta(name: Option<&str>, media_type: Option<&str>, size: Option<u64>) -> Metadata {
    Metadata {
        name: name.map(str::to_owned),
        media_type: media_type.map(str::to_owned),
        size,
    }
}

fn valid_cases() -> Vec<Valid> {
    let none = Metadata::default;
    let mut cases = vec![
        Valid::new("empty file", 0, 64, none()),
        Valid::new("one byte", 1, 64, none()),
        Valid::new("one byte short of a chunk", 63, 64, none()),
        Valid::new("exactly one chunk", 64, 64, none()),
        Valid::new("one chunk plus one byte", 65, 64, none()),
        Valid::new("exactly two chunks", 128, 64, none()),
        Valid::new("two chunks plus one byte", 129, 64, none()),
        Valid::new("several chunks, short last", 200, 64, none()),
        Valid::new("ten full chunks", 640, 64, none()),
        Valid::new("many chunks", 1000, 64, none()),
        Valid::new(
            "empty file with metadata",
            0,
            64,
            meta(Some("empty.txt"), Some("text/plain"), Some(0)),
        ),
        Valid::new(
            "one byte with name only",
            1,
            64,
            meta(Some("a"), None, None),
        ),
        Valid::new(
            "several chunks with all metadata",
            300,
            64,
            meta(Some("report.pdf"), Some("application/pdf"), Some(300)),
        ),
        Valid::new(
            "unicode file name",
            70,
            64,
            meta(
                Some("Überweisung – 東京 🌸.txt"),
                Some("text/plain; charset=utf-8"),
                Some(70),
            ),
        ),
        Valid::new(
            "media type only",
            10,
            64,
            meta(None, Some("image/png"), None),
        ),
        Valid::new("size only", 128, 64, meta(None, None, Some(128))),
        Valid::new("chunk size not a power of two", 250, 100, none()),
        Valid::new(
            "128 KiB chunks (the default), small file",
            100,
            131072,
            none(),
        ),
        Valid::new("128 KiB chunks (the default), empty", 0, 131072, none()),
        Valid::new(
            "4 KiB chunks, 10000 bytes",
            10000,
            4096,
            meta(
                Some("data.bin"),
                Some("application/octet-stream"),
                Some(10000),
            ),
        ),
        Valid::new(
            "64 KiB chunks, one chunk plus one byte",
            65537,
            65536,
            none(),
        ),
    ];
    let mut zero_key = Valid::new("all-zero key", 33, 64, none());
    zero_key.key = [0; 32];
    cases.push(zero_key);
    // The same file written twice under one key: the fresh salt makes every byte differ.
    let first = Valid::new("rewrite, first write", 100, 64, none());
    let mut second = Valid::new("rewrite, second write", 100, 64, none());
    second.key = first.key;
    second.plaintext = first.plaintext.clone();
    cases.push(first);
    cases.push(second);
    let mut hello = Valid::new(
        "hello world",
        0,
        65536,
        meta(Some("hello.txt"), Some("text/plain"), Some(12)),
    );
    hello.plaintext = b"hello world\n".to_vec();
    cases.push(hello);
    cases
}

fn invalid(
    name: &str,
    key: &[u8; 32],
    ciphertext: &[u8],
    expect: &str,
    index: Option<u64>,
) -> Value {
    let mut case = json!({
        "name": name,
        "key_hex": hex(key),
        "ciphertext_hex": hex(ciphertext),
        "expect": expect,
    });
    if let Some(i) = index {
        case["error_index"] = json!(i);
    }
    case
}

fn invalid_cases() -> Vec<Value> {
    // Base: 200 bytes in 64-byte chunks = segments of 80, 80, 80, 24 bytes after the
    // 78-byte header; with metadata the segments start later.
    let base = Valid::new("tamper base", 200, 64, none_meta());
    let ct = base.seal();
    let key = base.key;
    let h = 78;
    let seg = 80;
    let with_meta = Valid::new(
        "tamper base with metadata",
        200,
        64,
        meta(Some("x.txt"), Some("text/plain"), None),
    );
    let ct_meta = with_meta.seal();
    let full = Valid::new("tamper base, full last chunk", 256, 64, none_meta());
    let ct_full = full.seal();
    let other_write = {
        let mut v = Valid::new("tamper base, other write", 200, 64, none_meta());
        v.key = key;
        v.plaintext = base.plaintext.clone();
        v.seal()
    };
    let other_file = Valid::new("tamper base, other file", 200, 64, none_meta()).seal();

    let flip = |bytes: &[u8], i: usize, mask: u8| {
        let mut b = bytes.to_vec();
        b[i] ^= mask;
        b
    };
    let set = |bytes: &[u8], at: usize, value: &[u8]| {
        let mut b = bytes.to_vec();
        b[at..at + value.len()].copy_from_slice(value);
        b
    };
    let segments = |bytes: &[u8], start: usize| -> Vec<Vec<u8>> {
        bytes[start..].chunks(seg).map(<[u8]>::to_vec).collect()
    };
    let join =
        |head: &[u8], segs: &[Vec<u8>]| -> Vec<u8> { [head.to_vec(), segs.concat()].concat() };
    let s = segments(&ct, h);
    let meta_len = u32::from_be_bytes(ct_meta[10..14].try_into().unwrap()) as usize;
    let empty = Valid::new("tamper base, empty", 0, 64, none_meta());
    let ct_empty = empty.seal();

    vec![
        invalid("bad magic", &key, &flip(&ct, 0, 0x20), "BadMagic", None),
        invalid(
            "version 2",
            &key,
            &set(&ct, 4, &[2]),
            "UnsupportedVersion",
            None,
        ),
        invalid(
            "reserved byte set",
            &key,
            &set(&ct, 5, &[1]),
            "InvalidHeader",
            None,
        ),
        invalid(
            "chunk size zero",
            &key,
            &set(&ct, 6, &[0, 0, 0, 0]),
            "InvalidHeader",
            None,
        ),
        invalid(
            "chunk size 32 MiB",
            &key,
            &set(&ct, 6, &[2, 0, 0, 0]),
            "InvalidHeader",
            None,
        ),
        invalid(
            "metadata length below tag size",
            &key,
            &set(&ct, 10, &[0, 0, 0, 5]),
            "InvalidHeader",
            None,
        ),
        invalid(
            "wrong key",
            &seed("some other key"),
            &ct,
            "KeyOrHeaderMismatch",
            None,
        ),
        invalid(
            "salt bit flipped",
            &key,
            &flip(&ct, 20, 0x01),
            "KeyOrHeaderMismatch",
            None,
        ),
        invalid(
            "commitment bit flipped",
            &key,
            &flip(&ct, 77, 0x80),
            "KeyOrHeaderMismatch",
            None,
        ),
        invalid(
            "chunk size changed to another valid size",
            &key,
            &set(&ct, 6, &[0, 0, 0, 128]),
            "KeyOrHeaderMismatch",
            None,
        ),
        invalid(
            "metadata length added",
            &key,
            &set(&ct, 10, &[0, 0, 0, 16]),
            "KeyOrHeaderMismatch",
            None,
        ),
        invalid(
            "metadata bit flipped",
            &with_meta.key,
            &flip(&ct_meta, h + 3, 0x04),
            "MetadataTampered",
            None,
        ),
        invalid(
            "metadata cut short",
            &with_meta.key,
            &ct_meta[..h + 10],
            "Truncated",
            None,
        ),
        invalid(
            "bit flipped in chunk 0",
            &key,
            &flip(&ct, h + 5, 0x10),
            "ChunkTampered",
            Some(0),
        ),
        invalid(
            "bit flipped in tag of chunk 1",
            &key,
            &flip(&ct, h + seg + 70, 0x01),
            "ChunkTampered",
            Some(1),
        ),
        invalid(
            "bit flipped in last chunk",
            &key,
            &flip(&ct, ct.len() - 20, 0x02),
            "ChunkTampered",
            Some(3),
        ),
        invalid(
            "chunks 0 and 1 swapped",
            &key,
            &join(
                &ct[..h],
                &[s[1].clone(), s[0].clone(), s[2].clone(), s[3].clone()],
            ),
            "ChunkTampered",
            Some(0),
        ),
        invalid(
            "chunk 0 duplicated",
            &key,
            &join(
                &ct[..h],
                &[
                    s[0].clone(),
                    s[0].clone(),
                    s[1].clone(),
                    s[2].clone(),
                    s[3].clone(),
                ],
            ),
            "ChunkTampered",
            Some(1),
        ),
        invalid(
            "chunk 2 dropped",
            &key,
            &join(&ct[..h], &[s[0].clone(), s[1].clone(), s[3].clone()]),
            "ChunkTampered",
            Some(2),
        ),
        invalid(
            "chunk 1 spliced from another write of the same file and key",
            &key,
            &join(
                &ct[..h],
                &[
                    s[0].clone(),
                    segments(&other_write, h)[1].clone(),
                    s[2].clone(),
                    s[3].clone(),
                ],
            ),
            "ChunkTampered",
            Some(1),
        ),
        invalid(
            "chunk 1 spliced from another file",
            &key,
            &join(
                &ct[..h],
                &[
                    s[0].clone(),
                    segments(&other_file, h)[1].clone(),
                    s[2].clone(),
                    s[3].clone(),
                ],
            ),
            "ChunkTampered",
            Some(1),
        ),
        invalid(
            "last chunk removed",
            &key,
            &join(&ct[..h], &s[..3]),
            "Truncated",
            None,
        ),
        invalid("header only", &key, &ct[..h], "Truncated", None),
        invalid("cut inside the header", &key, &ct[..40], "Truncated", None),
        invalid("nothing at all", &key, &[], "Truncated", None),
        invalid(
            "last chunk shorter than a tag",
            &key,
            &ct[..ct.len() - 14],
            "Truncated",
            None,
        ),
        invalid(
            "last byte removed",
            &key,
            &ct[..ct.len() - 1],
            "ChunkTampered",
            Some(3),
        ),
        invalid(
            "byte appended after a short last chunk",
            &key,
            &[ct.clone(), vec![0]].concat(),
            "ChunkTampered",
            Some(3),
        ),
        invalid(
            "data appended after a full last chunk",
            &full.key,
            &[ct_full.clone(), vec![0; 10]].concat(),
            "TrailingData",
            None,
        ),
        invalid(
            "empty file's only chunk flipped",
            &empty.key,
            &flip(&ct_empty, h + 3, 1),
            "ChunkTampered",
            Some(0),
        ),
        invalid(
            "metadata block removed",
            &with_meta.key,
            &[&ct_meta[..h], &ct_meta[h + meta_len..]].concat(),
            "MetadataTampered",
            None,
        ),
    ]
}

fn none_meta() -> Metadata {
    Metadata::default()
}

fn password_cases() -> Value {
    let params = PasswordParams {
        m_cost_kib: 64,
        t_cost: 1,
        p_cost: 1,
    };
    let mk = |name: &str, pw: &str, params: PasswordParams| {
        let key = seed(&format!("master {name}"));
        let salt: [u8; 16] = seed(&format!("pw salt {name}"))[..16].try_into().unwrap();
        let nonce: [u8; 12] = seed(&format!("pw nonce {name}"))[..12].try_into().unwrap();
        let wrapped =
            password::wrap_key_with(pw, &SecretKey::from_bytes(key), &params, salt, nonce).unwrap();
        json!({
            "name": name, "password": pw, "key_hex": hex(&key), "salt_hex": hex(&salt),
            "nonce_hex": hex(&nonce),
            "params": {"m_cost_kib": params.m_cost_kib, "t_cost": params.t_cost, "p_cost": params.p_cost},
            "wrapped_hex": hex(&wrapped), "expect": "ok",
        })
    };
    let a = mk("ascii password", "correct horse battery staple", params);
    let b = mk(
        "unicode password",
        "pässwörd 🔑",
        PasswordParams {
            m_cost_kib: 256,
            t_cost: 2,
            p_cost: 2,
        },
    );
    let c = mk("empty password", "", params);
    let mut wrong = a.clone();
    wrong["name"] = json!("wrong password");
    wrong["password"] = json!("Correct horse battery staple");
    wrong["expect"] = json!("WrongPassword");
    let mut corrupted = a.clone();
    let mut bytes = unhex(a["wrapped_hex"].as_str().unwrap());
    bytes[90] ^= 0x40;
    corrupted["name"] = json!("wrapped key damaged");
    corrupted["wrapped_hex"] = json!(hex(&bytes));
    corrupted["expect"] = json!("Corrupted");
    json!({"format": "solidcrypt password-wrapped key v1 (docs/FORMAT.md §2)", "cases": [a, b, c, wrong, corrupted]})
}

fn rsa_cases() -> Value {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/");
    let public = MasterPublicKey::from_spki_pem(
        &std::fs::read_to_string(format!("{dir}rsa_test_key.pub.pem")).unwrap(),
    )
    .unwrap();
    let key = seed("rsa wrapped key");
    let wrapped = public.wrap_key(&SecretKey::from_bytes(key)).unwrap();
    let mut other = wrapped.clone();
    other[10] ^= 1;
    let mut flipped = wrapped.clone();
    flipped[200] ^= 1;
    json!({
        "format": "solidcrypt RSA-wrapped key v1 (docs/FORMAT.md §3); private key rsa_test_key.pem",
        "fingerprint_hex": hex(&public.fingerprint().0),
        "cases": [
            {"name": "wrapped to the test key", "key_hex": hex(&key), "wrapped_hex": hex(&wrapped), "expect": "ok"},
            {"name": "recipient fingerprint changed", "key_hex": hex(&key), "wrapped_hex": hex(&other), "expect": "NotForThisKey"},
            {"name": "ciphertext bit flipped", "key_hex": hex(&key), "wrapped_hex": hex(&flipped), "expect": "DecryptFailed"},
        ]
    })
}

#[test]
#[ignore = "writes tests/vectors/*.json; run only after a deliberate format change"]
fn write_vectors() {
    if std::env::var_os("SOLIDCRYPT_WRITE_VECTORS").is_none() {
        return;
    }
    let mut cases: Vec<Value> = valid_cases().iter().map(Valid::json).collect();
    cases.extend(invalid_cases());
    let file = json!({
        "format": "solidcrypt file envelope v1 (docs/FORMAT.md §1)",
        "notes": "Valid cases: encrypting plaintext_hex under key_hex with salt_hex, chunk_size and metadata gives ciphertext_hex. Invalid cases: decrypting ciphertext_hex under key_hex fails with `expect` (error_index: the failing chunk).",
        "cases": cases,
    });
    let write = |path: &str, value: &Value| {
        std::fs::write(path, serde_json::to_string_pretty(value).unwrap() + "\n").unwrap()
    };
    write(ENVELOPE_VECTORS, &file);
    write(PASSWORD_VECTORS, &password_cases());
    // RSA-OAEP is randomized: keep the recorded wrap unless asked to redo it.
    if std::env::var_os("SOLIDCRYPT_WRITE_RSA_VECTORS").is_some() {
        write(RSA_VECTORS, &rsa_cases());
    }
}
