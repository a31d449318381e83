//! The share-link parser never panics on any input, and whatever it accepts builds
//! back into a link that parses to the same resource, access, group and key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use solidcrypt::share::{ShareLink, Shared};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for candidate in [text.to_owned(), format!("https://app.example/share#{text}")] {
        let Ok(link) = ShareLink::parse(&candidate) else {
            continue;
        };
        // Any http(s) URL serves as the app's address; the group's is at hand (and
        // saves the fuzz crate a direct `url` dependency).
        let again = ShareLink::parse(&link.to_url(&link.group)).expect("a built link parses");
        assert_eq!(again.access, link.access);
        assert_eq!(again.group, link.group);
        assert_eq!(again.shared.url(), link.shared.url());
        match (&again.shared, &link.shared) {
            (Shared::File { key: a, .. }, Shared::File { key: b, .. }) => {
                assert_eq!(a.expose_bytes(), b.expose_bytes());
            }
            (
                Shared::Folder {
                    keystore: a,
                    keystore_key: ka,
                    ..
                },
                Shared::Folder {
                    keystore: b,
                    keystore_key: kb,
                    ..
                },
            ) => {
                assert_eq!(a, b);
                assert_eq!(ka.expose_bytes(), kb.expose_bytes());
            }
            _ => panic!("the kind changed"),
        }
    }
});
