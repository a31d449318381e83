//! The exact length of the archive [`super::write_zip`] makes, known before a byte
//! of it is written, so a download can announce it (`Content-Length`) and show
//! real progress. It follows rawzip 0.4's writer (`writer.rs`) exactly, for the
//! entries `write_zip` makes (stored, no timestamps, no permissions, no extra
//! fields of our own):
//!
//! - a folder: local header (30 + name), no data, no data descriptor;
//! - a file: local header (30 + name), the data, a data descriptor of 16 bytes, or
//!   24 when its size is `>= u32::MAX` (sizes as 8 bytes);
//! - per entry in the central directory: 46 + name, and for a *file* a zip64 extra
//!   field (4 + 8 per value) holding each of uncompressed size, compressed size
//!   and local header offset that is `>= u32::MAX` (rawzip never gives a folder
//!   one, which is why `write_zip` puts the folders first);
//! - at the end: the zip64 end record and locator (56 + 20) when there are
//!   `>= 65535` entries, the central directory starts at `>= u32::MAX`, or any
//!   entry has a value `>= u32::MAX` (a folder's offset included); then the end
//!   of central directory record (22).
//!
//! Names count as rawzip stores them ([`rawzip::path::ZipFilePath::from_str`], a
//! file's without a trailing `/`). The sizes are the keystores' (a collaborator
//! writes them), so the arithmetic is checked, and `write_zip` stops a file whose
//! plaintext turns out another length ([`super::ZipError::WrongSize`]).

use rawzip::path::ZipFilePath;

use super::ZipItem;

const LOCAL_HEADER: u64 = 30;
const CENTRAL_HEADER: u64 = 46;
const DESCRIPTOR: u64 = 16;
const DESCRIPTOR_ZIP64: u64 = 24;
const ZIP64_FIELD: u64 = 8;
const EXTRA_FIELD_HEADER: u64 = 4;
const END_RECORD: u64 = 22;
const ZIP64_END_RECORD_AND_LOCATOR: u64 = 56 + 20;
/// rawzip switches a value to zip64 at this (`>=`, not `>`).
const ZIP64_AT: u64 = u32::MAX as u64;
const ZIP64_ENTRIES_AT: usize = u16::MAX as usize;

/// The name of `item` as rawzip writes it into the archive.
fn stored_name(item: &ZipItem) -> ZipFilePath<rawzip::path::NormalizedPath<'_>> {
    match item {
        ZipItem::Folder { path } => ZipFilePath::from_str(path),
        ZipItem::File { path, .. } => ZipFilePath::from_str(path.trim_end_matches('/')),
    }
}

/// The entries in the order `write_zip` writes them: the folders, then the files
/// (each group as planned). A folder's local header then always sits near the
/// start, where its offset fits the 32 bits rawzip gives it.
pub(super) fn in_order(items: &[ZipItem]) -> impl Iterator<Item = &ZipItem> {
    let folders = items
        .iter()
        .filter(|item| matches!(item, ZipItem::Folder { .. }));
    let files = items
        .iter()
        .filter(|item| matches!(item, ZipItem::File { .. }));
    folders.chain(files)
}

/// The exact byte length of the zip of `items`, or `None` when a file's size is
/// unknown (an entry from before sizes were kept) or the sizes claimed add up past
/// `u64` (only a lying keystore does that).
pub fn archive_size(items: &[ZipItem]) -> Option<u64> {
    let mut offset = 0u64;
    let mut central = 0u64;
    let mut zip64 = items.len() >= ZIP64_ENTRIES_AT;
    for item in in_order(items) {
        let name = stored_name(item).len() as u64;
        let at = offset;
        offset = offset.checked_add(LOCAL_HEADER + name)?;
        central = central.checked_add(CENTRAL_HEADER + name)?;
        zip64 |= at >= ZIP64_AT;
        if let ZipItem::File { size, .. } = item {
            let size = (*size)?;
            let descriptor = if size >= ZIP64_AT {
                DESCRIPTOR_ZIP64
            } else {
                DESCRIPTOR
            };
            offset = offset.checked_add(size)?.checked_add(descriptor)?;
            // Stored: the compressed size is the size.
            let fields = 2 * u64::from(size >= ZIP64_AT) + u64::from(at >= ZIP64_AT);
            if fields > 0 {
                zip64 = true;
                central = central.checked_add(EXTRA_FIELD_HEADER + fields * ZIP64_FIELD)?;
            }
        }
    }
    zip64 |= offset >= ZIP64_AT;
    let end = END_RECORD
        + if zip64 {
            ZIP64_END_RECORD_AND_LOCATOR
        } else {
            0
        };
    offset.checked_add(central)?.checked_add(end)
}

#[cfg(test)]
mod tests {
    //! The formula against rawzip itself, writing into a sink that only counts,
    //! with the same calls as `write_zip` (stored entries, default options) but
    //! CRCs skipped: so files of 4 GiB and more (the zip64 cases) cost only the
    //! calls, a second or so in a debug build.
    use std::io::Write;

