#![cfg(not(target_arch = "wasm32"))]
//! Resources on a real pod: read/write/delete with ETags, conditional writes, and
//! the typed errors for 401/403/404/412.

mod common;

use std::sync::Barrier;

use common::{block_on, scratch_container, NativeHttp, ALICE, BOB};
use solidcrypt::pod::error::{ReadError, WriteError};
use solidcrypt::pod::http::{HttpClient, Request, Response, TransportError};
use solidcrypt::pod::resource::Condition;
use solidcrypt::pod::Pod;

#[test]
fn put_get_head_delete_round_trip() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let folder = scratch_container(&pod, &ALICE.storage());
    let file = folder.join("hello.bin").unwrap();

    let bytes = vec![0u8, 1, 2, 255, 254];
    block_on(pod.put(
        &file,
        "application/octet-stream",
        bytes.clone(),
        &Condition::IfAbsent,
    ))
    .unwrap();
    let got = block_on(pod.get(&file)).unwrap();
    assert_eq!(got.body, bytes);
    assert_eq!(
        got.meta.content_type.as_deref(),
        Some("application/octet-stream")
    );
    let etag = got.meta.etag.clone().expect("GET has an ETag");
    assert_eq!(block_on(pod.head(&file)).unwrap().etag, Some(etag));

    block_on(pod.delete(&file, &Condition::Always)).unwrap();
    assert_eq!(block_on(pod.get(&file)).unwrap_err(), ReadError::NotFound);
    assert_eq!(
        block_on(pod.delete(&file, &Condition::Always)).unwrap_err(),
        WriteError::NotFound
    );
}

/// `get_start` asks for a prefix only; CSS 7 honours `Range`, so a big file's
/// header is read without the rest (the Counting transport sees the short body).
/// Remembers the size of the last response body the pod sent.
struct BodySizes<'a> {
    inner: &'a NativeHttp,
    last: std::cell::Cell<usize>,
}

impl HttpClient for BodySizes<'_> {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let response = self.inner.send(request).await?;
        self.last.set(response.body.len());
        Ok(response)
    }
}

#[test]
fn the_start_of_a_resource_is_read_without_the_rest() {
    let inner = NativeHttp::new();
    let http = BodySizes {
        inner: &inner,
        last: Default::default(),
    };
    let session = ALICE.login(&inner);
    let plain = Pod::new(&inner, Some(&session));
    let pod = Pod::new(&http, Some(&session));
    let folder = scratch_container(&plain, &ALICE.storage());
    let file = folder.join("big.bin").unwrap();
    let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    block_on(plain.put(
        &file,
        "application/octet-stream",
        bytes.clone(),
        &Condition::IfAbsent,
    ))
    .unwrap();

    let start = block_on(pod.get_start(&file, 1000)).unwrap();
    assert_eq!(start.body, bytes[..1000]);
    assert_eq!(http.last.get(), 1000, "the pod sent more than the range");
    let all = block_on(pod.get_start(&file, 1_000_000)).unwrap();
    assert_eq!(
        all.body, bytes,
        "asking for more than there is gives everything"
    );
}

#[test]
fn conditional_writes_surface_conflicts() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let folder = scratch_container(&pod, &ALICE.storage());
    let file = folder.join("keystore.json").unwrap();

    block_on(pod.put(
        &file,
        "application/json",
        b"1".to_vec(),
        &Condition::IfAbsent,
    ))
    .unwrap();
    assert_eq!(
        block_on(pod.put(
            &file,
            "application/json",
            b"2".to_vec(),
            &Condition::IfAbsent
        ))
        .unwrap_err(),
        WriteError::Conflict,
        "If-None-Match: * must not overwrite"
    );
    let old = block_on(pod.head(&file)).unwrap().etag.unwrap();
    block_on(pod.put(
        &file,
        "application/json",
        b"3".to_vec(),
        &Condition::IfMatch(old.clone()),
    ))
    .unwrap();
    assert_eq!(
        block_on(pod.put(
            &file,
            "application/json",
            b"4".to_vec(),
            &Condition::IfMatch(old)
        ))
        .unwrap_err(),
        WriteError::Conflict,
        "a stale ETag must not overwrite"
    );
    assert_eq!(block_on(pod.get(&file)).unwrap().body, b"3");
}

#[test]
fn two_writers_racing_on_one_etag_exactly_one_wins() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let folder = scratch_container(&pod, &ALICE.storage());
    let file = folder.join("race.json").unwrap();
    block_on(pod.put(
        &file,
        "application/json",
        b"start".to_vec(),
        &Condition::IfAbsent,
    ))
    .unwrap();
    let etag = block_on(pod.head(&file)).unwrap().etag.unwrap();

    let barrier = Barrier::new(2);
    let results: Vec<Result<(), WriteError>> = std::thread::scope(|scope| {
        let writers: Vec<_> = ["writer-a", "writer-b"]
            .into_iter()
            .map(|body| {
                let (session, etag, file, barrier) = (&session, &etag, &file, &barrier);
                scope.spawn(move || {
                    let http = NativeHttp::new();
                    let pod = Pod::new(&http, Some(session));
                    barrier.wait();
                    block_on(pod.put(
                        file,
                        "application/json",
                        body.into(),
                        &Condition::IfMatch(etag.clone()),
                    ))
                })
            })
            .collect();
        writers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let wins = results.iter().filter(|r| r.is_ok()).count();
    let conflicts = results
        .iter()
        .filter(|r| **r == Err(WriteError::Conflict))
        .count();
    assert_eq!((wins, conflicts), (1, 1), "{results:?}");

    // The loser re-reads and retries on the new ETag, and then succeeds.
    let fresh = block_on(pod.get(&file)).unwrap();
    assert!(fresh.body == b"writer-a" || fresh.body == b"writer-b");
    block_on(pod.put(
        &file,
        "application/json",
        b"merged".to_vec(),
        &Condition::IfMatch(fresh.meta.etag.unwrap()),
    ))
    .unwrap();
}

#[test]
fn anonymous_and_foreign_access_get_typed_errors() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let alice = Pod::new(&http, Some(&session));
    let folder = scratch_container(&alice, &ALICE.storage());
    let file = folder.join("private.txt").unwrap();
    block_on(alice.put(
        &file,
        "text/plain",
        b"secret".to_vec(),
        &Condition::IfAbsent,
    ))
    .unwrap();

    let anonymous = Pod::new(&http, None);
    assert_eq!(
        block_on(anonymous.get(&file)).unwrap_err(),
        ReadError::Unauthorized
    );
    assert_eq!(
        block_on(anonymous.put(&file, "text/plain", b"x".to_vec(), &Condition::Always))
            .unwrap_err(),
        WriteError::Unauthorized
    );
    let bob_session = BOB.login(&http);
    let bob = Pod::new(&http, Some(&bob_session));
    assert_eq!(block_on(bob.get(&file)).unwrap_err(), ReadError::Forbidden);
    assert_eq!(
        block_on(bob.delete(&file, &Condition::Always)).unwrap_err(),
        WriteError::Forbidden
    );
}

#[test]
fn an_unreachable_pod_is_a_network_error() {
    let http = NativeHttp::new();
    // Port 9 (discard) on localhost: nothing listens there in the test environment.
    let nowhere = url::Url::parse("http://localhost:9/alice/file").unwrap();
    let error = block_on(Pod::new(&http, None).get(&nowhere)).unwrap_err();
    assert!(
        matches!(error, ReadError::Transport(TransportError::Network(_))),
        "{error:?}"
    );
}
