#![cfg(not(target_arch = "wasm32"))]
//! The browser login's server side, up to the provider's login page: discovery,
//! dynamic registration, the authorization request (PKCE S256), and finding the
//! issuer from a WebID. (The rest needs a browser: tests/e2e/login.test.mjs.)

mod common;

use common::{block_on, pod_url, NativeHttp, ALICE};
use solidcrypt::auth::oidc::{discover, start_login};
use solidcrypt::auth::provider::parse_target;
use solidcrypt::pod::http::{HttpClient, Method, Request};

#[test]
fn discovery_names_the_issuer_and_its_endpoints() {
    let http = NativeHttp::new();
    let metadata = block_on(discover(&http, &pod_url())).unwrap();
    assert_eq!(metadata.issuer, pod_url().as_str());
    assert!(metadata.token_endpoint.starts_with(pod_url().as_str()));
    assert!(metadata.registration_endpoint.is_some());
}

#[test]
fn login_from_a_webid_registers_and_reaches_the_providers_login_page() {
    let http = NativeHttp::new();
    let target = parse_target(&ALICE.webid()).unwrap();
    let redirect = "http://localhost:8080/callback";
    let (authorize, pending) = block_on(start_login(&http, &target, redirect, None)).unwrap();
    assert_eq!(pending.issuer, pod_url().as_str());
    let query: std::collections::HashMap<_, _> = authorize.query_pairs().into_owned().collect();
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(query["redirect_uri"], redirect);
    assert!(query["scope"].contains("webid"));

    // The provider accepts the request (registered client, valid redirect URI) and
    // sends the browser on to its login interaction rather than back with an error.
    let response = block_on(http.send(Request::new(Method::Get, authorize.as_str()))).unwrap();
    assert!(
        (300..400).contains(&response.status),
        "status {}",
        response.status
    );
    let location = response.header("Location").unwrap_or_default();
    assert!(
        !location.starts_with(redirect),
        "provider rejected the request: {location}"
    );
}
