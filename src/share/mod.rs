//! Sharing by link (DESIGN §1 steps 3–5, issue 6).
//!
//! Plain Rust over [`crate::pod`] and [`crate::crypto`]: no Leptos, so every step is
//! tested natively.
//!
//! - [`link`]: the share link (FORMAT.md §5): build, parse, typed refusals.

pub mod link;

pub use link::{Access, LinkError, ShareLink, Shared};
