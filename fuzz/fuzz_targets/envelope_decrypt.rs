//! The streaming decryptor, fed arbitrary bytes in arbitrary pieces, never panics and
//! never yields plaintext for bytes it did not seal; and a real envelope with any one
//! change (bit flip, cut, appended byte) is always rejected.
#![no_main]

use libfuzzer_sys::fuzz_target;
use solidcrypt::crypto::envelope::{
    open, seal, Decryptor, Metadata, RustCryptoCipher, SealOptions,
};
use solidcrypt::crypto::SecretKey;

fn key() -> SecretKey {
    SecretKey::from_bytes([0x42; 32])
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode & 1 == 0 {
        // Arbitrary bytes as an envelope, pushed in pieces of 1..=128 bytes.
        let piece = usize::from(mode >> 1) + 1;
        let mut decryptor = Decryptor::<RustCryptoCipher>::new(&key());
        let mut out = Vec::new();
        let mut ok = true;
        for part in rest.chunks(piece) {
            if decryptor.push_blocking(part, &mut out).is_err() {
                ok = false;
                break;
            }
        }
        if ok && decryptor.finish_blocking(&mut out).is_ok() {
            // Only possible for a genuine envelope under this key: the one-shot
            // reader must agree.
            assert_eq!(*open(&key(), rest).expect("streamed ok").plaintext, out);
        }
        return;
    }
    // Seal `rest` (first two bytes: chunk size and mutation), then mutate once.
    let Some((&[size, change], plaintext)) = rest.split_first_chunk::<2>() else {
        return;
    };
    let options = SealOptions {
        chunk_size: 64 + u32::from(size),
        metadata: Metadata {
            name: (mode & 2 != 0).then(|| "f".into()),
            ..Metadata::default()
        },
    };
    let envelope = seal(&key(), plaintext, &options).expect("seal");
    assert_eq!(
        *open(&key(), &envelope).expect("round trip").plaintext,
        plaintext
    );
    let position = (usize::from(change) * 7919 + plaintext.len()) % envelope.len();
    let mut mutated = envelope.clone();
    match mode >> 2 & 3 {
        0 => mutated[position] ^= 1 << (change % 8),
        1 => mutated.truncate(position),
        2 => mutated.push(change),
        _ => mutated.insert(position, change),
    }
    assert!(
        open(&key(), &mutated).is_err(),
        "a modified envelope opened"
    );
});
