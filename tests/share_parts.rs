#![cfg(not(target_arch = "wasm32"))]
//! Sharing files stored in parts (FORMAT.md §1.8) on a real pod: a file link
//! reaches every part (the grant is on the container, inherited by the parts),
//! accepting reads only the first part's start, and revoking rotates the key by
//! writing a new generation of parts; a rotation failing half-way leaves the file
//! readable with the key its keystores hold and no stray parts.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};

use common::{
    alice_keeps_control, alice_shares_file, alice_shares_folder, as_text, block_on, drive_password,
    new_drive, new_top_folder, put_in_parts, random_bytes, NativeHttp, ALICE, BOB, CAROL,
};
use solidcrypt::crypto::envelope::open;
use solidcrypt::crypto::SecretKey;
use solidcrypt::drive::download_to_memory;
use solidcrypt::drive::parts::{generations, part_urls};
use solidcrypt::keystore::master::unlock;
use solidcrypt::keystore::Keyring;
use solidcrypt::pod::acl::Mode;
use solidcrypt::pod::error::{ReadError, WriteError};
use solidcrypt::pod::http::{HttpClient, Method, Request, Response, TransportError};
use solidcrypt::pod::resource::Condition;
use solidcrypt::pod::Pod;
use solidcrypt::share::{accept, links_created, revoke, Accepted, Access, RevokeError};
use url::Url;

fn key_of(keyring: &Keyring, url: &Url) -> SecretKey {
    keyring.lookup(url.as_str()).unwrap().key.unwrap()
}

/// The generation ids in the parts container `url`.
fn generation_ids<H: HttpClient>(pod: &Pod<'_, H>, url: &Url) -> Vec<String> {
    generations(&block_on(pod.list(url)).unwrap())
        .into_iter()
        .map(|g| g.id)
        .collect()
}

#[test]
fn a_file_link_to_a_file_in_parts_reaches_every_part_and_revoking_rotates_them() {
    let http = NativeHttp::new();
    let (alice_session, bob_session, carol_session) =
        (ALICE.login(&http), BOB.login(&http), CAROL.login(&http));
    let alice = Pod::new(&http, Some(&alice_session));
    let counted = common::Counting::new(&http);
    let bob = Pod::new(&counted, Some(&bob_session));
    let carol = Pod::new(&http, Some(&carol_session));
    let (alice_layout, alice_keys) = new_drive(&alice, &ALICE);
    let (_, bob_keys) = new_drive(&bob, &BOB);
    let content = random_bytes(300 * 1024 + 7);
    let file = put_in_parts(
        &alice,
        &alice_keys,
        &alice_layout.files(),
        "film.mp4",
        &content,
    );
    assert!(file.path().ends_with('/'), "a file in parts is a container");
    let old_key = key_of(&alice_keys, &file);
    let old_parts = block_on(part_urls(&alice, &file, &old_key)).unwrap();
    assert!(old_parts.len() >= 4, "{old_parts:?}");

    let link = alice_shares_file(&alice, &alice_keys, &file, Access::Read);
    alice_keeps_control(&alice, &file);

    // Accepting checks the key on the first part's start, not the whole file.
    counted.take();
    let accepted = block_on(accept(&bob, &bob_keys, &as_text(&link), &BOB.webid())).unwrap();
    let requests = common::after_preview(counted.take());
    let Accepted::File {
        metadata,
        content: read,
        ..
    } = accepted
    else {
        panic!("a file link opens a file")
    };
    assert!(read.is_none(), "a file in parts is not read by accepting");
    assert_eq!(metadata.name.as_deref(), Some("film.mp4"));
    assert_eq!(metadata.size, Some(content.len() as u64));
    // Two slots per keystore and index (FORMAT.md §4.4): two more requests.
    assert!(requests.len() <= 8, "accepting took {requests:?}");
    assert_eq!(
        requests
            .iter()
            .filter(|r| r.starts_with("GET ") && r.contains(file.path()))
            .count(),
        2,
        "the container listing and the start of part 0: {requests:?}"
    );

    // Bob reads every part; carol none; bob cannot add or replace parts.
    let (_, got) = block_on(download_to_memory(&bob, &bob_keys, &file)).unwrap();
    assert_eq!(got.0.as_slice(), content.as_slice());
    for part in &old_parts {
        assert_eq!(block_on(carol.get(part)).unwrap_err(), ReadError::Forbidden);
    }
    let extra = file.join("ffffffffffffffff-99").unwrap();
    assert_eq!(
        block_on(bob.put(
            &extra,
            "application/octet-stream",
            vec![1],
            &Condition::IfAbsent
        )),
        Err(WriteError::Forbidden)
    );
    assert_eq!(
        block_on(bob.put(
            &old_parts[1],
            "application/octet-stream",
            vec![1],
            &Condition::Always
        )),
        Err(WriteError::Forbidden)
    );

    // Revoking: bob is out, and the file is a new generation under a new key.
    let before = generation_ids(&alice, &file);
    let created = block_on(links_created(&alice, &alice_keys))
        .unwrap()
        .remove(0);
    let revoked = block_on(revoke(
        &alice,
        &alice_keys,
        &ALICE.webid(),
        &created,
        &|_| {},
    ))
    .unwrap();
    assert_eq!(revoked.rotated, vec![file.clone()]);
    // (Its own ACL is gone with the last link: the file follows its folder again.)
    let after = generation_ids(&alice, &file);
    assert_eq!(after.len(), 1, "the old generation is deleted: {after:?}");
    assert_ne!(after, before);
    let new_key = key_of(&alice_keys, &file);
    assert_ne!(new_key.expose_bytes(), old_key.expose_bytes());
    let new_parts = block_on(part_urls(&alice, &file, &new_key)).unwrap();
    assert_eq!(
        block_on(bob.get(&new_parts[0])).unwrap_err(),
        ReadError::Forbidden,
        "bob is out"
    );
    // The old key (bob's, and the link's) opens nothing any more.
    let stored: Vec<u8> = new_parts
        .iter()
        .flat_map(|part| block_on(alice.get(part)).unwrap().body)
        .collect();
    assert!(open(&old_key, &stored).is_err());
    assert_eq!(
        open(&new_key, &stored).unwrap().plaintext.as_slice(),
        content.as_slice()
    );
    let fresh = block_on(unlock(&alice, &alice_layout, &drive_password())).unwrap();
    let (metadata, got) = block_on(download_to_memory(&alice, &fresh, &file)).unwrap();
    assert_eq!(got.0.as_slice(), content.as_slice());
    assert_eq!(metadata.name.as_deref(), Some("film.mp4"));
}

