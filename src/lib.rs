//! solidcrypt: an end-to-end encrypted drive on the user's own Solid pod.
//!
//! Imports flow one way: `app` (Leptos UI) → `auth` (and later `share`, `identity`,
//! `keystore`, `pod`, `crypto`). Nothing below `app` depends on Leptos, so the protocol and
//! crypto layers build and test natively.
#![forbid(unsafe_code)]

pub mod app;
pub mod auth;
pub mod crypto;
pub mod drive;
pub mod fuzz;
pub mod identity;
pub mod import;
pub mod keystore;
pub mod people;
pub mod pod;
#[cfg(not(target_arch = "wasm32"))]
pub mod recover;
pub mod share;
