//! The consent screen of a link (issue 11, item 2): what it shares, how, on whose
//! pod, and two buttons. Nothing is joined or written before **Accept**; Decline
//! forgets the link. The name shows only once accepted when the keystores do not
//! know it yet: reading it takes the group membership that accepting adds.

use leptos::prelude::*;

use crate::share::{Access, Preview, SharedKind};

/// What the user chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Undecided,
    Accepted,
    Declined,
}

/// The preview with Accept and Decline, which set `choice`.
#[component]
pub fn Consent(preview: Preview, choice: RwSignal<Choice>) -> impl IntoView {
    let what = match preview.kind() {
        SharedKind::File => "file",
        SharedKind::Folder => "folder",
    };
    let access = match preview.access() {
        Access::Read => "Read only",
        Access::ReadWrite => "Read and write",
    };
    let name = preview.name.clone().unwrap_or_else(|| {
        "shown once you accept (only those who accepted the link may read it)".to_owned()
    });
    let owner = if preview.owners.is_empty() {
        "the pod does not say".to_owned()
    } else {
        preview
            .owners
            .iter()
            .map(|o| o.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    view! {
        <section class="card share-page" aria-label="Shared link">
            <h1>{format!("Someone shared a {what} with you")}</h1>
            <dl class="share-preview">
                <dt>"What"</dt><dd>{format!("A {what}")}</dd>
                <dt>"Name"</dt><dd>{name}</dd>
                <dt>"Access"</dt><dd>{access}</dd>
                <dt>"Pod"</dt><dd>{preview.storage.to_string()}</dd>
                <dt>"Owner"</dt><dd>{owner}</dd>
            </dl>
            <p class="lead">
                "Nothing is kept until you accept: accepting adds you to the link's group on that "
                "pod and keeps its key in your own keystores."
            </p>
            <div class="actions">
                <button type="button" on:click=move |_| choice.set(Choice::Accepted)>"Accept"</button>
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
