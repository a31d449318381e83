//! Logging out of the identity provider too (OpenID Connect RP-Initiated Logout
//! 1.0), for a user who asks for it: forgetting the session in the tab leaves the
//! provider's own login cookie, so the next "Log in" would pass without a password.
//! On a shared computer that is not a logout at all.
//!
//! Sans-IO: [`EndSession::request`] builds the form the browser POSTs to the
//! provider's `end_session_endpoint` (POST rather than GET, so the ID token given
//! as `id_token_hint` stays out of the address bar and the browser's history);
//! `browser` submits it. The provider asks the user to confirm, ends its session,
//! and sends the browser back to `post_logout_redirect_uri`, the app's start page,
//! which was registered with the client (`oidc::start_login`).

use serde::{Deserialize, Serialize};
use url::Url;

use super::provider::is_secure;

/// What ending the provider's session needs, kept with the [`super::session::Session`].
#[derive(Clone, Serialize, Deserialize)]
pub struct EndSession {
    endpoint: String,
    client_id: String,
    /// The latest ID token the provider issued to this login: it tells the
    /// provider which session to end (and that the request is this client's).
    id_token: Option<String>,
}

/// A form to POST (`application/x-www-form-urlencoded`) to `endpoint`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndSessionRequest {
    pub endpoint: Url,
    pub form: Vec<(&'static str, String)>,
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
    pub(crate) fn new(
        endpoint: Option<&str>,
        client_id: &str,
        id_token: Option<String>,
    ) -> Option<EndSession> {
        endpoint.map(|endpoint| EndSession {
            endpoint: endpoint.to_owned(),
            client_id: client_id.to_owned(),
            id_token,
        })
    }

    /// The same, with the ID token of a renewed session (a refresh answer may
    /// carry a new one; without one the old stays).
    pub(crate) fn renewed(&self, id_token: Option<String>) -> EndSession {
        EndSession {
            id_token: id_token.or_else(|| self.id_token.clone()),
            ..self.clone()
        }
    }

    /// The logout request that returns the browser to `post_logout_redirect_uri`.
    /// The endpoint was checked at discovery; it is checked again here because
    /// the session it comes from was read back from storage.
    pub fn request(
        &self,
        post_logout_redirect_uri: &str,
    ) -> Result<EndSessionRequest, EndSessionError> {
        let endpoint = Url::parse(&self.endpoint)
            .ok()
            .filter(is_secure)
            .ok_or(EndSessionError::Insecure)?;
        let mut form = Vec::with_capacity(3);
        if let Some(id_token) = &self.id_token {
            form.push(("id_token_hint", id_token.clone()));
        }
        form.push(("client_id", self.client_id.clone()));
        form.push((
            "post_logout_redirect_uri",
            post_logout_redirect_uri.to_owned(),
        ));
        Ok(EndSessionRequest { endpoint, form })
    }
}

/// Where a provider sends the browser after its logout, for the app whose login
/// returns to `redirect_uri`: the app's start page (its origin).
pub(crate) fn post_logout_redirect_uri(redirect_uri: &str) -> Option<String> {
    let url = Url::parse(redirect_uri).ok()?;
    url.join("/").ok().map(String::from)
}

/// Never print the ID token.
impl std::fmt::Debug for EndSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EndSession")
            .field("endpoint", &self.endpoint)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const END: &str = "http://localhost:3000/.oidc/session/end";

    #[test]
    fn the_logout_form_names_the_login_and_the_way_back() {
        let end = EndSession::new(Some(END), "c1", Some("h.p.s".into())).unwrap();
        let request = end.request("http://localhost:8080/").unwrap();
        assert_eq!(request.endpoint.as_str(), END);
        assert_eq!(
            request.form,
            [
                ("id_token_hint", "h.p.s".to_owned()),
                ("client_id", "c1".to_owned()),
                (
                    "post_logout_redirect_uri",
                    "http://localhost:8080/".to_owned()
                ),
            ]
        );
        assert!(!format!("{end:?}").contains("h.p.s"), "no token in Debug");
    }

    #[test]
    fn a_renewed_session_keeps_an_id_token() {
        let end = EndSession::new(Some(END), "c1", Some("old".into())).unwrap();
        let hint = |e: &EndSession| {
            e.request("http://localhost:8080/").unwrap().form[0]
                .1
                .clone()
        };
        assert_eq!(hint(&end.renewed(None)), "old");
        assert_eq!(hint(&end.renewed(Some("new".into()))), "new");
        let without = EndSession::new(Some(END), "c1", None).unwrap();
        assert_eq!(
            without.request("http://localhost:8080/").unwrap().form[0].0,
            "client_id"
        );
    }

    #[test]
    fn no_endpoint_no_logout_and_never_an_unsafe_one() {
        assert!(EndSession::new(None, "c1", None).is_none());
        for bad in [
            "javascript:alert(1)",
            "http://evil.example/end",
            "not a url",
        ] {
            let end = EndSession::new(Some(bad), "c1", None).unwrap();
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
