// Password links and QR codes (issue 16 items 4 and 5): alice shares a file with
// "Require a password"; the link carries its keystore key only under the password
// (`pw`, no `kskey`, FORMAT.md §5.4) and its QR code, in the dialog and under
// "Links I created", decodes to exactly the link. Bob opens it, logs in, and is
// asked for the "Link password": a wrong one says "Wrong password for this link."
// with no request to the pod meanwhile; the right one leads to the usual landing,
// and Open shows the file.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE, logIn } from './login-steps.mjs';
import { download, setOrUnlock } from './drive-steps.mjs';
import { BOB, createLink, goToSection, openLinkLoggingIn, podRequests, readQr, sha256, unlockLink } from './share-steps.mjs';

test('a password link opens with the right password only, and its QR code holds it', async ({ page, newPage, appUrl, podUrl, artifact, expectConsoleError }) => {
  // WAC's missing ACL documents, and bob's storage search for a drive he may lack.
  expectConsoleError(/^Failed to load resource: the server responded with a status of 404 /);
  const tag = randomBytes(4).toString('hex');
  const password = `tulip-${tag}`;
  const file = { name: `secret-${tag}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`for bob only ${tag}\n`.repeat(10)) };

  await logIn(page, appUrl, podUrl, ALICE);
  await setOrUnlock(page);
  await page.getByLabel('Upload files').setInputFiles([file]);
  await page.getByRole('table', { name: 'Files' }).getByText(file.name).waitFor({ timeout: 30_000 });
  const link = await createLink(page, file.name, 'Read only', artifact('dialog-password-qr.png'), { password });
  assert.ok(!link.includes(password), 'the password is not in the link');

  // "Links I created" says it needs a password, and its QR code is the same link.
  await goToSection(page, 'Links I created');
  const row = page.getByRole('table', { name: 'Links I created' }).getByRole('row').filter({ hasText: file.name });
  await row.waitFor({ timeout: 30_000 });
  assert.match(await row.innerText(), /Read only, needs a password/);
  await row.getByRole('button', { name: `Show QR code of the link to ${file.name}` }).click();
  assert.equal(await readQr(row), link, 'the listed QR code holds the link as sent');
  await page.screenshot({ path: artifact('links-created-qr.png'), fullPage: true });

  // Bob: log in through the link, then its password, wrong then right.
  const bob = await newPage();
  const requests = podRequests(bob, podUrl);
  await openLinkLoggingIn(bob, link, podUrl, BOB, { keep: false });
  await unlockLink(bob, podUrl, requests, `${password}x`, password);
  await bob.screenshot({ path: artifact('bob-unlocked-landing.png'), fullPage: true });
  const offer = bob.getByRole('region', { name: 'Shared link' });
  await offer.getByRole('button', { name: 'Open', exact: true }).click();
  await bob.getByRole('heading', { name: `Shared file: ${file.name}` }).waitFor({ timeout: 30_000 });
  assert.equal(sha256((await download(bob, file.name)).bytes), sha256(file.buffer), 'bob decrypts the file');
});
