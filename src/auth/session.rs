//! A logged-in session: the WebID, a DPoP-bound access token, and (for browser
//! logins) what is needed to refresh it with the same DPoP key.

use serde::{Deserialize, Serialize};

use super::clock::now_secs;
use super::dpop::DpopKey;
use super::end_session::EndSession;
use super::token::{request_token, ClientAuth, TokenError, TokenResponse};
use crate::pod::http::{HttpClient, Method, Signer, TransportError};

/// Refreshing is only possible with the token, the client it was issued to, and the
/// endpoint that takes it.
#[derive(Clone, Serialize, Deserialize)]
pub struct RefreshGrant {
    token: String,
    client_id: String,
    token_endpoint: String,
}

/// Who is logged in, and how requests prove it.
#[derive(Clone, Serialize, Deserialize)]
pub struct Session {
    pub webid: String,
    pub issuer: String,
    access_token: String,
    /// Unix seconds after which the access token is no longer accepted.
    pub expires_at: u64,
    refresh: Option<RefreshGrant>,
    dpop: DpopKey,
    /// How to log out of the provider too, if it offers that (sessions kept from
    /// before this was recorded have none). Boxed: sessions are moved around in
    /// the app's state, and this is needed once.
    #[serde(default)]
    end_session: Option<Box<EndSession>>,
}

/// Seconds before expiry at which a token counts as expired, so a request signed just
/// before the deadline does not arrive after it.
const EXPIRY_MARGIN: u64 = 30;

impl Session {
    /// A session from a token answer. `client_id` and `token_endpoint` are kept if the
    /// answer carries a refresh token; `end_session_endpoint` (the provider's, if
    /// it has one) with `client_id`, for [`Session::end_session`].
    pub(crate) fn from_token(
        webid: String,
        issuer: String,
        token: TokenResponse,
        dpop: DpopKey,
        client_id: &str,
        token_endpoint: &str,
        end_session_endpoint: Option<&str>,
    ) -> Session {
        let end_session = EndSession::new(end_session_endpoint, client_id).map(Box::new);
        let refresh = token.refresh_token.map(|token| RefreshGrant {
            token,
            client_id: client_id.to_owned(),
            token_endpoint: token_endpoint.to_owned(),
        });
        Session {
            webid,
            issuer,
            access_token: token.access_token,
            expires_at: now_secs() + token.expires_in.unwrap_or(300),
            refresh,
            dpop,
            end_session,
        }
    }

    /// How to log out of the provider too, if it offers that.
    pub fn end_session(&self) -> Option<&EndSession> {
        self.end_session.as_deref()
    }

    /// Whether the access token has (nearly) expired.
    pub fn is_expired(&self) -> bool {
        now_secs() + EXPIRY_MARGIN >= self.expires_at
    }

    /// Whether [`Session::refresh`] can renew this session.
    pub fn can_refresh(&self) -> bool {
        self.refresh.is_some()
    }

    /// Gets a new access token with the refresh token and the same DPoP key (the
    /// refresh token is bound to it). Refresh tokens may rotate: the new one is kept.
    pub async fn refresh<H: HttpClient>(&self, http: &H) -> Result<Session, TokenError> {
        let Some(grant) = &self.refresh else {
            return Err(TokenError::Refused("this session cannot be renewed".into()));
        };
        let token = request_token(
            http,
            &grant.token_endpoint,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &grant.token),
            ],
            ClientAuth::Public {
                client_id: &grant.client_id,
            },
            &self.dpop,
        )
        .await?;
        let mut renewed = Session::from_token(
            self.webid.clone(),
            self.issuer.clone(),
            token,
            self.dpop.clone(),
            &grant.client_id,
            &grant.token_endpoint,
            None,
        );
        renewed.end_session = self.end_session.clone();
        if renewed.refresh.is_none() {
            renewed.refresh = self.refresh.clone();
        }
        Ok(renewed)
    }
}

impl Signer for Session {
    fn sign(&self, method: Method, url: &str) -> Result<Vec<(String, String)>, TransportError> {
        // This tab's own writes are no news when the pod announces them.
        #[cfg(target_arch = "wasm32")]
        crate::pod::live::own_writes::record(method, url);
        let proof = self
            .dpop
            .proof(method, url, Some(&self.access_token), now_secs())
            .map_err(|e| TransportError::Signing(e.to_string()))?;
        Ok(vec![
            (
                "Authorization".into(),
                format!("DPoP {}", self.access_token),
            ),
            ("DPoP".into(), proof),
        ])
    }
}

/// Never print tokens.
impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("webid", &self.webid)
            .field("issuer", &self.issuer)
            .field("expires_at", &self.expires_at)
            .field("refreshable", &self.refresh.is_some())
            .finish_non_exhaustive()
    }
}
