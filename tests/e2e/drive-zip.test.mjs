// "Download as zip" on a folder: three files and a subfolder come back in one zip
// that an independent reader (Python's zipfile, checking every CRC) opens, each
// entry byte-identical and stored under the folder's real name; a damaged file
// stops the zip with a message naming it, and nothing is saved. The tree is deleted
// at the end (the pod is shared).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE, podAuthorization } from './login-steps.mjs';
import { deleteFile, dropTree, openDrive } from './drive-steps.mjs';

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
