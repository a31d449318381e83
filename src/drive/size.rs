//! Sizes for people, in binary units (`1.5 MiB`): the file list's fallback where the
//! browser cannot write them in the user's language, and the command-line tool's
//! reports. One rule, so the app and the tool say the same of the same file.

/// The size unit and the value in it, e.g. `(1.5, "KiB")` for 1536 bytes.
pub fn scaled(bytes: u64) -> (f64, &'static str) {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    (value, UNITS[unit])
}

/// Human-readable size without a locale, e.g. `1.5 MiB`.
pub fn format_size(bytes: u64) -> String {
    match scaled(bytes) {
        (_, "B") => format!("{bytes} B"),
        (value, unit) => format!("{value:.1} {unit}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(format_size(0), "0 B");
        assert_eq!(format_size(1023), "1023 B");
        assert_eq!(format_size(1536), "1.5 KiB");
        assert_eq!(format_size(50 * 1024 * 1024), "50.0 MiB");
        assert_eq!(format_size(3 << 40), "3.0 TiB");
        assert_eq!(format_size(5000 << 40), "5000.0 TiB");
    }
}
