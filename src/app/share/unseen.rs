//! The "new changes" badge of a shared folder under "Shared with me" and "Links
//! I created": its members changed since the user last opened it on this
//! device. The rule and where the last-seen version is kept (and why there) are
//! `share::seen`'s; here the folder's version is read with a `HEAD`, again
//! whenever the pod announces a change (`drive::follow_changes`, notifications
//! or polling), and written when the drive shows the folder ([`opened`]).

use leptos::prelude::*;
use url::Url;

use crate::app::drive::index_memory::{load, save};
use crate::app::drive::{follow_changes, HTTP};
use crate::auth::session::Session;
use crate::pod::Pod;
use crate::share::seen::{compare, key_for, version, Seen};

/// The folder's version now, if the pod says.
async fn version_now(session: &Session, folder: &Url) -> Option<String> {
    let pod = Pod::new(&HTTP, Some(session));
    let etag = pod.head(folder).await.ok()?.etag;
    version(etag.as_deref()).map(str::to_owned)
}

/// The drive showed `folder`: if a list follows it (it has a last-seen
/// version), what it has now is seen. Only followed folders cost a `HEAD`.
pub fn opened(session: Session, folder: Url) {
    let key = key_for(&folder);
    if load(&key).is_none() {
        return;
    }
    leptos::task::spawn_local(async move {
        if let Some(now) = version_now(&session, &folder).await {
            save(&key, &now);
        }
    });
}

/// The badge of the shared folder at `folder`: shown while it has changed since
/// last opened here, with words for screen readers and a polite live region, so
/// a change arriving while the list is open is announced.
#[component]
pub fn UnseenBadge(session: Session, folder: Url) -> impl IntoView {
    let checks = RwSignal::new(0u64);
    let topic = Memo::new({
        let folder = folder.clone();
        move |_| Some(folder.clone())
    });
    follow_changes(session.clone(), topic, move || checks.update(|n| *n += 1));
    let session = StoredValue::new(session);
    let folder = StoredValue::new(folder);
    let unseen = LocalResource::new(move || {
        checks.track();
        let (session, folder) = (session.get_value(), folder.get_value());
        async move {
            let now = version_now(&session, &folder).await;
            let key = key_for(&folder);
            match compare(load(&key).as_deref(), now.as_deref()) {
                Seen::Remember => {
                    if let Some(now) = now {
                        save(&key, &now);
                    }
                    false
                }
                Seen::Unseen => true,
                Seen::Same => false,
            }
        }
    });
    move || {
        unseen
            .get()
            .unwrap_or(false)
            .then(|| view! { <span class="badge" role="status">"new changes"</span> })
    }
}
