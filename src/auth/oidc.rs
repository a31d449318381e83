//! Solid-OIDC in the browser: authorization code + PKCE + DPoP. The app names
//! itself by its Client ID Document where the provider can use it
//! (`client_id`), else it registers dynamically at the provider (works with any
//! Solid provider).
//!
//! Split into a start (find the issuer, register, build the authorization URL and the
//! [`PendingLogin`] to keep until the callback) and a completion (check `state` and
//! `iss`, redeem the code, check the ID token's `iss`, `aud`, `nonce` and `exp`).
//! Storage and navigation are the caller's: see `browser`.
//!
//! The provider's metadata and answers are input from outside: every endpoint must be
//! `https:` (or `http:` on loopback) before anything is sent to it or the browser is
//! sent there, so a provider (or a WebID profile naming one) cannot make the app
//! navigate to a `javascript:` or `data:` address.

use serde::{Deserialize, Serialize};
use url::Url;

use super::client_id::{self, fetch_document};
use super::clock::now_secs;
use super::dpop::DpopKey;
use super::end_session::post_logout_redirect_uri;
use super::pkce::Pkce;
use super::provider::{is_secure, LoginTarget};
use super::random::{token, RandomError};
use super::session::Session;
use super::token::{request_token, Claims, ClientAuth, TokenError};
use crate::pod::http::{HttpClient, Method, Request, TransportError};
use crate::pod::profile::ProfileError;
use crate::pod::Pod;

/// Scopes: `webid` for Solid, `offline_access` for a refresh token.
const SCOPE: &str = "openid webid offline_access";

/// What the provider's `/.well-known/openid-configuration` says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderMetadata {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    #[serde(default)]
    pub registration_endpoint: Option<String>,
    #[serde(default)]
    pub end_session_endpoint: Option<String>,
    /// RFC 9207: the provider adds `iss` to the callback, so we must check it.
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: bool,
    /// `webid` among them marks a Solid-OIDC provider (`client_id::usable`).
    #[serde(default)]
    pub scopes_supported: Vec<String>,
}

/// Provider discovery failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DiscoveryError {
    #[error(
        "{issuer} is not a Solid identity provider (its OpenID configuration answered {status})"
    )]
    Status { issuer: Url, status: u16 },
    #[error("{issuer} sent an unreadable OpenID configuration: {reason}")]
    BadMetadata { issuer: Url, reason: String },
    #[error("{issuer} claims to be {claimed}; refusing to log in with a provider that is not who it says")]
    IssuerMismatch { issuer: Url, claimed: String },
    #[error("{issuer} is not an https:// address (plain http:// is only allowed for localhost)")]
    Insecure { issuer: Url },
    #[error("cannot reach {issuer}: {source}")]
    Unreachable { issuer: Url, source: TransportError },
}

/// Reads the provider's OpenID configuration and checks it names itself and that
/// every endpoint the login uses is an `https:` (or loopback `http:`) address.
pub async fn discover<H: HttpClient>(
    http: &H,
    issuer: &Url,
) -> Result<ProviderMetadata, DiscoveryError> {
    if !is_secure(issuer) {
        return Err(DiscoveryError::Insecure {
            issuer: issuer.clone(),
        });
    }
    let mut base = issuer.clone();
    if !base.path().ends_with('/') {
        base.set_path(&format!("{}/", base.path()));
    }
    let url =
        base.join(".well-known/openid-configuration")
            .map_err(|e| DiscoveryError::BadMetadata {
                issuer: issuer.clone(),
                reason: e.to_string(),
            })?;
    let request = Request::new(Method::Get, url.as_str()).header("Accept", "application/json");
    let response = http
        .send(request)
        .await
        .map_err(|source| DiscoveryError::Unreachable {
            issuer: issuer.clone(),
            source,
        })?;
    if response.status != 200 {
        return Err(DiscoveryError::Status {
            issuer: issuer.clone(),
            status: response.status,
        });
    }
    let metadata: ProviderMetadata =
        serde_json::from_slice(&response.body).map_err(|e| DiscoveryError::BadMetadata {
            issuer: issuer.clone(),
            reason: e.to_string(),
        })?;
    if !same_issuer(&metadata.issuer, issuer.as_str()) {
        return Err(DiscoveryError::IssuerMismatch {
            issuer: issuer.clone(),
            claimed: metadata.issuer,
        });
    }
    if let Some(name) = insecure_endpoint(&metadata) {
        return Err(DiscoveryError::BadMetadata {
            issuer: issuer.clone(),
            reason: format!(
                "its {name} is not an https:// address (plain http:// only on localhost)"
            ),
        });
    }
    Ok(metadata)
}

