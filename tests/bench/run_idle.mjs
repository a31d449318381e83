#!/usr/bin/env node
// `scripts/bench idle`: what the tab holds once the drive is unlocked, and how long
// unlocking blocks the page, for builds of the app side by side in one run (e.g.
// Argon2id in its Web Worker vs the same build without the worker files, where the
// app falls back to running Argon2id inline). Each round is a fresh Chromium (own
// profile) that logs alice in, unlocks (or sets the password on a fresh pod), waits
// 3 s and reads: the app's wasm memory (WebAssembly.Memory of the instance Trunk
// starts), the JS heap (CDP Performance metrics), the resident memory of the tab
// (its renderer process, and the anonymous part of it) and of all Chromium
// processes of the round; plus the unlock time (click to file browser), how long
// the Argon2id worker lived, and the page's long tasks meanwhile (the longest, and
// the total blocking time: the sum of each long task's time over 50 ms).
//
// env: POD_URL, BENCH_IDLE_APPS ("label=url label=url"), BENCH_IDLE_ROUNDS (3 each)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ALICE, logIn } from '../e2e/login-steps.mjs';
import { MASTER } from '../e2e/drive-steps.mjs';

const podUrl = process.env.POD_URL;
const apps = (process.env.BENCH_IDLE_APPS ?? '').split(/\s+/).filter(Boolean).map((pair) => {
  const at = pair.indexOf('=');
  return { label: pair.slice(0, at), url: pair.slice(at + 1) };
});
const rounds = +(process.env.BENCH_IDLE_ROUNDS ?? 3);
if (!podUrl || apps.length === 0) {
  console.error('POD_URL and BENCH_IDLE_APPS ("label=url ...") must be set (scripts/bench idle does this)');
  process.exit(2);
}

/** Resident MiB of the processes started with `profile`: all of them, and the tab —
 * the largest renderer (headless Chromium also keeps a WebUI renderer and often a
 * spare one of ~60 MiB) — split into anonymous memory (heaps: JS, wasm, compiled
 * code, Blink, Skia, allocators) and file-backed pages (mostly Chromium's own binary,
 * ~100 MiB even for an empty page, shared with its other processes). */
function rss(profile) {
  const out = execFileSync('ps', ['-eo', 'pid=,rss=,args='], { encoding: 'utf8', maxBuffer: 1 << 24 });
  let total = 0;
  let tab = { pid: 0, mib: 0 };
  for (const line of out.split('\n').filter((l) => l.includes(profile))) {
    const [pid, kib] = line.trim().split(/\s+/);
    total += kib / 1024;
    const renderer = line.includes('--type=renderer') && !line.includes('--top-chrome-webui');
    if (renderer && kib / 1024 > tab.mib) tab = { pid, mib: kib / 1024 };
  }
  let anon = NaN;
  try {
    const rollup = readFileSync(`/proc/${tab.pid}/smaps_rollup`, 'utf8');
    anon = parseInt(/^Anonymous:\s+(\d+)/m.exec(rollup)[1], 10) / 1024;
  } catch {
    // Gone meanwhile, or not readable: the RSS only.
  }
  return { tab: tab.mib, anon, total };
}

/** One fresh browser: log in, unlock (or set the password), measure. */
async function round(app) {
  const dir = await mkdtemp(join(tmpdir(), 'solidcrypt-idle-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = context.pages()[0] ?? await context.newPage();
    await page.addInitScript(() => {
      addEventListener('TrunkApplicationStarted', (event) => {
        window.appWasmMemory = event.detail.wasm.memory;
      });
    });
    // Each Argon2id worker, and how long it lived (start, load, derive, answer).
    const workers = [];
    page.on('worker', (worker) => {
      const entry = { started: Date.now(), ms: NaN };
      worker.on('close', () => { entry.ms = Date.now() - entry.started; });
      workers.push(entry);
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const sample = async () => {
      const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
      return {
        wasm: await page.evaluate(() => window.appWasmMemory.buffer.byteLength / 2 ** 20),
        heap: metrics.JSHeapUsedSize / 2 ** 20,
        ...rss(dir),
      };
    };

    await logIn(page, app.url, podUrl, ALICE);
    const set = page.getByRole('heading', { name: 'Set a master password' });
    await set.or(page.getByRole('heading', { name: 'Unlock your drive' })).waitFor({ timeout: 20_000 });
    const kind = (await set.isVisible()) ? 'set' : 'unlock';
    await page.waitForTimeout(1000);
    const before = await sample();

    await page.evaluate(() => {
      window.longTasks = [];
      new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration)))
        .observe({ type: 'longtask' });
    });
    await page.getByLabel('Master password', { exact: true }).fill(MASTER);
    if (kind === 'set') await page.getByLabel('Confirm master password').fill(MASTER);
    const started = Date.now();
    await page.getByRole('button', { name: kind === 'set' ? 'Set master password' : 'Unlock' }).click();
    await page.getByLabel('Upload files').waitFor({ timeout: 60_000 });
    const seconds = (Date.now() - started) / 1000;
    const tasks = await page.evaluate(() => window.longTasks);
    await page.waitForTimeout(3000);
    const after = await sample();
    return {
      kind, seconds, before, after,
      workers: workers.length,
      workerMs: workers.reduce((sum, w) => sum + w.ms, 0),
      longest: Math.max(0, ...tasks),
      blocking: tasks.reduce((sum, t) => sum + Math.max(0, t - 50), 0),
    };
  } finally {
    await context.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const f0 = (x) => x.toFixed(0).padStart(4);
const mem = (s) => `wasm ${f0(s.wasm)} heap ${f0(s.heap)} tab ${f0(s.tab)} (anon ${f0(s.anon)}) all ${f0(s.total)} MiB`;
const results = Object.fromEntries(apps.map((a) => [a.label, []]));
for (let r = 0; r < rounds; r++) {
  // Alternate the order so load spikes on the shared machine hit every build.
  for (const app of r % 2 ? [...apps].reverse() : apps) {
    const m = await round(app);
    results[app.label].push(m);
    console.log(`idle ${app.label.padEnd(8)} ${m.kind.padEnd(6)} ${m.seconds.toFixed(2)} s, workers ${m.workers} (${f0(m.workerMs)} ms), ` +
      `longest task ${f0(m.longest)} ms, blocking ${f0(m.blocking)} ms | ` +
      `before: ${mem(m.before)} | after: ${mem(m.after)}`);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const { label } of apps) {
  const ms = results[label].filter((m) => m.kind === 'unlock');
  if (!ms.length) continue;
  const med = (f) => f0(median(ms.map(f)));
  console.log(`idle ${label}: median of ${ms.length} unlocks: ${median(ms.map((m) => m.seconds)).toFixed(2)} s, ` +
    `worker ${med((m) => m.workerMs)} ms, longest task ${med((m) => m.longest)} ms, blocking ${med((m) => m.blocking)} ms; after unlock: ` +
    `wasm ${med((m) => m.after.wasm)} MiB, JS heap ${med((m) => m.after.heap)} MiB, ` +
    `tab ${med((m) => m.after.tab)} MiB (anonymous ${med((m) => m.after.anon)}), all Chromium ${med((m) => m.after.total)} MiB`);
}
