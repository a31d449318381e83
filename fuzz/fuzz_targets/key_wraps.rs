//! The password-wrap and RSA-wrap parsers never panic, and what they accept
//! serializes back to the same bytes. (Unwrapping is not fuzzed here: Argon2id
//! and RSA make each run too slow; their error paths are unit-tested.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use solidcrypt::crypto::password::PasswordWrap;
use solidcrypt::crypto::rsa_keys::RsaWrap;
use solidcrypt::crypto::SecretKey;

fuzz_target!(|data: &[u8]| {
    if let Ok(wrap) = PasswordWrap::parse(data) {
        assert_eq!(wrap.to_bytes()[..], data[..]);
    }
    if let Ok(wrap) = RsaWrap::parse(data) {
        assert_eq!(wrap.to_bytes(), data);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(key) = SecretKey::from_base64url(text) {
            assert_eq!(key.to_base64url().as_str(), text);
        }
    }
});
