//! solidcrypt's Client ID Document (Solid-OIDC §5): a JSON-LD file the app serves
//! at `<app>/clientid.jsonld` whose address is its `client_id`.
//!
//! Why: with dynamic registration every login creates a new client at the
//! provider, so nothing can recognise the app — an ACP client matcher, a
//! provider's allow-list, the user looking at their authorised apps. A Client ID
//! Document gives it one stable identity per deployment. The file is written per
//! origin at build time (`scripts/lib/client-id.mjs`, a Trunk hook fed by
//! `SOLIDCRYPT_APP_URL`): its `client_id` must equal its own address, so no
//! static file fits every deployment.
//!
//! The document is used only when it can work: the provider speaks Solid-OIDC
//! (`webid` among its scopes, as Inrupt's libraries judge it — Node Solid Server
//! and plain OpenID providers register dynamically instead), the provider can
//! fetch the document (the app on `https:`, or both on this machine), and the
//! app's own copy really describes it (served for this origin, naming this
//! redirect URI). Anything else falls back to dynamic registration: a build
//! served on another port than it was made for must still log in.

use url::Url;

use super::oidc::ProviderMetadata;
use super::provider::is_secure;
use crate::pod::http::{HttpClient, Method, Request};

/// Where the document lives below the app's address.
pub const DOCUMENT_NAME: &str = "clientid.jsonld";

/// The JSON-LD context a Client ID Document must name (Solid-OIDC §5.1).
pub const CONTEXT: &str = "https://www.w3.org/ns/solid/oidc-context.jsonld";

/// The document is a few hundred bytes; anything far larger is not ours.
const MAX_DOCUMENT_BYTES: usize = 16 * 1024;

/// Why the app's own document cannot be used (then it registers dynamically).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClientIdError {
    #[error("the app serves no Client ID Document (status {0})")]
    Status(u16),
    #[error("the Client ID Document is not JSON: {0}")]
    NotJson(String),
    #[error("the Client ID Document is larger than {MAX_DOCUMENT_BYTES} bytes")]
    TooLarge,
    #[error("the Client ID Document does not name the Solid-OIDC context")]
    NoContext,
    #[error("the Client ID Document is for {0}, not for this address")]
    OtherClient(String),
    #[error("the Client ID Document does not list this app's redirect address")]
    NoRedirect,
    #[error("cannot read the Client ID Document: {0}")]
    Transport(String),
}

/// The document's address for an app whose start page is `app`.
pub fn document_url(app: &Url) -> Option<Url> {
    app.join(DOCUMENT_NAME).ok()
}

/// Whether the provider described by `metadata` can use the document at
/// `document`: it speaks Solid-OIDC, and it can fetch the document (an
/// `https:` one, or an `http:` one on this machine when the provider is here too).
pub fn usable(metadata: &ProviderMetadata, document: &Url) -> bool {
    let solid = metadata.scopes_supported.iter().any(|s| s == "webid");
    let reachable = match document.scheme() {
        "https" => is_secure(document),
        "http" => {
            is_secure(document)
                && Url::parse(&metadata.issuer).is_ok_and(|i| i.scheme() == "http" && is_secure(&i))
        }
        _ => false,
    };
    solid && reachable
}

/// Checks that `body`, served at `document`, is a Client ID Document for that
/// address listing `redirect_uri` (what the provider will check, and what tells
/// a copy built for another origin apart).
pub fn check_document(
    body: &[u8],
    document: &Url,
    redirect_uri: &str,
) -> Result<(), ClientIdError> {
    if body.len() > MAX_DOCUMENT_BYTES {
        return Err(ClientIdError::TooLarge);
    }
    let json: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| ClientIdError::NotJson(e.to_string()))?;
    let names_context = match json.get("@context") {
        Some(serde_json::Value::String(c)) => c == CONTEXT,
        Some(serde_json::Value::Array(cs)) => cs.iter().any(|c| c == CONTEXT),
        _ => false,
    };
    if !names_context {
        return Err(ClientIdError::NoContext);
    }
    match json.get("client_id").and_then(|v| v.as_str()) {
        Some(id) if id == document.as_str() => {}
        Some(id) => return Err(ClientIdError::OtherClient(id.chars().take(200).collect())),
        None => return Err(ClientIdError::OtherClient(String::new())),
    }
    let lists_redirect = json
        .get("redirect_uris")
        .and_then(|v| v.as_array())
        .is_some_and(|uris| uris.iter().any(|u| u == redirect_uri));
    if !lists_redirect {
        return Err(ClientIdError::NoRedirect);
    }
    Ok(())
}

