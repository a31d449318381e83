// Opening a link without a drive (issue 17, item 6): carol, whose drive is not set
// up at this point of the suite (share-5 is the first to set it up otherwise),
// opens alice's file link and folder link. Logged in, she is asked for no master
// password: the landing page names who shares (the pod's owner, alice's WebID)
// and what; Open shows the file (download, preview, no Edit) and the folder (its
// listing and a subfolder, at /share/<id>, no upload or new folder) read-only.
// Until she chooses to keep one, the only write she makes is joining each link's
// group on alice's pod: nothing goes to her own pod, and no solidcrypt-data/
// appears there. "Keep it in my drive" then sets her drive up and keeps the
// folder under "Shared with me".
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE, logIn, podAuthorization } from './login-steps.mjs';
import { MASTER, download, setOrUnlock } from './drive-steps.mjs';
import { CAROL, assertNoLinkInAddress, createLink, landedOnShared, linkFields, openLinkLoggingIn, rawGet, sha256 } from './share-steps.mjs';

/** Every request of `page` to a pod's resources (not the login's `/.oidc/` and
 * `/.account/`) that is not a read, as `METHOD path`. */
function writesOf(page) {
  const seen = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method()) && !path.startsWith('/.')) {
      seen.push(`${request.method()} ${path}`);
    }
  });
  return seen;
}

/** On the landing page of a link: who and what it shows, and that no password is asked. */
async function landing(page, podUrl, what) {
  const offer = page.getByRole('region', { name: 'Shared link' });
  await offer.getByRole('heading', { name: `Someone shared a ${what} with you` }).waitFor({ timeout: 30_000 });
  const shown = await offer.innerText();
  assert.match(shown, new RegExp(`What\\s+A ${what}`));
  assert.ok(shown.includes(`${podUrl}${ALICE.name}/profile/card#me`), `the sharer is named: ${shown}`);
  assert.equal(await page.getByLabel('Master password', { exact: true }).count(), 0, 'no password asked');
  return offer;
}

