//! Noticing a pod that serves an older keystore index than this browser has seen
//! (FORMAT.md §4.6): an old ciphertext put back, or the newer slot deleted, would
//! otherwise quietly hide every share and key added since.
//!
//! Plain Rust: the browser keeps a [`Seen`] per WebID in `localStorage` (the app
//! does that) and hands it to [`super::master::unlock_checked`], which calls
//! [`check`]; natively tests pass whatever they remember.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One version of the index: its counter and the SHA-256 of the slot it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    pub counter: u64,
    /// Lowercase hex.
    pub digest: String,
}

impl Seen {
    /// The version with `counter` whose index file is `body`.
    pub fn of(counter: u64, body: &[u8]) -> Self {
        let digest = Sha256::digest(body)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Self { counter, digest }
    }

    /// Whether this is worth remembering over `before`: not older than it.
    pub fn replaces(&self, before: Option<&Seen>) -> bool {
        before.is_none_or(|before| self.counter >= before.counter)
    }
}

/// The pod served an index this browser has seen superseded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Rollback {
    #[error(
        "your pod served an older copy of your keystore index (version {served}; this \
         browser has seen version {seen}), so shares or keys added since may be missing"
    )]
    Older { seen: u64, served: u64 },
    #[error(
        "your pod served a different copy of your keystore index than the one this \
         browser has seen as version {counter}"
    )]
    Different { counter: u64 },
}

/// Accepts `served` unless `remembered` is newer, or the same version number with
/// other contents.
pub fn check(remembered: &Seen, served: &Seen) -> Result<(), Rollback> {
    if served.counter < remembered.counter {
        Err(Rollback::Older {
            seen: remembered.counter,
            served: served.counter,
        })
    } else if served.counter == remembered.counter && served.digest != remembered.digest {
        Err(Rollback::Different {
            counter: served.counter,
        })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn older_and_different_copies_are_refused() {
        let seen = Seen::of(5, b"five");
        assert_eq!(seen.digest.len(), 64);
        assert_eq!(check(&seen, &Seen::of(5, b"five")), Ok(()));
        assert_eq!(check(&seen, &Seen::of(6, b"six")), Ok(()));
        assert_eq!(
            check(&seen, &Seen::of(4, b"four")),
            Err(Rollback::Older { seen: 5, served: 4 })
        );
        assert_eq!(
            check(&seen, &Seen::of(5, b"other")),
            Err(Rollback::Different { counter: 5 })
        );
        assert!(Seen::of(5, b"x").replaces(Some(&seen)));
        assert!(!Seen::of(4, b"x").replaces(Some(&seen)));
        assert!(seen.replaces(None));
    }
}
