//! File-type icons: what kind of thing a row is (folder, image, video, audio,
//! PDF, text, archive, other file), drawn as inline SVG so nothing is fetched
//! for them. The kind comes from the media type given at upload, else from the
//! name's extension; it only picks a picture, never how a file is opened.
//!
//! Each icon is an image whose accessible name is its kind ("Image", "Folder"):
//! the file's name is already read out next to it, so the icon never repeats it.

use leptos::prelude::*;

/// What a row holds, as far as its icon goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Folder,
    Image,
    Video,
    Audio,
    Pdf,
    Text,
    Archive,
    Other,
}

/// Extensions of archives (their media types vary too much to list them all).
const ARCHIVES: &[&str] = &["zip", "tar", "gz", "tgz", "bz2", "xz", "7z", "rar", "zst"];
const ARCHIVE_TYPES: &[&str] = &[
    "application/zip",
    "application/x-tar",
    "application/gzip",
    "application/x-gzip",
    "application/x-bzip2",
    "application/x-xz",
    "application/x-7z-compressed",
    "application/vnd.rar",
    "application/x-rar-compressed",
    "application/zstd",
];

impl Kind {
    /// The kind of a listed item: a folder, or a file by its media type (if it
    /// says something) or else by the extension of its name.
    pub fn of(is_folder: bool, media_type: Option<&str>, name: &str) -> Kind {
        if is_folder {
            return Kind::Folder;
        }
        let media_type = media_type
            .and_then(|t| t.split(';').next())
            .map(|t| t.trim().to_ascii_lowercase())
            .unwrap_or_default();
        let by_type = match media_type.split_once('/') {
            Some(("image", _)) => Some(Kind::Image),
            Some(("video", _)) => Some(Kind::Video),
            Some(("audio", _)) => Some(Kind::Audio),
            Some(("text", _)) => Some(Kind::Text),
            _ if media_type == "application/pdf" => Some(Kind::Pdf),
            _ if matches!(media_type.as_str(), "application/json" | "application/xml") => {
                Some(Kind::Text)
            }
            _ if ARCHIVE_TYPES.contains(&media_type.as_str()) => Some(Kind::Archive),
            _ => None,
        };
        by_type.unwrap_or_else(|| Kind::of_extension(name))
    }

    fn of_extension(name: &str) -> Kind {
        let Some((stem, extension)) = name.rsplit_once('.') else {
            return Kind::Other;
        };
        if stem.is_empty() {
            return Kind::Other;
        }
        match extension.to_ascii_lowercase().as_str() {
            "png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" | "bmp" | "svg" | "heic" => {
                Kind::Image
            }
            "mp4" | "webm" | "mov" | "mkv" | "avi" | "m4v" => Kind::Video,
            "mp3" | "ogg" | "oga" | "wav" | "flac" | "m4a" | "opus" | "aac" => Kind::Audio,
            "pdf" => Kind::Pdf,
            "txt" | "md" | "csv" | "json" | "xml" | "log" | "rtf" => Kind::Text,
            e if ARCHIVES.contains(&e) => Kind::Archive,
            _ => Kind::Other,
        }
    }

