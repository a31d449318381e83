//! Sharing by link (DESIGN §1 steps 3–5, issue 6): the link format, granting a
//! group access to a file, opening a friend's link and revoking one.
//!
//! Plain Rust over [`crate::pod`] and [`crate::crypto`]: no Leptos, so every step is
//! tested natively against a real pod.
//!
//! - [`link`]: the share link (FORMAT.md §5): build, parse, typed refusals.
//! - [`grant`]: share a file: a new group, granted Read (or Read+Write) in the
//!   file's ACL, and the link.
//! - [`open`]: open a link: join the group, fetch, decrypt.
//! - [`revoke`]: take a link's grant away and delete its group.

mod acl_edit;
pub mod grant;
pub mod link;
pub mod open;
pub mod revoke;

pub use grant::{share_file, ShareError};
pub use link::{Access, LinkError, ShareLink, Shared};
pub use open::{join, open_file, JoinError, OpenLinkError};
pub use revoke::{revoke, RevokeError};
