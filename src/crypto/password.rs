//! The master key under the master password (docs/FORMAT.md §2).
//!
//! Argon2id makes each password guess cost tens of MiB and a fraction of a second;
//! its parameters live in the 126-byte wrap so they can be raised later while old
//! wraps still open. A separate check value tells a wrong password apart from a
//! damaged wrap, so the UI can say which one happened.
//!
//! The Argon2id step itself is a [`Stretch`]: [`Inline`] runs it on the calling
//! thread (native code, tests); the app hands in one that runs it in a Web Worker
//! (`crypto::password_worker`) so its memory is given back when the worker ends.
//! Everything around it (parsing, HKDF, the check value, AES-GCM) stays here.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use argon2::{Algorithm, Argon2, Params, Version};
use hkdf::Hkdf;
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::key::{SecretKey, KEY_LEN};
use super::random::{self, RandomError};

/// `"SLCP"`: marks a password-wrapped key.
pub const MAGIC: [u8; 4] = *b"SLCP";
/// The only version this code reads and writes.
pub const VERSION: u8 = 1;
/// KDF identifier for Argon2id v0x13.
const KDF_ARGON2ID: u8 = 1;
/// Total length of a wrap; nothing may follow.
pub const WRAPPED_LEN: usize = 126;
/// Argon2 salt length.
pub const SALT_LEN: usize = 16;
/// Check value length (second half of the HKDF output).
const CHECK_LEN: usize = 32;
/// AES-GCM nonce length.
const NONCE_LEN: usize = 12;
/// Bytes covered by the HKDF info (everything before the check value).
const INFO_HEADER_LEN: usize = 34;
/// Bytes used as AAD of the wrapped key (everything before it).
const AAD_LEN: usize = 78;
/// HKDF info label, followed by the first 34 bytes of the wrap.
const INFO_LABEL: &[u8; 22] = b"solidcrypt password v1";
/// Upper bounds so a hostile wrap cannot make unlocking allocate or spin without end.
const MAX_M_COST_KIB: u32 = 1024 * 1024;
const MAX_T_COST: u32 = 64;
const MAX_P_COST: u32 = 16;

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordParams {
    /// Memory in KiB.
    pub m_cost_kib: u32,
    /// Passes over memory.
    pub t_cost: u32,
    /// Lanes (the browser runs them on one thread anyway).
    pub p_cost: u32,
}

impl Default for PasswordParams {
    /// 128 MiB, 4 passes, 1 lane: 0.62 s to unlock in headless Chromium on the 2-vCPU
    /// dev machine (`scripts/bench crypto`; t=3 took 0.32–0.54 s, t=5 0.92–1.04 s),
    /// in the middle of DESIGN §4's 0.5–1 s. Memory stays at 128 MiB because the
    /// wasm heap keeps whatever Argon2 grows it to; passes buy the rest.
    fn default() -> Self {
        Self {
            m_cost_kib: 128 * 1024,
            t_cost: 4,
            p_cost: 1,
        }
    }
}

impl PasswordParams {
    /// Whether readers accept these parameters (and Argon2 can run them).
    pub fn validate(&self) -> Result<(), &'static str> {
        if !(1..=MAX_P_COST).contains(&self.p_cost) {
            return Err("lanes out of range");
        }
        if !(1..=MAX_T_COST).contains(&self.t_cost) {
            return Err("iterations out of range");
        }
        if self.m_cost_kib < 8 * self.p_cost || self.m_cost_kib > MAX_M_COST_KIB {
            return Err("memory out of range");
        }
        Ok(())
    }
}

/// A parsed password wrap; [`PasswordWrap::to_bytes`] writes back what
/// [`PasswordWrap::parse`] read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordWrap {
    /// Argon2id parameters to unlock with.
    pub params: PasswordParams,
    /// Argon2id salt.
    pub salt: [u8; SALT_LEN],
    /// Password check value.
    pub check: [u8; CHECK_LEN],
    /// AES-GCM nonce of the wrapped key.
    pub nonce: [u8; NONCE_LEN],
    /// The encrypted key followed by its tag.
    pub wrapped: [u8; KEY_LEN + 16],
}

