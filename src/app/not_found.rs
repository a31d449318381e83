//! Shown for any path the app does not know, instead of a blank page.

use leptos::prelude::*;

/// "Page not found" with a way back to "My files".
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="card">
            <h1>"Page not found"</h1>
            <p>"This address is not part of solidcrypt."</p>
            <a href="/">"Go to My files"</a>
        </section>
    }
}