    /// The icon's accessible name.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Folder => "Folder",
            Kind::Image => "Image",
            Kind::Video => "Video",
            Kind::Audio => "Audio",
            Kind::Pdf => "PDF document",
            Kind::Text => "Text",
            Kind::Archive => "Archive",
            Kind::Other => "File",
        }
    }

    /// The CSS class picking the icon's colours.
    fn class(self) -> &'static str {
        match self {
            Kind::Folder => "icon folder-icon",
            Kind::Image => "icon image-icon",
            Kind::Video => "icon video-icon",
            Kind::Audio => "icon audio-icon",
            Kind::Pdf => "icon pdf-icon",
            Kind::Text => "icon text-icon",
            Kind::Archive => "icon archive-icon",
            Kind::Other => "icon file-icon",
        }
    }

    /// The mark drawn on the page of a file (a 24-unit square), if any.
    fn mark(self) -> &'static str {
        match self {
            Kind::Folder | Kind::Other => "",
            Kind::Image => "M8 17.5l2.8-3.6 2 2.4 1.5-1.8 2.2 3z M10 10.5a1.3 1.3 0 1 0 0.01 0",
            Kind::Video => "M10 11v6l5-3z",
            Kind::Audio => {
                "M14.5 9.5v6.2a1.8 1.8 0 1 1-1.2-1.7V11l-3 .8v5a1.8 1.8 0 1 1-1.2-1.7V10.8z"
            }
            Kind::Pdf => "M8 12h8v1.6H8z M8 15.5h5v1.6H8z M8 9h3v1.6H8z",
            Kind::Text => "M8.5 10h7v1.3h-7z M8.5 13h7v1.3h-7z M8.5 16h5v1.3h-5z",
            Kind::Archive => "M11 4h2v2h-2z M11 7.5h2v2h-2z M11 11h2v2h-2z M10.5 14.5h3v3.5h-3z",
        }
    }
}

/// A folder's shape, and a file's page with its corner folded.
const FOLDER: &str = "M2 6.5A2.5 2.5 0 0 1 4.5 4h4.6l2 2.2h8.4A2.5 2.5 0 0 1 22 8.7v9.8a2.5 2.5 0 0 1-2.5 2.5h-15A2.5 2.5 0 0 1 2 18.5z";
const PAGE: &str = "M5.5 2.75h8.7l4.55 4.6v13.9H5.5z";
const CORNER: &str = "M14 2.9v4.7h4.6";

/// The icon of `kind`, an image named by the kind.
#[component]
pub fn KindIcon(kind: Kind) -> impl IntoView {
    let body = if kind == Kind::Folder {
        view! { <path class="shape" d=FOLDER /> }.into_any()
    } else {
        let mark = kind.mark();
        view! {
            <path class="shape" d=PAGE />
            <path class="corner" d=CORNER />
            {(!mark.is_empty()).then(|| view! { <path class="mark" d=mark /> })}
        }
        .into_any()
    };
    view! {
        <svg class=kind.class() viewBox="0 0 24 24" role="img" aria-label=kind.label() focusable="false">
            {body}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn kinds_come_from_the_type_then_the_extension() {
        let of = |media_type, name| Kind::of(false, media_type, name);
        assert_eq!(Kind::of(true, Some("image/png"), "a.png"), Kind::Folder);
        assert_eq!(of(Some("image/png"), "x"), Kind::Image);
        assert_eq!(of(Some("IMAGE/JPEG; q=1"), "x"), Kind::Image);
        assert_eq!(of(Some("video/mp4"), "x"), Kind::Video);
        assert_eq!(of(Some("audio/ogg"), "x"), Kind::Audio);
        assert_eq!(of(Some("application/pdf"), "x"), Kind::Pdf);
        assert_eq!(of(Some("text/html"), "x"), Kind::Text);
        assert_eq!(of(Some("application/json"), "x"), Kind::Text);
        assert_eq!(of(Some("application/zip"), "x"), Kind::Archive);
        // No type, or one that says nothing: the extension.
        assert_eq!(of(None, "Holiday.JPG"), Kind::Image);
        assert_eq!(
            of(Some("application/octet-stream"), "a.tar.gz"),
            Kind::Archive
        );
        assert_eq!(of(None, "talk.mp3"), Kind::Audio);
        assert_eq!(of(None, "notes.md"), Kind::Text);
        assert_eq!(of(None, "report.pdf"), Kind::Pdf);
        assert_eq!(of(None, "clip.webm"), Kind::Video);
        assert_eq!(of(None, ".png"), Kind::Other, "a hidden file, no extension");
        assert_eq!(of(None, "README"), Kind::Other);
        assert_eq!(of(Some("application/x-made-up"), "data.bin"), Kind::Other);
        // The type wins over the name.
        assert_eq!(of(Some("application/pdf"), "photo.png"), Kind::Pdf);
    }
}
