// Downloads stream through the app's download service worker (static/save-sw.js):
// decrypted pieces go straight into the browser's download, with no plaintext
// temporary file. A file damaged after its first verified chunk has already begun
// downloading when the damage is found: the download must then fail in the
// browser (never complete with the bytes before the damage) and the app must say
// why.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE, podAuthorization } from './login-steps.mjs';
import { openDrive, podMembers } from './drive-steps.mjs';

test('a download whose file is damaged part-way fails in the browser and says why', async ({ page, appUrl, podUrl }) => {
  const name = `cut-${randomBytes(4).toString('hex')}.bin`;
  const file = { name, mimeType: 'application/octet-stream', buffer: randomBytes(12 * 1024 * 1024) };
  await openDrive(page, appUrl, podUrl, ALICE);
  await page.getByLabel('Upload files').setInputFiles([file]);
  const listing = page.getByRole('table', { name: 'Files' });
  await listing.getByText(name, { exact: true }).waitFor({ timeout: 60_000 });
  const url = await listing.locator('tr', { hasText: name }).getAttribute('data-url');
  assert.ok(url.endsWith('/'), 'stored in parts');

  // Flip a bit near the end of the last part, outside the app.
  const authorization = await podAuthorization(podUrl, ALICE);
  const parts = (await podMembers(url, authorization)).filter((m) => /-\d+$/.test(m));
  const last = parts.sort((a, b) => Number(a.split('-').pop()) - Number(b.split('-').pop())).pop();
  const bytes = Buffer.from(await (await fetch(last, { headers: { authorization } })).arrayBuffer());
  bytes[bytes.length - 40] ^= 0x01;
  const put = await fetch(last, { method: 'PUT', headers: { authorization, 'content-type': 'application/octet-stream' }, body: bytes });
  assert.ok(put.ok, `PUT ${last}: ${put.status}`);

  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    page.getByRole('button', { name: `Download ${name}`, exact: true }).click(),
  ]);
  const toast = page.getByRole('alert').filter({ hasText: `Cannot download ${name}` });
  await toast.waitFor({ timeout: 30_000 });
  assert.match(await toast.textContent(), /damaged or not a solidcrypt file/);
  assert.ok(await download.failure(), 'the browser marks the download failed');
  assert.equal(await download.path().catch(() => null), null, 'no saved file');
});
