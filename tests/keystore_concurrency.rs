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
use solidcrypt::keystore::{Entry, Layout, Password};
use solidcrypt::pod::Pod;

const WRITERS: usize = 8;
const KEYS_EACH: usize = 50;
const FAST: PasswordParams = PasswordParams {
    m_cost_kib: 1024,
    t_cost: 1,
    p_cost: 1,
};

#[test]
fn eight_writers_fifty_keys_each_zero_lost() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let layout = Layout::at(scratch_container(&pod, &ALICE.storage()));
    let password = Password::new("correct horse".into());
    block_on(set_up(&pod, &layout, &ALICE.webid(), &password, &FAST)).unwrap();

    let barrier = Barrier::new(WRITERS);
    let started = std::time::Instant::now();
    let written: Vec<Vec<(String, [u8; 32])>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..WRITERS)
            .map(|writer| {
                let (layout, password, barrier) = (&layout, &password, &barrier);
                scope.spawn(move || {
                    let http = NativeHttp::new();
                    let session = ALICE.login(&http);
                    let pod = Pod::new(&http, Some(&session));
                    let keyring = block_on(unlock(&pod, layout, password)).unwrap();
                    barrier.wait();
                    (0..KEYS_EACH)
                        .map(|n| {
                            let url = format!("{}w{writer}/f{n}", layout.files());
                            let key = SecretKey::generate().unwrap();
                            let bytes = *key.expose_bytes();
                            let entry = Entry {
                                key: Some(key),
                                name: format!("file {writer}-{n}"),
                                media_type: None,
                                size: Some(n as u64),
                            };
                            block_on(keyring.add(&pod, &url, entry)).unwrap();
                            (url, bytes)
                        })
                        .collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    eprintln!(
        "{} keys by {WRITERS} concurrent writers in {:?}",
        WRITERS * KEYS_EACH,
        started.elapsed()
    );

    let fresh = block_on(unlock(&pod, &layout, &password)).unwrap();
    let all = fresh.entries_under(layout.files().as_str());
    assert_eq!(all.len(), WRITERS * KEYS_EACH, "keys were lost");
    for (url, bytes) in written.iter().flatten() {
        let entry = fresh.lookup(url).unwrap_or_else(|| panic!("lost {url}"));
        assert_eq!(
            entry.key.unwrap().expose_bytes(),
            bytes,
            "{url} has another key"
        );
    }
}

const BATCHES_EACH: usize = 5;
const BATCH: usize = 20;

#[test]
fn eight_writers_of_batches_zero_lost() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let layout = Layout::at(scratch_container(&pod, &ALICE.storage()));
    let password = Password::new("correct horse".into());
    block_on(set_up(&pod, &layout, &ALICE.webid(), &password, &FAST)).unwrap();

    let barrier = Barrier::new(WRITERS);
    let started = std::time::Instant::now();
    let written: Vec<Vec<(String, [u8; 32])>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..WRITERS)
            .map(|writer| {
                let (layout, password, barrier) = (&layout, &password, &barrier);
                scope.spawn(move || {
                    let http = NativeHttp::new();
                    let session = ALICE.login(&http);
                    let pod = Pod::new(&http, Some(&session));
                    let keyring = block_on(unlock(&pod, layout, password)).unwrap();
                    barrier.wait();
                    let mut written = Vec::new();
                    for batch in 0..BATCHES_EACH {
                        let entries: Vec<(String, Entry)> = (0..BATCH)
                            .map(|n| {
                                let url = format!("{}w{writer}/b{batch}/f{n}", layout.files());
                                let entry = Entry {
                                    key: Some(SecretKey::generate().unwrap()),
                                    name: format!("file {writer}-{batch}-{n}"),
                                    media_type: None,
                                    size: Some(n as u64),
                                };
                                (url, entry)
                            })
                            .collect();
                        block_on(keyring.add_all(&pod, &entries)).unwrap();
                        written.extend(
                            entries
                                .into_iter()
                                .map(|(url, e)| (url, *e.key.unwrap().expose_bytes())),
                        );
                    }
                    written
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    eprintln!(
        "{} keys in batches of {BATCH} by {WRITERS} concurrent writers in {:?}",
        WRITERS * BATCHES_EACH * BATCH,
        started.elapsed()
    );

    let fresh = block_on(unlock(&pod, &layout, &password)).unwrap();
    let all = fresh.entries_under(layout.files().as_str());
    assert_eq!(all.len(), WRITERS * BATCHES_EACH * BATCH, "keys were lost");
    for (url, bytes) in written.iter().flatten() {
        let entry = fresh.lookup(url).unwrap_or_else(|| panic!("lost {url}"));
        assert_eq!(
            entry.key.unwrap().expose_bytes(),
            bytes,
            "{url} has another key"
        );
    }
}
