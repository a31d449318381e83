// An upload cut short by a closed tab (docs/FORMAT.md §1.8, resuming): a 60 MiB
// file's page closes while its third part is on the way, after parts 1 and 2
// arrived. The next visit lists it as an incomplete upload; a different file is
// refused; picking the same file again sends only the parts from the third on,
// and the file comes back byte-identical. Another incomplete upload is deleted
// in one click, leaving nothing at the pod; while its parts are being written
// (as a collaborator's would be) it offers neither Resume nor Delete.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from './harness.mjs';
import { ALICE, podAuthorization } from './login-steps.mjs';
import { deleteFile, download, filesFolder, onCiphertextPut, openDrive, podMembers } from './drive-steps.mjs';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const MIB = 1024 * 1024;
const partIndex = (url) => Number(/-(\d+)$/.exec(url)?.[1] ?? -1);

/** Writes `buffer` to a new temporary folder as `name` (Playwright hands files
 * over 50 MB to the page only from disk); returns its path. */
async function onDisk(name, buffer) {
  const path = join(await mkdtemp(join(tmpdir(), 'resume-')), name);
  await writeFile(path, buffer);
  return path;
}

/** Uploads `file` (a path) on a fresh page whose tab closes once parts 0 and 1
 * are stored, while part 2 and later are held back: as the tab goes, every
 * request fails (so the app cannot clean up either). */
async function uploadCutAfterTwoParts(newPage, appUrl, podUrl, folder, file) {
  const page = await newPage();
  await openDrive(page, appUrl, podUrl, ALICE);
  let stored = 0, bothStored, held, release;
  const stopped = new Promise((resolve) => { bothStored = resolve; });
  const holding = new Promise((resolve) => { held = resolve; });
  const closing = new Promise((resolve) => { release = resolve; });
  await onCiphertextPut(page, folder, async (route) => {
    const index = partIndex(route.request().url());
    if (index >= 2) {
      // Part 3 and later never arrive: the tab closes under them.
      held();
      await closing;
      return route.abort('connectionreset').catch(() => {});
    }
    const response = await route.fetch();
    await route.fulfill({ response });
    if (index >= 0 && ++stored === 2) bothStored();
  });
  await page.getByLabel('Upload files').setInputFiles(file);
  await Promise.all([stopped, holding]);
  await page.route(() => true, (route) => route.abort('internetdisconnected').catch(() => {}));
  release();
  await new Promise((resolve) => setTimeout(resolve, 300));
  await page.close({ runBeforeUnload: false });
}

test('a 60 MiB upload cut after part 2 by a closed tab resumes from part 3 and comes back identical', async ({ page, newPage, appUrl, podUrl, expectConsoleError }) => {
  expectConsoleError(/Failed to load resource/);
  const tag = randomBytes(4).toString('hex');
  const file = { name: `film-${tag}.bin`, buffer: randomBytes(60 * MIB) };
  const path = await onDisk(file.name, file.buffer);
  const folder = filesFolder(podUrl, ALICE);
  await uploadCutAfterTwoParts(newPage, appUrl, podUrl, folder, path);

  await openDrive(page, appUrl, podUrl, ALICE);
  const files = page.getByRole('table', { name: 'Files' });
  const row = files.locator('tr', { hasText: file.name });
  // Quiet for drive::resume::QUIET_MS (20 s) after its last part first.
  await row.getByText('incomplete upload — resume or delete').waitFor({ timeout: 60_000 });
  const url = await row.getAttribute('data-url');
  const authorization = await podAuthorization(podUrl, ALICE);
  const before = (await podMembers(url, authorization)).filter((m) => partIndex(m) >= 0);
  // Parts 1 and 2 stayed (a later one the closing tab cut short may be there too).
  assert.ok([0, 1].every((i) => before.map(partIndex).includes(i)), `parts 1 and 2 stayed: ${before}`);

  // Not the same file (same name and size, another last MiB): refused, nothing sent.
  const sent = [];
  await onCiphertextPut(page, url, (route) => {
    sent.push(partIndex(route.request().url()));
    return route.fallback();
  });
  const other = Buffer.from(file.buffer);
  other[other.length - 1] ^= 1;
  await page.getByLabel(`File to resume ${file.name}`).setInputFiles(await onDisk(file.name, other));
  await row.getByRole('alert').filter({ hasText: 'is not the file whose upload stopped' }).waitFor({ timeout: 30_000 });
  assert.ok(await row.getByRole('button', { name: 'Upload as a new file' }).isVisible());
  assert.ok(await row.getByRole('button', { name: 'Replace the incomplete one' }).isVisible());
  assert.deepEqual(sent, [], 'nothing sent for another file');
  await row.getByRole('button', { name: 'Cancel' }).click();

  await page.getByLabel(`File to resume ${file.name}`).setInputFiles(path);
  await row.getByRole('status').filter({ hasText: /resuming… \d+%/ }).waitFor({ timeout: 30_000 });
  await row.getByText(/incomplete upload|resuming…/).waitFor({ state: 'detached', timeout: 120_000 });
  // Done: the last part stored, the record deleted.
  const record = url + 'upload.json.enc';
  while ((await fetch(record, { method: 'HEAD', headers: { authorization } })).status !== 404) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.ok(sent.length > 0, 'the rest was sent');
  assert.equal(Math.min(...sent), 2, `resumed from part 3, parts 1 and 2 not sent again: ${sent}`);
  const got = await download(page, file.name);
  assert.equal(sha256(got.bytes), sha256(file.buffer), 'byte-identical');
  await deleteFile(page, file.name);
});

