//! Sharing with a person (issue 12): the UI over `crate::people` and
//! `crate::identity`. Components only; the work is in those layers.
//!
//! - [`inbox`]: reading the inbox ([`InboxReads`]) and the offers found in it, each
//!   with Accept and Decline ([`Offers`]).
//! - [`manage`]: a named share's Rename and Delete in "Shared with".
//! - [`received`]: a share received that was revoked: says so, offers Remove.
//! - [`person`]: a person looked up by WebID, their key's fingerprint, verifying it.
//! - [`section`]: the "People" section (contacts, shares with people).
//! - [`share_with`]: the Share dialog's "Share with a person" and "Shared with".
//! - [`words`]: how people, modes and fingerprints are written.

mod inbox;
mod manage;
mod person;
mod received;
mod section;
mod share_with;
mod words;

pub use inbox::{InboxReads, Offers, OffersAccepted};
pub use received::ReceivedActions;
pub use section::People;
pub use share_with::{SharePerson, SharedWith};
pub use words::{received_from, short_name};

/// Provides the people contexts for the whole app ([`InboxReads`],
/// [`OffersAccepted`]); [`crate::app::App`] calls it once.
pub fn provide() {
    InboxReads::provide();
    OffersAccepted::provide();
}
