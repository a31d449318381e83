//! File names for items written outside the pod (a recovered drive, a folder's
//! zip). A name comes from a keystore: the user's own, or
//! one a collaborator wrote into a shared folder's keystore, so it may be anything —
//! `../../.bashrc`, an absolute path, a control character, 10,000 bytes, or the same
//! name as its neighbour. What is written always stays inside the chosen folder
//! (or the zip's top folder) and never replaces another item.

use std::collections::HashSet;

/// Longest name kept, in bytes (common file systems allow 255).
const MAX_NAME_BYTES: usize = 200;

/// `name` as one path component: separators, NUL and control characters become `_`,
/// leading dots and spaces are dropped (no `.`/`..`, no hidden files), trailing dots
/// and spaces too (Windows), cut to at most [`MAX_NAME_BYTES`] on a character
/// boundary; what is left empty becomes `unnamed`.
pub fn safe_name(name: &str) -> String {
    let replaced: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let trimmed = replaced
        .trim_start_matches(['.', ' '])
        .trim_end_matches(['.', ' ']);
    let mut cut = String::new();
    for c in trimmed.chars() {
        if cut.len() + c.len_utf8() > MAX_NAME_BYTES {
            break;
        }
        cut.push(c);
    }
    if cut.is_empty() {
        "unnamed".to_owned()
    } else {
        cut
    }
}

/// The names given out in one folder, so two items never share a file: the second
/// `notes.txt` becomes `notes (2).txt`. Compared case-insensitively, as macOS and
/// Windows file systems do.
#[derive(Default)]
pub struct Names {
    taken: HashSet<String>,
}

impl Names {
    /// A safe name for `name` not given out before in this folder.
    pub fn claim(&mut self, name: &str) -> String {
        let safe = safe_name(name);
        let (stem, extension) = match safe.rfind('.') {
            Some(dot) if dot > 0 => safe.split_at(dot),
            _ => (safe.as_str(), ""),
        };
        let mut candidate = safe.clone();
        let mut n = 2;
        while !self.taken.insert(candidate.to_lowercase()) {
            candidate = format!("{stem} ({n}){extension}");
            n += 1;
        }
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_stay_one_component_inside_the_folder() {
        assert_eq!(safe_name("../../.bashrc"), "_.._.bashrc");
        assert_eq!(safe_name("/etc/passwd"), "_etc_passwd");
        assert_eq!(safe_name(".."), "unnamed");
        assert_eq!(safe_name("."), "unnamed");
        assert_eq!(safe_name(""), "unnamed");
        assert_eq!(safe_name(".hidden"), "hidden");
        assert_eq!(safe_name("a\\b"), "a_b");
        assert_eq!(safe_name("C:evil"), "C_evil");
        assert_eq!(safe_name("bell\u{7}\nnew"), "bell__new");
        assert_eq!(safe_name("trailing. "), "trailing");
        for name in ["../x", "..", "a/../../b", "\u{0}", "...", " . "] {
            let safe = safe_name(name);
            assert!(
                !safe.contains('/') && safe != "." && safe != "..",
                "{name:?} → {safe:?}"
            );
        }
    }

    #[test]
    fn long_names_are_cut_on_a_character_boundary() {
        let long = "é".repeat(500);
        let safe = safe_name(&long);
        assert!(safe.len() <= MAX_NAME_BYTES);
        assert_eq!(safe, "é".repeat(MAX_NAME_BYTES / 2));
    }

    #[test]
    fn the_same_name_twice_gets_a_number() {
        let mut names = Names::default();
        assert_eq!(names.claim("notes.txt"), "notes.txt");
        assert_eq!(names.claim("notes.txt"), "notes (2).txt");
        assert_eq!(names.claim("NOTES.txt"), "NOTES (3).txt");
        assert_eq!(names.claim("../notes.txt"), "_notes.txt");
        assert_eq!(names.claim("Trip"), "Trip");
        assert_eq!(names.claim("Trip"), "Trip (2)");
        assert_eq!(names.claim(".."), "unnamed");
        assert_eq!(names.claim("."), "unnamed (2)");
    }
}
