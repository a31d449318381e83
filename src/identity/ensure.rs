//! At drive setup and at every unlock: the user's identity key exists, is sealed
//! on their pod, is published, and they have an inbox (docs/FORMAT.md §7.5). What
//! is missing is created, what is broken repaired; a second key is never made
//! while one opens.

use oxrdf::Triple;
use url::Url;

use super::inbox::{create_inbox, InboxError};
use super::profile_key::{fix_for, inbox_triple};
use super::public_key;
use super::sealed::{self, Found, SealedWriteError};
use super::site::Site;
use crate::crypto::identity_key::{IdentityKey, IdentityKeyMaker};
use crate::crypto::rsa_keys::{Fingerprint, MasterPublicKey, RsaKeyError};
use crate::keystore::Keyring;
use crate::pod::acl_io::AclError;
use crate::pod::error::{ReadError, WriteError};
use crate::pod::http::HttpClient;
use crate::pod::patch::PatchError;
use crate::pod::profile::MAX_PROFILE_BYTES;
use crate::pod::rdf::{objects, parse_turtle, RdfError};
use crate::pod::vocab;
use crate::pod::Pod;

/// The unlocked identity of this session.
pub struct Identity<K> {
    /// Opens keys wrapped to the user (FORMAT.md §3).
    pub key: K,
    /// Its public key's fingerprint, to show ("Your key: 3f2a 9c01 …").
    pub fingerprint: Fingerprint,
    /// The user's inbox (the profile's `ldp:inbox`).
    pub inbox: Url,
    /// What this call changed on the pod, in order (empty when all was in place).
    pub changes: Vec<Change>,
}

impl<K: IdentityKey> Identity<K> {
    /// The public half.
    pub fn public_key(&self) -> &MasterPublicKey {
        self.key.public_key()
    }
}

/// One thing [`ensure_identity`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Change {
    /// A new keypair, sealed on the pod.
    CreatedKey,
    /// A sealed key that did not open, and was never published, was replaced.
    ReplacedUnusableKey,
    /// The public key resource was written.
    PublishedPublicKey,
    /// The profile's key statements were added or fixed.
    PublishedInProfile,
    /// The profile named another key as solidcrypt's; it now names this one.
    ReplacedProfileKey,
    /// `<storage>/inbox/` was created.
    CreatedInbox,
    /// `ldp:inbox` was added to the profile.
    LinkedInbox,
}

/// Why the identity could not be made ready. What was written before stays (each
/// step is finished by the next unlock).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EnsureError {
    #[error("the keyring has no root keystore; unlock first")]
    NotUnlocked,
    #[error("cannot read {0}: {1}")]
    Read(Url, ReadError),
    #[error("cannot list your keystores: {0}")]
    List(String),
    #[error("your profile could not be read: {0}")]
    Profile(RdfError),
    #[error("your identity key on the pod is damaged and cannot be opened; it was left as it is")]
    Damaged,
    #[error("your identity key could not be made or opened: {0}")]
    Key(RsaKeyError),
    #[error("your identity key could not be encrypted: {0}")]
    Seal(String),
    #[error("cannot save your identity key: {0}")]
    Save(WriteError),
    #[error("cannot publish your public key: {0}")]
    PublicKey(WriteError),
    #[error("cannot make your public key readable by everyone: {0}")]
    PublicKeyAcl(AclError),
    #[error("cannot add your public key to your profile: {0}")]
    ProfilePatch(PatchError),
    #[error(transparent)]
    Inbox(#[from] InboxError),
    #[error("your profile names an inbox that is not a web address")]
    BadInbox,
}

