//! The order and filter of a folder's rows, as the user picks them in the file
//! list: by name, size or date, up or down, folders always first, and only the
//! rows whose name holds the filter text. Pure: the listing is already decrypted
//! in the tab, so sorting and filtering never ask the pod anything. The name
//! comparison is given by the caller (the browser's `Intl.Collator` in the app),
//! so this stays testable natively.

use std::cmp::Ordering;

use super::search::fold;
use super::Item;

/// The column the rows are sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    Name,
    Size,
    Modified,
}

/// Which way a column is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    #[default]
    Ascending,
    Descending,
}

/// A column and its direction; by default by name, A to Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Order {
    pub key: SortKey,
    pub direction: Direction,
}

impl Order {
    /// The order after a click on `key`'s header: the same column turns round, a
    /// new one starts ascending (as file managers do).
    pub fn clicked(self, key: SortKey) -> Order {
        let direction = match (self.key == key, self.direction) {
            (true, Direction::Ascending) => Direction::Descending,
            _ => Direction::Ascending,
        };
        Order { key, direction }
    }

    /// `aria-sort` of `key`'s header: only the sorted column has a direction.
    pub fn aria_sort(self, key: SortKey) -> &'static str {
        match (self.key == key, self.direction) {
            (false, _) => "none",
            (true, Direction::Ascending) => "ascending",
            (true, Direction::Descending) => "descending",
        }
    }

    /// A short text form, to remember the order for the session (see `parse`).
    pub fn as_text(self) -> &'static str {
        match (self.key, self.direction) {
            (SortKey::Name, Direction::Ascending) => "name",
            (SortKey::Name, Direction::Descending) => "-name",
            (SortKey::Size, Direction::Ascending) => "size",
            (SortKey::Size, Direction::Descending) => "-size",
            (SortKey::Modified, Direction::Ascending) => "date",
            (SortKey::Modified, Direction::Descending) => "-date",
        }
    }

    /// The order `as_text` wrote; anything else (the session storage is the
    /// page's, another script may have written it) is the default.
    pub fn parse(text: &str) -> Order {
        let (direction, key) = match text.strip_prefix('-') {
            Some(key) => (Direction::Descending, key),
            None => (Direction::Ascending, text),
        };
        let key = match key {
            "name" => SortKey::Name,
            "size" => SortKey::Size,
            "date" => SortKey::Modified,
            _ => return Order::default(),
        };
        Order { key, direction }
    }
}

/// Whether `name` holds `filter` (trimmed), ignoring case and accents (as the
/// drive-wide search does, see `search::fold`); an empty filter keeps all.
pub fn matches(name: &str, filter: &str) -> bool {
    let filter = fold(filter.trim());
    filter.is_empty() || fold(name).contains(&filter)
}

/// The rows of `items` whose name matches `filter`, in `order`: folders first,
/// then by the column, ties by name; a row without a size or date (a folder, an
/// unknown file, a pod that gave no date) goes after those with one, either way.
/// `names` compares two names (locale-aware and case-insensitive in the app).
pub fn arrange(
    items: &[Item],
    order: Order,
    filter: &str,
    names: impl Fn(&str, &str) -> Ordering,
) -> Vec<Item> {
    let mut rows: Vec<Item> = items
        .iter()
        .filter(|item| matches(&item.name, filter))
        .cloned()
        .collect();
    let turn = |o: Ordering| match order.direction {
        Direction::Ascending => o,
        Direction::Descending => o.reverse(),
    };
    rows.sort_by(|a, b| {
        let by_column = match order.key {
            SortKey::Name => turn(names(&a.name, &b.name)),
            SortKey::Size => missing_last(a.size, b.size, |a, b| turn(a.cmp(&b))),
            SortKey::Modified => missing_last(
                a.modified.as_deref().and_then(instant),
                b.modified.as_deref().and_then(instant),
                |a, b| turn(a.cmp(&b)),
            ),
        };
        b.is_folder
            .cmp(&a.is_folder)
            .then(by_column)
            .then_with(|| names(&a.name, &b.name))
    });
    rows
}

