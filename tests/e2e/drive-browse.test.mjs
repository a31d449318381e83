// Browsing as a user meets it: previews of text, image and PDF show the decrypted
// file; folders are created, entered and left by breadcrumbs, hold uploads, and are
// deleted recursively — gone from the listing, from the pod, and from the keystores.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE, podAuthorization } from './login-steps.mjs';
import { download, filesFolder, openDrive, setOrUnlock } from './drive-steps.mjs';

const tag = () => randomBytes(4).toString('hex');

/** A 2×1 PNG (red, blue). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGP4zwAE/wEHAAH/4iOeWQAAAABJRU5ErkJggg==', 'base64');

/** A one-page PDF saying `text`, with a correct cross-reference table. */
function pdf(text) {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${`BT /F1 18 Tf 20 60 Td (${text}) Tj ET`.length} >>\nstream\nBT /F1 18 Tf 20 60 Td (${text}) Tj ET\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

test('preview shows decrypted text, an image and a PDF', async ({ page, appUrl, podUrl, artifact, expectConsoleError }) => {
  const t = tag();
  const text = { name: `preview-${t}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`<b>not html</b> preview text ${t}`) };
  const image = { name: `preview-${t}.png`, mimeType: 'image/png', buffer: PNG };
  const doc = { name: `preview-${t}.pdf`, mimeType: 'application/pdf', buffer: pdf(`Hello ${t}`) };
  await openDrive(page, appUrl, podUrl, ALICE);
  await page.getByLabel('Upload files').setInputFiles([text, image, doc]);
  const listing = page.getByRole('table', { name: 'Files' });
  for (const f of [text, image, doc]) await listing.getByText(f.name, { exact: true }).waitFor({ timeout: 30_000 });

  await page.getByRole('button', { name: `Preview ${text.name}` }).click();
  let dialog = page.getByRole('dialog', { name: `Preview of ${text.name}` });
  // Shown as text, never parsed as HTML.
  await dialog.getByText(`<b>not html</b> preview text ${t}`).waitFor();
  assert.equal(await dialog.locator('b').count(), 0);
  await dialog.getByRole('button', { name: 'Close preview' }).click();
  await dialog.waitFor({ state: 'detached' });

  await page.getByRole('button', { name: `Preview ${image.name}` }).click();
  dialog = page.getByRole('dialog', { name: `Preview of ${image.name}` });
  const img = dialog.getByRole('img', { name: `Preview of ${image.name}` });
  await img.waitFor();
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
  assert.equal(await img.evaluate((el) => `${el.naturalWidth}x${el.naturalHeight}`), '2x1');
  assert.match(await img.getAttribute('src'), /^blob:/);
  await dialog.getByRole('button', { name: 'Close preview' }).click();
  await dialog.waitFor({ state: 'detached' });

  await page.getByRole('button', { name: `Preview ${doc.name}` }).click();
  dialog = page.getByRole('dialog', { name: `Preview of ${doc.name}` });
  const frame = dialog.locator(`iframe[title="Preview of ${doc.name}"]`);
  await frame.waitFor();
  const src = await frame.getAttribute('src');
  assert.match(src, /^blob:/, 'the PDF is shown from a blob URL, decrypted in the page');
  const shown = await page.evaluate(async (url) => {
    const blob = await (await fetch(url)).blob();
    return { type: blob.type, bytes: Array.from(new Uint8Array(await blob.arrayBuffer())) };
  }, src);
  assert.equal(shown.type, 'application/pdf');
  assert.deepEqual(Buffer.from(shown.bytes), doc.buffer, 'the PDF shown is the one uploaded');
  await page.screenshot({ path: artifact('pdf-preview.png'), fullPage: true });
  await dialog.getByRole('button', { name: 'Close preview' }).click();
  await dialog.waitFor({ state: 'detached' });
  // Closing frees the decrypted copy (reading it fails, and Chromium logs that).
  expectConsoleError(/^Failed to load resource: net::ERR_FILE_NOT_FOUND$/);
  assert.equal(await page.evaluate((url) => fetch(url).then(() => 'readable', () => 'revoked'), src), 'revoked');
});

test('folders: create, enter, leave by breadcrumbs, upload inside, delete recursively with keys', async ({ page, appUrl, podUrl, artifact }) => {
  const t = tag();
  const folderName = `Trip ${t}`;
  const inner = { name: `inside-${t}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`inside the folder ${t}`) };
  const authorization = await podAuthorization(podUrl, ALICE);
  await openDrive(page, appUrl, podUrl, ALICE);
  const listing = page.getByRole('table', { name: 'Files' });
  const crumbs = page.getByRole('navigation', { name: 'Breadcrumbs' });

  await page.getByLabel('Folder name').fill(folderName);
  await page.getByRole('button', { name: 'Create folder' }).click();
  const folderButton = listing.getByRole('link', { name: folderName, exact: true });
  await folderButton.waitFor({ timeout: 20_000 });
  assert.equal(await page.getByLabel('Folder name').inputValue(), '', 'the name field is cleared');
  const folderUrl = await listing.locator('tr', { has: page.getByRole('link', { name: folderName, exact: true }) }).getAttribute('data-url');
  assert.ok(folderUrl.startsWith(filesFolder(podUrl, ALICE)) && folderUrl.endsWith('/'));
  assert.ok(!folderUrl.includes('Trip'), 'the folder name is not on the pod');

  await folderButton.click();
  await crumbs.getByText(folderName).and(page.locator('[aria-current="page"]')).waitFor();
  await page.getByText('This folder is empty.').waitFor({ timeout: 20_000 });
  await page.getByLabel('Upload files').setInputFiles(inner);
  await listing.getByText(inner.name, { exact: true }).waitFor({ timeout: 30_000 });
  const innerUrl = await listing.locator('tr', { hasText: inner.name }).getAttribute('data-url');
  assert.ok(innerUrl.startsWith(folderUrl), 'the upload went into the folder');
  await page.screenshot({ path: artifact('in-folder.png'), fullPage: true });
  const ciphertext = Buffer.from(await (await fetch(innerUrl, { headers: { authorization } })).arrayBuffer());

  await crumbs.getByRole('link', { name: 'My files' }).click();
  await folderButton.waitFor();
  assert.equal(await listing.getByText(inner.name).count(), 0, 'back at the top, the inner file is not listed');
  await folderButton.click();
  assert.equal((await download(page, inner.name)).bytes.toString(), inner.buffer.toString());
  await crumbs.getByRole('link', { name: 'My files' }).click();

  await page.getByRole('button', { name: `Delete ${folderName}`, exact: true }).click();
  await page.getByText('Delete this folder and everything in it?').waitFor();
  await page.getByRole('button', { name: `Confirm delete ${folderName}` }).click();
  await folderButton.waitFor({ state: 'detached', timeout: 30_000 });
  assert.equal((await fetch(innerUrl, { headers: { authorization } })).status, 404);
  assert.equal((await fetch(folderUrl, { headers: { authorization } })).status, 404);

  // The keys went too: put the very same ciphertext back where it was (as someone
  // with a copy could) and the app has no name and no key for either.
  const put = await fetch(innerUrl, {
    method: 'PUT',
    headers: { authorization, 'content-type': 'application/octet-stream' },
    body: ciphertext,
  });
  assert.ok(put.ok, `re-PUT: ${put.status}`);
  await page.reload();
  await setOrUnlock(page);
  const podName = new URL(folderUrl).pathname.split('/').at(-2);
  await listing.getByRole('link', { name: podName, exact: true }).click();
  const row = listing.locator('tr', { hasText: innerUrl.split('/').at(-1) });
  await row.getByText('not readable: no key').waitFor({ timeout: 20_000 });
  assert.equal(await row.getByRole('button', { name: /^Download/ }).count(), 0);
  // Clean up through the app.
  await crumbs.getByRole('link', { name: 'My files' }).click();
  await page.getByRole('button', { name: `Delete ${podName}`, exact: true }).click();
  await page.getByRole('button', { name: `Confirm delete ${podName}` }).click();
  await listing.getByRole('link', { name: podName, exact: true }).waitFor({ state: 'detached', timeout: 30_000 });
  assert.equal((await fetch(folderUrl, { headers: { authorization } })).status, 404);
});
