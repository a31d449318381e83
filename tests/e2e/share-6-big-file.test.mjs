// Sharing a big file, which the app stores in parts (docs/FORMAT.md §1.8): alice
// uploads 10 MiB, the pod holds a container of several `<gen>-<i>` parts; bob
// opens the link and downloads the same bytes (his accept reads only the start of
// part 0); carol gets 403 on every part; alice revokes: bob is out, the parts are
// one new generation whose key is not the link's.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { test } from './harness.mjs';
import { ALICE, logIn, podAuthorization } from './login-steps.mjs';
import { podMembers, setOrUnlock } from './drive-steps.mjs';
import { BOB, CAROL, createLink, goToSection, keyOpens, linkFields, linkFileKey, openLinkLoggingIn, rawGet, requestedPaths, sha256 } from './share-steps.mjs';

/** The parts of the file container at `url`, in index order, grouped by generation. */
async function partsOf(url, authorization) {
  const byGeneration = new Map();
  for (const member of await podMembers(url, authorization)) {
    const match = new URL(member).pathname.match(/\/([0-9a-f]{16})-(0|[1-9][0-9]*)$/);
    if (!match) continue;
    const list = byGeneration.get(match[1]) ?? [];
    list[Number(match[2])] = member;
    byGeneration.set(match[1], list);
  }
  return byGeneration;
}

test('share a file stored in parts: bob downloads it whole, carol reads no part, revoking rotates every part', async ({ page, newPage, appUrl, podUrl, artifact, expectConsoleError }) => {
  expectConsoleError(/^Failed to load resource: the server responded with a status of (403|404) /);
  const tag = randomBytes(4).toString('hex');
  const file = { name: `film-${tag}.bin`, mimeType: 'application/octet-stream', buffer: randomBytes(10 * 1024 * 1024 + 3) };

  await logIn(page, appUrl, podUrl, ALICE);
  await setOrUnlock(page);
  await page.getByLabel('Upload files').setInputFiles([file]);
  const files = page.getByRole('table', { name: 'Files' });
  await files.getByText(file.name).waitFor({ timeout: 60_000 });
  const fileUrl = await files.locator('tr', { hasText: file.name }).getAttribute('data-url');
  assert.ok(fileUrl.endsWith('/'), `a 10 MiB file is stored as a container of parts: ${fileUrl}`);
  requestedPaths.add(new URL(fileUrl).pathname);

  const aliceToken = await podAuthorization(podUrl, ALICE);
  const before = await partsOf(fileUrl, aliceToken);
  assert.equal(before.size, 1, 'one generation');
  const [oldParts] = before.values();
  assert.ok(oldParts.length >= 2 && oldParts.every(Boolean), `several parts, none missing: ${oldParts}`);

  const link = await createLink(page, file.name, 'Read only', artifact('alice-share-big.png'));
  const fields = linkFields(link);
  assert.equal(fields.get('res'), fileUrl);
  const oldKey = await linkFileKey(link, aliceToken);
  assert.ok(keyOpens(oldKey, (await rawGet(oldParts[0], aliceToken)).bytes), "the link's keystore holds the key of part 0");

  const bob = await newPage();
  await openLinkLoggingIn(bob, link, podUrl, BOB);
  await bob.getByRole('heading', { name: /^Shared file/ }).waitFor({ timeout: 30_000 });
  const [saved] = await Promise.all([
    bob.waitForEvent('download', { timeout: 60_000 }),
    bob.getByRole('button', { name: /^Download/ }).click(),
  ]);
  assert.equal(sha256(await readFile(await saved.path())), sha256(file.buffer), 'bob gets the decrypted bytes');

  const bobToken = await podAuthorization(podUrl, BOB);
  const carolToken = await podAuthorization(podUrl, CAROL);
  for (const part of oldParts) {
    assert.equal((await rawGet(part, bobToken)).status, 200, 'bob reads every part');
    assert.equal((await rawGet(part, carolToken)).status, 403, 'carol reads no part');
  }

  await goToSection(page, 'Links I created');
  const links = page.getByRole('table', { name: 'Links I created' });
  await links.getByRole('button', { name: `Revoke ${file.name}`, exact: true }).click();
  await page.getByRole('button', { name: `Confirm revoke ${file.name}` }).click();
  await page.getByRole('status').filter({ hasText: 'Revoked' }).waitFor({ timeout: 120_000 });

  const after = await partsOf(fileUrl, aliceToken);
  assert.equal(after.size, 1, 'the old generation is deleted');
  const [newParts] = after.values();
  assert.notDeepEqual(newParts, oldParts);
  assert.ok(newParts.every(Boolean), 'no part missing');
  const newPart0 = await rawGet(newParts[0], aliceToken);
  assert.ok(!keyOpens(oldKey, newPart0.bytes), "the link's key does not open the new parts");
  for (const part of newParts) assert.equal((await rawGet(part, bobToken)).status, 403, 'bob is out');

  // Alice still downloads her file intact.
  await goToSection(page, 'My files');
  const [mine] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    files.getByRole('button', { name: `Download ${file.name}`, exact: true }).click(),
  ]);
  assert.equal(sha256(await readFile(await mine.path())), sha256(file.buffer), 'alice decrypts the rotated file');
});
