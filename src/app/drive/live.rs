//! The open folder kept current (issue 13): while a folder is shown, the pod's
//! notifications (or, where it offers none, polling — `pod::live` decides, and
//! this file cannot tell which) make the listing re-read itself, the same way
//! an upload's end does: in place, rows kept where they did not change (the
//! listing's `For`), so focus, selection and scroll stay. One re-read at a time
//! (`pod::live::coalesce`): a burst of changes during one makes exactly one more.
//! `drive::list_folder` re-reads the keystores when a member has no key yet, so
//! a collaborator's new file opens at once; a rename changes no member, only a
//! keystore, so the keystores consulted for the folder are watched too, and
//! their change re-reads them before the listing.
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
use crate::keystore::Keyring;
use crate::pod::live::coalesce::{Coalesce, Next, Touched};

/// Several notifications of one change (a file in parts, a folder drop) make
/// one re-read, this long after the first.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(250);

/// The live state of one file browser.
#[derive(Clone, Copy)]
pub struct LiveFolder {
    /// Members others added that the listing has not shown yet.
    news: StoredValue<Vec<Url>, LocalStorage>,
    /// One re-read at a time (`pod::live::coalesce`).
    coalesce: StoredValue<Coalesce>,
    /// The re-read the coalescing started and the listing has not taken yet:
    /// whether it re-reads the keystores first.
    started: StoredValue<Option<bool>>,
    reload: RwSignal<u64>,
}

/// The live re-read the listing took: re-read the keystores first if
/// [`LiveRead::names`]; dropping it (the listing shown, failed, or abandoned for
/// a newer one) lets the next re-read start.
pub struct LiveRead {
    live: LiveFolder,
    pub names: bool,
}

impl Drop for LiveRead {
    fn drop(&mut self) {
        let next = self.live.coalesce.try_update_value(|c| c.done());
        if let Some(next) = next {
            self.live.run(next);
        }
    }
}

impl LiveFolder {
    /// Follows the folder `folder` names (none: nothing), and the keystores
    /// `keyring` consults for it (a rename changes only those), until the
    /// browser closes, bumping `reload` when either changed.
    pub fn follow(
        session: Session,
        keyring: Keyring,
        folder: Memo<Option<Url>>,
        reload: RwSignal<u64>,
    ) -> Self {
        let live = LiveFolder {
            news: StoredValue::new_local(Vec::new()),
            coalesce: StoredValue::new(Coalesce::default()),
            started: StoredValue::new(None),
            reload,
        };
        let changed = move |touched: Touched| {
            if let Some(next) = live.coalesce.try_update_value(|c| c.changed(touched)) {
                live.run(next);
            }
        };
        watch::follow(session.clone(), folder, move |added| {
            if let Some(url) = added {
                let _ = live.news.try_update_value(|n| n.push(url));
            }
            changed(Touched::Members);
        });
        watch::follow_keystores(session, keyring, folder, move || changed(Touched::Names));
        Effect::new(move || {
            folder.track();
            live.news.set_value(Vec::new());
        });
        live
    }

    /// Does what the coalescing says.
    fn run(self, next: Next) {
        match next {
            Next::Nothing => {}
            Next::Settle => set_timeout(
                move || {
                    if let Some(next) = self.coalesce.try_update_value(|c| c.settled()) {
                        self.run(next);
                    }
                },
                SETTLE,
            ),
            Next::Read { names } => {
                self.started.set_value(Some(names));
                self.reload.try_update(|n| *n += 1);
            }
        }
    }

    /// Called by each listing as it starts: the live re-read it carries out, if
    /// the coalescing started one (only one listing takes it).
    pub fn take_read(&self) -> Option<LiveRead> {
        let names = self.started.try_update_value(Option::take).flatten()?;
        Some(LiveRead { live: *self, names })
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
    use crate::keystore::slots::slot_b;
    use crate::keystore::Keyring;
    use crate::pod::live::browser::Watch;
    use crate::pod::live::own_writes::{wrote_recently, wrote_within};
    use crate::pod::live::{Change, Event};

    /// Watches the folder shown; a new one replaces the last, and closing the
    /// browser drops the watch (and its socket). `changed` gets what was added,
    /// if anything.
    pub fn follow(
        session: Session,
        folder: Memo<Option<Url>>,
        changed: impl Fn(Option<Url>) + Copy + 'static,
    ) {
        follow_all(
            session,
            folder,
            |shown| vec![shown.clone()],
            move |event| {
                // This tab applies its own writes when they are done (an upload
                // re-reads the listing once its last part is stored): re-reading
                // at the first part's notification would show its own upload,
                // half written, as an incomplete one to resume or delete.
                if event.as_ref().is_some_and(|e| wrote_recently(&e.object)) {
                    return;
                }
                changed(
                    event
                        .filter(|e| e.change == Change::Added)
                        .map(|e| e.object),
                );
            },
        );
    }

    /// How soon after this tab wrote a keystore its notification is taken for
    /// that write (`own_writes::wrote_within`).
    const OWN_KEYSTORE_MS: f64 = 3_000.0;

    /// Watches both slots (FORMAT.md §4.4) of every keystore `keyring` consults
    /// for the folder shown: a rename changes one of them, never the folder.
    /// This tab's own renames re-read the listing when they are done, like its
    /// uploads, so their notifications are not news.
    pub fn follow_keystores(
        session: Session,
        keyring: Keyring,
        folder: Memo<Option<Url>>,
        changed: impl Fn() + Copy + 'static,
    ) {
        let slots = move |shown: &Url| {
            keyring
                .consulted_for(shown.as_str())
                .iter()
                .filter_map(|store| Url::parse(store).ok())
                .flat_map(|a| [slot_b(&a), a])
                .collect()
        };
        follow_all(session, folder, slots, move |event| {
            if !event
                .as_ref()
                .is_some_and(|e| wrote_within(&e.object, OWN_KEYSTORE_MS))
            {
                changed();
            }
        });
    }

    /// Watches the topics `topics` gives for the folder shown, each with
    /// `on_change`; a new folder replaces them all.
    fn follow_all(
        session: Session,
        folder: Memo<Option<Url>>,
        topics: impl Fn(&Url) -> Vec<Url> + 'static,
        on_change: impl Fn(Option<Event>) + 'static,
    ) {
        let watching = StoredValue::new_local(Vec::<Watch>::new());
        let signer: Rc<dyn crate::pod::http::Signer> = Rc::new(session);
        let on_change: Rc<dyn Fn(Option<Event>)> = Rc::new(on_change);
        Effect::new(move || {
            let shown = folder.get();
            // The old watches go first: one set of sockets per browser at a time.
            watching.set_value(Vec::new());
            let Some(shown) = shown else {
                return;
            };
            let watches = topics(&shown)
                .into_iter()
                .map(|topic| Watch::start(topic, signer.clone(), on_change.clone()))
                .collect();
            watching.set_value(watches);
        });
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod watch {
    use leptos::prelude::*;
    use url::Url;

    use crate::auth::session::Session;
    use crate::keystore::Keyring;

    /// Outside a browser there is no socket: nothing changes by itself.
    pub fn follow(_: Session, _: Memo<Option<Url>>, _: impl Fn(Option<Url>) + Copy + 'static) {}

    /// As [`follow`].
    pub fn follow_keystores(
        _: Session,
        _: Keyring,
        _: Memo<Option<Url>>,
        _: impl Fn() + Copy + 'static,
    ) {
    }
}
