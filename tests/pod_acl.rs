#![cfg(not(target_arch = "wasm32"))]
//! WAC ACLs on a real pod: discovery through `Link rel="acl"`, a round-trip that keeps
//! statements we do not model, and the owner's Control kept on every write.

mod common;

use common::{block_on, scratch_container, NativeHttp, ALICE, BOB};
use solidcrypt::pod::acl::{Authorization, Mode};
use solidcrypt::pod::acl_io::AclError;
use solidcrypt::pod::error::{ReadError, WriteError};
use solidcrypt::pod::resource::Condition;
use solidcrypt::pod::Pod;

#[test]
fn acl_round_trip_keeps_unknown_triples_and_owner_control() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let folder = scratch_container(&pod, &ALICE.storage());
    let file = folder.join("shared.txt").unwrap();
    block_on(pod.put(&file, "text/plain", b"data".to_vec(), &Condition::IfAbsent)).unwrap();

    let acl_url = block_on(pod.acl_url(&file)).unwrap();
    assert_eq!(
        acl_url.as_str(),
        format!("{file}.acl"),
        "CSS names ACLs <resource>.acl"
    );
    let empty = block_on(pod.read_acl(&file)).unwrap();
    assert!(empty.etag.is_none() && empty.acl.authorizations.is_empty());

    // Another app wrote an ACL with things we do not model.
    let handmade = format!(
        "@prefix acl: <http://www.w3.org/ns/auth/acl#>.\n\
         @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#>.\n\
         <#owner> a acl:Authorization; acl:agent <{owner}>; acl:accessTo <shared.txt>;\n\
           acl:mode acl:Read, acl:Write, acl:Control; rdfs:comment \"written by another app\".\n\
         <#about> <http://example.org/ns#note> \"keep me\".\n",
        owner = ALICE.webid()
    );
    block_on(pod.put(
        &acl_url,
        "text/turtle",
        handmade.into_bytes(),
        &Condition::Always,
    ))
    .unwrap();

    let mut document = block_on(pod.read_acl(&file)).unwrap();
    assert!(document.etag.is_some());
    // Replace every rule by one for bob only: the write must still keep alice in.
    let mut bob_reads = Authorization::new(&document.url, "bob").unwrap();
    bob_reads.agents.push(BOB.webid());
    bob_reads.access_to.push(file.to_string());
    bob_reads.modes.insert(Mode::Read);
    document.acl.authorizations = vec![bob_reads];
    block_on(pod.write_acl(&document, &ALICE.webid())).unwrap();

    let raw = String::from_utf8(block_on(pod.get(&acl_url)).unwrap().body).unwrap();
    assert!(raw.contains("keep me"), "unknown triples survive:\n{raw}");
    let after = block_on(pod.read_acl(&file)).unwrap();
    let owner = after
        .acl
        .authorizations
        .iter()
        .find(|a| a.agents == [ALICE.webid()])
        .expect("an owner rule");
    assert!(owner.modes.contains(&Mode::Control) && owner.modes.contains(&Mode::Write));
    assert_eq!(owner.access_to, [file.to_string()]);

    // And it really works on the server: alice still controls it, bob may read.
    block_on(pod.get(&acl_url)).expect("owner can still read the ACL");
    let bob_session = BOB.login(&http);
    let bob = Pod::new(&http, Some(&bob_session));
    assert_eq!(block_on(bob.get(&file)).unwrap().body, b"data");
    assert_eq!(
        block_on(bob.put(&file, "text/plain", b"x".to_vec(), &Condition::Always)).unwrap_err(),
        WriteError::Forbidden
    );

    // Writing from a stale read is a conflict, not a silent overwrite.
    assert_eq!(
        block_on(pod.write_acl(&document, &ALICE.webid())).unwrap_err(),
        AclError::Write(WriteError::Conflict)
    );
}

#[test]
fn container_acl_keeps_owner_over_contents() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let folder = scratch_container(&pod, &ALICE.storage());
    let document = block_on(pod.read_acl(&folder)).unwrap();
    block_on(pod.write_acl(&document, &ALICE.webid())).unwrap();

    let file = folder.join("inside.txt").unwrap();
    block_on(pod.put(&file, "text/plain", b"x".to_vec(), &Condition::IfAbsent)).unwrap();
    block_on(pod.get(&file)).expect("owner keeps access to the contents");
    let bob_session = BOB.login(&http);
    let bob = Pod::new(&http, Some(&bob_session));
    assert_eq!(block_on(bob.get(&file)).unwrap_err(), ReadError::Forbidden);
}
