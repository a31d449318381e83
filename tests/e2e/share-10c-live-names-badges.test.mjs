// Live folders (issue 13), continued: a rename elsewhere changes only a
// keystore, and alice's open listing follows it in place (the other rows keep
// their elements, so focus stays); a shared folder that changed while its owner
// or a collaborator looked elsewhere says "new changes" in "Links I created" and
// "Shared with me" until it is opened.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { aliceAndBobInOneFolder, bobUploads } from './live-steps.mjs';
import { goToSection } from './share-steps.mjs';

/** The row of `page`'s listing naming `name`, as a JS handle. */
const rowNamed = (page, name) => page.evaluateHandle(
  (n) => [...document.querySelectorAll('table[aria-label="Files"] tbody tr')].find((tr) => tr.textContent.includes(n)),
  name,
);

test('live folder: bob renames a file in alice\'s open shared folder; her listing shows the new name within 3 s, the other rows and focus untouched', async (ctx) => {
  const { page, expectConsoleError } = ctx;
  // Looking for ACL documents that do not exist yet is how WAC works (as in share-2).
  expectConsoleError(/^Failed to load resource: the server responded with a status of (403|404) /);
  const folder = `renamed-${randomBytes(3).toString('hex')}`;
  const { bob, files, plan } = await aliceAndBobInOneFolder(ctx, folder, false);
  // A second row, whose element must survive the re-read, focused.
  const { file: other } = await bobUploads(page, bob, files, 3_000, { open: false });
  const kept = await rowNamed(page, other.name);
  await page.evaluate((tr) => { window.keptRow = tr; tr.querySelector('input, button').focus(); }, kept);

  const renamed = `renamed-by-bob-${randomBytes(3).toString('hex')}.txt`;
  await bob.getByRole('button', { name: `Rename ${plan.name}`, exact: true }).click();
  const dialog = bob.getByRole('dialog', { name: `Rename “${plan.name}”` });
  await dialog.getByLabel('New name').fill(renamed);
  await dialog.getByRole('button', { name: 'Rename' }).click();
  await dialog.waitFor({ state: 'detached', timeout: 20_000 });
  await bob.getByRole('table', { name: 'Files' }).getByText(renamed, { exact: true }).waitFor({ timeout: 20_000 });
  const finished = Date.now();
  await files.getByText(renamed, { exact: true }).waitFor({ timeout: 3_000 });
  console.log(`live: alice saw bob's rename ${Date.now() - finished} ms after it finished`);
  assert.equal(await files.getByText(plan.name, { exact: true }).count(), 0, 'the old name is gone');
  assert.equal(await page.evaluate(() => window.stillTheSamePage), true, 'alice never reloaded');
  const still = await page.evaluate((n) => {
    const tr = [...document.querySelectorAll('table[aria-label="Files"] tbody tr')].find((r) => r.textContent.includes(n));
    return { same: tr === window.keptRow, focused: window.keptRow.contains(document.activeElement) };
  }, other.name);
  assert.deepEqual(still, { same: true, focused: true }, 'the unchanged row kept its element and its focus');
});

test('shared folder badge: bob uploads while alice is on "Links I created", alice while bob is on "Shared with me"; each entry says "new changes" until the folder is opened', async (ctx) => {
  const { page, expectConsoleError } = ctx;
  expectConsoleError(/^Failed to load resource: the server responded with a status of (403|404) /);
  const folder = `badged-${randomBytes(3).toString('hex')}`;
  const { bob, files } = await aliceAndBobInOneFolder(ctx, folder, false);
  const badge = (row) => row.getByRole('status').filter({ hasText: 'new changes' });
  // Waits until the list has remembered the folder as seen (its first look).
  const remembered = (p) => p.waitForFunction(
    () => Object.keys(localStorage).some((k) => k.startsWith('solidcrypt.seen.')),
    null,
    { timeout: 10_000 },
  );

  await goToSection(page, 'Links I created');
  const aliceRow = page.getByRole('table', { name: 'Links I created' }).getByRole('row').filter({ hasText: folder });
  await aliceRow.waitFor({ timeout: 20_000 });
  await remembered(page);
  assert.equal(await badge(aliceRow).count(), 0, 'nothing new yet');
  assert.ok(!JSON.stringify(await page.evaluate(() => ({ ...localStorage }))).includes(folder), 'no name in local storage');

  const upload = { name: `while-away-${randomBytes(3).toString('hex')}.txt`, mimeType: 'text/plain', buffer: randomBytes(512) };
  await bob.getByLabel('Upload files').setInputFiles([upload]);
  await bob.getByRole('table', { name: 'Files' }).getByText(upload.name).waitFor({ timeout: 30_000 });
  await badge(aliceRow).waitFor({ timeout: 5_000 });

  // Bob looks at his list; alice opens the folder (which clears her badge) and uploads.
  await goToSection(bob, 'Shared with me');
  const bobRow = bob.getByRole('table', { name: 'Shared with me' }).getByRole('row').filter({ hasText: folder });
  await bobRow.waitFor({ timeout: 20_000 });
  await remembered(bob);
  assert.equal(await badge(bobRow).count(), 0, 'bob saw it last');
  await goToSection(page, 'My files');
  await files.getByRole('link', { name: folder, exact: true }).click();
  await files.getByText(upload.name).waitFor({ timeout: 20_000 });
  const mine = { name: `from-alice-${randomBytes(3).toString('hex')}.txt`, mimeType: 'text/plain', buffer: randomBytes(512) };
  await page.getByLabel('Upload files').setInputFiles([mine]);
  await files.getByText(mine.name).waitFor({ timeout: 30_000 });
  await badge(bobRow).waitFor({ timeout: 5_000 });

  await goToSection(page, 'Links I created');
  await aliceRow.waitFor({ timeout: 20_000 });
  // Her list checks again on showing: give that check time to (wrongly) badge.
  await page.waitForTimeout(1_500);
  assert.equal(await badge(aliceRow).count(), 0, 'opening the folder cleared alice\'s badge');
});