/// The name of the first endpoint in `m` that is not an `https:` (or loopback
/// `http:`) URL, if any.
fn insecure_endpoint(m: &ProviderMetadata) -> Option<&'static str> {
    let endpoints = [
        (
            "authorization_endpoint",
            Some(m.authorization_endpoint.as_str()),
        ),
        ("token_endpoint", Some(m.token_endpoint.as_str())),
        ("registration_endpoint", m.registration_endpoint.as_deref()),
        ("end_session_endpoint", m.end_session_endpoint.as_deref()),
    ];
    endpoints.into_iter().find_map(|(name, value)| {
        let secure = value.is_none_or(|v| Url::parse(v).is_ok_and(|url| is_secure(&url)));
        (!secure).then_some(name)
    })
}

/// Issuers compare as strings, forgiving only a trailing slash (users type both).
fn same_issuer(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

/// Starting a login failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LoginError {
    #[error("the profile of {0} names no identity provider (solid:oidcIssuer)")]
    NoIssuer(Url),
    #[error(transparent)]
    Profile(#[from] ProfileError),
    #[error(transparent)]
    Discovery(#[from] DiscoveryError),
    #[error("{0} does not let apps register themselves (no registration endpoint)")]
    NoRegistration(String),
    #[error("the identity provider refused to register solidcrypt: {0}")]
    Registration(String),
    #[error(transparent)]
    Random(#[from] RandomError),
    #[error(transparent)]
    Transport(#[from] TransportError),
}

/// What must survive the trip to the provider and back (kept in sessionStorage).
#[derive(Clone, Serialize, Deserialize)]
pub struct PendingLogin {
    pub issuer: String,
    token_endpoint: String,
    client_id: String,
    redirect_uri: String,
    verifier: String,
    state: String,
    /// OpenID Connect's `nonce`: the ID token must carry it, so a token issued for
    /// another login (replayed or injected) is refused.
    nonce: String,
    iss_required: bool,
    dpop: DpopKey,
    /// The provider's logout address, if it has one (`end_session`).
    #[serde(default)]
    end_session_endpoint: Option<String>,
}

/// The issuer to log in with: typed directly, or read from the WebID's profile.
pub async fn resolve_issuer<H: HttpClient>(
    http: &H,
    target: &LoginTarget,
) -> Result<Url, LoginError> {
    match target {
        LoginTarget::Issuer(issuer) => Ok(issuer.clone()),
        LoginTarget::WebId(webid) => {
            let facts = Pod::new(http, None).profile_facts(webid).await?;
            facts
                .issuers
                .into_iter()
                .next()
                .ok_or_else(|| LoginError::NoIssuer(webid.clone()))
        }
    }
}

/// Names solidcrypt to the provider — by its Client ID Document at `document`
/// where that works (`client_id::usable`, and the app's copy checks out), else by
/// registering — and prepares the authorization request. Returns where to send
/// the browser and what to keep until it comes back. The app's start page (the
/// origin of `redirect_uri`) is registered too, as where the provider's own
/// logout may return (`end_session`).
pub async fn start_login<H: HttpClient>(
    http: &H,
    target: &LoginTarget,
    redirect_uri: &str,
    document: Option<&Url>,
) -> Result<(Url, PendingLogin), LoginError> {
    let issuer = resolve_issuer(http, target).await?;
    let metadata = discover(http, &issuer).await?;
    let client_id = match document.filter(|d| client_id::usable(&metadata, d)) {
        // A copy built for another origin (or none served): register instead.
        Some(document) if fetch_document(http, document, redirect_uri).await.is_ok() => {
            document.to_string()
        }
        _ => register(http, &metadata, redirect_uri).await?,
    };
    let pkce = Pkce::generate()?;
    let pending = PendingLogin {
        issuer: metadata.issuer.clone(),
        token_endpoint: metadata.token_endpoint.clone(),
        client_id,
        redirect_uri: redirect_uri.to_owned(),
        verifier: pkce.verifier,
        state: token(16)?,
        nonce: token(16)?,
        iss_required: metadata.authorization_response_iss_parameter_supported,
        dpop: DpopKey::generate()?,
        end_session_endpoint: metadata.end_session_endpoint.clone(),
    };
    let mut url =
        Url::parse(&metadata.authorization_endpoint).map_err(|e| DiscoveryError::BadMetadata {
            issuer: issuer.clone(),
            reason: format!("authorization_endpoint: {e}"),
        })?;
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &pending.client_id)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("scope", SCOPE)
        .append_pair("state", &pending.state)
        .append_pair("nonce", &pending.nonce)
        .append_pair("code_challenge", &pkce.challenge)
        .append_pair("code_challenge_method", "S256")
        // offline_access (a refresh token) is only granted with explicit consent.
        .append_pair("prompt", "consent");
    Ok((url, pending))
}

/// Dynamic client registration (RFC 7591) as a public client.
async fn register<H: HttpClient>(
    http: &H,
    metadata: &ProviderMetadata,
    redirect_uri: &str,
) -> Result<String, LoginError> {
    let endpoint = metadata
        .registration_endpoint
        .as_deref()
        .ok_or_else(|| LoginError::NoRegistration(metadata.issuer.clone()))?;
    let mut body = serde_json::json!({
        "client_name": "solidcrypt",
        "application_type": "web",
        "redirect_uris": [redirect_uri],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "none",
        "id_token_signed_response_alg": "ES256",
        "scope": SCOPE,
    });
    // Only where the provider has a logout: others may refuse metadata they lack.
    if metadata.end_session_endpoint.is_some() {
        if let Some(back) = post_logout_redirect_uri(redirect_uri) {
            body["post_logout_redirect_uris"] = serde_json::json!([back]);
        }
    }
    let request = Request::new(Method::Post, endpoint)
        .header("Accept", "application/json")
        .body("application/json", body.to_string().into_bytes());
    let response = http.send(request).await?;
    let answer: serde_json::Value = serde_json::from_slice(&response.body).unwrap_or_default();
    if !(200..300).contains(&response.status) {
        let reason = answer
            .get("error_description")
            .or_else(|| answer.get("error"))
            .and_then(|v| v.as_str())
            .map_or_else(|| format!("status {}", response.status), str::to_owned);
        return Err(LoginError::Registration(reason));
    }
    answer
        .get("client_id")
        .and_then(|v| v.as_str())
        .map(str::to_owned)
        .ok_or_else(|| LoginError::Registration("no client_id in the answer".into()))
}

/// The query parameters the provider sends back to the redirect URI.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallbackParams {
    pub code: Option<String>,
    pub state: Option<String>,
    pub iss: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

impl CallbackParams {
    /// Reads them from the callback URL's query string (with or without `?`).
    pub fn from_query(query: &str) -> CallbackParams {
        let mut params = CallbackParams::default();
        for (key, value) in url::form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
            let slot = match key.as_ref() {
                "code" => &mut params.code,
                "state" => &mut params.state,
                "iss" => &mut params.iss,
                "error" => &mut params.error,
                "error_description" => &mut params.error_description,
                _ => continue,
            };
            *slot = Some(value.into_owned());
        }
        params
    }
}

/// Completing a login failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackError {
    #[error("no login was started in this tab (or it was already completed); log in again")]
    NoPendingLogin,
    #[error("the login was not completed: {0}")]
    Denied(String),
    #[error("this login answer does not belong to the login started here (state mismatch)")]
    StateMismatch,
    #[error(
        "the login answer comes from another identity provider than the one asked (iss mismatch)"
    )]
    IssuerMismatch,
    #[error("the login answer carries no authorization code")]
    MissingCode,
    #[error("the identity token is not for this login: {0}")]
    BadIdToken(&'static str),
    #[error("the identity token has expired; log in again (and check this device's clock)")]
    ExpiredIdToken,
    #[error("the identity provider did not say which WebID logged in")]
    NoWebId,
    #[error(transparent)]
    Token(#[from] TokenError),
}

/// Checks the callback against the pending login (sans-IO): the code, if it is ours.
/// `state` comes first: anyone can send the browser to the callback address, so an
/// `error=` is only believed (and its text shown) once `state` proves the answer
/// is to the login started here.
pub fn check_callback<'p>(
    pending: &PendingLogin,
    params: &'p CallbackParams,
) -> Result<&'p str, CallbackError> {
    if !answers(pending, params) {
        return Err(CallbackError::StateMismatch);
    }
    // RFC 9207 puts `iss` on error answers too: an error from another provider
    // (a mix-up) is not this login's either.
    match &params.iss {
        Some(iss) if !same_issuer(iss, &pending.issuer) => {
            return Err(CallbackError::IssuerMismatch)
        }
        None if pending.iss_required => return Err(CallbackError::IssuerMismatch),
        _ => {}
    }
    if let Some(error) = &params.error {
        return Err(CallbackError::Denied(
            params
                .error_description
                .clone()
                .unwrap_or_else(|| error.clone()),
        ));
    }
    params.code.as_deref().ok_or(CallbackError::MissingCode)
}

