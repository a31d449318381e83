//! `--token-file`: a session made elsewhere, for servers whose accounts the tool
//! cannot log in to itself (it knows only Community Solid Server's account API).
//!
//! The file is JSON (README, "Your files without the app"):
//! `{"access_token": "…", "token_type": "Bearer"}`, or for a DPoP-bound token
//! `{"access_token": "…", "token_type": "DPoP", "dpop_key": {…private P-256 JWK…}}`.
//! It is a secret like a password: a file others may read is refused (Unix), and
//! the token is never printed.

use std::path::Path;

use serde::Deserialize;
use solidcrypt::auth::clock::now_secs;
use solidcrypt::auth::dpop::DpopKey;
use solidcrypt::pod::http::{Method, Signer, TransportError};
use zeroize::Zeroizing;

use crate::cli::{Code, Failure};

/// The largest token file read: a token and a key are a few KiB.
const MAX_FILE: u64 = 64 * 1024;

/// How requests prove who sends them, from a token file.
pub enum TokenSigner {
    Bearer(Zeroizing<String>),
    Dpop {
        token: Zeroizing<String>,
        key: DpopKey,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenFile {
    access_token: String,
    token_type: String,
    #[serde(default)]
    dpop_key: Option<serde_json::Value>,
}

impl TokenSigner {
    /// Reads and checks the token file at `path`.
    pub fn read(path: &Path) -> Result<TokenSigner, Failure> {
        let bad = |why: String| Failure::new(Code::Failed, format!("{}: {why}", path.display()));
        let meta = std::fs::metadata(path).map_err(|e| bad(e.to_string()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if meta.permissions().mode() & 0o077 != 0 {
                return Err(bad(
                    "others may read this token file: make it yours alone (chmod 600)".into(),
                ));
            }
        }
        if meta.len() > MAX_FILE {
            return Err(bad(format!(
                "larger than {MAX_FILE} bytes: not a token file"
            )));
        }
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?);
        let file: TokenFile = serde_json::from_str(&text).map_err(|e| {
            // serde's message names the field, never the token's value.
            bad(format!("not a token file ({e})"))
        })?;
        let token = Zeroizing::new(file.access_token);
        if token.is_empty() || !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(bad("access_token is not a token".into()));
        }
        match (file.token_type.to_ascii_lowercase().as_str(), file.dpop_key) {
            ("bearer", None) => Ok(TokenSigner::Bearer(token)),
            ("dpop", Some(jwk)) => {
                let key = DpopKey::from_jwk(&Zeroizing::new(jwk.to_string()))
                    .map_err(|_| bad("dpop_key is not a private P-256 key (JWK)".into()))?;
                Ok(TokenSigner::Dpop { token, key })
            }
            ("dpop", None) => Err(bad("a DPoP token needs its dpop_key".into())),
            ("bearer", Some(_)) => Err(bad("a Bearer token has no dpop_key".into())),
            _ => Err(bad("token_type must be Bearer or DPoP".into())),
        }
    }
}

impl Signer for TokenSigner {
    fn sign(&self, method: Method, url: &str) -> Result<Vec<(String, String)>, TransportError> {
        match self {
            TokenSigner::Bearer(token) => Ok(vec![(
                "Authorization".into(),
                format!("Bearer {}", **token),
            )]),
            TokenSigner::Dpop { token, key } => {
                let proof = key
                    .proof(method, url, Some(token), now_secs())
                    .map_err(|e| TransportError::Signing(e.to_string()))?;
                Ok(vec![
                    ("Authorization".into(), format!("DPoP {}", **token)),
                    ("DPoP".into(), proof),
                ])
            }
        }
    }
}
