// Feedback and wording (issue 17, item 8): long work says how far it got (a
// revocation counts the files it re-encrypts), a finished upload says so, a form's
// error goes as the user types, and Log out offers to end the pod's session too
// (the provider confirms and returns to the app); after a plain log out the pod
// still remembers the user.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE, loggedIn, startLogin, loginAtPod } from './login-steps.mjs';
import { deleteFile, filesFolder, MASTER, onCiphertextPut, openDrive } from './drive-steps.mjs';
import { createLink, goToSection } from './share-steps.mjs';

const tag = () => randomBytes(4).toString('hex');

test('revoking a folder link counts the files it re-encrypts; an upload says when it is done', async ({ page, appUrl, podUrl, expectConsoleError }) => {
  // Creating a link looks for ACL documents that do not exist yet (how WAC works).
  expectConsoleError(/^Failed to load resource: the server responded with a status of 404 /);
  const t = tag();
  const folder = `Progress ${t}`;
  const files = [1, 2, 3].map((i) => ({ name: `count-${i}-${t}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`file ${i} ${t}`) }));
  await openDrive(page, appUrl, podUrl, ALICE);
  const listing = page.getByRole('table', { name: 'Files' });
  await page.getByLabel('Folder name').fill(folder);
  await page.getByRole('button', { name: 'Create folder' }).click();
  await listing.getByRole('link', { name: folder, exact: true }).click();
  await page.getByLabel('Upload files').setInputFiles(files);
  const uploads = page.getByRole('list', { name: 'Uploads' });
  for (const file of files) {
    await uploads.getByRole('listitem').filter({ hasText: file.name }).getByRole('status')
      .filter({ hasText: 'Uploaded' }).waitFor({ timeout: 30_000 });
    await listing.getByText(file.name).waitFor({ timeout: 30_000 });
  }
  // The "Uploaded" rows go by themselves.
  await uploads.getByRole('listitem').first().waitFor({ state: 'detached', timeout: 20_000 });
  await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link', { name: 'My files' }).click();
  await createLink(page, folder, 'Read only');

  // Each re-encrypted file's PUT waits a little, so the count can be read.
  // (Folders on the pod have random names: every ciphertext PUT of the drive.)
  const unroute = await onCiphertextPut(page, filesFolder(podUrl, ALICE), async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 700));
    await route.continue();
  });
  await goToSection(page, 'Links I created');
  const links = page.getByRole('table', { name: 'Links I created' });
  await links.getByRole('button', { name: `Revoke ${folder}`, exact: true }).click();
  await page.getByRole('button', { name: `Confirm revoke ${folder}` }).click();
  const counted = [];
  for (let i = 1; i <= 3; i++) {
    const status = page.getByRole('status').filter({ hasText: `Re-encrypting ${i} of 3 files under new keys…` });
    if (await status.waitFor({ timeout: 30_000 }).then(() => true, () => false)) counted.push(i);
  }
  assert.ok(counted.length >= 2, `the count moved: saw ${counted.join(', ')} of 3`);
  await page.getByRole('status').filter({ hasText: `Revoked the link to ${folder}. 3 files were re-encrypted under new keys.` })
    .waitFor({ timeout: 60_000 });
  await unroute();

  await goToSection(page, 'My files');
  await deleteFile(page, folder);
  await listing.getByRole('link', { name: folder, exact: true }).waitFor({ state: 'detached', timeout: 30_000 });
});

test('a wrong master password or a refused name goes away as the user types again', async ({ page, appUrl, podUrl }) => {
  const t = tag();
  const file = { name: `typed-${t}.txt`, mimeType: 'text/plain', buffer: Buffer.from(t) };
  await openDrive(page, appUrl, podUrl, ALICE);
  const listing = page.getByRole('table', { name: 'Files' });
  await page.getByLabel('Upload files').setInputFiles(file);
  await listing.getByText(file.name, { exact: true }).waitFor({ timeout: 30_000 });

  await page.getByRole('button', { name: `Rename ${file.name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Rename “${file.name}”` });
  await dialog.getByLabel('New name').fill('bad/name');
  await dialog.getByRole('button', { name: 'Rename' }).click();
  const refused = dialog.getByRole('alert').filter({ hasText: 'cannot contain' });
  await refused.waitFor({ timeout: 20_000 });
  await dialog.getByLabel('New name').pressSequentially('x');
  await refused.waitFor({ state: 'detached', timeout: 2_000 });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });

  await page.getByRole('button', { name: 'Lock' }).click();
  const password = page.getByLabel('Master password', { exact: true });
  await password.fill('not the password');
  await page.getByRole('button', { name: 'Unlock' }).click();
  const wrong = page.getByRole('alert').filter({ hasText: 'Wrong password' });
  await wrong.waitFor({ timeout: 20_000 });
  await password.pressSequentially('c');
  await wrong.waitFor({ state: 'detached', timeout: 2_000 });
  await password.fill(MASTER);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByLabel('Upload files').waitFor({ timeout: 30_000 });
  await deleteFile(page, file.name);
  await listing.getByText(file.name, { exact: true }).waitFor({ state: 'detached', timeout: 30_000 });
});

/** Clicks "Log out" in the header and picks `choice` in the dialog it opens. */
async function logOut(page, choice) {
  await page.getByRole('banner').getByRole('button', { name: 'Log out', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Log out' });
  await dialog.getByRole('button', { name: choice }).click();
}

test('log out of solidcrypt only, or of the pod too: the provider confirms and sends the browser back logged out', async ({ page, appUrl, podUrl, expectConsoleError }) => {
  await openDrive(page, appUrl, podUrl, ALICE);
  const loginScreen = page.getByRole('heading', { name: 'Log in to your Solid pod' });
  const authorize = page.getByRole('button', { name: 'Authorize' });
  const email = page.getByLabel('Email');

  // Cancel keeps the session.
  await page.getByRole('banner').getByRole('button', { name: 'Log out', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Log out' });
  await dialog.getByRole('button', { name: `Also log out of your pod (${podUrl})` }).waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  await loggedIn(page);

  // Out of solidcrypt only: the pod still knows alice, so no password is asked.
  await logOut(page, 'Log out of solidcrypt');
  await loginScreen.waitFor();
  await startLogin(page, appUrl, podUrl);
  await page.waitForURL((url) => url.href.startsWith(podUrl), { timeout: 20_000 });
  await authorize.or(email).waitFor({ timeout: 20_000 });
  assert.ok(await authorize.isVisible(), 'the pod remembered alice: consent only');
  assert.equal(await email.count(), 0, 'no password asked');
  await page.waitForFunction(() => !document.querySelector('#authorize')?.disabled);
  await authorize.click();
  await page.waitForURL((url) => url.href.startsWith(appUrl), { timeout: 20_000 });
  await loggedIn(page);

  // Out of the pod too: the provider confirms, and sends the browser back.
  // (Its confirmation page asks for a web font it cannot reach here.)
  expectConsoleError(/^Failed to load resource: net::ERR_NAME_NOT_RESOLVED$/);
  await logOut(page, `Also log out of your pod (${podUrl})`);
  await page.waitForURL((url) => url.href.startsWith(podUrl), { timeout: 20_000 });
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await page.waitForURL((url) => url.href.startsWith(appUrl), { timeout: 20_000 });
  await loginScreen.waitFor({ timeout: 20_000 });
  assert.equal(await page.evaluate(() => sessionStorage.getItem('solidcrypt.session')), null, 'the tab forgot the session');
  // CSS 7.2 ends its OpenID session but keeps its own account login (a cookie
  // of its account pages), so it may go straight to consent: either way the
  // login works again.
  await startLogin(page, appUrl, podUrl);
  await page.waitForURL((url) => url.href.startsWith(podUrl), { timeout: 20_000 });
  await authorize.or(email).waitFor({ timeout: 20_000 });
  if (await email.isVisible()) {
    await loginAtPod(page, podUrl, ALICE);
  } else {
    await page.waitForFunction(() => !document.querySelector('#authorize')?.disabled);
    await authorize.click();
  }
  await page.waitForURL((url) => url.href.startsWith(appUrl), { timeout: 20_000 });
  await loggedIn(page);
});
