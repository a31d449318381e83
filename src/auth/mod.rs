//! Solid-OIDC login: Solid-OIDC authorization code + PKCE + DPoP for the browser,
//! client credentials (CSS account API) for tests and tools, and the resulting
//! [`session::Session`] that signs pod requests.

#[cfg(target_arch = "wasm32")]
pub mod browser;
pub mod client_credentials;
pub mod client_id;
pub mod clock;
pub mod dpop;
pub mod end_session;
pub mod oidc;
pub mod pkce;
pub mod provider;
pub mod random;
pub mod session;
pub mod token;
