//! Revoking a link (DESIGN §1 step 5): the group loses its grant and the group
//! document is deleted, so membership can no longer be claimed or used; then the
//! keys are rotated, so whoever kept the link's key cannot read later versions.
//! What was downloaded before stays downloaded: no revocation can undo that.

use url::Url;

use super::acl_edit::{drop_if_redundant, edit_acl, EditError};
use super::create::files_shared_alone;
use super::grant::Grantee;
use super::link::Shared;
use super::list::{links_created, update_links, CreatedLink, LinksError, StoredLinkError};
use super::rotate::{rotate_file, RotateError};
use crate::crypto::SecretKey;
use crate::keystore::slots::slot_b;
use crate::keystore::{Keyring, KeyringError};
use crate::pod::acl::{Acl, Authorization};
use crate::pod::acl_io::AclError;
use crate::pod::error::{ReadError, WriteError};
use crate::pod::group::Group;
use crate::pod::http::HttpClient;
use crate::pod::resource::Condition;
use crate::pod::Pod;

/// Revoking failed part-way: it is safe to call [`revoke`] again (the link stays
/// in "links I created" until every step is done).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RevokeError {
    #[error(transparent)]
    Stored(#[from] StoredLinkError),
    #[error("cannot take the link's access away: {0}")]
    Acl(#[from] AclError),
    #[error("the access rules kept changing while revoking; try again")]
    Busy,
    #[error("access is revoked, but the link's group could not be deleted: {0}")]
    DeleteGroup(WriteError),
    #[error("access is revoked, but the link's group could not be found: {0}")]
    FindGroup(ReadError),
    #[error("access is revoked, but the keystores could not be updated: {0}")]
    Keyring(#[from] KeyringError),
    #[error("access is revoked, but {url} could not be re-encrypted under a new key: {error}")]
    Rotate { url: Url, error: RotateError },
    #[error("access is revoked and keys rotated, but the folder's old shared keystore could not be deleted: {0}")]
    DeleteKeystore(WriteError),
    #[error("access is revoked and keys rotated, but the list of links could not be updated: {0}")]
    Links(#[from] LinksError),
}

impl From<EditError> for RevokeError {
    fn from(e: EditError) -> Self {
        match e {
            EditError::Acl(e) => RevokeError::Acl(e),
            EditError::Busy => RevokeError::Busy,
        }
    }
}

/// What a revocation did.
#[derive(Debug, Clone)]
pub struct Revoked {
    /// The files re-encrypted under new keys.
    pub rotated: Vec<Url>,
    /// The files that could not be re-encrypted because their key does not open
    /// them (see [`RotateError::cannot_open`]): left as they are, and reported.
    pub skipped: Vec<Skipped>,
    /// Other key-in-link file links (FORMAT.md §5.3, made before file links had
    /// keystores) to a rotated file, with the new key: the link as sent before
    /// carries the old key and no longer decrypts the file (its group still has
    /// access), so offer these to be sent again. Links that name a keystore are
    /// never here: the new key was written to their keystores.
    pub updated_links: Vec<CreatedLink>,
}

/// How far a revocation got, told as it goes ([`revoke`] and
/// `crate::people::revoke_person` take a `progress` callback): re-encrypting a
/// folder of many files takes a while, and the user should see it move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RevokeProgress {
    /// Taking the access away: access rules, the group, the keystores.
    Withdrawing,
    /// Re-encrypting the `file`th (from 1) of the `of` files concerned.
    Reencrypting { file: usize, of: usize },
}

/// A file a revocation could not re-encrypt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub url: Url,
    /// Its name in the keystore that holds its entry (whoever wrote the entry chose
    /// it: show it as text).
    pub name: String,
    pub error: RotateError,
}

/// Revokes one of `owner`'s links (from [`super::links_created`]):
///
/// 1. the link's group is taken out of the ACL of the resource (and, for a folder,
///    of its shared keystore), `owner` keeping Read/Write/Control, and the group
///    document is deleted;
/// 2. a folder link's shared keystore leaves the owner's index (its keys, such as
///    those of files collaborators added, are first copied into the root keystore)
///    and is deleted at the end;
/// 3. the file, or every file under the folder, is re-encrypted under a new key,
///    written first to the owner's keystores and to the keystores of the links
///    and shares that remain — folder links', file links' (FORMAT.md §5.1),
///    people's — so their holders read on (each file in memory, see `rotate`);
///    the revoked link's own keystore (a folder's or a file's) left the index
///    before and is deleted after; a file its key does
///    not open (damaged, or an entry planted by a collaborator) is skipped and
///    listed in [`Revoked::skipped`], so it cannot stop the others;
/// 4. the link leaves "links I created"; other key-in-link file links to a
///    rotated file get the new key there (see [`Revoked::updated_links`]).
///
/// Idempotent: after a failure, call it again with the same link. `progress` is
/// told each step as it starts.
pub async fn revoke<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    owner: &str,
    created: &CreatedLink,
    progress: &dyn Fn(RevokeProgress),
) -> Result<Revoked, RevokeError> {
    progress(RevokeProgress::Withdrawing);
    let link = created.link()?;
    let own_keystore = match &link.shared {
        Shared::File { keystore, .. } => Some(keystore),
        _ => None,
    };
    let revoked = match &link.shared {
        Shared::File { url, .. } | Shared::FileKey { url, .. } => {
            // A file link's own keystore (FORMAT.md §5.1) is granted like the file.
            let slots: Vec<Url> = own_keystore
                .into_iter()
                .flat_map(|k| [k.clone(), slot_b(k)])
                .collect();
            let mut touched = vec![url];
            touched.extend(&slots);
            withdraw(pod, owner, &link.group, &touched).await?;
            let others = links_created(pod, keyring).await?;
            let last = !others
                .iter()
                .any(|l| l.resource == created.resource && l.group != created.group);
            if last {
                // Best effort: an ACL left in place only means a later folder link
                // grants this file separately, which it does while the file is
                // listed here; once not, it would miss it.
                let _ = drop_if_redundant(pod, url).await;
            }
            rotate_after(pod, keyring, url, own_keystore, progress).await?
        }
        Shared::Folder { url, keystore, .. } => {
            let alone = files_shared_alone(pod, keyring, url).await?;
            let keystore_b = slot_b(keystore);
            let mut touched = vec![url, keystore, &keystore_b];
            touched.extend(&alone);
            withdraw(pod, owner, &link.group, &touched).await?;
            rotate_after(pod, keyring, url, Some(keystore), progress).await?
        }
    };
    update_links(pod, keyring, |doc| {
        let before = doc.links.len();
        doc.links.retain(|l| l.group != created.group);
        doc.links.len() != before
    })
    .await?;
    Ok(Revoked {
        updated_links: revoked
            .updated_links
            .into_iter()
            .filter(|l| l.group != created.group)
            .collect(),
        ..revoked
    })
}

