//! The one door to the platform CSPRNG, so every salt, nonce and key comes from
//! the same audited source (`crypto.getRandomValues` in the browser through
//! getrandom's `js` backend, the OS generator natively).

/// The platform random generator failed; nothing secret can be made without it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the platform random number generator failed: {0}")]
pub struct RandomError(String);

/// Fills `buf` with cryptographically secure random bytes.
pub(crate) fn fill(buf: &mut [u8]) -> Result<(), RandomError> {
    getrandom::getrandom(buf).map_err(|e| RandomError(e.to_string()))
}

/// Returns `N` fresh random bytes.
pub(crate) fn array<const N: usize>() -> Result<[u8; N], RandomError> {
    let mut out = [0u8; N];
    fill(&mut out)?;
    Ok(out)
}
