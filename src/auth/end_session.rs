//! Logging out of the identity provider too (OpenID Connect RP-Initiated Logout
//! 1.0), for a user who asks for it: forgetting the session in the tab leaves the
//! provider's own login cookie, so the next "Log in" would pass without a password.
//! On a shared computer that is not a logout at all.
//!
//! Sans-IO: [`EndSession::request`] builds the address of the provider's
//! `end_session_endpoint` to send the browser to; `browser` goes there. It names
//! the client (`client_id`) and where to come back (`post_logout_redirect_uri`,
//! the app's start page, registered with the client by `oidc::start_login`), and
//! no token: an `id_token_hint` would sit in the address bar, the history and the
//! provider's logs, and a form POST instead is what the app's CSP (`form-action
//! 'self'`) rightly refuses. Without the hint the provider asks the user to
//! confirm, which is what a logout started from another site should get anyway.

use serde::{Deserialize, Serialize};
use url::Url;

use super::provider::is_secure;

/// What ending the provider's session needs, kept with the [`super::session::Session`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndSession {
    endpoint: String,
    client_id: String,
}

/// The provider's logout cannot be asked for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EndSessionError {
    #[error("the identity provider's logout address is not an https:// address")]
    Insecure,
}

impl EndSession {
    /// For a login with client `client_id` at a provider whose metadata named
    /// `endpoint` (none: the provider offers no logout, and this is `None`).
    pub(crate) fn new(endpoint: Option<&str>, client_id: &str) -> Option<EndSession> {
        endpoint.map(|endpoint| EndSession {
            endpoint: endpoint.to_owned(),
            client_id: client_id.to_owned(),
        })
    }

    /// The provider's logout page, returning the browser to
    /// `post_logout_redirect_uri`. The endpoint was checked at discovery; it is
    /// checked again here because the session it comes from was read back from
    /// storage, and the browser is about to be sent there.
    pub fn request(&self, post_logout_redirect_uri: &str) -> Result<Url, EndSessionError> {
        let mut url = Url::parse(&self.endpoint)
            .ok()
            .filter(is_secure)
            .ok_or(EndSessionError::Insecure)?;
        url.query_pairs_mut()
            .append_pair("client_id", &self.client_id)
            .append_pair("post_logout_redirect_uri", post_logout_redirect_uri);
        Ok(url)
    }
}

/// Where a provider sends the browser after its logout, for the app whose login
/// returns to `redirect_uri`: the app's start page (its origin).
pub(crate) fn post_logout_redirect_uri(redirect_uri: &str) -> Option<String> {
    let url = Url::parse(redirect_uri).ok()?;
    url.join("/").ok().map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    const END: &str = "http://localhost:3000/.oidc/session/end";

    #[test]
    fn the_logout_address_names_the_client_and_the_way_back_and_no_token() {
        let end = EndSession::new(Some(END), "c1").unwrap();
        let url = end.request("http://localhost:8080/").unwrap();
        assert_eq!(
            url.as_str(),
            "http://localhost:3000/.oidc/session/end?client_id=c1&post_logout_redirect_uri=http%3A%2F%2Flocalhost%3A8080%2F"
        );
    }

    #[test]
    fn no_endpoint_no_logout_and_never_an_unsafe_one() {
        assert!(EndSession::new(None, "c1").is_none());
        for bad in [
            "javascript:alert(1)",
            "http://evil.example/end",
            "not a url",
        ] {
            let end = EndSession::new(Some(bad), "c1").unwrap();
            assert_eq!(
                end.request("http://localhost:8080/"),
                Err(EndSessionError::Insecure),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_way_back_is_the_apps_start_page() {
        assert_eq!(
            post_logout_redirect_uri("http://localhost:8080/callback").as_deref(),
            Some("http://localhost:8080/")
        );
        assert_eq!(
            post_logout_redirect_uri("https://app.example/solidcrypt/callback?x=1").as_deref(),
            Some("https://app.example/")
        );
        assert_eq!(post_logout_redirect_uri("nonsense"), None);
    }
}
