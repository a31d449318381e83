//! The token endpoint: every grant (authorization code, refresh, client credentials)
//! is a form POST with a DPoP proof, answered by a DPoP-bound access token.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde::Deserialize;
use url::form_urlencoded;

use super::clock::now_secs;
use super::dpop::DpopKey;
use super::random::RandomError;
use crate::pod::http::{HttpClient, Method, Request, TransportError};

/// What the token endpoint returned.
#[derive(Clone, Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: String,
    #[serde(default)]
    pub expires_in: Option<u64>,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub id_token: Option<String>,
}

/// Getting a token failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    #[error("the identity provider refused: {0}")]
    Refused(String),
    #[error("the identity provider failed ({0})")]
    Server(u16),
    #[error("the identity provider's answer is not a token: {0}")]
    BadAnswer(String),
    #[error("the identity provider issued a {0} token, but Solid needs a DPoP-bound one")]
    NotDpop(String),
    #[error(transparent)]
    Random(#[from] RandomError),
    #[error(transparent)]
    Transport(#[from] TransportError),
}

/// Client authentication for the token request.
pub enum ClientAuth<'a> {
    /// A public client (browser app): its id goes in the form.
    Public { client_id: &'a str },
    /// A confidential client (client credentials): HTTP Basic.
    Secret { id: &'a str, secret: &'a str },
}

/// POSTs a grant to the token endpoint with a DPoP proof of `key`.
pub async fn request_token<H: HttpClient>(
    http: &H,
    token_endpoint: &str,
    form: &[(&str, &str)],
    client: ClientAuth<'_>,
    key: &DpopKey,
) -> Result<TokenResponse, TokenError> {
    let mut body = form_urlencoded::Serializer::new(String::new());
    body.extend_pairs(form);
    let mut request = Request::new(Method::Post, token_endpoint)
        .header("Accept", "application/json")
        .header(
            "DPoP",
            key.proof(Method::Post, token_endpoint, None, now_secs())?,
        );
    match client {
        ClientAuth::Public { client_id } => {
            body.append_pair("client_id", client_id);
        }
        ClientAuth::Secret { id, secret } => {
            let encode =
                |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
            let basic = STANDARD.encode(format!("{}:{}", encode(id), encode(secret)));
            request = request.header("Authorization", format!("Basic {basic}"));
        }
    }
    let request = request.body(
        "application/x-www-form-urlencoded",
        body.finish().into_bytes(),
    );
    let response = http.send(request).await?;
    if response.status >= 500 {
        return Err(TokenError::Server(response.status));
    }
    if !(200..300).contains(&response.status) {
        return Err(TokenError::Refused(oauth_error(
            &response.body,
            response.status,
        )));
    }
    let token: TokenResponse =
        serde_json::from_slice(&response.body).map_err(|e| TokenError::BadAnswer(e.to_string()))?;
    if !token.token_type.eq_ignore_ascii_case("DPoP") {
        return Err(TokenError::NotDpop(token.token_type));
    }
    Ok(token)
}

/// The human part of an OAuth error answer (`error_description`, else `error`).
fn oauth_error(body: &[u8], status: u16) -> String {
    #[derive(Deserialize)]
    struct OAuthError {
        error: Option<String>,
        error_description: Option<String>,
    }
    match serde_json::from_slice::<OAuthError>(body) {
        Ok(OAuthError {
            error_description: Some(text),
            ..
        })
        | Ok(OAuthError {
            error: Some(text), ..
        }) => text,
        _ => format!("status {status}"),
    }
}

/// Claims of a JWT we read without verifying its signature. Only used on tokens
/// received directly from the token endpoint over the connection we opened, which
/// OpenID Connect Core §3.1.3.7 accepts in place of signature validation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Claims {
    #[serde(default)]
    pub iss: Option<String>,
    #[serde(default)]
    pub sub: Option<String>,
    #[serde(default)]
    pub webid: Option<String>,
    #[serde(default)]
    pub aud: Option<serde_json::Value>,
    /// ID tokens: the party the token was issued to (with several audiences).
    #[serde(default)]
    pub azp: Option<String>,
    /// ID tokens: the `nonce` of the authorization request.
    #[serde(default)]
    pub nonce: Option<String>,
    /// Unix seconds after which the token is no longer valid.
    #[serde(default)]
    pub exp: Option<u64>,
}

impl Claims {
    /// Reads the payload of a compact JWT.
    pub fn of(jwt: &str) -> Option<Claims> {
        let payload = jwt.split('.').nth(1)?;
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
    }

    /// The WebID: Solid-OIDC's `webid` claim, else `sub` if it is a URL.
    pub fn webid(&self) -> Option<&str> {
        self.webid
            .as_deref()
            .or(self.sub.as_deref().filter(|s| s.starts_with("http")))
    }

    /// Whether `aud` (a string or a list) names `client_id`.
    /// How many audiences the token names.
    pub fn audiences(&self) -> usize {
        match &self.aud {
            Some(serde_json::Value::String(_)) => 1,
            Some(serde_json::Value::Array(auds)) => auds.len(),
            _ => 0,
        }
    }

    pub fn has_audience(&self, client_id: &str) -> bool {
        match &self.aud {
            Some(serde_json::Value::String(aud)) => aud == client_id,
            Some(serde_json::Value::Array(auds)) => auds.iter().any(|a| a == client_id),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_webid_prefers_webid_claim() {
        let payload = URL_SAFE_NO_PAD
            .encode(br#"{"sub":"abc","webid":"http://x/card#me","aud":["solid","c1"]}"#);
        let claims = Claims::of(&format!("h.{payload}.s")).unwrap();
        assert_eq!(claims.webid(), Some("http://x/card#me"));
        assert!(claims.has_audience("c1"));
        assert!(!claims.has_audience("c2"));
        assert!(Claims::of("garbage").is_none());
    }

    #[test]
    fn oauth_errors_are_readable() {
        assert_eq!(
            oauth_error(
                br#"{"error":"invalid_grant","error_description":"grant request is invalid"}"#,
                400
            ),
            "grant request is invalid"
        );
        assert_eq!(
            oauth_error(br#"{"error":"invalid_client"}"#, 401),
            "invalid_client"
        );
        assert_eq!(oauth_error(b"<html>", 400), "status 400");
    }
}
