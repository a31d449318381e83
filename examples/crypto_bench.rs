//! Crypto throughput benchmark, driven by `scripts/bench crypto`.
//!
//! Built for wasm32 it is a page module: `scripts/bench` runs it through
//! wasm-bindgen and headless Chromium (tests/bench/crypto_page.mjs times the
//! exports below next to raw WebCrypto on the same data in the same page).
//! Built natively, `main` measures the RustCrypto engine and Argon2id here.
//!
//! Memory stays bounded whatever the size: one 2 MiB plaintext block (16 default
//! chunks, the slice size the drive reads files in) is pushed again and again, and
//! each piece of ciphertext goes straight into the decryptor.

use solidcrypt::crypto::envelope::{ChunkCipher, Decryptor, Encryptor, SealOptions};
use solidcrypt::crypto::SecretKey;

/// Plaintext block pushed repeatedly.
const BLOCK: usize = 2 << 20;

fn block() -> Vec<u8> {
    (0..BLOCK)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect()
}

/// Encrypts and decrypts `total` bytes through the envelope with engine `C`;
/// returns the plaintext bytes that came back (checked by the caller).
async fn envelope_round_trip<C: ChunkCipher>(total: usize, chunk_size: u32) -> usize {
    let key = SecretKey::generate().expect("randomness");
    let options = SealOptions {
        chunk_size,
        ..SealOptions::default()
    };
    let source = block();
    let mut sealed = Vec::with_capacity(BLOCK + BLOCK / 16);
    let mut opened = Vec::with_capacity(BLOCK + BLOCK / 16);
    let mut encryptor = Encryptor::<C>::start(&key, &options, &mut sealed)
        .await
        .expect("start");
    let mut decryptor = Decryptor::<C>::new(&key);
    let mut returned = 0;
    let mut sent = 0;
    while sent < total {
        let piece = &source[..BLOCK.min(total - sent)];
        encryptor.push(piece, &mut sealed).await.expect("seal");
        sent += piece.len();
        decryptor.push(&sealed, &mut opened).await.expect("open");
        sealed.clear();
        returned += opened.len();
        opened.clear();
    }
    encryptor.finish(&mut sealed).await.expect("finish seal");
    decryptor.push(&sealed, &mut opened).await.expect("open");
    decryptor.finish(&mut opened).await.expect("finish open");
    returned + opened.len()
}

/// Wraps a key with `params` and unwraps it once: the cost of an unlock.
#[cfg(not(target_arch = "wasm32"))]
fn unlock(params: &solidcrypt::crypto::password::PasswordParams) {
    use solidcrypt::crypto::password;
    let key = SecretKey::generate().expect("randomness");
    let wrapped = password::wrap_key("benchmark password", &key, params).expect("wrap");
    let back = password::unwrap_key("benchmark password", &wrapped).expect("unwrap");
    assert_eq!(back.expose_bytes(), key.expose_bytes());
}

#[cfg(target_arch = "wasm32")]
mod page {
    use solidcrypt::crypto::envelope::{RustCryptoCipher, WebCryptoCipher};
    use solidcrypt::crypto::password::{self, PasswordParams};
    use solidcrypt::crypto::SecretKey;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    /// Our envelope over WebCrypto; resolves to the bytes round-tripped.
    #[wasm_bindgen]
    pub async fn envelope_webcrypto(total: usize, chunk_size: u32) -> usize {
        super::envelope_round_trip::<WebCryptoCipher>(total, chunk_size).await
    }

    /// Our envelope over WebCrypto with JS-side output (`push_parts`), as an upload
    /// (ciphertext into Blob parts) and a download (ciphertext from the network,
    /// plaintext into Blob parts) use it. Per 2 MiB piece: the plaintext in wasm
    /// memory is sealed into JS buffers; those are copied into one reused wasm
    /// buffer (what a download does with each fetched piece) and opened into JS
    /// buffers. Resolves to the plaintext bytes that came back.
    #[wasm_bindgen]
    pub async fn envelope_webcrypto_parts(total: usize, chunk_size: u32) -> usize {
        use js_sys::{Array, Uint8Array};
        use solidcrypt::crypto::envelope::{Decryptor, Encryptor, SealOptions};
        let key = SecretKey::generate().expect("randomness");
        let options = SealOptions {
            chunk_size,
            ..SealOptions::default()
        };
        let source = super::block();
        let mut sealed = Vec::with_capacity(super::BLOCK + super::BLOCK / 16);
        let mut encryptor = Encryptor::<WebCryptoCipher>::start(&key, &options, &mut sealed)
            .await
            .expect("start");
        let mut decryptor = Decryptor::<WebCryptoCipher>::new(&key);
        // The header goes to the decryptor as the first piece.
        let mut returned = open_parts(
            &mut decryptor,
            &Array::of1(&Uint8Array::from(&sealed[..])),
            &mut sealed,
        )
        .await;
        let mut sent = 0;
        while sent < total {
            let piece = &source[..super::BLOCK.min(total - sent)];
            let cipher_parts = Array::new();
            encryptor
                .push_parts(piece, &cipher_parts)
                .await
                .expect("seal");
            sent += piece.len();
            returned += open_parts(&mut decryptor, &cipher_parts, &mut sealed).await;
        }
        let cipher_parts = Array::new();
        encryptor
            .finish_parts(&cipher_parts)
            .await
            .expect("finish seal");
        returned += open_parts(&mut decryptor, &cipher_parts, &mut sealed).await;
        let opened = Array::new();
        decryptor.finish_parts(&opened).await.expect("finish open");
        returned + length(&opened)
    }

