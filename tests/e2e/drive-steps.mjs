// Shared drive steps for the e2e tests and `scripts/bench drive`.
import { readFile } from 'node:fs/promises';

/** The master password the e2e tests and the bench give alice's drive. */
export const MASTER = 'correct horse battery staple';

/** Sets the master password on first run (checking the form's refusals on the
 * way), or unlocks if a run before set it; ends on the file browser. */
export async function setOrUnlock(page) {
  const set = page.getByRole('heading', { name: 'Set a master password' });
  const unlock = page.getByRole('heading', { name: 'Unlock your drive' });
  await set.or(unlock).waitFor({ timeout: 20_000 });
  if (await set.isVisible()) {
    await page.getByLabel('Master password', { exact: true }).fill('short');
    await page.getByLabel('Confirm master password').fill('shorter');
    await page.getByRole('button', { name: 'Set master password' }).click();
    await page.getByRole('alert').filter({ hasText: 'do not match' }).waitFor();
    await page.getByLabel('Master password', { exact: true }).fill(MASTER);
    await page.getByText('Strength: strong.').waitFor();
    await page.getByLabel('Confirm master password').fill(MASTER);
    await page.getByRole('button', { name: 'Set master password' }).click();
  } else {
    await page.getByLabel('Master password', { exact: true }).fill(MASTER);
    await page.getByRole('button', { name: 'Unlock' }).click();
  }
  await page.getByLabel('Upload files').waitFor({ timeout: 30_000 });
}

/** Clicks Download on `name`; returns the suggested name and the saved file's path. */
export async function downloadPath(page, name, timeout = 30_000) {
  const [saved] = await Promise.all([
    page.waitForEvent('download', { timeout }),
    page.getByRole('button', { name: `Download ${name}`, exact: true }).click(),
  ]);
  return { filename: saved.suggestedFilename(), path: await saved.path() };
}

/** [`downloadPath`], read into memory. */
export async function download(page, name) {
  const saved = await downloadPath(page, name);
  return { filename: saved.filename, bytes: await readFile(saved.path) };
}

/** Deletes `name` from the listing (with the confirmation step). */
export async function deleteFile(page, name) {
  await page.getByRole('button', { name: `Delete ${name}`, exact: true }).click();
  await page.getByRole('button', { name: `Confirm delete ${name}` }).click();
  await page.getByRole('table', { name: 'Files' }).getByText(name).waitFor({ state: 'detached', timeout: 60_000 });
}
