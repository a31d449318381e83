//! The offer a grant sends and the proof its acceptance answers with (FORMAT.md
//! §8.4, §8.5): JSON, sealed by [`super::payload`] to one person's key.
//!
//! Both come from someone else's pod, so parsing is strict: every address must be
//! an absolute http(s) URL without user info or fragment, ids and fingerprints have
//! one spelling, and nothing is used before [`Offer::parse`] said yes.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use url::Url;
use zeroize::Zeroizing;

use crate::crypto::rsa_keys::Fingerprint;
use crate::crypto::{RandomError, SecretKey};
use crate::keystore::format::key_text;
use crate::keystore::master::random_suffix;
use crate::keystore::ShareMode;

/// `format` of an offer.
pub const OFFER_FORMAT: &str = "solidcrypt-offer";
/// `format` of a proof.
pub const PROOF_FORMAT: &str = "solidcrypt-offer-proof";
/// The only version of both.
pub const VERSION: u32 = 1;
/// Domain separation of the proof hash (25 bytes).
const PROOF_LABEL: &[u8] = b"solidcrypt offer proof v1";

/// What a share gives: a file or a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    File,
    Folder,
}

/// An offer's id: 128 random bits, as 32 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OfferId(String);

impl OfferId {
    /// A fresh random id.
    pub fn generate() -> Result<Self, RandomError> {
        Ok(Self(random_suffix()?))
    }

    /// The id's 16 bytes.
    fn bytes(&self) -> [u8; 16] {
        let mut out = [0u8; 16];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&self.0[2 * i..2 * i + 2], 16).expect("checked hex");
        }
        out
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OfferId {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        if is_lower_hex(&text, 32) {
            Ok(Self(text))
        } else {
            Err("an offer id is 32 lowercase hex digits".into())
        }
    }
}

impl From<OfferId> for String {
    fn from(id: OfferId) -> String {
        id.0
    }
}

