//! SVG previews as pixels. An SVG file can carry script (`<svg onload=…>`), and the
//! blob: URL of a preview is in the app's origin: opened as a page of its own it
//! would run that script with the user's session and keys. So an SVG is drawn once
//! through an `<img>` (which never runs script) into a canvas, and only the PNG is
//! shown; the SVG's own blob: URL is revoked as soon as it is drawn.

use wasm_bindgen::prelude::*;
use web_sys::Blob;

#[wasm_bindgen(inline_js = r#"
export async function svg_to_png(svg) {
  const url = URL.createObjectURL(svg);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    // An SVG without a size of its own is drawn at 1024 px; none wider than 4096.
    let [w, h] = [img.naturalWidth || 1024, img.naturalHeight || 1024];
    const scale = Math.min(1, 4096 / Math.max(w, h));
    [w, h] = [Math.max(1, Math.round(w * scale)), Math.max(1, Math.round(h * scale))];
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    canvas.getContext('2d').drawImage(img, 0, 0, w, h);
    return await new Promise((resolve, reject) =>
      canvas.toBlob((png) => (png ? resolve(png) : reject(new Error('no picture'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}
"#)]
extern "C" {
    #[wasm_bindgen(catch, js_name = svg_to_png)]
    async fn draw(svg: &Blob) -> Result<JsValue, JsValue>;
}

/// The PNG an SVG draws, or why it cannot be drawn.
pub async fn svg_to_png(svg: &Blob) -> Result<Blob, String> {
    draw(svg)
        .await
        .map(JsCast::unchecked_into)
        .map_err(|_| "this SVG cannot be drawn; download it instead".to_owned())
}
