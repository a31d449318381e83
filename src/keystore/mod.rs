//! Keystores (DESIGN §4, reference/solidcrypt-design.md "Keystores"): which key
//! opens which file, kept encrypted on the pod.
//!
//! - [`layout`]: where the app's data lives on a pod.
//! - [`format`]: the versioned JSON documents and their encryption (FORMAT.md §4).
//! - [`master`]: the master password (set up, unlock, change) guarding the index.
//! - [`private`]: the app's folder readable by its owner only.
//! - [`index`]: rewriting the index in a session (shares added or removed).
//! - [`store`]: read-modify-write of one document with `If-Match` and retry on 412.
//! - [`slots`]: each document's two slots, so an interrupted write loses nothing.
//! - [`rollback`]: noticing a pod that serves an older index than was seen.
//! - [`keyring`]: the unlocked keystores of a session, cached, written through.
//! - [`unavailable`]: why someone else's keystore did not load (it never blocks).
//! - [`scope`]: which keystore is consulted and written for which address.
//!
//! Plain Rust over the pod client's [`crate::pod::http::HttpClient`]: no Leptos, no
//! web-sys, so all of it is tested natively against a real pod.

pub mod format;
pub mod index;
pub mod keyring;
pub mod layout;
pub mod master;
mod pause;
pub mod private;
pub mod rollback;
pub mod scope;
pub mod slots;
pub mod store;
mod turn;
pub mod unavailable;

pub use format::{Entry, IndexEntry, KeystoreKind, ShareMode};
pub use keyring::{Keyring, KeyringError};
pub use layout::Layout;
pub use master::{Password, SetupState};
pub use unavailable::{Unavailable, Unreadable};
