// Sharing a file by link, read-only, through the UI with three people: alice shares,
// bob opens the link logged out (logs in through it) and gets the decrypted bytes but
// cannot overwrite the file; carol, who never opened the link, gets 403 even with the
// file's address; alice revokes: bob's token no longer reads the file, and after
// alice edits it the key bob got no longer opens it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { test } from './harness.mjs';
import { ALICE, logIn, podAuthorization } from './login-steps.mjs';
import { setOrUnlock } from './drive-steps.mjs';
import { BOB, NOT_THERE_YET, CAROL, createLink, failedRequests, goToSection, keyOpens, landedOnShared, linkFields, linkFileKey, openLinkLoggingIn, rawGet, keepInDrive, requestedPaths, sha256 } from './share-steps.mjs';

test('share a file read-only: bob reads it through the link, cannot overwrite it; carol cannot; revoked, bob is out and the edited file needs a new key', async ({ page, newPage, appUrl, podUrl, artifact, expectConsoleError }) => {
  expectConsoleError(/^Failed to load resource: the server responded with a status of (403|404) /);
  const aliceFailed = failedRequests(page);
  const tag = randomBytes(4).toString('hex');
  const file = { name: `letter-${tag}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`For bob's eyes only ${tag}.\n`.repeat(30)) };

  await logIn(page, appUrl, podUrl, ALICE);
  await setOrUnlock(page);
  await page.getByLabel('Upload files').setInputFiles([file]);
  const files = page.getByRole('table', { name: 'Files' });
  await files.getByText(file.name).waitFor({ timeout: 30_000 });
  const fileUrl = await files.locator('tr', { hasText: file.name }).getAttribute('data-url');
  requestedPaths.add(new URL(fileUrl).pathname);

  const link = await createLink(page, file.name, 'Read only', artifact('alice-share-dialog.png'));
  const fields = linkFields(link);
  assert.equal(new URL(link).pathname, '/share');
  assert.equal(new URL(link).search, '', 'nothing in the query: it would reach the server');
  assert.equal(fields.get('res'), fileUrl);
  assert.equal(fields.get('mode'), 'read');
  assert.ok(!fields.has('key') && fields.get('ks') && fields.get('kskey'), 'the link names its own keystore, not the file key');

  const aliceToken = await podAuthorization(podUrl, ALICE);
  const oldKey = await linkFileKey(link, aliceToken);
  assert.equal(oldKey.length, 32);
  const before = await rawGet(fileUrl, aliceToken);
  assert.equal(before.status, 200);
  assert.ok(keyOpens(oldKey, before.bytes), "the link's keystore holds the file key");
  const bobToken = await podAuthorization(podUrl, BOB);
  const carolToken = await podAuthorization(podUrl, CAROL);
  assert.equal((await rawGet(fileUrl, bobToken)).status, 403, 'bob before opening the link');
  assert.equal((await rawGet(fileUrl, carolToken)).status, 403, 'carol never opened the link');

  // Bob opens the link logged out: the app sends him to log in and back to the link.
  const bob = await newPage();
  const bobFailed = failedRequests(bob);
  await openLinkLoggingIn(bob, link, podUrl, BOB);
  await bob.getByRole('heading', { name: /^Shared file/ }).waitFor({ timeout: 30_000 });
  await landedOnShared(bob);
  await bob.screenshot({ path: artifact('bob-shared-file.png'), fullPage: true });
  const [saved] = await Promise.all([
    bob.waitForEvent('download', { timeout: 30_000 }),
    bob.getByRole('button', { name: /^Download/ }).click(),
  ]);
  assert.equal(sha256(await readFile(await saved.path())), sha256(file.buffer), 'bob gets the decrypted bytes');
  assert.equal((await rawGet(fileUrl, bobToken)).status, 200, 'bob joined the group');
  assert.equal((await rawGet(fileUrl, carolToken)).status, 403, 'carol is still out');

  // A link whose keystore key was altered (still well-formed) is refused clearly,
  // and keeps nothing; the real link still opens.
  const key = fields.get('kskey');
  const tampered = link.replace(`kskey=${key}`, `kskey=${key[0] === 'A' ? 'B' : 'A'}${key.slice(1)}`);
  assert.notEqual(tampered, link);
  await bob.goto(tampered);
  await keepInDrive(bob);
  await bob.getByRole('alert').filter({ hasText: /key does not open its keystore/ }).waitFor({ timeout: 30_000 });
  await bob.goto(link);
  await keepInDrive(bob);
  await bob.getByRole('heading', { name: /^Shared file/ }).waitFor({ timeout: 30_000 });
  await landedOnShared(bob);

  // Shared read-only, the text file offers no Edit (its save would be refused, 403).
  await bob.getByRole('button', { name: `Download ${file.name}`, exact: true }).waitFor();
  assert.equal(await bob.getByRole('button', { name: /^Edit/ }).count(), 0, 'no Edit on a read-only share');
  const after = await rawGet(fileUrl, aliceToken);
  assert.equal(sha256(after.bytes), sha256(before.bytes), 'the file on the pod is unchanged');

  // Bob's later visit: the file is under "Shared with me" and opens from there.
  await bob.goto(appUrl);
  await setOrUnlock(bob);
  await goToSection(bob, 'Shared with me');
  const received = bob.getByRole('region', { name: 'Shared with me' });
  await received.getByRole('row', { name: new RegExp(`${file.name}.*Read only`) }).waitFor({ timeout: 20_000 });
  await received.getByRole('link', { name: `Open ${file.name}`, exact: true }).click();
  await bob.getByRole('heading', { name: `Shared file: ${file.name}` }).waitFor({ timeout: 20_000 });
  const [again] = await Promise.all([
    bob.waitForEvent('download', { timeout: 30_000 }),
    bob.getByRole('button', { name: `Download ${file.name}`, exact: true }).click(),
  ]);
  assert.equal(sha256(await readFile(await again.path())), sha256(file.buffer), 'and decrypts from there too');

  // "Links I created" copies the link again.
  await goToSection(page, 'Links I created');
  const links = page.getByRole('table', { name: 'Links I created' });
  await links.getByRole('button', { name: `Copy link to ${file.name}`, exact: true }).click();
  await page.getByRole('status').filter({ hasText: `Link to ${file.name} copied` }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);

  // Alice revokes the link, with an explanation of what that does.
  await links.getByRole('button', { name: `Revoke ${file.name}`, exact: true }).click();
  await page.getByText('stays downloaded').waitFor();
  await page.screenshot({ path: artifact('alice-revoke-confirm.png'), fullPage: true });
  await page.getByRole('button', { name: `Confirm revoke ${file.name}` }).click();
  await page.getByRole('status').filter({ hasText: 'Revoked' }).waitFor({ timeout: 60_000 });
  await links.getByRole('button', { name: `Revoke ${file.name}`, exact: true }).waitFor({ state: 'detached' });
  assert.equal((await rawGet(fileUrl, bobToken)).status, 403, 'bob is out after the revoke');

  // Alice edits the file; the key bob got from the link does not open it any more.
  await goToSection(page, 'My files');
  await page.getByRole('button', { name: `Edit ${file.name}`, exact: true }).click();
  const editor = page.getByRole('dialog', { name: `Edit ${file.name}` });
  await editor.getByLabel('Text').fill(`A new version, not for bob ${tag}.`);
  await editor.getByRole('button', { name: 'Save' }).click();
  await editor.waitFor({ state: 'detached', timeout: 30_000 });
  const edited = await rawGet(fileUrl, aliceToken);
  assert.equal(edited.status, 200);
  assert.notEqual(sha256(edited.bytes), sha256(before.bytes));
  assert.ok(!keyOpens(oldKey, edited.bytes), "bob's old key does not open the new version");

  // Bob opening the link again gets a clear message, not a crash.
  await bob.goto(link);
  await bob.getByRole('region', { name: 'Shared link' }).waitFor({ timeout: 20_000 });
  await keepInDrive(bob);
  await bob.getByRole('alert').filter({ hasText: /revoked/ }).waitFor({ timeout: 30_000 });

  // The only failed requests: bob's refused ones on alice's pod (fetching or joining
  // after the revoke), and documents not there yet (NOT_THERE_YET).
  for (const failure of bobFailed) {
    // HEAD: looking at the revoked link walks up from its (deleted) group to the pod root.
    if (!NOT_THERE_YET.test(failure)) assert.match(failure, /^(403 (GET|PUT|PATCH|HEAD)|40[134] HEAD) \/alice\//);
  }
  for (const failure of aliceFailed) assert.match(failure, NOT_THERE_YET);
});