/// Whether `params` answer `pending` (their `state` is the one it sent).
fn answers(pending: &PendingLogin, params: &CallbackParams) -> bool {
    params.state.as_deref() == Some(pending.state.as_str())
}

/// Completes the login pending in this tab (if any) with the callback's `params`.
/// A callback whose `state` is not the pending login's (forged, stale, or another
/// tab's) changes nothing: it fails with [`CallbackError::StateMismatch`], its
/// `error` text unseen, and the pending login stays for the real answer. Once
/// `state` matched, `consume` removes the pending login before anything else is
/// done with it, so a replayed callback finds none.
pub async fn finish_callback<H: HttpClient>(
    http: &H,
    pending: Option<&PendingLogin>,
    params: &CallbackParams,
    consume: impl FnOnce(),
) -> Result<Session, CallbackError> {
    let pending = pending.ok_or(CallbackError::NoPendingLogin)?;
    if !answers(pending, params) {
        return Err(CallbackError::StateMismatch);
    }
    consume();
    complete_login(http, pending, params).await
}

/// Seconds an ID token's `exp` may lie in the past, for clocks that drift apart.
const EXP_LEEWAY: u64 = 60;

/// Redeems the authorization code for a DPoP-bound session.
pub async fn complete_login<H: HttpClient>(
    http: &H,
    pending: &PendingLogin,
    params: &CallbackParams,
) -> Result<Session, CallbackError> {
    let code = check_callback(pending, params)?;
    let token = request_token(
        http,
        &pending.token_endpoint,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &pending.redirect_uri),
            ("code_verifier", &pending.verifier),
        ],
        ClientAuth::Public {
            client_id: &pending.client_id,
        },
        &pending.dpop,
    )
    .await?;
    // `openid` was asked for, so the answer must carry an ID token.
    let claims = match token.id_token.as_deref().map(Claims::of) {
        Some(Some(claims)) => claims,
        Some(None) => return Err(CallbackError::BadIdToken("unreadable")),
        None => return Err(CallbackError::BadIdToken("missing")),
    };
    check_id_token(&claims, pending, now_secs())?;
    let webid = claims
        .webid()
        .map(str::to_owned)
        .ok_or(CallbackError::NoWebId)?;
    Ok(Session::from_token(
        webid,
        pending.issuer.clone(),
        token,
        pending.dpop.clone(),
        &pending.client_id,
        &pending.token_endpoint,
        pending.end_session_endpoint.as_deref(),
    ))
}

