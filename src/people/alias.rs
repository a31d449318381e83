//! A share's alias and id (BitDust's `alias$owner`, FORMAT.md §8.1): an alias the
//! user typed or a random `share_<32 hex>`, and `alias$<recipient WebID>`.

use crate::crypto::RandomError;
use crate::keystore::master::random_suffix;

/// The longest alias accepted, in characters.
pub const MAX_ALIAS_CHARS: usize = 64;

/// Why a typed alias was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AliasError {
    #[error("a share's name must be 1 to {MAX_ALIAS_CHARS} characters")]
    Length,
    #[error("a share's name cannot contain “$”, control characters or invisible formatting")]
    Character,
}

/// `typed` (trimmed) if it is a valid alias, or a random one when `None`.
pub fn alias(typed: Option<&str>) -> Result<Result<String, AliasError>, RandomError> {
    let Some(typed) = typed else {
        return Ok(Ok(format!("share_{}", random_suffix()?)));
    };
    let typed = typed.trim();
    let chars = typed.chars().count();
    if chars == 0 || chars > MAX_ALIAS_CHARS {
        return Ok(Err(AliasError::Length));
    }
    if typed
        .chars()
        .any(|c| c == '$' || crate::identity::lookup::invisible(c))
    {
        return Ok(Err(AliasError::Character));
    }
    Ok(Ok(typed.to_owned()))
}

/// The share's id: `alias$recipient`.
pub fn share_id(alias: &str, recipient: &str) -> String {
    format!("{alias}${recipient}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_and_random_aliases() {
        let random = alias(None).unwrap().unwrap();
        assert!(
            random.starts_with("share_") && random.len() == 6 + 32,
            "{random}"
        );
        assert_eq!(alias(Some("  Trip ")).unwrap(), Ok("Trip".into()));
        assert_eq!(alias(Some("a$b")).unwrap(), Err(AliasError::Character));
        assert_eq!(alias(Some("a\nb")).unwrap(), Err(AliasError::Character));
        assert_eq!(
            alias(Some("evil\u{202E}txt")).unwrap(),
            Err(AliasError::Character)
        );
        assert_eq!(alias(Some(" ")).unwrap(), Err(AliasError::Length));
        assert_eq!(
            alias(Some(&"é".repeat(65))).unwrap(),
            Err(AliasError::Length)
        );
        assert_eq!(
            share_id("Trip", "http://pod/bob/profile/card#me"),
            "Trip$http://pod/bob/profile/card#me"
        );
    }
}
