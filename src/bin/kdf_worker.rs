//! The Web Worker that runs Argon2id for the app (see `crypto::password_worker`):
//! Trunk builds it next to the app (index.html, `data-type="worker"`); the app starts
//! one per unlock or password change and terminates it after, which hands the
//! worker's Argon2id memory back to the system.

#[cfg(target_arch = "wasm32")]
fn main() {
    solidcrypt::crypto::password_worker::serve();
}

/// Native builds (`cargo build`, clippy) have no Web Worker to serve.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("kdf_worker runs only as a Web Worker in the browser; build it with `trunk build`");
    std::process::exit(2);
}
