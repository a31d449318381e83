// "Import from SolidCryptPad" in the app: a SolidCryptPad pod tree written by the
// real crypto-js 4.1.1 (tests/solidcryptpad/make-fixture.mjs) is PUT into alice's
// storage; the account menu's import refuses a wrong password, shows what it found
// before writing anything, imports with the tampered and keyless files reported,
// and the imported files download byte-identical, in their folders; a second run
// duplicates nothing. The imported folder is deleted at the end (the pod is shared).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE, openAccountMenu, podAuthorization } from './login-steps.mjs';
import { deleteFile, download, openDrive } from './drive-steps.mjs';
import { podFixture } from '../solidcryptpad/make-fixture.mjs';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const TARGET = 'Imported from SolidCryptPad';

/** Opens the import dialog from the account menu and searches with `password`. */
async function find(page, password) {
  const menu = await openAccountMenu(page);
  await menu.getByRole('button', { name: 'Import from SolidCryptPad' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import from SolidCryptPad' });
  await dialog.getByLabel('SolidCryptPad password').fill(password);
  await dialog.getByRole('button', { name: 'Find SolidCryptPad files' }).click();
  return dialog;
}

test('SolidCryptPad files import into the drive, byte-identical, reporting the damaged ones', async ({ page, appUrl, podUrl, expectConsoleError }) => {
  // The index 404s once on purpose, and shared-files.json.enc is missing (a 404
  // means an empty keystore, as SolidCryptPad wrote it only with its first key).
  expectConsoleError(/^Failed to load resource: the server responded with a status of 404 /);
  const root = `${podUrl}${ALICE.name}/`;
  const fixture = podFixture(root);
  const authorization = await podAuthorization(podUrl, ALICE);
  await openDrive(page, appUrl, podUrl, ALICE);

  // No SolidCryptPad data (its index 404s; an earlier run's is removed first).
  const index = fixture.files.find((f) => f.path.endsWith('keystores.json.enc'));
  await fetch(new URL(index.path, root), { method: 'DELETE', headers: { authorization } });
  let dialog = await find(page, 'any password');
  await dialog.getByRole('alert').filter({ hasText: 'No SolidCryptPad data was found on your pod' }).waitFor({ timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();

  for (const file of fixture.files) {
    const put = await fetch(new URL(file.path, root), {
      method: 'PUT', headers: { authorization, 'content-type': 'text/plain' }, body: file.body,
    });
    assert.ok(put.ok, `PUT ${file.path}: ${put.status}`);
  }
  const listing = page.getByRole('table', { name: 'Files' });
  const target = listing.getByRole('link', { name: TARGET, exact: true });
  await listing.or(page.getByText(/^This folder is empty/)).first().waitFor({ timeout: 30_000 });
  if (await target.isVisible()) await deleteFile(page, TARGET); // left by an earlier run

  dialog = await find(page, 'not the old password');
  await dialog.getByRole('alert').filter({ hasText: 'Wrong SolidCryptPad password' }).waitFor({ timeout: 30_000 });

  await dialog.getByLabel('SolidCryptPad password').fill(fixture.password);
  await dialog.getByRole('button', { name: 'Find SolidCryptPad files' }).click();
  const total = fixture.expect.length;
  await dialog.getByRole('status').filter({ hasText: `Found ${total} files in SolidCryptPad (1 without a key` }).waitFor({ timeout: 30_000 });
  const found = dialog.getByRole('list', { name: 'SolidCryptPad files' });
  await found.getByText('Projects/Jahr2026/Überuns.txt', { exact: true }).waitFor();
  const notes = dialog.getByRole('list', { name: 'Notes' }).getByRole('listitem');
  await notes.getByText(/^2 folder\(s\) or file\(s\) others shared with you/).waitFor();
  assert.equal(await notes.count(), 1, 'the hostile keystore elsewhere was never fetched');
  assert.equal(await target.count(), 0, 'nothing written before the import is confirmed');

  await dialog.getByRole('button', { name: `Import ${total} files` }).click();
  const imported = fixture.expect.filter((e) => e.outcome === 'imported');
  const failed = total - imported.length;
  await dialog.getByRole('status').filter({ hasText: `Imported ${imported.length}, skipped 0 (already there), failed ${failed}.` }).waitFor({ timeout: 120_000 });
  const failures = dialog.getByRole('list', { name: 'Not imported' });
  await failures.getByText(/^broken\.bin: it does not decrypt/).waitFor();
  await failures.getByText(/^orphan\.txt: no SolidCryptPad keystore has its key/).waitFor();
  await failures.getByText(/^raw\.html: it decrypts, but not a data URL/).waitFor();
  await dialog.getByText('it turned .txt uploads into HTML').waitFor();
  await dialog.getByRole('button', { name: 'Close' }).click();

  // Each imported file where SolidCryptPad had it, byte-identical.
  const home = page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link', { name: 'My files' });
  const goHome = async () => { if (await home.count()) await home.click(); };
  for (const e of imported) {
    await goHome();
    for (const folder of [TARGET, ...e.folder]) {
      await listing.getByRole('link', { name: folder, exact: true }).click({ timeout: 60_000 });
    }
    await listing.getByText(e.name, { exact: true }).waitFor({ timeout: 30_000 });
    const saved = await download(page, e.name);
    assert.equal(sha256(saved.bytes), e.sha256, e.name);
  }

  // Again: nothing duplicated.
  await goHome();
  dialog = await find(page, fixture.password);
  await dialog.getByRole('button', { name: `Import ${total} files` }).click();
  await dialog.getByRole('status').filter({ hasText: `Imported 0, skipped ${imported.length} (already there), failed ${failed}.` }).waitFor({ timeout: 60_000 });
  await dialog.getByRole('list', { name: 'Already there' }).getByText('Projects/Jahr2026/Überuns.txt', { exact: true }).waitFor();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await target.waitFor();
  assert.equal(await target.count(), 1, 'one import folder');

  await deleteFile(page, TARGET);
});
