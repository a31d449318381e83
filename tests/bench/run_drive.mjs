#!/usr/bin/env node
// `scripts/bench drive`: the drive's upload and download through the app (in
// headless Chromium, as a user would) vs plain PUT/GET of a blob of the same size
// to the same pod from the same page, with the app's time per pipeline stage
// (read, encrypt, Blob build, PUT; GET, decrypt, spool write: `stages` below),
// and the browser's memory for a big file upload and download: resident memory
// of every Chromium process of this run
// (persistent profile, so disk-backed storage is on disk), idle and peak, by
// process kind (renderer:tab = the page, renderer:other = a spare renderer and the
// download service worker, browser, gpu, utility:<service>) and in total.
//
// env: APP_URL, POD_URL (set by scripts/bench), BENCH_DRIVE_MIB (256),
//      BENCH_DRIVE_ROUNDS (3), BENCH_DRIVE_MEMORY_MIB (1024; 0 skips the memory run)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ALICE, logIn, podAuthorization } from '../e2e/login-steps.mjs';
import { deleteFile, downloadPath, setOrUnlock } from '../e2e/drive-steps.mjs';

const { APP_URL: appUrl, POD_URL: podUrl } = process.env;
const mib = +(process.env.BENCH_DRIVE_MIB ?? 256);
const memoryMib = +(process.env.BENCH_DRIVE_MEMORY_MIB ?? 1024);
const rounds = +(process.env.BENCH_DRIVE_ROUNDS ?? 3);
const dir = await mkdtemp(join(tmpdir(), 'solidcrypt-bench-'));
const profile = join(dir, 'chromium-profile');

/** Writes `size` MiB of random bytes to a file without holding them in memory. */
async function randomFile(name, size) {
  const path = join(dir, name);
  const file = await open(path, 'w');
  for (let i = 0; i < size; i++) await file.write(randomBytes(1024 * 1024));
  await file.close();
  return path;
}

/** The tab's renderer process id, set by [`findTab`]. */
let tabPid = null;

