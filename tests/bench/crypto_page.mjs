// Runs inside headless Chromium (loaded by crypto.html, driven by run_crypto.mjs).
// Times our envelope (WebCrypto engine and aes-gcm engine, from the wasm module
// built from examples/crypto_bench.rs) next to raw WebCrypto AES-GCM on the same
// data in the same page, alternating runs so the ratio is measured side by side.
import init, * as wasm from './pkg/crypto_bench.js';

const BLOCK = 1 << 20;

function block() {
  const b = new Uint8Array(BLOCK);
  for (let i = 0; i < BLOCK; i++) b[i] = (Math.imul(i, 2654435761) >>> 13) & 0xff;
  return b;
}

// Raw WebCrypto: `inFlight` chunks encrypted at once, then decrypted at once, with a
// counter nonce; inFlight = 1 is one chunk awaited at a time (DESIGN §6). No
// framing, no copies into wasm.
async function rawWebCrypto(total, chunkSize, inFlight = 1) {
  const key = await crypto.subtle.importKey('raw', crypto.getRandomValues(new Uint8Array(32)),
    'AES-GCM', false, ['encrypt', 'decrypt']);
  const data = block();
  const iv = new Uint8Array(12);
  const view = new DataView(iv.buffer);
  let done = 0, counter = 0;
  while (done < total) {
    for (let off = 0; off < BLOCK && done < total; off += chunkSize * inFlight) {
      const ivs = [], sealing = [];
      for (let k = 0; k < inFlight && off + k * chunkSize < BLOCK; k++) {
        view.setUint32(8, counter++);
        ivs.push(iv.slice());
        const at = off + k * chunkSize;
        sealing.push(crypto.subtle.encrypt({ name: 'AES-GCM', iv: ivs[k] }, key, data.subarray(at, at + chunkSize)));
      }
      const sealed = await Promise.all(sealing);
      const opened = await Promise.all(sealed.map((s, k) => crypto.subtle.decrypt({ name: 'AES-GCM', iv: ivs[k] }, key, s)));
      for (const o of opened) done += o.byteLength;
    }
  }
  return done;
}

async function timed(fn, expect) {
  const t0 = performance.now();
  const got = await fn();
  const secs = (performance.now() - t0) / 1000;
  if (got !== expect) throw new Error(`round trip returned ${got} bytes, expected ${expect}`);
  return secs;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function runBench({ mib, chunkSizes, rounds, rustcryptoMib, argon, defaultChunk }) {
  await init();
  const total = mib * BLOCK;
  const out = { webcrypto: [], rustcrypto: null, argon: [] };
  for (const chunk of chunkSizes) {
    const ours = [], raw = [], rawParallel = [];
    // Warm-up (JIT, key import paths), then alternate raw and ours.
    await rawWebCrypto(8 * BLOCK, chunk);
    await wasm.envelope_webcrypto(8 * BLOCK, chunk);
    for (let r = 0; r < rounds; r++) {
      raw.push(await timed(() => rawWebCrypto(total, chunk), total));
      ours.push(await timed(() => wasm.envelope_webcrypto(total, chunk), total));
      rawParallel.push(await timed(() => rawWebCrypto(total, chunk, 16), total));
    }
    out.webcrypto.push({ chunk, ours: mib / median(ours), raw: mib / median(raw),
      rawParallel: mib / median(rawParallel), ratios: ours.map((o, i) => raw[i] / o) });
  }
  if (rustcryptoMib > 0) {
    const t = rustcryptoMib * BLOCK;
    const secs = await timed(() => wasm.envelope_rustcrypto(t, defaultChunk), t);
    out.rustcrypto = { mib: rustcryptoMib, rate: rustcryptoMib / secs };
  }
  for (const [m, t, p] of argon) {
    const wrapped = wasm.password_wrap(m, t, p);
    const times = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      if (!wasm.password_unlock(wrapped)) throw new Error('unlock failed');
      times.push((performance.now() - t0) / 1000);
    }
    out.argon.push({ m, t, p, secs: median(times) });
  }
  return out;
}
