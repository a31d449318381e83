//! Logging in without a browser, for tests and tools: Community Solid Server's account
//! API turns an email and password into a client id and secret, which the token
//! endpoint exchanges for a DPoP-bound token (`client_credentials` grant).

use serde_json::Value;
use url::Url;

use super::dpop::DpopKey;
use super::oidc::{discover, DiscoveryError, ProviderMetadata};
use super::random::RandomError;
use super::session::Session;
use super::token::{request_token, Claims, ClientAuth, TokenError, TokenResponse};
use crate::pod::http::{HttpClient, Method, Request, Response, TransportError};

/// Logging in with the account API failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    #[error("{step}: the server answered {status}: {body}")]
    Status {
        step: &'static str,
        status: u16,
        body: String,
    },
    #[error("{0}: the server's answer lacks what the account API promises")]
    BadAnswer(&'static str),
    #[error("the account has no WebID")]
    NoWebId,
    #[error(transparent)]
    Discovery(#[from] DiscoveryError),
    #[error(transparent)]
    Token(#[from] TokenError),
    #[error(transparent)]
    Random(#[from] RandomError),
    #[error(transparent)]
    Transport(#[from] TransportError),
}

/// A client id and secret made for the account's (first) WebID.
pub struct ClientCredentials {
    pub id: String,
    pub secret: zeroize::Zeroizing<String>,
    pub webid: String,
}

/// Logs in to the CSS at `server` as the account `email`/`password`, acting as the
/// account's (first) WebID.
pub async fn login_with_password<H: HttpClient>(
    http: &H,
    server: &Url,
    email: &str,
    password: &str,
) -> Result<Session, CredentialsError> {
    let credentials = client_credentials(http, server, email, password).await?;
    let metadata = discover(http, server).await?;
    let key = DpopKey::generate()?;
    let token = token_for(http, &metadata, &credentials, &key).await?;
    let webid = Claims::of(&token.access_token)
        .and_then(|c| c.webid().map(str::to_owned))
        .unwrap_or(credentials.webid);
    Ok(Session::from_token(
        webid,
        metadata.issuer,
        token,
        key,
        &credentials.id,
        &metadata.token_endpoint,
        // No browser, so no provider session to end.
        None,
    ))
}

/// A token for `credentials` from the provider described by `metadata`, bound to
/// `key` (DPoP).
pub async fn token_for<H: HttpClient>(
    http: &H,
    metadata: &ProviderMetadata,
    credentials: &ClientCredentials,
    key: &DpopKey,
) -> Result<TokenResponse, CredentialsError> {
    Ok(request_token(
        http,
        &metadata.token_endpoint,
        &[("grant_type", "client_credentials"), ("scope", "webid")],
        ClientAuth::Secret {
            id: &credentials.id,
            secret: &credentials.secret,
        },
        key,
    )
    .await?)
}

/// Makes client credentials with CSS's account API for `email`/`password`.
pub async fn client_credentials<H: HttpClient>(
    http: &H,
    server: &Url,
    email: &str,
    password: &str,
) -> Result<ClientCredentials, CredentialsError> {
    let index = account_url(server)?;
    let controls = json(
        http,
        Request::new(Method::Get, index.as_str()),
        "read the account API",
    )
    .await?;
    let login_url = pointer(
        &controls,
        "/controls/password/login",
        "find the password login",
    )?;
    let body = serde_json::json!({ "email": email, "password": password });
    let login = json(
        http,
        post_json(&login_url, &body),
        "log in with the password",
    )
    .await?;
    let account_token = pointer(&login, "/authorization", "log in with the password")?;
    let authorize = |request: Request| {
        request.header(
            "Authorization",
            format!("CSS-Account-Token {account_token}"),
        )
    };

    let controls = json(
        http,
        authorize(Request::new(Method::Get, index.as_str())),
        "read the account",
    )
    .await?;
    let webid_url = pointer(
        &controls,
        "/controls/account/webId",
        "find the account's WebIDs",
    )?;
    let credentials_url = pointer(
        &controls,
        "/controls/account/clientCredentials",
        "find client credentials",
    )?;
    let webids = json(
        http,
        authorize(Request::new(Method::Get, &webid_url)),
        "list the WebIDs",
    )
    .await?;
    let webid = webids
        .get("webIdLinks")
        .and_then(Value::as_object)
        .and_then(|links| links.keys().next().cloned())
        .ok_or(CredentialsError::NoWebId)?;

    let name = format!("solidcrypt-{}", super::random::token(8)?);
    let body = serde_json::json!({ "name": name, "webId": webid });
    let created = json(
        http,
        authorize(post_json(&credentials_url, &body)),
        "create client credentials",
    )
    .await?;
    let id = pointer(&created, "/id", "create client credentials")?;
    let secret =
        zeroize::Zeroizing::new(pointer(&created, "/secret", "create client credentials")?);
    Ok(ClientCredentials { id, secret, webid })
}

fn account_url(server: &Url) -> Result<Url, CredentialsError> {
    server
        .join(".account/")
        .map_err(|_| CredentialsError::BadAnswer("find the account API"))
}

fn post_json(url: &str, body: &Value) -> Request {
    Request::new(Method::Post, url)
        .header("Accept", "application/json")
        .body("application/json", body.to_string().into_bytes())
}

async fn json<H: HttpClient>(
    http: &H,
    request: Request,
    step: &'static str,
) -> Result<Value, CredentialsError> {
    let request = request.header("Accept", "application/json");
    let Response { status, body, .. } = http.send(request).await?;
    if !(200..300).contains(&status) {
        return Err(CredentialsError::Status {
            step,
            status,
            body: String::from_utf8_lossy(&body).chars().take(300).collect(),
        });
    }
    serde_json::from_slice(&body).map_err(|_| CredentialsError::BadAnswer(step))
}

fn pointer(value: &Value, path: &str, step: &'static str) -> Result<String, CredentialsError> {
    value
        .pointer(path)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or(CredentialsError::BadAnswer(step))
}
