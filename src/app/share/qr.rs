//! A share link as a QR code (issue 16 item 5), to pass it from one phone to
//! another by camera instead of a chat. The code holds the whole link, fragment
//! (its key, or its password wrap) included: it is drawn here, as inline SVG, and
//! never sent anywhere. Hidden until asked for, since a code on screen is as
//! readable as the link itself to anyone who sees the screen.
//!
//! The `qrcode` crate only encodes (no image or SVG features: nothing else is
//! pulled in); the drawing is one `<path>`, a row's run of dark modules per
//! subpath, so the DOM stays small and the e2e test can read the modules back.

use leptos::prelude::*;
use qrcode::{Color, EcLevel, QrCode};
use zeroize::Zeroizing;

/// Light modules around the code, as the QR standard asks for scanners.
const QUIET_ZONE: usize = 4;

/// The QR code of `text` as an SVG path over a square of `side` modules (quiet
/// zone included): `M<x> <y>h<n>v1h-<n>z` for each run of dark modules. `None`
/// if the text does not fit in a QR code (links are far below its 2953 bytes).
pub fn qr_path(text: &str) -> Option<(usize, Zeroizing<String>)> {
    // Low error correction: screens show the code clean, and it keeps a link of
    // a few hundred characters at a size phones read at arm's length.
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let mut path = Zeroizing::new(String::with_capacity(width * width * 2));
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let run = row[x..].iter().take_while(|c| **c == Color::Dark).count();
                let (left, top) = (x + QUIET_ZONE, y + QUIET_ZONE);
                path.push_str(&format!("M{left} {top}h{run}v1h-{run}z"));
                x += run;
            } else {
                x += 1;
            }
        }
    }
    Some((width + 2 * QUIET_ZONE, path))
}

/// "Show QR code" and, once pressed, the link's QR code.
///
/// * `link`: the whole link, as copied.
/// * `name`: what it shares, for the button's label where several are listed.
#[component]
pub fn LinkQr(link: Zeroizing<String>, #[prop(optional)] name: Option<String>) -> impl IntoView {
    let shown = RwSignal::new(false);
    let drawn = qr_path(&link);
    let verb = move || if shown.get() { "Hide" } else { "Show" };
    let label = move || {
        name.as_ref()
            .map(|name| format!("{} QR code of the link to {name}", verb()))
    };
    view! {
        <button type="button" class="secondary" aria-label=label aria-expanded=move || shown.get().to_string()
            on:click=move |_| shown.update(|s| *s = !*s)>{move || format!("{} QR code", verb())}</button>
        {move || match (&drawn, shown.get()) {
            (Some((side, path)), true) => view! {
                <svg class="share-qr" role="img" aria-label="QR code of the link"
                    viewBox=format!("0 0 {side} {side}") shape-rendering="crispEdges">
                    <rect width=side.to_string() height=side.to_string() fill="#fff" />
                    <path fill="#000" d=path.to_string() />
                </svg>
            }
            .into_any(),
            (None, true) => view! { <p role="alert" class="error">"This link is too long for a QR code."</p> }.into_any(),
            (_, false) => ().into_any(),
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dark modules of a path, read back as the e2e test does.
    fn modules(path: &str) -> Vec<(usize, usize)> {
        let mut dark = Vec::new();
        for run in path.split('M').filter(|r| !r.is_empty()) {
            let (x, rest) = run.split_once(' ').unwrap();
            let (y, rest) = rest.split_once('h').unwrap();
            let n: usize = rest.split_once('v').unwrap().0.parse().unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            dark.extend((x..x + n).map(|x| (x, y)));
        }
        dark
    }

    #[test]
    fn path_draws_exactly_the_crates_dark_modules() {
        let link = "http://localhost:8080/share#v=1&kind=file&mode=read&res=x&pw=AAAA";
        let (side, path) = qr_path(link).unwrap();
        let code = QrCode::with_error_correction_level(link.as_bytes(), EcLevel::L).unwrap();
        assert_eq!(side, code.width() + 8);
        let expected: Vec<(usize, usize)> = code
            .to_colors()
            .iter()
            .enumerate()
            .filter(|(_, c)| **c == Color::Dark)
            .map(|(i, _)| (i % code.width() + 4, i / code.width() + 4))
            .collect();
        assert_eq!(modules(&path), expected);
    }

    #[test]
    fn a_real_link_fits_and_too_much_text_does_not() {
        let link = format!("https://app.example/share#v=1&{}", "x".repeat(700));
        let (side, _) = qr_path(&link).unwrap();
        assert!(side < 110, "{side} modules");
        assert!(qr_path(&"x".repeat(5000)).is_none());
    }
}
