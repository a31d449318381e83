//! At every unlock: the drive registered in the user's private Type Index
//! (`pod::type_index`), so the user's other Solid apps can find it. Best effort:
//! a pod that refuses costs a console warning and nothing else — the drive works
//! the same either way, and the next unlock tries again.

use leptos::prelude::*;
use leptos::task::spawn_local;
use url::Url;

use super::drive::HTTP;
use super::session::{AuthState, SessionContext, UnlockedKeyring};
use crate::pod::type_index::register_drive;
use crate::pod::Pod;

/// Registers the drive whenever `keyring` is unlocked for a logged-in `session`.
pub fn register_on_unlock(session: SessionContext, keyring: UnlockedKeyring) {
    Effect::new(move || {
        let Some(keys) = keyring.0.get() else {
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