/// Why a key could not be wrapped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WrapError {
    /// No randomness for salt or nonce.
    #[error(transparent)]
    Random(#[from] RandomError),
    /// The parameters are outside what readers accept.
    #[error("invalid Argon2id parameters: {0}")]
    Params(&'static str),
}

/// Why a password wrap could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UnwrapError {
    /// Not a password wrap.
    #[error("not a solidcrypt password-wrapped key (bad magic)")]
    BadMagic,
    /// Written by a newer version.
    #[error("unsupported password wrap version {0}")]
    UnsupportedVersion(u8),
    /// A field is out of range (unknown KDF, parameters too large or too small).
    #[error("invalid password wrap: {0}")]
    InvalidHeader(&'static str),
    /// Fewer than 126 bytes.
    #[error("the password wrap is truncated")]
    Truncated,
    /// More than 126 bytes.
    #[error("data follows the password wrap")]
    TrailingData,
    /// The password is not the one this key was wrapped with.
    #[error("wrong password")]
    WrongPassword,
    /// The password is right but the wrapped key was damaged.
    #[error("the password-wrapped key is damaged")]
    Corrupted,
}

impl PasswordWrap {
    /// Parses exactly [`WRAPPED_LEN`] bytes.
    pub fn parse(bytes: &[u8]) -> Result<Self, UnwrapError> {
        if bytes.len() >= MAGIC.len() && bytes[..MAGIC.len()] != MAGIC {
            return Err(UnwrapError::BadMagic);
        }
        let bytes: &[u8; WRAPPED_LEN] = match bytes.len() {
            n if n < WRAPPED_LEN => return Err(UnwrapError::Truncated),
            n if n > WRAPPED_LEN => return Err(UnwrapError::TrailingData),
            _ => bytes.try_into().expect("length checked"),
        };
        if bytes[4] != VERSION {
            return Err(UnwrapError::UnsupportedVersion(bytes[4]));
        }
        if bytes[5] != KDF_ARGON2ID {
            return Err(UnwrapError::InvalidHeader("unknown KDF"));
        }
        let u32_at =
            |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        let params = PasswordParams {
            m_cost_kib: u32_at(6),
            t_cost: u32_at(10),
            p_cost: u32_at(14),
        };
        params.validate().map_err(UnwrapError::InvalidHeader)?;
        let mut wrap = Self {
            params,
            salt: [0; SALT_LEN],
            check: [0; CHECK_LEN],
            nonce: [0; NONCE_LEN],
            wrapped: [0; KEY_LEN + 16],
        };
        wrap.salt.copy_from_slice(&bytes[18..34]);
        wrap.check.copy_from_slice(&bytes[34..66]);
        wrap.nonce.copy_from_slice(&bytes[66..78]);
        wrap.wrapped.copy_from_slice(&bytes[78..]);
        Ok(wrap)
    }

    /// Serializes to the 126-byte wire form.
    pub fn to_bytes(&self) -> [u8; WRAPPED_LEN] {
        let mut out = [0u8; WRAPPED_LEN];
        out[..4].copy_from_slice(&MAGIC);
        out[4] = VERSION;
        out[5] = KDF_ARGON2ID;
        out[6..10].copy_from_slice(&self.params.m_cost_kib.to_be_bytes());
        out[10..14].copy_from_slice(&self.params.t_cost.to_be_bytes());
        out[14..18].copy_from_slice(&self.params.p_cost.to_be_bytes());
        out[18..34].copy_from_slice(&self.salt);
        out[34..66].copy_from_slice(&self.check);
        out[66..78].copy_from_slice(&self.nonce);
        out[78..].copy_from_slice(&self.wrapped);
        out
    }
}

/// The Argon2id step of a wrap or unwrap: the 32-byte stretched password.
///
/// Called only with parameters that passed [`PasswordParams::validate`]. It cannot
/// fail: an implementation that runs Argon2id elsewhere falls back to running it
/// here rather than report an error the user could do nothing about.
pub trait Stretch {
    /// Argon2id v0x13 of `password` with `salt` and `params`, 32 bytes out.
    fn stretch(
        &self,
        password: &[u8],
        salt: &[u8; SALT_LEN],
        params: &PasswordParams,
    ) -> impl Future<Output = Zeroizing<[u8; KEY_LEN]>>;
}

/// Runs Argon2id on the calling thread (its memory stays with the caller's heap).
#[derive(Debug, Clone, Copy, Default)]
pub struct Inline;

impl Stretch for Inline {
    fn stretch(
        &self,
        password: &[u8],
        salt: &[u8; SALT_LEN],
        params: &PasswordParams,
    ) -> impl Future<Output = Zeroizing<[u8; KEY_LEN]>> {
        std::future::ready(
            argon2id(password, salt, params).expect("callers validate the parameters first"),
        )
    }
}

/// Argon2id v0x13 with a 32-byte output: the one place the KDF is called, from
/// [`Inline`] and from the Web Worker alike. Refuses parameters readers refuse.
pub fn argon2id(
    password: &[u8],
    salt: &[u8; SALT_LEN],
    params: &PasswordParams,
) -> Result<Zeroizing<[u8; KEY_LEN]>, &'static str> {
    params.validate()?;
    let argon = Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(
            params.m_cost_kib,
            params.t_cost,
            params.p_cost,
            Some(KEY_LEN),
        )
        .expect("parameters validated against Argon2's limits"),
    );
    let mut stretched = Zeroizing::new([0u8; KEY_LEN]);
    argon
        .hash_password_into(password, salt, stretched.as_mut())
        .expect("validated parameters, 16-byte salt and 32-byte output are accepted");
    Ok(stretched)
}

