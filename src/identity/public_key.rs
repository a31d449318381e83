//! The public key resource, `<storage>/solidcrypt-public/identity.pem`
//! (docs/FORMAT.md §7.2): SPKI PEM that anyone may read, with an ACL of its own.

use url::Url;

use super::ensure::{Change, EnsureError};
use super::site::Site;
use crate::crypto::rsa_keys::MasterPublicKey;
use crate::pod::acl::{Acl, Authorization, Mode};
use crate::pod::acl_io::{AclDocument, AclError};
use crate::pod::error::{ReadError, WriteError};
use crate::pod::http::HttpClient;
use crate::pod::resource::Condition;
use crate::pod::vocab;
use crate::pod::Pod;

/// Its media type.
pub const PEM_TYPE: &str = "application/x-pem-file";

/// The most a public key resource may be: a 8192-bit SPKI PEM is under 1.5 KiB.
pub const MAX_PEM_BYTES: usize = 16 << 10;

/// What an anonymous GET of the public key resource showed.
pub(super) enum Published {
    /// There, public, and this key.
    Current,
    /// Not there.
    Absent,
    /// There but not readable by everyone; `same_key` if it holds this key.
    NotPublic {
        same_key: bool,
        etag: Option<String>,
    },
    /// Public but another key, or not a key at all.
    OtherKey { etag: Option<String> },
}

/// Reads the resource without credentials: one GET tells whether it exists, is
/// public and holds `key` (a second, with credentials, only if it is not public).
pub(super) async fn check<H: HttpClient>(
    pod: &Pod<'_, H>,
    url: &Url,
    key: &MasterPublicKey,
) -> Result<Published, ReadError> {
    let holds = |body: &[u8]| {
        std::str::from_utf8(body)
            .ok()
            .and_then(|pem| MasterPublicKey::from_spki_pem(pem).ok())
            .is_some_and(|found| &found == key)
    };
    match pod.anonymous().get_bounded(url, "*/*", MAX_PEM_BYTES).await {
        Ok(resource) if holds(&resource.body) => Ok(Published::Current),
        Ok(resource) => Ok(Published::OtherKey {
            etag: resource.meta.etag,
        }),
        Err(ReadError::NotFound) => Ok(Published::Absent),
        Err(ReadError::Unauthorized | ReadError::Forbidden) => {
            match pod.get_bounded(url, "*/*", MAX_PEM_BYTES).await {
                Ok(resource) => Ok(Published::NotPublic {
                    same_key: holds(&resource.body),
                    etag: resource.meta.etag,
                }),
                Err(ReadError::NotFound) => Ok(Published::Absent),
                Err(e) => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

/// Writes the resource (unless it holds the key) and makes it public.
pub(super) async fn publish<H: HttpClient>(
    pod: &Pod<'_, H>,
    site: &Site,
    key: &MasterPublicKey,
    found: Published,
    changes: &mut Vec<Change>,
) -> Result<(), EnsureError> {
    let url = &site.public_key;
    let condition = match found {
        Published::Current => return Ok(()),
        Published::NotPublic { same_key: true, .. } => None,
        Published::Absent => Some(Condition::IfAbsent),
        Published::NotPublic { etag, .. } | Published::OtherKey { etag } => {
            Some(etag.map_or(Condition::Always, Condition::IfMatch))
        }
    };
    let created = condition == Some(Condition::IfAbsent);
    if let Some(condition) = condition {
        pod.put(url, PEM_TYPE, key.to_spki_pem().into_bytes(), &condition)
            .await
            .map_err(EnsureError::PublicKey)?;
        changes.push(Change::PublishedPublicKey);
    }
    // A resource just created has no ACL of its own: write one without reading
    // (which would be a 404); an older one's is read and kept.
    let document = if created {
        pod.acl_url(url).await.map(|acl| AclDocument {
            url: acl,
            resource: url.clone(),
            acl: Acl::default(),
            etag: None,
        })
    } else {
        pod.read_acl(url).await
    };
    make_public(
        pod,
        document.map_err(EnsureError::PublicKeyAcl)?,
        &site.owner,
    )
    .await
    .map_err(EnsureError::PublicKeyAcl)?;
    Ok(())
}

/// Gives the resource's own ACL a public Read rule, keeping every rule there and
/// the owner's Read/Write/Control.
async fn make_public<H: HttpClient>(
    pod: &Pod<'_, H>,
    mut document: AclDocument,
    owner: &str,
) -> Result<(), AclError> {
    let url = document.resource.clone();
    let public = document.acl.authorizations.iter().any(|a| {
        a.agent_classes.iter().any(|c| c == vocab::FOAF_AGENT)
            && a.access_to.iter().any(|r| r == url.as_str())
            && a.modes.contains(&Mode::Read)
    });
    if public && document.etag.is_some() {
        return Ok(());
    }
    let mut rule = Authorization::new(&document.url, &document.acl.free_fragment("public"))?;
    rule.agent_classes.push(vocab::FOAF_AGENT.to_owned());
    rule.access_to.push(url.to_string());
    rule.modes.insert(Mode::Read);
    document.acl.authorizations.push(rule);
    match pod.write_acl(&document, owner).await {
        Ok(()) => Ok(()),
        // Another tab wrote it meanwhile; the next unlock checks again.
        Err(AclError::Write(WriteError::Conflict)) => Ok(()),
        Err(e) => Err(e),
    }
}
