//! Toasts: every failed drive action ends up here, shown until dismissed, so no
//! failure is silent; and quiet notes (a collaborator's new file, `live`) that go
//! by themselves.

use leptos::prelude::*;

/// One message.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Toast {
    id: u64,
    message: String,
    /// A note, not an error: announced politely and gone after [`NOTE_SHOWN_FOR`].
    quiet: bool,
}

/// How long a note stays.
const NOTE_SHOWN_FOR: std::time::Duration = std::time::Duration::from_secs(6);

/// The typed context holding the toasts of the drive screen.
#[derive(Debug, Clone, Copy)]
pub struct Toasts {
    list: RwSignal<Vec<Toast>>,
    next: StoredValue<u64>,
}

impl Toasts {
    /// Provides an empty list for the components below.
    pub fn provide() -> Self {
        let toasts = Self {
            list: RwSignal::new(Vec::new()),
            next: StoredValue::new(0),
        };
        provide_context(toasts);
        toasts
    }

    /// The list provided by [`Toasts::provide`].
    pub fn get() -> Self {
        expect_context::<Self>()
    }

    /// Shows `message` until the user dismisses it. Errors often arrive after an
    /// await; if the screen that showed the toasts is gone by then (logged out,
    /// re-rendered), there is nowhere to show it and this does nothing rather than
    /// touch disposed signals.
    pub fn error(&self, message: impl Into<String>) {
        self.push(message.into(), false);
    }

    /// Shows `message` quietly for a few seconds (`role="status"`).
    pub fn note(&self, message: impl Into<String>) {
        if let Some(id) = self.push(message.into(), true) {
            let toasts = *self;
            set_timeout(move || toasts.dismiss(id), NOTE_SHOWN_FOR);
        }
    }

    fn push(&self, message: String, quiet: bool) -> Option<u64> {
        let id = self.next.try_get_value()?;
        self.next.set_value(id + 1);
        self.list.update(|l| l.push(Toast { id, message, quiet }));
        Some(id)
    }

    fn dismiss(&self, id: u64) {
        // `try_`: a note's timer may end after the screen is gone.
        self.list.try_update(|l| l.retain(|t| t.id != id));
    }
}

/// Renders the toasts of the context, newest last.
#[component]
pub fn ToastList() -> impl IntoView {
    let toasts = Toasts::get();
    view! {
        <div class="toasts">
            <For each=move || toasts.list.get() key=|t| t.id let:toast>
                <div class="toast" class:note=toast.quiet role=if toast.quiet { "status" } else { "alert" }>
                    <span>{toast.message.clone()}</span>
                    <button
                        type="button"
                        class="dismiss"
                        aria-label="Dismiss"
                        on:click=move |_| toasts.dismiss(toast.id)
                    >
                        "×"
                    </button>
                </div>
            </For>
        </div>
    }
}
