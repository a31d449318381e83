// Thumbnails of image rows (src/app/drive/thumbnails.rs): waiting until a row is
// on screen, and drawing a decrypted image small. Nothing here fetches anything.

const waiting = new Map();
let observer = null;

function settle(id, seen) {
  const found = waiting.get(id);
  if (!found) return;
  waiting.delete(id);
  observer.unobserve(found.element);
  found.resolve(seen);
}

/** Resolves with true once `element` is on screen (or near it), with false if
 * `forget(id)` comes first (the row went away). */
export function when_visible(element, id) {
  observer ??= new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) settle(Number(entry.target.dataset.thumbnail), true);
    }
  }, { rootMargin: '200px' });
  return new Promise((resolve) => {
    element.dataset.thumbnail = String(id);
    waiting.set(id, { element, resolve });
    observer.observe(element);
  });
}

/** Stops waiting for the element `when_visible(…, id)` watches. */
export function forget(id) {
  settle(id, false);
}

/** A PNG of `image` (a Blob of a raster image) no larger than `side` pixels
 * either way. Only the small picture is kept: the decoded bitmap is closed at
 * once. Rejects when the bytes are no image the browser can decode. */
export async function shrink(image, side) {
  const bitmap = await createImageBitmap(image);
  try {
    const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve, reject) =>
      canvas.toBlob((png) => (png ? resolve(png) : reject(new Error('no picture'))), 'image/png'));
  } finally {
    bitmap.close();
  }
}
