#![cfg(not(target_arch = "wasm32"))]
//! A hostile identity provider, played by a fake `HttpClient` (no pod needed): its
//! metadata may name `javascript:`, `data:` or plain-http endpoints, its ID token
//! may be for another login or expired, and anyone may send the browser to the
//! callback with a forged `error=`. Each is refused before it can do harm.

mod common;

use std::sync::Mutex;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::block_on;
use serde_json::{json, Value};
use solidcrypt::auth::oidc::{
    check_callback, complete_login, discover, finish_callback, start_login, CallbackError,
    CallbackParams, DiscoveryError, LoginError, PendingLogin,
};
use solidcrypt::auth::provider::LoginTarget;
use solidcrypt::pod::http::{HttpClient, Method, Request, Response, TransportError};
use url::Url;

const REDIRECT: &str = "http://localhost:8080/callback";
const CLIENT: &str = "client-1";

/// A provider at `issuer` answering discovery with `metadata`, registration with
/// [`CLIENT`], and the token endpoint with an ID token of `claims`. Records every
/// request's method and URL.
struct FakeProvider {
    issuer: String,
    metadata: Value,
    claims: Mutex<Value>,
    seen: Mutex<Vec<String>>,
}

impl FakeProvider {
    fn new(issuer: &str) -> Self {
        let base = issuer.trim_end_matches('/');
        FakeProvider {
            issuer: issuer.to_owned(),
            metadata: json!({
                "issuer": issuer,
                "authorization_endpoint": format!("{base}/auth"),
                "token_endpoint": format!("{base}/token"),
                "registration_endpoint": format!("{base}/reg"),
                "authorization_response_iss_parameter_supported": true,
            }),
            claims: Mutex::new(Value::Null),
            seen: Mutex::new(Vec::new()),
        }
    }

    /// The same provider with one metadata field replaced.
    fn with(mut self, field: &str, value: &str) -> Self {
        self.metadata[field] = json!(value);
        self
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }

    fn answer(status: u16, body: Value) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }
}

impl HttpClient for FakeProvider {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        self.seen
            .lock()
            .unwrap()
            .push(format!("{} {}", request.method.as_str(), request.url));
        let url = request.url.as_str();
        let field = |name: &str| self.metadata[name].as_str().unwrap_or_default().to_owned();
        Ok(if url.ends_with("/.well-known/openid-configuration") {
            Self::answer(200, self.metadata.clone())
        } else if url == field("registration_endpoint") && request.method == Method::Post {
            Self::answer(201, json!({ "client_id": CLIENT }))
        } else if url == field("token_endpoint") && request.method == Method::Post {
            let claims = self.claims.lock().unwrap().to_string();
            let id_token = format!("e30.{}.sig", URL_SAFE_NO_PAD.encode(claims));
            Self::answer(
                200,
                json!({
                    "access_token": "a.b.c",
                    "token_type": "DPoP",
                    "expires_in": 300,
                    "id_token": id_token,
                }),
            )
        } else {
            Self::answer(404, json!({}))
        })
    }
}

