//! Sharing with a person by WebID, through their inbox (issue 12 items 2–4, 6–7;
//! FORMAT.md §8): no link that anyone who sees it could use, and nobody needs to
//! be online but the one who acts.
//!
//! A grant is a share of its own: a fresh shared keystore (FORMAT.md §4.3) with the
//! keys of a folder (or one file), `acl:agent` rules for the recipient's WebID on it
//! and on what it protects (so it is revocable per person), and an offer in their
//! inbox that only their identity key opens (`crate::identity`). They look at it,
//! accept it (the keystore joins their index, a proof that they hold the key goes
//! back to my inbox) or decline it. Revoking removes their rules and keystore and
//! rotates the keys, as revoking a link does.
//!
//! Plain Rust over [`crate::share`], [`crate::keystore`], [`crate::pod`],
//! [`crate::crypto`] and [`crate::identity`]; no Leptos. The UI calls:
//!
//! - [`lookup_person`](crate::identity::lookup_person), then [`contact_status`]
//!   (show the fingerprint; a changed key is a warning) and [`verify_contact`]
//!   (the user compared it out of band);
//! - [`share_with_person`] (owner): grant and send the offer; [`shares`] lists my
//!   contacts, shares created (with their proof status) and received;
//! - [`read_inbox`] (after unlock, and whenever wanted): previews of offers to
//!   show, proofs applied, hostile members refused and deleted; then
//!   [`accept_offer`] or [`decline_offer`] on a preview;
//! - [`revoke_person`] (owner): revoke one share; deleting a share is revoking it.
//!
//! Modules: [`alias`] (names and ids), [`shares`] (FORMAT.md §8.2), [`contacts`],
//! [`offer`] (§8.4–8.5), [`payload`] and [`notification`] (§8.3), [`grant`],
//! [`receive`] (§8.6), [`accept`], [`revoke`].

pub mod accept;
pub mod alias;
pub mod contacts;
pub mod grant;
pub mod notification;
pub mod offer;
pub mod payload;
pub mod receive;
pub mod revoke;
pub mod shares;

pub use accept::{accept_offer, decline_offer, AnswerError};
pub use alias::AliasError;
pub use contacts::{contact_status, contacts, verify_contact, ContactStatus};
pub use grant::{share_with_person, PersonShareError};
pub use offer::Kind;
pub use receive::{read_inbox, Inbox, InboxError, OfferPreview, ProofChecked, Refusal, Refused};
pub use revoke::{revoke_person, RevokePersonError};
pub use shares::{
    shares, start_shares, Contact, CreatedShare, ProofStatus, ReceivedShare, SharesDoc, SharesError,
};
