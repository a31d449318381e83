#![cfg(not(target_arch = "wasm32"))]
//! Sharing a file by link on a real pod: alice shares, bob opens the link (joining
//! the group by himself) and decrypts, carol who never joined stays out, alice
//! revokes and bob is out again — with alice keeping Read/Write/Control throughout.

mod common;

use common::{
    alice_keeps_control, block_on, log_in, pods, scratch_container, NativeHttp, ALICE, BOB, CAROL,
};
use solidcrypt::crypto::envelope::{open, seal, Metadata, SealOptions};
use solidcrypt::crypto::SecretKey;
use solidcrypt::pod::acl::{Authorization, Mode};
use solidcrypt::pod::error::{ReadError, WriteError};
use solidcrypt::pod::resource::Condition;
use solidcrypt::pod::Pod;
use solidcrypt::share::{
    grant_file, open_file, withdraw, Access, JoinError, OpenLinkError, ShareLink,
};
use url::Url;

fn app() -> Url {
    Url::parse("http://localhost:8080/").unwrap()
}

/// Alice's encrypted file in a fresh folder: (file URL, key, plaintext).
fn alice_file(alice: &Pod<'_, NativeHttp>) -> (Url, SecretKey, Vec<u8>) {
    let folder = scratch_container(alice, &ALICE.storage());
    let file = folder.join("9ad1c0ffee").unwrap();
    let key = SecretKey::generate().unwrap();
    let plaintext = format!("secret notes {}", common::unique("x")).into_bytes();
    let options = SealOptions {
        metadata: Metadata {
            name: Some("notes.txt".into()),
            media_type: Some("text/plain".into()),
            size: Some(plaintext.len() as u64),
        },
        ..SealOptions::default()
    };
    let envelope = seal(&key, &plaintext, &options).unwrap();
    block_on(alice.put(
        &file,
        "application/octet-stream",
        envelope,
        &Condition::IfAbsent,
    ))
    .unwrap();
    (file, key, plaintext)
}

/// What bob receives: the link as text, parsed again on his side.
fn send_to_bob(link: &ShareLink) -> ShareLink {
    let text = link.to_url(&app());
    assert!(text.starts_with("http://localhost:8080/share#v=1&kind=file&"));
    ShareLink::parse(&text).unwrap()
}

#[test]
fn read_only_link_lets_bob_read_but_not_write_until_revoked() {
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE, &BOB, &CAROL]);
    let [alice, bob, carol] = pods(&http, &sessions);
    let (file, key, plaintext) = alice_file(&alice);
    let groups = file.join("groups/").unwrap();
    assert_eq!(block_on(bob.get(&file)).unwrap_err(), ReadError::Forbidden);

    let link = block_on(grant_file(
        &alice,
        &ALICE.webid(),
        &file,
        &key,
        Access::Read,
        &groups,
    ))
    .unwrap();
    alice_keeps_control(&alice, &file);
    assert!(link.group.as_str().starts_with(groups.as_str()));
    // The link alone is not access: bob has not joined yet.
    assert_eq!(block_on(bob.get(&file)).unwrap_err(), ReadError::Forbidden);

    let received = send_to_bob(&link);
    let opened = block_on(open_file(&bob, &received, &BOB.webid())).unwrap();
    assert_eq!(opened.plaintext.as_slice(), plaintext.as_slice());
    assert_eq!(
        opened.metadata.unwrap().name.as_deref(),
        Some("notes.txt"),
        "the name travels inside the envelope"
    );
    // Read-only: overwriting is refused by the pod.
    let forged = seal(&key, b"bob was here", &SealOptions::default()).unwrap();
    assert_eq!(
        block_on(bob.put(
            &file,
            "application/octet-stream",
            forged,
            &Condition::Always
        )),
        Err(WriteError::Forbidden)
    );
    // Carol knows the file's address but never joined.
    assert_eq!(
        block_on(carol.get(&file)).unwrap_err(),
        ReadError::Forbidden
    );
    alice_keeps_control(&alice, &file);

    block_on(withdraw(
        &alice,
        &ALICE.webid(),
        &link.group,
        &[link.shared.url()],
    ))
    .unwrap();
    assert_eq!(block_on(bob.get(&file)).unwrap_err(), ReadError::Forbidden);
    assert!(matches!(
        block_on(open_file(&bob, &received, &BOB.webid())),
        Err(OpenLinkError::Join(JoinError::Revoked))
    ));
    assert_eq!(
        block_on(alice.get(&link.group)).unwrap_err(),
        ReadError::NotFound,
        "the group document is gone"
    );
    let acl = block_on(alice.read_acl(&file)).unwrap();
    assert!(
        acl.acl
            .authorizations
            .iter()
            .all(|rule| rule.agent_groups.is_empty()),
        "no group grant left: {acl:?}"
    );
    alice_keeps_control(&alice, &file);
    // Revoking again is harmless.
    block_on(withdraw(
        &alice,
        &ALICE.webid(),
        &link.group,
        &[link.shared.url()],
    ))
    .unwrap();
    let body = block_on(alice.get(&file)).unwrap().body;
    assert_eq!(open(&key, &body).unwrap().plaintext.as_slice(), plaintext);
}

