#![cfg(not(target_arch = "wasm32"))]
//! Someone else's pod failing never locks me out of my own drive, on a real pod:
//! alice shares a folder with bob, and then her pod (played by a transport that
//! rewrites the answers bob gets for her shared keystore) answers 500, junk, a
//! body too big, or nothing at all. Bob still unlocks, sees the share listed as
//! unavailable with the reason, and lists and uploads in his own drive; his
//! keystores refresh the same way. His own root keystore failing is still an
//! error: never an empty drive.

mod common;

use std::sync::Mutex;

use common::{
    alice_shares_a_folder_with_bob, block_on, drive_password, new_drive, put_file, random_bytes,
    NativeHttp, ALICE, BOB,
};
use solidcrypt::drive::{download_to_memory, list_folder};
use solidcrypt::keystore::master::{unlock, UnlockError};
use solidcrypt::keystore::{KeystoreKind, Unavailable, Unreadable};
use solidcrypt::pod::http::{HttpClient, Method, Request, Response, TransportError};
use solidcrypt::pod::Pod;
use solidcrypt::share::{shared_with_me, Access, Shared};

/// How the hostile pod answers a GET of the trapped resource.
#[derive(Debug, Clone, Copy)]
enum Fault {
    Status(u16),
    Junk,
    TooBig,
    /// No answer (connection refused, dropped, or a CORS refusal in the browser).
    Network,
}

/// Forwards to `inner`, except GETs of the trapped document, answered with the
/// fault: both of its slots (FORMAT.md §4.4), since a reader rightly falls back to
/// the other slot when one is damaged.
struct Hostile<'a> {
    inner: &'a NativeHttp,
    trap: Mutex<Option<(String, Fault)>>,
}

impl Hostile<'_> {
    fn set(&self, url: &str, fault: Fault) {
        *self.trap.lock().unwrap() = Some((url.to_owned(), fault));
    }
}

impl HttpClient for Hostile<'_> {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let fault = match &*self.trap.lock().unwrap() {
            Some((url, fault))
                if request.method == Method::Get
                    && (request.url == *url || request.url == format!("{url}.b")) =>
            {
                Some(*fault)
            }
            _ => None,
        };
        let ok = |body: Vec<u8>| Response {
            status: 200,
            headers: vec![
                ("Content-Type".into(), "application/octet-stream".into()),
                ("ETag".into(), "\"hostile\"".into()),
            ],
            body,
        };
        match fault {
            None => self.inner.send(request).await,
            Some(Fault::Status(status)) => Ok(Response {
                status,
                headers: Vec::new(),
                body: b"<h1>Internal Server Error</h1>".to_vec(),
            }),
            Some(Fault::Junk) => Ok(ok(random_bytes(4096))),
            Some(Fault::TooBig) => Ok(ok(vec![0x5a; 16 * 1024 * 1024 + 1])),
            Some(Fault::Network) => Err(TransportError::Network("connection refused".into())),
        }
    }
}

#[test]
fn a_foreign_keystore_failing_in_any_way_leaves_my_drive_working() {
    let http = NativeHttp::new();
    let hostile = Hostile {
        inner: &http,
        trap: Mutex::new(None),
    };
    let (alice_session, bob_session) = (ALICE.login(&http), BOB.login(&http));
    let alice = Pod::new(&http, Some(&alice_session));
    let bob = Pod::new(&hostile, Some(&bob_session));
    let (alice_layout, alice_keys) = new_drive(&alice, &ALICE);
    let (bob_layout, bob_keys) = new_drive(&bob, &BOB);
    let mine = put_file(
        &bob,
        &bob_keys,
        &bob_layout.files(),
        "mine.txt",
        b"bob's own",
    );
    let (folder, link) = alice_shares_a_folder_with_bob(
        (&alice, &alice_keys),
        &alice_layout,
        (&bob, &bob_keys),
        "Shared",
        Access::ReadWrite,
    );
    put_file(&alice, &alice_keys, &folder, "theirs.txt", b"alice's");
    let Shared::Folder { keystore, .. } = &link.shared else {
        panic!("a folder link")
    };

    let faults = [
        (Fault::Status(500), Unreadable::Failing(500)),
        (Fault::Status(503), Unreadable::Failing(503)),
        (Fault::Junk, Unreadable::Damaged),
        (Fault::TooBig, Unreadable::TooBig),
        (Fault::Network, Unreadable::Unreachable),
    ];
    for (fault, reason) in faults {
        hostile.set(keystore.as_str(), fault);
        let expected = vec![Unavailable {
            keystore: keystore.to_string(),
            reason,
        }];
        let keys = block_on(unlock(&bob, &bob_layout, &drive_password()))
            .unwrap_or_else(|e| panic!("{fault:?} locked bob out: {e}"));
        assert_eq!(keys.unavailable(), expected, "{fault:?}");
        let shared = shared_with_me(&keys);
        assert_eq!(shared.len(), 1);
        assert_eq!(shared[0].unavailable, Some(reason), "{fault:?}");
        assert!(!reason.to_string().is_empty());

        // His own drive: listed, downloaded, and written to.
        let items = block_on(list_folder(&bob, &keys, &bob_layout.files())).unwrap();
        assert!(items.iter().any(|i| i.name == "mine.txt"), "{items:?}");
        let (_, sink) = block_on(download_to_memory(&bob, &keys, &mine)).unwrap();
        assert_eq!(sink.0.to_vec(), b"bob's own");
        put_file(&bob, &keys, &bob_layout.files(), "more.txt", b"more");

        // Refreshing an unlocked keyring behaves the same, and recovers.
        hostile.set("nothing", fault);
        block_on(bob_keys.refresh(&bob)).unwrap();
        assert!(bob_keys.unavailable().is_empty());
        hostile.set(keystore.as_str(), fault);
        block_on(bob_keys.refresh(&bob))
            .unwrap_or_else(|e| panic!("{fault:?} failed the refresh: {e}"));
        assert_eq!(bob_keys.unavailable(), expected, "{fault:?}");
    }
}

#[test]
fn my_root_keystore_failing_is_an_error_never_an_empty_drive() {
    let http = NativeHttp::new();
    let hostile = Hostile {
        inner: &http,
        trap: Mutex::new(None),
    };
    let session = BOB.login(&http);
    let bob = Pod::new(&hostile, Some(&session));
    let (layout, keys) = new_drive(&bob, &BOB);
    let root = keys
        .keystores()
        .into_iter()
        .find(|e| e.kind == KeystoreKind::Root)
        .unwrap();
    for fault in [
        Fault::Status(500),
        Fault::Status(403),
        Fault::Junk,
        Fault::TooBig,
        Fault::Network,
    ] {
        hostile.set(&root.url, fault);
        let unlocked = block_on(unlock(&bob, &layout, &drive_password()));
        assert!(
            matches!(unlocked, Err(UnlockError::Keystore(_))),
            "{fault:?}: {unlocked:?}"
        );
        assert!(block_on(keys.refresh(&bob)).is_err(), "{fault:?}");
    }
}