fn target(issuer: &str) -> LoginTarget {
    LoginTarget::Issuer(Url::parse(issuer).unwrap())
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The callback the real provider would send for the login with `state`.
fn callback(provider: &FakeProvider, state: &str) -> CallbackParams {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query
        .append_pair("code", "the-code")
        .append_pair("state", state)
        .append_pair("iss", &provider.issuer);
    CallbackParams::from_query(&query.finish())
}

/// Starts a login at `provider`: the pending login, and the `state` and `nonce`
/// the authorization request carried.
fn started_with_state(provider: &FakeProvider) -> (PendingLogin, String, String) {
    let (authorize, pending) = block_on(start_login(
        provider,
        &target(&provider.issuer),
        REDIRECT,
        None,
    ))
    .unwrap();
    let pair = |name: &str| {
        authorize
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .unwrap()
    };
    let nonce = pair("nonce");
    assert!(nonce.len() >= 16, "an unguessable nonce: {nonce}");
    (pending, pair("state"), nonce)
}

#[test]
fn endpoints_that_are_not_https_are_bad_metadata() {
    let issuer = "https://idp.example/";
    for field in [
        "authorization_endpoint",
        "token_endpoint",
        "registration_endpoint",
    ] {
        for hostile in [
            "javascript:alert(document.domain)",
            "data:text/html,<script>alert(1)</script>",
            "http://evil.example/steal",
            "not a url",
        ] {
            let provider = FakeProvider::new(issuer).with(field, hostile);
            let found = block_on(start_login(&provider, &target(issuer), REDIRECT, None));
            assert!(
                matches!(
                    found,
                    Err(LoginError::Discovery(DiscoveryError::BadMetadata { .. }))
                ),
                "{field} = {hostile}: {:?}",
                found.map(|(url, _)| url)
            );
            assert_eq!(
                provider.seen(),
                ["GET https://idp.example/.well-known/openid-configuration"],
                "nothing but discovery was sent ({field} = {hostile})"
            );
        }
    }
}

#[test]
fn plain_http_is_fine_on_this_machine_only() {
    for issuer in ["http://localhost:3000/", "http://127.0.0.1:3000/"] {
        let provider = FakeProvider::new(issuer);
        let (authorize, _) =
            block_on(start_login(&provider, &target(issuer), REDIRECT, None)).unwrap();
        assert!(authorize.as_str().starts_with(issuer), "{authorize}");
    }
    // A provider on https may keep its endpoints on loopback too (a local proxy).
    let provider =
        FakeProvider::new("https://idp.example/").with("token_endpoint", "http://[::1]:9/token");
    assert!(block_on(discover(
        &provider,
        &Url::parse("https://idp.example/").unwrap()
    ))
    .is_ok());
    // An issuer on plain http elsewhere (as a WebID profile might name) is not asked.
    let provider = FakeProvider::new("http://evil.example/");
    let found = block_on(discover(
        &provider,
        &Url::parse("http://evil.example/").unwrap(),
    ));
    assert!(
        matches!(found, Err(DiscoveryError::Insecure { .. })),
        "{found:?}"
    );
    assert!(provider.seen().is_empty(), "{:?}", provider.seen());
}

#[test]
fn metadata_naming_another_issuer_is_refused() {
    let provider =
        FakeProvider::new("https://idp.example/").with("issuer", "https://other.example/");
    let found = block_on(discover(
        &provider,
        &Url::parse("https://idp.example/").unwrap(),
    ));
    assert!(
        matches!(found, Err(DiscoveryError::IssuerMismatch { .. })),
        "{found:?}"
    );
}

#[test]
fn an_id_token_for_another_login_or_expired_is_refused() {
    let provider = FakeProvider::new("https://idp.example/");
    let (pending, state, nonce) = started_with_state(&provider);
    let params = callback(&provider, &state);
    let claims = |nonce: Option<&str>, exp: Option<u64>| {
        let mut claims = json!({
            "iss": "https://idp.example/",
            "aud": CLIENT,
            "sub": "https://alice.example/profile#me",
            "webid": "https://alice.example/profile#me",
        });
        if let Some(nonce) = nonce {
            claims["nonce"] = json!(nonce);
        }
        if let Some(exp) = exp {
            claims["exp"] = json!(exp);
        }
        claims
    };
    let later = now() + 3600;
    let with = |mut claims: serde_json::Value, field: &str, value: serde_json::Value| {
        claims[field] = value;
        claims
    };
    let ours = claims(Some(&nonce), Some(later));
    let cases = [
        (claims(Some("someone-elses-nonce"), Some(later)), "nonce"),
        (claims(None, Some(later)), "nonce"),
        (claims(Some(&nonce), None), "no expiry"),
        // Several audiences, ours among them: the authorized party must be us.
        (
            with(ours.clone(), "aud", json!([CLIENT, "other-app"])),
            "for another app",
        ),
        (
            with(ours.clone(), "azp", json!("other-app")),
            "for another app",
        ),
    ];
    for (token, why) in cases {
        *provider.claims.lock().unwrap() = token.clone();
        let found = block_on(complete_login(&provider, &pending, &params));
        assert!(
            matches!(&found, Err(CallbackError::BadIdToken(reason)) if reason.contains(why)),
            "{token}: {:?}",
            found.map(|s| s.webid)
        );
    }
    *provider.claims.lock().unwrap() = claims(Some(&nonce), Some(now() - 3600));
    let found = block_on(complete_login(&provider, &pending, &params));
    assert!(
        matches!(found, Err(CallbackError::ExpiredIdToken)),
        "{:?}",
        found.map(|s| s.webid)
    );
    // The same token with our nonce and a future expiry logs in.
    *provider.claims.lock().unwrap() = claims(Some(&nonce), Some(later));
    let session = block_on(complete_login(&provider, &pending, &params)).unwrap();
    assert_eq!(session.webid, "https://alice.example/profile#me");
}

#[test]
fn a_forged_error_callback_is_ignored_until_state_matches() {
    let provider = FakeProvider::new("https://idp.example/");
    let (pending, state, nonce) = started_with_state(&provider);
    *provider.claims.lock().unwrap() = json!({
        "iss": "https://idp.example/",
        "aud": CLIENT,
        "webid": "https://alice.example/profile#me",
        "nonce": nonce,
        "exp": now() + 3600,
    });
    let lure = "Your account is locked. Call +1 555 0100 to unlock it";
    let forged = {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("error", "access_denied")
            .append_pair("error_description", lure)
            .append_pair("state", "guessed");
        CallbackParams::from_query(&query.finish())
    };
    let unstated = CallbackParams::from_query(&format!(
        "error=access_denied&error_description={}",
        url::form_urlencoded::byte_serialize(lure.as_bytes()).collect::<String>()
    ));
    for params in [&forged, &unstated] {
        let checked = check_callback(&pending, params);
        assert_eq!(checked, Err(CallbackError::StateMismatch));
        let mut consumed = false;
        let found = block_on(finish_callback(&provider, Some(&pending), params, || {
            consumed = true
        }));
        let error = found.map(|s| s.webid).unwrap_err();
        assert_eq!(error, CallbackError::StateMismatch);
        assert!(!error.to_string().contains("locked"), "{error}");
        assert!(!consumed, "a forged callback keeps the pending login");
    }
    assert_eq!(
        provider
            .seen()
            .iter()
            .filter(|r| r.contains("/token"))
            .count(),
        0,
        "nothing was redeemed"
    );

    // The real provider's error, with our state, is reported (and ends the login).
    let denied = {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("error", "access_denied")
            .append_pair("error_description", "the user declined")
            .append_pair("state", &state)
            .append_pair("iss", &provider.issuer);
        CallbackParams::from_query(&query.finish())
    };
    let mut consumed = false;
    let found = block_on(finish_callback(&provider, Some(&pending), &denied, || {
        consumed = true
    }));
    assert_eq!(
        found.map(|s| s.webid).unwrap_err(),
        CallbackError::Denied("the user declined".into())
    );
    assert!(consumed);

    // The pending login the forgeries left in place still completes.
    let mut consumed = false;
    let session = block_on(finish_callback(
        &provider,
        Some(&pending),
        &callback(&provider, &state),
        || consumed = true,
    ))
    .unwrap();
    assert_eq!(session.webid, "https://alice.example/profile#me");
    assert!(consumed);
    assert_eq!(
        block_on(finish_callback(
            &provider,
            None,
            &callback(&provider, &state),
            || {}
        ))
        .map(|s| s.webid)
        .unwrap_err(),
        CallbackError::NoPendingLogin
    );
}

#[test]
fn a_provider_without_solid_oidc_gets_a_registration_and_never_the_document() {
    // No `webid` scope: not a Solid-OIDC provider (e.g. Node Solid Server, a plain
    // OpenID provider). The app's document is neither fetched nor named.
    let provider = FakeProvider::new("https://idp.example/");
    let document = Url::parse("https://app.example/clientid.jsonld").unwrap();
    let (authorize, _) = block_on(start_login(
        &provider,
        &target(&provider.issuer),
        "https://app.example/callback",
        Some(&document),
    ))
    .unwrap();
    let client_id = authorize
        .query_pairs()
        .find(|(k, _)| k == "client_id")
        .map(|(_, v)| v.into_owned());
    assert_eq!(client_id.as_deref(), Some(CLIENT), "registered");
    let seen = provider.seen();
    assert!(
        seen.iter().any(|r| r == "POST https://idp.example/reg"),
        "{seen:?}"
    );
    assert!(
        !seen.iter().any(|r| r.contains("clientid.jsonld")),
        "{seen:?}"
    );

    // The same provider speaking Solid-OIDC: the document is checked (here it is
    // not served, so registration again), proving the scope is what decides.
    let mut solid = FakeProvider::new("https://idp.example/");
    solid.metadata["scopes_supported"] = json!(["openid", "webid"]);
    block_on(start_login(
        &solid,
        &target(&solid.issuer),
        "https://app.example/callback",
        Some(&document),
    ))
    .unwrap();
    assert!(
        solid
            .seen()
            .iter()
            .any(|r| r == "GET https://app.example/clientid.jsonld"),
        "{:?}",
        solid.seen()
    );
}
