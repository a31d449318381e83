//! Searching a drive's names: every file and folder under a top folder whose name
//! holds the text typed, ignoring case and accents, with the folders it is in.
//!
//! Names are encrypted on the pod and live, decrypted, in the session's keyring:
//! every keystore of the index is read at unlock (`Keyring::load`) and kept up to
//! date as the session writes, so a search reads memory only and asks the pod
//! nothing (its signature holds no pod). [`Names`] folds every name once, when a
//! search starts; each key typed then only scans that list.
//!
//! What a keystore lists is input from whoever wrote it (for a folder shared with
//! me, its owner and collaborators): only addresses below the top folder, made of
//! plain segments, are listed, and names are only ever text.

use std::collections::{BTreeSet, HashMap};

use url::Url;

use crate::keystore::Keyring;

/// One folder a hit lies in: its address and name (its id when no keystore
/// names it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    pub url: Url,
    pub name: String,
}

/// A file or folder whose name matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub url: Url,
    pub name: String,
    pub is_folder: bool,
    pub media_type: Option<String>,
    pub size: Option<u64>,
    /// The folders from the top one (left out) down to the one holding the hit;
    /// empty for an item of the top folder.
    pub folders: Vec<Folder>,
}

impl Hit {
    /// The folder holding the hit (`top` when [`Hit::folders`] is empty).
    pub fn parent<'a>(&'a self, top: &'a Url) -> &'a Url {
        self.folders.last().map_or(top, |f| &f.url)
    }
}

/// What a search found: the best `hits`, and how many matched in all.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Found {
    pub hits: Vec<Hit>,
    pub total: usize,
}

/// One name under the top folder, folded for matching.
#[derive(Debug, Clone)]
struct Named {
    url: Url,
    name: String,
    folded: String,
    is_folder: bool,
    media_type: Option<String>,
    size: Option<u64>,
    /// The address's segments below the top folder (the last is the item's).
    segments: Vec<String>,
    /// The folder holding it.
    parent: Url,
}

/// The names of everything under a top folder, as the keyring knows them now.
#[derive(Debug, Clone)]
pub struct Names {
    top: Url,
    named: Vec<Named>,
    /// Folder address → name, for the path shown with each hit.
    folder_names: HashMap<String, String>,
}

impl Names {
    /// Everything the keyring names under `top` (a folder address ending in
    /// `/`), each with its current name (a collaborator's rename included, see
    /// `Keyring::lookup`). Memory only.
    pub fn of(keyring: &Keyring, top: &Url) -> Names {
        // Every address below `top` any keystore lists, once each (sorted, so
        // gathering stays n log n for big drives); `lookup` then gives the name
        // from the keystores consulted for it, so one outside its scope has none.
        let mut addresses = BTreeSet::new();
        let mut read = BTreeSet::new();
        for keystore in keyring.keystores() {
            if read.insert(keystore.url.clone()) {
                addresses.extend(
                    keyring
                        .entries_of(&keystore.url)
                        .into_iter()
                        .map(|(address, _)| address)
                        .filter(|address| address.starts_with(top.as_str())),
                );
            }
        }
        let mut named = Vec::new();
        let mut folder_names = HashMap::new();
        for address in addresses {
            let (Some(entry), Some(segments)) =
                (keyring.lookup(&address), segments_below(top, &address))
            else {
                continue;
            };
            let Ok(url) = Url::parse(&address) else {
                continue;
            };
            if url.as_str() != address || entry.name.trim().is_empty() {
                continue;
            }
            // A container with a key is a file stored in parts (FORMAT.md §1.8).
            let is_folder = address.ends_with('/') && entry.key.is_none();
            if is_folder {
                folder_names.insert(address.clone(), entry.name.clone());
            }
            named.push(Named {
                parent: folder_at(top, &segments[..segments.len() - 1]),
                folded: fold(&entry.name),
                url,
                name: entry.name,
                is_folder,
                media_type: entry.media_type,
                size: entry.size,
                segments,
            });
        }
        Names {
            top: top.clone(),
            named,
            folder_names,
        }
    }

    /// How many names there are to search.
    pub fn len(&self) -> usize {
        self.named.len()
    }

