// Sharing a folder by link, read-write, through the UI: bob opens the link (logging
// in through it), decrypts what is there, uploads a file into alice's folder; alice
// sees and decrypts it; alice adds a file; bob, on a later visit, finds the folder
// under "Shared with me" and decrypts alice's new file.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE, logIn } from './login-steps.mjs';
import { download, setOrUnlock } from './drive-steps.mjs';
import { BOB, NOT_THERE_YET, createLink, folderWithFiles, failedRequests, goToSection, linkFields, openLinkLoggingIn, sha256 } from './share-steps.mjs';

const textFile = (name, words) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(`${words}\n`.repeat(25)) });

test('share a folder read-write: bob uploads into it and alice decrypts it; alice adds a file and bob decrypts it', async ({ page, newPage, appUrl, podUrl, artifact, expectConsoleError }) => {
  // Looking for ACL documents that do not exist yet is how WAC works, and bob's unlock
  // asks once for the keystore of each share revoked in an earlier test (both are
  // checked request by request below, against NOT_THERE_YET).
  expectConsoleError(/^Failed to load resource: the server responded with a status of (403|404) /);
  const aliceFailed = failedRequests(page);
  const tag = randomBytes(4).toString('hex');
  const folder = `team-${tag}`;
  const plan = textFile(`plan-${tag}.txt`, `The plan, by alice ${tag}`);
  const fromBob = { name: `from-bob-${tag}.bin`, mimeType: 'application/octet-stream', buffer: randomBytes(300 * 1024 + 5) };
  const fromAlice = textFile(`reply-${tag}.txt`, `Thanks bob, from alice ${tag}`);

  await logIn(page, appUrl, podUrl, ALICE);
  await setOrUnlock(page);
  await folderWithFiles(page, folder, [plan]);
  const files = page.getByRole('table', { name: 'Files' });

  const link = await createLink(page, folder, 'Read and write');
  const fields = linkFields(link);
  assert.equal(fields.get('kind'), 'folder');
  assert.equal(fields.get('mode'), 'write');
  assert.ok(fields.get('res').endsWith('/') && fields.get('ks') && fields.get('kskey'));

  const bob = await newPage();
  const bobFailed = failedRequests(bob);
  await openLinkLoggingIn(bob, link, podUrl, BOB);
  await bob.getByRole('heading', { name: `Shared folder: ${folder}` }).waitFor({ timeout: 30_000 });
  const bobFiles = bob.getByRole('table', { name: 'Files' });
  await bobFiles.getByText(plan.name).waitFor({ timeout: 30_000 });
  assert.equal(sha256((await download(bob, plan.name)).bytes), sha256(plan.buffer), 'bob decrypts what alice shared');
  await bob.getByLabel('Upload files').setInputFiles([fromBob]);
  await bobFiles.getByText(fromBob.name).waitFor({ timeout: 30_000 });
  await bob.screenshot({ path: artifact('bob-uploaded.png'), fullPage: true });

  // Alice sees bob's file in her folder and decrypts it.
  await files.getByRole('link', { name: folder, exact: true }).click();
  await files.getByText(fromBob.name).waitFor({ timeout: 30_000 });
  assert.equal(sha256((await download(page, fromBob.name)).bytes), sha256(fromBob.buffer), 'alice decrypts what bob wrote');
  await page.getByLabel('Upload files').setInputFiles([fromAlice]);
  await files.getByText(fromAlice.name).waitFor({ timeout: 30_000 });

  // Bob's later visit: the folder is under "Shared with me"; alice's new file opens.
  await bob.goto(appUrl);
  await setOrUnlock(bob);
  await goToSection(bob, 'Shared with me');
  const shared = bob.getByRole('region', { name: 'Shared with me' });
  await shared.getByRole('link', { name: `Open ${folder}`, exact: true }).click();
  await bob.getByRole('heading', { name: `Shared folder: ${folder}` }).waitFor({ timeout: 20_000 });
  await bob.getByRole('table', { name: 'Files' }).getByText(fromAlice.name).waitFor({ timeout: 30_000 });
  assert.equal(sha256((await download(bob, fromAlice.name)).bytes), sha256(fromAlice.buffer), 'bob decrypts what alice added later');
  for (const failure of [...aliceFailed, ...bobFailed]) assert.match(failure, NOT_THERE_YET);
});
