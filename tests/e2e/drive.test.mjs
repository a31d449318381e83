// Alice's encrypted drive end to end: she sets (or, on a pod that already has one,
// enters) her master password, uploads a text file, a random binary file and an image,
// reloads, is refused with a wrong password, unlocks, sees them, downloads them
// byte-identical (sha256), previews text and image, finds only ciphertext on the pod,
// and deletes a file. A second test streams a 50 MiB file up in parts (several
// resources in a container, docs/FORMAT.md §1.8, so no PUT outlasts CSS's write
// lock) and down through the browser's temporary files (OPFS), which are gone
// afterwards.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from './harness.mjs';
import { ALICE, logIn, openAccountMenu, podAuthorization } from './login-steps.mjs';
import { MASTER, deleteFile, download, setOrUnlock, unlockAfterAWrongPassword } from './drive-steps.mjs';

/** A 1×1 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** Names of the temporary files big uploads and downloads pass through (OPFS). */
const spoolFiles = (page) => page.evaluate(async () => {
  const root = await navigator.storage.getDirectory();
  const dir = await root.getDirectoryHandle('solidcrypt-spool', { create: true });
  const names = [];
  for await (const [name] of dir.entries()) names.push(name);
  return names;
});

test('alice keeps encrypted files on her pod: upload, unlock after reload, download, delete', async ({ page, appUrl, podUrl, artifact }) => {
  const tag = randomBytes(4).toString('hex');
  const text = { name: `notes-${tag}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`Dear diary ${tag}: the pod must never read this.\n`.repeat(40)) };
  const binary = { name: `random-${tag}.bin`, mimeType: 'application/octet-stream', buffer: randomBytes(3 * 1024 * 1024 + 17) };
  const image = { name: `dot-${tag}.png`, mimeType: 'image/png', buffer: Buffer.from(PNG, 'base64') };

  await logIn(page, appUrl, podUrl, ALICE);
  await setOrUnlock(page);
  await page.getByLabel('Upload files').setInputFiles([text, binary, image]);
  const files = page.getByRole('table', { name: 'Files' });
  await files.getByText(text.name).waitFor({ timeout: 30_000 });
  await files.getByText(binary.name).waitFor({ timeout: 30_000 });
  await files.getByText(image.name).waitFor({ timeout: 30_000 });
  await page.screenshot({ path: artifact('uploaded.png'), fullPage: true });

  // Reload: locked again. A wrong password is refused; the right one unlocks.
  await page.reload();
  await unlockAfterAWrongPassword(page);
  await files.getByText(text.name).waitFor({ timeout: 30_000 });
  await files.getByText(binary.name).waitFor();

  for (const file of [text, binary, image]) {
    const got = await download(page, file.name);
    assert.equal(got.filename, file.name);
    assert.equal(sha256(got.bytes), sha256(file.buffer), `${file.name} comes back byte-identical`);
  }

  await page.getByRole('button', { name: `Preview ${text.name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Preview of ${text.name}` });
  await dialog.getByText(`Dear diary ${tag}`).first().waitFor();
  await page.screenshot({ path: artifact('preview.png'), fullPage: true });
  await dialog.getByRole('button', { name: 'Close preview' }).click();
  await page.getByRole('button', { name: `Preview ${image.name}` }).click();
  const picture = page.getByRole('dialog', { name: `Preview of ${image.name}` }).getByRole('img');
  await picture.waitFor();
  await page.waitForFunction((el) => el.complete && el.naturalWidth === 1, await picture.elementHandle());
  await page.getByRole('button', { name: 'Close preview' }).click();

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

test('a 50 MiB file streams up and down through the envelope intact', async ({ page, appUrl, podUrl, artifact }) => {
  const dir = await mkdtemp(join(tmpdir(), 'solidcrypt-e2e-'));
  try {
    const name = `big-${randomBytes(4).toString('hex')}.bin`;
    const path = join(dir, name);
    const bytes = randomBytes(50 * 1024 * 1024);
    await writeFile(path, bytes);
    await logIn(page, appUrl, podUrl, ALICE);
    await setOrUnlock(page);
    const started = Date.now();
    await page.getByLabel('Upload files').setInputFiles(path);
    await page.getByRole('progressbar', { name: `Uploading ${name}` }).waitFor();
    const files = page.getByRole('table', { name: 'Files' });
    await files.getByText(name).waitFor({ timeout: 120_000 });
    const uploaded = Date.now() - started;
    await page.screenshot({ path: artifact('big-uploaded.png'), fullPage: true });
    assert.deepEqual(await spoolFiles(page), [], 'the upload left no temporary file');
    // On the pod: a container of parts `<gen>-<i>` of one generation, which
    // concatenated are the envelope.
    const authorization = await podAuthorization(podUrl, ALICE);
    const url = await files.locator('tr', { hasText: name }).getAttribute('data-url');
    assert.ok(url.endsWith('/'), `a 50 MiB file is stored in parts: ${url}`);
    const listing = await (await fetch(url, { headers: { authorization, accept: 'text/turtle' } })).text();
    const names = new Set([...listing.matchAll(/[/<]([0-9a-f]{16}-(?:0|[1-9][0-9]*))>/g)].map((m) => m[1]));
    const parts = [...names]
      .map((part) => part.split('-'))
      .map(([gen, index]) => ({ gen, index: Number(index) }))
      .sort((a, b) => a.index - b.index);
    assert.ok(parts.length >= 3, `several parts: ${parts.length}`);
    assert.equal(new Set(parts.map((p) => p.gen)).size, 1, 'one generation');
    assert.deepEqual(parts.map((p) => p.index), parts.map((_, i) => i), 'parts 0..n-1');
    let stored = 0;
    for (const { gen, index } of parts) {
      const raw = Buffer.from(await (await fetch(new URL(`${gen}-${index}`, url), { headers: { authorization } })).arrayBuffer());
      if (index === 0) assert.equal(raw.subarray(0, 4).toString(), 'SLCF');
      assert.equal(raw.indexOf(bytes.subarray(stored, stored + 64)), -1, 'no plaintext on the pod');
      stored += raw.length;
    }
    assert.ok(stored > bytes.length && stored < bytes.length * 1.01, `the parts hold the envelope: ${stored} bytes`);
    console.log(`     50 MiB: ${parts.length} parts`);
    const downloadStarted = Date.now();
    const got = await download(page, name);
    console.log(`     50 MiB: upload ${uploaded} ms, download ${Date.now() - downloadStarted} ms`);
    assert.equal(got.bytes.length, bytes.length);
    assert.equal(sha256(got.bytes), sha256(bytes));
    // The download went through a temporary file, kept while the browser saves it
    // (30 s + 1 s per 16 MiB), then removed.
    assert.equal((await spoolFiles(page)).length, 1, 'the download was spooled to a file');
    const saved = Date.now();
    while ((await spoolFiles(page)).length > 0) {
      assert.ok(Date.now() - saved < 60_000, 'the temporary file is removed within a minute');
      await page.waitForTimeout(1000);
    }
    console.log(`     the download's temporary file was removed after ${Date.now() - saved} ms`);
    // Locking the drive removes the decrypted temporary file at once.
    await download(page, name);
    assert.equal((await spoolFiles(page)).length, 1, 'the second download was spooled to a file');
    await page.getByRole('button', { name: 'Lock' }).click();
    const locked = Date.now();
    while ((await spoolFiles(page)).length > 0) {
      assert.ok(Date.now() - locked < 5_000, 'locking removes the temporary file');
      await page.waitForTimeout(200);
    }
    await setOrUnlock(page);
    await deleteFile(page, name);
    assert.equal((await fetch(url, { headers: { authorization } })).status, 404, 'the parts are gone');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('alice writes and edits a text file in the app, and changes her master password', async ({ page, appUrl, podUrl }) => {
  const name = `memo-${randomBytes(4).toString('hex')}.txt`;
  await logIn(page, appUrl, podUrl, ALICE);
  await setOrUnlock(page);

  await page.getByRole('button', { name: 'New text file' }).click();
  let editor = page.getByRole('dialog', { name: 'New text file' });
  await editor.getByLabel('File name').fill(name);
  await editor.getByLabel('Text').fill('first draft');
  await editor.getByRole('button', { name: 'Save' }).click();
  const files = page.getByRole('table', { name: 'Files' });
  await files.getByText(name).waitFor({ timeout: 20_000 });

  await page.getByRole('button', { name: `Edit ${name}` }).click();
  editor = page.getByRole('dialog', { name: `Edit ${name}` });
  assert.equal(await editor.getByLabel('Text').inputValue(), 'first draft');
  await editor.getByLabel('Text').fill('second draft');
  await editor.getByRole('button', { name: 'Save' }).click();
  await editor.waitFor({ state: 'detached' });
  const got = await download(page, name);
  assert.equal(got.bytes.toString(), 'second draft');

  // Change the password, unlock with the new one, then change it back.
  const change = async (from, to) => {
    await (await openAccountMenu(page)).getByRole('button', { name: 'Change master password' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change master password' });
    await dialog.getByLabel('Current master password').fill(from);
    await dialog.getByLabel('New master password', { exact: true }).fill(to);
    // A typo in the confirmation is said, and the message goes once it is fixed.
    await dialog.getByLabel('Confirm new master password').fill(`${to}!`);
    await dialog.getByRole('button', { name: 'Change password' }).click();
    const mismatch = dialog.getByRole('alert').filter({ hasText: 'do not match' });
    await mismatch.waitFor();
    await dialog.getByLabel('Confirm new master password').fill(to);
    await mismatch.waitFor({ state: 'detached' });
    await dialog.getByLabel('Current master password').fill(from);
    await dialog.getByLabel('New master password', { exact: true }).fill(to);
    await dialog.getByLabel('Confirm new master password').fill(to);
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Password changed.' }).waitFor({ timeout: 20_000 });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
  };
  const other = 'a different long passphrase';
  await change(MASTER, other);
  await page.reload();
  await page.getByRole('heading', { name: 'Unlock your drive' }).waitFor({ timeout: 20_000 });
  await page.getByLabel('Master password', { exact: true }).fill(MASTER);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('alert').filter({ hasText: 'Wrong password' }).waitFor({ timeout: 20_000 });
  await page.getByLabel('Master password', { exact: true }).fill(other);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await files.getByText(name).waitFor({ timeout: 30_000 });
  await change(other, MASTER);
  await deleteFile(page, name);
});
