#![cfg(target_arch = "wasm32")]
//! Browser tests of the crypto core: the WebCrypto engine and the RustCrypto
//! engine produce the same bytes and open each other's envelopes, and the
//! recorded test vectors hold in the browser too.

use serde_json::Value;
use solidcrypt::crypto::envelope::{
    ChunkCipher, Decryptor, Encryptor, Metadata, OpenError, RustCryptoCipher, SealOptions,
    WebCryptoCipher,
};
use solidcrypt::crypto::password::{self, PasswordParams, UnwrapError};
use solidcrypt::crypto::rsa_keys::MasterKeypair;
use solidcrypt::crypto::SecretKey;
use wasm_bindgen_test::wasm_bindgen_test;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const VECTORS: &str = include_str!("vectors/file_envelope_v1.json");

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

async fn seal_with<C: ChunkCipher>(
    key: &SecretKey,
    salt: [u8; 32],
    plaintext: &[u8],
    options: &SealOptions,
    piece: usize,
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = Encryptor::<C>::start_with_salt(key, options, salt, &mut out)
        .await
        .unwrap();
    for part in plaintext.chunks(piece.max(1)) {
        enc.push(part, &mut out).await.unwrap();
    }
    enc.finish(&mut out).await.unwrap();
    out
}

async fn open_with<C: ChunkCipher>(
    key: &SecretKey,
    envelope: &[u8],
    piece: usize,
) -> Result<(Vec<u8>, Option<Metadata>), OpenError> {
    let mut out = Vec::new();
    let mut dec = Decryptor::<C>::new(key);
    for part in envelope.chunks(piece.max(1)) {
        dec.push(part, &mut out).await?;
    }
    let meta = dec.finish(&mut out).await?;
    Ok((out, meta))
}

fn concat(parts: &js_sys::Array) -> Vec<u8> {
    let mut out = Vec::new();
    for part in parts.iter() {
        out.extend(js_sys::Uint8Array::new(&part).to_vec());
    }
    out
}

/// Seals with the WebCrypto engine's JS-parts output (`push_parts`); the header
/// from `start` becomes the first part, as an upload does it.
async fn seal_parts(
    key: &SecretKey,
    salt: [u8; 32],
    plaintext: &[u8],
    options: &SealOptions,
    piece: usize,
) -> Vec<u8> {
    let mut header = Vec::new();
    let mut enc = Encryptor::<WebCryptoCipher>::start_with_salt(key, options, salt, &mut header)
        .await
        .unwrap();
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&header[..]));
    for part in plaintext.chunks(piece.max(1)) {
        enc.push_parts(part, &parts).await.unwrap();
    }
    enc.finish_parts(&parts).await.unwrap();
    concat(&parts)
}

/// Opens with the WebCrypto engine's JS-parts output (`push_parts`).
async fn open_parts(
    key: &SecretKey,
    envelope: &[u8],
    piece: usize,
) -> Result<(Vec<u8>, Option<Metadata>), OpenError> {
    let parts = js_sys::Array::new();
    let mut dec = Decryptor::<WebCryptoCipher>::new(key);
    for part in envelope.chunks(piece.max(1)) {
        dec.push_parts(part, &parts).await?;
    }
    let meta = dec.finish_parts(&parts).await?;
    Ok((concat(&parts), meta))
}

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 + i / 251) as u8).collect()
}

