// Runs every tests/e2e/*.test.mjs in headless Debian Chromium, one fresh browser
// context per page. Env: APP_URL, POD_URL (set by scripts/test), optional E2E_FILTER.
// Ends with the line "N passed, N failed"; exits 1 if any test failed.
import { readdir, mkdir } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { registered } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const artifacts = join(root, 'test-artifacts', 'e2e');
const appUrl = process.env.APP_URL;
const podUrl = process.env.POD_URL;
if (!appUrl || !podUrl) {
  console.error('APP_URL and POD_URL must be set (scripts/test does this)');
  process.exit(2);
}

const only = (process.env.E2E_FILES || '').split(',').filter(Boolean);
for (const file of (await readdir(here)).filter((f) => f.endsWith('.test.mjs') && (!only.length || only.some((o) => f.startsWith(o)))).sort()) {
  await import(pathToFileURL(join(here, file)).href);
}
const filter = process.env.E2E_FILTER;
const tests = registered.filter((t) => !filter || t.name.includes(filter));
await mkdir(artifacts, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
    '--no-first-run', '--disable-background-networking', '--disable-component-update',
    '--disable-sync',
  ],
});

/** Opens a page in a new context and records everything that should fail a test. */
async function watchedPage(problems, expected, failedLoads) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('console', (msg) => {
    const text = msg.text();
    if (/panicked at/.test(text)) problems.push(`Rust panic: ${text}`);
    else if (msg.type() === 'error' && !expected.some((pattern) => pattern.test(text))) {
      problems.push(`console error: ${text}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`uncaught exception: ${err.message}`));
  // A console error "Failed to load resource" does not say which; this does (no key is
  // ever in a URL the app requests: keys travel in fragments, which are not sent).
  page.on('response', (r) => {
    if (r.status() >= 400) failedLoads.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  page.on('crash', () => problems.push('page crashed'));
  return page;
}

const safe = (name) => name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
let passed = 0;
let failed = 0;
for (const t of tests) {
  const problems = [];
  const expected = [];
  const failedLoads = [];
  const pages = [];
  const newPage = async () => {
    const p = await watchedPage(problems, expected, failedLoads);
    pages.push(p);
    return p;
  };
  const started = Date.now();
  try {
    const page = await newPage();
    await t.fn({
      page, newPage, browser, appUrl, podUrl,
      expectConsoleError: (pattern) => expected.push(pattern),
      artifact: (name) => join(artifacts, `${safe(t.name)}--${name}`),
    });
    if (problems.length) throw new Error(problems.join('\n'));
    passed++;
    console.log(`ok   ${t.name} (${Date.now() - started} ms)`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${t.name}\n     ${String(err?.stack || err).replaceAll('\n', '\n     ')}`);
    if (problems.length && !String(err).includes(problems[0])) {
      console.log(`     also: ${problems.join('\n     also: ')}`);
    }
    if (failedLoads.length) {
      console.log(`     answers >= 400: ${[...new Set(failedLoads)].join('\n       ')}`);
    }
    for (const [i, p] of pages.entries()) {
      await p.screenshot({ path: join(artifacts, `${safe(t.name)}--failure-${i}.png`) }).catch(() => {});
    }
  } finally {
    for (const p of pages) await p.context().close().catch(() => {});
  }
}
await browser.close();
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