    /// Whether there is nothing to search.
    pub fn is_empty(&self) -> bool {
        self.named.is_empty()
    }

    /// The items whose name holds `query` (trimmed; case and accents ignored),
    /// best first, at most `limit` of them; items directly in `leave_out` (the
    /// folder already on screen) are not counted. Best: the whole name, then
    /// names starting with it, then a word starting with it, then anywhere;
    /// among equals the shallower first, then by name. An empty query finds
    /// nothing.
    pub fn find(&self, query: &str, limit: usize, leave_out: Option<&Url>) -> Found {
        let query = fold(query.trim());
        if query.is_empty() {
            return Found::default();
        }
        let mut matched: Vec<(u8, &Named)> = self
            .named
            .iter()
            .filter(|n| leave_out != Some(&n.parent))
            .filter_map(|n| rank(&n.folded, &query).map(|r| (r, n)))
            .collect();
        let total = matched.len();
        matched.sort_by(|(ra, a), (rb, b)| {
            ra.cmp(rb)
                .then(a.segments.len().cmp(&b.segments.len()))
                .then_with(|| a.folded.cmp(&b.folded))
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.url.as_str().cmp(b.url.as_str()))
        });
        let hits = matched
            .into_iter()
            .take(limit)
            .map(|(_, n)| self.hit(n))
            .collect();
        Found { hits, total }
    }

    fn hit(&self, named: &Named) -> Hit {
        let depth = named.segments.len() - 1;
        let folders = (1..=depth)
            .map(|d| {
                let url = folder_at(&self.top, &named.segments[..d]);
                let name = self
                    .folder_names
                    .get(url.as_str())
                    .cloned()
                    .unwrap_or_else(|| named.segments[d - 1].clone());
                Folder { url, name }
            })
            .collect();
        Hit {
            url: named.url.clone(),
            name: named.name.clone(),
            is_folder: named.is_folder,
            media_type: named.media_type.clone(),
            size: named.size,
            folders,
        }
    }
}

/// The folder `segments` name below `top`.
fn folder_at(top: &Url, segments: &[String]) -> Url {
    let mut address = top.to_string();
    for segment in segments {
        address.push_str(segment);
        address.push('/');
    }
    // Each segment was checked to be plain, so this parses as it reads.
    Url::parse(&address).unwrap_or_else(|_| top.clone())
}

/// The segments of `address` below `top`, if it lies strictly below it and every
/// segment is a plain name (no empty, `.` or `..` segment, no query or fragment):
/// anything else a keystore lists is left out of the search.
fn segments_below(top: &Url, address: &str) -> Option<Vec<String>> {
    let rest = address.strip_prefix(top.as_str())?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let segments: Vec<String> = rest.split('/').map(str::to_owned).collect();
    let plain =
        |s: &String| !s.is_empty() && s != "." && s != ".." && !s.contains(['?', '#', '\\']);
    segments.iter().all(plain).then_some(segments)
}

/// How well `name` matches `query` (both folded), lower is better; `None` if it
/// does not hold it.
fn rank(name: &str, query: &str) -> Option<u8> {
    if name == query {
        return Some(0);
    }
    let first = name.find(query)?;
    if first == 0 {
        return Some(1);
    }
    let word_start = name.match_indices(query).any(|(at, _)| {
        name[..at]
            .chars()
            .next_back()
            .is_some_and(|c| !c.is_alphanumeric())
    });
    Some(if word_start { 2 } else { 3 })
}

/// `text` lowercased and without accents, for matching: `Élan Vital.PDF` and
/// `elan vital.pdf` fold alike. Combining marks (names written decomposed, as
/// macOS does) are dropped; the accented Latin letters people type, precomposed,
/// become their base letter; a few ligatures are spelt out. Other scripts are
/// only lowercased.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            // Combining diacritical marks.
            '\u{300}'..='\u{36f}' => {}
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ĳ' => out.push_str("ij"),
            '\u{e0}'..='\u{ff}' => out.push(base(LATIN_1, c, 0xe0)),
            '\u{100}'..='\u{17f}' => out.push(base(LATIN_EXTENDED_A, c, 0x100)),
            _ => out.push(c),
        }
    }
    out
}