    fn length(parts: &js_sys::Array) -> usize {
        parts
            .iter()
            .map(|p| p.unchecked_into::<js_sys::Uint8Array>().length() as usize)
            .sum()
    }

    /// Copies ciphertext parts into `buf` (reused) and opens them into JS parts;
    /// returns the plaintext length.
    async fn open_parts(
        decryptor: &mut solidcrypt::crypto::envelope::Decryptor<WebCryptoCipher>,
        cipher_parts: &js_sys::Array,
        buf: &mut Vec<u8>,
    ) -> usize {
        // Grows only once (`resize` zero-fills byte by byte at opt-level "z").
        let need = length(cipher_parts);
        if buf.len() < need {
            buf.resize(need, 0);
        }
        let mut at = 0;
        for part in cipher_parts.iter() {
            let part = part.unchecked_into::<js_sys::Uint8Array>();
            let len = part.length() as usize;
            part.copy_to(&mut buf[at..at + len]);
            at += len;
        }
        let opened = js_sys::Array::new();
        decryptor
            .push_parts(&buf[..need], &opened)
            .await
            .expect("open");
        length(&opened)
    }

    /// Our envelope over RustCrypto aes-gcm compiled to wasm.
    #[wasm_bindgen]
    pub async fn envelope_rustcrypto(total: usize, chunk_size: u32) -> usize {
        super::envelope_round_trip::<RustCryptoCipher>(total, chunk_size).await
    }

    /// Creates a wrap with these Argon2id parameters (not timed by the page).
    #[wasm_bindgen]
    pub fn password_wrap(m_cost_kib: u32, t_cost: u32, p_cost: u32) -> Vec<u8> {
        let params = PasswordParams {
            m_cost_kib,
            t_cost,
            p_cost,
        };
        let key = SecretKey::generate().expect("randomness");
        password::wrap_key("benchmark password", &key, &params)
            .expect("wrap")
            .to_vec()
    }

    /// Unlocks a wrap made by [`password_wrap`]: what the page times.
    #[wasm_bindgen]
    pub fn password_unlock(wrapped: &[u8]) -> bool {
        password::unwrap_key("benchmark password", wrapped).is_ok()
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use aes_gcm::aead::Aead;
    use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
    use solidcrypt::crypto::envelope::{RustCryptoCipher, DEFAULT_CHUNK_SIZE};
    use solidcrypt::crypto::password::PasswordParams;
    use std::time::Instant;

    let mib: usize = std::env::var("BENCH_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    let total = mib << 20;
    let chunk = DEFAULT_CHUNK_SIZE as usize;
    let rate = |secs: f64| mib as f64 / secs;

    let start = Instant::now();
    let back = solidcrypt_ready(envelope_round_trip::<RustCryptoCipher>(
        total,
        DEFAULT_CHUNK_SIZE,
    ));
    let ours = start.elapsed().as_secs_f64();
    assert_eq!(back, total);

    // Raw aes-gcm on the same chunking, no envelope: the native baseline.
    let cipher = Aes256Gcm::new(&[7u8; 32].into());
    let source = block();
    let start = Instant::now();
    let mut done = 0usize;
    let mut counter = 0u64;
    while done < total {
        for piece in source.chunks(chunk) {
            let mut nonce = [0u8; 12];
            nonce[4..].copy_from_slice(&counter.to_be_bytes());
            counter += 1;
            let sealed = cipher
                .encrypt(Nonce::from_slice(&nonce), piece)
                .expect("seal");
            let opened = cipher
                .decrypt(Nonce::from_slice(&nonce), &sealed[..])
                .expect("open");
            done += opened.len();
        }
    }
    let raw = start.elapsed().as_secs_f64();

    println!(
        "native  envelope (aes-gcm engine), {mib} MiB encrypt+decrypt: {:8.1} MiB/s",
        rate(ours)
    );
    println!(
        "native  raw aes-gcm, same chunks:                        {:8.1} MiB/s",
        rate(raw)
    );
    println!(
        "native  ratio envelope/raw:                              {:8.2}",
        raw / ours
    );

    let params = PasswordParams::default();
    let start = Instant::now();
    unlock(&params);
    let wrap_and_unlock = start.elapsed().as_secs_f64();
    println!(
        "native  Argon2id m={} MiB t={} p={}: wrap+unlock {:.2} s (≈{:.2} s per unlock)",
        params.m_cost_kib / 1024,
        params.t_cost,
        params.p_cost,
        wrap_and_unlock,
        wrap_and_unlock / 2.0
    );
}

/// Drives a future built only from RustCrypto calls, which never suspends.
#[cfg(not(target_arch = "wasm32"))]
fn solidcrypt_ready<F: std::future::Future>(future: F) -> F::Output {
    use std::task::{Context, Poll, Waker};
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => unreachable!("the RustCrypto engine never suspends"),
    }
}
