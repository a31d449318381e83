// The app served by scripts/run, open in headless Chromium while files under the
// data folder change as they do in use (the pod writes its data, Trunk and the pod
// write their logs): the page must never reload (Trunk's live reload fires on every
// rebuild, and it once rebuilt every ~3 s from its own log). On the way it logs alice
// in, sets her master password and unlocks after a reload, and prints how long each
// took in this build (a figure, not a timed test: the machine is shared).
//   node tests/run_script/page_stays.mjs APP_URL POD_URL DATA_DIR
// Exits 1 if the page reloaded or anything failed.
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { logIn, ALICE } from '../e2e/login-steps.mjs';
import { MASTER } from '../e2e/drive-steps.mjs';

const [appUrl, podUrl, data] = process.argv.slice(2);
const WATCH_SECONDS = 30;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
    '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let status = 0;
try {
  const page = await browser.newPage();
  page.on('pageerror', (err) => { console.log(`uncaught exception: ${err.message}`); status = 1; });
  await logIn(page, appUrl, podUrl, ALICE);

  const seconds = async (what, act, done) => {
    const start = Date.now();
    await act();
    await done.waitFor({ timeout: 60_000 });
    const s = (Date.now() - start) / 1000;
    console.log(`${what}: ${s.toFixed(2)} s (release build measured ~1.4 s to unlock)`);
  };
  await page.getByRole('heading', { name: 'Set a master password' }).waitFor({ timeout: 20_000 });
  await page.getByLabel('Master password', { exact: true }).fill(MASTER);
  await page.getByLabel('Confirm master password').fill(MASTER);
  await seconds('set master password', () => page.getByRole('button', { name: 'Set master password' }).click(),
    page.getByLabel('Upload files'));
  await page.reload();
  await page.getByLabel('Master password', { exact: true }).fill(MASTER, { timeout: 20_000 });
  await seconds('unlock', () => page.getByRole('button', { name: 'Unlock' }).click(), page.getByLabel('Upload files'));

  // From here the page must stay the same document: count main-frame navigations
  // and keep a marker in the window that a reload would lose.
  let navigations = 0;
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) navigations += 1; });
  await page.evaluate(() => { window.__stillHere = true; });
  for (let i = 0; i < WATCH_SECONDS; i += 1) {
    await appendFile(join(data, 'trunk.log'), `a line a log would have ${i}\n`);
    await writeFile(join(data, 'pod', `touched-${i % 3}.txt`), `${i}`);
    await page.waitForTimeout(1000);
  }
  const stillHere = await page.evaluate(() => window.__stillHere === true);
  console.log(`after ${WATCH_SECONDS} s: ${navigations} navigation(s), same document: ${stillHere}`);
  if (navigations !== 0 || !stillHere) status = 1;
  // And what the user sees: still the unlocked drive, not the login screen.
  await page.getByLabel('Upload files').waitFor({ timeout: 1000 });
} catch (err) {
  console.log(`failed: ${err.stack || err}`);
  status = 1;
} finally {
  await browser.close();
}
process.exit(status);
