#![cfg(not(target_arch = "wasm32"))]
//! Solid Notifications on a real pod (issue 13): alice subscribes to a folder over
//! WebSocketChannel2023, bob (who may write there) adds and removes a member, and
//! the socket delivers `Add` and `Remove` events naming exactly that member. Also
//! what the polling fallback sees, and who may subscribe.

mod common;

use std::time::{Duration, Instant};

use common::socket::Socket;
use common::{block_on, log_in, scratch_container, NativeHttp, ALICE, BOB, CAROL};
use solidcrypt::pod::live::{parse_activity, Change, Event, Polled, SubscribeError};
use solidcrypt::pod::resource::Condition;
use solidcrypt::pod::Pod;
use url::Url;

/// Lets bob read and write in `folder` (and alice keep control).
fn let_bob_write(alice: &Pod<'_, NativeHttp>, folder: &Url) {
    let acl = format!(
        "@prefix acl: <http://www.w3.org/ns/auth/acl#>.\n\
         <#owner> a acl:Authorization; acl:agent <{alice}>; acl:accessTo <./>; acl:default <./>;\n\
           acl:mode acl:Read, acl:Write, acl:Control.\n\
         <#bob> a acl:Authorization; acl:agent <{bob}>; acl:accessTo <./>; acl:default <./>;\n\
           acl:mode acl:Read, acl:Write.\n",
        alice = ALICE.webid(),
        bob = BOB.webid()
    );
    let url = block_on(alice.acl_url(folder)).unwrap();
    block_on(alice.put(&url, "text/turtle", acl.into_bytes(), &Condition::Always)).unwrap();
}

/// Reads messages for up to `wait` until one parses into an event `wanted`
/// accepts; every raw message is printed (`--nocapture`), which is how the
/// vectors in tests/vectors/notifications_v1.json were recorded.
fn wait_for(
    socket: &mut Socket,
    topic: &Url,
    wait: Duration,
    wanted: impl Fn(&Event) -> bool,
) -> Option<Event> {
    let deadline = Instant::now() + wait;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        let message = socket.next_text(left)?;
        println!("notification: {message}");
        match parse_activity(message.as_bytes(), topic) {
            Ok(Some(event)) if wanted(&event) => return Some(event),
            Ok(_) => {}
            Err(e) => panic!("the pod's own notification was refused: {e}: {message}"),
        }
    }
    None
}

/// Subscribes to `topic`, retrying what the app retries (`SubscribeError::Unavailable`,
/// `is_final` false): Community Solid Server answers its storage description with
/// 501 ("Only supports descriptions of storage containers") while another request
/// rewrites the storage root's metadata (a child created by a test running beside
/// this one), as `scripts/test` once saw.
fn subscribe(pod: &Pod<'_, NativeHttp>, topic: &Url) -> solidcrypt::pod::live::Channel {
    let mut tries = 0;
    loop {
        match block_on(pod.subscribe_websocket(topic)) {
            Ok(channel) => return channel,
            Err(e) if !e.is_final() && tries < 10 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(e) => panic!("subscribe to {topic}: {e:?}"),
        }
    }
}

#[test]
fn a_member_bob_adds_and_removes_arrives_as_add_and_remove_of_its_url() {
    let http = NativeHttp::new();
    let [alice_session, bob_session] = log_in(&http, [&ALICE, &BOB]);
    let alice = Pod::new(&http, Some(&alice_session));
    let bob = Pod::new(&http, Some(&bob_session));
    let folder = scratch_container(&alice, &ALICE.storage());
    let_bob_write(&alice, &folder);

    let channel = subscribe(&alice, &folder);
    assert_eq!(channel.topic, folder);
    assert_eq!(channel.receive_from.host_str(), folder.host_str());
    let mut socket = Socket::connect(&channel.receive_from);

    let member = folder.join("c2VjcmV0.bin").unwrap();
    let put = bob.put(
        &member,
        "application/octet-stream",
        vec![7; 64],
        &Condition::IfAbsent,
    );
    block_on(put).unwrap();
    let added = wait_for(&mut socket, &folder, Duration::from_secs(5), |e| {
        e.change == Change::Added
    })
    .expect("an Add event within 5 s");
    assert_eq!(added.object, member);
    assert_eq!(added.target.as_ref(), Some(&folder));
    assert!(added.published.is_some(), "{added:?}");

    block_on(bob.delete(&member, &Condition::Always)).unwrap();
    let removed = wait_for(&mut socket, &folder, Duration::from_secs(5), |e| {
        e.change == Change::Removed
    })
    .expect("a Remove event within 5 s");
    assert_eq!(removed.object, member);
}

#[test]
fn subscribing_needs_read_on_the_folder() {
    let http = NativeHttp::new();
    let [alice_session, carol_session] = log_in(&http, [&ALICE, &CAROL]);
    let alice = Pod::new(&http, Some(&alice_session));
    let carol = Pod::new(&http, Some(&carol_session));
    let folder = scratch_container(&alice, &ALICE.storage());
    let refused = block_on(carol.subscribe_websocket(&folder)).unwrap_err();
    assert_eq!(refused, SubscribeError::Refused(403));
    assert!(refused.is_final(), "carol polls (and is refused) instead");
}

#[test]
fn polling_sees_a_change_and_a_304_otherwise() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let alice = Pod::new(&http, Some(&session));
    let folder = scratch_container(&alice, &ALICE.storage());
    let Polled::Changed(Some(etag)) = block_on(alice.poll(&folder, None)).unwrap() else {
        panic!("the first poll has an ETag")
    };
    assert_eq!(
        block_on(alice.poll(&folder, Some(&etag))).unwrap(),
        Polled::Unchanged
    );
    let member = folder.join("new.bin").unwrap();
    block_on(alice.put(
        &member,
        "application/octet-stream",
        vec![1],
        &Condition::IfAbsent,
    ))
    .unwrap();
    match block_on(alice.poll(&folder, Some(&etag))).unwrap() {
        Polled::Changed(Some(new)) => assert_ne!(new, etag),
        other => panic!("the folder changed: {other:?}"),
    }
}

#[test]
fn a_watched_file_gets_update_and_delete() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let alice = Pod::new(&http, Some(&session));
    let folder = scratch_container(&alice, &ALICE.storage());
    let file = folder.join("keystore.bin").unwrap();
    block_on(alice.put(
        &file,
        "application/octet-stream",
        vec![1],
        &Condition::IfAbsent,
    ))
    .unwrap();
    let channel = subscribe(&alice, &file);
    let mut socket = Socket::connect(&channel.receive_from);
    block_on(alice.put(
        &file,
        "application/octet-stream",
        vec![2],
        &Condition::Always,
    ))
    .unwrap();
    let updated = wait_for(&mut socket, &file, Duration::from_secs(5), |e| {
        e.change == Change::Updated
    })
    .expect("an Update event within 5 s");
    assert_eq!((updated.object, updated.target), (file.clone(), None));
    assert!(updated.state.is_some(), "CSS states the new ETag");
    block_on(alice.delete(&file, &Condition::Always)).unwrap();
    let deleted = wait_for(&mut socket, &file, Duration::from_secs(5), |e| {
        e.change == Change::Deleted
    });
    assert_eq!(deleted.expect("a Delete event within 5 s").object, file);
}
