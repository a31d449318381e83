//! Error toasts: every failed drive action ends up here, shown until dismissed, so
//! no failure is silent.

use leptos::prelude::*;

/// One message.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Toast {
    id: u64,
    message: String,
}

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
        let Some(id) = self.next.try_get_value() else {
            return;
        };
        self.next.set_value(id + 1);
        let message = message.into();
        self.list.update(|l| l.push(Toast { id, message }));
    }

    fn dismiss(&self, id: u64) {
        self.list.update(|l| l.retain(|t| t.id != id));
    }
}

/// Renders the toasts of the context, newest last.
#[component]
pub fn ToastList() -> impl IntoView {
    let toasts = Toasts::get();
    view! {
        <div class="toasts">
            <For each=move || toasts.list.get() key=|t| t.id let:toast>
                <div class="toast" role="alert">
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
