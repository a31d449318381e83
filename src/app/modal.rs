//! The app's modal dialog: a `<dialog>` opened with `showModal()`, so the page
//! behind is inert under a backdrop, Escape closes it, and the focus stays inside
//! (Tab wraps around: the browser would otherwise move it to its own toolbar after
//! the last control). Every dialog of the app (preview, editor,
//! Share, change of password) is one of these.

use leptos::prelude::*;

#[cfg(target_arch = "wasm32")]
mod js {
    use wasm_bindgen::prelude::*;

    // Its own lines rather than a `module = "/src/app/modal.js"` file: the Argon2id
    // worker links this crate too, as a classic (no-modules) script, and
    // wasm-bindgen refuses local JS modules there; inline JS it accepts.
    #[wasm_bindgen(
        inline_js = r#"const FOCUSABLE = 'a[href], button, input, select, textarea, iframe, summary, [tabindex]:not([tabindex="-1"])';

/** Opens `dialog` as a modal, once. */
export function openModal(dialog) {
  if (!dialog.open) dialog.showModal();
}

/** On a Tab keydown inside `dialog`: moves the focus round from the last control
 * to the first (or back from the first to the last), never out. */
export function wrapFocus(dialog, event) {
  if (event.key !== 'Tab') return;
  const controls = [...dialog.querySelectorAll(FOCUSABLE)]
    .filter((el) => !el.disabled && el.getClientRects().length > 0);
  if (controls.length === 0) {
    event.preventDefault();
    return;
  }
  const first = controls[0];
  const last = controls[controls.length - 1];
  const inside = dialog.contains(document.activeElement);
  if (event.shiftKey && (document.activeElement === first || !inside)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
    event.preventDefault();
    first.focus();
  }
}
"#
    )]
    extern "C" {
        #[wasm_bindgen(js_name = openModal)]
        pub fn open_modal(dialog: &JsValue);
        #[wasm_bindgen(js_name = wrapFocus)]
        pub fn wrap_focus(dialog: &JsValue, event: &JsValue);
    }
}

/// A modal dialog around `children`, open while it is mounted.
///
/// * `label`: its accessible name.
/// * `on_close`: called on Escape (or any other way the browser closes it); the
///   owner then unmounts it.
/// * `class`: extra classes for its box.
#[component]
pub fn Modal(
    #[prop(into)] label: String,
    #[prop(into)] on_close: Callback<()>,
    #[prop(optional, into)] class: String,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move || {
        if let Some(_element) = dialog.get() {
            #[cfg(target_arch = "wasm32")]
            js::open_modal(&_element);
        }
    });
    let on_keydown = move |_ev: leptos::ev::KeyboardEvent| {
        #[cfg(target_arch = "wasm32")]
        if let Some(element) = dialog.get_untracked() {
            js::wrap_focus(&element, &_ev);
        }
    };
    view! {
        <dialog
            node_ref=dialog
            class=format!("modal {class}")
            aria-label=label
            on:keydown=on_keydown
            on:cancel=move |ev: leptos::ev::Event| {
                // Closed by its owner (unmounted), so the state and the page agree.
                ev.prevent_default();
                on_close.run(());
            }
            on:close=move |_| on_close.run(())
        >
            {children()}
        </dialog>
    }
}
