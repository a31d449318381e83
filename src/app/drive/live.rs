//! The open folder kept current (issue 13): while a folder is shown, the pod's
//! notifications (or, where it offers none, polling — `pod::live` decides, and
//! this file cannot tell which) make the listing re-read itself, the same way
//! an upload's end does: in place, rows kept by address, so selection and
//! scroll stay. `drive::list_folder` re-reads the keystores when a member has no
//! key yet, so a collaborator's new file opens at once.
//!
//! A file someone else added is announced quietly ("notes.txt was added to
//! Trip") once the listing has it, with the name from the (decrypted) keystore —
//! never from the notification or the pod. The pod does not say who made a
//! change, so neither does the toast; changes this tab made itself
//! (`pod::live::own_writes`) are not announced.

use leptos::prelude::*;
use url::Url;

use super::toasts::Toasts;
use crate::auth::session::Session;
use crate::drive::Item;

/// Several notifications of one change (a file in parts, a folder drop) make
/// one re-read, this long after the first.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(250);

/// The live state of one file browser.
#[derive(Clone, Copy)]
pub struct LiveFolder {
    /// Members others added that the listing has not shown yet.
    news: StoredValue<Vec<Url>, LocalStorage>,
}

impl LiveFolder {
    /// Follows the folder `folder` names (none: nothing) until the browser
    /// closes, bumping `reload` when it changed.
    pub fn follow(session: Session, folder: Memo<Option<Url>>, reload: RwSignal<u64>) -> Self {
        let news = StoredValue::new_local(Vec::new());
        let settled = settle(move || {
            reload.try_update(|n| *n += 1);
        });
        let changed = move |added: Option<Url>| {
            if let Some(url) = added {
                let _ = news.try_update_value(|n| n.push(url));
            }
            settled();
        };
        watch::follow(session, folder, changed);
        Effect::new(move || {
            folder.track();
            news.set_value(Vec::new());
        });
        LiveFolder { news }
    }

    /// Announces the members of a fresh listing of `folder` (named `name`) that
    /// others added, if they have keys.
    pub fn announce(&self, items: &[Item], name: &str, toasts: Toasts) {
        let Some(news) = self.news.try_get_value() else {
            return;
        };
        if news.is_empty() {
            return;
        }
        for item in items.iter().filter(|i| news.contains(&i.url)) {
            if item.known {
                toasts.note(format!("{} was added to {name}.", item.name));
            }
        }
        self.news
            .update_value(|n| n.retain(|url| !items.iter().any(|i| &i.url == url)));
    }
}

/// Calls `changed` (once per burst, [`SETTLE`] after its first change) whenever
/// the resource `topic` names changes, until the calling component closes: the
/// inbox reads itself again when an offer arrives.
pub fn follow_changes(
    session: Session,
    topic: Memo<Option<Url>>,
    changed: impl Fn() + Copy + 'static,
) {
    let settled = settle(changed);
    watch::follow(session, topic, move |_| settled());
}

/// `then`, run once [`SETTLE`] after the first of a burst of calls.
fn settle(then: impl Fn() + Copy + 'static) -> impl Fn() + Copy + 'static {
    let settling = StoredValue::new(false);
    move || {
        if settling.try_get_value() == Some(false) {
            settling.set_value(true);
            set_timeout(
                move || {
                    if settling.try_set_value(false).is_none() {
                        then();
                    }
                },
                SETTLE,
            );
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod watch {
    use std::rc::Rc;

    use leptos::prelude::*;
    use url::Url;

    use crate::auth::session::Session;
    use crate::pod::live::browser::Watch;
    use crate::pod::live::own_writes::wrote_recently;
    use crate::pod::live::Change;

    /// Watches the folder shown; a new one replaces the last, and closing the
    /// browser drops the watch (and its socket).
    pub fn follow(
        session: Session,
        folder: Memo<Option<Url>>,
        changed: impl Fn(Option<Url>) + Copy + 'static,
    ) {
        let watching = StoredValue::new_local(None::<Watch>);
        let signer: Rc<dyn crate::pod::http::Signer> = Rc::new(session);
        Effect::new(move || {
            let shown = folder.get();
            // The old watch goes first: one socket per browser at a time.
            watching.set_value(None);
            let Some(shown) = shown else {
                return;
            };
            let on_change = Rc::new(move |event: Option<crate::pod::live::Event>| {
                // This tab applies its own writes when they are done (an upload
                // re-reads the listing once its last part is stored): re-reading
                // at the first part's notification would show its own upload,
                // half written, as an incomplete one to resume or delete.
                if event.as_ref().is_some_and(|e| wrote_recently(&e.object)) {
                    return;
                }
                let added = event
                    .filter(|e| e.change == Change::Added)
                    .map(|e| e.object);
                changed(added);
            });
            watching.set_value(Some(Watch::start(shown, signer.clone(), on_change)));
        });
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod watch {
    use leptos::prelude::*;
    use url::Url;

    use crate::auth::session::Session;

    /// Outside a browser there is no socket: nothing changes by itself.
    pub fn follow(_: Session, _: Memo<Option<Url>>, _: impl Fn(Option<Url>) + Copy + 'static) {}
}