/// What a revocation does once access is withdrawn, for a link or a person
/// (`crate::people`): a share's own `keystore` (a folder link's, or a person's)
/// leaves the owner's index and is deleted at the end (for a folder, the keys
/// only it held are first copied into the root keystore); the file `resource`,
/// or every file under the folder `resource` (with a `keystore`: a folder
/// exactly when `resource` ends in `/` and is no keyed entry), is re-encrypted
/// under a new key written to the keystores that still cover it (a file its key
/// does not open is skipped and listed); key-in-link file links to a rotated file
/// get the new key in "links I created". Idempotent. `progress` is told of each
/// file as its re-encryption starts.
pub(crate) async fn rotate_after<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    resource: &Url,
    keystore: Option<&Url>,
    progress: &dyn Fn(RevokeProgress),
) -> Result<Revoked, RevokeError> {
    let folder = resource.path().ends_with('/')
        && keyring
            .lookup(resource.as_str())
            .is_none_or(|entry| entry.key.is_none());
    if folder {
        keep_in_root(pod, keyring, resource).await?;
    }
    if let Some(keystore) = keystore {
        keyring.remove_keystore(pod, keystore.as_str()).await?;
    }
    let files = if folder {
        keyring
            .entries_under(resource.as_str())
            .into_iter()
            .filter(|(_, entry)| entry.key.is_some())
            .filter_map(|(url, _)| Url::parse(&url).ok())
            .collect()
    } else {
        vec![resource.clone()]
    };
    let mut rotated: Vec<(Url, SecretKey)> = Vec::new();
    let mut skipped = Vec::new();
    let of = files.len();
    for (done, url) in files.into_iter().enumerate() {
        progress(RevokeProgress::Reencrypting { file: done + 1, of });
        match rotate_file(pod, keyring, &url).await {
            Ok(Some(key)) => rotated.push((url, key)),
            Ok(None) => {}
            Err(error) if error.cannot_open() => {
                let name = keyring.lookup(url.as_str()).map(|e| e.name);
                skipped.push(Skipped {
                    name: name
                        .filter(|n| !n.is_empty())
                        .unwrap_or_else(|| url.to_string()),
                    url,
                    error,
                });
            }
            Err(error) => return Err(RevokeError::Rotate { url, error }),
        }
    }
    if let Some(keystore) = keystore {
        delete_keystore(pod, keystore).await?;
    }
    let doc = update_links(pod, keyring, |doc| {
        let mut changed = false;
        // Key-in-link links only: the others' keystores hold the new key already.
        for other in doc.links.iter_mut().filter(|l| l.key.is_some()) {
            if let Some((_, key)) = rotated.iter().find(|(u, _)| u.as_str() == other.resource) {
                other.key = Some(key.clone());
                changed = true;
            }
        }
        changed
    })
    .await?;
    let updated_links = doc
        .links
        .into_iter()
        .filter(|l| l.key.is_some() && rotated.iter().any(|(u, _)| u.as_str() == l.resource))
        .collect();
    Ok(Revoked {
        rotated: rotated.into_iter().map(|(url, _)| url).collect(),
        skipped,
        updated_links,
    })
}

