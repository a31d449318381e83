//! SolidCryptPad's one cipher, crypto-js 4.1.1's passphrase mode (docs/FORMAT.md
//! §10.1): base64 of `Salted__` ‖ 8-byte salt ‖ AES-256-CBC/PKCS#7 ciphertext,
//! key and IV from OpenSSL's EVP_BytesToKey (MD5, one round) over the passphrase
//! and salt. There is no MAC, so "decrypts" only means "the padding and UTF-8
//! came out right": callers check what the plaintext must look like.

use aes_gcm::aes::Aes256;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use cbc::cipher::{block_padding::Pkcs7, BlockDecryptMut, KeyIvInit};
use md5::{Digest, Md5};
use sha2::Sha256;
use zeroize::Zeroizing;

/// What SolidCryptPad appended to the password before hashing it (its
/// `SHA256Salted`).
const MASTER_SALT: &str = "1205sOlIDCryptPADsalt1502";

/// The magic before the salt (OpenSSL's `enc` format, as crypto-js writes it).
const MAGIC: &[u8; 8] = b"Salted__";

/// One encrypted text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecryptError {
    #[error("not base64 text")]
    NotBase64,
    #[error("not a crypto-js encrypted text (no Salted__ header, or a cut ciphertext)")]
    NotSalted,
    #[error("wrong key, or the file was changed (the padding does not check)")]
    Padding,
    #[error("wrong key, or the file was changed (the plaintext is not UTF-8 text)")]
    NotText,
    #[error("wrong key (the plaintext is empty)")]
    Empty,
}

/// The passphrase of the keystore index: `hex(SHA-256(password ‖ MASTER_SALT))`,
/// what SolidCryptPad kept in local storage as the "master password hash".
pub fn master_passphrase(password: &str) -> Zeroizing<String> {
    let mut hasher = Sha256::new();
    hasher.update(password.as_bytes());
    hasher.update(MASTER_SALT.as_bytes());
    let digest = Zeroizing::new(<[u8; 32]>::from(hasher.finalize()));
    let mut hex = Zeroizing::new(String::with_capacity(64));
    for byte in digest.iter() {
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
    }
    hex
}

/// EVP_BytesToKey(MD5, 1 round): `D_i = MD5(D_{i-1} ‖ passphrase ‖ salt)` until
/// 48 bytes; the first 32 are the AES-256 key, the next 16 the IV.
pub fn derive(passphrase: &[u8], salt: &[u8; 8]) -> (Zeroizing<[u8; 32]>, Zeroizing<[u8; 16]>) {
    let mut out = Zeroizing::new([0u8; 48]);
    let mut previous: Option<Zeroizing<[u8; 16]>> = None;
    for block in out.chunks_mut(16) {
        let mut md5 = Md5::new();
        if let Some(d) = &previous {
            md5.update(d.as_slice());
        }
        md5.update(passphrase);
        md5.update(salt);
        let d = Zeroizing::new(<[u8; 16]>::from(md5.finalize()));
        block.copy_from_slice(d.as_slice());
        previous = Some(d);
    }
    let mut key = Zeroizing::new([0u8; 32]);
    let mut iv = Zeroizing::new([0u8; 16]);
    key.copy_from_slice(&out[..32]);
    iv.copy_from_slice(&out[32..]);
    (key, iv)
}

