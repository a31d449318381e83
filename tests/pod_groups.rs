#![cfg(not(target_arch = "wasm32"))]
//! Groups on a real pod, the way a sharing link works: bob is refused, joins the
//! group by himself (N3 Patch insert, Append only), alice grants the group Read, and
//! bob is let in.

mod common;

use common::{block_on, scratch_container, NativeHttp, ALICE, BOB};
use solidcrypt::pod::acl::{Authorization, Mode};
use solidcrypt::pod::error::{ReadError, WriteError};
use solidcrypt::pod::group::{Group, GroupError};
use solidcrypt::pod::resource::Condition;
use solidcrypt::pod::Pod;

#[test]
fn bob_joins_a_group_and_gets_the_file_it_was_granted() {
    let http = NativeHttp::new();
    let alice_session = ALICE.login(&http);
    let bob_session = BOB.login(&http);
    let alice = Pod::new(&http, Some(&alice_session));
    let bob = Pod::new(&http, Some(&bob_session));

    let folder = scratch_container(&alice, &ALICE.storage());
    let file = folder.join("for-bob.bin").unwrap();
    block_on(alice.put(
        &file,
        "application/octet-stream",
        b"ciphertext".to_vec(),
        &Condition::IfAbsent,
    ))
    .unwrap();
    assert_eq!(block_on(bob.get(&file)).unwrap_err(), ReadError::Forbidden);

    let group = block_on(alice.create_group(&folder, &ALICE.webid())).unwrap();
    let name = group
        .document
        .path_segments()
        .unwrap()
        .next_back()
        .unwrap()
        .to_owned();
    assert!(name.starts_with("group-") && name.ends_with(".ttl"));
    assert!(
        name.len() >= "group-.ttl".len() + 32,
        "≥128 bits of randomness: {name}"
    );
    assert!(block_on(alice.group_members(&group)).unwrap().is_empty());

    // Bob only knows the group's address (from the link) and adds himself.
    let from_link = Group::from_iri(group.iri.clone());
    block_on(bob.join_group(&from_link, &BOB.webid())).unwrap();
    assert_eq!(
        block_on(alice.group_members(&group)).unwrap(),
        [BOB.webid()]
    );
    // Append is not Write: he cannot replace the group (e.g. to throw others out).
    assert!(matches!(
        block_on(bob.put(
            &group.document,
            "text/turtle",
            Vec::new(),
            &Condition::Always
        )),
        Err(WriteError::Forbidden)
    ));

    let mut acl = block_on(alice.read_acl(&file)).unwrap();
    let mut grant = Authorization::new(&acl.url, "share").unwrap();
    grant.agent_groups.push(group.iri.to_string());
    grant.access_to.push(file.to_string());
    grant.modes.insert(Mode::Read);
    acl.acl.authorizations.push(grant);
    block_on(alice.write_acl(&acl, &ALICE.webid())).unwrap();

    assert_eq!(block_on(bob.get(&file)).unwrap().body, b"ciphertext");
    block_on(alice.get(&file)).expect("alice keeps access");
}

#[test]
fn strangers_cannot_create_groups_in_someone_elses_storage() {
    let http = NativeHttp::new();
    let bob_session = BOB.login(&http);
    let bob = Pod::new(&http, Some(&bob_session));
    let error = block_on(bob.create_group(&ALICE.storage(), &BOB.webid())).unwrap_err();
    assert_eq!(error, GroupError::Write(WriteError::Forbidden));
}
