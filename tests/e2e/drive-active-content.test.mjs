// Active content (docs/SECURITY.md, "Active content and the CSP"): a file's author
// cannot run script in the app's origin. An SVG with `onload` is previewed as the
// PNG it draws, so even its preview's URL opened as a page of its own runs nothing;
// HTML is shown as text; XHTML gets no preview at all. The app is served with a
// Content-Security-Policy (meta and header) that refuses inline script anyway.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE } from './login-steps.mjs';
import { openDrive } from './drive-steps.mjs';

const MARK = 'active-content-ran';

/** Script that, wherever it runs, leaves a mark in the app origin's storage and
 * asks the app's server for a URL the test watches. */
const payload = (what) => `localStorage.setItem('${MARK}','${what}');fetch('/${MARK}?${what}')`;

test('active content: SVG and HTML files run no script, not even at their preview URL; the CSP refuses inline script', async ({ page, appUrl, podUrl, expectConsoleError }) => {
  const t = randomBytes(4).toString('hex');
  const ran = [];
  page.context().on('request', (request) => {
    if (request.url().includes(MARK)) ran.push(request.url());
  });
  const svg = {
    name: `active-${t}.svg`,
    mimeType: 'image/svg+xml',
    buffer: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" onload="${payload('svg-onload')}">`
      + `<script>${payload('svg-script')}</script><rect width="40" height="20" fill="red"/></svg>`),
  };
  const html = {
    name: `active-${t}.html`,
    mimeType: 'text/html',
    buffer: Buffer.from(`<!DOCTYPE html><p>hello ${t}</p><script>${payload('html')}</script><img src=x onerror="${payload('html-img')}">`),
  };
  const xhtml = {
    name: `active-${t}.xhtml`,
    mimeType: 'application/xhtml+xml',
    buffer: Buffer.from(`<html xmlns="http://www.w3.org/1999/xhtml"><script>${payload('xhtml')}</script></html>`),
  };
  await openDrive(page, appUrl, podUrl, ALICE);

  // The policy, as a meta tag and as the server's header (with frame-ancestors).
  const meta = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content);
  for (const directive of ["script-src 'self' 'wasm-unsafe-eval'", "object-src 'none'", "base-uri 'none'"]) {
    assert.ok(meta?.includes(directive), `the CSP meta has ${directive}: ${meta}`);
  }
  const header = (await page.request.get(appUrl)).headers()['content-security-policy'];
  assert.ok(header?.includes(meta), `the header repeats the meta: ${header}`);
  assert.ok(header.includes("frame-ancestors 'none'"), header);
  // Inline script is refused (and Chromium says so in the console).
  expectConsoleError(/^Executing inline script violates the following Content Security Policy directive 'script-src 'self' 'wasm-unsafe-eval''/);
  const inlineRan = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true;';
    document.body.append(script);
    await new Promise((resolve) => setTimeout(resolve, 200));
    return window.__inlineRan === true;
  });
  assert.equal(inlineRan, false, 'an inline script ran despite the CSP');

  await page.getByLabel('Upload files').setInputFiles([svg, html, xhtml]);
  const listing = page.getByRole('table', { name: 'Files' });
  for (const f of [svg, html, xhtml]) await listing.getByText(f.name, { exact: true }).waitFor({ timeout: 30_000 });

  // SVG: shown as a PNG drawn from it; opening the preview's URL shows that PNG.
  await page.getByRole('button', { name: `Preview ${svg.name}` }).click();
  let dialog = page.getByRole('dialog', { name: `Preview of ${svg.name}` });
  const img = dialog.getByRole('img', { name: `Preview of ${svg.name}` });
  await img.waitFor({ timeout: 20_000 });
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
  assert.equal(await img.evaluate((el) => `${el.naturalWidth}x${el.naturalHeight}`), '40x20');
  const src = await img.getAttribute('src');
  assert.match(src, /^blob:/);
  assert.equal(await page.evaluate(async (url) => (await (await fetch(url)).blob()).type, src), 'image/png');
  const [opened] = await Promise.all([
    page.waitForEvent('popup'),
    page.evaluate((url) => { window.open(url); }, src),
  ]);
  await opened.waitForLoadState('load');
  assert.equal(await opened.evaluate(() => document.contentType), 'image/png');
  await opened.waitForTimeout(500);
  await opened.close();
  await dialog.getByRole('button', { name: 'Close preview' }).click();
  await dialog.waitFor({ state: 'detached' });

  // HTML: its source as text, nothing parsed, no frame or URL to open.
  await page.getByRole('button', { name: `Preview ${html.name}` }).click();
  dialog = page.getByRole('dialog', { name: `Preview of ${html.name}` });
  await dialog.getByText(`<p>hello ${t}</p>`, { exact: false }).waitFor({ timeout: 20_000 });
  assert.equal(await dialog.locator('iframe, img, object, embed, p:text("hello")').count(), 0);
  await dialog.getByRole('button', { name: 'Close preview' }).click();
  await dialog.waitFor({ state: 'detached' });

  // XHTML: download only.
  assert.equal(await page.getByRole('button', { name: `Preview ${xhtml.name}` }).count(), 0);

  await page.waitForTimeout(300);
  assert.equal(await page.evaluate((mark) => localStorage.getItem(mark), MARK), null, 'a file ran script in the app origin');
  assert.deepEqual(ran, [], 'a file ran script that made a request');
});
