// The file list sorts and filters as lists people know do: header buttons sort by
// name, size or date (folders first, aria-sort saying how), the order stays for the
// tab across a reload, and "Filter by name" keeps only the matching rows of this
// folder. Sizes and dates are written in the browser's locale.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE } from './login-steps.mjs';
import { openDrive, setOrUnlock } from './drive-steps.mjs';

/** Waits until the listing's rows (their names, in order) are `expected`. */
async function expectRows(listing, expected, why) {
  const names = () => listing.getByRole('row').filter({ has: listing.page().getByRole('cell') })
    .evaluateAll((rows) => rows.map((r) => r.querySelector('td').innerText.trim()));
  const deadline = Date.now() + 10_000;
  let shown = await names();
  while (JSON.stringify(shown) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    shown = await names();
  }
  assert.deepEqual(shown, expected, why);
}

test('the file list sorts by name, size and date and filters by name', async ({ page, appUrl, podUrl, artifact }) => {
  const t = randomBytes(4).toString('hex');
  await openDrive(page, appUrl, podUrl, ALICE);
  const listing = page.getByRole('table', { name: 'Files' });

  // A folder of its own, so other tests' files are not in the rows.
  const folder = `sorting-${t}`;
  await page.getByLabel('Folder name').fill(folder);
  await page.getByRole('button', { name: 'Create folder' }).click();
  await listing.getByRole('link', { name: folder, exact: true }).click();
  await page.getByText('This folder is empty.').waitFor({ timeout: 20_000 });
  await page.getByLabel('Folder name').fill('zz sub');
  await page.getByRole('button', { name: 'Create folder' }).click();
  await listing.getByRole('link', { name: 'zz sub', exact: true }).waitFor({ timeout: 20_000 });

  // Names differ in case (sorting ignores it), sizes differ in order from names.
  const small = { name: 'Apple.txt', mimeType: 'text/plain', buffer: Buffer.alloc(10, 'a') };
  const big = { name: 'banana.txt', mimeType: 'text/plain', buffer: Buffer.alloc(3000, 'b') };
  const middle = { name: 'Cherry.txt', mimeType: 'text/plain', buffer: Buffer.alloc(500, 'c') };
  await page.getByLabel('Upload files').setInputFiles([big, small, middle]);
  for (const f of [small, big, middle]) await listing.getByText(f.name, { exact: true }).waitFor({ timeout: 30_000 });

  const header = (name) => listing.getByRole('columnheader', { name });
  const sortBy = (name) => listing.getByRole('button', { name, exact: true }).click();
  // By name, A to Z, by default; the folder first.
  await expectRows(listing, ['zz sub', 'Apple.txt', 'banana.txt', 'Cherry.txt'], 'by name, folders first');
  assert.equal(await header('Name').getAttribute('aria-sort'), 'ascending');
  assert.equal(await header('Size').getAttribute('aria-sort'), 'none');

  await sortBy('Size');
  await expectRows(listing, ['zz sub', 'Apple.txt', 'Cherry.txt', 'banana.txt'], 'smallest first');
  assert.equal(await header('Size').getAttribute('aria-sort'), 'ascending');
  assert.equal(await header('Name').getAttribute('aria-sort'), 'none');
  await sortBy('Size');
  await expectRows(listing, ['zz sub', 'banana.txt', 'Cherry.txt', 'Apple.txt'], 'largest first');
  assert.equal(await header('Size').getAttribute('aria-sort'), 'descending');

  await sortBy('Name');
  await expectRows(listing, ['zz sub', 'Apple.txt', 'banana.txt', 'Cherry.txt'], 'A to Z');
  await sortBy('Name');
  await expectRows(listing, ['zz sub', 'Cherry.txt', 'banana.txt', 'Apple.txt'], 'Z to A');
  assert.equal(await header('Name').getAttribute('aria-sort'), 'descending');
  await sortBy('Modified');
  assert.equal(await header('Modified').getAttribute('aria-sort'), 'ascending');
  await sortBy('Name');
  await sortBy('Name');

  // Sizes and dates in the browser's locale (en-US here), not the pod's text.
  const cells = listing.getByRole('row').filter({ hasText: 'banana.txt' }).getByRole('cell');
  assert.equal((await cells.nth(1).innerText()).replace(/\s/g, ' '), '2.9 KiB');
  const date = await cells.nth(2).innerText();
  assert.doesNotMatch(date, /^\d{4}-\d\d-\d\d/, `a date for people: ${date}`);
  assert.match(date, /\d{4}/, `the year is in it: ${date}`);

  // The order stays for the tab: a reload keeps Z to A.
  await page.reload();
  await setOrUnlock(page);
  await expectRows(listing, ['zz sub', 'Cherry.txt', 'banana.txt', 'Apple.txt'], 'the order kept after a reload');
  assert.equal(await header('Name').getAttribute('aria-sort'), 'descending');

  // Filtering: only matching rows, ignoring case; the hint says it stays here.
  const filter = page.getByLabel('Filter by name');
  await page.getByText('what you type is never sent to your pod').waitFor();
  await filter.fill('AN');
  await expectRows(listing, ['banana.txt'], 'only banana holds "an"');
  await filter.fill('.txt');
  await expectRows(listing, ['Cherry.txt', 'banana.txt', 'Apple.txt'], 'the files, still Z to A');
  await filter.fill('<b>nothing');
  await listing.getByRole('status').filter({ hasText: 'No name in this folder holds “<b>nothing”.' }).waitFor();
  await page.screenshot({ path: artifact('filtered-empty.png'), fullPage: true });
  await filter.fill('');
  await expectRows(listing, ['zz sub', 'Cherry.txt', 'banana.txt', 'Apple.txt'], 'cleared, all rows again');

  // The filter belongs to the folder: opening another clears it.
  await filter.fill('zz');
  await expectRows(listing, ['zz sub'], 'only the folder');
  await page.screenshot({ path: artifact('filtered.png'), fullPage: true });
  await listing.getByRole('link', { name: 'zz sub', exact: true }).click();
  await page.getByText('This folder is empty.').waitFor({ timeout: 20_000 });
  assert.equal(await filter.inputValue(), '', 'a new folder, no filter');
});