/// Forwards to the pod, except that the first PUT of a part numbered 1 inside
/// `container` (while armed) is answered 500.
struct FailSecondPart<'a> {
    inner: &'a NativeHttp,
    container: String,
    armed: AtomicBool,
}

impl HttpClient for FailSecondPart<'_> {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let hit = request.method == Method::Put
            && request.url.starts_with(&self.container)
            && request.url.ends_with("-1");
        if hit && self.armed.swap(false, Ordering::SeqCst) {
            return Ok(Response {
                status: 500,
                headers: Vec::new(),
                body: Vec::new(),
            });
        }
        self.inner.send(request).await
    }
}

#[test]
fn a_folder_link_reaches_parts_and_a_rotation_failing_half_way_keeps_the_file_readable() {
    let http = NativeHttp::new();
    let alice_session = ALICE.login(&http);
    let bob_session = BOB.login(&http);
    let plain = Pod::new(&http, Some(&alice_session));
    let bob = Pod::new(&http, Some(&bob_session));
    let (alice_layout, alice_keys) = new_drive(&plain, &ALICE);
    let (_, bob_keys) = new_drive(&bob, &BOB);
    let folder = new_top_folder(&plain, &alice_keys, &alice_layout, "Films");
    let content = random_bytes(200 * 1024);
    let file = put_in_parts(&plain, &alice_keys, &folder, "clip.mp4", &content);
    let link = alice_shares_folder(&plain, &alice_keys, &folder, Access::ReadWrite);
    block_on(accept(&bob, &bob_keys, &as_text(&link), &BOB.webid())).unwrap();
    let (_, got) = block_on(download_to_memory(&bob, &bob_keys, &file)).unwrap();
    assert_eq!(
        got.0.as_slice(),
        content.as_slice(),
        "the folder's grant reaches parts"
    );
    let acl = block_on(plain.read_acl(&folder)).unwrap();
    assert!(acl.acl.authorizations.iter().any(|rule| {
        rule.default.iter().any(|d| d == folder.as_str()) && rule.modes.contains(&Mode::Write)
    }));

    // The pod refuses the second part of the re-encrypted file.
    let faulty = FailSecondPart {
        inner: &http,
        container: file.to_string(),
        armed: AtomicBool::new(true),
    };
    let alice = Pod::new(&faulty, Some(&alice_session));
    let before = generation_ids(&alice, &file);
    let created = block_on(links_created(&alice, &alice_keys))
        .unwrap()
        .remove(0);
    let failed = block_on(revoke(
        &alice,
        &alice_keys,
        &ALICE.webid(),
        &created,
        &|_| {},
    ));
    assert!(!faulty.armed.load(Ordering::SeqCst), "the trap was sprung");
    assert!(
        matches!(failed, Err(RevokeError::Rotate { .. })),
        "{failed:?}"
    );
    assert_eq!(
        generation_ids(&alice, &file),
        before,
        "the parts written are deleted again"
    );
    let fresh = block_on(unlock(&alice, &alice_layout, &drive_password())).unwrap();
    for keys in [&alice_keys, &fresh] {
        let (_, got) = block_on(download_to_memory(&alice, keys, &file)).unwrap();
        assert_eq!(
            got.0.as_slice(),
            content.as_slice(),
            "the file opens with its key"
        );
    }

    // Trying again finishes the job.
    let revoked = block_on(revoke(
        &alice,
        &alice_keys,
        &ALICE.webid(),
        &created,
        &|_| {},
    ))
    .unwrap();
    assert!(revoked.rotated.contains(&file));
    let after = generation_ids(&alice, &file);
    assert_eq!(after.len(), 1);
    assert_ne!(after, before);
    let (_, got) = block_on(download_to_memory(&alice, &alice_keys, &file)).unwrap();
    assert_eq!(got.0.as_slice(), content.as_slice());
    let new_parts = block_on(part_urls(&alice, &file, &key_of(&alice_keys, &file))).unwrap();
    assert_eq!(
        block_on(bob.get(&new_parts[0])).unwrap_err(),
        ReadError::Forbidden,
        "bob is out"
    );
}
