// The page's side of the download service worker (static/save-sw.js), for
// src/drive/save_stream.rs: registers the worker, hands it each download and feeds
// it the decrypted pieces as the download asks for them.
let ready = null;

// The registration, once its worker is active; null if service workers are not
// available here. Registered once per page, on the first download.
export function prepare_saver() {
  ready ??= (async () => {
    if (!('serviceWorker' in navigator) || !window.isSecureContext) return null;
    try {
      const base = new URL('.', document.baseURI);
      const registration = await navigator.serviceWorker.register(
        new URL('save-sw.js', base), { scope: new URL('save-stream/', base).pathname });
      const worker = registration.active ?? registration.installing ?? registration.waiting;
      if (worker && worker.state !== 'activated') {
        await new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('timeout')), 10000);
          worker.addEventListener('statechange', () => {
            if (worker.state === 'activated') { clearTimeout(timer); resolve(); }
            if (worker.state === 'redundant') { clearTimeout(timer); reject(new Error('redundant')); }
          });
        });
      }
      return registration.active ? registration : null;
    } catch {
      return null;
    }
  })();
  return ready;
}

// Starts a download named `name` of type `type` (`size` bytes, if given: its
// Content-Length) fed through the worker of `registration`; resolves with the
// saver once the worker has registered it.
export async function open_saver(registration, name, type, size) {
  const worker = registration.active;
  const channel = new MessageChannel();
  const id = crypto.randomUUID();
  const saver = { port: channel.port1, pulls: 0, wake: null, cancelled: false };
  const registered = new Promise((resolve) => {
    channel.port1.onmessage = ({ data }) => {
      if (data.registered) resolve();
      if (data.pull) saver.pulls++;
      if (data.cancelled) saver.cancelled = true;
      saver.wake?.();
    };
  });
  worker.postMessage({ id, name, type, size }, [channel.port2]);
  await registered;
  const frame = document.createElement('iframe');
  frame.hidden = true;
  frame.src = new URL(`save-stream/${id}`, new URL('.', document.baseURI)).href;
  document.body.append(frame);
  // Messages to the worker keep it running for as long as the download lasts.
  saver.keepAlive = setInterval(() => worker.postMessage({ ping: true }), 10000);
  saver.end = () => {
    clearInterval(saver.keepAlive);
    setTimeout(() => frame.remove(), 60000);
  };
  return saver;
}

// Sends `parts` (Uint8Arrays, transferred) once the download asks for more.
export async function saver_write(saver, parts) {
  while (saver.pulls === 0 && !saver.cancelled) {
    await new Promise((resolve) => { saver.wake = resolve; });
  }
  if (saver.cancelled) throw new Error('the download was cancelled in the browser');
  saver.pulls--;
  saver.port.postMessage({ chunks: parts }, parts.map((p) => p.buffer));
}

export function saver_close(saver) {
  saver.port.postMessage({ done: true });
  saver.end();
}

export function saver_abort(saver, reason) {
  saver.port.postMessage({ error: reason });
  saver.end();
}
