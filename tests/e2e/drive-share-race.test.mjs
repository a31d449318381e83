// The Share dialog belongs to the row it was opened from (issue 17): going up a
// level used to leave the old folder's rows on screen until the new listing came,
// so a click on Share meant for a folder of the new listing opened the dialog of a
// file of the old one. Now the old rows go at once; the new rows' Share is theirs.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE } from './login-steps.mjs';
import { filesFolder, openDrive } from './drive-steps.mjs';
import { folderWithFiles } from './share-steps.mjs';

test('going up a level, the old rows go at once: Share opens for the row clicked', async ({ page, appUrl, podUrl }) => {
  const tag = randomBytes(4).toString('hex');
  const folder = `race-${tag}`;
  const inside = { name: `inside-${tag}.txt`, mimeType: 'text/plain', buffer: Buffer.from('old row') };
  await openDrive(page, appUrl, podUrl, ALICE);
  await folderWithFiles(page, folder, [inside]);
  const listing = page.getByRole('table', { name: 'Files' });
  await listing.getByRole('link', { name: folder, exact: true }).click();
  await listing.getByText(inside.name).waitFor({ timeout: 30_000 });

  // The top folder's listing is slow to come.
  const top = filesFolder(podUrl, ALICE);
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const slow = async (route) => {
    if (route.request().method() !== 'GET') return route.fallback();
    await held;
    return route.fallback();
  };
  await page.route(top, slow);
  await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link', { name: 'My files' }).click();
  await page.getByRole('status').filter({ hasText: 'Opening the folder' }).waitFor({ timeout: 10_000 });
  assert.equal(await page.getByRole('button', { name: `Share ${inside.name}`, exact: true }).count(), 0,
    'no row of the folder left is still offered');
  release();
  await page.unroute(top, slow);

  await page.getByRole('button', { name: `Share ${folder}`, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  assert.equal(await dialog.getAttribute('aria-label'), `Share ${folder}`);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
});