test('another file picked to resume goes up as a new numbered file; an incomplete upload is deleted in one click: no parts, no record, no row', async ({ page, newPage, appUrl, podUrl, expectConsoleError }) => {
  expectConsoleError(/Failed to load resource/);
  const file = { name: `cut-${randomBytes(4).toString('hex')}.bin`, mimeType: 'application/octet-stream', buffer: randomBytes(24 * MIB) };
  const folder = filesFolder(podUrl, ALICE);
  await uploadCutAfterTwoParts(newPage, appUrl, podUrl, folder, await onDisk(file.name, file.buffer));
  await openDrive(page, appUrl, podUrl, ALICE);
  const row = page.getByRole('table', { name: 'Files' }).locator('tr', { hasText: file.name });
  await row.getByText('incomplete upload — resume or delete').waitFor({ timeout: 60_000 });
  const url = await row.getAttribute('data-url');
  // Someone writes its parts again (a collaborator uploading into a shared
  // folder, another tab): the pod's data folder says they changed just now (a
  // little ahead, so the listing below still finds them fresh on a slow machine).
  const data = process.env.E2E_POD_DATA;
  assert.ok(data, 'E2E_POD_DATA must name the pod data directory (scripts/test sets it)');
  const dir = join(data, decodeURIComponent(new URL(url).pathname));
  const soon = new Date(Date.now() + 15_000);
  const touched = await readdir(dir);
  assert.ok(touched.length >= 2, `the parts are on disk in ${dir}: ${touched}`);
  for (const name of touched) await utimes(join(dir, name), soon, soon);
  // Another file of the same name picked to resume: uploaded next to it, numbered.
  const other = { ...file, buffer: randomBytes(5 * MIB) };
  await page.getByLabel(`File to resume ${file.name}`).setInputFiles(other);
  await row.getByRole('button', { name: 'Upload as a new file' }).click();
  const numbered = file.name.replace(/\.bin$/, ' (2).bin');
  await page.getByRole('table', { name: 'Files' }).getByText(numbered, { exact: true }).waitFor({ timeout: 60_000 });
  // Listed again with the new file: being written, so nothing to click.
  await row.getByRole('status').filter({ hasText: 'being uploaded…' }).waitFor({ timeout: 10_000 });
  assert.equal(await row.getByRole('button', { name: `Delete incomplete ${file.name}` }).count(), 0, 'no Delete while it is written');
  assert.equal(await row.getByRole('button', { name: `Resume ${file.name}` }).count(), 0, 'no Resume while it is written');
  assert.equal(sha256((await download(page, numbered)).bytes), sha256(other.buffer));
  await deleteFile(page, numbered);
  // Quiet again: the row looks once more by itself and offers both.
  await row.getByText('incomplete upload — resume or delete').waitFor({ timeout: 60_000 });
  await row.getByRole('button', { name: `Delete incomplete ${file.name}` }).click();
  await row.waitFor({ state: 'detached', timeout: 30_000 });
  const authorization = await podAuthorization(podUrl, ALICE);
  assert.deepEqual(await podMembers(url, authorization), [], 'no parts, no record');
  assert.equal((await fetch(url, { method: 'HEAD', headers: { authorization } })).status, 404, 'no container');
});
