//! The inbox after unlock: offers others sent, each shown as what it is ("alice
//! (fingerprint …) shares the folder “Trip” with you, read-write") with Accept and
//! Decline — nothing is written before the user clicks one. Offers that failed a
//! check were refused and deleted by `people::read_inbox`; their reasons are
//! shown once. Proofs answering the user's own offers update "Shared with".

use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;

use super::words::{claimed_name, grouped, kind_words, mode_words, short_name};
use crate::app::drive::{follow_changes, HTTP};
use crate::app::errors::describe_errors;
use crate::app::identity::{AppIdentity, IdentityContext, IdentityState};
use crate::app::session::UnlockedKeyring;
use crate::app::share::SharesChanged;
use crate::auth::session::Session;
use crate::keystore::Keyring;
use crate::people::contacts::status_in;
use crate::people::offer::fingerprint_hex;
use crate::people::{
    accept_offer, decline_offer, read_inbox, shares, ContactStatus, OfferPreview, Refused,
};
use crate::pod::Pod;

/// How often the inbox is read again while the drive is unlocked (proofs and
/// offers arrive while the user works).
const READ_EVERY: Duration = Duration::from_secs(60);

/// Counts requests to read the inbox again (after unlock, on "Check for offers",
/// when a Share dialog opens, every [`READ_EVERY`]). Provided by [`crate::app::App`].
#[derive(Debug, Clone, Copy)]
pub struct InboxReads(RwSignal<u64>);

impl InboxReads {
    /// Provides the counter for the whole app.
    pub fn provide() -> Self {
        let reads = InboxReads(RwSignal::new(0));
        provide_context(reads);
        reads
    }

    /// The app's counter (or a fresh one for a screen mounted alone).
    pub fn get() -> Self {
        use_context::<InboxReads>().unwrap_or_else(InboxReads::provide)
    }

    /// Asks for the inbox to be read again.
    pub fn refresh(self) {
        self.0.update(|n| *n += 1);
    }

    fn track(self) {
        self.0.track();
    }
}

/// Counts offers accepted, so "Shared with me" lists again (it reads the keyring,
/// which accepting changed). Provided by [`crate::app::App`].
#[derive(Debug, Clone, Copy)]
pub struct OffersAccepted(RwSignal<u64>);

impl OffersAccepted {
    /// Provides the counter for the whole app.
    pub fn provide() -> Self {
        let accepted = OffersAccepted(RwSignal::new(0));
        provide_context(accepted);
        accepted
    }

    /// The app's counter (or a fresh one for a screen mounted alone).
    pub fn get() -> Self {
        use_context::<OffersAccepted>().unwrap_or_else(OffersAccepted::provide)
    }

    /// Makes the calling view rerun after each accepted offer.
    pub fn track(self) {
        self.0.track();
    }

    /// Says that "Shared with me" changed (an offer accepted, a share removed).
    pub(super) fn bump(self) {
        self.0.update(|n| *n += 1);
    }
}

/// An offer as the user sees it, with what their contacts say about the sender.
#[derive(Clone)]
struct Shown {
    preview: OfferPreview,
    sender_status: ContactStatus,
}

/// One read: the offers to show; refused members and proofs are handled on the way.
async fn read(
    session: Session,
    keyring: Keyring,
    identity: Rc<AppIdentity>,
    refused: RwSignal<Vec<Refused>>,
    changed: SharesChanged,
) -> Result<Vec<Shown>, String> {
    let pod = Pod::new(&HTTP, Some(&session));
    let me =
        url::Url::parse(&session.webid).map_err(|_| "your WebID is not an address".to_owned())?;
    let found = read_inbox(&pod, &keyring, &me, &identity.key, &identity.inbox)
        .await
        .map_err(|e| e.to_string())?;
    if !found.proofs.is_empty() {
        changed.bump();
    }
    if !found.refused.is_empty() {
        let _ = refused.try_update(|r| r.extend(found.refused));
    }
    // The contacts only say who sent an offer: without offers the shares list is
    // not read (it may not exist yet, and each read of it would be two 404s).
    if found.offers.is_empty() {
        return Ok(Vec::new());
    }
    let doc = shares(&pod, &keyring).await.map_err(|e| e.to_string())?;
    Ok(found
        .offers
        .into_iter()
        .map(|preview| Shown {
            sender_status: status_in(
                &doc,
                preview.sender.webid.as_str(),
                &fingerprint_hex(&preview.sender.fingerprint),
            ),
            preview,
        })
        .collect())
}

