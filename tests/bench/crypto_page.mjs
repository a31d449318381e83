// Runs inside headless Chromium (loaded by crypto.html, driven by run_crypto.mjs).
// Times our envelope (WebCrypto engine and aes-gcm engine, from the wasm module
// built from examples/crypto_bench.rs) next to raw WebCrypto AES-GCM on the same
// data in the same page. Ours and raw alternate within every round, in slices of
// 32 MiB (raw, ours, ours with byte output, then the reverse order, …), so a load
// spike on this shared machine hits all sides; the ratio is taken per round (256 MiB
// each side) and summarized by its median.
//
// What each side does per 2 MiB piece of plaintext (16 chunks of 128 KiB; the
// drive reads files in slices of this size), with 16 chunks in flight on each side:
// - raw: 16 × subtle.encrypt of chunk views of a JS buffer (counter nonces), await
//   all; 16 × subtle.decrypt of those results, await all. Both the ciphertext and
//   the plaintext end as ArrayBuffers the caller can use (Blob parts, fetch body).
//   No framing, no copies besides WebCrypto's own.
// - ours (JS parts, `push_parts`, the goal line): the plaintext in wasm memory
//   goes through our Encryptor into ciphertext Uint8Arrays (header, framing,
//   nonces, key schedule included); those are copied into one wasm buffer (as a
//   download copies each fetched piece) and go through our Decryptor into
//   plaintext Uint8Arrays. Same end state as raw, plus one copy and the framing.
// - ours (bytes, `push`): the same, but ciphertext and plaintext are copied back
//   into wasm memory (`Vec<u8>`), for callers that need the bytes in Rust.
import init, * as wasm from './pkg/crypto_bench.js';

const BLOCK = 2 << 20;

function block() {
  const b = new Uint8Array(BLOCK);
  for (let i = 0; i < BLOCK; i++) b[i] = (Math.imul(i, 2654435761) >>> 13) & 0xff;
  return b;
}

const DATA = block();

async function rawWebCrypto(total, chunkSize, inFlight) {
  const key = await crypto.subtle.importKey('raw', crypto.getRandomValues(new Uint8Array(32)),
    'AES-GCM', false, ['encrypt', 'decrypt']);
  let done = 0, counter = 0;
  for (let base = 0; base < total; base += BLOCK) {
    const end = Math.min(BLOCK, total - base);
    for (let off = 0; off < end; off += chunkSize * inFlight) {
      const ivs = [], sealing = [];
      for (let at = off; at < end && at < off + chunkSize * inFlight; at += chunkSize) {
        const iv = new Uint8Array(12);
        new DataView(iv.buffer).setUint32(8, counter++);
        ivs.push(iv);
        sealing.push(crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, DATA.subarray(at, Math.min(at + chunkSize, end))));
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

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => {
  const s = sorted(xs), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const summary = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), all: xs });

export async function runBench({ mib, chunkSizes, rounds, rustcryptoMib, argon, defaultChunk, inFlight }) {
  await init();
  const total = mib * (1 << 20);
  const out = { webcrypto: [], rustcrypto: null, argon: [] };
  for (const chunk of chunkSizes) {
    const sides = {
      raw: (n) => rawWebCrypto(n, chunk, inFlight),
      parts: (n) => wasm.envelope_webcrypto_parts(n, chunk),
      bytes: (n) => wasm.envelope_webcrypto(n, chunk),
    };
    // Warm-up (JIT, key import paths, wasm memory growth).
    for (const f of Object.values(sides)) await timed(() => f(16 * BLOCK), 16 * BLOCK);
    // Each round moves `mib` MiB through every side, interleaved in slices of at
    // most 32 MiB (raw, parts, bytes, then bytes, parts, raw, …), so that load
    // spikes shorter than a whole run still hit every side alike.
    const slice = Math.min(total, 32 << 20);
    const names = Object.keys(sides);
    const secs = { raw: [], parts: [], bytes: [] };
    for (let r = 0; r < rounds; r++) {
      const round = { raw: 0, parts: 0, bytes: 0 };
      for (let done = 0, k = 0; done < total; done += slice, k++) {
        const n = Math.min(slice, total - done);
        for (const name of k % 2 ? [...names].reverse() : names) {
          round[name] += await timed(() => sides[name](n), n);
        }
      }
      for (const name of names) secs[name].push(round[name]);
    }
    const rate = (xs) => summary(xs.map((s) => mib / s));
    out.webcrypto.push({
      chunk,
      raw: rate(secs.raw), parts: rate(secs.parts), bytes: rate(secs.bytes),
      ratioParts: summary(secs.parts.map((s, i) => secs.raw[i] / s)),
      ratioBytes: summary(secs.bytes.map((s, i) => secs.raw[i] / s)),
    });
  }
  if (rustcryptoMib > 0) {
    const t = rustcryptoMib * (1 << 20);
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
