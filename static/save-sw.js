// solidcrypt's download service worker: turns the decrypted bytes the page posts
// into a file download, so a big file goes straight into the user's downloads
// folder where the page has no disk for a temporary file and would otherwise hold
// it whole in memory (src/drive/save_stream.rs and .js are the page's side).
//
// Its scope is only `<app>/save-stream/`: the app's own pages and their requests
// to the pod never pass through it. The page posts {id, name, type} with a
// MessagePort, then navigates a hidden frame to `save-stream/<id>`; the answer
// streams what arrives on the port, and `Content-Disposition: attachment` makes
// it a download. The page sends the next piece only when `pull` asks, so it never
// runs more than one piece ahead. Nothing is stored; an unknown id falls through
// to the network. A `size` the page knows exactly (a zip's, computed from its plan)
// is sent as Content-Length, so the browser shows the download's progress and fails
// it should fewer bytes arrive.

const pending = new Map();

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('message', (event) => {
  const { id, name, type, size } = event.data ?? {};
  const port = event.ports[0];
  if (typeof id !== 'string' || !port) return; // keep-alive pings end here
  pending.set(id, {
    port,
    name: String(name ?? 'download'),
    type: String(type || 'application/octet-stream'),
    size: Number.isSafeInteger(size) && size >= 0 ? size : null,
  });
  port.postMessage({ registered: true });
});

self.addEventListener('fetch', (event) => {
  const id = new URL(event.request.url).pathname.split('/').pop();
  const entry = pending.get(id);
  if (!entry) return;
  pending.delete(id);
  const { port, name, type, size } = entry;
  const body = new ReadableStream({
    start(controller) {
      port.onmessage = ({ data }) => {
        if (data.chunks) for (const chunk of data.chunks) controller.enqueue(chunk);
        else if (data.done) controller.close();
        else if (data.error) controller.error(new Error(data.error));
      };
    },
    pull() {
      port.postMessage({ pull: true });
    },
    cancel() {
      port.postMessage({ cancelled: true });
    },
  });
  event.respondWith(new Response(body, {
    headers: {
      ...(size === null ? {} : { 'Content-Length': String(size) }),
      'Content-Type': type,
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
      'X-Content-Type-Options': 'nosniff',
      // Should a browser ever render it instead of saving it, the decrypted file is
      // an opaque-origin document that can run nothing (docs/SECURITY.md).
      'Content-Security-Policy': "sandbox; default-src 'none'",
    },
  }));
});
