#![cfg(not(target_arch = "wasm32"))]
//! WebID profiles on a real pod.

mod common;

use common::{block_on, pod_url, NativeHttp, ALICE, BOB};
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
