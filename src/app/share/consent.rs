//! The landing page of a link (issue 11, item 2; issue 17, item 6): what it
//! shares, how, on whose pod and who the pod says owns it, and three buttons.
//! Nothing is joined or written before **Open** (join the group and show it
//! read-only, the key held in this tab only) or **Keep it in my drive** (set up
//! or unlock the drive, then join and keep the key); **Decline** forgets the
//! link. No master password is asked for before one of them is chosen. The name
//! shows only once opened when the keystores do not know it yet: reading it
//! takes the group membership that opening adds.

use leptos::prelude::*;

use crate::share::{Access, Preview, SharedKind, Sharer};

/// What the user chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Undecided,
    /// Show it now, read-only, keeping nothing.
    Open,
    /// Keep it in the drive (after the password gate).
    Keep,
    Declined,
}

/// "A file" or "A folder", lowercase.
pub fn what(kind: SharedKind) -> &'static str {
    match kind {
        SharedKind::File => "file",
        SharedKind::Folder => "folder",
    }
}

/// Who the pod says shares it, in words: each owner's stated name beside their
/// WebID (a name alone could be anyone's), or that the pod does not say.
pub fn shared_by(sharers: &[Sharer]) -> String {
    if sharers.is_empty() {
        return "the pod does not say".to_owned();
    }
    sharers
        .iter()
        .map(|s| match &s.name {
            Some(name) => format!("{name} ({})", s.webid),
            None => s.webid.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The preview with Open, Keep it in my drive and Decline, which set `choice`.
/// A link into the user's own pod ([`Preview::own`]) offers no Open.
#[component]
pub fn Consent(preview: Preview, sharers: Vec<Sharer>, choice: RwSignal<Choice>) -> impl IntoView {
    let what = what(preview.kind());
    let access = match preview.access() {
        Access::Read => "Read only",
        Access::ReadWrite => "Read and write",
    };
    let name = preview.name.clone().unwrap_or_else(|| {
        "shown once you open it (only those who joined the link may read it)".to_owned()
    });
    let own = preview.own;
    view! {
        <section class="card share-page" aria-label="Shared link">
            <h1>{format!("Someone shared a {what} with you")}</h1>
            <dl class="share-preview">
                <dt>"What"</dt><dd>{format!("A {what}")}</dd>
                <dt>"Name"</dt><dd>{name}</dd>
                <dt>"Access"</dt><dd>{access}</dd>
                <dt>"Shared by"</dt><dd>{shared_by(&sharers)}</dd>
                <dt>"Pod"</dt><dd>{preview.storage.to_string()}</dd>
            </dl>
            <p class="hint">
                "Who shares it is what that pod and its owner's profile say; only the person "
                "who sent you the link can confirm it."
            </p>
            {if own {
                view! {
                    <p class="lead">
                        "This link points into your own pod: unlock your drive to open it (only "
                        "your keystores can tell one of your own links from an altered one)."
                    </p>
                }
                .into_any()
            } else {
                view! {
                    <p class="lead">
                        "Nothing is joined or kept yet. Open shows it now, read-only, in this tab: "
                        "it adds you to the link's group on that pod and keeps nothing. Keep it in "
                        "my drive also keeps its key in your own keystores (after you set up or "
                        "unlock your drive), so it shows under “Shared with me”."
                    </p>
                }
                .into_any()
            }}
            <div class="actions">
                <Show when=move || !own>
                    <button type="button" on:click=move |_| choice.set(Choice::Open)>"Open"</button>
                </Show>
                <button type="button" class=if own { "" } else { "secondary" } on:click=move |_| choice.set(Choice::Keep)>
                    "Keep it in my drive"
                </button>
                <button type="button" class="secondary" on:click=move |_| choice.set(Choice::Declined)>
                    "Decline"
                </button>
            </div>
        </section>
    }
}

/// After Decline.
#[component]
pub fn Declined() -> impl IntoView {
    view! {
        <section class="card share-page">
            <h1>"Link declined"</h1>
            <p role="status">"Nothing was joined or kept. The link is forgotten in this tab."</p>
            <a href="/">"Go to your drive"</a>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use url::Url;

    #[test]
    fn a_name_is_shown_beside_its_webid() {
        let webid = Url::parse("http://pod.example/alice/profile/card#me").unwrap();
        assert_eq!(shared_by(&[]), "the pod does not say");
        let named = Sharer {
            webid: webid.clone(),
            name: Some("Alice".into()),
        };
        assert_eq!(
            shared_by(&[named]),
            "Alice (http://pod.example/alice/profile/card#me)"
        );
        let unnamed = Sharer { webid, name: None };
        assert_eq!(
            shared_by(&[unnamed]),
            "http://pod.example/alice/profile/card#me"
        );
    }
}
