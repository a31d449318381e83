//! The preview pane: a decrypted text, image or PDF in a modal dialog over the
//! listing, closed with a button or Escape; object URLs are revoked when it closes.

use leptos::prelude::*;
use url::Url;

use super::io::{preview, revoke, Preview};
use crate::app::modal::Modal;
use crate::auth::session::Session;
use crate::drive::Item;
use crate::keystore::Keyring;

/// Which file the pane shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Showing {
    url: Url,
    name: String,
    media_type: Option<String>,
}

impl Showing {
    /// The pane for a listed file.
    pub fn from_item(item: &Item) -> Self {
        Self {
            url: item.url.clone(),
            name: item.name.clone(),
            media_type: item.media_type.clone(),
        }
    }
}

/// Shows `showing` (when set) decrypted in a dialog.
///
/// * `showing`: the file to show; set to `None` to close.
/// * `session`, `keyring`: to fetch and decrypt it.
#[component]
pub fn PreviewPane(
    showing: RwSignal<Option<Showing>>,
    session: Session,
    keyring: Keyring,
) -> impl IntoView {
    let keyring = StoredValue::new_local(keyring);
    let content = LocalResource::new(move || {
        let target = showing.get();
        let (session, keyring) = (session.clone(), keyring.get_value());
        async move {
            match target {
                Some(s) => Some(preview(&session, &keyring, &s.url, s.media_type.as_deref()).await),
                None => None,
            }
        }
    });
    let close = move |()| {
        if let Some(Some(Ok(Preview::Image(u) | Preview::Pdf(u)))) = content.get_untracked() {
            revoke(&u);
        }
        showing.set(None);
    };
    move || {
        showing.get().map(|s| {
            let title = format!("Preview of {}", s.name);
            let label = title.clone();
            // The pane takes the focus when it opens (`autofocus`: a keyboard user
            // lands on Close); Escape closes it (see `Modal`).
            view! {
                <Modal label=label class="preview" on_close=close>
                    <div class="preview-bar">
                        <h2>{s.name.clone()}</h2>
                        <button type="button" class="secondary" autofocus on:click=move |_| close(())>
                            "Close preview"
                        </button>
                    </div>
                    <Transition fallback=|| view! { <p role="status">"Decrypting…"</p> }>
                        {move || match content.get().flatten() {
                            Some(Ok(Preview::Image(u))) => view! { <img src=u alt=title.clone() /> }.into_any(),
                            Some(Ok(Preview::Pdf(u))) => view! { <iframe src=u title=title.clone()></iframe> }.into_any(),
                            Some(Ok(Preview::Text(t))) => view! { <pre class="text-preview">{t}</pre> }.into_any(),
                            Some(Err(e)) => view! { <p role="alert" class="error">{format!("Cannot preview: {e}.")}</p> }.into_any(),
                            None => ().into_any(),
                        }}
                    </Transition>
                </Modal>
            }
        })
    }
}
