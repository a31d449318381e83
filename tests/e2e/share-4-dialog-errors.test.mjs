// The Share dialog when the pod fails: a clear message, no link shown, nothing to
// clean up by hand, and creating the link again works.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE, logIn } from './login-steps.mjs';
import { setOrUnlock } from './drive-steps.mjs';
import { goToSection, linkFields } from './share-steps.mjs';

test('creating a share link the pod refuses: a clear message in the Share dialog, and trying again works', async ({ page, appUrl, podUrl, expectConsoleError }) => {
  expectConsoleError(/^Failed to load resource: the server responded with a status of (503|404) /);
  const tag = randomBytes(4).toString('hex');
  const file = { name: `refused-${tag}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`not yet ${tag}`) };
  await logIn(page, appUrl, podUrl, ALICE);
  await setOrUnlock(page);
  await page.getByLabel('Upload files').setInputFiles([file]);
  await page.getByRole('table', { name: 'Files' }).getByText(file.name).waitFor({ timeout: 30_000 });

  // The pod fails to create the link's group.
  const groupPut = /\/groups\/group-[0-9a-f]+\.ttl$/;
  let refused = 0;
  await page.route(groupPut, (route) => {
    if (route.request().method() !== 'PUT') return route.continue();
    refused++;
    return route.fulfill({ status: 503, body: 'try later' });
  });
  await page.getByRole('button', { name: `Share ${file.name}`, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Share ${file.name}` });
  await dialog.getByRole('button', { name: 'Create link' }).click();
  const alert = dialog.getByRole('alert');
  await alert.waitFor({ timeout: 30_000 });
  assert.match(await alert.innerText(), /^Cannot create the link: .*the pod had a problem answering: try again in a moment\.$/);
  assert.ok(refused > 0, 'the group PUT was refused');
  assert.equal(await dialog.getByLabel('Share link').count(), 0, 'no link is shown');

  // The pod is back: the same dialog creates the link.
  await page.unroute(groupPut);
  await dialog.getByRole('button', { name: 'Create link' }).click();
  const link = await dialog.getByLabel('Share link').inputValue({ timeout: 30_000 });
  assert.equal(linkFields(link).get('mode'), 'read');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await goToSection(page, 'Links I created');
  await page.getByRole('table', { name: 'Links I created' }).getByRole('button', { name: `Revoke ${file.name}`, exact: true }).waitFor();
});