test('opening a file link without a drive', async ({ page, newPage, appUrl, podUrl, artifact, expectConsoleError }) => {
  // WAC's missing ACL documents; carol's storage search passes her missing data folder.
  expectConsoleError(/^Failed to load resource: the server responded with a status of 404 /);
  const tag = randomBytes(4).toString('hex');
  const file = { name: `card-${tag}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`Hello carol ${tag}.\n`.repeat(20)) };
  const folder = `trip-${tag}`, inner = `day-one-${tag}`;
  const note = { name: `note-${tag}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`a note ${tag}\n`) };
  const deep = { name: `deep-${tag}.bin`, mimeType: 'application/octet-stream', buffer: randomBytes(5000) };

  const carolToken = await podAuthorization(podUrl, CAROL);
  const carolData = `${podUrl}${CAROL.name}/solidcrypt-data/`;
  const hadDrive = (await rawGet(carolData, carolToken)).status !== 404;

  // Alice: a file, and a folder with a note and a subfolder holding another file.
  await logIn(page, appUrl, podUrl, ALICE);
  await setOrUnlock(page);
  const listing = page.getByRole('table', { name: 'Files' });
  await page.getByLabel('Upload files').setInputFiles([file]);
  await listing.getByText(file.name).waitFor({ timeout: 30_000 });
  await page.getByLabel('Folder name').fill(folder);
  await page.getByRole('button', { name: 'Create folder' }).click();
  await listing.getByRole('link', { name: folder, exact: true }).click();
  await page.getByLabel('Upload files').setInputFiles([note]);
  await listing.getByText(note.name).waitFor({ timeout: 30_000 });
  await page.getByLabel('Folder name').fill(inner);
  await page.getByRole('button', { name: 'Create folder' }).click();
  await listing.getByRole('link', { name: inner, exact: true }).click();
  await page.getByLabel('Upload files').setInputFiles([deep]);
  await listing.getByText(deep.name).waitFor({ timeout: 30_000 });
  await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link', { name: 'My files' }).click();
  const fileLink = await createLink(page, file.name, 'Read only');
  const folderLink = await createLink(page, folder, 'Read and write');
  const groups = [fileLink, folderLink].map((link) => new URL(linkFields(link).get('group')).pathname);

  // Carol opens the file link: logs in, sees who shares what, opens it.
  const carol = await newPage();
  const writes = writesOf(carol);
  await openLinkLoggingIn(carol, fileLink, podUrl, CAROL, { keep: false });
  const offer = await landing(carol, podUrl, 'file');
  assert.match(await offer.innerText(), /Access\s+Read only/);
  await carol.screenshot({ path: artifact('carol-landing.png'), fullPage: true });
  await offer.getByRole('button', { name: 'Open', exact: true }).click();
  await carol.getByRole('heading', { name: `Shared file: ${file.name}` }).waitFor({ timeout: 30_000 });
  await carol.getByRole('status').filter({ hasText: 'Open in this tab only' }).waitFor();
  assertNoLinkInAddress(carol);
  assert.equal(sha256((await download(carol, file.name)).bytes), sha256(file.buffer), 'carol decrypts the file');
  await carol.getByRole('button', { name: `Preview ${file.name}`, exact: true }).click();
  const pane = carol.getByRole('dialog', { name: `Preview of ${file.name}` });
  await pane.getByText(`Hello carol ${tag}.`).first().waitFor({ timeout: 30_000 });
  await carol.screenshot({ path: artifact('carol-visit-file.png'), fullPage: true });
  await pane.getByRole('button', { name: 'Close preview' }).click();
  assert.equal(await carol.getByRole('button', { name: /^Edit/ }).count(), 0, 'no Edit');

  // The folder link, in the same tab (her session is kept): its listing, a
  // subfolder at /share/<id>, and no way to change anything.
  await carol.goto(folderLink);
  const folderOffer = await landing(carol, podUrl, 'folder');
  assert.match(await folderOffer.innerText(), /Access\s+Read and write/);
  await folderOffer.getByRole('button', { name: 'Open', exact: true }).click();
  await carol.getByRole('heading', { name: `Shared folder: ${folder}` }).waitFor({ timeout: 30_000 });
  const files = carol.getByRole('table', { name: 'Files' });
  await files.getByText(note.name).waitFor({ timeout: 30_000 });
  assert.equal(sha256((await download(carol, note.name)).bytes), sha256(note.buffer), 'carol decrypts the note');
  for (const control of ['Upload files', 'Folder name']) {
    assert.equal(await carol.getByLabel(control).count(), 0, `no "${control}" while open without keeping`);
  }
  assert.equal(await carol.getByRole('button', { name: `Delete ${note.name}` }).count(), 0, 'no Delete');
  await files.getByRole('link', { name: inner, exact: true }).click();
  await carol.waitForURL((url) => /^\/share\/[^/]+$/.test(url.pathname), { timeout: 20_000 });
  await files.getByText(deep.name).waitFor({ timeout: 30_000 });
  assert.equal(sha256((await download(carol, deep.name)).bytes), sha256(deep.buffer), 'and the file in its subfolder');
  await carol.screenshot({ path: artifact('carol-visit-folder.png'), fullPage: true });
  await carol.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link', { name: folder, exact: true }).click();
  await files.getByText(note.name).waitFor({ timeout: 30_000 });

  // So far carol wrote nothing but the two joins (one PATCH per group, on alice's pod).
  assert.deepEqual([...writes].sort(), groups.map((g) => `PATCH ${g}`).sort(), 'only the joins');
  if (!hadDrive) assert.equal((await rawGet(carolData, carolToken)).status, 404, 'no solidcrypt-data/ on her pod');

  // "Keep it in my drive": the password gate, then the folder under "Shared with me".
  await carol.getByRole('button', { name: 'Keep it in my drive', exact: true }).click();
  const set = carol.getByRole('heading', { name: 'Set a master password' });
  const unlock = carol.getByRole('heading', { name: 'Unlock your drive' });
  await set.or(unlock).waitFor({ timeout: 20_000 });
  if (hadDrive) assert.ok(await unlock.isVisible());
  else assert.ok(await set.isVisible(), 'carol had no drive');
  await carol.getByLabel('Master password', { exact: true }).fill(MASTER);
  if (await set.isVisible()) {
    await carol.getByLabel('Confirm master password').fill(MASTER);
    await carol.getByRole('button', { name: 'Set master password' }).click();
  } else {
    await carol.getByRole('button', { name: 'Unlock' }).click();
  }
  await carol.getByRole('heading', { name: `Shared folder: ${folder}` }).waitFor({ timeout: 60_000 });
  await landedOnShared(carol);
  await files.getByText(note.name).waitFor({ timeout: 30_000 });
  assert.equal((await rawGet(carolData, carolToken)).status, 200, 'now her drive exists');
});