#[wasm_bindgen_test]
async fn engines_agree_byte_for_byte_and_open_each_other() {
    let key = SecretKey::generate().unwrap();
    let salt = [0x5a; 32];
    for (len, chunk_size) in [
        (0, 65536),
        (1, 64),
        (65536, 65536),
        (300_000, 65536),
        (1000, 100),
    ] {
        let plaintext = pattern(len);
        let options = SealOptions {
            chunk_size,
            metadata: Metadata {
                name: Some("agree.bin".into()),
                media_type: None,
                size: Some(len as u64),
            },
        };
        let web = seal_with::<WebCryptoCipher>(&key, salt, &plaintext, &options, 70_000).await;
        let rust = seal_with::<RustCryptoCipher>(&key, salt, &plaintext, &options, 4096).await;
        assert_eq!(
            web, rust,
            "engines disagree for {len} bytes in {chunk_size}-byte chunks"
        );
        for piece in [1000, 70_000, len] {
            let parts = seal_parts(&key, salt, &plaintext, &options, piece).await;
            assert_eq!(
                parts, rust,
                "JS-parts output differs for {len}/{chunk_size}"
            );
            let (back, meta) = open_parts(&key, &rust, piece).await.unwrap();
            assert_eq!(back, plaintext, "JS-parts open of {len}/{chunk_size}");
            assert_eq!(meta, Some(options.metadata.clone()));
        }

        let fresh_web =
            seal_with::<WebCryptoCipher>(&key, [1; 32], &plaintext, &options, len).await;
        let fresh_rust =
            seal_with::<RustCryptoCipher>(&key, [2; 32], &plaintext, &options, len).await;
        let (a, meta) = open_with::<RustCryptoCipher>(&key, &fresh_web, 10_000)
            .await
            .unwrap();
        assert_eq!(a, plaintext, "RustCrypto opens WebCrypto's envelope");
        assert_eq!(meta, Some(options.metadata.clone()));
        let (b, _) = open_with::<WebCryptoCipher>(&key, &fresh_rust, 65_552)
            .await
            .unwrap();
        assert_eq!(b, plaintext, "WebCrypto opens RustCrypto's envelope");
    }
}

#[wasm_bindgen_test]
async fn webcrypto_engine_passes_the_vectors() {
    let vectors: Value = serde_json::from_str(VECTORS).unwrap();
    for case in vectors["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let key =
            SecretKey::from_bytes(unhex(case["key_hex"].as_str().unwrap()).try_into().unwrap());
        let ciphertext = unhex(case["ciphertext_hex"].as_str().unwrap());
        // Whole (runs of many chunks per WebCrypto call) and in small pieces.
        let whole = open_with::<WebCryptoCipher>(&key, &ciphertext, ciphertext.len()).await;
        let opened = open_with::<WebCryptoCipher>(&key, &ciphertext, 97).await;
        assert_eq!(whole, opened, "{name}: whole vs pieces");
        for piece in [ciphertext.len(), 97] {
            let parts = open_parts(&key, &ciphertext, piece).await;
            assert_eq!(parts, opened, "{name}: JS parts ({piece}-byte pieces)");
        }
        if case["expect"] == "ok" {
            let plaintext = unhex(case["plaintext_hex"].as_str().unwrap());
            assert_eq!(opened.unwrap().0, plaintext, "{name}");
            let m = &case["metadata"];
            let options = SealOptions {
                chunk_size: case["chunk_size"].as_u64().unwrap() as u32,
                metadata: Metadata {
                    name: m["name"].as_str().map(str::to_owned),
                    media_type: m["media_type"].as_str().map(str::to_owned),
                    size: m["size"].as_u64(),
                },
            };
            let salt = unhex(case["salt_hex"].as_str().unwrap())
                .try_into()
                .unwrap();
            let sealed = seal_with::<WebCryptoCipher>(&key, salt, &plaintext, &options, 1000).await;
            assert_eq!(sealed, ciphertext, "{name}: WebCrypto encrypt");
            let parts = seal_parts(&key, salt, &plaintext, &options, 1000).await;
            assert_eq!(parts, ciphertext, "{name}: WebCrypto encrypt, JS parts");
        } else {
            let err = opened.unwrap_err();
            let expected = case["expect"].as_str().unwrap();
            assert!(
                format!("{err:?}").starts_with(expected),
                "{name}: got {err:?}, want {expected}"
            );
        }
    }
}

#[wasm_bindgen_test]
fn password_and_rsa_primitives_work_in_the_browser() {
    let params = PasswordParams {
        m_cost_kib: 1024,
        t_cost: 1,
        p_cost: 1,
    };
    let master = SecretKey::generate().unwrap();
    let wrapped = password::wrap_key("browser pw", &master, &params).unwrap();
    let back = password::unwrap_key("browser pw", &wrapped).unwrap();
    assert_eq!(back.expose_bytes(), master.expose_bytes());
    assert_eq!(
        password::unwrap_key("other", &wrapped).unwrap_err(),
        UnwrapError::WrongPassword
    );

    let pair = MasterKeypair::from_pkcs8_pem(include_str!("vectors/rsa_test_key.pem")).unwrap();
    let wrapped = pair.public_key().wrap_key(&master).unwrap();
    assert_eq!(
        pair.unwrap_key(&wrapped).unwrap().expose_bytes(),
        master.expose_bytes()
    );
}
