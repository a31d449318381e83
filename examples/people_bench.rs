//! Sharing a folder with a person, measured: driven by `scripts/bench people`
//! against a local pod (`SOLIDCRYPT_TEST_POD`).
//!
//! Alice grants bob a folder of 1 file and one of 100 files (her drive unlocked,
//! his identity published beforehand); bob, later, reads his inbox (the vetted
//! preview) and accepts. Every HTTP request is counted by a wrapping transport.
//! Goal (issue 12): the grant's requests do not grow with the number of files.
//! Knob: BENCH_PEOPLE_FILES (100).

#[cfg(not(target_arch = "wasm32"))]
#[path = "../tests/common/mod.rs"]
mod common;

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use std::time::Instant;

    use common::{block_on, new_drive_with_identity, put_file, Counting, NativeHttp, ALICE, BOB};
    use solidcrypt::drive::new_folder;
    use solidcrypt::identity::lookup_person;
    use solidcrypt::people::{accept_offer, read_inbox, share_with_person};
    use solidcrypt::pod::Pod;
    use solidcrypt::share::Access;
    use url::Url;

    let many: usize = std::env::var("BENCH_PEOPLE_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let http = NativeHttp::new();
    let counted = Counting::new(&http);
    let (alice_session, bob_session) = (ALICE.login(&http), BOB.login(&http));
    let alice = Pod::new(&counted, Some(&alice_session));
    let bob = Pod::new(&counted, Some(&bob_session));
    let bob_webid = Url::parse(&BOB.webid()).expect("a WebID");
    let (_, bob_keys, bob_id) = new_drive_with_identity(&bob, &BOB);
    block_on(read_inbox(
        &bob,
        &bob_keys,
        &bob_webid,
        &bob_id.key,
        &bob_id.inbox,
    ))
    .expect("inbox");
    let (layout, alice_keys, _) = new_drive_with_identity(&alice, &ALICE);
    let person = block_on(lookup_person(&alice, &bob_webid)).expect("bob's key");

    println!("people bench: alice grants bob a folder read-write; bob reads his inbox and accepts");
    for files in [1, many] {
        let folder = block_on(new_folder(
            &alice,
            &alice_keys,
            &layout.files(),
            &format!("Bench {files}"),
        ))
        .expect("new folder");
        for i in 0..files {
            put_file(&alice, &alice_keys, &folder, &format!("f{i}.txt"), b"bench");
        }
        counted.take();
        let started = Instant::now();
        block_on(share_with_person(
            &alice,
            &alice_keys,
            &ALICE.webid(),
            &person,
            &folder,
            Access::ReadWrite,
            None,
        ))
        .expect("grant");
        let (grant_time, grant_requests) = (started.elapsed(), counted.take().len());

        let started = Instant::now();
        let inbox = block_on(read_inbox(
            &bob,
            &bob_keys,
            &bob_webid,
            &bob_id.key,
            &bob_id.inbox,
        ))
        .expect("inbox");
        let (read_time, read_requests) = (started.elapsed(), counted.take().len());
        let preview = inbox
            .offers
            .iter()
            .find(|o| o.resource == folder)
            .expect("the offer");
        let started = Instant::now();
        block_on(accept_offer(&bob, &bob_keys, &BOB.webid(), preview)).expect("accept");
        let (accept_time, accept_requests) = (started.elapsed(), counted.take().len());
        println!(
            "  {files:>4} files: grant {grant_requests:>3} requests {:>7.1} ms | read inbox (preview) {read_requests:>3} requests {:>7.1} ms | accept {accept_requests:>3} requests {:>7.1} ms",
            grant_time.as_secs_f64() * 1e3,
            read_time.as_secs_f64() * 1e3,
            accept_time.as_secs_f64() * 1e3,
        );
    }
}