/// Reads the app's own document at `document` and checks it ([`check_document`]).
pub async fn fetch_document<H: HttpClient>(
    http: &H,
    document: &Url,
    redirect_uri: &str,
) -> Result<(), ClientIdError> {
    let request = Request::new(Method::Get, document.as_str())
        .header("Accept", "application/ld+json, application/json");
    let response = http
        .send(request)
        .await
        .map_err(|e| ClientIdError::Transport(e.to_string()))?;
    if response.status != 200 {
        return Err(ClientIdError::Status(response.status));
    }
    check_document(&response.body, document, redirect_uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "http://localhost:8080/clientid.jsonld";
    const REDIRECT: &str = "http://localhost:8080/callback";

    fn metadata(issuer: &str, scopes: &[&str]) -> ProviderMetadata {
        ProviderMetadata {
            issuer: issuer.into(),
            authorization_endpoint: format!("{issuer}auth"),
            token_endpoint: format!("{issuer}token"),
            registration_endpoint: Some(format!("{issuer}reg")),
            end_session_endpoint: None,
            authorization_response_iss_parameter_supported: true,
            scopes_supported: scopes.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn doc(body: serde_json::Value) -> Result<(), ClientIdError> {
        check_document(
            body.to_string().as_bytes(),
            &Url::parse(DOC).unwrap(),
            REDIRECT,
        )
    }

    #[test]
    fn used_only_where_the_provider_speaks_solid_oidc_and_can_fetch_it() {
        let local = Url::parse(DOC).unwrap();
        let deployed = Url::parse("https://app.example/clientid.jsonld").unwrap();
        let solid = ["openid", "webid", "offline_access"];
        assert!(usable(&metadata("http://localhost:3000/", &solid), &local));
        assert!(usable(&metadata("https://idp.example/", &solid), &deployed));
        assert!(usable(
            &metadata("http://localhost:3000/", &solid),
            &deployed
        ));
        // A remote provider cannot fetch a document on this machine.
        assert!(!usable(&metadata("https://idp.example/", &solid), &local));
        // No webid scope: not a Solid-OIDC provider, register instead.
        let plain = ["openid", "offline_access"];
        assert!(!usable(
            &metadata("https://idp.example/", &plain),
            &deployed
        ));
        let elsewhere = Url::parse("http://app.example/clientid.jsonld").unwrap();
        assert!(!usable(
            &metadata("http://localhost:3000/", &solid),
            &elsewhere
        ));
    }

    #[test]
    fn the_document_must_be_for_this_address_and_redirect() {
        let good = serde_json::json!({
            "@context": [CONTEXT],
            "client_id": DOC,
            "redirect_uris": [REDIRECT],
        });
        assert_eq!(doc(good.clone()), Ok(()));
        let mut plain_context = good.clone();
        plain_context["@context"] = CONTEXT.into();
        assert_eq!(doc(plain_context), Ok(()));

        let mut other = good.clone();
        other["client_id"] = "http://localhost:8081/clientid.jsonld".into();
        assert!(matches!(doc(other), Err(ClientIdError::OtherClient(_))));
        let mut no_context = good.clone();
        no_context["@context"] = "https://www.w3.org/ns/activitystreams".into();
        assert_eq!(doc(no_context), Err(ClientIdError::NoContext));
        let mut no_redirect = good.clone();
        no_redirect["redirect_uris"] = serde_json::json!(["http://localhost:8081/callback"]);
        assert_eq!(doc(no_redirect), Err(ClientIdError::NoRedirect));
        let mut no_id = good;
        no_id.as_object_mut().unwrap().remove("client_id");
        assert!(matches!(doc(no_id), Err(ClientIdError::OtherClient(_))));

        let url = Url::parse(DOC).unwrap();
        assert!(matches!(
            check_document(b"<html>", &url, REDIRECT),
            Err(ClientIdError::NotJson(_))
        ));
        let huge = vec![b' '; MAX_DOCUMENT_BYTES + 1];
        assert_eq!(
            check_document(&huge, &url, REDIRECT),
            Err(ClientIdError::TooLarge)
        );
    }
}
