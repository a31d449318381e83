//! Wording of the errors an `<ErrorBoundary>` caught, in one place so every async
//! view reports its failures the same way.

use leptos::prelude::*;

/// "`what`: `error`." for each caught error, joined by spaces.
pub fn describe_errors(errors: &ArcRwSignal<Errors>, what: &str) -> String {
    errors
        .get()
        .into_iter()
        .map(|(_, e)| format!("{what}: {e}."))
        .collect::<Vec<_>>()
        .join(" ")
}
