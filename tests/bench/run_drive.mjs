#!/usr/bin/env node
// `scripts/bench drive`: the drive's upload and download through the app (in
// headless Chromium, as a user would) vs plain PUT/GET of a blob of the same size
// to the same pod from the same page, and the browser's peak memory (sum of the
// resident memory of every Chromium process of this run) for a big file.
//
// env: APP_URL, POD_URL (set by scripts/bench), BENCH_DRIVE_MIB (256),
//      BENCH_DRIVE_MEMORY_MIB (1024; 0 skips the memory run)
import { execFileSync } from 'node:child_process';
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

/** Resident memory (MiB) of every process started with this run's profile dir. */
function chromiumRss() {
  const out = execFileSync('ps', ['-eo', 'rss=,args='], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return out.split('\n').filter((l) => l.includes(profile))
    .reduce((sum, l) => sum + parseInt(l.trim(), 10), 0) / 1024;
}

/** Runs `fn` while sampling memory every 100 ms; returns [result, peak MiB]. */
async function peakDuring(fn) {
  let peak = chromiumRss();
  const timer = setInterval(() => { peak = Math.max(peak, chromiumRss()); }, 100);
  try {
    return [await fn(), Math.max(peak, chromiumRss())];
  } finally {
    clearInterval(timer);
  }
}

/** Uploads `path` through the app and downloads it again; returns seconds each. */
async function throughApp(page, path, name) {
  const files = page.getByRole('table', { name: 'Files' });
  let started = Date.now();
  await page.getByLabel('Upload files').setInputFiles(path);
  await files.getByText(name).waitFor({ timeout: 30 * 60_000 });
  const up = (Date.now() - started) / 1000;
  started = Date.now();
  const saved = await downloadPath(page, name, 30 * 60_000);
  const down = (Date.now() - started) / 1000;
  const size = (await stat(saved.path)).size;
  if (size !== (await stat(path)).size) throw new Error(`${name}: downloaded ${size} bytes`);
  await rm(saved.path, { force: true });
  return { up, down };
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
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await logIn(page, appUrl, podUrl, ALICE);
  await setOrUnlock(page);
  const authorization = await podAuthorization(podUrl, ALICE);
  const rate = (s) => `${(mib / s).toFixed(1).padStart(6)} MiB/s`;

  const name = `bench-${mib}MiB-${randomBytes(3).toString('hex')}.bin`;
  const path = await randomFile(name, mib);
  const app = await throughApp(page, path, name);
  await deleteFile(page, name);
  await rm(path);
  const raw = await plain(page, authorization, mib * 1024 * 1024);
  console.log(`drive ${mib} MiB upload:   app ${rate(app.up)} | plain PUT ${rate(raw.up)} | app/plain ${(raw.up / app.up).toFixed(2)}`);
  console.log(`drive ${mib} MiB download: app ${rate(app.down)} | plain GET ${rate(raw.down)} | app/plain ${(raw.down / app.down).toFixed(2)}`);

  if (memoryMib > 0) {
    const bigName = `bench-${memoryMib}MiB-${randomBytes(3).toString('hex')}.bin`;
    const bigPath = await randomFile(bigName, memoryMib);
    await page.reload();
    await setOrUnlock(page);
    const idle = chromiumRss();
    const [times, peak] = await peakDuring(() => throughApp(page, bigPath, bigName));
    await deleteFile(page, bigName);
    await rm(bigPath);
    console.log(`drive ${memoryMib} MiB: upload ${times.up.toFixed(1)} s, download ${times.down.toFixed(1)} s; Chromium RSS (all processes) idle ${idle.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB, peak - idle ${(peak - idle).toFixed(0)} MiB`);
  }
} finally {
  await context.close();
  await rm(dir, { recursive: true, force: true });
}
