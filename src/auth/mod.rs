//! Solid-OIDC login. For now: which identity provider to talk to.

pub mod provider;
