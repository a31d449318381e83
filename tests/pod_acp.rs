#![cfg(not(target_arch = "wasm32"))]
//! A pod that uses Access Control Policies (Community Solid Server with
//! `@css:config/file-acp.json`, started by scripts/test as SOLIDCRYPT_TEST_ACP_POD):
//! the drive's folder gets an owner-only ACR (not WAC statements, which mean
//! nothing there), the inbox takes anyone's post and shows nobody its contents,
//! and a share link — WAC groups, which ACP lacks — is refused with a clear error
//! before anything is written.

mod common;

use common::{block_on, scratch_container, Counting, NativeHttp, ALICE, BOB, FAST};
use solidcrypt::identity::inbox::create_inbox;
use solidcrypt::keystore::master::set_up;
use solidcrypt::keystore::{Layout, Password};
use solidcrypt::pod::error::ReadError;
use solidcrypt::pod::http::{HttpClient, Method, Request};
use solidcrypt::pod::Pod;
use solidcrypt::share::{share_folder, Access, ShareError};
use url::Url;

fn acp_pod() -> Url {
    let url = std::env::var("SOLIDCRYPT_TEST_ACP_POD").unwrap_or_else(|_| {
        panic!(
            "SOLIDCRYPT_TEST_ACP_POD is not set: scripts/test starts a second Community \
             Solid Server with the ACP config and points these tests at it"
        )
    });
    Url::parse(&url).expect("SOLIDCRYPT_TEST_ACP_POD is a URL")
}

fn webid(name: &str) -> String {
    format!("{}{name}/profile/card#me", acp_pod())
}

fn status<H: HttpClient>(http: &H, method: Method, url: &Url) -> u16 {
    block_on(http.send(Request::new(method, url.as_str())))
        .unwrap()
        .status
}

#[test]
fn the_drive_folder_is_the_owners_alone_by_its_acr() {
    let http = NativeHttp::new();
    let alice = ALICE.login_at(&http, &acp_pod());
    let bob = BOB.login_at(&http, &acp_pod());
    let pod = Pod::new(&http, Some(&alice));
    let layout = Layout::at(scratch_container(&pod, &acp_pod().join("alice/").unwrap()));
    let password = Password::new("correct horse battery".into());
    block_on(set_up(&pod, &layout, &webid("alice"), &password, &FAST)).unwrap();

    let acr = block_on(pod.acl_url(layout.base())).unwrap();
    let rules = String::from_utf8(block_on(pod.get_as(&acr, "text/turtle")).unwrap().body).unwrap();
    assert!(
        rules.contains("http://www.w3.org/ns/solid/acp#") && !rules.contains("acl#Authorization"),
        "an ACR, not WAC statements: {rules}"
    );
    let index = layout.keystores().join("keystores.json.enc").unwrap();
    block_on(pod.get(&index)).unwrap();
    let as_bob = Pod::new(&http, Some(&bob));
    assert_eq!(
        block_on(as_bob.get(&index)).map(|_| ()),
        Err(ReadError::Forbidden),
        "bob reads alice's keystore index"
    );
    let anyone = Pod::new(&http, None);
    assert!(
        block_on(anyone.get(&index)).is_err(),
        "readable without login"
    );
}

#[test]
fn the_inbox_takes_anyones_post_and_shows_nobody_else_its_contents() {
    let http = NativeHttp::new();
    let alice = ALICE.login_at(&http, &acp_pod());
    let pod = Pod::new(&http, Some(&alice));
    let inbox = scratch_container(&pod, &acp_pod().join("alice/").unwrap())
        .join("inbox/")
        .unwrap();
    block_on(create_inbox(&pod, &inbox, &webid("alice"))).unwrap();

    let post = Request::new(Method::Post, inbox.as_str()).body(
        "application/ld+json",
        br#"{"@context":"https://www.w3.org/ns/activitystreams","type":"Offer"}"#.to_vec(),
    );
    let posted = block_on(http.send(post)).unwrap().status;
    assert_eq!(posted, 201, "an anonymous post into the inbox");
    assert_eq!(
        status(&http, Method::Get, &inbox),
        401,
        "anyone lists the inbox"
    );
    block_on(pod.list(&inbox)).unwrap();
}

#[test]
fn a_share_link_is_refused_before_anything_is_written() {
    let http = NativeHttp::new();
    let alice = ALICE.login_at(&http, &acp_pod());
    let pod = Pod::new(&http, Some(&alice));
    let layout = Layout::at(scratch_container(&pod, &acp_pod().join("alice/").unwrap()));
    let password = Password::new("correct horse battery".into());
    let keyring = block_on(set_up(&pod, &layout, &webid("alice"), &password, &FAST)).unwrap();
    let folder = block_on(solidcrypt::drive::new_folder(
        &pod,
        &keyring,
        &layout.files(),
        "Trip",
    ))
    .unwrap();

    let counting = Counting::new(&http);
    let counted = Pod::new(&counting, Some(&alice));
    let refused = block_on(share_folder(
        &counted,
        &keyring,
        &webid("alice"),
        &folder,
        Access::Read,
    ));
    assert!(
        matches!(refused, Err(ShareError::AccessPolicies)),
        "{:?}",
        refused.map(|_| ())
    );
    let writes: Vec<String> = counting
        .take()
        .into_iter()
        .filter(|r| !r.starts_with("GET ") && !r.starts_with("HEAD "))
        .collect();
    assert_eq!(writes, Vec::<String>::new(), "nothing written");
}
