//! Whether an item may be moved into a folder, answered before anything is asked
//! of the pod (issue 17 item 2, drag and drop): a row dropped onto itself or into
//! a folder inside it is refused at once, with a message naming it, and one
//! dropped where it already is is left alone. `relocate::move_to` refuses the
//! same moves (`MoveError::IntoItself`) as the last word; this is the early
//! answer the drag-and-drop and multi-select UI give for each item.

use url::Url;

use super::listing::Item;
use super::rename::parent_of;
use crate::keystore::scope::within_url;

/// What moving an item into a folder would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    /// A real move.
    Elsewhere,
    /// The item is in that folder already: nothing to do.
    AlreadyThere,
}

/// A move that is refused before it starts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DestinationError {
    #[error("“{0}” cannot be moved onto itself")]
    OntoItself(String),
    #[error("“{0}” cannot be moved into a folder inside it")]
    IntoItsOwnFolder(String),
}

/// Where moving `item` into the folder `target` would put it, or why it may not.
pub fn check_destination(item: &Item, target: &Url) -> Result<Destination, DestinationError> {
    if item.url == *target {
        return Err(DestinationError::OntoItself(item.name.clone()));
    }
    if item.is_folder && within_url(target, &item.url) {
        return Err(DestinationError::IntoItsOwnFolder(item.name.clone()));
    }
    if parent_of(&item.url) == *target {
        return Ok(Destination::AlreadyThere);
    }
    Ok(Destination::Elsewhere)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(url: &str, is_folder: bool) -> Item {
        Item {
            url: Url::parse(url).unwrap(),
            name: "Holiday".to_owned(),
            is_folder,
            size: None,
            media_type: None,
            modified: None,
            known: true,
        }
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    const FILES: &str = "https://pod.example/alice/files/";

    #[test]
    fn a_folder_dropped_onto_itself_is_refused() {
        let folder = item(&format!("{FILES}a1/"), true);
        assert_eq!(
            check_destination(&folder, &folder.url),
            Err(DestinationError::OntoItself("Holiday".to_owned()))
        );
    }

    #[test]
    fn a_folder_dropped_into_a_folder_inside_it_is_refused() {
        let folder = item(&format!("{FILES}a1/"), true);
        for inside in ["a1/b2/", "a1/b2/c3/"] {
            assert_eq!(
                check_destination(&folder, &url(&format!("{FILES}{inside}"))),
                Err(DestinationError::IntoItsOwnFolder("Holiday".to_owned())),
                "{inside}"
            );
        }
    }

    #[test]
    fn a_sibling_whose_name_starts_alike_is_not_inside() {
        let folder = item(&format!("{FILES}a1/"), true);
        assert_eq!(
            check_destination(&folder, &url(&format!("{FILES}a12/"))),
            Ok(Destination::Elsewhere)
        );
    }

    #[test]
    fn moving_where_it_is_does_nothing() {
        let file = item(&format!("{FILES}a1/f9"), false);
        assert_eq!(
            check_destination(&file, &url(&format!("{FILES}a1/"))),
            Ok(Destination::AlreadyThere)
        );
        // A file in parts is a container, but not a folder the moves look into.
        let parts = item(&format!("{FILES}a1/p7/"), false);
        assert_eq!(
            check_destination(&parts, &url(&format!("{FILES}a1/"))),
            Ok(Destination::AlreadyThere)
        );
    }

    #[test]
    fn a_file_goes_up_or_into_a_sibling_folder() {
        let file = item(&format!("{FILES}a1/f9"), false);
        assert_eq!(
            check_destination(&file, &url(FILES)),
            Ok(Destination::Elsewhere)
        );
        assert_eq!(
            check_destination(&file, &url(&format!("{FILES}a1/b2/"))),
            Ok(Destination::Elsewhere)
        );
    }
}