/// Compares two optional values with `present`, a missing one after the others.
fn missing_last<T>(a: Option<T>, b: Option<T>, present: impl Fn(T, T) -> Ordering) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => present(a, b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Milliseconds since 1970 of an `xsd:dateTime` as pods write it
/// (`2026-11-21T22:45:41.198Z`, or with a `±hh:mm` offset, or no zone, read as
/// UTC); `None` for anything else, which then sorts last. Parsed rather than
/// compared as text so that offsets and fraction lengths order rightly.
pub fn instant(text: &str) -> Option<i64> {
    let (date, time) = text.split_once('T')?;
    let mut date = date.splitn(3, '-');
    let year: i64 = number(date.next()?, 4)?;
    let month: i64 = number(date.next()?, 2)?;
    let day: i64 = number(date.next()?, 2)?;
    let (clock, offset) = match time.find(['Z', '+', '-']) {
        Some(at) => (&time[..at], zone(&time[at..])?),
        None => (time, 0),
    };
    let (clock, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    let mut clock = clock.splitn(3, ':');
    let hour: i64 = number(clock.next()?, 2)?;
    let minute: i64 = number(clock.next()?, 2)?;
    let second: i64 = number(clock.next().unwrap_or("00"), 2)?;
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    if !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let millis: i64 = format!("{fraction:0<3}").get(..3)?.parse().ok()?;
    let days = days_from_civil(year, month, day);
    Some((((days * 24 + hour) * 60 + minute) * 60 + second - offset) * 1000 + millis)
}

/// `digits` ASCII digits exactly, as a number.
fn number(text: &str, digits: usize) -> Option<i64> {
    (text.len() == digits && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// Seconds east of UTC of `Z` or `±hh:mm`.
fn zone(text: &str) -> Option<i64> {
    if text == "Z" {
        return Some(0);
    }
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (hours, minutes) = text[1..].split_once(':')?;
    let (hours, minutes) = (number(hours, 2)?, number(minutes, 2)?);
    (hours <= 23 && minutes <= 59).then_some(sign * (hours * 3600 + minutes * 60))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's formula).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use url::Url;

    fn item(name: &str, is_folder: bool, size: Option<u64>, modified: Option<&str>) -> Item {
        Item {
            url: Url::parse(&format!("https://pod.example/f/{}", name.len())).unwrap(),
            name: name.to_owned(),
            is_folder,
            size,
            media_type: None,
            modified: modified.map(str::to_owned),
            known: true,
        }
    }

    fn caseless(a: &str, b: &str) -> Ordering {
        a.to_lowercase().cmp(&b.to_lowercase())
    }

    fn names(rows: &[Item]) -> Vec<&str> {
        rows.iter().map(|i| i.name.as_str()).collect()
    }

    fn sample() -> Vec<Item> {
        vec![
            item("beta.txt", false, Some(300), Some("2026-11-21T10:00:00Z")),
            item("Zeta", true, None, Some("2026-11-20T10:00:00Z")),
            item("alpha.txt", false, Some(20), Some("2026-11-22T10:00:00Z")),
            item("Gamma.bin", false, Some(4000), Some("2026-11-19T10:00:00Z")),
            item("archive", true, None, None),
            // A file no keystore knows: no size, and a pod date that is not one.
            item("foreign", false, None, Some("<script>")),
        ]
    }

    #[test]
    fn folders_come_first_in_every_order() {
        for key in [SortKey::Name, SortKey::Size, SortKey::Modified] {
            for direction in [Direction::Ascending, Direction::Descending] {
                let rows = arrange(&sample(), Order { key, direction }, "", caseless);
                assert!(
                    rows[0].is_folder && rows[1].is_folder,
                    "{key:?} {direction:?}"
                );
                assert!(rows[2..].iter().all(|r| !r.is_folder));
            }
        }
    }

    #[test]
    fn sorts_by_name_size_and_date_both_ways() {
        let by = |key, direction| {
            names(&arrange(&sample(), Order { key, direction }, "", caseless)).join(" ")
        };
        use Direction::*;
        use SortKey::*;
        assert_eq!(
            by(Name, Ascending),
            "archive Zeta alpha.txt beta.txt foreign Gamma.bin"
        );
        assert_eq!(
            by(Name, Descending),
            "Zeta archive Gamma.bin foreign beta.txt alpha.txt"
        );
        // No size: last both ways (folders by name among themselves).
        assert_eq!(
            by(Size, Ascending),
            "archive Zeta alpha.txt beta.txt Gamma.bin foreign"
        );
        assert_eq!(
            by(Size, Descending),
            "archive Zeta Gamma.bin beta.txt alpha.txt foreign"
        );
        // A folder without a date after the one with; a date that is none, last.
        assert_eq!(
            by(Modified, Ascending),
            "Zeta archive Gamma.bin beta.txt alpha.txt foreign"
        );
        assert_eq!(
            by(Modified, Descending),
            "Zeta archive alpha.txt beta.txt Gamma.bin foreign"
        );
    }

    #[test]
    fn filter_keeps_matching_names_ignoring_case_and_spaces() {
        let rows =
            |filter| names(&arrange(&sample(), Order::default(), filter, caseless)).join(" ");
        assert_eq!(rows(".TXT"), "alpha.txt beta.txt");
        assert_eq!(rows("  a.t "), "alpha.txt beta.txt");
        assert_eq!(rows("zeta"), "Zeta");
        assert_eq!(rows("ZÉTA"), "Zeta", "accents ignored too");
        assert_eq!(rows(""), rows("   "));
        assert_eq!(rows("nothing like it"), "");
        // Regex-like or markup text is only text.
        assert_eq!(rows(".*"), "");
        assert_eq!(rows("<script>"), "");
    }

    #[test]
    fn clicks_turn_the_column_round_and_aria_sort_follows() {
        let order = Order::default();
        assert_eq!(order.aria_sort(SortKey::Name), "ascending");
        assert_eq!(order.aria_sort(SortKey::Size), "none");
        let order = order.clicked(SortKey::Name);
        assert_eq!(order.aria_sort(SortKey::Name), "descending");
        let order = order.clicked(SortKey::Size);
        assert_eq!(
            order,
            Order {
                key: SortKey::Size,
                direction: Direction::Ascending
            }
        );
        assert_eq!(order.aria_sort(SortKey::Name), "none");
        assert_eq!(
            order.clicked(SortKey::Size).direction,
            Direction::Descending
        );
    }

    #[test]
    fn remembered_order_reads_back_and_junk_is_the_default() {
        for key in [SortKey::Name, SortKey::Size, SortKey::Modified] {
            for direction in [Direction::Ascending, Direction::Descending] {
                let order = Order { key, direction };
                assert_eq!(Order::parse(order.as_text()), order);
            }
        }
        for junk in ["", "-", "--size", "SIZE", "size ", "name;drop", "\u{0}"] {
            assert_eq!(Order::parse(junk), Order::default(), "{junk:?}");
        }
    }

    #[test]
    fn pod_dates_parse_with_zones_and_fractions() {
        assert_eq!(instant("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(instant("2026-11-21T22:45:41.198Z"), Some(1_795_301_141_198));
        assert_eq!(
            instant("2026-11-21T23:45:41.198+01:00"),
            instant("2026-11-21T22:45:41.198Z")
        );
        assert_eq!(instant("2026-11-21T22:45:41.1Z"), Some(1_795_301_141_100));
        assert_eq!(instant("2026-11-21T22:45:41"), Some(1_795_301_141_000));
        assert_eq!(instant("2000-02-29T00:00:00-00:30"), Some(951_784_200_000));
        // Hostile or broken dates: none, never a panic.
        for bad in [
            "",
            "T",
            "yesterday",
            "2026-13-01T00:00:00Z",
            "2026-11-21",
            "2026-11-21T25:00:00Z",
            "2026-11-21T22:45:41.x9Z",
            "2026-11-21T22:45:41Q",
            "+2026-11-21T00:00:00Z",
            "2026-11-21T22:45:41+1:00",
            "2026-11-21T22:45:41.198Zjunk",
            "٢٠٢٦-11-21T00:00:00Z",
            "2026-11-21T22:45:41.ééZ",
        ] {
            assert_eq!(instant(bad), None, "{bad:?}");
        }
    }
}
