//! The user's identity key in the app (docs/FORMAT.md §7): made ready in the
//! background whenever the drive is unlocked (created at setup, repaired at
//! unlock), kept while unlocked, dropped when locked. The drive never waits for
//! it; a failure shows where the key would, and is tried again at the next unlock.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use url::Url;

use super::drive::HTTP;
use super::session::{AuthState, SessionContext, UnlockedKeyring};
use crate::identity::{ensure_identity, Change, Identity, Site};
use crate::keystore::Keyring;
use crate::pod::Pod;

/// WebCrypto in the browser; natively (where the app's transport refuses every
/// request) the `rsa` crate, so the app still builds for the native tests.
#[cfg(target_arch = "wasm32")]
type Maker = crate::crypto::webcrypto_identity::WebCryptoKeyMaker;
#[cfg(not(target_arch = "wasm32"))]
type Maker = crate::crypto::identity_key::NativeKeyMaker;

/// The identity key as the app holds it.
pub type AppIdentity = Identity<<Maker as crate::crypto::identity_key::IdentityKeyMaker>::Key>;

/// Where the identity stands in this tab.
#[derive(Clone, Default)]
pub enum IdentityState {
    /// The drive is locked: no key in memory.
    #[default]
    Locked,
    /// Being opened, created or repaired.
    Checking,
    Ready(Rc<AppIdentity>),
    Failed(String),
}

/// The app-wide identity state, following the unlocked keyring.
#[derive(Clone, Copy)]
pub struct IdentityContext(pub RwSignal<IdentityState, LocalStorage>);

impl IdentityContext {
    /// Provides the context and keeps it in step with `keyring`: each unlock
    /// starts one [`ensure_identity`]; locking drops the key (and the answer of a
    /// check still running when the drive was locked is thrown away).
    pub fn provide(session: SessionContext, keyring: UnlockedKeyring) -> Self {
        let context = IdentityContext(RwSignal::new_local(IdentityState::Locked));
        provide_context(context);
        let generation = StoredValue::new(0u64);
        Effect::new(move || {
            let unlocked = keyring.0.with(Option::is_some);
            generation.update_value(|g| *g += 1);
            if !unlocked {
                context.0.set(IdentityState::Locked);
                return;
            }
            let AuthState::LoggedIn(login) = session.0.get_untracked() else {
                return;
            };
            let Some(keys) = keyring.0.get_untracked() else {
                return;
            };
            let started = generation.get_value();
            context.0.set(IdentityState::Checking);
            spawn_local(async move {
                let state = match ready(&login, &keys).await {
                    Ok(identity) => IdentityState::Ready(Rc::new(identity)),
                    Err(message) => IdentityState::Failed(message),
                };
                if generation.try_get_value() == Some(started) {
                    context.0.set(state);
                }
            });
        });
        context
    }

    /// The app's context (none for a screen mounted alone).
    pub fn get() -> Option<IdentityContext> {
        use_context::<IdentityContext>()
    }
}

/// Runs [`ensure_identity`] for the logged-in user's standard places.
async fn ready(
    session: &crate::auth::session::Session,
    keyring: &Keyring,
) -> Result<AppIdentity, String> {
    let webid = Url::parse(&session.webid).map_err(|e| e.to_string())?;
    // The app's layout is always `<storage>/solidcrypt-data/` (Layout::for_storage).
    let storage = keyring
        .layout()
        .base()
        .join("../")
        .map_err(|e| e.to_string())?;
    let pod = Pod::new(&HTTP, Some(session));
    let identity = ensure_identity(
        &pod,
        keyring,
        &Site::new(&webid, &storage),
        &Maker::default(),
    )
    .await
    .map_err(|e| format!("Your key could not be checked: {e}."))?;
    if identity.changes.contains(&Change::ReplacedProfileKey) {
        leptos::logging::warn!("your profile named another key; it now names yours");
    }
    Ok(identity)
}

/// "Your key: 3f2a 9c01 …" (the fingerprint in groups of four), for the account.
#[component]
pub fn YourKey() -> impl IntoView {
    let state = IdentityContext::get().map(|c| c.0);
    move || match state.map(|s| s.get()).unwrap_or_default() {
        IdentityState::Locked => view! { <span>"Unlock your drive to see it."</span> }.into_any(),
        IdentityState::Checking => {
            view! { <span role="status">"Checking your key…"</span> }.into_any()
        }
        IdentityState::Ready(identity) => {
            // Said once, where the key is: people who compared the old
            // fingerprint with the user will see a new one.
            let replaced = identity.changes.contains(&Change::ReplacedProfileKey);
            view! {
                <code class="fingerprint" data-testid="fingerprint">
                    {identity.fingerprint.to_string()}
                </code>
                <Show when=move || replaced>
                    <span class="hint">
                        " Your profile named another key before; it now names this one."
                    </span>
                </Show>
            }
            .into_any()
        }
        IdentityState::Failed(message) => {
            view! { <span role="alert" class="error">{message}</span> }.into_any()
        }
    }
}