    use super::*;
    use url::Url;

    #[derive(Default)]
    struct Counted(u64);

    impl Write for Counted {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len() as u64;
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// What rawzip writes for `items` in `write_zip`'s order: its length.
    fn rawzip_len(items: &[ZipItem]) -> u64 {
        let zeros = vec![0u8; 1 << 20];
        let mut archive = rawzip::ZipArchiveWriter::new(Counted::default());
        for item in in_order(items) {
            match item {
                ZipItem::Folder { path } => archive.new_dir(path).create().unwrap(),
                ZipItem::File { path, size, .. } => {
                    let (mut entry, config) = archive
                        .new_file(path)
                        .compression_method(rawzip::CompressionMethod::Store)
                        .crc32(rawzip::Crc32Option::Skip)
                        .start()
                        .unwrap();
                    let mut writer = config.wrap(&mut entry);
                    let mut left = size.unwrap();
                    while left > 0 {
                        let n = left.min(zeros.len() as u64) as usize;
                        writer.write_all(&zeros[..n]).unwrap();
                        left -= n as u64;
                    }
                    let (_, output) = writer.finish().unwrap();
                    entry.finish(output).unwrap();
                }
            }
        }
        archive.finish().unwrap().0
    }

    fn folder(path: &str) -> ZipItem {
        ZipItem::Folder { path: path.into() }
    }

    fn file(path: &str, size: u64) -> ZipItem {
        ZipItem::File {
            path: path.into(),
            url: Url::parse("https://pod.example/f").unwrap(),
            size: Some(size),
        }
    }

    fn agrees(items: &[ZipItem]) {
        assert_eq!(archive_size(items), Some(rawzip_len(items)), "{items:?}");
    }

    #[test]
    fn small_archives_are_sized_exactly() {
        agrees(&[]);
        agrees(&[folder("Top/")]);
        agrees(&[folder("Top/"), file("Top/empty", 0)]);
        agrees(&[
            folder("Top/"),
            file("Top/a.txt", 12),
            folder("Top/Ünïcødé 📁/"),
            file("Top/Ünïcødé 📁/b", 1000),
            folder("Top/Ünïcødé 📁/deeper/"),
            file("Top/Ünïcødé 📁/deeper/c", 1),
        ]);
    }

    #[test]
    fn names_count_as_rawzip_stores_them() {
        // rawzip normalises: no leading `/`, no `..`, `\` as `/`, no drive letter.
        agrees(&[folder("/Top/"), file("Top/../x\\y", 3), file("C:a", 1)]);
    }

    #[test]
    fn a_file_of_4_gib_gets_zip64_sizes_and_one_byte_less_does_not() {
        // Both archives are zip64 (their central directory starts past 4 GiB).
        let under = [folder("Top/"), file("Top/big", ZIP64_AT - 1)];
        agrees(&under);
        let at = [folder("Top/"), file("Top/big", ZIP64_AT)];
        agrees(&at);
        // One byte more data, sizes of 8 bytes in the descriptor (+8), and both in
        // a zip64 extra field (4 + 16).
        assert_eq!(
            archive_size(&at).unwrap() - archive_size(&under).unwrap(),
            1 + 8 + 20
        );
    }

    #[test]
    fn files_after_4_gib_get_their_offset_in_zip64() {
        // The second file starts past u32::MAX: small itself, but its offset is not.
        agrees(&[
            folder("Top/"),
            file("Top/a", ZIP64_AT - 10),
            file("Top/b", 5),
            folder("Top/later/"),
            file("Top/later/c", 0),
        ]);
    }

    #[test]
    fn a_central_directory_past_4_gib_alone_makes_it_zip64() {
        // Every entry fits in 32 bits, but the central directory starts after them.
        let first = ZIP64_AT - 100;
        let items = [file("a", first), file("b", 40)];
        agrees(&items);
        let smaller = [file("a", first - 200), file("b", 40)];
        agrees(&smaller);
        assert_eq!(
            archive_size(&items).unwrap() - archive_size(&smaller).unwrap(),
            200 + 76
        );
    }

    #[test]
    fn many_entries_make_it_zip64() {
        let many: Vec<ZipItem> = (0..ZIP64_ENTRIES_AT)
            .map(|i| file(&format!("f{i}"), (i % 3) as u64))
            .collect();
        agrees(&many);
        agrees(&many[1..]);
    }

    #[test]
    fn an_unknown_or_impossible_size_gives_no_length() {
        let unknown = ZipItem::File {
            path: "a".into(),
            url: Url::parse("https://pod.example/a").unwrap(),
            size: None,
        };
        assert_eq!(archive_size(&[folder("Top/"), unknown]), None);
        assert_eq!(archive_size(&[file("a", u64::MAX - 10)]), None);
        assert_eq!(
            archive_size(&[file("a", u64::MAX / 2), file("b", u64::MAX / 2)]),
            None
        );
    }
}
