//! The identity key as a WebCrypto key (browser only; docs/FORMAT.md §7): RSA-OAEP
//! with SHA-256, generated extractable once (so its PKCS#8 can be sealed and its
//! SPKI published) and otherwise used through a NON-extractable import, so script
//! in the page can decrypt with it while the tab is open but never read the key
//! out. Decryption runs in the browser's constant-time implementation, not the
//! `rsa` crate (RUSTSEC-2023-0071); the private key's bytes are in memory only
//! while generated or imported, then wiped (the wasm and the JS copy).
//!
//! Through web-sys rather than a `.js` module: a `module = "/src/…"` import makes
//! wasm-bindgen read the crate's `package.json` as npm dependencies, which the
//! `no-modules` build of the Argon2id worker (`src/bin/kdf_worker.rs`, linking this
//! crate) refuses.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};
use zeroize::Zeroizing;

use super::identity_key::{IdentityKey, IdentityKeyMaker};
use super::key::{SecretKey, KEY_LEN};
use super::rsa_keys::{MasterPublicKey, RsaKeyError, RsaUnwrapError, RsaWrap, IDENTITY_BITS};

/// A non-extractable WebCrypto RSA-OAEP private key and its public half.
#[derive(Clone)]
pub struct WebCryptoIdentityKey {
    key: CryptoKey,
    public: MasterPublicKey,
}

impl std::fmt::Debug for WebCryptoIdentityKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WebCryptoIdentityKey({})", self.public.fingerprint())
    }
}

impl WebCryptoIdentityKey {
    /// Whether the browser would let script in the page export the private key:
    /// never for keys made here (checked by the browser tests).
    pub fn is_extractable(&self) -> bool {
        js_sys::Reflect::get(&self.key, &"extractable".into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(true)
    }
}

impl IdentityKey for WebCryptoIdentityKey {
    fn public_key(&self) -> &MasterPublicKey {
        &self.public
    }

    async fn unwrap_key(&self, wrapped: &[u8]) -> Result<SecretKey, RsaUnwrapError> {
        let wrap = RsaWrap::parse(wrapped)?;
        if wrap.recipient != self.public.fingerprint() {
            return Err(RsaUnwrapError::NotForThisKey);
        }
        let decrypted = async {
            let promise = subtle()?.decrypt_with_object_and_u8_array(
                &algorithm(&[])?,
                &self.key,
                &wrap.ciphertext,
            )?;
            let buffer = JsFuture::from(promise).await?;
            Ok::<Uint8Array, JsValue>(Uint8Array::new(&buffer))
        };
        let plain = decrypted.await.map_err(|_| RsaUnwrapError::DecryptFailed)?;
        let plain = take_bytes(&plain);
        let bytes: [u8; KEY_LEN] = plain
            .as_slice()
            .try_into()
            .map_err(|_| RsaUnwrapError::DecryptFailed)?;
        Ok(SecretKey::from_bytes(bytes))
    }
}

/// Makes identity keys with WebCrypto.
#[derive(Debug, Clone, Copy, Default)]
pub struct WebCryptoKeyMaker;

impl IdentityKeyMaker for WebCryptoKeyMaker {
    type Key = WebCryptoIdentityKey;

    async fn generate(&self) -> Result<(Zeroizing<Vec<u8>>, WebCryptoIdentityKey), RsaKeyError> {
        let generated = async {
            let bits = u32::try_from(IDENTITY_BITS).expect("a small number");
            let exponent = Uint8Array::from(&[1u8, 0, 1][..]);
            let params = algorithm(&[
                ("modulusLength", bits.into()),
                ("publicExponent", exponent.into()),
            ])?;
            let usages = Array::of2(&"encrypt".into(), &"decrypt".into());
            let subtle = subtle()?;
            let pair =
                JsFuture::from(subtle.generate_key_with_object(&params, true, &usages)?).await?;
            let part = |name: &str| -> Result<CryptoKey, JsValue> {
                Ok(Reflect::get(&pair, &name.into())?.unchecked_into())
            };
            let pkcs8 = JsFuture::from(subtle.export_key("pkcs8", &part("privateKey")?)?).await?;
            let spki = JsFuture::from(subtle.export_key("spki", &part("publicKey")?)?).await?;
            Ok::<_, JsValue>((Uint8Array::new(&pkcs8), Uint8Array::new(&spki)))
        };
        let (pkcs8, spki) = generated.await.map_err(generate_error)?;
        let pkcs8 = take_bytes(&pkcs8);
        let public = MasterPublicKey::from_spki_der(&spki.to_vec())?;
        let key = import(&pkcs8, public).await?;
        Ok((pkcs8, key))
    }

    async fn import(&self, pkcs8: Zeroizing<Vec<u8>>) -> Result<WebCryptoIdentityKey, RsaKeyError> {
        let public = MasterPublicKey::of_pkcs8_der(&pkcs8)?;
        import(&pkcs8, public).await
    }
}

/// Imports PKCS#8 DER as a non-extractable decryption key.
async fn import(
    pkcs8: &[u8],
    public: MasterPublicKey,
) -> Result<WebCryptoIdentityKey, RsaKeyError> {
    let data = Uint8Array::from(pkcs8);
    let imported = async {
        let usages = Array::of1(&"decrypt".into());
        let promise =
            subtle()?.import_key_with_object("pkcs8", &data, &algorithm(&[])?, false, &usages)?;
        JsFuture::from(promise).await
    };
    let result = imported.await;
    data.fill(0, 0, data.length());
    let key = result.map_err(|e| RsaKeyError::Encoding(describe(&e)))?;
    Ok(WebCryptoIdentityKey {
        key: key.unchecked_into(),
        public,
    })
}

/// `{ name: "RSA-OAEP", hash: "SHA-256", …extra }`.
fn algorithm(extra: &[(&str, JsValue)]) -> Result<Object, JsValue> {
    let params = Object::new();
    Reflect::set(&params, &"name".into(), &"RSA-OAEP".into())?;
    Reflect::set(&params, &"hash".into(), &"SHA-256".into())?;
    for (name, value) in extra {
        Reflect::set(&params, &(*name).into(), value)?;
    }
    Ok(params)
}

fn subtle() -> Result<SubtleCrypto, JsValue> {
    let crypto: web_sys::Crypto = Reflect::get(&js_sys::global(), &"crypto".into())?.dyn_into()?;
    Ok(crypto.subtle())
}

/// Copies a `Uint8Array` into a zeroizing buffer and zero-fills the JS copy.
fn take_bytes(array: &Uint8Array) -> Zeroizing<Vec<u8>> {
    let bytes = Zeroizing::new(array.to_vec());
    array.fill(0, 0, array.length());
    bytes
}

fn generate_error(e: JsValue) -> RsaKeyError {
    RsaKeyError::Generate(describe(&e))
}

fn describe(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| js_sys::Reflect::get(e, &"message".into()).ok()?.as_string())
        .unwrap_or_else(|| "WebCrypto failed".into())
}
