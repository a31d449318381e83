//! Crypto core: everything that turns secrets into bytes for the pod and back.
//!
//! Plain Rust with no Leptos and no browser APIs outside [`envelope::webcrypto`],
//! `password_worker` and `webcrypto_identity` (all wasm-only), so it builds and tests natively; the byte
//! formats are specified in `docs/FORMAT.md` and every one of them is parsed and
//! written in exactly one module here.
//!
//! - [`key`]: 256-bit secret keys (files, keystores, the master key) and their
//!   base64url text form for share links.
//! - [`envelope`]: the chunked, authenticated file format (format 1), with two
//!   engines producing identical bytes: RustCrypto `aes-gcm` everywhere and
//!   WebCrypto in the browser for bulk data.
//! - [`password`]: the master key wrapped under the master password (Argon2id).
//! - `password_worker` (browser only): that Argon2id run in a Web Worker, so its
//!   memory is returned to the system after unlock.
//! - [`rsa_keys`]: the RSA master keypair, OAEP key wrapping, PEM and fingerprints.
//! - [`identity_key`]: the user's own private key as sharing with a person uses it
//!   (open a key wrapped to me), natively or as a WebCrypto key in the browser,
//!   and how each platform makes one.
//! - `webcrypto_identity` (browser only): that key in WebCrypto, non-extractable.

pub mod envelope;
pub mod identity_key;
pub mod key;
pub mod password;
#[cfg(target_arch = "wasm32")]
pub mod password_worker;
mod random;
pub mod rsa_keys;
#[cfg(target_arch = "wasm32")]
pub mod webcrypto_identity;

pub use key::{KeyDecodeError, SecretKey};
pub use random::RandomError;
