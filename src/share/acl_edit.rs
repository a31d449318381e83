//! Changing a resource's ACL as a read-modify-write that survives concurrent edits:
//! the write is conditional on the ETag it was read with, and a 412 means "read
//! again and re-apply", so two shares of one file at once both end up in the ACL.

use url::Url;

use crate::pod::acl::Acl;
use crate::pod::acl_io::AclError;
use crate::pod::error::WriteError;
use crate::pod::http::HttpClient;
use crate::pod::Pod;

/// Rounds of read-modify-write before giving up; each round loses only to a
/// write that happened between our read and our write.
const ATTEMPTS: usize = 8;

/// Why the edit did not land.
#[derive(Debug)]
pub(crate) enum EditError {
    Acl(AclError),
    /// Every attempt lost to a concurrent change.
    Busy,
}

/// Applies `change` to `resource`'s own ACL and writes it back with the owner's
/// Read/Write/Control kept. `change` returns whether it changed anything; when it
/// did not, nothing is written.
pub(crate) async fn edit_acl<H: HttpClient>(
    pod: &Pod<'_, H>,
    owner: &str,
    resource: &Url,
    mut change: impl FnMut(&mut Acl, &Url) -> Result<bool, AclError>,
) -> Result<(), EditError> {
    for _ in 0..ATTEMPTS {
        let mut document = pod.read_acl(resource).await.map_err(EditError::Acl)?;
        if !change(&mut document.acl, &document.url).map_err(EditError::Acl)? {
            return Ok(());
        }
        match pod.write_acl(&document, owner).await {
            Ok(()) => return Ok(()),
            Err(AclError::Write(WriteError::Conflict)) => continue,
            Err(e) => return Err(EditError::Acl(e)),
        }
    }
    Err(EditError::Busy)
}