/// The base letters of U+00E0–U+00FF (`÷`, `ð` and `þ` stay themselves).
const LATIN_1: &str = "aaaaaaaceeeeiiiiðnooooo÷ouuuuyþy";
/// The base letters of U+0100–U+017F, lowercase and uppercase alike.
const LATIN_EXTENDED_A: &str = concat!(
    "aaaaaaccccccccdd",
    "ddeeeeeeeeeegggg",
    "gggghhhhiiiiiiii",
    "iiiijjkkklllllll",
    "lllnnnnnnnnnoooo",
    "oooorrrrrrssssss",
    "ssttttttuuuuuuuu",
    "uuuuwwyyyzzzzzzs",
);

/// The letter of `table` for `c`, the table starting at code point `first`.
fn base(table: &str, c: char, first: u32) -> char {
    let at = (c as u32 - first) as usize;
    table.chars().nth(at).unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::SecretKey;
    use crate::keystore::format::{Entry, IndexEntry, KeystoreDoc, KeystoreKind};
    use crate::keystore::index::IndexKey;
    use crate::keystore::rollback::Seen;
    use crate::keystore::Layout;

    const DATA: &str = "http://pod/alice/solidcrypt-data/";

    fn file(name: &str, media_type: &str) -> Entry {
        Entry {
            key: Some(SecretKey::from_bytes([9; 32])),
            name: name.into(),
            media_type: Some(media_type.into()),
            size: Some(12),
        }
    }

    fn folder(name: &str) -> Entry {
        Entry {
            key: None,
            name: name.into(),
            media_type: None,
            size: None,
        }
    }

    /// Alice's keyring with `entries` (addresses below her files folder) in her
    /// root keystore, plus something outside that folder.
    fn keyring(entries: &[(&str, Entry)]) -> (Keyring, Url) {
        let layout = Layout::at(Url::parse(DATA).unwrap());
        let files = layout.files();
        let mut doc = KeystoreDoc::default();
        for (below, entry) in entries {
            doc.entries.insert(format!("{files}{below}"), entry.clone());
        }
        doc.entries
            .insert(format!("{DATA}elsewhere/report.txt"), file("report", "x/y"));
        let index = vec![IndexEntry {
            url: format!("{DATA}keystores/root-1.json.enc"),
            key: SecretKey::from_bytes([3; 32]),
            kind: KeystoreKind::Root,
            scope: files.to_string(),
            owner: "http://pod/alice/profile/card#me".into(),
            mode: None,
        }];
        let keys = Keyring::new(
            layout,
            IndexKey::new(SecretKey::from_bytes([1; 32]), &[], Seen::of(0, &[])),
            index,
            vec![doc],
        );
        (keys, files)
    }

    fn sample() -> (Names, Url) {
        let (keys, files) = keyring(&[
            ("f1/", folder("Travel")),
            ("f1/f2/", folder("Été 2026")),
            ("f1/f2/p1", file("Plage à Nice.JPG", "image/jpeg")),
            ("f1/f2/p2", file("report-final.pdf", "application/pdf")),
            ("f3/", folder("Reports")),
            ("f3/big/", file("Annual report.mp4", "video/mp4")),
            ("t1", file("report", "text/plain")),
            ("t2", file("Notes.txt", "text/plain")),
            ("gone/orphan", file("orphan report", "text/plain")),
            ("bad/../t1", file("dots report", "text/plain")),
            ("bad//t1", file("empty segment report", "text/plain")),
            ("t9", folder("   ")),
        ]);
        (Names::of(&keys, &files), files)
    }

    fn names(found: &Found) -> Vec<&str> {
        found.hits.iter().map(|h| h.name.as_str()).collect()
    }

    #[test]
    fn finds_names_in_nested_folders_ignoring_case_and_accents() {
        let (names_, files) = sample();
        let found = names_.find("  plage a nice ", 10, None);
        assert_eq!(names(&found), ["Plage à Nice.JPG"]);
        let hit = &found.hits[0];
        assert_eq!(hit.url.as_str(), format!("{files}f1/f2/p1"));
        assert!(!hit.is_folder);
        assert_eq!(hit.media_type.as_deref(), Some("image/jpeg"));
        let path: Vec<(&str, String)> = hit
            .folders
            .iter()
            .map(|f| (f.name.as_str(), f.url.to_string()))
            .collect();
        assert_eq!(
            path,
            [
                ("Travel", format!("{files}f1/")),
                ("Été 2026", format!("{files}f1/f2/"))
            ]
        );
        assert_eq!(hit.parent(&files).as_str(), format!("{files}f1/f2/"));
        // Accents typed or not, either way round.
        assert_eq!(names(&names_.find("ÉTÉ", 10, None)), ["Été 2026"]);
        assert_eq!(names(&names_.find("ete 20", 10, None)), ["Été 2026"]);
        assert_eq!(
            names(&names_.find("PLAGE À", 10, None)),
            ["Plage à Nice.JPG"]
        );
        // Decomposed (e + combining acute) matches precomposed.
        assert_eq!(
            names(&names_.find("e\u{301}te\u{301}", 10, None)),
            ["Été 2026"]
        );
        assert_eq!(names_.len(), 9, "only plain addresses below the top folder");
    }

    #[test]
    fn best_matches_come_first_and_the_count_is_bounded() {
        let (names_, files) = sample();
        let found = names_.find("report", 10, None);
        assert_eq!(
            names(&found),
            [
                "report",
                // Starting with it: the shallower first.
                "Reports",
                "report-final.pdf",
                // A word starting with it.
                "Annual report.mp4",
                "orphan report",
            ]
        );
        assert_eq!(found.total, 5);
        let two = names_.find("report", 2, None);
        assert_eq!(names(&two), ["report", "Reports"]);
        assert_eq!(two.total, 5, "the total counts every match");
        // A file in parts is a file, a folder is a folder; an unnamed folder of
        // the path shows its id.
        let annual = &found.hits[3];
        assert!(!annual.is_folder);
        assert_eq!(annual.folders[0].name, "Reports");
        assert!(found.hits[1].is_folder);
        let orphan = &found.hits[4];
        assert_eq!(orphan.folders[0].name, "gone");
        assert_eq!(orphan.folders[0].url.as_str(), format!("{files}gone/"));
        // Leaving out the folder on screen.
        let elsewhere = names_.find("report", 10, Some(&files));
        assert_eq!(
            names(&elsewhere),
            ["report-final.pdf", "Annual report.mp4", "orphan report"]
        );
        assert_eq!(elsewhere.total, 3);
    }

    #[test]
    fn nothing_typed_finds_nothing_and_text_is_only_text() {
        let (names_, _) = sample();
        assert_eq!(names_.find("", 10, None), Found::default());
        assert_eq!(names_.find("   ", 10, None), Found::default());
        assert_eq!(names_.find(".*", 10, None).total, 0);
        assert_eq!(names_.find("elsewhere", 10, None).total, 0);
        assert_eq!(names_.find("dots", 10, None).total, 0);
        assert_eq!(names_.find("empty segment", 10, None).total, 0);
        assert_eq!(names_.find("report", 0, None).hits, []);
    }

    #[test]
    fn folding_lowercases_and_drops_accents() {
        assert_eq!(fold("Élan VITAL"), "elan vital");
        assert_eq!(fold("Ærøskøbing Straße"), "aeroskobing strasse");
        assert_eq!(fold("Łódź Œuvre Ĳssel ſ"), "lodz oeuvre ijssel s");
        assert_eq!(
            fold("ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŸ"),
            "aaaaaaceeeeiiiinoooooouuuuyy"
        );
        assert_eq!(
            fold("ĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİ"),
            "aaaccccddeeeeegggghhiiiii"
        );
        assert_eq!(
            fold("ĴĶĹĻĽĿŁŃŅŇŊŌŎŐŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŹŻŽ"),
            "jklllllnnnnooorrrsssstttuuuuuuwyzzz"
        );
        // Other scripts are only lowercased.
        assert_eq!(fold("Ωμέγα 東京 ÷ þ"), "ωμέγα 東京 ÷ þ");
    }
}
