//! The words for how far a revocation got (`share::RevokeProgress`), shown while
//! "Revoke" (a link or a person) or "Delete the share" runs: re-encrypting a big
//! folder takes a while, so the count shows it moving.

use crate::share::RevokeProgress;

/// "Re-encrypting 3 of 12 files under new keys…" and the like.
pub fn revoke_progress_words(step: RevokeProgress) -> String {
    match step {
        RevokeProgress::Reencrypting { of: 1, .. } => {
            "Re-encrypting the file under a new key…".to_owned()
        }
        RevokeProgress::Reencrypting { file, of } => {
            format!("Re-encrypting {file} of {of} files under new keys…")
        }
        // Withdrawing, and any later step: what the user asked for is under way.
        _ => "Taking the access away…".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_counts_the_files() {
        assert_eq!(
            revoke_progress_words(RevokeProgress::Reencrypting { file: 3, of: 12 }),
            "Re-encrypting 3 of 12 files under new keys…"
        );
        assert_eq!(
            revoke_progress_words(RevokeProgress::Reencrypting { file: 1, of: 1 }),
            "Re-encrypting the file under a new key…"
        );
        assert_eq!(
            revoke_progress_words(RevokeProgress::Withdrawing),
            "Taking the access away…"
        );
    }
}
