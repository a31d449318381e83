#![cfg(not(target_arch = "wasm32"))]
//! Sharing when things go wrong, on a real pod: altered links are refused with a
//! typed error and store nothing; a request that fails or whose answer is lost
//! while accepting or revoking leaves a state from which trying again succeeds,
//! and a revocation that fails half-way never leaves a file its keystores cannot
//! open.

mod common;

use std::sync::Mutex;

use common::{
    alice_shares_file, alice_shares_folder, block_on, log_in, new_drive, pods, put_file,
    NativeHttp, ALICE, BOB,
};
use solidcrypt::crypto::envelope::open;
use solidcrypt::crypto::SecretKey;
use solidcrypt::drive::new_folder;
use solidcrypt::keystore::KeyringError;
use solidcrypt::pod::http::{HttpClient, Method, Request, Response, TransportError};
use solidcrypt::pod::Pod;
use solidcrypt::share::{
    accept, links_created, revoke, shared_with_me, AcceptError, Access, JoinError, RevokeError,
    ShareLink, Shared,
};
use url::Url;

/// Forwards to `inner`, except the next request matching `method` and a path
/// containing `needle`: answered with `status`, or (status 0) dropped after it
/// reached the pod, as when the connection dies before the answer.
struct Faulty<'a> {
    inner: &'a NativeHttp,
    trap: Mutex<Option<(Method, String, u16)>>,
}

impl<'a> Faulty<'a> {
    fn new(inner: &'a NativeHttp) -> Self {
        Faulty {
            inner,
            trap: Mutex::new(None),
        }
    }

    fn fail_next(&self, method: Method, needle: &str, status: u16) {
        *self.trap.lock().unwrap() = Some((method, needle.to_owned(), status));
    }

    fn sprung(&self) -> bool {
        self.trap.lock().unwrap().is_none()
    }
}

impl HttpClient for Faulty<'_> {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let hit = {
            let mut trap = self.trap.lock().unwrap();
            let matches = trap
                .as_ref()
                .is_some_and(|(m, needle, _)| *m == request.method && request.url.contains(needle));
            if matches {
                trap.take().map(|(_, _, status)| status)
            } else {
                None
            }
        };
        match hit {
            Some(0) => {
                self.inner.send(request).await?;
                Err(TransportError::Network("connection dropped".into()))
            }
            Some(status) => Ok(Response {
                status,
                headers: Vec::new(),
                body: Vec::new(),
            }),
            None => self.inner.send(request).await,
        }
    }
}

fn app() -> Url {
    Url::parse("http://localhost:8080/").unwrap()
}

/// `link` with its keystore key (or, key-in-link, its file key) replaced.
fn with_other_key(link: &ShareLink) -> ShareLink {
    let mut altered = link.clone();
    let other = SecretKey::generate().unwrap();
    match &mut altered.shared {
        Shared::FileKey { key, .. } => *key = other,
        Shared::File { keystore_key, .. } | Shared::Folder { keystore_key, .. } => {
            *keystore_key = other
        }
    }
    ShareLink::parse(&altered.to_url(&app())).unwrap()
}

#[test]
fn altered_links_are_refused_and_store_nothing() {
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE, &BOB]);
    let [alice, bob] = pods(&http, &sessions);
    let anonymous = Pod::new(&http, None);
    let (alice_layout, alice_keys) = new_drive(&alice, &ALICE);
    let (_, bob_keys) = new_drive(&bob, &BOB);
    let folder = block_on(new_folder(&alice, &alice_keys, &alice_layout.files(), "F")).unwrap();
    let file = put_file(&alice, &alice_keys, &folder, "a.txt", b"aaa");
    let file_link = alice_shares_file(&alice, &alice_keys, &file, Access::Read);
    let folder_link = alice_shares_folder(&alice, &alice_keys, &folder, Access::Read);

    assert!(matches!(
        block_on(accept(
            &bob,
            &bob_keys,
            &with_other_key(&file_link),
            &BOB.webid()
        )),
        Err(AcceptError::BadKeystore(_))
    ));
    // The same link in the key-in-link form, with a key that is not the file's.
    let key_in_link = ShareLink {
        shared: Shared::FileKey {
            url: file.clone(),
            key: SecretKey::generate().unwrap(),
        },
        ..file_link.clone()
    };
    assert!(matches!(
        block_on(accept(
            &bob,
            &bob_keys,
            &with_other_key(&key_in_link),
            &BOB.webid()
        )),
        Err(AcceptError::StaleKey(_))
    ));
    assert!(matches!(
        block_on(accept(
            &bob,
            &bob_keys,
            &with_other_key(&folder_link),
            &BOB.webid()
        )),
        Err(AcceptError::BadKeystore(_))
    ));
    // A group that does not exist (a made-up or revoked link).
    let mut made_up = file_link.clone();
    made_up.group = alice_layout
        .groups()
        .join("group-0123456789abcdef0123456789abcdef.ttl")
        .unwrap();
    assert!(matches!(
        block_on(accept(&bob, &bob_keys, &made_up, &BOB.webid())),
        Err(AcceptError::Join(JoinError::Revoked))
    ));
    // Not logged in.
    assert!(matches!(
        block_on(accept(&anonymous, &bob_keys, &file_link, &BOB.webid())),
        Err(AcceptError::Join(JoinError::NotLoggedIn))
    ));
    assert!(shared_with_me(&bob_keys).is_empty());
    assert_eq!(bob_keys.keystores().len(), 1, "only bob's root keystore");
    // The real links still work.
    block_on(accept(&bob, &bob_keys, &file_link, &BOB.webid())).unwrap();
    block_on(accept(&bob, &bob_keys, &folder_link, &BOB.webid())).unwrap();
    assert_eq!(shared_with_me(&bob_keys).len(), 2);
}