/// Deletes both slots of a share's `keystore` (FORMAT.md §4.4; a share from before
/// slots has slot A only) and their ACLs. What is already gone counts as deleted.
pub(crate) async fn delete_keystore<H: HttpClient>(
    pod: &Pod<'_, H>,
    keystore: &Url,
) -> Result<(), RevokeError> {
    for slot in [keystore.clone(), slot_b(keystore)] {
        delete_with_acl(pod, &slot).await.map_err(|e| match e {
            Deletion::Find(e) => RevokeError::FindGroup(e),
            Deletion::Acl(e) => RevokeError::Acl(e),
            Deletion::Delete(e) => RevokeError::DeleteKeystore(e),
        })?;
    }
    Ok(())
}

/// Copies every key under `folder` that the root keystore lacks into it (keys a
/// collaborator wrote only into the folder's shared keystore), so nothing is lost
/// when that keystore goes.
async fn keep_in_root<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    folder: &Url,
) -> Result<(), KeyringError> {
    let Some(root) = keyring.root() else {
        return Ok(());
    };
    let in_root = keyring.entries_of(&root.url);
    for (url, entry) in keyring.entries_under(folder.as_str()) {
        if !in_root.iter().any(|(u, _)| *u == url) {
            keyring.add(pod, &url, entry).await?;
        }
    }
    Ok(())
}

/// Takes the group declared in `group` out of the ACL of each of `resources`
/// (keeping `owner`'s Read, Write and Control), then deletes the group document
/// and its ACL. Idempotent: what is already gone counts as done.
pub async fn withdraw<H: HttpClient>(
    pod: &Pod<'_, H>,
    owner: &str,
    group: &Url,
    resources: &[&Url],
) -> Result<(), RevokeError> {
    let of = Group::in_document(group);
    withdraw_from(pod, owner, &Grantee::Group(&of), resources).await?;
    delete_with_acl(pod, group).await.map_err(|e| match e {
        Deletion::Find(e) => RevokeError::FindGroup(e),
        Deletion::Acl(e) => RevokeError::Acl(e),
        Deletion::Delete(e) => RevokeError::DeleteGroup(e),
    })
}

