//! Sharing by link (DESIGN §1 steps 3–5, issue 6): the link format, sharing a file
//! or a folder, accepting a friend's link, the "links I created" list and revoking
//! with key rotation.
//!
//! Plain Rust over [`crate::pod`], [`crate::keystore`] and [`crate::crypto`]: no
//! Leptos, so every step is tested natively against a real pod. The UI calls:
//!
//! - [`share_file`] / [`share_folder`] (owner): a new group granted on the
//!   resource, the link, recorded in "links I created";
//! - [`preview`] (recipient): what a link shares and on whose pod, refused if its
//!   addresses are not in one storage (nothing written yet); [`look`], the same
//!   without the keystores (no drive, or not unlocked), and [`sharers`], who the
//!   pod says owns it; [`accept_preview`] once the user agreed (or [`accept`],
//!   both at once): join the group, keep the key, get the file or folder; or
//!   [`visit`]: join and read it read-only with the key held in memory only;
//!   [`shared_with_me`] lists what was accepted;
//! - [`links_created`] and [`revoke`] (owner): list, and revoke with key rotation.
//!
//! Modules: [`link`] (format, FORMAT.md §5; [`link_password`], §5.4), [`create`], `reach` (join and
//! check, the half of [`accept`] that [`visit`] shares), [`accept`], [`list`]
//! (FORMAT.md §6), [`revoke`] and `rotate` (`rotate_parts` for files stored in parts), [`grant`] and [`open`] (the lower
//! steps, usable alone).

pub mod accept;
mod acl_edit;
pub(crate) mod check;
pub mod create;
pub mod grant;
pub mod link;
pub mod link_password;
pub mod list;
pub mod open;
mod reach;
pub mod revoke;
mod rotate;
mod rotate_parts;
pub mod seen;
pub mod sharer;
pub mod vet;
pub mod visit;

pub use accept::{
    accept, accept_preview, forget_shared, shared_with_me, AcceptError, Accepted, SharedKind,
    SharedWithMe,
};
pub use create::{protect, share_file, share_folder, ShareError};
pub use grant::{grant_file, GrantError};
pub use link::{Access, LinkError, ShareLink, Shared};
pub use link_password::{LockError, LockedLink, ParsedLink, UnlockError, LINK_MAX_PARAMS};
pub use list::{
    links_created, start_links_list, CreatedLink, LinkKind, LinksError, StoredLinkError,
};
pub use open::{join, open_file, FileKeystoreError, JoinError, OpenLinkError};
pub use revoke::{revoke, withdraw, RevokeError, RevokeProgress, Revoked, Skipped};
pub use rotate::RotateError;
pub use sharer::{sharers, Sharer};
pub use vet::{look, preview, Preview, VetError};
pub use visit::{visit, Visit};
