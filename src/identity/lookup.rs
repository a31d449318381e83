//! Someone else's identity, read from their WebID profile (docs/FORMAT.md §7.3,
//! "Reading someone's key"): their public key, its fingerprint, their inbox and
//! storage. Everything here comes from a document its owner (or their pod) wrote,
//! so every way it can be wrong is a typed refusal, never a guess.

use std::collections::BTreeSet;

use url::Url;

use super::public_key::MAX_PEM_BYTES;
use crate::crypto::rsa_keys::{Fingerprint, MasterPublicKey, RsaKeyError, MAX_BITS, MIN_BITS};
use crate::pod::cert::{keys_of, CertError, EXPONENT};
use crate::pod::error::ReadError;
use crate::pod::http::HttpClient;
use crate::pod::profile::{ProfileError, MAX_PROFILE_BYTES};
use crate::pod::rdf::{objects, parse_turtle, RdfError};
use crate::pod::vocab;
use crate::pod::Pod;

/// A person as their profile presents them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub webid: Url,
    /// Their identity key's public half: what to wrap keys to.
    pub public_key: MasterPublicKey,
    /// SHA-256 of its SPKI, to compare out of band.
    pub fingerprint: Fingerprint,
    /// Where offers to them go (`ldp:inbox`).
    pub inbox: Url,
    /// Their storage root.
    pub storage: Url,
    /// The name their profile states (`foaf:name`, else `vcard:fn`), cleaned by
    /// [`clean_name`]: a claim anyone can make, so it is shown next to the WebID,
    /// never instead of it.
    pub name: Option<String>,
}

/// The longest profile name kept, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// Control characters and invisible formatting (bidirectional overrides and
/// isolates, zero-width characters, soft hyphens): in a name shown to a person they
/// could make it read as something else.
pub fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}' | '\u{00AD}')
}

/// A name from someone's profile made safe to show as text: control characters
/// and invisible formatting (bidirectional overrides, zero-width characters, which
/// could make it read as something else) are dropped, runs of white space become
/// one space, and it is cut to [`MAX_NAME_CHARS`]. `None` if nothing is left.
pub fn clean_name(raw: &str) -> Option<String> {
    let words: Vec<String> = raw
        .split(|c: char| c.is_whitespace())
        .map(|w| w.chars().filter(|c| !invisible(*c)).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect();
    let name: String = words.join(" ").chars().take(MAX_NAME_CHARS).collect();
    let name = name.trim_end().to_owned();
    (!name.is_empty()).then_some(name)
}

/// The first `foaf:name` of `webid` that is a non-empty literal after
/// [`clean_name`], else the first such `vcard:fn`.
fn profile_name(triples: &[oxrdf::Triple], webid: &str) -> Option<String> {
    [vocab::FOAF_NAME, vocab::VCARD_FN]
        .iter()
        .find_map(|predicate| {
            triples.iter().find_map(|t| match (&t.subject, &t.object) {
                (oxrdf::NamedOrBlankNode::NamedNode(s), oxrdf::Term::Literal(name))
                    if s.as_str() == webid && t.predicate.as_str() == *predicate =>
                {
                    clean_name(name.value())
                }
                _ => None,
            })
        })
}

/// What anyone may read of someone's profile, as they (or their pod) wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stated {
    /// As [`Person::name`]: cleaned, a claim.
    pub name: Option<String>,
    /// Their storages (`pim:storage`).
    pub storages: Vec<Url>,
}

