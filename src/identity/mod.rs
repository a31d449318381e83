//! The user's identity on Solid for sharing with a person (docs/FORMAT.md §7):
//! one RSA-OAEP keypair per user, its private half sealed on their own pod under a
//! key the password unlocks, its public half published in the WebID profile
//! (`cert:key`) and as SPKI at a public resource, and an inbox others may post to.
//! Also the other side: reading someone else's published key and inbox, every
//! part of which may be hostile.
//!
//! - [`site`]: where one user's key, public key and inbox live.
//! - [`ensure`]: at setup and every unlock, create what is missing, repair what
//!   is broken, never make a second key ([`ensure_identity`]).
//! - [`lookup`]: someone's key, fingerprint, inbox and storage ([`lookup_person`]).
//! - `sealed`, `public_key`, `profile_key`, [`inbox`]: the steps of [`ensure`].
//!
//! Plain Rust over [`crate::pod::http::HttpClient`]: no Leptos, no web-sys. The
//! key itself comes from an [`crate::crypto::identity_key::IdentityKeyMaker`]:
//! WebCrypto in the browser, the `rsa` crate natively.

pub mod ensure;
pub mod inbox;
pub mod lookup;
mod profile_key;
mod public_key;
mod sealed;
pub mod site;

pub use ensure::{ensure_identity, Change, EnsureError, Identity};
pub use lookup::{clean_name, lookup_person, stated, LookupError, Person, Stated};
pub use site::Site;