impl std::fmt::Display for OfferId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_lower_hex(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A key's fingerprint as the JSON documents spell it: 64 lowercase hex digits.
pub fn fingerprint_hex(fingerprint: &Fingerprint) -> String {
    fingerprint.0.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses [`fingerprint_hex`]'s form (one spelling only).
pub fn parse_fingerprint(text: &str) -> Option<Fingerprint> {
    if !is_lower_hex(text, 64) {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(Fingerprint(out))
}

/// The offer JSON (FORMAT.md §8.4). `Debug` shows no key ([`SecretKey`] hides).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Offer {
    pub format: String,
    pub version: u32,
    pub id: OfferId,
    pub sender: String,
    pub recipient: String,
    pub recipient_fingerprint: String,
    pub kind: Kind,
    pub mode: ShareMode,
    pub name: String,
    pub resource: String,
    pub keystore: String,
    #[serde(with = "key_text")]
    pub keystore_key: SecretKey,
    #[serde(with = "key_text")]
    pub challenge: SecretKey,
    pub created: u64,
}

/// Why offer or proof JSON was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OfferJsonError {
    #[error("not valid JSON of an offer: {0}")]
    Json(String),
    #[error("unsupported: format {format:?} version {version}")]
    Unsupported { format: String, version: u32 },
    #[error("its {0} is not a valid address")]
    BadUrl(&'static str),
    #[error("its recipient fingerprint is not 64 hex digits")]
    BadFingerprint,
    #[error("it shares a folder whose address does not end in /")]
    KindMismatch,
}

/// An http(s) URL with a host and without user info or fragment: what an offer
/// may name.
pub(crate) fn checked_url(text: &str, field: &'static str) -> Result<Url, OfferJsonError> {
    let url = Url::parse(text).map_err(|_| OfferJsonError::BadUrl(field))?;
    let fine = matches!(url.scheme(), "http" | "https")
        && url.username().is_empty()
        && url.password().is_none()
        && url.fragment().is_none()
        && url.host().is_some();
    fine.then_some(url).ok_or(OfferJsonError::BadUrl(field))
}

/// WebIDs carry a fragment (`…/card#me`): checked as URLs, fragment allowed.
fn checked_webid(text: &str, field: &'static str) -> Result<Url, OfferJsonError> {
    let url = Url::parse(text).map_err(|_| OfferJsonError::BadUrl(field))?;
    let fine = matches!(url.scheme(), "http" | "https")
        && url.username().is_empty()
        && url.password().is_none()
        && url.host().is_some();
    fine.then_some(url).ok_or(OfferJsonError::BadUrl(field))
}

/// An offer, parsed and checked for form (not yet for meaning: see `receive`).
#[derive(Debug, Clone)]
pub struct ParsedOffer {
    pub offer: Offer,
    pub sender: Url,
    pub recipient: Url,
    pub recipient_fingerprint: Fingerprint,
    pub resource: Url,
    pub keystore: Url,
}

impl Offer {
    /// A new offer with a fresh id and challenge.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        sender: &str,
        recipient: &str,
        recipient_fingerprint: &Fingerprint,
        kind: Kind,
        mode: ShareMode,
        name: &str,
        resource: &Url,
        keystore: &Url,
        keystore_key: &SecretKey,
        created: u64,
    ) -> Result<Self, RandomError> {
        Ok(Self {
            format: OFFER_FORMAT.to_owned(),
            version: VERSION,
            id: OfferId::generate()?,
            sender: sender.to_owned(),
            recipient: recipient.to_owned(),
            recipient_fingerprint: fingerprint_hex(recipient_fingerprint),
            kind,
            mode,
            name: name.to_owned(),
            resource: resource.to_string(),
            keystore: keystore.to_string(),
            keystore_key: keystore_key.clone(),
            challenge: SecretKey::generate()?,
            created,
        })
    }

    /// The JSON, in a buffer wiped on drop (it holds the keystore key).
    pub fn to_json(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(serde_json::to_vec(self).expect("an offer always serializes"))
    }

    /// Parses offer JSON and checks its form.
    pub fn parse(json: &[u8]) -> Result<ParsedOffer, OfferJsonError> {
        let offer: Offer =
            serde_json::from_slice(json).map_err(|e| OfferJsonError::Json(e.to_string()))?;
        if offer.format != OFFER_FORMAT || offer.version != VERSION {
            return Err(OfferJsonError::Unsupported {
                format: offer.format,
                version: offer.version,
            });
        }
        let sender = checked_webid(&offer.sender, "sender")?;
        let recipient = checked_webid(&offer.recipient, "recipient")?;
        let resource = checked_url(&offer.resource, "resource")?;
        let keystore = checked_url(&offer.keystore, "keystore")?;
        let recipient_fingerprint = parse_fingerprint(&offer.recipient_fingerprint)
            .ok_or(OfferJsonError::BadFingerprint)?;
        if offer.kind == Kind::Folder && !resource.path().ends_with('/') {
            return Err(OfferJsonError::KindMismatch);
        }
        Ok(ParsedOffer {
            offer,
            sender,
            recipient,
            recipient_fingerprint,
            resource,
            keystore,
        })
    }

    /// The proof that answers this offer (FORMAT.md §8.5).
    pub fn proof(&self) -> ProofValue {
        proof_of(&self.id, &self.challenge)
    }
}

/// SHA-256("solidcrypt offer proof v1" || id bytes || challenge).
fn proof_of(id: &OfferId, challenge: &SecretKey) -> ProofValue {
    let mut hash = Sha256::new();
    hash.update(PROOF_LABEL);
    hash.update(id.bytes());
    hash.update(challenge.expose_bytes());
    ProofValue(hash.finalize().into())
}

/// A proof: 32 bytes, as 43 characters of base64url in JSON.
#[derive(Clone, PartialEq, Eq)]
pub struct ProofValue(pub [u8; 32]);

impl ProofValue {
    pub fn to_text(&self) -> String {
        SecretKey::from_bytes(self.0).to_base64url().to_string()
    }

    pub fn from_text(text: &str) -> Option<Self> {
        SecretKey::from_base64url(text)
            .ok()
            .map(|k| Self(*k.expose_bytes()))
    }

    /// Constant-time comparison.
    pub fn matches(&self, other: &ProofValue) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl std::fmt::Debug for ProofValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProofValue(..)")
    }
}