/// Reads `webid`'s profile without the session (the address may come from a
/// stranger's pod: nothing of the session goes there): the name and storages it
/// states; `None` if it is not an http(s) address or its profile cannot be read
/// (at most [`MAX_PROFILE_BYTES`]). One GET.
pub async fn stated<H: HttpClient>(pod: &Pod<'_, H>, webid: &Url) -> Option<Stated> {
    if !matches!(webid.scheme(), "http" | "https") {
        return None;
    }
    let mut document = webid.clone();
    document.set_fragment(None);
    let resource = pod
        .anonymous()
        .get_bounded(&document, "text/turtle", MAX_PROFILE_BYTES)
        .await
        .ok()?;
    let triples = parse_turtle(&resource.body, document.as_str()).ok()?;
    Some(Stated {
        name: profile_name(&triples, webid.as_str()),
        storages: objects(&triples, webid.as_str(), vocab::PIM_STORAGE)
            .filter_map(http_url)
            .collect(),
    })
}

/// Why a person's identity could not be read. Each is a refusal: nothing about
/// them should be used. The messages speak of "their" profile: the caller shows
/// them next to the WebID it asked about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LookupError {
    #[error("“{0}” is not a WebID (an http or https address)")]
    BadWebId(String),
    #[error("cannot read their profile: {0}")]
    Read(ReadError),
    #[error("their profile could not be read: {0}")]
    Rdf(RdfError),
    #[error("they have published no public key: they need to open solidcrypt once")]
    NoKey,
    #[error(
        "their profile publishes {0} different public keys; which one is theirs cannot be told"
    )]
    SeveralKeys(usize),
    #[error("their public key is unusable: {0}")]
    BadKey(CertError),
    #[error("their public key has {0} bits; at least {MIN_BITS} are needed")]
    KeyTooSmall(usize),
    #[error("their public key has {0} bits; at most {MAX_BITS} are read")]
    KeyTooLarge(usize),
    #[error("their public key is not a valid RSA key: {0}")]
    InvalidKey(RsaKeyError),
    #[error("their public key links to more than one copy of it")]
    SeveralKeyLinks,
    #[error("their public key links to “{0}”, which is not an http(s) address")]
    BadKeyLink(String),
    #[error("cannot read the published copy of their public key ({url}): {source}")]
    KeyLinkUnreadable { url: String, source: ReadError },
    #[error("the published copy of their public key is not an RSA public key")]
    KeyLinkInvalid,
    #[error("their public key in the profile ({profile}) and its published copy ({copy}) differ")]
    KeyMismatch {
        profile: Fingerprint,
        copy: Fingerprint,
    },
    #[error("they have no inbox (ldp:inbox): they need to open solidcrypt once")]
    NoInbox,
    #[error("their profile names more than one inbox")]
    SeveralInboxes,
    #[error("their inbox is “{0}”, not an http(s) address")]
    BadInbox(String),
    #[error("cannot find their storage: {0}")]
    Storage(Box<ProfileError>),
}

