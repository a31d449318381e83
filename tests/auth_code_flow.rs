#![cfg(not(target_arch = "wasm32"))]
//! The whole browser login, without a browser: the test plays the user's part on
//! CSS's interaction API (password, WebID choice, consent) with the cookies a browser
//! would keep, and the app's part with the same code the browser runs. Covers the
//! code redemption (PKCE, DPoP), the id_token checks, and refresh with the same key.

mod common;

use common::{block_on, pod_url, scratch_container, NativeHttp, ALICE};
use serde_json::{json, Value};
use solidcrypt::auth::oidc::{complete_login, start_login, CallbackError, CallbackParams};
use solidcrypt::auth::provider::parse_target;
use solidcrypt::auth::token::TokenError;
use solidcrypt::pod::http::{HttpClient, Method, Request, Response};
use solidcrypt::pod::Pod;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use url::Url;

const REDIRECT: &str = "http://localhost:8080/callback";

/// Just enough of a browser: keeps cookies (by name; the pod is the only site).
struct Browser<'h> {
    http: &'h NativeHttp,
    cookies: Vec<(String, String)>,
}

impl Browser<'_> {
    fn send(&mut self, request: Request) -> Response {
        let request = if self.cookies.is_empty() {
            request
        } else {
            let jar: Vec<_> = self
                .cookies
                .iter()
                .map(|(n, v)| format!("{n}={v}"))
                .collect();
            request.header("Cookie", jar.join("; "))
        };
        let response = block_on(self.http.send(request)).unwrap();
        for (name, value) in &response.headers {
            if name.eq_ignore_ascii_case("set-cookie") {
                let pair = value.split(';').next().unwrap_or_default();
                if let Some((n, v)) = pair.split_once('=') {
                    self.cookies.retain(|(old, _)| old != n);
                    self.cookies.push((n.to_owned(), v.to_owned()));
                }
            }
        }
        response
    }

    /// Follows one redirect and returns where it points.
    fn redirect(&mut self, url: &str) -> String {
        let response = self.send(Request::new(Method::Get, url));
        assert!(
            (300..400).contains(&response.status),
            "{url}: {}",
            response.status
        );
        response.header("Location").unwrap().to_owned()
    }

    fn post(&mut self, url: &str, body: Value, account: Option<&str>) -> Value {
        let mut request = Request::new(Method::Post, url)
            .header("Accept", "application/json")
            .body("application/json", body.to_string().into_bytes());
        if let Some(token) = account {
            request = request.header("Authorization", format!("CSS-Account-Token {token}"));
        }
        let response = self.send(request);
        assert_eq!(
            response.status,
            200,
            "{url}: {}",
            String::from_utf8_lossy(&response.body)
        );
        serde_json::from_slice(&response.body).unwrap()
    }
}

#[test]
fn authorization_code_flow_with_pkce_dpop_and_refresh() {
    let http = NativeHttp::new();
    let target = parse_target(pod_url().as_str()).unwrap();
    let (authorize, pending) = block_on(start_login(&http, &target, REDIRECT, None)).unwrap();
    let mut browser = Browser {
        http: &http,
        cookies: Vec::new(),
    };
    let callback = user_logs_in(&mut browser, &authorize, REDIRECT);

    // The app's part.
    let params = CallbackParams::from_query(callback.query().unwrap_or_default());
    assert!(params.iss.is_some(), "CSS sends iss (RFC 9207)");
    let session = block_on(complete_login(&http, &pending, &params)).unwrap();
    assert_eq!(session.webid, ALICE.webid());
    assert!(session.can_refresh(), "offline_access gave a refresh token");

    let pod = Pod::new(&http, Some(&session));
    let folder = scratch_container(&pod, &ALICE.storage());
    block_on(pod.get(&folder)).unwrap();

    // Refresh with the same DPoP key gives a working token.
    let renewed = block_on(session.refresh(&http)).unwrap();
    assert_eq!(renewed.webid, ALICE.webid());
    let pod = Pod::new(&http, Some(&renewed));
    block_on(pod.get(&folder)).unwrap();

    // A code works once (and replaying it makes the provider revoke what it issued).
    let replay = block_on(complete_login(&http, &pending, &params)).unwrap_err();
    assert!(
        matches!(replay, CallbackError::Token(TokenError::Refused(_))),
        "{replay:?}"
    );

    // Logging out of the provider too: CSS takes the request (the way back was
    // registered), asks the user to confirm, and sends the browser back.
    let back = "http://localhost:8080/";
    let end = renewed
        .end_session()
        .expect("CSS names an end_session_endpoint")
        .request(back)
        .unwrap();
    let asked = browser.send(Request::new(Method::Get, end.as_str()));
    let page = String::from_utf8_lossy(&asked.body).into_owned();
    assert_eq!(asked.status, 200, "{page}");
    let confirm = logout_confirmation(&page);
    let answer = browser.send(Request::new(Method::Post, confirm.0.as_str()).body(
        "application/x-www-form-urlencoded",
        format!("xsrf={}&logout=yes", confirm.1).into_bytes(),
    ));
    assert!((300..400).contains(&answer.status), "{}", answer.status);
    let location = answer.header("Location").unwrap();
    assert!(location.starts_with(back), "{location}");
}

