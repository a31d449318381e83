//! Passwords and keys from files or the terminal, never from the environment, and
//! wiped from memory after use.

use std::io::IsTerminal;
use std::path::Path;

use solidcrypt::crypto::SecretKey;
use zeroize::Zeroizing;

use crate::cli::{Code, Failure, KeyArgs};

/// The first line of `path` (without its line ending).
fn first_line(path: &Path) -> Result<Zeroizing<String>, Failure> {
    let text =
        Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
            Failure::new(Code::Failed, format!("cannot read {}: {e}", path.display()))
        })?);
    let line = text.lines().next().unwrap_or_default();
    Ok(Zeroizing::new(line.to_owned()))
}

/// A secret from `file`, or typed at the terminal (without echo) after `prompt`.
pub fn secret(file: Option<&Path>, prompt: &str, flag: &str) -> Result<Zeroizing<String>, Failure> {
    if let Some(file) = file {
        return first_line(file);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Failure::new(
            Code::Failed,
            format!("no terminal to ask for the {prompt}: give it with {flag}"),
        ));
    }
    rpassword::prompt_password(format!("{prompt}: "))
        .map(Zeroizing::new)
        .map_err(|e| Failure::new(Code::Failed, format!("cannot read the {prompt}: {e}")))
}

/// The key given by `--key` or `--key-file`, if any.
pub fn key(args: &KeyArgs) -> Result<Option<SecretKey>, Failure> {
    let text = match (&args.key, &args.key_file) {
        (Some(key), _) => Zeroizing::new(key.clone()),
        (None, Some(file)) => first_line(file)?,
        (None, None) => return Ok(None),
    };
    SecretKey::from_base64url(text.trim())
        .map(Some)
        .map_err(|e| Failure::new(Code::WrongSecret, format!("that is not a file key: {e}")))
}
