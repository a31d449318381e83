// Shared steps of the live-folder e2e test and `scripts/bench live` (issue 13):
// alice with her shared read-write folder open, bob in it through his link, and
// bob's uploads timed until alice's listing shows them.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ALICE, logIn } from './login-steps.mjs';
import { download, setOrUnlock } from './drive-steps.mjs';
import { BOB, createLink, folderWithFiles, openLinkLoggingIn, sha256 } from './share-steps.mjs';

const textFile = (name, words) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(`${words}\n`.repeat(25)) });

/** The WebSocketChannel2023 subscription service (CSS's path). */
const isSubscription = (url) => new URL(url).pathname.endsWith('/.notifications/WebSocketChannel2023/');

/** Alice's folder `folder`, shared read-write and open in her tab; bob's tab
 * with the folder open through his link. Returns both pages, a count of
 * the sockets alice's tab opened and the file alice put there (`plan`).
 * `refuse`: the pod's subscription service answers alice 403 (routed), so her
 * tab must poll. */
export async function aliceAndBobInOneFolder({ page, newPage, appUrl, podUrl }, folder, refuse) {
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
  return { bob, files, sockets, plan };
}

/** Waits until `page`'s listing has a row naming `name`, checking every 50 ms:
 * a locator's wait checks every 500 ms once it has waited a moment, which would
 * round the times measured here up to the next half second. */
async function listed(page, name, timeout) {
  await page.waitForFunction(
    (n) => [...document.querySelectorAll('table[aria-label="Files"] tbody tr')].some((tr) => tr.textContent.includes(n)),
    name,
    { polling: 50, timeout },
  );
}

/** Bob uploads a file; returns it and how long alice's listing took to show it
 * after bob's own listing did (his upload finished). */
export async function bobUploads(page, bob, files, within, { open = true } = {}) {
  const file = { name: `from-bob-${randomBytes(4).toString('hex')}.txt`, mimeType: 'text/plain', buffer: randomBytes(2048) };
  await bob.getByLabel('Upload files').setInputFiles([file]);
  await listed(bob, file.name, 30_000);
  const finished = Date.now();
  await listed(page, file.name, within);
  const took = Date.now() - finished;
  await files.getByText(file.name).waitFor();
  assert.equal(await page.evaluate(() => window.stillTheSamePage), true, 'alice never reloaded');
  if (open) assert.equal(sha256((await download(page, file.name)).bytes), sha256(file.buffer), 'alice opens it');
  return { file, took };
}

