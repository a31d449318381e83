// A pod with Access Control Policies instead of WAC (Community Solid Server with
// @css:config/file-acp.json; scripts/test starts one as E2E_ACP_POD_URL): alice logs
// in through the app, sets up her drive, uploads and downloads a file, has her key
// checked and her drive registered in her private type index, and is told plainly — before anything is written — that a share link
// cannot be made on this pod.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE, ownFingerprint, podAuthorization } from './login-steps.mjs';
import { download, openDrive } from './drive-steps.mjs';

test('on an ACP pod: login, drive, upload and download, identity key; a share link is refused before any write', async ({ page, appUrl }) => {
  const acpPod = process.env.E2E_ACP_POD_URL;
  assert.ok(acpPod, 'E2E_ACP_POD_URL must name the ACP pod (scripts/test starts one)');
  await openDrive(page, appUrl, acpPod, ALICE);
  const tag = randomBytes(4).toString('hex');
  const file = { name: `acp-${tag}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`on ACP ${tag}`) };
  await page.getByLabel('Upload files').setInputFiles([file]);
  await page.getByRole('table', { name: 'Files' }).getByText(file.name).waitFor({ timeout: 30_000 });
  assert.deepEqual((await download(page, file.name)).bytes, file.buffer, 'the file comes back');
  assert.match(await ownFingerprint(page), /^[0-9a-f]{4}( [0-9a-f]{4})+$/, 'the identity key is ready');
  // Then the app registers the drive in her private type index (FORMAT §11).
  const authorization = await podAuthorization(acpPod, ALICE);
  const index = `${acpPod}alice/settings/privateTypeIndex.ttl`;
  const registered = async () => {
    const response = await fetch(index, { headers: { authorization, accept: 'text/turtle' } });
    return response.ok && (await response.text()).includes('urn:solidcrypt:Drive');
  };
  for (let tries = 0; !(await registered()); tries++) {
    assert.ok(tries < 60, `the drive is registered in ${index}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.equal((await fetch(index)).status, 401, 'the type index is not public');

  const writes = [];
  page.on('request', (request) => {
    if (request.url().startsWith(acpPod) && !['GET', 'HEAD', 'OPTIONS'].includes(request.method())) {
      writes.push(`${request.method()} ${new URL(request.url()).pathname}`);
    }
  });
  await page.getByRole('button', { name: `Share ${file.name}`, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Share ${file.name}` });
  await dialog.getByRole('button', { name: 'Create link' }).click();
  const alert = dialog.getByRole('alert');
  await alert.waitFor({ timeout: 30_000 });
  assert.match(await alert.innerText(), /Access Control Policies \(ACP\).*nothing was changed/);
  assert.equal(await dialog.getByLabel('Share link').count(), 0, 'no link is shown');
  assert.deepEqual(writes, [], 'nothing written for the refused link');
});
