//! How the people screens write a person, a share's kind and mode, and a key's
//! fingerprint. A WebID is the identity; the short name is only a label derived
//! from it. The name a profile states is shown too, quoted and next to the WebID,
//! never instead of it: anyone can claim any name.

use url::Url;

use crate::crypto::rsa_keys::Fingerprint;
use crate::identity::clean_name;
use crate::keystore::ShareMode;
use crate::people::offer::parse_fingerprint;
use crate::people::{Kind, SharesDoc};

/// A label for `webid`: the first folder of its path on a shared server
/// (`http://pod.example/bob/profile/card#me` → `bob`), else its host
/// (`https://bob.example/profile/card#me` → `bob.example`). At most 40 characters.
pub fn short_name(webid: &str) -> String {
    let Ok(url) = Url::parse(webid) else {
        return webid.chars().take(40).collect();
    };
    let segments: Vec<&str> = url
        .path_segments()
        .map(|s| s.filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    let label = match segments.as_slice() {
        [first, _, ..] if *first != "profile" => percent_encoding::percent_decode_str(first)
            .decode_utf8_lossy()
            .into_owned(),
        _ => url.host_str().unwrap_or(webid).to_owned(),
    };
    label.chars().filter(|c| !c.is_control()).take(40).collect()
}

/// The name `name` a profile states, as shown next to the WebID: cleaned again
/// (it may come from a list written by an older version) and quoted, so it reads
/// as their claim: `“Bob Smith”`.
pub fn claimed_name(name: Option<&str>) -> Option<String> {
    name.and_then(clean_name).map(|n| format!("“{n}”"))
}

/// "the folder" / "the file".
pub fn kind_words(kind: Kind) -> &'static str {
    match kind {
        Kind::Folder => "the folder",
        Kind::File => "the file",
    }
}

/// "read-only" / "read-write".
pub fn mode_words(mode: ShareMode) -> &'static str {
    match mode {
        ShareMode::Read => "read-only",
        ShareMode::Write => "read-write",
    }
}

/// A fingerprint in groups of four hex digits, to read aloud.
pub fn grouped(fingerprint: &Fingerprint) -> String {
    fingerprint.to_string()
}

/// [`grouped`] of a stored 64-hex fingerprint (shown as stored if damaged).
pub fn grouped_hex(hex: &str) -> String {
    parse_fingerprint(hex)
        .map(|f| grouped(&f))
        .unwrap_or_else(|| hex.chars().take(64).collect())
}

/// Who shared `resource` with the user through an accepted offer, and the name
/// the offer gave it, if it came that way: "Shared with me" names the sender.
pub fn received_from(doc: &SharesDoc, resource: &str) -> Option<(String, String)> {
    doc.received
        .iter()
        .find(|r| r.resource == resource)
        .map(|r| {
            (
                r.sender.clone(),
                r.name
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(200)
                    .collect(),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_is_labelled_by_their_pod_folder_or_host() {
        assert_eq!(
            short_name("http://localhost:3000/bob/profile/card#me"),
            "bob"
        );
        assert_eq!(
            short_name("https://bob.example/profile/card#me"),
            "bob.example"
        );
        assert_eq!(
            short_name("https://pod.example/caf%C3%A9/profile/card#me"),
            "café"
        );
        assert_eq!(
            short_name("https://pod.example/%0Aeve%07/profile/card#me"),
            "eve"
        );
        assert_eq!(short_name("not a url"), "not a url");
        assert_eq!(
            short_name(&format!("https://pod.example/{}/card", "x".repeat(99))).len(),
            40
        );
    }

    #[test]
    fn a_claimed_name_is_quoted_cleaned_and_optional() {
        assert_eq!(claimed_name(Some("Bob")), Some("“Bob”".into()));
        assert_eq!(
            claimed_name(Some("\u{202E}<b>x</b>\n")),
            Some("“<b>x</b>”".into())
        );
        assert_eq!(claimed_name(Some("\u{7}")), None);
        assert_eq!(claimed_name(None), None);
    }

    #[test]
    fn fingerprints_are_grouped_by_four() {
        let hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        let shown = grouped_hex(hex);
        assert!(shown.starts_with("0011 2233 4455"), "{shown}");
        assert_eq!(shown.replace(' ', ""), hex);
        assert_eq!(grouped_hex("zz"), "zz");
    }
}