/// An app served at `http://localhost:<port>/` with the Client ID Document that
/// `scripts/lib/client-id.mjs` writes for it (the Trunk build's hook): answers
/// every request with it and counts them (the app's own check, then the
/// provider's fetches). `port` 0 picks one; the document may be for another.
struct AppWithDocument {
    app: Url,
    fetched: Arc<AtomicUsize>,
}

impl AppWithDocument {
    fn serve(built_for: Option<&str>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let app = Url::parse(&format!(
            "http://localhost:{}/",
            listener.local_addr().unwrap().port()
        ))
        .unwrap();
        let out = std::env::temp_dir().join(common::unique("client-id"));
        std::fs::create_dir_all(&out).unwrap();
        let made = std::process::Command::new("node")
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/scripts/lib/client-id.mjs"
            ))
            .arg(built_for.unwrap_or(app.as_str()))
            .arg(&out)
            .output()
            .unwrap();
        assert!(made.status.success(), "{made:?}");
        let document = std::fs::read(out.join("clientid.jsonld")).unwrap();
        let fetched = Arc::new(AtomicUsize::new(0));
        let count = fetched.clone();
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request);
                count.fetch_add(1, Ordering::SeqCst);
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/ld+json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    document.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&document);
            }
        });
        AppWithDocument { app, fetched }
    }

    fn document(&self) -> Url {
        self.app.join("clientid.jsonld").unwrap()
    }

    fn redirect(&self) -> String {
        self.app.join("callback").unwrap().to_string()
    }
}

/// The `client_id` an authorization address names.
fn client_id_of(authorize: &Url) -> String {
    authorize
        .query_pairs()
        .find(|(k, _)| k == "client_id")
        .map(|(_, v)| v.into_owned())
        .unwrap()
}

#[test]
fn the_apps_client_id_document_is_its_client_id_at_the_pods_provider() {
    let http = NativeHttp::new();
    let target = parse_target(pod_url().as_str()).unwrap();
    let app = AppWithDocument::serve(None);
    let (document, redirect) = (app.document(), app.redirect());
    let (authorize, pending) =
        block_on(start_login(&http, &target, &redirect, Some(&document))).unwrap();
    assert_eq!(
        client_id_of(&authorize),
        document.as_str(),
        "no registration"
    );

    let mut browser = Browser {
        http: &http,
        cookies: Vec::new(),
    };
    let callback = user_logs_in(&mut browser, &authorize, &redirect);
    let params = CallbackParams::from_query(callback.query().unwrap_or_default());
    // The ID token's audience is the document's address (checked in complete_login).
    let session = block_on(complete_login(&http, &pending, &params)).unwrap();
    assert_eq!(session.webid, ALICE.webid());
    let pod = Pod::new(&http, Some(&session));
    block_on(pod.get(&scratch_container(&pod, &ALICE.storage()))).unwrap();
    assert!(
        app.fetched.load(Ordering::SeqCst) >= 2,
        "the app checked its document and the provider fetched it"
    );
}

#[test]
fn a_document_built_for_another_address_falls_back_to_registration() {
    let http = NativeHttp::new();
    let target = parse_target(pod_url().as_str()).unwrap();
    let app = AppWithDocument::serve(Some("http://localhost:1/"));
    let (authorize, _) = block_on(start_login(
        &http,
        &target,
        &app.redirect(),
        Some(&app.document()),
    ))
    .unwrap();
    let client_id = client_id_of(&authorize);
    assert_ne!(client_id, app.document().as_str());
    assert!(
        !client_id.starts_with("http"),
        "a registered id: {client_id}"
    );
}

/// The user's part, as CSS's login and consent pages do it ("remember" is what
/// lets CSS grant offline_access, i.e. a refresh token): from the authorization
/// address to the callback the provider sends the browser to.
fn user_logs_in(browser: &mut Browser<'_>, authorize: &Url, redirect: &str) -> Url {
    browser.redirect(authorize.as_str());
    let account = pod_url().join(".account/").unwrap();
    let login = browser.post(
        account.join("login/password/").unwrap().as_str(),
        json!({ "email": ALICE.email, "password": ALICE.password }),
        None,
    );
    let token = login["authorization"].as_str().unwrap().to_owned();
    browser.redirect(login["location"].as_str().unwrap());
    let picked = browser.post(
        account.join("oidc/pick-webid/").unwrap().as_str(),
        json!({ "webId": ALICE.webid() }),
        Some(&token),
    );
    browser.redirect(picked["location"].as_str().unwrap());
    let consented = browser.post(
        account.join("oidc/consent/").unwrap().as_str(),
        json!({ "remember": true }),
        Some(&token),
    );
    let callback = Url::parse(&browser.redirect(consented["location"].as_str().unwrap())).unwrap();
    assert!(callback.as_str().starts_with(redirect), "{callback}");
    callback
}

/// The confirmation form of the provider's logout page: where it posts, and its
/// `xsrf` token.
fn logout_confirmation(page: &str) -> (Url, String) {
    let attribute = |after: &str, name: &str| -> String {
        let start = page
            .find(after)
            .unwrap_or_else(|| panic!("no {after}: {page}"));
        let rest = &page[start..];
        let at = rest.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        rest[at..at + rest[at..].find('"').unwrap()].replace("&amp;", "&")
    };
    let action = attribute("<form", "action");
    let xsrf = attribute("name=\"xsrf\"", "value");
    (pod_url().join(&action).unwrap(), xsrf)
}
