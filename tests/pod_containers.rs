#![cfg(not(target_arch = "wasm32"))]
//! Containers on a real pod: create, list (`ldp:contains`), names with spaces and
//! non-ASCII characters.

mod common;

use common::{block_on, scratch_container, NativeHttp, ALICE};
use solidcrypt::pod::container::ListError;
use solidcrypt::pod::error::WriteError;
use solidcrypt::pod::resource::Condition;
use solidcrypt::pod::Pod;

#[test]
fn create_and_list_a_container() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let folder = scratch_container(&pod, &ALICE.storage());

    assert!(block_on(pod.list(&folder)).unwrap().is_empty());
    let sub = folder.join("sub%20folder/").unwrap();
    block_on(pod.create_container(&sub)).unwrap();
    // CSS refuses PUT on an existing container outright (409) before looking at
    // If-None-Match (412); either way it must not silently succeed.
    assert!(matches!(
        block_on(pod.create_container(&sub)),
        Err(WriteError::Rejected | WriteError::Conflict)
    ));
    let file = folder.join("my%20notes%20%C3%A9t%C3%A9.txt").unwrap();
    block_on(pod.put(&file, "text/plain", b"hi".to_vec(), &Condition::IfAbsent)).unwrap();

    let entries = block_on(pod.list(&folder)).unwrap();
    let names: Vec<_> = entries
        .iter()
        .map(|e| (e.name.as_str(), e.is_container))
        .collect();
    assert_eq!(names, [("my notes été.txt", false), ("sub folder", true)]);
    assert_eq!(
        entries[0].url, file,
        "URLs are kept exactly as the pod has them"
    );
    assert_eq!(entries[1].url, sub);
}

#[test]
fn listing_a_document_is_refused() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let file = ALICE.storage().join("profile/card").unwrap();
    assert!(matches!(
        block_on(pod.list(&file)),
        Err(ListError::NotAContainer(_))
    ));
}
