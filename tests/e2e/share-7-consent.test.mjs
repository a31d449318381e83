// Opening a link asks first (issue 11, items 2 and 6; issue 17, item 6): bob opens
// alice's folder link logged out; the address bar loses the link's key as soon as
// the page read it, before and after the login. Logged in, before any password,
// the page says what the link is (a folder, read and write, on alice's pod, shared
// by its owner) and waits. Decline joins and writes nothing: the group document
// is unchanged and the pod never saw a PATCH to it. Opening the link again and
// keeping it in the drive then works.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { test } from './harness.mjs';
import { ALICE, logIn } from './login-steps.mjs';
import { setOrUnlock } from './drive-steps.mjs';
import { BOB, assertNoLinkInAddress, createLink, folderWithFiles, linkFields, openLinkLoggingIn, rawGet, keepInDrive } from './share-steps.mjs';

/** Lines of the pod's request log that PATCH `path` (none if there is no log). */
async function patchesOf(path) {
  const log = process.env.E2E_POD_LOG;
  if (!log) return null;
  return (await readFile(log, 'utf8')).split('\n').filter((line) => line.includes(`PATCH request for ${path}`));
}

test('opening a link shows what it is and waits: Decline writes nothing, the key leaves the address bar, keeping it then works', async ({ page, newPage, appUrl, podUrl, artifact, expectConsoleError }) => {
  expectConsoleError(/^Failed to load resource: the server responded with a status of 404 /);
  // Bob's unlock asks once for the keystore of each share revoked in an earlier test.
  expectConsoleError(/^Failed to load resource: the server responded with a status of 403 /);
  const tag = randomBytes(4).toString('hex');
  const folder = `asked-${tag}`;
  const note = { name: `note-${tag}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`ask first ${tag}\n`) };

  await logIn(page, appUrl, podUrl, ALICE);
  await setOrUnlock(page);
  await folderWithFiles(page, folder, [note]);
  const link = await createLink(page, folder, 'Read and write');
  const group = linkFields(link).get('group');
  const groupBefore = await rawGet(group);
  assert.equal(groupBefore.status, 200, 'the group document is public');

  const bob = await newPage();
  await openLinkLoggingIn(bob, link, podUrl, BOB, { keep: false });
  const offer = bob.getByRole('region', { name: 'Shared link' });
  await offer.getByRole('heading', { name: 'Someone shared a folder with you' }).waitFor({ timeout: 30_000 });
  const shown = await offer.innerText();
  assert.match(shown, /What\s+A folder/);
  assert.match(shown, /Access\s+Read and write/);
  assert.ok(shown.includes(`Pod\n${podUrl}${ALICE.name}/`) || shown.includes(`${podUrl}${ALICE.name}/`), shown);
  assert.match(shown, /Shared by\s+\S/);
  assert.match(shown, /Name\s+shown once you open it/);
  for (const button of ['Open', 'Keep it in my drive', 'Decline']) {
    assert.ok(await offer.getByRole('button', { name: button, exact: true }).isVisible(), button);
  }
  assert.equal(await bob.getByLabel('Master password', { exact: true }).count(), 0, 'no password asked yet');
  assertNoLinkInAddress(bob);
  await bob.screenshot({ path: artifact('bob-consent.png'), fullPage: true });

  await offer.getByRole('button', { name: 'Decline', exact: true }).click();
  await bob.getByRole('heading', { name: 'Link declined' }).waitFor({ timeout: 10_000 });
  const groupAfter = await rawGet(group);
  assert.equal(groupAfter.bytes.toString(), groupBefore.bytes.toString(), 'the group is unchanged');
  assert.ok(!groupAfter.bytes.toString().includes(`${BOB.name}/profile/card#me`), 'bob is not in the group');
  const patches = await patchesOf(new URL(group).pathname);
  if (patches) assert.deepEqual(patches, [], 'no PATCH reached the group');
  assert.equal(await bob.getByRole('table', { name: 'Files' }).count(), 0, 'nothing opened');

  // Opened again and kept in his drive: bob is in, and sees the folder.
  await bob.goto(link);
  await keepInDrive(bob);
  await bob.getByRole('heading', { name: `Shared folder: ${folder}` }).waitFor({ timeout: 30_000 });
  assertNoLinkInAddress(bob);
  await bob.getByRole('table', { name: 'Files' }).getByText(note.name).waitFor({ timeout: 30_000 });
  assert.ok((await rawGet(group)).bytes.toString().includes(`${BOB.name}/profile/card#me`), 'accepted, bob joined');
  if (patches) assert.equal((await patchesOf(new URL(group).pathname)).length, 1, 'one PATCH, after Keep it in my drive');
});
