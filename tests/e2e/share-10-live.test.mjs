// Live folders (issue 13), two contexts: alice has her shared read-write folder
// open; bob uploads into it through his link; alice's listing shows the file
// (its decrypted name) without a reload — within 3 s over the pod's
// notifications, and within the polling interval when the pod's notification
// service refuses her (routed to 403 here) — and she opens it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE, logIn } from './login-steps.mjs';
import { download, setOrUnlock } from './drive-steps.mjs';
import { BOB, createLink, folderWithFiles, openLinkLoggingIn, sha256 } from './share-steps.mjs';

const textFile = (name, words) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(`${words}\n`.repeat(25)) });

/** The WebSocketChannel2023 subscription service (CSS's path). */
const isSubscription = (url) => new URL(url).pathname.endsWith('/.notifications/WebSocketChannel2023/');

/** Alice's folder `folder`, shared read-write and open in her tab; bob's tab
 * with the folder open through his link. Returns both pages and a count of
 * the sockets alice's tab opened. */
async function aliceAndBobInOneFolder({ page, newPage, appUrl, podUrl }, folder, refuse) {
  const sockets = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  if (refuse) {
    await page.route(isSubscription, (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      return route.fulfill({
        status: 403,
        headers: { 'access-control-allow-origin': new URL(appUrl).origin, 'access-control-allow-credentials': 'true' },
        body: '',
      });
    });
  }
  const tag = randomBytes(4).toString('hex');
  const plan = textFile(`plan-${tag}.txt`, `The plan ${tag}`);
  await logIn(page, appUrl, podUrl, ALICE);
  await setOrUnlock(page);
  await folderWithFiles(page, folder, [plan]);
  const link = await createLink(page, folder, 'Read and write');
  const files = page.getByRole('table', { name: 'Files' });
  await files.getByRole('link', { name: folder, exact: true }).click();
  await files.getByText(plan.name).waitFor({ timeout: 30_000 });
  // A reload would drop this mark.
  await page.evaluate(() => { window.stillTheSamePage = true; });

  const bob = await newPage();
  await openLinkLoggingIn(bob, link, podUrl, BOB);
  await bob.getByRole('heading', { name: `Shared folder: ${folder}` }).waitFor({ timeout: 30_000 });
  await bob.getByRole('table', { name: 'Files' }).getByText(plan.name).waitFor({ timeout: 30_000 });
  return { bob, files, sockets };
}

/** Bob uploads a file; returns it and how long alice's listing took to show it
 * after bob's own listing did (his upload finished). */
async function bobUploads(page, bob, files, within) {
  const file = { name: `from-bob-${randomBytes(4).toString('hex')}.txt`, mimeType: 'text/plain', buffer: randomBytes(2048) };
  await bob.getByLabel('Upload files').setInputFiles([file]);
  await bob.getByRole('table', { name: 'Files' }).getByText(file.name).waitFor({ timeout: 30_000 });
  const finished = Date.now();
  await files.getByText(file.name).waitFor({ timeout: within });
  const took = Date.now() - finished;
  assert.equal(await page.evaluate(() => window.stillTheSamePage), true, 'alice never reloaded');
  assert.equal(sha256((await download(page, file.name)).bytes), sha256(file.buffer), 'alice opens it');
  return { file, took };
}

test('live folder: bob uploads into alice\'s open shared folder; her listing shows it within 3 s without a reload, with a quiet note', async (ctx) => {
  const { page } = ctx;
  const folder = `live-${randomBytes(3).toString('hex')}`;
  const { bob, files, sockets } = await aliceAndBobInOneFolder(ctx, folder, false);
  assert.ok(sockets.some((url) => url.includes('/.notifications/WebSocketChannel2023/')), `alice's tab listens: ${sockets}`);
  const { file, took } = await bobUploads(page, bob, files, 3_000);
  console.log(`live: alice saw bob's upload ${took} ms after it finished (notifications)`);
  await page.getByRole('status').filter({ hasText: `${file.name} was added to ${folder}.` }).waitFor({ timeout: 3_000 });
  // Bob's own upload is no news to bob.
  assert.equal(await bob.getByRole('status').filter({ hasText: 'was added to' }).count(), 0);
});

test('live folder: with notifications refused, alice\'s open folder is polled and shows bob\'s upload within the interval', async (ctx) => {
  const { page, expectConsoleError } = ctx;
  expectConsoleError(/^Failed to load resource: the server responded with a status of 403 /);
  const folder = `polled-${randomBytes(3).toString('hex')}`;
  const { bob, files, sockets } = await aliceAndBobInOneFolder(ctx, folder, true);
  // Polled every 5 s; the listing and the keystore are read after that.
  const { took } = await bobUploads(page, bob, files, 8_000);
  console.log(`live: alice saw bob's upload ${took} ms after it finished (polling)`);
  assert.deepEqual(sockets, [], 'no socket was opened');
});
