//! Opening a share link, measured: driven by `scripts/bench share` against a local
//! pod (`SOLIDCRYPT_TEST_POD`).
//!
//! Bob is logged in and his drive unlocked before the clock starts, as in the app;
//! what is timed is [`accept`] — from the link to the decrypted bytes — with every
//! HTTP request counted by a wrapping transport. Next to it, in the same run, one
//! plain GET of the same file by bob (the least any app could do), and the ratio.
//! Three cases: a file link opened the first time (join, read, keep the key), the
//! same link opened again, and a folder link opened and one file in it downloaded.
//! Goal (issue 6): at most 6 requests. Knobs: BENCH_SHARE_KIB (file size, 256),
//! BENCH_SHARE_ROUNDS (7; the median is printed).

#[cfg(not(target_arch = "wasm32"))]
#[path = "../tests/common/mod.rs"]
mod common;

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use std::time::{Duration, Instant};

    use common::{block_on, new_drive, Counting, NativeHttp, ALICE, BOB};
    use solidcrypt::crypto::envelope::RustCryptoCipher;
    use solidcrypt::drive::memory::{SliceSource, VecUpload};
    use solidcrypt::drive::{download_to_memory, new_folder, upload, NewFile};
    use solidcrypt::pod::Pod;
    use solidcrypt::share::{accept, share_file, share_folder, Accepted, Access, ShareLink};
    use url::Url;

    let kib: usize = env_number("BENCH_SHARE_KIB", 256);
    let rounds: usize = env_number("BENCH_SHARE_ROUNDS", 7).max(1);
    let http = NativeHttp::new();
    let counted = Counting::new(&http);
    let (alice_session, bob_session) = (ALICE.login(&http), BOB.login(&http));
    let alice = Pod::new(&http, Some(&alice_session));
    let bob = Pod::new(&counted, Some(&bob_session));
    let app = Url::parse("http://localhost:8080/").expect("a URL");
    let content: Vec<u8> = (0..kib * 1024).map(|i| (i * 7 % 251) as u8).collect();

    let mut first = Vec::new();
    let mut again = Vec::new();
    let mut folder = Vec::new();
    let mut plain = Vec::new();
    for _ in 0..rounds {
        // Fresh drives each round, so "first time" really is the first time.
        let (alice_layout, alice_keys) = new_drive(&alice, &ALICE);
        let (_, bob_keys) = new_drive(&bob, &BOB);
        let shared_folder = block_on(new_folder(
            &alice,
            &alice_keys,
            &alice_layout.files(),
            "Bench",
        ))
        .expect("new folder");
        let file = NewFile {
            folder: &shared_folder,
            name: "bench.bin",
            media_type: Some("application/octet-stream"),
            size: content.len() as u64,
            fingerprint: None,
        };
        let url = block_on(upload::<_, RustCryptoCipher, _, _>(
            &alice,
            &alice_keys,
            &file,
            &mut SliceSource::new(&content, 64 * 1024),
            VecUpload::new(&alice),
            &mut |_| {},
            &|| false,
        ))
        .expect("upload");
        let file_link = block_on(share_file(
            &alice,
            &alice_keys,
            &ALICE.webid(),
            &url,
            Access::Read,
        ))
        .expect("share file");
        let folder_link = block_on(share_folder(
            &alice,
            &alice_keys,
            &ALICE.webid(),
            &shared_folder,
            Access::Read,
        ))
        .expect("share folder");
        let file_text = file_link.to_url(&app);
        let folder_text = folder_link.to_url(&app);

        let open_file = || {
            counted.take();
            let started = Instant::now();
            let link = ShareLink::parse(&file_text).expect("link");
            let Ok(Accepted::File {
                content: Some(opened),
                ..
            }) = block_on(accept(&bob, &bob_keys, &link, &BOB.webid()))
            else {
                panic!("the file link did not open")
            };
            assert_eq!(opened.as_slice(), content.as_slice());
            (started.elapsed(), counted.take().len())
        };
        first.push(open_file());
        again.push(open_file());

        counted.take();
        let started = Instant::now();
        let body = block_on(bob.get(&url)).expect("plain GET").body;
        plain.push((started.elapsed(), counted.take().len()));
        assert!(body.len() > content.len());

        // A folder link, opened by a fresh drive of bob's, then one file in it.
        let (_, bob_keys) = new_drive(&bob, &BOB);
        counted.take();
        let started = Instant::now();
        let link = ShareLink::parse(&folder_text).expect("link");
        block_on(accept(&bob, &bob_keys, &link, &BOB.webid())).expect("folder link");
        let (_, sink) = block_on(download_to_memory(&bob, &bob_keys, &url)).expect("download");
        assert_eq!(sink.0.as_slice(), content.as_slice());
        folder.push((started.elapsed(), counted.take().len()));
    }

    let median = |runs: &mut Vec<(Duration, usize)>| {
        runs.sort();
        runs[runs.len() / 2]
    };
    let (plain_time, plain_requests) = median(&mut plain);
    println!("share bench: {kib} KiB file, median of {rounds} rounds, logged in and unlocked");
    println!(
        "  plain GET of the file (baseline):       {plain_requests} request   {:>7.1} ms",
        ms(plain_time)
    );
    for (name, runs) in [
        ("open file link, first time", &mut first),
        ("open file link again", &mut again),
        ("open folder link + download the file", &mut folder),
    ] {
        let (time, requests) = median(runs);
        println!(
            "  {name:<38} {requests} request{}  {:>7.1} ms  ({:.1}x the plain GET){}",
            if requests == 1 { " " } else { "s" },
            ms(time),
            ms(time) / ms(plain_time).max(0.001),
            if requests <= 6 {
                ""
            } else {
                "  OVER THE GOAL OF 6"
            }
        );
    }

    fn ms(d: Duration) -> f64 {
        d.as_secs_f64() * 1000.0
    }

    fn env_number(name: &str, default: usize) -> usize {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    }
}
