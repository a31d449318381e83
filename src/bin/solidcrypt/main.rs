//! `solidcrypt`, the command-line tool: a drive's files back without the web app
//! (`recover`, from the pod or from a copy of its files on disk), and single files
//! decrypted, encrypted and inspected (`decrypt`, `encrypt`, `inspect`), listing the
//! keystores (`keys`). docs/FORMAT.md is the format; this tool is built from the same
//! library as the app, with no Leptos in it.
//!
//! Exit codes (also in `--help`): 0 done; 1 failed (see the message); 2 bad usage;
//! 3 wrong password or key; 4 damaged or not a solidcrypt file; 5 cannot reach the
//! pod or log in; 6 recovered, but some items were not (listed).
#![forbid(unsafe_code)]

#[cfg(not(target_arch = "wasm32"))]
mod cli;
#[cfg(not(target_arch = "wasm32"))]
mod files;
#[cfg(not(target_arch = "wasm32"))]
mod progress;
#[cfg(not(target_arch = "wasm32"))]
mod recover;
#[cfg(not(target_arch = "wasm32"))]
mod secrets;
#[cfg(not(target_arch = "wasm32"))]
mod token;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use clap::Parser;
    let command = cli::Cli::parse().command;
    let result = match command {
        cli::Command::Recover(args) => recover::recover(args),
        cli::Command::Keys(args) => recover::keys(args),
        cli::Command::Decrypt(args) => files::decrypt(args),
        cli::Command::Encrypt(args) => files::encrypt(args),
        cli::Command::Inspect(args) => files::inspect(args),
    };
    match result {
        Ok(code) => code.into(),
        Err(failure) => {
            eprintln!("solidcrypt: {}", failure.message);
            failure.code.into()
        }
    }
}

/// The tool is native only; built for the browser (`cargo build --target
/// wasm32-unknown-unknown --bins`) it is empty.
#[cfg(target_arch = "wasm32")]
fn main() {}