/// The proof JSON (FORMAT.md §8.5).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Proof {
    pub format: String,
    pub version: u32,
    pub offer: OfferId,
    pub from: String,
    pub proof: String,
}

impl Proof {
    /// The answer to `offer`, from its recipient.
    pub fn answering(offer: &Offer) -> Self {
        Self {
            format: PROOF_FORMAT.to_owned(),
            version: VERSION,
            offer: offer.id.clone(),
            from: offer.recipient.clone(),
            proof: offer.proof().to_text(),
        }
    }

    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a proof always serializes")
    }

    /// Parses proof JSON; the value must be 32 bytes of base64url.
    pub fn parse(json: &[u8]) -> Result<(Proof, ProofValue), OfferJsonError> {
        let proof: Proof =
            serde_json::from_slice(json).map_err(|e| OfferJsonError::Json(e.to_string()))?;
        if proof.format != PROOF_FORMAT || proof.version != VERSION {
            return Err(OfferJsonError::Unsupported {
                format: proof.format,
                version: proof.version,
            });
        }
        checked_webid(&proof.from, "from")?;
        let value = ProofValue::from_text(&proof.proof).ok_or(OfferJsonError::Json(
            "the proof is not 32 bytes of base64url".into(),
        ))?;
        Ok((proof, value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer() -> Offer {
        Offer::new(
            "http://pod/alice/profile/card#me",
            "http://pod/bob/profile/card#me",
            &Fingerprint([7; 32]),
            Kind::Folder,
            ShareMode::Write,
            "Trip",
            &Url::parse("http://pod/alice/solidcrypt-data/files/a/").unwrap(),
            &Url::parse("http://pod/alice/solidcrypt-data/keystores/shared-1.json.enc").unwrap(),
            &SecretKey::from_bytes([1; 32]),
            1_795_000_000,
        )
        .unwrap()
    }

    #[test]
    fn offers_round_trip_and_answer_with_a_matching_proof() {
        let sent = offer();
        let parsed = Offer::parse(&sent.to_json()).unwrap();
        assert_eq!(parsed.offer.id, sent.id);
        assert_eq!(parsed.recipient_fingerprint, Fingerprint([7; 32]));
        let (proof, value) = Proof::parse(&Proof::answering(&parsed.offer).to_json()).unwrap();
        assert_eq!(proof.offer, sent.id);
        assert!(value.matches(&sent.proof()));
        let other = offer();
        assert!(!value.matches(&other.proof()));
    }

    #[test]
    fn malformed_offers_are_refused() {
        let good: serde_json::Value = serde_json::from_slice(&offer().to_json()).unwrap();
        let with = |field: &str, value: serde_json::Value| {
            let mut v = good.clone();
            v[field] = value;
            Offer::parse(&serde_json::to_vec(&v).unwrap()).map(|_| ())
        };
        assert!(matches!(
            with("version", 2.into()),
            Err(OfferJsonError::Unsupported { .. })
        ));
        assert!(matches!(
            with("id", "ABC".into()),
            Err(OfferJsonError::Json(_))
        ));
        assert_eq!(
            with("resource", "http://pod/a/x".into()),
            Err(OfferJsonError::KindMismatch)
        );
        assert_eq!(
            with("keystore", "http://eve@pod/k".into()),
            Err(OfferJsonError::BadUrl("keystore"))
        );
        assert_eq!(
            with("resource", "file:///etc/".into()),
            Err(OfferJsonError::BadUrl("resource"))
        );
        assert_eq!(
            with("recipient_fingerprint", "00".into()),
            Err(OfferJsonError::BadFingerprint)
        );
        assert!(matches!(
            with("keystore_key", "AAAA".into()),
            Err(OfferJsonError::Json(_))
        ));
        assert!(Offer::parse(b"not json").is_err());
    }

    #[test]
    fn fingerprints_have_one_spelling() {
        let fp = Fingerprint([0xab; 32]);
        let text = fingerprint_hex(&fp);
        assert_eq!(parse_fingerprint(&text), Some(fp));
        assert_eq!(parse_fingerprint(&text.to_uppercase()), None);
        assert_eq!(parse_fingerprint(&text[..62]), None);
    }
}