#[test]
fn failures_while_accepting_can_be_retried() {
    let http = NativeHttp::new();
    let faulty = Faulty::new(&http);
    let (alice_session, bob_session) = (ALICE.login(&http), BOB.login(&http));
    let alice = Pod::new(&http, Some(&alice_session));
    let bob = Pod::new(&faulty, Some(&bob_session));
    let (alice_layout, alice_keys) = new_drive(&alice, &ALICE);
    let (_, bob_keys) = new_drive(&bob, &BOB);
    let file = put_file(&alice, &alice_keys, &alice_layout.files(), "b.txt", b"bbb");
    let link = alice_shares_file(&alice, &alice_keys, &file, Access::Read);

    // The answer to the join is lost (the join itself happened).
    faulty.fail_next(Method::Patch, "group-", 0);
    assert!(block_on(accept(&bob, &bob_keys, &link, &BOB.webid())).is_err());
    assert!(faulty.sprung());
    // The pod fails the index write: the key may be in the received keystore, but
    // the share is not listed.
    faulty.fail_next(Method::Put, "keystores.json.enc", 503);
    let failed = block_on(accept(&bob, &bob_keys, &link, &BOB.webid()));
    assert!(faulty.sprung());
    assert!(
        matches!(failed, Err(AcceptError::Keyring(KeyringError::Index(_)))),
        "{failed:?}"
    );
    assert!(shared_with_me(&bob_keys).is_empty());

    // Accepting again completes it.
    block_on(accept(&bob, &bob_keys, &link, &BOB.webid())).unwrap();
    let shared = shared_with_me(&bob_keys);
    assert_eq!(shared.len(), 1, "{shared:?}");
    assert_eq!(shared[0].name, "b.txt");
}

#[test]
fn a_revocation_that_fails_half_way_keeps_files_readable_and_can_be_retried() {
    let http = NativeHttp::new();
    let faulty = Faulty::new(&http);
    let alice_session = ALICE.login(&http);
    let alice = Pod::new(&faulty, Some(&alice_session));
    let (alice_layout, alice_keys) = new_drive(&alice, &ALICE);
    let folder = block_on(new_folder(&alice, &alice_keys, &alice_layout.files(), "G")).unwrap();
    let one = put_file(&alice, &alice_keys, &folder, "1.txt", b"one");
    let two = put_file(&alice, &alice_keys, &folder, "2.txt", b"two");
    alice_shares_folder(&alice, &alice_keys, &folder, Access::ReadWrite);
    let created = block_on(links_created(&alice, &alice_keys))
        .unwrap()
        .remove(0);

    // The pod refuses the second re-encrypted file.
    // Files are rotated in URL order: fail the later one.
    let second = one.clone().max(two.clone());
    faulty.fail_next(Method::Put, second.path(), 500);
    let failed = block_on(revoke(
        &alice,
        &alice_keys,
        &ALICE.webid(),
        &created,
        &|_| {},
    ));
    assert!(faulty.sprung());
    assert!(
        matches!(failed, Err(RevokeError::Rotate { .. })),
        "{failed:?}"
    );
    // Every file still opens with the key its keystores hold (fresh unlock too).
    let fresh = block_on(solidcrypt::keystore::master::unlock(
        &alice,
        &alice_layout,
        &common::drive_password(),
    ))
    .unwrap();
    for keys in [&alice_keys, &fresh] {
        for url in [&one, &two] {
            let key = keys.lookup(url.as_str()).unwrap().key.unwrap();
            let body = block_on(alice.get(url)).unwrap().body;
            assert!(
                open(&key, &body).is_ok(),
                "{url} does not open with its key"
            );
        }
    }
    assert_eq!(
        block_on(links_created(&alice, &alice_keys)).unwrap().len(),
        1,
        "the link stays listed until the revocation is complete"
    );

    // Trying again finishes the job.
    let revoked = block_on(revoke(
        &alice,
        &alice_keys,
        &ALICE.webid(),
        &created,
        &|_| {},
    ))
    .unwrap();
    assert_eq!(revoked.rotated.len(), 2);
    assert!(block_on(links_created(&alice, &alice_keys))
        .unwrap()
        .is_empty());
    for url in [&one, &two] {
        let key = alice_keys.lookup(url.as_str()).unwrap().key.unwrap();
        assert!(open(&key, &block_on(alice.get(url)).unwrap().body).is_ok());
    }
}