/// Takes `grantee` out of the ACL of each of `resources` (keeping `owner`'s Read,
/// Write and Control). Idempotent: a resource already gone counts as done.
pub(crate) async fn withdraw_from<H: HttpClient>(
    pod: &Pod<'_, H>,
    owner: &str,
    grantee: &Grantee<'_>,
    resources: &[&Url],
) -> Result<(), RevokeError> {
    for resource in resources {
        match edit_acl(pod, owner, resource, |acl, _, _| {
            Ok(remove_grantee(acl, grantee))
        })
        .await
        {
            Ok(()) => {}
            // A resource deleted meanwhile grants nothing any more.
            Err(EditError::Acl(AclError::Read(ReadError::NotFound))) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// Drops `grantee` (a group, or one person's WebID) from every authorization; one
/// left with nobody to apply to is dropped entirely. Returns whether anything
/// changed.
fn remove_grantee(acl: &mut Acl, grantee: &Grantee<'_>) -> bool {
    let (group, agent) = match grantee {
        Grantee::Group(group) => (Some(group.iri.as_str()), None),
        Grantee::Agent(webid) => (None, Some(*webid)),
    };
    let named = |rule: &Authorization| {
        group.is_some_and(|g| rule.agent_groups.iter().any(|x| x == g))
            || agent.is_some_and(|a| rule.agents.iter().any(|x| x == a))
    };
    let before = acl.authorizations.clone();
    for rule in &mut acl.authorizations {
        rule.agent_groups.retain(|g| Some(g.as_str()) != group);
        rule.agents.retain(|a| Some(a.as_str()) != agent);
    }
    acl.authorizations.retain(|rule| {
        let was_ours = before.iter().any(|b| b.id == rule.id && named(b));
        let nobody =
            rule.agents.is_empty() && rule.agent_classes.is_empty() && rule.agent_groups.is_empty();
        !(was_ours && nobody)
    });
    acl.authorizations != before
}

/// Why [`delete_with_acl`] stopped.
enum Deletion {
    Find(ReadError),
    Acl(AclError),
    Delete(WriteError),
}

/// Deletes `document`, then its ACL (found through `Link rel="acl"` before the
/// document goes); what is already gone counts as deleted.
async fn delete_with_acl<H: HttpClient>(pod: &Pod<'_, H>, document: &Url) -> Result<(), Deletion> {
    let acl = match pod.acl_url(document).await {
        Ok(url) => Some(url),
        Err(AclError::Read(ReadError::NotFound)) => None,
        Err(AclError::Read(e)) => return Err(Deletion::Find(e)),
        Err(e) => return Err(Deletion::Acl(e)),
    };
    for url in std::iter::once(document).chain(acl.as_ref()) {
        match pod.delete(url, &Condition::Always).await {
            Ok(()) | Err(WriteError::NotFound) => {}
            Err(e) => return Err(Deletion::Delete(e)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pod::acl::Mode;

    const GROUP: &str =
        "http://localhost:3000/alice/group-00112233445566778899aabbccddeeff.ttl#group";
    const OTHER: &str =
        "http://localhost:3000/alice/group-ffeeddccbbaa99887766554433221100.ttl#group";

    fn rule(acl_url: &Url, name: &str, groups: &[&str], agents: &[&str]) -> Authorization {
        let mut rule = Authorization::new(acl_url, name).unwrap();
        rule.agent_groups = groups.iter().map(|g| g.to_string()).collect();
        rule.agents = agents.iter().map(|a| a.to_string()).collect();
        rule.access_to.push("http://localhost:3000/alice/f".into());
        rule.modes.insert(Mode::Read);
        rule
    }

    #[test]
    fn only_the_revoked_group_goes() {
        let acl_url = Url::parse("http://localhost:3000/alice/f.acl").unwrap();
        let owner = "http://localhost:3000/alice/profile/card#me";
        let mut acl = Acl::default();
        acl.authorizations = vec![
            rule(&acl_url, "owner", &[], &[owner]),
            rule(&acl_url, "share", &[GROUP], &[]),
            rule(&acl_url, "share-2", &[OTHER], &[]),
            rule(&acl_url, "mixed", &[GROUP, OTHER], &[]),
            rule(&acl_url, "friend", &[GROUP], &["https://bob.example/#me"]),
        ];
        let group = Group::from_iri(Url::parse(GROUP).unwrap());
        assert!(remove_grantee(&mut acl, &Grantee::Group(&group)));
        let left: Vec<_> = acl
            .authorizations
            .iter()
            .map(|r| (r.agent_groups.clone(), r.agents.len()))
            .collect();
        assert_eq!(
            left,
            [
                (vec![], 1),
                (vec![OTHER.to_owned()], 0),
                (vec![OTHER.to_owned()], 0),
                (vec![], 1),
            ]
        );
        assert!(
            !remove_grantee(&mut acl, &Grantee::Group(&group)),
            "nothing left to change"
        );
        assert!(remove_grantee(
            &mut acl,
            &Grantee::Agent("https://bob.example/#me")
        ));
        assert_eq!(
            acl.authorizations.len(),
            3,
            "the friend's rule went with him"
        );
        assert_eq!(acl.authorizations[0].agents, [owner]);
    }
}
