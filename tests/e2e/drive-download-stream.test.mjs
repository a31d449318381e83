// Where the browser gives the app no disk for temporary files (no OPFS, as in some
// private modes; simulated here by removing `getDirectory`), a download over 16 MiB streams
// through the app's download service worker (static/save-sw.js) instead of being
// held whole in memory: decrypted pieces go straight into the browser's download.
// A file damaged after its first verified chunk has already begun downloading when
// the damage is found: that download must fail in the browser (never complete with
// the bytes before the damage) and the app must say why.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { test } from './harness.mjs';
import { ALICE, podAuthorization } from './login-steps.mjs';
import { openDrive, podMembers } from './drive-steps.mjs';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

test('without a disk for temporary files, a big download streams through the service worker; damaged part-way, it fails in the browser and says why', async ({ page, appUrl, podUrl }) => {
  await page.addInitScript(() => {
    Object.defineProperty(StorageManager.prototype, 'getDirectory', { value: undefined });
  });
  const tag = randomBytes(4).toString('hex');
  const good = { name: `whole-${tag}.bin`, mimeType: 'application/octet-stream', buffer: randomBytes(20 * 1024 * 1024) };
  const cut = { name: `cut-${tag}.bin`, mimeType: 'application/octet-stream', buffer: randomBytes(18 * 1024 * 1024) };
  await openDrive(page, appUrl, podUrl, ALICE);
  await page.getByLabel('Upload files').setInputFiles([good, cut]);
  const listing = page.getByRole('table', { name: 'Files' });
  await listing.getByText(good.name, { exact: true }).waitFor({ timeout: 60_000 });
  await listing.getByText(cut.name, { exact: true }).waitFor({ timeout: 60_000 });

  const [whole] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    page.getByRole('button', { name: `Download ${good.name}`, exact: true }).click(),
  ]);
  assert.equal(whole.suggestedFilename(), good.name);
  assert.equal(sha256(await readFile(await whole.path())), sha256(good.buffer), 'the streamed download is intact');
  assert.ok(await page.evaluate(async () => {
    const scope = new URL('save-stream/', document.baseURI).href;
    return Boolean((await navigator.serviceWorker.getRegistration(scope))?.active);
  }), 'it went through the download service worker');

  // Flip a bit near the end of the last part of the other file, outside the app.
  const url = await listing.locator('tr', { hasText: cut.name }).getAttribute('data-url');
  const authorization = await podAuthorization(podUrl, ALICE);
  const parts = (await podMembers(url, authorization)).filter((m) => /-\d+$/.test(m));
  const last = parts.sort((a, b) => Number(a.split('-').pop()) - Number(b.split('-').pop())).pop();
  const bytes = Buffer.from(await (await fetch(last, { headers: { authorization } })).arrayBuffer());
  bytes[bytes.length - 40] ^= 0x01;
  const put = await fetch(last, { method: 'PUT', headers: { authorization, 'content-type': 'application/octet-stream' }, body: bytes });
  assert.ok(put.ok, `PUT ${last}: ${put.status}`);

  const [failed] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    page.getByRole('button', { name: `Download ${cut.name}`, exact: true }).click(),
  ]);
  const toast = page.getByRole('alert').filter({ hasText: `Cannot download ${cut.name}` });
  await toast.waitFor({ timeout: 30_000 });
  assert.match(await toast.textContent(), /damaged or not a solidcrypt file/);
  assert.ok(await failed.failure(), 'the browser marks the download failed');
  assert.equal(await failed.path().catch(() => null), null, 'no saved file');
});
