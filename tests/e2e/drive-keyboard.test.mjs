// The drive with the keyboard alone: every main control is reached with Tab, has a
// name a screen reader announces, and works with Enter; an error is a toast whose
// Dismiss button is reachable too.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE } from './login-steps.mjs';
import { openDrive } from './drive-steps.mjs';

/** Presses Tab (or `key`) until `locator` has the focus; fails after `limit` presses.
 * Tab order follows the page, so each call starts where the previous one left off. */
async function tabTo(page, locator, limit = 40, key = 'Tab') {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    if (await locator.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`${locator} not reached with Tab`);
}

test('the drive works from the keyboard: labelled controls, row actions, dismissable toasts', async ({ page, appUrl, podUrl }) => {
  const name = `keys-${randomBytes(4).toString('hex')}.txt`;
  await openDrive(page, appUrl, podUrl, ALICE);
  await page.getByLabel('Upload files').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from('typed') });
  const listing = page.getByRole('table', { name: 'Files' });
  await listing.getByText(name, { exact: true }).waitFor({ timeout: 30_000 });

  await page.locator('body').focus();
  await page.evaluate(() => document.activeElement?.blur());
  const folderName = page.getByLabel('Folder name');
  await tabTo(page, page.getByRole('button', { name: 'Lock' }));
  await tabTo(page, folderName);
  // An empty name is refused with a toast, not silently.
  await tabTo(page, page.getByRole('button', { name: 'Create folder' }));
  await page.keyboard.press('Enter');
  const toast = page.getByRole('alert').filter({ hasText: 'Cannot create the folder: the folder needs a name.' });
  await toast.waitFor({ timeout: 20_000 });
  await tabTo(page, page.getByRole('button', { name: 'New text file' }));
  await tabTo(page, page.getByLabel('Upload files'));
  await tabTo(page, page.getByRole('button', { name: `Download ${name}` }), 200);
  await tabTo(page, page.getByRole('button', { name: `Preview ${name}` }));
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: `Preview of ${name}` });
  await dialog.getByText('typed').waitFor();
  // The preview takes the focus, and Escape closes it.
  const close = dialog.getByRole('button', { name: 'Close preview' });
  await page.waitForFunction((el) => el === document.activeElement, await close.elementHandle());
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  // So does a new text file's form, on its name.
  await page.getByRole('button', { name: 'New text file' }).focus();
  await page.keyboard.press('Enter');
  const editor = page.getByRole('dialog', { name: 'New text file' });
  const fileName = editor.getByLabel('File name');
  await page.waitForFunction((el) => el === document.activeElement, await fileName.elementHandle());
  await page.keyboard.type(`typed-${name}`);
  await page.keyboard.press('Tab');
  await page.keyboard.type('typed with keys');
  await tabTo(page, editor.getByRole('button', { name: 'Save' }), 5, 'Shift+Tab');
  await page.keyboard.press('Enter');
  await listing.getByText(`typed-${name}`, { exact: true }).waitFor({ timeout: 20_000 });

  const del = page.getByRole('button', { name: `Delete ${name}`, exact: true });
  await del.focus();
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('button', { name: `Confirm delete ${name}` });
  await confirm.waitFor();
  assert.equal(await confirm.evaluate((el) => el === document.activeElement), true, 'the confirmation takes the focus');
  await page.keyboard.press('Enter');
  await listing.getByText(name, { exact: true }).waitFor({ state: 'detached', timeout: 20_000 });

  const dismiss = toast.getByRole('button', { name: /^Dismiss/ });
  await tabTo(page, dismiss, 200);
  await page.keyboard.press('Enter');
  await toast.waitFor({ state: 'detached' });
});
