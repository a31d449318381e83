//! Keystores of others that could not be read: why, in words a user can act on.
//!
//! A keystore someone else shared with me lives on their pod, which I do not
//! control: it may be revoked, down, unreachable, refusing this origin (CORS),
//! serving junk or a document too big to read. None of that may lock me out of my
//! own drive, so such a keystore is kept empty and listed with its reason
//! ([`super::Keyring::unavailable`]) instead of failing the unlock.

use super::format::DecodeError;
use super::store::LoadError;
use crate::pod::error::ReadError;

/// A keystore that did not load at the last unlock or refresh; it is empty
/// meanwhile, and never written (every write reads it first and would fail).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable {
    /// The keystore's address (as in the index).
    pub keystore: String,
    pub reason: Unreadable,
}

/// Why a keystore of someone else's did not load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Unreadable {
    /// 401, 403, 404 or 410: the owner took the access away or deleted it.
    #[error("its owner withdrew access or deleted it (the link was probably revoked)")]
    Withdrawn,
    /// The owner's pod answered with an error status.
    #[error("its owner's pod failed to answer ({0}); try again later")]
    Failing(u16),
    /// No HTTP answer: offline, the connection dropped, or the pod refuses this
    /// app's origin (CORS).
    #[error("its owner's pod could not be reached (offline, or it refuses this app)")]
    Unreachable,
    /// It does not open with the key, or is not a keystore: damaged, or replaced
    /// by someone who can write there.
    #[error("it does not open with your key (damaged, or replaced by someone else)")]
    Damaged,
    /// Larger than any keystore the app reads ([`super::format::MAX_DOCUMENT_BYTES`]).
    #[error("it is too big to be a keystore, so it was not read")]
    TooBig,
}

impl Unreadable {
    /// The reason `error` stands for.
    pub fn of(error: &LoadError) -> Self {
        match error {
            LoadError::Read { source, .. } => match source {
                ReadError::Unauthorized | ReadError::Forbidden | ReadError::NotFound => {
                    Unreadable::Withdrawn
                }
                ReadError::Server(status) | ReadError::Unexpected(status) => {
                    Unreadable::Failing(*status)
                }
                ReadError::Transport(_) => Unreadable::Unreachable,
                ReadError::TooLarge { .. } => Unreadable::TooBig,
            },
            LoadError::Decode {
                source: DecodeError::TooBig { .. },
                ..
            } => Unreadable::TooBig,
            LoadError::Decode { .. } | LoadError::BadUrl(_) => Unreadable::Damaged,
            // Only ever the user's own root keystore, which never becomes unavailable.
            LoadError::RootMissing { .. } => Unreadable::Withdrawn,
        }
    }
}
