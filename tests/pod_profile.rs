#![cfg(not(target_arch = "wasm32"))]
//! WebID profiles on a real pod.

mod common;

use common::{block_on, pod_url, scratch_container, NativeHttp, ALICE, BOB};
use solidcrypt::pod::error::ReadError;
use solidcrypt::pod::profile::ProfileError;
use solidcrypt::pod::resource::Condition;
use solidcrypt::pod::Pod;
use url::Url;

#[test]
fn profile_names_storage_and_issuer() {
    let http = NativeHttp::new();
    let anonymous = Pod::new(&http, None);
    for account in [ALICE, BOB] {
        let webid = Url::parse(&account.webid()).unwrap();
        let profile = block_on(anonymous.profile(&webid)).unwrap();
        assert_eq!(profile.storage, account.storage());
        assert_eq!(profile.issuers, [pod_url()]);
    }
}

#[test]
fn without_pim_storage_the_nearest_storage_above_is_found() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let folder = scratch_container(&pod, &ALICE.storage());
    let card = folder.join("card").unwrap();
    let profile = format!(
        "<#me> <http://www.w3.org/ns/solid/terms#oidcIssuer> <{}>.",
        pod_url()
    );
    block_on(pod.put(
        &card,
        "text/turtle",
        profile.into_bytes(),
        &Condition::IfAbsent,
    ))
    .unwrap();

    let webid = Url::parse(&format!("{card}#me")).unwrap();
    let found = block_on(pod.profile(&webid)).unwrap();
    assert_eq!(
        found.storage,
        ALICE.storage(),
        "walked up to the pim:Storage"
    );
    assert_eq!(found.inbox, None);
}

#[test]
fn a_missing_profile_is_a_clear_error() {
    // Asked by someone who may see the folder, so CSS says 404 rather than 401.
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let webid = ALICE.storage().join("no-such-profile/card#me").unwrap();
    let error = block_on(Pod::new(&http, Some(&session)).profile(&webid)).unwrap_err();
    assert!(
        matches!(
            error,
            ProfileError::Read {
                source: ReadError::NotFound,
                ..
            }
        ),
        "{error:?}"
    );
}
