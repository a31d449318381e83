// "Download as zip" on a folder: three files and a subfolder come back in one zip
// that an independent reader (Python's zipfile, checking every CRC) opens, each
// entry byte-identical and stored under the folder's real name; a damaged file
// stops the zip with a message naming it, and nothing is saved. The tree is deleted
// at the end (the pod is shared).
//
// Without a disk for temporary files (no OPFS, simulated as in
// drive-download-stream.test.mjs), a zip over 16 MiB streams through the download
// service worker instead of being held in memory, announcing its exact length
// (computed from the keystore sizes before a byte is written) as Content-Length;
// a file damaged past its first chunk fails that download in the browser and the
// app names the file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { test } from './harness.mjs';
import { ALICE, podAuthorization } from './login-steps.mjs';
import { deleteFile, dropTree, openDrive, podMembers } from './drive-steps.mjs';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** The entries of the zip at `path` as Python's zipfile reads them: name → sha256. */
function readZip(path) {
  const script = [
    'import hashlib, json, sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'assert z.testzip() is None, "a CRC does not match"',
    'assert all(i.compress_type == zipfile.ZIP_STORED for i in z.infolist())',
    'print(json.dumps({i.filename: hashlib.sha256(z.read(i)).hexdigest() for i in z.infolist()}))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, path]).toString());
}

test('a folder downloads as one zip, byte-identical, and a damaged file stops it with its name', async ({ page, appUrl, podUrl }) => {
  const top = `zip-${randomBytes(4).toString('hex')}`;
  const file = (path, buffer) => ({ path: `${top}/${path}`, buffer, mimeType: 'application/octet-stream' });
  const files = [
    file('notes.txt', Buffer.from('packing list\n')),
    file('photo.jpg', randomBytes(300 * 1024 + 5)),
    file('empty.bin', Buffer.alloc(0)),
    file('Day 1/map.bin', randomBytes(4096)),
  ];
  const authorization = await podAuthorization(podUrl, ALICE);
  await openDrive(page, appUrl, podUrl, ALICE);
  await dropTree(page, files);
  await page.getByRole('status').filter({ hasText: `Uploaded ${files.length} files` }).waitFor({ timeout: 60_000 });

  const [saved] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    page.getByRole('button', { name: `Download ${top} as zip`, exact: true }).click(),
  ]);
  assert.equal(saved.suggestedFilename(), `${top}.zip`);
  const expected = { [`${top}/`]: sha256(Buffer.alloc(0)), [`${top}/Day 1/`]: sha256(Buffer.alloc(0)) };
  for (const f of files) expected[f.path] = sha256(f.buffer);
  assert.deepEqual(readZip(await saved.path()), expected);

  // Someone with write access flips a byte of photo.jpg's ciphertext on the pod.
  const listing = page.getByRole('table', { name: 'Files' });
  await listing.getByRole('link', { name: top, exact: true }).click();
  const url = await listing.locator('tr', { hasText: 'photo.jpg' }).getAttribute('data-url', { timeout: 30_000 });
  const good = Buffer.from(await (await fetch(url, { headers: { authorization } })).arrayBuffer());
  const flipped = Buffer.from(good);
  flipped[flipped.length - 40] ^= 0x01;
  const put = await fetch(url, { method: 'PUT', headers: { authorization, 'content-type': 'application/octet-stream' }, body: flipped });
  assert.ok(put.ok, `PUT ${put.status}`);
  await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link', { name: 'My files' }).click();

  let downloads = 0;
  page.on('download', () => { downloads += 1; });
  await page.getByRole('button', { name: `Download ${top} as zip`, exact: true }).click();
  const toast = page.getByRole('alert').filter({ hasText: `Cannot download ${top} as zip` });
  await toast.waitFor({ timeout: 60_000 });
  assert.match(await toast.textContent(), new RegExp(`${top}/photo\\.jpg: the file is damaged`));
  await page.waitForTimeout(1_000);
  assert.equal(downloads, 0, 'no short zip is saved');
  await toast.getByRole('button', { name: 'Dismiss' }).click();

  await deleteFile(page, top);
});

