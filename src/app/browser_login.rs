//! The login calls the UI makes, in one place. In the browser they are
//! `auth::browser`'s; a native build of the UI (compiled by `cargo clippy` and the
//! native tests, never run) gets stand-ins that say login needs a browser, so the
//! UI layer builds on every target without sprinkling `cfg` through the components.

#[cfg(target_arch = "wasm32")]
pub use wasm::*;

#[cfg(not(target_arch = "wasm32"))]
pub use native::*;

#[cfg(target_arch = "wasm32")]
mod wasm {
    use url::Url;

    use crate::auth::session::Session;
    use crate::pod::browser::BrowserHttp;
    use crate::pod::profile::{Profile, ProfileError};
    use crate::pod::Pod;

    pub use crate::auth::browser::{
        begin_login, finish_login, has_share_link, keep_share_link, logout, logout_of_provider,
        restore_session, take_share_link,
    };

    /// Reads the logged-in user's profile (storage root) through the session.
    pub async fn load_profile(session: Session) -> Result<Profile, ProfileError> {
        let webid = Url::parse(&session.webid)
            .map_err(|_| ProfileError::BadWebId(session.webid.clone()))?;
        Pod::new(&BrowserHttp, Some(&session)).profile(&webid).await
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use crate::auth::provider::LoginTarget;
    use crate::auth::session::Session;
    use crate::pod::error::ReadError;
    use crate::pod::http::TransportError;
    use crate::pod::profile::{Profile, ProfileError};

    const ONLY_IN_A_BROWSER: &str = "logging in works only in a browser";

    pub async fn begin_login(_target: &LoginTarget) -> Result<(), String> {
        Err(ONLY_IN_A_BROWSER.to_owned())
    }

    pub async fn finish_login(_query: &str) -> Result<Session, String> {
        Err(ONLY_IN_A_BROWSER.to_owned())
    }

    pub async fn restore_session() -> Option<Session> {
        None
    }

    pub fn logout() {}

    pub fn logout_of_provider(_session: &Session) -> Result<(), String> {
        Err(ONLY_IN_A_BROWSER.to_owned())
    }

    pub fn keep_share_link(_link: &str) -> Result<(), String> {
        Err(ONLY_IN_A_BROWSER.to_owned())
    }

    pub fn has_share_link() -> bool {
        false
    }

    pub fn take_share_link() -> Option<zeroize::Zeroizing<String>> {
        None
    }

    pub async fn load_profile(session: Session) -> Result<Profile, ProfileError> {
        let webid = url::Url::parse(&session.webid)
            .map_err(|_| ProfileError::BadWebId(session.webid.clone()))?;
        Err(ProfileError::Read {
            webid,
            source: ReadError::Transport(TransportError::Network(ONLY_IN_A_BROWSER.into())),
        })
    }
}
