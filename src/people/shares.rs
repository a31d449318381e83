//! The user's shares with people and their contacts (FORMAT.md §8.2):
//! `keystores/shares.json.enc`, sealed under the root keystore's key like the list
//! of links created, in two slots with a counter, written read-modify-write.
//!
//! One document for contacts, shares created and shares received: a grant checks
//! the contact's key and records the share in one read-modify-write, and unlocking
//! reads one document, not three.

use serde::{Deserialize, Serialize};

use super::offer::{Kind, OfferId};
use crate::crypto::SecretKey;
use crate::keystore::format::{is_zero, key_text, Versioned, VERSION};
use crate::keystore::store::{create, load, update, LoadError, UpdateError};
use crate::keystore::{Keyring, ShareMode};
use crate::pod::http::HttpClient;
use crate::pod::Pod;

/// `format` of the document.
pub const SHARES_FORMAT: &str = "solidcrypt-shares";

/// Someone the user shared with or looked up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub webid: String,
    /// Their key's fingerprint (64 hex), as first seen or as last verified.
    pub fingerprint: String,
    /// The user compared the fingerprint out of band and said it matches.
    pub verified: bool,
    /// Seconds since the Unix epoch.
    pub first_seen: u64,
}

/// Whether the recipient proved they hold their private key (FORMAT.md §8.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProofStatus {
    /// No valid proof came back yet.
    Pending,
    /// A valid proof came back: they opened the offer with their private key.
    HoldsKey,
}

/// A share I created. `Debug` shows no key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreatedShare {
    pub alias: String,
    /// `alias$recipient`.
    pub id: String,
    pub recipient: String,
    /// The key the offer was wrapped to (64 hex).
    pub fingerprint: String,
    pub kind: Kind,
    pub mode: ShareMode,
    pub resource: String,
    pub name: String,
    pub keystore: String,
    #[serde(with = "key_text")]
    pub keystore_key: SecretKey,
    pub created: u64,
    pub offer: OfferId,
    /// The expected proof (43 base64url).
    pub proof: String,
    pub proof_status: ProofStatus,
}

/// A share someone gave me, accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedShare {
    pub offer: OfferId,
    pub sender: String,
    /// The sender's key as read when accepting (64 hex).
    pub fingerprint: String,
    pub kind: Kind,
    pub mode: ShareMode,
    pub name: String,
    pub resource: String,
    pub keystore: String,
    pub accepted: u64,
}

/// The document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SharesDoc {
    pub format: String,
    pub version: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub counter: u64,
    #[serde(default)]
    pub contacts: Vec<Contact>,
    #[serde(default)]
    pub created: Vec<CreatedShare>,
    #[serde(default)]
    pub received: Vec<ReceivedShare>,
    /// Offer ids declined (a replay of one is refused).
    #[serde(default)]
    pub declined: Vec<OfferId>,
}

impl Default for SharesDoc {
    fn default() -> Self {
        Self {
            format: SHARES_FORMAT.to_owned(),
            version: VERSION,
            counter: 0,
            contacts: Vec::new(),
            created: Vec::new(),
            received: Vec::new(),
            declined: Vec::new(),
        }
    }
}

impl SharesDoc {
    /// Whether the offer `id` was accepted or declined before.
    pub fn answered(&self, id: &OfferId) -> bool {
        self.received.iter().any(|r| &r.offer == id) || self.declined.contains(id)
    }

    pub fn contact(&self, webid: &str) -> Option<&Contact> {
        self.contacts.iter().find(|c| c.webid == webid)
    }
}

impl Versioned for SharesDoc {
    const FORMAT: &'static str = SHARES_FORMAT;
    fn header(&self) -> (&str, u32) {
        (&self.format, self.version)
    }
    fn counter(&self) -> u64 {
        self.counter
    }
    fn set_counter(&mut self, counter: u64) {
        self.counter = counter;
    }
}

/// The shares document could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SharesError {
    #[error("the keyring has no root keystore; unlock first")]
    NotUnlocked,
    #[error("cannot read your list of shares: {0}")]
    Load(Box<LoadError>),
    #[error("cannot save your list of shares: {0}")]
    Update(Box<UpdateError>),
}

/// Writes an empty list unless one exists (one PUT with `If-None-Match: *`), right
/// after the master password is set, so that every unlock reads a list instead of
/// asking for a missing one (a browser reports each 404 as a failed request).
pub async fn start_shares<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
) -> Result<(), SharesError> {
    let root = keyring.root().ok_or(SharesError::NotUnlocked)?;
    create(
        pod,
        &keyring.layout().shares(),
        &root.key,
        &SharesDoc::default(),
    )
    .await
    .map(|_| ())
    .map_err(|e| SharesError::Update(Box::new(e)))
}

/// The user's shares and contacts (one GET of two slots); empty if none yet.
pub async fn shares<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
) -> Result<SharesDoc, SharesError> {
    let root = keyring.root().ok_or(SharesError::NotUnlocked)?;
    let loaded = load::<H, SharesDoc>(pod, &keyring.layout().shares(), &root.key)
        .await
        .map_err(|e| SharesError::Load(Box::new(e)))?;
    Ok(loaded.map(|l| l.doc).unwrap_or_default())
}

/// Read-modify-write; `change` may run several times and returns whether it
/// changed anything.
pub(crate) async fn update_shares<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    change: impl FnMut(&mut SharesDoc) -> bool,
) -> Result<SharesDoc, SharesError> {
    let root = keyring.root().ok_or(SharesError::NotUnlocked)?;
    update(
        pod,
        &keyring.layout().shares(),
        &root.key,
        SharesDoc::default,
        change,
    )
    .await
    .map_err(|e| SharesError::Update(Box::new(e)))
}
