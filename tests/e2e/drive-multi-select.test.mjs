// Several rows at once (issue 17 items 2 and 4): checkboxes and "Select all", a
// bar with Delete (one confirmation), Move to…, Share (one item only) and Clear
// (or Escape); and a row dragged onto a folder's row or a breadcrumb moves there,
// a folder dropped onto itself being refused. Each test works in a folder of its
// own, deleted at the end.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE } from './login-steps.mjs';
import { deleteFile, openDrive, setOrUnlock } from './drive-steps.mjs';

const tag = () => randomBytes(4).toString('hex');
const text = (name) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(`text of ${name}`) });

/** Creates the folder `name` here (and waits for its row). */
async function createFolder(page, name) {
  await page.getByLabel('Folder name').fill(name);
  await page.getByRole('button', { name: 'Create folder' }).click();
  await page.getByRole('table', { name: 'Files' }).getByRole('link', { name, exact: true }).waitFor({ timeout: 20_000 });
}

/** Uploads `names` (small text files) here and waits for their rows. */
async function uploadAll(page, names) {
  await page.getByLabel('Upload files').setInputFiles(names.map(text));
  const listing = page.getByRole('table', { name: 'Files' });
  for (const name of names) await listing.getByText(name, { exact: true }).waitFor({ timeout: 30_000 });
}

/** Opens a folder of its own in My files for one test; returns its name. */
async function workFolder(page, appUrl, podUrl, prefix) {
  await openDrive(page, appUrl, podUrl, ALICE);
  const name = `${prefix}-${tag()}`;
  await createFolder(page, name);
  await page.getByRole('table', { name: 'Files' }).getByRole('link', { name, exact: true }).click();
  await page.getByText('This folder is empty.', { exact: false }).waitFor({ timeout: 20_000 });
  return name;
}

/** Back to My files, and the work folder deleted with everything in it. */
async function cleanUp(page, name) {
  await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link', { name: 'My files' }).click();
  await deleteFile(page, name);
}

const check = (page, name) => page.getByRole('checkbox', { name: `Select ${name}`, exact: true });

