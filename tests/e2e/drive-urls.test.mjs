// Folder addresses (issue 17, item 3): every folder has its own app address, made of
// the folders' pod ids (never their names, which only this tab decrypts); Back and
// Forward walk folders without reloading the page; a reload stays in the folder
// (after unlocking); and a folder address opened logged out comes back after the
// login. An address naming no place of the app says so.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE, loginAtPod } from './login-steps.mjs';
import { openDrive, setOrUnlock } from './drive-steps.mjs';

/** Creates `name` in the folder shown and opens it; returns its pod id. */
async function newFolderIn(page, name) {
  const listing = page.getByRole('table', { name: 'Files' });
  await page.getByLabel('Folder name').fill(name);
  await page.getByRole('button', { name: 'Create folder' }).click();
  const link = listing.getByRole('link', { name, exact: true });
  await link.waitFor({ timeout: 20_000 });
  const url = await listing.locator('tr', { has: page.getByRole('link', { name, exact: true }) }).getAttribute('data-url');
  await link.click();
  await here(page, name);
  return new URL(url).pathname.split('/').at(-2);
}

/** Waits until the address bar shows `path`. */
const atPath = (page, path) => page.waitForURL((url) => url.pathname === path, { timeout: 5_000 });

/** Waits until the breadcrumbs say the folder shown is `name`. */
async function here(page, name) {
  await page.getByRole('navigation', { name: 'Breadcrumbs' }).locator('[aria-current="page"]', { hasText: name })
    .waitFor({ timeout: 20_000 });
}

test('folder addresses: ids not names, Back and Forward walk folders, reload stays, a link works after login', async ({ page, newPage, appUrl, podUrl }) => {
  const tag = randomBytes(4).toString('hex');
  const [outer, inner] = [`Outer secret ${tag}`, `Inner secret ${tag}`];
  const note = { name: `note-${tag}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`deep ${tag}`) };
  await openDrive(page, appUrl, podUrl, ALICE);
  // A full page load would start the app again (and lock the drive): this mark
  // survives only if moving between folders never loads the page.
  await page.evaluate(() => { window.sameDocument = true; });

  const outerId = await newFolderIn(page, outer);
  await atPath(page, `/drive/${outerId}`);
  const innerId = await newFolderIn(page, inner);
  const deep = `/drive/${outerId}/${innerId}`;
  await atPath(page, deep);
  assert.doesNotMatch(decodeURIComponent(page.url()), /secret/, 'no folder name in the address');
  await page.getByLabel('Upload files').setInputFiles(note);
  const listing = page.getByRole('table', { name: 'Files' });
  await listing.getByText(note.name).waitFor({ timeout: 30_000 });

  await page.goBack();
  await here(page, outer);
  await atPath(page, `/drive/${outerId}`);
  await listing.getByRole('link', { name: inner, exact: true }).waitFor();
  await page.goBack();
  await here(page, 'My files');
  await page.goForward();
  await here(page, outer);
  await page.goForward();
  await here(page, inner);
  await listing.getByText(note.name).waitFor();
  assert.equal(await page.evaluate(() => window.sameDocument), true, 'Back and Forward did not reload the page');

  // The breadcrumbs are links too, and the section link goes to the top.
  await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link', { name: outer }).click();
  await here(page, outer);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'My files' }).click();
  await here(page, 'My files');
  await page.goBack();
  await here(page, outer);
  await page.goForward();
  await page.goto(new URL(deep, appUrl).href);

  // A reload (the server answers the folder's address with the app) unlocks into
  // the same folder.
  await page.reload();
  await setOrUnlock(page);
  await here(page, inner);
  await listing.getByText(note.name).waitFor({ timeout: 30_000 });

  // Opened in a new tab, logged out: log in, and land in that folder.
  const other = await newPage();
  await other.goto(new URL(deep, appUrl).href);
  await other.getByRole('heading', { name: 'Log in to your Solid pod' }).waitFor({ timeout: 20_000 });
  const local = other.getByRole('radio', { name: /Local pod/ });
  if ((await local.getAttribute('value')) !== podUrl) await other.getByLabel('Provider address or WebID').fill(podUrl);
  await other.getByRole('button', { name: 'Log in' }).click();
  await loginAtPod(other, podUrl, ALICE);
  await other.waitForURL((url) => url.pathname === deep, { timeout: 20_000 });
  await setOrUnlock(other);
  await here(other, inner);
  await other.getByRole('table', { name: 'Files' }).getByText(note.name).waitFor({ timeout: 30_000 });
  const kept = await other.evaluate(() => Object.keys(sessionStorage).filter((k) => k.includes('return')));
  assert.deepEqual(kept, [], 'the kept address is used once and removed');

  // Addresses that are no place of the app say so (a folder id is one plain
  // segment; `..` the browser itself resolves before the app sees it).
  for (const path of ['/nowhere', '/shared/not-a-share-id', `/drive/${outerId}/a:b`]) {
    await other.goto(new URL(path, appUrl).href);
    await other.getByRole('heading', { name: 'Page not found' }).waitFor({ timeout: 20_000 });
  }
});