/** Every process started with this run's profile dir: pid, resident MiB, args. */
function chromiumProcesses() {
  const out = execFileSync('ps', ['-eo', 'pid=,rss=,args='], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return out.split('\n').filter((l) => l.includes(profile)).map((line) => {
    const [pid, rss] = line.trim().split(/\s+/, 2);
    return { pid: Number(pid), mib: Number(rss) / 1024, args: line };
  });
}

/** Notes which renderer is the tab: the largest one right after unlocking. Headless
 * Chromium also keeps a spare renderer (60–75 MiB), and the download service
 * worker may run in another; summed with the tab they would overstate it. */
function findTab() {
  const renderers = chromiumProcesses().filter((p) => kind(p) === 'renderer:other');
  tabPid = renderers.sort((a, b) => b.mib - a.mib)[0]?.pid ?? null;
}

/** Which Chromium process it is: `renderer:tab` (the page), `renderer:other`,
 * `renderer:webui`, utility processes by service (e.g. `utility:network`), or
 * `browser` for the main process. */
function kind({ pid, args }) {
  const type = /--type=(\S+)/.exec(args)?.[1];
  if (!type) return 'browser';
  if (type === 'renderer') {
    if (args.includes('--top-chrome-webui')) return 'renderer:webui';
    return pid === tabPid ? 'renderer:tab' : 'renderer:other';
  }
  if (type !== 'utility') return type;
  const service = /--utility-sub-type=(\S+)/.exec(args)?.[1] ?? '';
  return `utility:${service.split('.')[0] || 'other'}`;
}

/** Resident memory (MiB) of this run's Chromium processes by kind, and in total;
 * plus `renderer:tab private`, the tab's anonymous resident memory (`RssAnon`):
 * its own memory, without the ~130 MiB of Chromium's code every process maps and
 * shares (closest to the "memory footprint" of Chromium's task manager). */
function chromiumRss() {
  const byKind = { total: 0 };
  for (const process of chromiumProcesses()) {
    const k = kind(process);
    byKind[k] = (byKind[k] ?? 0) + process.mib;
    byKind.total += process.mib;
  }
  if (tabPid !== null) {
    try {
      const status = readFileSync(`/proc/${tabPid}/status`, 'utf8');
      const kib = /RssAnon:\s+(\d+) kB/.exec(status)?.[1];
      if (kib) byKind['renderer:tab private'] = Number(kib) / 1024;
    } catch {
      // The tab's process is gone (it crashed): the table says so by its absence.
    }
  }
  return byKind;
}

/** Runs `fn` while sampling memory every 100 ms; returns [result, idle, peak], the
 * memory by process kind before and at its peak (each kind's own peak). */
async function peakDuring(fn) {
  const idle = chromiumRss();
  const peak = { ...idle };
  const sample = () => {
    for (const [k, v] of Object.entries(chromiumRss())) peak[k] = Math.max(peak[k] ?? 0, v);
  };
  const timer = setInterval(sample, 100);
  try {
    const result = await fn();
    sample();
    return [result, idle, peak];
  } finally {
    clearInterval(timer);
  }
}

/** One line per process kind: idle → peak (MiB). */
function memoryTable(label, idle, peak) {
  const kinds = Object.keys(peak).filter((k) => k !== 'total').sort();
  const row = (k) => `  ${k.padEnd(22)} idle ${(idle[k] ?? 0).toFixed(0).padStart(5)} MiB, peak ${peak[k].toFixed(0).padStart(5)} MiB, +${(peak[k] - (idle[k] ?? 0)).toFixed(0)}`;
  return [label, ...kinds.map(row), row('total')].join('\n');
}

/** Uploads `path` through the app; returns seconds. */
async function upload(page, path, name) {
  const files = page.getByRole('table', { name: 'Files' });
  const started = Date.now();
  await page.getByLabel('Upload files').setInputFiles(path);
  const failed = page.locator('.toast[role=alert]');
  await files.getByText(name).or(failed).first().waitFor({ timeout: 30 * 60_000 });
  if (await failed.count()) throw new Error(`upload of ${name} failed: ${await failed.first().innerText()}`);
  return (Date.now() - started) / 1000;
}

/** Downloads `name` through the app and checks its size against `path`; returns seconds. */
async function download(page, path, name) {
  const started = Date.now();
  const saved = await downloadPath(page, name, 30 * 60_000);
  const seconds = (Date.now() - started) / 1000;
  const size = (await stat(saved.path)).size;
  if (size !== (await stat(path)).size) throw new Error(`${name}: downloaded ${size} bytes`);
  await rm(saved.path, { force: true });
  return seconds;
}

/** The app's stage measures (`solidcrypt:<stage>`, src/drive/stages.rs) since the
 * last call: total seconds per stage, then cleared. Stages overlap (three PUTs in
 * flight, the next part downloading while one is decrypted), so they add up to
 * more than the wall time; the `-wait` stages are the time the pipeline sat
 * waiting for the network (or the spool), what the other stages did not hide;
 * `upload`/`download` is the app's whole operation (key, listing, hand-over
 * included), the rest of the wall time is the page (rows, listing refresh). */
async function stages(page) {
  return page.evaluate(() => {
    const sums = {};
    for (const m of performance.getEntriesByType('measure')) {
      if (!m.name.startsWith('solidcrypt:')) continue;
      const stage = m.name.slice('solidcrypt:'.length);
      sums[stage] = (sums[stage] ?? 0) + m.duration / 1000;
    }
    performance.clearMeasures();
    return sums;
  });
}

/** Uploads `path` through the app and downloads it again; returns seconds each,
 * and the seconds per stage of each. */
async function throughApp(page, path, name) {
  await stages(page);
  const up = await upload(page, path, name);
  const upStages = await stages(page);
  const down = await download(page, path, name);
  return { up, down, upStages, downStages: await stages(page) };
}

/** `stage 1.23 s` for each stage, in pipeline order. */
const UP_STAGES = ['upload', 'read', 'encrypt', 'blob', 'put', 'put-wait'];
const DOWN_STAGES = ['download', 'get', 'get-wait', 'decrypt', 'spool-write', 'spool-wait'];
function stageLine(order, sums) {
  return order.map((k) => `${k} ${(sums[k] ?? 0).toFixed(2)} s`).join(', ');
}

/** The same size PUT and GET as plain blobs from the page: the pod's own speed. */
async function plain(page, authorization, size) {
  const url = `${podUrl}alice/bench-plain-${randomBytes(6).toString('hex')}.bin`;
  return page.evaluate(async ({ url, authorization, size }) => {
    const part = new Uint8Array(1024 * 1024);
    const parts = [];
    for (let i = 0; i < size / part.length; i++) {
      for (let j = 0; j < part.length; j += 65536) crypto.getRandomValues(part.subarray(j, j + 65536));
      parts.push(new Blob([part]));
    }
    const blob = new Blob(parts);
    let started = performance.now();
    const put = await fetch(url, { method: 'PUT', body: blob, headers: { authorization, 'content-type': 'application/octet-stream' } });
    if (!put.ok) throw new Error(`plain PUT: ${put.status}`);
    const up = (performance.now() - started) / 1000;
    started = performance.now();
    const got = await (await fetch(url, { headers: { authorization }, cache: 'no-store' })).blob();
    const down = (performance.now() - started) / 1000;
    if (got.size !== size) throw new Error(`plain GET: ${got.size} bytes`);
    await fetch(url, { method: 'DELETE', headers: { authorization } });
    return { up, down };
  }, { url, authorization, size });
}

const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  acceptDownloads: true,
  // --expose-gc: the download's idle sample follows a full collection (below).
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--js-flags=--expose-gc',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await logIn(page, appUrl, podUrl, ALICE);
  await setOrUnlock(page);
  const authorization = await podAuthorization(podUrl, ALICE);
  const rate = (s) => `${(mib / s).toFixed(1).padStart(6)} MiB/s`;

  // The machine is shared and noisy: app and plain take turns (order swapped every
  // round) and the median ratio is the result.
  const ratios = { up: [], down: [] };
  const perStage = { up: [], down: [] };
  for (let round = 0; round < rounds; round++) {
    const name = `bench-${mib}MiB-${randomBytes(3).toString('hex')}.bin`;
    const path = await randomFile(name, mib);
    let app;
    let raw;
    if (round % 2 === 0) {
      app = await throughApp(page, path, name);
      raw = await plain(page, authorization, mib * 1024 * 1024);
    } else {
      raw = await plain(page, authorization, mib * 1024 * 1024);
      app = await throughApp(page, path, name);
    }
    await deleteFile(page, name);
    await rm(path);
    ratios.up.push(raw.up / app.up);
    ratios.down.push(raw.down / app.down);
    perStage.up.push(app.upStages);
    perStage.down.push(app.downStages);
    console.log(`drive ${mib} MiB round ${round + 1}: upload app ${rate(app.up)} | plain PUT ${rate(raw.up)} | app/plain ${(raw.up / app.up).toFixed(2)};  download app ${rate(app.down)} | plain GET ${rate(raw.down)} | app/plain ${(raw.down / app.down).toFixed(2)}`);
    console.log(`  upload ${app.up.toFixed(2)} s (plain PUT ${raw.up.toFixed(2)} s): ${stageLine(UP_STAGES, app.upStages)}`);
    console.log(`  download ${app.down.toFixed(2)} s (plain GET ${raw.down.toFixed(2)} s): ${stageLine(DOWN_STAGES, app.downStages)}`);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(2);
  const range = (xs) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
  console.log(`drive ${mib} MiB over ${rounds} rounds: upload app/plain median ${median(ratios.up)} (${range(ratios.up)}), download app/plain median ${median(ratios.down)} (${range(ratios.down)}) (goal ≥ 0.80 each)`);
  const medianStages = (order, all) => Object.fromEntries(order.map((k) => [k, +median(all.map((s) => s[k] ?? 0))]));
  console.log(`drive ${mib} MiB stage medians, upload: ${stageLine(UP_STAGES, medianStages(UP_STAGES, perStage.up))}`);
  console.log(`drive ${mib} MiB stage medians, download: ${stageLine(DOWN_STAGES, medianStages(DOWN_STAGES, perStage.down))}`);

  if (memoryMib > 0) {
    const bigName = `bench-${memoryMib}MiB-${randomBytes(3).toString('hex')}.bin`;
    const bigPath = await randomFile(bigName, memoryMib);
    await page.reload();
    await setOrUnlock(page);
    findTab();
    // A reload may keep the tab's process, with the rounds' uncollected garbage.
    await page.evaluate(() => globalThis.gc?.());
    await page.waitForTimeout(2000);
    const [up, upIdle, upPeak] = await peakDuring(() => upload(page, bigPath, bigName));
    // The upload's uncollected garbage (≈80 MiB) is not the download's cost:
    // collect it before the download's idle sample.
    await page.evaluate(() => globalThis.gc?.());
    await page.waitForTimeout(2000);
    const [down, downIdle, downPeak] = await peakDuring(() => download(page, bigPath, bigName));
    await deleteFile(page, bigName);
    await rm(bigPath);
    console.log(memoryTable(`drive ${memoryMib} MiB upload ${up.toFixed(1)} s; Chromium RSS by process:`, upIdle, upPeak));
    console.log(memoryTable(`drive ${memoryMib} MiB download ${down.toFixed(1)} s; Chromium RSS by process:`, downIdle, downPeak));
  }
} finally {
  await context.close();
  await rm(dir, { recursive: true, force: true });
}
