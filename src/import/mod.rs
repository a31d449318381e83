//! Bringing files from other apps' pods into the drive (issue 15), in plain Rust
//! (no Leptos) so it is tested natively against a pod: today [`solidcryptpad`],
//! whose encrypted files no other app can read. An import only reads the old
//! app's data and writes through the drive's own upload (key first); the old
//! data stays as it was until the user deletes it.

pub mod solidcryptpad;