/// Decrypts one crypto-js passphrase-mode text (surrounding ASCII whitespace
/// allowed) to its UTF-8 plaintext, as SolidCryptPad's `decryptString` did (an
/// empty plaintext meant a wrong key there too). PKCS#7 is checked strictly:
/// crypto-js only ever writes valid padding, though it reads bad padding silently.
pub fn decrypt(text: &[u8], passphrase: &[u8]) -> Result<Zeroizing<String>, DecryptError> {
    let text = text.trim_ascii();
    let raw = Zeroizing::new(STANDARD.decode(text).map_err(|_| DecryptError::NotBase64)?);
    if raw.len() < 32 || !raw.starts_with(MAGIC) || (raw.len() - 16) % 16 != 0 {
        return Err(DecryptError::NotSalted);
    }
    let salt: &[u8; 8] = raw[8..16].try_into().expect("8 bytes");
    let (key, iv) = derive(passphrase, salt);
    let mut buffer = Zeroizing::new(raw[16..].to_vec());
    let cipher = cbc::Decryptor::<Aes256>::new(key.as_slice().into(), iv.as_slice().into());
    let plain = cipher
        .decrypt_padded_mut::<Pkcs7>(&mut buffer)
        .map_err(|_| DecryptError::Padding)?;
    if plain.is_empty() {
        return Err(DecryptError::Empty);
    }
    let text = std::str::from_utf8(plain).map_err(|_| DecryptError::NotText)?;
    Ok(Zeroizing::new(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// tests/vectors/solidcryptpad_v1.json, written by the real crypto-js 4.1.1
    /// (tests/solidcryptpad/make-fixture.mjs).
    fn vectors() -> serde_json::Value {
        serde_json::from_str(include_str!("../../../tests/vectors/solidcryptpad_v1.json"))
            .expect("the vector file is JSON")
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn s(v: &serde_json::Value) -> &str {
        v.as_str().expect("a string")
    }

    #[test]
    fn the_master_passphrase_is_crypto_js_sha256_salted() {
        let v = vectors();
        assert_eq!(
            master_passphrase(s(&v["master"]["password"])).as_str(),
            s(&v["master"]["passphrase"])
        );
    }

    #[test]
    fn evp_bytes_to_key_matches_crypto_js() {
        let v = vectors();
        let cases = v["kdf"].as_array().unwrap();
        assert!(cases.len() >= 3);
        for case in cases {
            let salt_hex = s(&case["salt_hex"]);
            let salt: Vec<u8> = (0..8)
                .map(|i| u8::from_str_radix(&salt_hex[2 * i..2 * i + 2], 16).unwrap())
                .collect();
            let (key, iv) = derive(
                s(&case["passphrase"]).as_bytes(),
                salt[..].try_into().unwrap(),
            );
            assert_eq!(hex(key.as_slice()), s(&case["key_hex"]));
            assert_eq!(hex(iv.as_slice()), s(&case["iv_hex"]));
        }
    }

    #[test]
    fn crypto_js_ciphertexts_decrypt() {
        let v = vectors();
        let cases = v["decrypts"].as_array().unwrap();
        assert!(cases.len() >= 5);
        for case in cases {
            let plain = decrypt(
                s(&case["ciphertext"]).as_bytes(),
                s(&case["passphrase"]).as_bytes(),
            )
            .unwrap_or_else(|e| panic!("{}: {e}", s(&case["plaintext"])));
            assert_eq!(plain.as_str(), s(&case["plaintext"]));
        }
    }

    #[test]
    fn a_wrong_key_or_a_change_is_refused() {
        let v = vectors();
        let wrong = &v["wrong_key"];
        assert!(decrypt(
            s(&wrong["ciphertext"]).as_bytes(),
            s(&wrong["passphrase"]).as_bytes()
        )
        .is_err());
        let case = &v["decrypts"][3];
        let (text, pass) = (s(&case["ciphertext"]), s(&case["passphrase"]).as_bytes());
        let raw = STANDARD.decode(text).unwrap();
        // The last byte changed: the padding no longer checks (or, rarely, the
        // text changed) — never the original plaintext.
        for flip in 1..=255u8 {
            let mut changed = raw.clone();
            *changed.last_mut().unwrap() ^= flip;
            let result = decrypt(STANDARD.encode(&changed).as_bytes(), pass);
            assert!(result.map_or(true, |p| p.as_str() != s(&case["plaintext"])));
        }
        let cut = STANDARD.encode(&raw[..raw.len() - 1]);
        assert_eq!(decrypt(cut.as_bytes(), pass), Err(DecryptError::NotSalted));
        let mut unsalted = raw.clone();
        unsalted[0] = b'X';
        assert_eq!(
            decrypt(STANDARD.encode(&unsalted).as_bytes(), pass),
            Err(DecryptError::NotSalted)
        );
        assert_eq!(decrypt(b"U2FsdGVkX1", pass), Err(DecryptError::NotBase64));
        assert_eq!(decrypt(b"", pass), Err(DecryptError::NotSalted));
    }
}
