//! The file list in the user's language: names compared as their locale sorts
//! them (ignoring case), sizes and dates written as it writes them, through the
//! browser's `Intl`. Natively (unit tests) a plain fallback stands in. Also where
//! the list's order is remembered: in `sessionStorage`, so for this tab only.

use std::cmp::Ordering;

use crate::drive::order::Order;
use crate::drive::size::format_size;

/// `2026-11-21T22:45:41.198Z` → `2026-11-21 22:45` (UTC, as the pod states it):
/// what is shown when the browser cannot read the pod's date.
pub fn format_date(modified: &str) -> String {
    match modified.split_once('T') {
        Some((date, time)) => format!("{date} {}", time.get(..5).unwrap_or(time)),
        None => modified.to_owned(),
    }
}

/// The key in `sessionStorage` of the list's order.
#[cfg(target_arch = "wasm32")]
const ORDER_KEY: &str = "solidcrypt.listOrder";

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::*;
    use leptos::wasm_bindgen::JsValue;

    /// An options object from `(name, value)` pairs.
    fn options(pairs: &[(&str, JsValue)]) -> js_sys::Object {
        let object = js_sys::Object::new();
        for (name, value) in pairs {
            let _ = js_sys::Reflect::set(&object, &JsValue::from_str(name), value);
        }
        object
    }

    /// Compares names as the user's locale sorts them, case and width ignored,
    /// digits as numbers (`file 2` before `file 10`).
    pub fn name_order() -> impl Fn(&str, &str) -> Ordering {
        let collator = js_sys::Intl::Collator::new(
            &js_sys::Array::new(),
            &options(&[
                ("sensitivity", JsValue::from_str("accent")),
                ("numeric", JsValue::TRUE),
            ]),
        );
        let compare = collator.compare();
        move |a, b| {
            let order = compare
                .call2(&JsValue::NULL, &JsValue::from_str(a), &JsValue::from_str(b))
                .ok()
                .and_then(|v| v.as_f64())
                .unwrap_or(0.0);
            order.partial_cmp(&0.0).unwrap_or(Ordering::Equal)
        }
    }

    thread_local! {
        /// The formatters, made once: an `Intl` constructor costs about as much as
        /// laying out a row, and a listing of 1,000 files called two per row
        /// (`scripts/bench drive`, folder part: ~150 ms of a 1,000-file listing).
        static SIZES: [js_sys::Intl::NumberFormat; 2] = [0, 1].map(|digits| {
            js_sys::Intl::NumberFormat::new(
                &js_sys::Array::new(),
                &options(&[
                    ("minimumFractionDigits", JsValue::from(digits)),
                    ("maximumFractionDigits", JsValue::from(digits)),
                ]),
            )
        });
        static DATES: js_sys::Intl::DateTimeFormat = js_sys::Intl::DateTimeFormat::new(
            &js_sys::Array::new(),
            &options(&[
                ("dateStyle", JsValue::from_str("medium")),
                ("timeStyle", JsValue::from_str("short")),
            ]),
        );
    }

    pub fn show_size(bytes: u64) -> String {
        let (value, unit) = crate::drive::size::scaled(bytes);
        let digits = usize::from(unit != "B");
        SIZES
            .with(|formats| formats[digits].format())
            .call1(&JsValue::NULL, &JsValue::from_f64(value))
            .ok()
            .and_then(|v| v.as_string())
            .map_or_else(|| format_size(bytes), |n| format!("{n}\u{a0}{unit}"))
    }

    pub fn show_date(modified: &str) -> String {
        let date = js_sys::Date::new(&JsValue::from_str(modified));
        // An invalid date makes `format` throw; the pod's text is shown instead.
        if date.get_time().is_nan() {
            return format_date(modified);
        }
        DATES
            .with(|format| format.format())
            .call1(&JsValue::NULL, &date)
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_else(|| format_date(modified))
    }

    fn storage() -> Option<leptos::web_sys::Storage> {
        leptos::web_sys::window()?.session_storage().ok()?
    }

    pub fn remembered_order() -> Order {
        storage()
            .and_then(|s| s.get_item(ORDER_KEY).ok().flatten())
            .map(|text| Order::parse(&text))
            .unwrap_or_default()
    }

    pub fn remember_order(order: Order) {
        if let Some(storage) = storage() {
            let _ = storage.set_item(ORDER_KEY, order.as_text());
        }
    }
}

#[cfg(target_arch = "wasm32")]
pub use browser::{name_order, remember_order, remembered_order, show_date, show_size};

/// Natively: names by their lowercase form.
#[cfg(not(target_arch = "wasm32"))]
pub fn name_order() -> impl Fn(&str, &str) -> Ordering {
    |a: &str, b: &str| a.to_lowercase().cmp(&b.to_lowercase())
}

/// Natively: [`format_size`].
#[cfg(not(target_arch = "wasm32"))]
pub fn show_size(bytes: u64) -> String {
    format_size(bytes)
}

/// Natively: [`format_date`].
#[cfg(not(target_arch = "wasm32"))]
pub fn show_date(modified: &str) -> String {
    format_date(modified)
}

/// Natively nothing is remembered: the default order.
#[cfg(not(target_arch = "wasm32"))]
pub fn remembered_order() -> Order {
    Order::default()
}

/// Natively nothing is remembered.
#[cfg(not(target_arch = "wasm32"))]
pub fn remember_order(_: Order) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_naturally() {
        assert_eq!(format_date("2026-11-21T22:45:41.198Z"), "2026-11-21 22:45");
        assert_eq!(format_date("yesterday"), "yesterday");
    }

    #[test]
    fn names_compare_without_case() {
        let order = name_order();
        assert_eq!(order("alpha", "Beta"), Ordering::Less);
        assert_eq!(order("Alpha", "alpha"), Ordering::Equal);
    }
}
