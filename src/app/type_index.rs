//! At every unlock: the drive registered in the user's private Type Index
//! (`pod::type_index`), so the user's other Solid apps can find it. Best effort:
//! a pod that refuses costs a console warning and nothing else — the drive works
//! the same either way, and the next unlock tries again.
//!
//! It waits until the identity check of the same unlock is done: both may add to
//! the WebID profile, and the identity's conditional PATCH would lose to ours (a
//! 412, and "your key could not be checked").

use leptos::prelude::*;
use leptos::task::spawn_local;
use url::Url;

use super::drive::HTTP;
use super::identity::{IdentityContext, IdentityState};
use super::session::{AuthState, SessionContext, UnlockedKeyring};
use crate::pod::type_index::register_drive;
use crate::pod::Pod;

/// Registers the drive once `identity` is settled for an unlocked `keyring` of a
/// logged-in `session`.
pub fn register_on_unlock(
    session: SessionContext,
    keyring: UnlockedKeyring,
    identity: IdentityContext,
) {
    Effect::new(move || {
        if !matches!(
            identity.0.get(),
            IdentityState::Ready(_) | IdentityState::Failed(_)
        ) {
            return;
        }
        let Some(keys) = keyring.0.get_untracked() else {
            return;
        };
        let AuthState::LoggedIn(login) = session.0.get_untracked() else {
            return;
        };
        // A link opened without a drive has no folder on the pod to register.
        if keys.is_in_memory() {
            return;
        }
        spawn_local(async move {
            let drive = keys.layout().base().clone();
            let (Ok(webid), Ok(storage)) = (Url::parse(&login.webid), drive.join("../")) else {
                return;
            };
            let pod = Pod::new(&HTTP, Some(&login));
            if let Err(e) = register_drive(&pod, &webid, &storage, &drive, &login.webid).await {
                leptos::logging::warn!("the drive is not in your type index: {e}");
            }
        });
    });
}