/// Argon2id (through `stretch`), then HKDF into the wrapping key and the check value.
async fn derive(
    stretch: &impl Stretch,
    password: &str,
    params: &PasswordParams,
    header: &[u8; WRAPPED_LEN],
) -> (Zeroizing<[u8; KEY_LEN]>, [u8; CHECK_LEN]) {
    let salt: &[u8; SALT_LEN] = header[18..34].try_into().expect("16 bytes");
    let stretched = stretch.stretch(password.as_bytes(), salt, params).await;
    let mut info = [0u8; INFO_LABEL.len() + INFO_HEADER_LEN];
    info[..INFO_LABEL.len()].copy_from_slice(INFO_LABEL);
    info[INFO_LABEL.len()..].copy_from_slice(&header[..INFO_HEADER_LEN]);
    let mut okm = Zeroizing::new([0u8; KEY_LEN + CHECK_LEN]);
    Hkdf::<Sha256>::new(None, stretched.as_ref())
        .expand(&info, okm.as_mut())
        .expect("64 bytes is within HKDF-SHA256's limit");
    let mut wrap_key = Zeroizing::new([0u8; KEY_LEN]);
    wrap_key.copy_from_slice(&okm[..KEY_LEN]);
    let mut check = [0u8; CHECK_LEN];
    check.copy_from_slice(&okm[KEY_LEN..]);
    (wrap_key, check)
}

/// Result of a future that never waits, such as any built on [`Inline`]: the
/// synchronous functions below are their async forms run to completion in place.
pub(crate) fn now<T>(future: impl Future<Output = T>) -> T {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(value) => value,
        Poll::Pending => unreachable!("Inline never waits"),
    }
}

/// Wraps `key` under `password` with fresh salt and nonce, Argon2id inline.
pub fn wrap_key(
    password: &str,
    key: &SecretKey,
    params: &PasswordParams,
) -> Result<[u8; WRAPPED_LEN], WrapError> {
    now(wrap_key_using(&Inline, password, key, params))
}

/// [`wrap_key`] with the Argon2id step run by `stretch`.
pub async fn wrap_key_using(
    stretch: &impl Stretch,
    password: &str,
    key: &SecretKey,
    params: &PasswordParams,
) -> Result<[u8; WRAPPED_LEN], WrapError> {
    let (salt, nonce) = (random::array()?, random::array()?);
    seal(stretch, password, key, params, salt, nonce).await
}

/// [`wrap_key`] with caller-chosen salt and nonce, for test vectors only.
#[doc(hidden)]
pub fn wrap_key_with(
    password: &str,
    key: &SecretKey,
    params: &PasswordParams,
    salt: [u8; SALT_LEN],
    nonce: [u8; NONCE_LEN],
) -> Result<[u8; WRAPPED_LEN], WrapError> {
    now(seal(&Inline, password, key, params, salt, nonce))
}

