// Rename and Move to… from a file's row: the new name shows (and a name with "/"
// is refused in the dialog), and a file moved into a folder is listed and
// downloads there, gone from where it was.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE } from './login-steps.mjs';
import { download, openDrive } from './drive-steps.mjs';

const tag = () => randomBytes(4).toString('hex');

test('rename and move a file from its row', async ({ page, appUrl, podUrl, artifact }) => {
  const t = tag();
  const folderName = `Dest ${t}`;
  const file = { name: `before-${t}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`moved text ${t}`) };
  const renamed = `after-${t}.txt`;
  await openDrive(page, appUrl, podUrl, ALICE);
  const listing = page.getByRole('table', { name: 'Files' });
  await page.getByLabel('Folder name').fill(folderName);
  await page.getByRole('button', { name: 'Create folder' }).click();
  await listing.getByRole('link', { name: folderName, exact: true }).waitFor({ timeout: 20_000 });
  await page.getByLabel('Upload files').setInputFiles(file);
  await listing.getByText(file.name, { exact: true }).waitFor({ timeout: 30_000 });

  await page.getByRole('button', { name: `Rename ${file.name}`, exact: true }).click();
  let dialog = page.getByRole('dialog', { name: `Rename “${file.name}”` });
  await dialog.getByLabel('New name').fill('bad/name');
  await dialog.getByRole('button', { name: 'Rename' }).click();
  await dialog.getByRole('alert').filter({ hasText: 'cannot contain' }).waitFor({ timeout: 20_000 });
  await dialog.getByLabel('New name').fill(renamed);
  await dialog.getByRole('button', { name: 'Rename' }).click();
  await dialog.waitFor({ state: 'detached', timeout: 20_000 });
  await listing.getByText(renamed, { exact: true }).waitFor({ timeout: 20_000 });
  assert.equal(await listing.getByText(file.name, { exact: true }).count(), 0);

  await page.getByRole('button', { name: `Move ${renamed}`, exact: true }).click();
  dialog = page.getByRole('dialog', { name: `Move “${renamed}”` });
  const here = dialog.getByRole('button', { name: 'Move here' });
  assert.ok(await here.isDisabled(), 'it is in this folder already');
  await dialog.getByRole('button', { name: `Open ${folderName}` }).click();
  await page.waitForFunction((el) => !el.disabled, await here.elementHandle());
  await page.screenshot({ path: artifact('move-dialog.png'), fullPage: true });
  await here.click();
  await dialog.waitFor({ state: 'detached', timeout: 30_000 });
  await listing.getByText(renamed, { exact: true }).waitFor({ state: 'detached', timeout: 20_000 });

  await listing.getByRole('link', { name: folderName, exact: true }).click();
  await listing.getByText(renamed, { exact: true }).waitFor({ timeout: 20_000 });
  const saved = await download(page, renamed);
  assert.equal(saved.filename, renamed);
  assert.equal(saved.bytes.toString(), file.buffer.toString());
});
