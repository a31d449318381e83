//! The place a logged-out visitor asked for (a bookmark, a folder link), kept across
//! the login redirect so the app opens it once they are back. It goes only to this
//! tab's `sessionStorage`, never into the login request (the provider sees that),
//! and only as the canonical address of a [`Place`]: folder ids, never a name or a
//! key. It is read back through [`Place::parse`] too, so nothing else stored under
//! that name can steer the app anywhere else.

use super::place::Place;

/// The `sessionStorage` name of the kept place.
const RETURN_KEY: &str = "solidcrypt.return-to";

/// Keeps `place` for after the login (the top of the drive needs no keeping).
pub fn keep(place: &Place) {
    if *place != Place::MyFiles(Vec::new()) {
        imp::set(RETURN_KEY, &place.href());
    }
}

/// The kept place's address, removed as it is read; `None` if there is none.
pub fn take() -> Option<String> {
    let kept = imp::take(RETURN_KEY)?;
    Place::parse(&kept).map(|place| place.href())
}

#[cfg(target_arch = "wasm32")]
mod imp {
    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.session_storage().ok()?
    }

    pub fn set(key: &str, value: &str) {
        // Without storage the user simply lands on their drive after the login.
        if let Some(storage) = storage() {
            let _ = storage.set_item(key, value);
        }
    }

    pub fn take(key: &str) -> Option<String> {
        let storage = storage()?;
        let value = storage.get_item(key).ok().flatten();
        let _ = storage.remove_item(key);
        value
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    pub fn set(_key: &str, _value: &str) {}

    pub fn take(_key: &str) -> Option<String> {
        None
    }
}
