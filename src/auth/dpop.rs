//! DPoP (RFC 9449) with ES256: tokens are bound to a key only this session holds, so
//! a leaked access or refresh token is useless without it. Every request carries a
//! fresh proof signed with that key.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};
use p256::SecretKey;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};
use url::Url;

use super::random::{fill, token, RandomError};
use crate::pod::http::Method;

/// The session's DPoP key pair.
#[derive(Clone)]
pub struct DpopKey {
    secret: SecretKey,
}

/// A stored DPoP key could not be read back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the stored DPoP key is unreadable")]
pub struct BadKey;

impl DpopKey {
    /// A new random P-256 key.
    pub fn generate() -> Result<DpopKey, RandomError> {
        loop {
            let mut bytes = [0u8; 32];
            fill(&mut bytes)?;
            // Fails only for 0 or values ≥ the group order (probability ~2⁻³²): draw again.
            if let Ok(secret) = SecretKey::from_slice(&bytes) {
                return Ok(DpopKey { secret });
            }
        }
    }

    /// The key from its private JWK (as stored in the session).
    pub fn from_jwk(jwk: &str) -> Result<DpopKey, BadKey> {
        SecretKey::from_jwk_str(jwk)
            .map(|secret| DpopKey { secret })
            .map_err(|_| BadKey)
    }

    /// The private JWK, for keeping the session across page reloads.
    pub fn to_jwk(&self) -> String {
        self.secret.to_jwk_string().to_string()
    }

    /// A proof for one request. `access_token` is given for resource requests (its
    /// hash goes in `ath`) and omitted for token requests.
    pub fn proof(
        &self,
        method: Method,
        url: &str,
        access_token: Option<&str>,
        now: u64,
    ) -> Result<String, RandomError> {
        let header = serde_json::json!({
            "typ": "dpop+jwt",
            "alg": "ES256",
            "jwk": self.secret.public_key().to_jwk(),
        });
        let mut claims = serde_json::json!({
            "htm": method.as_str(),
            "htu": htu(url),
            "iat": now,
            "jti": token(16)?,
        });
        if let Some(access_token) = access_token {
            claims["ath"] = URL_SAFE_NO_PAD
                .encode(Sha256::digest(access_token.as_bytes()))
                .into();
        }
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature: Signature = SigningKey::from(&self.secret).sign(signing_input.as_bytes());
        Ok(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        ))
    }
}

/// `htu` is the request URL without query and fragment.
fn htu(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) => {
            parsed.set_query(None);
            parsed.set_fragment(None);
            parsed.into()
        }
        Err(_) => url.to_owned(),
    }
}

impl std::fmt::Debug for DpopKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DpopKey(…)")
    }
}

impl Serialize for DpopKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_jwk())
    }
}

impl<'de> Deserialize<'de> for DpopKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let jwk = String::deserialize(deserializer)?;
        DpopKey::from_jwk(&jwk).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::Verifier;
    use p256::ecdsa::VerifyingKey;

    fn part(jwt: &str, index: usize) -> serde_json::Value {
        let raw = URL_SAFE_NO_PAD
            .decode(jwt.split('.').nth(index).unwrap())
            .unwrap();
        serde_json::from_slice(&raw).unwrap()
    }

    #[test]
    fn proof_has_required_claims_and_verifies() {
        let key = DpopKey::generate().unwrap();
        let proof = key
            .proof(
                Method::Get,
                "http://localhost:3000/alice/x?q=1#frag",
                Some("tok"),
                1_700_000_000,
            )
            .unwrap();
        let header = part(&proof, 0);
        assert_eq!(header["typ"], "dpop+jwt");
        assert_eq!(header["alg"], "ES256");
        assert_eq!(header["jwk"]["crv"], "P-256");
        assert!(
            header["jwk"].get("d").is_none(),
            "private key must not leak"
        );
        let claims = part(&proof, 1);
        assert_eq!(claims["htm"], "GET");
        assert_eq!(claims["htu"], "http://localhost:3000/alice/x");
        assert_eq!(claims["iat"], 1_700_000_000);
        assert_eq!(
            claims["ath"],
            URL_SAFE_NO_PAD.encode(Sha256::digest(b"tok"))
        );
        assert!(claims["jti"].as_str().unwrap().len() >= 22);

        let (input, sig) = proof.rsplit_once('.').unwrap();
        let sig = Signature::from_slice(&URL_SAFE_NO_PAD.decode(sig).unwrap()).unwrap();
        let verifying = VerifyingKey::from(&key.secret.public_key());
        verifying.verify(input.as_bytes(), &sig).unwrap();
    }

    #[test]
    fn key_survives_storage_round_trip() {
        let key = DpopKey::generate().unwrap();
        let json = serde_json::to_string(&key).unwrap();
        let back: DpopKey = serde_json::from_str(&json).unwrap();
        assert_eq!(key.secret, back.secret);
        assert!(DpopKey::from_jwk("{}").is_err());
    }
}