test('without a disk for temporary files, a big folder zip streams through the service worker with its exact length; damaged part-way, it fails and names the file', async ({ page, appUrl, podUrl }) => {
  await page.addInitScript(() => {
    Object.defineProperty(StorageManager.prototype, 'getDirectory', { value: undefined });
  });
  const top = `zipstream-${randomBytes(4).toString('hex')}`;
  const file = (path, buffer) => ({ path: `${top}/${path}`, buffer, mimeType: 'application/octet-stream' });
  // 17 MiB and more in all: over the 16 MiB kept in memory; the two big ones in parts.
  const files = [
    file('film.bin', randomBytes(10 * 1024 * 1024 + 3)),
    file('scan.bin', randomBytes(6 * 1024 * 1024)),
    file('ünïcode notes.txt', Buffer.from('stream me\n')),
    file('Sub/inner.bin', randomBytes(1024 * 1024 + 1)),
  ];
  const authorization = await podAuthorization(podUrl, ALICE);
  await openDrive(page, appUrl, podUrl, ALICE);
  await dropTree(page, files);
  await page.getByRole('status').filter({ hasText: `Uploaded ${files.length} files` }).waitFor({ timeout: 120_000 });

  const streamed = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname.includes('/save-stream/')) streamed.push(response);
  });
  const [saved] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    page.getByRole('button', { name: `Download ${top} as zip`, exact: true }).click(),
  ]);
  assert.equal(saved.suggestedFilename(), `${top}.zip`);
  const path = await saved.path();
  const bytes = await readFile(path);
  assert.equal(streamed.length, 1, 'one download answered under save-stream/');
  const [response] = streamed;
  assert.ok(response.fromServiceWorker(), 'answered by the download service worker');
  const headers = await response.allHeaders();
  assert.equal(headers['content-type'], 'application/zip');
  assert.equal(Number(headers['content-length']), bytes.length, 'Content-Length is the length received');
  const expected = { [`${top}/`]: sha256(Buffer.alloc(0)), [`${top}/Sub/`]: sha256(Buffer.alloc(0)) };
  for (const f of files) expected[f.path] = sha256(f.buffer);
  assert.deepEqual(readZip(path), expected);

  // Someone with write access flips a bit near the end of film.bin's last part: the
  // zip has begun downloading by then (the file's first parts opened).
  const listing = page.getByRole('table', { name: 'Files' });
  await listing.getByRole('link', { name: top, exact: true }).click();
  const url = await listing.locator('tr', { hasText: 'film.bin' }).getAttribute('data-url', { timeout: 30_000 });
  const parts = (await podMembers(url, authorization)).filter((m) => /-\d+$/.test(m));
  const last = parts.sort((a, b) => Number(a.split('-').pop()) - Number(b.split('-').pop())).pop();
  const body = Buffer.from(await (await fetch(last, { headers: { authorization } })).arrayBuffer());
  body[body.length - 40] ^= 0x01;
  const put = await fetch(last, { method: 'PUT', headers: { authorization, 'content-type': 'application/octet-stream' }, body });
  assert.ok(put.ok, `PUT ${last}: ${put.status}`);
  await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link', { name: 'My files' }).click();

  const [failed] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    page.getByRole('button', { name: `Download ${top} as zip`, exact: true }).click(),
  ]);
  const toast = page.getByRole('alert').filter({ hasText: `Cannot download ${top} as zip` });
  await toast.waitFor({ timeout: 60_000 });
  assert.match(await toast.textContent(), new RegExp(`${top}/film\\.bin: the file is damaged`));
  assert.ok(await failed.failure(), 'the browser marks the download failed');
  assert.equal(await failed.path().catch(() => null), null, 'no saved file');
  await toast.getByRole('button', { name: 'Dismiss' }).click();

  await deleteFile(page, top);
});
