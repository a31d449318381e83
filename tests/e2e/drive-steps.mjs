// Shared drive steps for the e2e tests and `scripts/bench drive`.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { logIn } from './login-steps.mjs';

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
    const mismatch = page.getByRole('alert').filter({ hasText: 'do not match' });
    await mismatch.waitFor();
    await page.getByLabel('Master password', { exact: true }).fill(MASTER);
    await page.getByText('Strength: strong.').waitFor();
    await page.getByLabel('Confirm master password').fill(MASTER);
    // Fixed, the message goes at once (not only at the next submit).
    await mismatch.waitFor({ state: 'detached', timeout: 2_000 });
    await page.getByRole('button', { name: 'Set master password' }).click();
  } else {
    await page.getByLabel('Master password', { exact: true }).fill(MASTER);
    await page.getByRole('button', { name: 'Unlock' }).click();
  }
  await page.getByLabel('Upload files').waitFor({ timeout: 30_000 });
}

/** On the unlock screen: a wrong master password is refused with a clear message,
 * then the right one unlocks the drive. */
export async function unlockAfterAWrongPassword(page) {
  await page.getByRole('heading', { name: 'Unlock your drive' }).waitFor({ timeout: 20_000 });
  await page.getByLabel('Master password', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Unlock' }).click();
  const wrong = page.getByRole('alert').filter({ hasText: 'Wrong password' });
  await wrong.waitFor({ timeout: 20_000 });
  // The field was emptied once the password was used.
  assert.equal(await page.getByLabel('Master password', { exact: true }).inputValue(), '');
  await page.getByLabel('Master password', { exact: true }).fill(MASTER);
  // Typing again answers the message: it goes.
  await wrong.waitFor({ state: 'detached', timeout: 2_000 });
  await page.getByRole('button', { name: 'Unlock' }).click();
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

/** Deletes `name` from the listing (with the confirmation step), waiting up to
 *  `timeout` ms for its row to go (a folder of thousands of files takes minutes). */
export async function deleteFile(page, name, { timeout = 60_000 } = {}) {
  await page.getByRole('button', { name: `Delete ${name}`, exact: true }).click();
  await page.getByRole('button', { name: `Confirm delete ${name}` }).click();
  await page.getByRole('table', { name: 'Files' }).getByText(name).waitFor({ state: 'detached', timeout });
}

/** Logs alice (or `account`) in and opens her unlocked drive. */
export async function openDrive(page, appUrl, podUrl, account) {
  await logIn(page, appUrl, podUrl, account);
  await setOrUnlock(page);
}

/** The pod folder holding `account`'s encrypted files (see `Layout::files`). */
export const filesFolder = (podUrl, account) => `${podUrl}${account.name}/solidcrypt-data/files/`;

/** The members of a pod container, read with `authorization` outside the app. */
export async function podMembers(folder, authorization) {
  const response = await fetch(folder, { headers: { authorization, accept: 'text/turtle' } });
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`${folder}: ${response.status}`);
  const turtle = await response.text();
  // The IRIs after `ldp:contains`, up to the end of the list (a `.` inside an IRI,
  // as in `foreign.bin`, is not its end).
  const contains = turtle.match(/ldp:contains\s+((?:<[^>]*>\s*,?\s*)+)/);
  if (!contains) return [];
  return [...contains[1].matchAll(/<([^>]*)>/g)].map((m) => new URL(m[1], folder).href).sort();
}

/** Drops `files` ({name, mimeType, buffer}) on the drop zone, as a drag from the
 * desktop would: dragenter, dragover, drop, carrying one DataTransfer. */
export async function dropFiles(page, files) {
  const dataTransfer = await page.evaluateHandle((list) => {
    const transfer = new DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], f.name, { type: f.mimeType }));
    }
    return transfer;
  }, files.map((f) => ({ name: f.name, mimeType: f.mimeType, base64: f.buffer.toString('base64') })));
  const zone = page.getByRole('region', { name: 'Drop files here to upload' });
  for (const type of ['dragenter', 'dragover', 'drop']) await zone.dispatchEvent(type, { dataTransfer });
}

/** Routes the PUT of new ciphertext into `folder` (not folders, not keystores) to
 * `handler(route)`; everything else goes through. Returns the unroute function. */
export async function onCiphertextPut(page, folder, handler) {
  const matches = (url) => url.href.startsWith(folder) && !url.pathname.endsWith('/');
  const route = (r) => (r.request().method() === 'PUT' ? handler(r) : r.fallback());
  await page.route(matches, route);
  return () => page.unroute(matches, route);
}

/** Drops a folder tree on the drop zone as a drag of a directory from the desktop
 * would hand it over: a drop whose items are file-system entries (webkitGetAsEntry),
 * folders read a batch at a time (readEntries), files by file(). `files` are
 * {path, mimeType, buffer} with paths like "top/a/b.txt"; `empty` are folder paths. */
export async function dropTree(page, files, empty = []) {
  const dataTransfer = await page.evaluateHandle(({ list, empty }) => {
    const root = { children: new Map() };
    const folderAt = (parts) => parts.reduce((dir, name) => {
      if (!dir.children.has(name)) dir.children.set(name, { name, children: new Map() });
      return dir.children.get(name);
    }, root);
    for (const f of list) {
      const parts = f.path.split('/');
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      const name = parts.pop();
      folderAt(parts).children.set(name, { name, file: new File([bytes], name, { type: f.mimeType }) });
    }
    for (const path of empty) folderAt(path.split('/'));
    const entry = (node) => (node.file
      ? { name: node.name, isFile: true, isDirectory: false, file: (ok) => setTimeout(() => ok(node.file)) }
      : {
        name: node.name, isFile: false, isDirectory: true,
        createReader() {
          // Two entries per batch, then an empty one: as browsers hand them over.
          const left = [...node.children.values()].map(entry);
          return { readEntries: (ok) => setTimeout(() => ok(left.splice(0, 2))) };
        },
      });
    const items = [...root.children.values()].map((node) => ({ kind: 'file', webkitGetAsEntry: () => entry(node) }));
    const transfer = new DataTransfer();
    Object.defineProperty(transfer, 'items', { value: Object.assign(items, { length: items.length }) });
    return transfer;
  }, { list: files.map((f) => ({ path: f.path, mimeType: f.mimeType, base64: f.buffer.toString('base64') })), empty });
  const zone = page.getByRole('region', { name: 'Drop files here to upload' });
  for (const type of ['dragenter', 'dragover', 'drop']) await zone.dispatchEvent(type, { dataTransfer });
}