/// Reads `webid`'s profile (at most [`MAX_PROFILE_BYTES`]) and, if it links one,
/// the published copy of their key (at most 16 KiB), and checks them against each
/// other (FORMAT.md §7.3). Two GETs (one without a copy), plus the storage search
/// of a profile without `pim:storage`.
pub async fn lookup_person<H: HttpClient>(
    pod: &Pod<'_, H>,
    webid: &Url,
) -> Result<Person, LookupError> {
    if !matches!(webid.scheme(), "http" | "https")
        || !webid.username().is_empty()
        || webid.password().is_some()
    {
        return Err(LookupError::BadWebId(webid.to_string()));
    }
    let mut document = webid.clone();
    document.set_fragment(None);
    let resource = pod
        .get_bounded(&document, "text/turtle", MAX_PROFILE_BYTES)
        .await
        .map_err(LookupError::Read)?;
    let triples = parse_turtle(&resource.body, document.as_str()).map_err(LookupError::Rdf)?;

    // The key: every cert:key node, as keys; exactly one distinct key.
    let nodes = keys_of(&triples, webid.as_str()).map_err(LookupError::BadKey)?;
    let mut keys: Vec<MasterPublicKey> = Vec::new();
    let mut links: BTreeSet<String> = BTreeSet::new();
    for node in &nodes {
        let bits = bit_length(&node.modulus);
        if bits < MIN_BITS {
            return Err(LookupError::KeyTooSmall(bits));
        }
        if bits > MAX_BITS {
            return Err(LookupError::KeyTooLarge(bits));
        }
        let key = MasterPublicKey::from_components(&node.modulus, &EXPONENT.to_be_bytes())
            .map_err(LookupError::InvalidKey)?;
        if !keys.contains(&key) {
            keys.push(key);
        }
        links.extend(node.see_also.iter().cloned());
    }
    let public_key = match keys.len() {
        0 => return Err(LookupError::NoKey),
        1 => keys.remove(0),
        n => return Err(LookupError::SeveralKeys(n)),
    };
    if links.len() > 1 {
        return Err(LookupError::SeveralKeyLinks);
    }
    if let Some(link) = links.into_iter().next() {
        check_copy(pod, &link, &public_key).await?;
    }

    // The inbox: exactly one, http(s).
    let inboxes: BTreeSet<&str> = objects(&triples, webid.as_str(), vocab::LDP_INBOX).collect();
    let inbox = match inboxes.len() {
        0 => return Err(LookupError::NoInbox),
        1 => http_url(inboxes.first().expect("one"))
            .ok_or_else(|| LookupError::BadInbox(shorten(inboxes.first().expect("one"))))?,
        _ => return Err(LookupError::SeveralInboxes),
    };

    let storage = match objects(&triples, webid.as_str(), vocab::PIM_STORAGE).find_map(http_url) {
        Some(storage) => storage,
        None => pod
            .storage_above(webid)
            .await
            .map_err(|e| LookupError::Storage(Box::new(e)))?,
    };
    Ok(Person {
        name: profile_name(&triples, webid.as_str()),
        webid: webid.clone(),
        fingerprint: public_key.fingerprint(),
        public_key,
        inbox,
        storage,
    })
}

/// The published copy must be an http(s) resource holding the same key.
async fn check_copy<H: HttpClient>(
    pod: &Pod<'_, H>,
    link: &str,
    key: &MasterPublicKey,
) -> Result<(), LookupError> {
    let url = http_url(link).ok_or_else(|| LookupError::BadKeyLink(shorten(link)))?;
    // Public by FORMAT.md §7.2, so read without credentials: the session's token
    // is not sent to wherever a hostile profile points.
    let resource = pod
        .anonymous()
        .get_bounded(&url, "*/*", MAX_PEM_BYTES)
        .await
        .map_err(|source| LookupError::KeyLinkUnreadable {
            url: url.to_string(),
            source,
        })?;
    let copy = std::str::from_utf8(&resource.body)
        .ok()
        .and_then(|pem| MasterPublicKey::from_spki_pem(pem).ok())
        .ok_or(LookupError::KeyLinkInvalid)?;
    if &copy != key {
        return Err(LookupError::KeyMismatch {
            profile: key.fingerprint(),
            copy: copy.fingerprint(),
        });
    }
    Ok(())
}

fn http_url(text: &str) -> Option<Url> {
    Url::parse(text)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
}

/// Bits of a big-endian number without leading zero bytes.
fn bit_length(bytes: &[u8]) -> usize {
    match bytes.first() {
        None => 0,
        Some(&top) => bytes.len() * 8 - top.leading_zeros() as usize,
    }
}

/// At most 80 characters of hostile text, for an error message.
fn shorten(text: &str) -> String {
    text.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_names_are_cleaned_and_bounded() {
        assert_eq!(clean_name("  Bob   Smith\n"), Some("Bob Smith".into()));
        assert_eq!(
            clean_name("Bob\u{202E}evil\u{200B}\u{7}"),
            Some("Bobevil".into())
        );
        assert_eq!(clean_name("<b>Bob</b>"), Some("<b>Bob</b>".into()));
        assert_eq!(clean_name("\u{202E}\u{0}\t "), None);
        let long = clean_name(&"é".repeat(500)).unwrap();
        assert_eq!(long.chars().count(), MAX_NAME_CHARS);
    }
}