/// The wrap of `key` with the given salt and nonce.
async fn seal(
    stretch: &impl Stretch,
    password: &str,
    key: &SecretKey,
    params: &PasswordParams,
    salt: [u8; SALT_LEN],
    nonce: [u8; NONCE_LEN],
) -> Result<[u8; WRAPPED_LEN], WrapError> {
    params.validate().map_err(WrapError::Params)?;
    let mut wrap = PasswordWrap {
        params: *params,
        salt,
        check: [0; CHECK_LEN],
        nonce,
        wrapped: [0; KEY_LEN + 16],
    };
    let (wrap_key, check) = derive(stretch, password, params, &wrap.to_bytes()).await;
    wrap.check = check;
    let aad = wrap.to_bytes();
    let sealed = Aes256Gcm::new(wrap_key.as_ref().into())
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: key.expose_bytes(),
                aad: &aad[..AAD_LEN],
            },
        )
        .expect("a 32-byte message is within AES-GCM limits");
    wrap.wrapped.copy_from_slice(&sealed);
    Ok(wrap.to_bytes())
}

/// Unlocks a wrap: `WrongPassword` if the password does not match, `Corrupted` if
/// it does but the wrapped key was damaged. Argon2id inline.
pub fn unwrap_key(password: &str, bytes: &[u8]) -> Result<SecretKey, UnwrapError> {
    now(unwrap_key_using(&Inline, password, bytes))
}