test('multi-select delete: three files go with one confirmation and stay gone after a reload', async ({ page, appUrl, podUrl, artifact }) => {
  const work = await workFolder(page, appUrl, podUrl, 'multi-delete');
  const t = tag();
  const doomed = [`one-${t}.txt`, `two-${t}.txt`, `three-${t}.txt`];
  const kept = `kept-${t}.txt`;
  await uploadAll(page, [...doomed, kept]);
  const listing = page.getByRole('table', { name: 'Files' });
  const bar = page.getByRole('group', { name: 'Selection' });
  assert.equal(await bar.getByRole('button', { name: 'Delete', exact: true }).count(), 0, 'no actions while nothing is selected');

  for (const name of doomed) await check(page, name).check();
  await bar.getByText('3 selected').waitFor();
  await bar.getByRole('button', { name: 'Delete', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete 3 items' });
  await dialog.getByText('Delete these 3 items?').waitFor();
  for (const name of doomed) await dialog.getByText(name, { exact: true }).waitFor();
  await page.screenshot({ path: artifact('multi-delete-dialog.png'), fullPage: true });
  await dialog.getByRole('button', { name: 'Delete 3 items' }).click();
  await dialog.waitFor({ state: 'detached', timeout: 60_000 });
  for (const name of doomed) await listing.getByText(name, { exact: true }).waitFor({ state: 'detached', timeout: 20_000 });
  await listing.getByText(kept, { exact: true }).waitFor();
  // What was deleted left the selection with its rows.
  assert.equal(await bar.getByText(/selected$/).count(), 0);

  await page.reload();
  await setOrUnlock(page);
  await listing.getByText(kept, { exact: true }).waitFor({ timeout: 20_000 });
  for (const name of doomed) assert.equal(await listing.getByText(name, { exact: true }).count(), 0, `${name} stays gone`);
  await cleanUp(page, work);
});

test('multi-select move, select all, Escape, and drag onto a folder row or a breadcrumb', async ({ page, appUrl, podUrl, artifact }) => {
  const work = await workFolder(page, appUrl, podUrl, 'multi-move');
  const t = tag();
  const dest = `Dest ${t}`;
  const moved = [`first-${t}.txt`, `second-${t}.txt`];
  const dragged = `dragged-${t}.txt`;
  await createFolder(page, dest);
  await uploadAll(page, [...moved, dragged]);
  const listing = page.getByRole('table', { name: 'Files' });
  const bar = page.getByRole('group', { name: 'Selection' });
  const crumbs = page.getByRole('navigation', { name: 'Breadcrumbs' });

  // Select all, then Escape clears; Share is for one item only.
  await bar.getByLabel('Select all').check();
  await bar.getByText('4 selected').waitFor();
  const share = bar.getByRole('button', { name: 'Share', exact: true });
  assert.ok(await share.isDisabled(), 'Share is for one item at a time');
  await bar.getByText('Share works on one item at a time').waitFor();
  await check(page, dest).focus();
  await page.keyboard.press('Escape');
  await bar.getByText(/selected$/).waitFor({ state: 'detached' });
  assert.equal(await check(page, moved[0]).isChecked(), false);

  // Two files moved with one pick of the folder.
  for (const name of moved) await check(page, name).check();
  await bar.getByText('2 selected').waitFor();
  assert.ok(await share.isDisabled());
  await bar.getByRole('button', { name: 'Move to…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Move 2 items' });
  const here = dialog.getByRole('button', { name: 'Move here' });
  // The picker starts at My files.
  await dialog.getByRole('button', { name: `Open ${work}` }).click();
  await dialog.getByRole('button', { name: `Open ${dest}` }).waitFor({ timeout: 20_000 });
  assert.ok(await here.isDisabled(), 'they are in this folder already');
  await dialog.getByRole('button', { name: `Open ${dest}` }).click();
  await page.waitForFunction((el) => !el.disabled, await here.elementHandle());
  await here.click();
  await dialog.waitFor({ state: 'detached', timeout: 60_000 });
  for (const name of moved) await listing.getByText(name, { exact: true }).waitFor({ state: 'detached', timeout: 20_000 });
  assert.equal(await bar.getByText(/selected$/).count(), 0, 'moved items left the selection');

  // One selected: Share opens that item's dialog.
  await check(page, dragged).check();
  await share.click();
  const sharing = page.getByRole('dialog', { name: new RegExp(dragged) });
  await sharing.waitFor({ timeout: 20_000 });
  await page.keyboard.press('Escape');
  await sharing.waitFor({ state: 'detached' });
  await bar.getByRole('button', { name: 'Clear selection' }).click();
  await bar.getByText(/selected$/).waitFor({ state: 'detached' });

  // A folder dropped onto itself is refused, and stays.
  const row = (name) => listing.getByRole('row').filter({ hasText: name });
  const folderRow = (name) => listing.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
  // (From one end of the row to the other: a drag needs the pointer to move.)
  const box = await folderRow(dest).boundingBox();
  await folderRow(dest).dragTo(folderRow(dest), {
    sourcePosition: { x: box.width * 0.4, y: box.height / 2 }, targetPosition: { x: box.width * 0.6, y: box.height / 2 },
  });
  await page.getByRole('alert').filter({ hasText: `“${dest}” cannot be moved onto itself` }).waitFor({ timeout: 20_000 });
  await page.getByRole('alert').filter({ hasText: 'cannot be moved onto itself' }).getByRole('button', { name: /^Dismiss/ }).click();

  // A file dragged onto a folder's row moves into it.
  await row(dragged).dragTo(folderRow(dest));
  await listing.getByText(dragged, { exact: true }).waitFor({ state: 'detached', timeout: 60_000 });
  assert.equal(await page.getByRole('region', { name: 'Drop files here to upload' }).evaluate((el) => el.classList.contains('dragging')), false,
    'a row dragged is no upload');
  await listing.getByRole('link', { name: dest, exact: true }).click();
  for (const name of [...moved, dragged]) await listing.getByText(name, { exact: true }).waitFor({ timeout: 20_000 });
  assert.equal(await page.getByRole('status').filter({ hasText: 'Uploading' }).count(), 0);

  // Opening a folder cleared any selection; the whole selection drags onto a breadcrumb.
  for (const name of moved) await check(page, name).check();
  await bar.getByText('2 selected').waitFor();
  await page.screenshot({ path: artifact('multi-move-selected.png'), fullPage: true });
  await row(moved[1]).dragTo(crumbs.getByRole('link', { name: work, exact: true }));
  for (const name of moved) await listing.getByText(name, { exact: true }).waitFor({ state: 'detached', timeout: 60_000 });
  await listing.getByText(dragged, { exact: true }).waitFor();
  await crumbs.getByRole('link', { name: work, exact: true }).click();
  for (const name of moved) await listing.getByText(name, { exact: true }).waitFor({ timeout: 20_000 });
  assert.equal(await bar.getByText(/selected$/).count(), 0, 'opening another folder clears the selection');

  await cleanUp(page, work);
});