#[test]
fn read_write_link_lets_bob_overwrite_and_alice_decrypts_it() {
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE, &BOB]);
    let [alice, bob] = pods(&http, &sessions);
    let (file, key, plaintext) = alice_file(&alice);
    let groups = file.join("groups/").unwrap();

    let link = block_on(grant_file(
        &alice,
        &ALICE.webid(),
        &file,
        &key,
        Access::ReadWrite,
        &groups,
    ))
    .unwrap();
    let received = send_to_bob(&link);
    assert_eq!(received.access, Access::ReadWrite);
    let opened = block_on(open_file(&bob, &received, &BOB.webid())).unwrap();
    assert_eq!(opened.plaintext.as_slice(), plaintext.as_slice());

    // Bob rewrites the file under the key from the link (fresh salt, same key).
    let edited = b"edited by bob".to_vec();
    let envelope = seal(&key, &edited, &SealOptions::default()).unwrap();
    block_on(bob.put(
        &file,
        "application/octet-stream",
        envelope,
        &Condition::Always,
    ))
    .unwrap();
    let body = block_on(alice.get(&file)).unwrap().body;
    assert_eq!(open(&key, &body).unwrap().plaintext.as_slice(), edited);
    alice_keeps_control(&alice, &file);
    // Bob got Write on the file only, not Control: he cannot read its ACL.
    assert!(block_on(bob.read_acl(&file)).is_err());

    block_on(withdraw(
        &alice,
        &ALICE.webid(),
        &link.group,
        &[link.shared.url()],
    ))
    .unwrap();
    let again = seal(&key, b"too late", &SealOptions::default()).unwrap();
    assert_eq!(
        block_on(bob.put(&file, "application/octet-stream", again, &Condition::Always)),
        Err(WriteError::Forbidden)
    );
    alice_keeps_control(&alice, &file);
}

#[test]
fn two_shares_of_one_file_at_once_both_get_their_grant() {
    let http = NativeHttp::new();
    let alice_session = ALICE.login(&http);
    let alice = Pod::new(&http, Some(&alice_session));
    let (file, key, _) = alice_file(&alice);
    let groups = file.join("groups/").unwrap();
    let links: Vec<ShareLink> = std::thread::scope(|scope| {
        let shares: Vec<_> = [Access::Read, Access::ReadWrite]
            .into_iter()
            .map(|access| {
                let (session, file, key, groups) = (&alice_session, &file, &key, &groups);
                scope.spawn(move || {
                    let http = NativeHttp::new();
                    let alice = Pod::new(&http, Some(session));
                    block_on(grant_file(
                        &alice,
                        &ALICE.webid(),
                        file,
                        key,
                        access,
                        groups,
                    ))
                    .unwrap()
                })
            })
            .collect();
        shares.into_iter().map(|s| s.join().unwrap()).collect()
    });
    let acl = block_on(alice.read_acl(&file)).unwrap();
    for link in &links {
        let group = solidcrypt::share::open::link_group(link).iri.to_string();
        assert!(
            acl.acl
                .authorizations
                .iter()
                .any(|rule| rule.agent_groups.contains(&group)),
            "{group} lost its grant: {acl:?}"
        );
    }
    alice_keeps_control(&alice, &file);
    // Revoking one leaves the other.
    block_on(withdraw(
        &alice,
        &ALICE.webid(),
        &links[0].group,
        &[links[0].shared.url()],
    ))
    .unwrap();
    let acl = block_on(alice.read_acl(&file)).unwrap();
    let groups: Vec<_> = acl
        .acl
        .authorizations
        .iter()
        .flat_map(|rule| rule.agent_groups.clone())
        .collect();
    assert_eq!(
        groups,
        [solidcrypt::share::open::link_group(&links[1])
            .iri
            .to_string()]
    );
}

#[test]
fn sharing_a_file_keeps_what_it_inherited_from_its_folder() {
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE, &BOB, &CAROL]);
    let [alice, bob, carol] = pods(&http, &sessions);
    let (file, key, plaintext) = alice_file(&alice);
    let folder = file.join(".").unwrap();
    // The folder is already shared with carol, for everything in it.
    let mut folder_acl = block_on(alice.read_acl(&folder)).unwrap();
    let mut rule = Authorization::new(&folder_acl.url, "carol").unwrap();
    rule.agents.push(CAROL.webid());
    rule.access_to.push(folder.to_string());
    rule.default.push(folder.to_string());
    rule.modes.insert(Mode::Read);
    folder_acl.acl.authorizations.push(rule);
    block_on(alice.write_acl(&folder_acl, &ALICE.webid())).unwrap();
    block_on(carol.get(&file)).expect("carol reads through the folder's rule");

    let groups = folder.join("groups/").unwrap();
    let link = block_on(grant_file(
        &alice,
        &ALICE.webid(),
        &file,
        &key,
        Access::Read,
        &groups,
    ))
    .unwrap();
    block_on(carol.get(&file)).expect("the file's own ACL kept carol's inherited Read");
    let opened = block_on(open_file(&bob, &send_to_bob(&link), &BOB.webid())).unwrap();
    assert_eq!(opened.plaintext.as_slice(), plaintext.as_slice());
    alice_keeps_control(&alice, &file);
}
