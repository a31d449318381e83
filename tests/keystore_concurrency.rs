#![cfg(not(target_arch = "wasm32"))]
//! Concurrent writers on one keystore lose nothing: 8 threads, each with its own
//! transport and keyring (like 8 tabs), add 50 keys each through read-modify-write
//! with `If-Match` and merge-and-retry on 412; and the same with batches
//! (`Keyring::add_all`, as a folder drop writes its files' keys).

mod common;

use std::sync::Barrier;

use common::{block_on, scratch_container, NativeHttp, ALICE};
use solidcrypt::crypto::password::PasswordParams;
use solidcrypt::crypto::SecretKey;
use solidcrypt::keystore::master::{set_up, unlock};
use solidcrypt::keystore::{Entry, Keyring, Layout, Password};
use solidcrypt::pod::Pod;

const WRITERS: usize = 8;
const KEYS_EACH: usize = 50;
const FAST: PasswordParams = PasswordParams {
    m_cost_kib: 1024,
    t_cost: 1,
    p_cost: 1,
};

/// A key written by a writer: its file's address and the key's bytes.
type Written = Vec<(String, [u8; 32])>;

/// Sets up a keystore, lets [`WRITERS`] threads (each logged in and unlocked on
/// its own, released together) run `write(writer, pod, keyring, files folder)`,
/// then unlocks afresh and checks that exactly the `expected` keys they report
/// are there, each with its own bytes.
fn writers_lose_nothing(
    what: &str,
    expected: usize,
    write: impl Fn(usize, &Pod<NativeHttp>, &Keyring, &str) -> Written + Sync,
) {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let layout = Layout::at(scratch_container(&pod, &ALICE.storage()));
    let password = Password::new("correct horse".into());
    block_on(set_up(&pod, &layout, &ALICE.webid(), &password, &FAST)).unwrap();

    let barrier = Barrier::new(WRITERS);
    let started = std::time::Instant::now();
    let written: Vec<Written> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..WRITERS)
            .map(|writer| {
                let (layout, password, barrier, write) = (&layout, &password, &barrier, &write);
                scope.spawn(move || {
                    let http = NativeHttp::new();
                    let session = ALICE.login(&http);
                    let pod = Pod::new(&http, Some(&session));
                    let keyring = block_on(unlock(&pod, layout, password)).unwrap();
                    barrier.wait();
                    write(writer, &pod, &keyring, layout.files().as_str())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let count: usize = written.iter().map(Vec::len).sum();
    assert_eq!(count, expected, "the writers wrote every key");
    eprintln!(
        "{count} keys {what} by {WRITERS} concurrent writers in {:?}",
        started.elapsed()
    );

    let fresh = block_on(unlock(&pod, &layout, &password)).unwrap();
    let all = fresh.entries_under(layout.files().as_str());
    assert_eq!(all.len(), expected, "keys were lost");
    for (url, bytes) in written.iter().flatten() {
        let entry = fresh.lookup(url).unwrap_or_else(|| panic!("lost {url}"));
        assert_eq!(
            entry.key.unwrap().expose_bytes(),
            bytes,
            "{url} has another key"
        );
    }
}

#[test]
fn eight_writers_fifty_keys_each_zero_lost() {
    writers_lose_nothing(
        "one at a time",
        WRITERS * KEYS_EACH,
        |writer, pod, keyring, files| {
            let written: Written = (0..KEYS_EACH)
                .map(|n| {
                    let url = format!("{files}w{writer}/f{n}");
                    let key = SecretKey::generate().unwrap();
                    let bytes = *key.expose_bytes();
                    let entry = Entry {
                        key: Some(key),
                        name: format!("file {writer}-{n}"),
                        media_type: None,
                        size: Some(n as u64),
                    };
                    block_on(keyring.add(pod, &url, entry)).unwrap();
                    (url, bytes)
                })
                .collect();
            written
        },
    );
}

const BATCHES_EACH: usize = 5;
const BATCH: usize = 20;

#[test]
fn eight_writers_of_batches_zero_lost() {
    writers_lose_nothing(
        &format!("in batches of {BATCH}"),
        WRITERS * BATCHES_EACH * BATCH,
        |writer, pod, keyring, files| {
            let mut written = Vec::new();
            for batch in 0..BATCHES_EACH {
                let entries: Vec<(String, Entry)> = (0..BATCH)
                    .map(|n| {
                        let url = format!("{files}w{writer}/b{batch}/f{n}");
                        let entry = Entry {
                            key: Some(SecretKey::generate().unwrap()),
                            name: format!("file {writer}-{batch}-{n}"),
                            media_type: None,
                            size: Some(n as u64),
                        };
                        (url, entry)
                    })
                    .collect();
                block_on(keyring.add_all(pod, &entries)).unwrap();
                written.extend(
                    entries
                        .into_iter()
                        .map(|(url, e)| (url, *e.key.unwrap().expose_bytes())),
                );
            }
            written
        },
    );
}
