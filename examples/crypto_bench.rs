//! Crypto throughput benchmark, driven by `scripts/bench crypto`.
//!
//! Built for wasm32 it is a page module: `scripts/bench` runs it through
//! wasm-bindgen and headless Chromium (tests/bench/crypto_page.mjs times the
//! exports below next to raw WebCrypto on the same data in the same page).
//! Built natively, `main` measures the RustCrypto engine and Argon2id here.
//!
//! Memory stays bounded whatever the size: one 1 MiB plaintext block is pushed
//! again and again, and each piece of ciphertext goes straight into the decryptor.

use solidcrypt::crypto::envelope::{ChunkCipher, Decryptor, Encryptor, SealOptions};
use solidcrypt::crypto::SecretKey;

/// Plaintext block pushed repeatedly.
const BLOCK: usize = 1 << 20;

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

    /// Our envelope over WebCrypto; resolves to the bytes round-tripped.
    #[wasm_bindgen]
    pub async fn envelope_webcrypto(total: usize, chunk_size: u32) -> usize {
        super::envelope_round_trip::<WebCryptoCipher>(total, chunk_size).await
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