/// The ID token's claims that tie it to this login: its issuer, its audience (our
/// client), the `nonce` we sent, and an `exp` not yet past (at `now`).
fn check_id_token(claims: &Claims, pending: &PendingLogin, now: u64) -> Result<(), CallbackError> {
    if !claims
        .iss
        .as_deref()
        .is_some_and(|iss| same_issuer(iss, &pending.issuer))
    {
        return Err(CallbackError::BadIdToken("issued by another provider"));
    }
    if !claims.has_audience(&pending.client_id) {
        return Err(CallbackError::BadIdToken("issued to another app"));
    }
    // OpenID Connect Core §3.1.3.7: with several audiences (or an `azp` at
    // all), the authorized party must be us.
    if claims
        .azp
        .as_deref()
        .is_some_and(|azp| azp != pending.client_id)
        || (claims.audiences() > 1 && claims.azp.is_none())
    {
        return Err(CallbackError::BadIdToken("issued for another app"));
    }
    if claims.nonce.as_deref() != Some(pending.nonce.as_str()) {
        return Err(CallbackError::BadIdToken("its nonce is not this login's"));
    }
    match claims.exp {
        Some(exp) if exp.saturating_add(EXP_LEEWAY) > now => Ok(()),
        Some(_) => Err(CallbackError::ExpiredIdToken),
        None => Err(CallbackError::BadIdToken("it has no expiry")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending() -> PendingLogin {
        PendingLogin {
            issuer: "http://localhost:3000/".into(),
            token_endpoint: "http://localhost:3000/.oidc/token".into(),
            client_id: "c1".into(),
            redirect_uri: "http://localhost:8080/callback".into(),
            verifier: "v".into(),
            state: "s1".into(),
            nonce: "n1".into(),
            iss_required: true,
            dpop: DpopKey::generate().unwrap(),
            end_session_endpoint: None,
        }
    }

    #[test]
    fn callback_checks_state_and_iss() {
        let ok =
            CallbackParams::from_query("?code=abc&state=s1&iss=http%3A%2F%2Flocalhost%3A3000%2F");
        assert_eq!(check_callback(&pending(), &ok), Ok("abc"));
        let wrong_state =
            CallbackParams::from_query("code=abc&state=s2&iss=http%3A%2F%2Flocalhost%3A3000%2F");
        assert_eq!(
            check_callback(&pending(), &wrong_state),
            Err(CallbackError::StateMismatch)
        );
        let wrong_iss =
            CallbackParams::from_query("code=abc&state=s1&iss=https%3A%2F%2Fevil.example%2F");
        assert_eq!(
            check_callback(&pending(), &wrong_iss),
            Err(CallbackError::IssuerMismatch)
        );
        let no_iss = CallbackParams::from_query("code=abc&state=s1");
        assert_eq!(
            check_callback(&pending(), &no_iss),
            Err(CallbackError::IssuerMismatch)
        );
        let denied = CallbackParams::from_query(
            "error=access_denied&state=s1&iss=http%3A%2F%2Flocalhost%3A3000%2F",
        );
        assert_eq!(
            check_callback(&pending(), &denied),
            Err(CallbackError::Denied("access_denied".into()))
        );
        let mixed_up = CallbackParams::from_query(
            "error=access_denied&state=s1&iss=https%3A%2F%2Fevil.example%2F",
        );
        assert_eq!(
            check_callback(&pending(), &mixed_up),
            Err(CallbackError::IssuerMismatch)
        );
    }

    #[test]
    fn issuers_forgive_only_a_trailing_slash() {
        assert!(same_issuer(
            "http://localhost:3000/",
            "http://localhost:3000"
        ));
        assert!(!same_issuer(
            "http://localhost:3000/",
            "http://localhost:3001/"
        ));
    }
}
