//! Contacts and the public-key audit (issue 12 item 2): the fingerprint of each
//! person's key as I first saw it, and whether I compared it with them. A key that
//! changes later is never used silently: granting refuses until I verify the new one.

use super::offer::fingerprint_hex;
use super::shares::{shares, update_shares, Contact, SharesDoc, SharesError};
use crate::auth::clock::now_secs;
use crate::identity::Person;
use crate::keystore::Keyring;
use crate::pod::http::HttpClient;
use crate::pod::Pod;

/// What my contacts say about a person's key as published now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContactStatus {
    /// Not a contact yet: show the fingerprint, to compare before sharing.
    New,
    /// The key I know. `verified`: I compared it with them.
    Known { verified: bool },
    /// Another key than the one I know (64 hex each): a loud warning.
    KeyChanged { old: String, new: String },
}

/// The status of `webid`'s key `fingerprint` (64 hex) in `doc`.
pub(crate) fn status_in(doc: &SharesDoc, webid: &str, fingerprint: &str) -> ContactStatus {
    match doc.contact(webid) {
        None => ContactStatus::New,
        Some(c) if c.fingerprint == fingerprint => ContactStatus::Known {
            verified: c.verified,
        },
        Some(c) => ContactStatus::KeyChanged {
            old: c.fingerprint.clone(),
            new: fingerprint.to_owned(),
        },
    }
}

/// The status of `person`'s published key among my contacts (one read).
pub async fn contact_status<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    person: &Person,
) -> Result<ContactStatus, SharesError> {
    let doc = shares(pod, keyring).await?;
    Ok(status_in(
        &doc,
        person.webid.as_str(),
        &fingerprint_hex(&person.fingerprint),
    ))
}

/// My contacts (one read).
pub async fn contacts<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
) -> Result<Vec<Contact>, SharesError> {
    Ok(shares(pod, keyring).await?.contacts)
}

/// Records that I compared `person`'s fingerprint with them out of band and it
/// matches: the contact is added or updated to this key, verified, with the name
/// their profile states now. This is also how a changed key is accepted.
pub async fn verify_contact<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    person: &Person,
) -> Result<(), SharesError> {
    let webid = person.webid.as_str();
    let fingerprint = fingerprint_hex(&person.fingerprint);
    update_shares(pod, keyring, |doc| {
        match doc.contacts.iter_mut().find(|c| c.webid == webid) {
            Some(c) if c.fingerprint == fingerprint && c.verified && c.name == person.name => {
                return false
            }
            Some(c) => {
                c.fingerprint = fingerprint.clone();
                c.verified = true;
                c.name = person.name.clone();
            }
            None => doc.contacts.push(Contact {
                webid: webid.to_owned(),
                fingerprint: fingerprint.clone(),
                verified: true,
                first_seen: now_secs(),
                name: person.name.clone(),
            }),
        }
        true
    })
    .await
    .map(|_| ())
}
