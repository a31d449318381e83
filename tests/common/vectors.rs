//! Small helpers of the test-vector checks.

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The variant name of an error, as the vectors spell it (`BadKey { … }` → `BadKey`).
pub fn variant(error: &impl std::fmt::Debug) -> String {
    format!("{error:?}")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_owned()
}
