#!/usr/bin/env node
// Serves the built crypto bench page from <dir> on a free port, runs it in headless
// Chromium through playwright-core and prints the numbers. Used by `scripts/bench`.
//
// usage: node tests/bench/run_crypto.mjs <dir with crypto.html, crypto_page.mjs, pkg/>
// env:   BENCH_MIB (256), BENCH_RUSTCRYPTO_MIB (16; the aes-gcm engine does
//        ~10 MiB/s in wasm), BENCH_ROUNDS (7), BENCH_CHUNKS (131072; e.g.
//        65536,131072,262144,524288,1048576 to compare), BENCH_IN_FLIGHT (16, raw
//        WebCrypto's concurrency), BENCH_STRICT=1 to fail when the median ours/raw
//        is below 0.8 at the default chunk size
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';

const dir = process.argv[2];
// The shipped DEFAULT_CHUNK_SIZE (src/crypto/envelope/seal.rs): the goal line uses it.
const DEFAULT_CHUNK = 131072;
const env = (k, d) => process.env[k] ?? d;
const opts = {
  mib: +env('BENCH_MIB', 256),
  rustcryptoMib: +env('BENCH_RUSTCRYPTO_MIB', 16),
  rounds: +env('BENCH_ROUNDS', 7),
  inFlight: +env('BENCH_IN_FLIGHT', 16),
  defaultChunk: DEFAULT_CHUNK,
  chunkSizes: env('BENCH_CHUNKS', String(DEFAULT_CHUNK)).split(',').filter(Boolean).map(Number),
  // Argon2id candidates (KiB, t, p); the first is the shipped default.
  argon: [[131072, 4, 1], [131072, 3, 1], [65536, 3, 1], [65536, 6, 1], [98304, 4, 1]],
};
const types = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm' };

const server = http.createServer(async (req, res) => {
  const path = normalize(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '');
  try {
    const body = await readFile(join(dir, path));
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const url = `http://127.0.0.1:${server.address().port}/crypto.html`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
let failed = false;
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(url);
  await page.waitForFunction(() => window.benchReady === true);
  const version = browser.version();
  const r = await page.evaluate((o) => window.runBench(o), opts);
  const kib = (n) => `${n / 1024} KiB`;
  const f = (x) => x.toFixed(1).padStart(6);
  const g = (x) => x.toFixed(2);
  const runs = (xs) => xs.map(g).join(' ');
  console.log(`chromium ${version}: ${opts.mib} MiB encrypt+decrypt per run, ${opts.rounds} rounds, raw | ours (parts) | ours (bytes) interleaved in 32 MiB slices; MiB/s of plaintext, median (min-max); raw WebCrypto with ${opts.inFlight} chunks in flight`);
  for (const w of r.webcrypto) {
    const rate = (s) => `${f(s.median)} (${s.min.toFixed(0)}-${s.max.toFixed(0)})`;
    console.log(`chromium chunk ${kib(w.chunk)}: raw WebCrypto ${rate(w.raw)} | envelope/WebCrypto, JS parts ${rate(w.parts)} | envelope/WebCrypto, bytes into wasm ${rate(w.bytes)}`);
    console.log(`chromium chunk ${kib(w.chunk)}: ours/raw, JS parts:  median ${g(w.ratioParts.median)} min ${g(w.ratioParts.min)} max ${g(w.ratioParts.max)} (rounds: ${runs(w.ratioParts.all)})`);
    console.log(`chromium chunk ${kib(w.chunk)}: ours/raw, bytes:     median ${g(w.ratioBytes.median)} min ${g(w.ratioBytes.min)} max ${g(w.ratioBytes.max)} (rounds: ${runs(w.ratioBytes.all)})`);
  }
  const def = r.webcrypto.find((w) => w.chunk === DEFAULT_CHUNK) ?? r.webcrypto[0];
  if (def) {
    const ratio = def.ratioParts.median;
    console.log(`chromium goal: median ours/raw >= 0.8 at ${def.chunk / 1024} KiB (WebCrypto engine, JS parts): ${g(ratio)} ${ratio >= 0.8 ? 'PASS' : 'FAIL'}`);
    failed = ratio < 0.8;
  }
  if (r.rustcrypto) {
    console.log(`chromium envelope/aes-gcm (wasm) chunk ${DEFAULT_CHUNK / 1024} KiB, ${r.rustcrypto.mib} MiB: ${f(r.rustcrypto.rate)} MiB/s`);
  }
  for (const a of r.argon) {
    console.log(`chromium Argon2id m=${a.m / 1024} MiB t=${a.t} p=${a.p}: unlock ${a.secs.toFixed(2)} s (median of 3)`);
  }
} finally {
  await browser.close();
  server.close();
}
process.exit(failed && process.env.BENCH_STRICT === '1' ? 1 : 0);