/// [`unwrap_key`] with the Argon2id step run by `stretch`. A malformed wrap is
/// refused before Argon2id runs.
pub async fn unwrap_key_using(
    stretch: &impl Stretch,
    password: &str,
    bytes: &[u8],
) -> Result<SecretKey, UnwrapError> {
    let wrap = PasswordWrap::parse(bytes)?;
    let header = wrap.to_bytes();
    let (wrap_key, check) = derive(stretch, password, &wrap.params, &header).await;
    if !bool::from(check.ct_eq(&wrap.check)) {
        return Err(UnwrapError::WrongPassword);
    }
    let plain = Zeroizing::new(
        Aes256Gcm::new(wrap_key.as_ref().into())
            .decrypt(
                Nonce::from_slice(&wrap.nonce),
                Payload {
                    msg: &wrap.wrapped,
                    aad: &header[..AAD_LEN],
                },
            )
            .map_err(|_| UnwrapError::Corrupted)?,
    );
    let mut key = [0u8; KEY_LEN];
    key.copy_from_slice(&plain);
    Ok(SecretKey::from_bytes(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Small parameters: the unit tests exercise the format, not the cost.
    const FAST: PasswordParams = PasswordParams {
        m_cost_kib: 64,
        t_cost: 1,
        p_cost: 1,
    };

    #[test]
    fn wrap_unwrap_round_trip() {
        let key = SecretKey::from_bytes([5; 32]);
        let wrapped = wrap_key("correct horse", &key, &FAST).unwrap();
        let back = unwrap_key("correct horse", &wrapped).unwrap();
        assert_eq!(back.expose_bytes(), key.expose_bytes());
        assert_eq!(PasswordWrap::parse(&wrapped).unwrap().to_bytes(), wrapped);
    }

    #[test]
    fn wrong_password_is_not_corruption() {
        let key = SecretKey::from_bytes([5; 32]);
        let wrapped = wrap_key("right", &key, &FAST).unwrap();
        assert_eq!(
            unwrap_key("wrong", &wrapped).unwrap_err(),
            UnwrapError::WrongPassword
        );
        let mut damaged = wrapped;
        damaged[100] ^= 1;
        assert_eq!(
            unwrap_key("right", &damaged).unwrap_err(),
            UnwrapError::Corrupted
        );
        let mut damaged_nonce = wrapped;
        damaged_nonce[70] ^= 1;
        assert_eq!(
            unwrap_key("right", &damaged_nonce).unwrap_err(),
            UnwrapError::Corrupted
        );
    }

    #[test]
    fn every_bit_flip_is_rejected() {
        let key = SecretKey::from_bytes([9; 32]);
        let wrapped = wrap_key("pw", &key, &FAST).unwrap();
        for bit in 0..WRAPPED_LEN * 8 {
            let mut bytes = wrapped;
            bytes[bit / 8] ^= 1 << (bit % 8);
            // A flip in the parameters may ask for a lot of memory; skip running those
            // only when they would exceed a test-friendly size.
            if let Ok(wrap) = PasswordWrap::parse(&bytes) {
                if wrap.params.m_cost_kib > 16 * 1024 || wrap.params.t_cost > 4 {
                    continue;
                }
            }
            assert!(unwrap_key("pw", &bytes).is_err(), "bit {bit} accepted");
        }
    }

    /// Argon2id inline, but only after making its caller wait once, as a worker does.
    struct Later;

    impl Stretch for Later {
        async fn stretch(
            &self,
            password: &[u8],
            salt: &[u8; SALT_LEN],
            params: &PasswordParams,
        ) -> Zeroizing<[u8; KEY_LEN]> {
            let mut waited = false;
            std::future::poll_fn(|cx| {
                if std::mem::replace(&mut waited, true) {
                    Poll::Ready(())
                } else {
                    cx.waker().wake_by_ref();
                    Poll::Pending
                }
            })
            .await;
            Inline.stretch(password, salt, params).await
        }
    }

    /// Some other 32 bytes than Argon2id's.
    struct Wrong;

    impl Stretch for Wrong {
        async fn stretch(
            &self,
            _: &[u8],
            _: &[u8; SALT_LEN],
            _: &PasswordParams,
        ) -> Zeroizing<[u8; KEY_LEN]> {
            Zeroizing::new([7; KEY_LEN])
        }
    }

    fn block_on<T>(future: impl Future<Output = T>) -> T {
        let mut future = pin!(future);
        loop {
            if let Poll::Ready(value) = future
                .as_mut()
                .poll(&mut Context::from_waker(Waker::noop()))
            {
                return value;
            }
        }
    }

    #[test]
    fn a_stretch_that_waits_gives_the_same_wraps() {
        let key = SecretKey::from_bytes([3; 32]);
        let wrapped = block_on(wrap_key_using(&Later, "pw", &key, &FAST)).unwrap();
        assert_eq!(
            unwrap_key("pw", &wrapped).unwrap().expose_bytes(),
            key.expose_bytes()
        );
        let inline = wrap_key("pw", &key, &FAST).unwrap();
        let back = block_on(unwrap_key_using(&Later, "pw", &inline)).unwrap();
        assert_eq!(back.expose_bytes(), key.expose_bytes());
        assert_eq!(
            block_on(unwrap_key_using(&Later, "other", &inline)).unwrap_err(),
            UnwrapError::WrongPassword
        );
    }

    #[test]
    fn the_stretch_output_is_what_unlocks() {
        let wrapped = wrap_key("pw", &SecretKey::from_bytes([3; 32]), &FAST).unwrap();
        assert_eq!(
            block_on(unwrap_key_using(&Wrong, "pw", &wrapped)).unwrap_err(),
            UnwrapError::WrongPassword
        );
        assert_eq!(
            argon2id(b"pw", &[0; SALT_LEN], &PasswordParams { t_cost: 0, ..FAST }),
            Err("iterations out of range")
        );
    }

    #[test]
    fn parse_errors() {
        let wrapped = wrap_key("pw", &SecretKey::from_bytes([1; 32]), &FAST).unwrap();
        assert_eq!(
            unwrap_key("pw", &wrapped[..125]).unwrap_err(),
            UnwrapError::Truncated
        );
        let mut longer = wrapped.to_vec();
        longer.push(0);
        assert_eq!(
            unwrap_key("pw", &longer).unwrap_err(),
            UnwrapError::TrailingData
        );
        let mut bad = wrapped;
        bad[0] = b'X';
        assert_eq!(unwrap_key("pw", &bad).unwrap_err(), UnwrapError::BadMagic);
        let mut bad = wrapped;
        bad[4] = 2;
        assert_eq!(
            unwrap_key("pw", &bad).unwrap_err(),
            UnwrapError::UnsupportedVersion(2)
        );
        let mut bad = wrapped;
        bad[6] = 0xff;
        assert!(matches!(
            unwrap_key("pw", &bad).unwrap_err(),
            UnwrapError::InvalidHeader(_)
        ));
        assert_eq!(
            wrap_key(
                "pw",
                &SecretKey::from_bytes([1; 32]),
                &PasswordParams {
                    m_cost_kib: 4,
                    ..FAST
                }
            ),
            Err(WrapError::Params("memory out of range"))
        );
    }
}
