#![cfg(not(target_arch = "wasm32"))]
//! Property and mutation tests of the file envelope: random sizes, chunk sizes and
//! piece boundaries round-trip; every single-bit flip, every truncation and any
//! appended byte of a small multi-chunk envelope is rejected.

use proptest::prelude::*;
use solidcrypt::crypto::envelope::{
    open, seal, Decryptor, Encryptor, Metadata, RustCryptoCipher, SealOptions, MIN_CHUNK_SIZE,
};
use solidcrypt::crypto::SecretKey;

fn key(byte: u8) -> SecretKey {
    SecretKey::from_bytes([byte; 32])
}

fn seal_in_pieces(
    key: &SecretKey,
    plaintext: &[u8],
    options: &SealOptions,
    piece: usize,
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = Encryptor::<RustCryptoCipher>::start_blocking(key, options, &mut out).unwrap();
    for part in plaintext.chunks(piece) {
        enc.push_blocking(part, &mut out).unwrap();
    }
    enc.finish_blocking(&mut out).unwrap();
    out
}

fn open_in_pieces(key: &SecretKey, envelope: &[u8], piece: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut dec = Decryptor::<RustCryptoCipher>::new(key);
    for part in envelope.chunks(piece) {
        dec.push_blocking(part, &mut out).unwrap();
    }
    dec.finish_blocking(&mut out).unwrap();
    out
}

fn metadata() -> impl Strategy<Value = Metadata> {
    (
        proptest::option::of("[a-zA-Z0-9 ._-]{0,40}"),
        proptest::option::of("[a-z]{1,10}/[a-z0-9.+-]{1,20}"),
        proptest::option::of(any::<u64>()),
    )
        .prop_map(|(name, media_type, size)| Metadata {
            name,
            media_type,
            size,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn round_trips_for_any_size_chunk_size_and_piece_size(
        plaintext in proptest::collection::vec(any::<u8>(), 0..3000),
        chunk_size in MIN_CHUNK_SIZE..700,
        meta in metadata(),
        enc_piece in 1usize..1500,
        dec_piece in 1usize..1500,
    ) {
        let key = key(1);
        let options = SealOptions { chunk_size, metadata: meta.clone() };
        let envelope = seal_in_pieces(&key, &plaintext, &options, enc_piece);
        let chunks = plaintext.len().div_ceil(chunk_size as usize).max(1);
        let meta_len = if meta.is_empty() { 0 } else { meta.to_records().unwrap().len() + 16 };
        prop_assert_eq!(envelope.len(), 78 + meta_len + plaintext.len() + 16 * chunks);
        prop_assert_eq!(open_in_pieces(&key, &envelope, dec_piece), plaintext.clone());
        let opened = open(&key, &envelope).unwrap();
        prop_assert_eq!(&*opened.plaintext, &plaintext);
        prop_assert_eq!(opened.metadata, (!meta.is_empty()).then_some(meta));
    }

    #[test]
    fn sizes_around_chunk_boundaries(chunk_size in MIN_CHUNK_SIZE..300, k in 0usize..5, delta in -1i64..=1) {
        let len = (k as i64 * chunk_size as i64 + delta).max(0) as usize;
        let plaintext: Vec<u8> = (0..len).map(|i| i as u8).collect();
        let options = SealOptions { chunk_size, ..SealOptions::default() };
        let envelope = seal(&key(2), &plaintext, &options).unwrap();
        prop_assert_eq!(&*open(&key(2), &envelope).unwrap().plaintext, &plaintext);
    }

    #[test]
    fn random_corruption_is_rejected(
        plaintext in proptest::collection::vec(any::<u8>(), 0..400),
        position in any::<prop::sample::Index>(),
        mask in 1u8..=255,
    ) {
        let options = SealOptions { chunk_size: 64, ..SealOptions::default() };
        let mut envelope = seal(&key(3), &plaintext, &options).unwrap();
        let i = position.index(envelope.len());
        envelope[i] ^= mask;
        prop_assert!(open(&key(3), &envelope).is_err());
    }
}

#[test]
fn every_bit_flip_of_a_multi_chunk_envelope_is_rejected() {
    let options = SealOptions {
        chunk_size: 64,
        metadata: Metadata {
            name: Some("m.txt".into()),
            media_type: Some("text/plain".into()),
            size: Some(150),
        },
    };
    let plaintext: Vec<u8> = (0..150u8).collect();
    let envelope = seal(&key(4), &plaintext, &options).unwrap();
    assert_eq!(&*open(&key(4), &envelope).unwrap().plaintext, &plaintext);
    for bit in 0..envelope.len() * 8 {
        let mut mutated = envelope.clone();
        mutated[bit / 8] ^= 1 << (bit % 8);
        assert!(
            open(&key(4), &mutated).is_err(),
            "flipping bit {bit} was accepted"
        );
    }
    for len in 0..envelope.len() {
        assert!(
            open(&key(4), &envelope[..len]).is_err(),
            "truncation to {len} bytes accepted"
        );
    }
    for extra in [&[0u8][..], &[0; 16], &envelope[78..78 + 80]] {
        let longer = [envelope.as_slice(), extra].concat();
        assert!(
            open(&key(4), &longer).is_err(),
            "appending {} bytes accepted",
            extra.len()
        );
    }
}

#[test]
fn rewriting_with_the_same_key_changes_every_chunk() {
    let plaintext = vec![7u8; 500];
    let options = SealOptions {
        chunk_size: 64,
        ..SealOptions::default()
    };
    let a = seal(&key(5), &plaintext, &options).unwrap();
    let b = seal(&key(5), &plaintext, &options).unwrap();
    assert_eq!(a.len(), b.len());
    assert_eq!(a[..14], b[..14], "same header fields");
    for (x, y) in a[78..].chunks(80).zip(b[78..].chunks(80)) {
        assert_ne!(x, y, "a chunk repeated across writes");
    }
}
