#![cfg(not(target_arch = "wasm32"))]
//! Replays every file of `tests/fuzz_corpus/<target>/` (the seeds, and every input
//! a fuzzer found to crash, once fixed) through the same `solidcrypt::fuzz` entry
//! point its cargo-fuzz target calls, so `scripts/test` re-checks them each run
//! without nightly. `scripts/fuzz` runs the targets themselves.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use solidcrypt::fuzz;

/// Well above what any corpus file takes (milliseconds): a slow one means a
/// parser went quadratic on it.
const SLOW: Duration = Duration::from_secs(5);

fn corpus(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_corpus")
        .join(target)
}

fn replay(target: &str, entry: fn(&[u8])) {
    let dir = corpus(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|f| f.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} has no seeds", dir.display());
    for file in files {
        let data = std::fs::read(&file).unwrap();
        let started = Instant::now();
        entry(&data);
        let took = started.elapsed();
        assert!(took < SLOW, "{} took {took:?}", file.display());
    }
}

macro_rules! replays {
    ($($target:ident),* $(,)?) => {
        $(
            #[test]
            fn $target() {
                replay(stringify!($target), fuzz::$target);
            }
        )*

        /// Every target in fuzz/fuzz_targets/ that calls `solidcrypt::fuzz` has
        /// its corpus replayed here.
        #[test]
        fn every_library_target_is_replayed() {
            let replayed = [$(stringify!($target)),*];
            let targets = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/fuzz_targets");
            for file in std::fs::read_dir(targets).unwrap() {
                let path = file.unwrap().path();
                let source = std::fs::read_to_string(&path).unwrap();
                let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
                if source.contains("solidcrypt::fuzz::") {
                    assert!(replayed.contains(&name.as_str()), "{name} is not replayed");
                }
            }
        }
    };
}

replays!(
    keystore_json,
    index_json,
    container_listing,
    acl_document,
    acr_document,
    webid_profile,
    link_header,
    oidc_metadata,
    token_answer,
    envelope_decrypt,
    envelope_header,
    key_wraps,
    share_link,
    notification,
    solidcryptpad,
);
