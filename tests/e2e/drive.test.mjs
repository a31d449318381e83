// Alice's encrypted drive end to end: she sets (or, on a pod that already has one,
// enters) her master password, uploads a text file and a random binary file, reloads,
// is refused with a wrong password, unlocks, sees both, downloads them byte-identical
// (sha256), previews the text, finds only ciphertext on the pod, and deletes a file.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { test } from './harness.mjs';
import { ALICE, logIn, podAuthorization } from './login-steps.mjs';

const MASTER = 'correct horse battery staple';
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** Sets the master password on first run, or unlocks if a run before set it. */
async function setOrUnlock(page) {
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

/** Clicks Download on `name` and returns the saved file's name and bytes. */
async function download(page, name) {
  const [saved] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: `Download ${name}`, exact: true }).click(),
  ]);
  return { filename: saved.suggestedFilename(), bytes: await readFile(await saved.path()) };
}

test('alice keeps encrypted files on her pod: upload, unlock after reload, download, delete', async ({ page, appUrl, podUrl, artifact }) => {
  const tag = randomBytes(4).toString('hex');
  const text = { name: `notes-${tag}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`Dear diary ${tag}: the pod must never read this.\n`.repeat(40)) };
  const binary = { name: `random-${tag}.bin`, mimeType: 'application/octet-stream', buffer: randomBytes(3 * 1024 * 1024 + 17) };

  await logIn(page, appUrl, podUrl, ALICE);
  await setOrUnlock(page);
  await page.getByLabel('Upload files').setInputFiles([text, binary]);
  const files = page.getByRole('table', { name: 'Files' });
  await files.getByText(text.name).waitFor({ timeout: 30_000 });
  await files.getByText(binary.name).waitFor({ timeout: 30_000 });
  await page.screenshot({ path: artifact('uploaded.png'), fullPage: true });

  // Reload: locked again. A wrong password is refused; the right one unlocks.
  await page.reload();
  await page.getByRole('heading', { name: 'Unlock your drive' }).waitFor({ timeout: 20_000 });
  await page.getByLabel('Master password', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('alert').filter({ hasText: 'Wrong password' }).waitFor({ timeout: 20_000 });
  await page.getByLabel('Master password', { exact: true }).fill(MASTER);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await files.getByText(text.name).waitFor({ timeout: 30_000 });
  await files.getByText(binary.name).waitFor();

  for (const file of [text, binary]) {
    const got = await download(page, file.name);
    assert.equal(got.filename, file.name);
    assert.equal(sha256(got.bytes), sha256(file.buffer), `${file.name} comes back byte-identical`);
  }

  await page.getByRole('button', { name: `Preview ${text.name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Preview of ${text.name}` });
  await dialog.getByText(`Dear diary ${tag}`).first().waitFor();
  await page.screenshot({ path: artifact('preview.png'), fullPage: true });
  await dialog.getByRole('button', { name: 'Close preview' }).click();

  // What the pod stores: random names, ciphertext only.
  const authorization = await podAuthorization(podUrl, ALICE);
  const textRow = files.locator('tr', { hasText: text.name });
  const binaryRow = files.locator('tr', { hasText: binary.name });
  const textUrl = await textRow.getAttribute('data-url');
  const binaryUrl = await binaryRow.getAttribute('data-url');
  assert.ok(!textUrl.includes('notes') && !binaryUrl.includes('random-'), 'names are not on the pod');
  for (const [url, file] of [[textUrl, text], [binaryUrl, binary]]) {
    const raw = Buffer.from(await (await fetch(url, { headers: { authorization } })).arrayBuffer());
    assert.ok(raw.length > file.buffer.length, 'the pod holds the envelope');
    assert.equal(raw.subarray(0, 4).toString(), 'SLCF');
    assert.notEqual(sha256(raw), sha256(file.buffer));
    assert.equal(raw.indexOf(file.buffer.subarray(0, 64)), -1, 'no plaintext on the pod');
    assert.equal(raw.indexOf(Buffer.from(file.name)), -1, 'no name on the pod');
  }

  // Delete asks first, then removes the file from the listing and the pod.
  await page.getByRole('button', { name: `Delete ${text.name}`, exact: true }).click();
  await page.getByRole('button', { name: `Confirm delete ${text.name}` }).click();
  await files.getByText(text.name).waitFor({ state: 'detached', timeout: 20_000 });
  assert.equal((await fetch(textUrl, { headers: { authorization } })).status, 404);
  await files.getByText(binary.name).waitFor();
});