/// Makes sure the user's identity is in place (FORMAT.md §7) and returns it
/// unlocked: opens the sealed key, or makes one (sealed first, then published);
/// then the public key resource, the profile's `cert:key` statements and the
/// inbox, each created or repaired when missing. With everything in place it
/// costs four GETs: the profile, the keystores folder's listing, the sealed key,
/// and the public key (anonymously). A first run asks for nothing that is absent.
pub async fn ensure_identity<H: HttpClient, M: IdentityKeyMaker>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    site: &Site,
    maker: &M,
) -> Result<Identity<M::Key>, EnsureError> {
    let root = keyring.root().ok_or(EnsureError::NotUnlocked)?;
    let sealed_url = keyring.layout().identity_key();
    let read_sealed = || async {
        sealed::read(pod, &sealed_url, &root.key)
            .await
            .map_err(|e| EnsureError::Read(sealed_url.clone(), e))
    };
    let profile = read_profile(pod, site).await?;
    // Listed before it is read, so a first run asks for nothing that is not there
    // (a browser reports every 404 as an error in the console).
    let listed = pod
        .list(&keyring.layout().keystores())
        .await
        .map_err(|e| EnsureError::List(e.to_string()))?
        .iter()
        .any(|member| member.url == sealed_url);
    let found = if listed {
        read_sealed().await?
    } else {
        Found::Absent
    };
    let mut changes = Vec::new();
    let key = match found {
        Found::Opened(der) => maker.import(der).await.map_err(EnsureError::Key)?,
        Found::Absent => match create(pod, &sealed_url, &root.key, maker, None).await {
            Ok(key) => {
                changes.push(Change::CreatedKey);
                key
            }
            // Another tab made one first: use that.
            Err(EnsureError::Save(WriteError::Conflict)) => match read_sealed().await? {
                Found::Opened(der) => maker.import(der).await.map_err(EnsureError::Key)?,
                _ => return Err(EnsureError::Damaged),
            },
            Err(e) => return Err(e),
        },
        Found::Broken { etag } => {
            // Only a key nobody can have seen may be replaced: none in the profile,
            // no public key resource.
            let published = profile.names_a_key()
                || !matches!(pod.head(&site.public_key).await, Err(ReadError::NotFound));
            if published {
                return Err(EnsureError::Damaged);
            }
            let key = create(pod, &sealed_url, &root.key, maker, etag).await?;
            changes.push(Change::ReplacedUnusableKey);
            key
        }
    };
    let public = key.public_key().clone();
    // A profile that names no solidcrypt key has no public key resource either
    // (it is written first): create it, and look only if it is there after all.
    let state = if profile.names_a_key() {
        public_key::check(pod, &site.public_key, &public)
            .await
            .map_err(|e| EnsureError::Read(site.public_key.clone(), e))?
    } else {
        public_key::Published::Absent
    };
    match public_key::publish(pod, site, &public, state, &mut changes).await {
        Err(EnsureError::PublicKey(WriteError::Conflict)) => {
            let state = public_key::check(pod, &site.public_key, &public)
                .await
                .map_err(|e| EnsureError::Read(site.public_key.clone(), e))?;
            public_key::publish(pod, site, &public, state, &mut changes).await?;
        }
        other => other?,
    }
    let fix = fix_for(&profile.triples, site, &public).map_err(EnsureError::Profile)?;
    if !fix.is_empty() {
        pod.patch_triples(
            &profile.document,
            &fix.insert,
            &fix.delete,
            profile.etag.as_deref(),
        )
        .await
        .map_err(EnsureError::ProfilePatch)?;
        changes.push(if fix.delete.is_empty() {
            Change::PublishedInProfile
        } else {
            Change::ReplacedProfileKey
        });
    }
    let inbox = match profile.inbox()? {
        Some(inbox) => inbox,
        None => {
            if create_inbox(pod, &site.inbox, &site.owner).await? == super::inbox::Created::New {
                changes.push(Change::CreatedInbox);
            }
            let triple = inbox_triple(&site.webid, &site.inbox).map_err(EnsureError::Profile)?;
            pod.insert_triples(&profile.document, &[triple])
                .await
                .map_err(EnsureError::ProfilePatch)?;
            changes.push(Change::LinkedInbox);
            site.inbox.clone()
        }
    };
    Ok(Identity {
        fingerprint: public.fingerprint(),
        key,
        inbox,
        changes,
    })
}

/// A new keypair, sealed and saved before anything else sees it.
async fn create<H: HttpClient, M: IdentityKeyMaker>(
    pod: &Pod<'_, H>,
    url: &Url,
    root_key: &crate::crypto::SecretKey,
    maker: &M,
    replacing: Option<String>,
) -> Result<M::Key, EnsureError> {
    let (der, key) = maker.generate().await.map_err(EnsureError::Key)?;
    sealed::write(pod, url, root_key, &der, replacing)
        .await
        .map_err(|e| match e {
            SealedWriteError::Seal(why) => EnsureError::Seal(why),
            SealedWriteError::Write(e) => EnsureError::Save(e),
        })?;
    Ok(key)
}

/// The user's profile document as read.
struct OwnProfile {
    document: Url,
    webid: Url,
    key_node: oxrdf::NamedNode,
    triples: Vec<Triple>,
    etag: Option<String>,
}

impl OwnProfile {
    /// Whether it says anything about solidcrypt's key node.
    fn names_a_key(&self) -> bool {
        crate::pod::cert::about(&self.triples, &self.key_node)
            .next()
            .is_some()
    }

    /// The profile's inbox; several or a non-http(s) one is an error (the user's
    /// own profile, but another app may have written it).
    fn inbox(&self) -> Result<Option<Url>, EnsureError> {
        let mut found = objects(&self.triples, self.webid.as_str(), vocab::LDP_INBOX);
        let Some(first) = found.next() else {
            return Ok(None);
        };
        let url = Url::parse(first).map_err(|_| EnsureError::BadInbox)?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(EnsureError::BadInbox);
        }
        Ok(Some(url))
    }
}

async fn read_profile<H: HttpClient>(
    pod: &Pod<'_, H>,
    site: &Site,
) -> Result<OwnProfile, EnsureError> {
    let document = site.profile_document();
    let resource = pod
        .get_bounded(&document, "text/turtle", MAX_PROFILE_BYTES)
        .await
        .map_err(|e| EnsureError::Read(document.clone(), e))?;
    let triples = parse_turtle(&resource.body, document.as_str()).map_err(EnsureError::Profile)?;
    let key_node = oxrdf::NamedNode::new(crate::pod::cert::key_node(&site.webid).as_str())
        .map_err(|e| EnsureError::Profile(RdfError::Syntax(e.to_string())))?;
    Ok(OwnProfile {
        document,
        webid: site.webid.clone(),
        key_node,
        triples,
        etag: resource.meta.etag,
    })
}
