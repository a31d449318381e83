//! The few browser calls the share screens make: the app's own address (the base of
//! every link it creates), the address a link was opened at, and the clipboard. A
//! native build of the UI (compiled by `cargo clippy` and the native tests, never
//! run) gets stand-ins, as `browser_login` does for the login.

use url::Url;
use zeroize::Zeroizing;

#[cfg(target_arch = "wasm32")]
mod imp {
    use leptos::wasm_bindgen::{JsCast, JsValue};
    use url::Url;
    use zeroize::Zeroizing;

    /// The app's root (`<origin>/`), under which links are built.
    pub fn app_base() -> Option<Url> {
        let origin = web_sys::window()?.location().origin().ok()?;
        Url::parse(&origin).ok()?.join("/").ok()
    }

    /// The whole address of this page, fragment included.
    pub fn page_address() -> Option<Zeroizing<String>> {
        web_sys::window()?
            .location()
            .href()
            .ok()
            .map(Zeroizing::new)
    }

    /// Takes the query and fragment (a link's key) out of the address bar and
    /// this history entry, without loading anything (`history.replaceState`).
    pub fn hide_link() {
        let Some(window) = web_sys::window() else {
            return;
        };
        let (Ok(path), Ok(history)) = (window.location().pathname(), window.history()) else {
            return;
        };
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&path));
    }

    /// Loads the page again (a new link pasted into the address bar of this page
    /// changes only the fragment, which loads nothing by itself).
    pub fn reload() {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    }

    /// Puts `text` on the clipboard with `navigator.clipboard.writeText`. Reached
    /// through `js_sys::Reflect` rather than web-sys's `Clipboard` feature, which
    /// would rebuild web-sys and everything above it for one call.
    pub async fn copy_text(text: &str) -> Result<(), String> {
        const REFUSED: &str =
            "this browser does not let the app use the clipboard; select the link and copy it";
        let navigator = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("navigator"))
            .map_err(|_| REFUSED.to_owned())?;
        let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
            .map_err(|_| REFUSED.to_owned())?;
        let write = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .ok_or_else(|| REFUSED.to_owned())?;
        let promise = write
            .call1(&clipboard, &JsValue::from_str(text))
            .ok()
            .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
            .ok_or_else(|| REFUSED.to_owned())?;
        wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .map(|_| ())
            .map_err(|_| REFUSED.to_owned())
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use url::Url;
    use zeroize::Zeroizing;

    pub fn app_base() -> Option<Url> {
        None
    }

    pub fn page_address() -> Option<Zeroizing<String>> {
        None
    }

    pub fn hide_link() {}

    pub fn reload() {}

    pub async fn copy_text(_text: &str) -> Result<(), String> {
        Err("the clipboard works only in a browser".to_owned())
    }
}

/// The app's root (`<origin>/`), under which links are built.
pub fn app_base() -> Option<Url> {
    imp::app_base()
}

/// The whole address of this page, fragment included (it may hold a key).
pub fn page_address() -> Option<Zeroizing<String>> {
    imp::page_address()
}

/// Takes a link's key (query and fragment) out of the address bar and history.
pub fn hide_link() {
    imp::hide_link()
}

/// Loads the page again.
pub fn reload() {
    imp::reload()
}

/// Puts `text` on the clipboard.
pub async fn copy_text(text: &str) -> Result<(), String> {
    imp::copy_text(text).await
}
