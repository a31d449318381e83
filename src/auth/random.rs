//! Unguessable values (PKCE verifiers, `state`, DPoP `jti`) from the platform's secure
//! random source (`crypto.getRandomValues` in the browser).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// The platform has no secure random source; nothing secret can be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no secure random numbers available: {0}")]
pub struct RandomError(String);

/// Fills `buf` with secure random bytes.
pub fn fill(buf: &mut [u8]) -> Result<(), RandomError> {
    getrandom::getrandom(buf).map_err(|e| RandomError(e.to_string()))
}

/// `bytes` random bytes as unpadded base64url (URL- and header-safe).
pub fn token(bytes: usize) -> Result<String, RandomError> {
    let mut buf = vec![0u8; bytes];
    fill(&mut buf)?;
    Ok(URL_SAFE_NO_PAD.encode(buf))
}
