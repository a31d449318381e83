// Sharing that never breaks other links (docs/FORMAT.md §5.1), through the UI: alice
// shares a folder read-write with bob and one file in it read-only with carol; she
// revokes bob's folder link, which re-encrypts the file; carol, with the link she
// got, keeps reading the new version (from "Shared with me" and by opening the
// link again), nobody is asked to re-send anything, and bob is out.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { test } from './harness.mjs';
import { ALICE, logIn, podAuthorization } from './login-steps.mjs';
import { setOrUnlock } from './drive-steps.mjs';
import { BOB, CAROL, createLink, folderWithFiles, goToSection, keyOpens, landedOnShared, linkFields, linkFileKey, openLinkLoggingIn, rawGet, requestedPaths, sha256, keepInDrive } from './share-steps.mjs';

async function downloaded(page, button) {
  const [saved] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), button.click()]);
  return sha256(await readFile(await saved.path()));
}

test("revoking bob's folder link re-keys a file; carol's file link to it keeps working unchanged", async ({ page, newPage, appUrl, podUrl, artifact, expectConsoleError }) => {
  // WAC's missing ACL documents, and bob's refused reads after the revoke.
  expectConsoleError(/^Failed to load resource: the server responded with a status of (403|404) /);
  const tag = randomBytes(4).toString('hex');
  const folder = `team-${tag}`;
  const plan = { name: `plan-${tag}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`The plan ${tag}.\n`.repeat(20)) };

  await logIn(page, appUrl, podUrl, ALICE);
  await setOrUnlock(page);
  await folderWithFiles(page, folder, [plan]);
  const bobLink = await createLink(page, folder, 'Read and write');
  const files = page.getByRole('table', { name: 'Files' });
  await files.getByRole('link', { name: folder, exact: true }).click();
  await files.getByText(plan.name).waitFor({ timeout: 30_000 });
  const planUrl = await files.locator('tr', { hasText: plan.name }).getAttribute('data-url');
  requestedPaths.add(new URL(planUrl).pathname);
  const carolLink = await createLink(page, plan.name, 'Read only');
  const fields = linkFields(carolLink);
  assert.equal(fields.get('kind'), 'file');
  assert.ok(fields.get('ks') && !fields.has('key'), "carol's link names its own keystore");

  const bob = await newPage();
  await openLinkLoggingIn(bob, bobLink, podUrl, BOB);
  await bob.getByRole('heading', { name: `Shared folder: ${folder}` }).waitFor({ timeout: 30_000 });
  await landedOnShared(bob);
  const carol = await newPage();
  await openLinkLoggingIn(carol, carolLink, podUrl, CAROL);
  await carol.getByRole('heading', { name: /^Shared file/ }).waitFor({ timeout: 30_000 });
  await landedOnShared(carol);
  assert.equal(await downloaded(carol, carol.getByRole('button', { name: /^Download/ })), sha256(plan.buffer));

  const aliceToken = await podAuthorization(podUrl, ALICE);
  const bobToken = await podAuthorization(podUrl, BOB);
  const carolToken = await podAuthorization(podUrl, CAROL);
  const oldKey = await linkFileKey(carolLink, carolToken);
  assert.ok(keyOpens(oldKey, (await rawGet(planUrl, aliceToken)).bytes));
  assert.equal((await rawGet(planUrl, bobToken)).status, 200, 'bob reads it through the folder');

  // Alice revokes bob's folder link: the file is re-encrypted, nothing to re-send.
  await goToSection(page, 'Links I created');
  const links = page.getByRole('table', { name: 'Links I created' });
  await links.getByRole('button', { name: `Revoke ${folder}`, exact: true }).click();
  await page.getByRole('button', { name: `Confirm revoke ${folder}` }).click();
  const status = page.getByRole('status').filter({ hasText: 'Revoked' });
  await status.waitFor({ timeout: 60_000 });
  await page.screenshot({ path: artifact('alice-revoked-folder.png'), fullPage: true });
  const said = await status.innerText();
  assert.match(said, /re-encrypted/);
  assert.doesNotMatch(said, /re-send|old key/, said);
  const rotated = await rawGet(planUrl, aliceToken);
  assert.ok(!keyOpens(oldKey, rotated.bytes), 'the file is under a new key');
  const newKey = await linkFileKey(carolLink, carolToken);
  assert.ok(keyOpens(newKey, rotated.bytes), "carol's link's keystore holds the new key");
  assert.equal((await rawGet(planUrl, bobToken)).status, 403, 'bob is out');

  // Carol's later visit: "Shared with me" opens the new version, and so does her
  // link, unchanged.
  await carol.goto(appUrl);
  await setOrUnlock(carol);
  await goToSection(carol, 'Shared with me');
  const received = carol.getByRole('region', { name: 'Shared with me' });
  await received.getByRole('link', { name: `Open ${plan.name}`, exact: true }).click();
  await carol.getByRole('heading', { name: `Shared file: ${plan.name}` }).waitFor({ timeout: 20_000 });
  await landedOnShared(carol);
  assert.equal(await downloaded(carol, carol.getByRole('button', { name: `Download ${plan.name}`, exact: true })), sha256(plan.buffer));
  await carol.goto(carolLink);
  await keepInDrive(carol);
  await carol.getByRole('heading', { name: /^Shared file/ }).waitFor({ timeout: 30_000 });
  await landedOnShared(carol);
  await carol.screenshot({ path: artifact('carol-after-revoke.png'), fullPage: true });
  assert.equal(await downloaded(carol, carol.getByRole('button', { name: /^Download/ })), sha256(plan.buffer), 'the link as sent still opens the file');
});
