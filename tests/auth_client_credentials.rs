#![cfg(not(target_arch = "wasm32"))]
//! Client-credentials login against the real pod, and that its DPoP token works.

mod common;

use common::{block_on, pod_url, scratch_container, NativeHttp, ALICE, BOB};
use solidcrypt::auth::client_credentials::{login_with_password, CredentialsError};
use solidcrypt::pod::error::ReadError;
use solidcrypt::pod::Pod;

#[test]
fn password_login_yields_a_dpop_session_for_the_accounts_webid() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    assert_eq!(session.webid, ALICE.webid());
    assert_eq!(session.issuer, pod_url().as_str());
    assert!(!session.is_expired());

    // A new folder is private (only the storage root itself is public): anonymous is
    // refused, the session is let in.
    let alice = Pod::new(&http, Some(&session));
    let folder = scratch_container(&alice, &ALICE.storage());
    let anonymous = Pod::new(&http, None);
    assert_eq!(
        block_on(anonymous.get(&folder)).unwrap_err(),
        ReadError::Unauthorized
    );
    block_on(alice.get(&folder)).expect("alice reads her own folder");
}

#[test]
fn another_users_private_storage_is_forbidden() {
    let http = NativeHttp::new();
    let alice_session = ALICE.login(&http);
    let folder = scratch_container(&Pod::new(&http, Some(&alice_session)), &ALICE.storage());
    let session = BOB.login(&http);
    let bob = Pod::new(&http, Some(&session));
    assert_eq!(
        block_on(bob.get(&folder)).unwrap_err(),
        ReadError::Forbidden
    );
}

#[test]
fn wrong_password_is_a_clear_error() {
    let http = NativeHttp::new();
    let error = block_on(login_with_password(
        &http,
        &pod_url(),
        ALICE.email,
        "not-her-password",
    ))
    .unwrap_err();
    assert!(
        matches!(
            error,
            CredentialsError::Status {
                status: 403 | 400 | 401,
                ..
            }
        ),
        "{error:?}"
    );
}
