// Live folders (issue 13), two contexts: alice has her shared read-write folder
// open; bob uploads into it through his link; alice's listing shows the file
// (its decrypted name) without a reload — within 3 s over the pod's
// notifications, and within the polling interval when the pod's notification
// service refuses her (routed to 403 here) — and she opens it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { deleteFile } from './drive-steps.mjs';
import { aliceAndBobInOneFolder, bobUploads } from './live-steps.mjs';

test('live folder: bob uploads into alice\'s open shared folder; her listing shows it within 3 s without a reload, with a quiet note, and drops it when bob deletes it', async (ctx) => {
  const { page, expectConsoleError } = ctx;
  // Looking for ACL documents that do not exist yet is how WAC works (as in share-2).
  expectConsoleError(/^Failed to load resource: the server responded with a status of (403|404) /);
  const folder = `live-${randomBytes(3).toString('hex')}`;
  const { bob, files, sockets } = await aliceAndBobInOneFolder(ctx, folder, false);
  assert.ok(sockets.some((url) => url.includes('/.notifications/WebSocketChannel2023/')), `alice's tab listens: ${sockets}`);
  const { file, took } = await bobUploads(page, bob, files, 3_000);
  console.log(`live: alice saw bob's upload ${took} ms after it finished (notifications)`);
  await page.getByRole('status').filter({ hasText: `${file.name} was added to ${folder}.` }).waitFor({ timeout: 3_000 });
  // Bob's own upload is no news to bob.
  assert.equal(await bob.getByRole('status').filter({ hasText: 'was added to' }).count(), 0);
  // Bob deletes it: alice's row goes by itself too.
  await deleteFile(bob, file.name);
  await files.getByText(file.name).waitFor({ state: 'detached', timeout: 3_000 });
  assert.equal(await page.evaluate(() => window.stillTheSamePage), true, 'alice never reloaded');
});

test('live folder: with notifications refused, alice\'s open folder is polled and shows bob\'s upload within the interval', async (ctx) => {
  const { page, expectConsoleError } = ctx;
  // The refused subscription, and ACL documents not there yet (as in share-2).
  expectConsoleError(/^Failed to load resource: the server responded with a status of (403|404) /);
  const folder = `polled-${randomBytes(3).toString('hex')}`;
  const { bob, files, sockets } = await aliceAndBobInOneFolder(ctx, folder, true);
  // Polled every 5 s; the listing and the keystore are read after that.
  const { took } = await bobUploads(page, bob, files, 8_000);
  console.log(`live: alice saw bob's upload ${took} ms after it finished (polling)`);
  assert.deepEqual(sockets, [], 'no socket was opened');
});
