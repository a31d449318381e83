//! `solidcrypt::fuzz::solidcryptpad` (see there what it checks); its corpus is replayed
//! by tests/fuzz_replay.rs.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| solidcrypt::fuzz::solidcryptpad(data));