/// The offers in the user's inbox, once the drive is unlocked and the identity key
/// ready; nothing at all when there is nothing to say.
///
/// * `session`: the logged-in session.
#[component]
pub fn Offers(session: Session) -> impl IntoView {
    let identity = IdentityContext::get().map(|c| c.0);
    let ready = move || match identity.map(|s| s.get()) {
        Some(IdentityState::Ready(identity)) => Some(identity),
        _ => None,
    };
    let keyring = UnlockedKeyring::get().0;
    let reads = InboxReads::get();
    let changed = SharesChanged::get();
    let accepted = OffersAccepted::get();
    let refused = RwSignal::new(Vec::<Refused>::new());
    let answered = RwSignal::new(None::<Result<String, String>>);
    let session = StoredValue::new(session);
    let found = LocalResource::new(move || {
        reads.track();
        let (identity, keyring) = (ready(), keyring.get());
        async move {
            match (identity, keyring, session.try_get_value()) {
                (Some(identity), Some(keyring), Some(session)) => {
                    read(session, keyring, identity, refused, changed)
                        .await
                        .map(Some)
                }
                _ => Ok(None),
            }
        }
    });
    // An offer shows as soon as the pod says the inbox changed (or, where it
    // offers no notifications, within the polling interval).
    let inbox = Memo::new(move |_| ready().map(|identity| identity.inbox.clone()));
    follow_changes(session.get_value(), inbox, move || reads.refresh());
    if let Ok(timer) = set_interval_with_handle(move || reads.refresh(), READ_EVERY) {
        on_cleanup(move || timer.clear());
    }
    let answer = Action::new_local(move |(preview, accept): &(OfferPreview, bool)| {
        let (preview, accept) = (preview.clone(), *accept);
        let (session, keyring) = (session.get_value(), keyring.get_untracked());
        async move {
            let Some(keyring) = keyring else {
                return Err("the drive was locked".to_owned());
            };
            let pod = Pod::new(&HTTP, Some(&session));
            let name = preview.name.clone();
            let sender = short_name(preview.sender.webid.as_str());
            let result = if accept {
                accept_offer(&pod, &keyring, &session.webid, &preview)
                    .await
                    .map(|_| {
                        format!(
                            "You accepted “{name}” from {sender}. It is under “Shared with me”."
                        )
                    })
            } else {
                decline_offer(&pod, &keyring, &preview).await.map(|()| {
                    format!("You declined “{name}” from {sender}. It was removed from your inbox.")
                })
            };
            if accept && result.is_ok() {
                accepted.bump();
            }
            changed.bump();
            reads.refresh();
            let result = result.map_err(|e| format!("{e}."));
            let _ = answered.try_set(Some(result.clone()));
            result
        }
    });
    view! {
        {move || match identity.map(|s| s.get()) {
            Some(IdentityState::Failed(why)) => view! {
                <p role="alert" class="card error">{format!("Sharing with people is unavailable. {why}")}</p>
            }.into_any(),
            _ => ().into_any(),
        }}
        <Transition fallback=|| ()>
            <ErrorBoundary fallback=|errors| view! {
                <p role="alert" class="card error">{move || describe_errors(&errors, "Cannot read your inbox")}</p>
            }>
                {move || found.get().map(|result| result.map(|offers| {
                    let offers = offers.unwrap_or_default();
                    let nothing = offers.is_empty()
                        && refused.with(Vec::is_empty)
                        && answered.with(Option::is_none);
                    (!nothing).then(|| view! {
                        <section class="card offers" aria-label="Offers for you">
                            <h2>"Offered to you"</h2>
                            {offers.into_iter().map(|shown| view! { <OfferRow shown answer /> }).collect_view()}
                            <RefusedList refused />
                            {move || answered.get().map(|a| match a {
                                Ok(done) => view! { <p role="status">{done}</p> }.into_any(),
                                Err(e) => view! { <p role="alert" class="error">{format!("Cannot answer the offer: {e}")}</p> }.into_any(),
                            })}
                        </section>
                    })
                }))}
            </ErrorBoundary>
        </Transition>
    }
}

/// One offer with Accept and Decline.
#[component]
fn OfferRow(
    shown: Shown,
    answer: Action<(OfferPreview, bool), Result<String, String>>,
) -> impl IntoView {
    let preview = shown.preview;
    let sender = short_name(preview.sender.webid.as_str());
    let name: String = preview
        .name
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let text = format!(
        "{sender} (fingerprint {}) shares {} “{name}” with you, {}.",
        grouped(&preview.sender.fingerprint),
        kind_words(preview.kind),
        mode_words(preview.mode),
    );
    let about_sender = match shown.sender_status {
        ContactStatus::Known { verified: true } => view! {
            <p class="verified">{format!("This is the key you verified for {sender}.")}</p>
        }.into_any(),
        ContactStatus::KeyChanged { .. } => view! {
            <p class="key-changed" role="alert">
                <strong>{format!("Warning: {sender}'s key is not the one you verified. ")}</strong>
                {format!("Someone may be pretending to be {sender}. Compare the fingerprint with {sender} before accepting.")}
            </p>
        }.into_any(),
        _ => view! {
            <p class="hint">{format!("Compare the fingerprint with {sender} (aloud or by another channel) if you are unsure this comes from them. The WebID is {}.", preview.sender.webid)}</p>
        }.into_any(),
    };
    let claimed = claimed_name(preview.sender.name.as_deref()).map(|n| {
        view! { <p class="hint profile-name">{format!("{sender}'s profile gives the name {n}.")}</p> }
    });
    let (accept_it, decline_it) = (preview.clone(), preview.clone());
    view! {
        <article class="offer" aria-label=format!("Offer from {sender}: {name}")>
            <p class="offer-text">{text}</p>
            {claimed}
            {about_sender}
            <div class="offer-actions">
                <button type="button" disabled=move || answer.pending().get()
                    on:click=move |_| { answer.dispatch_local((accept_it.clone(), true)); }>"Accept"</button>
                <button type="button" class="secondary" disabled=move || answer.pending().get()
                    on:click=move |_| { answer.dispatch_local((decline_it.clone(), false)); }>"Decline"</button>
            </div>
        </article>
    }
}

/// Offers refused and deleted by the last reads, each with its reason, until the
/// user dismisses them.
#[component]
fn RefusedList(refused: RwSignal<Vec<Refused>>) -> impl IntoView {
    move || {
        let list = refused.get();
        (!list.is_empty()).then(|| view! {
            <div class="refused" role="alert">
                <p>"Something in your inbox was refused and removed:"</p>
                <ul>
                    {list.into_iter().map(|r| view! { <li>{format!("An offer was refused: {}.", r.reason)}</li> }).collect_view()}
                </ul>
                <button type="button" class="secondary" on:click=move |_| refused.set(Vec::new())>"Dismiss"</button>
            </div>
        })
    }
}
