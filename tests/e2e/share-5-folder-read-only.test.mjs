// Sharing a folder read-only, through the UI: carol opens the link and decrypts
// what is there, but the shared folder offers her no way to change it (no upload,
// new folder, new text file, edit or delete), and a drop onto it says why.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE, logIn } from './login-steps.mjs';
import { download, dropFiles, setOrUnlock } from './drive-steps.mjs';
import { CAROL, NOT_THERE_YET, createLink, folderWithFiles, failedRequests, linkFields, openLinkLoggingIn, sha256 } from './share-steps.mjs';

test('share a folder read-only: carol reads it, and the folder offers her no upload, edit or delete', async ({ page, newPage, appUrl, podUrl, expectConsoleError }) => {
  // Looking for ACL documents that do not exist yet is how WAC works (checked below).
  expectConsoleError(/^Failed to load resource: the server responded with a status of 404 /);
  const aliceFailed = failedRequests(page);
  const tag = randomBytes(4).toString('hex');
  const folder = `notes-${tag}`;
  const note = { name: `note-${tag}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`read me, ${tag}\n`) };

  await logIn(page, appUrl, podUrl, ALICE);
  await setOrUnlock(page);
  await folderWithFiles(page, folder, [note]);

  const link = await createLink(page, folder, 'Read only');
  assert.equal(linkFields(link).get('mode'), 'read');

  const carol = await newPage();
  const carolFailed = failedRequests(carol);
  await openLinkLoggingIn(carol, link, podUrl, CAROL);
  await carol.getByRole('heading', { name: `Shared folder: ${folder}` }).waitFor({ timeout: 30_000 });
  const carolFiles = carol.getByRole('table', { name: 'Files' });
  await carolFiles.getByText(note.name).waitFor({ timeout: 30_000 });
  assert.equal(sha256((await download(carol, note.name)).bytes), sha256(note.buffer), 'carol decrypts what alice shared');

  for (const control of ['Upload files', 'Folder name']) {
    assert.equal(await carol.getByLabel(control).count(), 0, `no "${control}" in a read-only share`);
  }
  for (const button of ['New text file', `Edit ${note.name}`, `Delete ${note.name}`]) {
    assert.equal(await carol.getByRole('button', { name: button }).count(), 0, `no "${button}" in a read-only share`);
  }
  await dropFiles(carol, [{ name: `dropped-${tag}.txt`, mimeType: 'text/plain', buffer: Buffer.from('no') }]);
  await carol.getByText('This folder was shared read-only: you cannot add files to it.').waitFor();
  assert.equal(await carolFiles.getByText(`dropped-${tag}.txt`).count(), 0, 'nothing was added');
  for (const failure of [...aliceFailed, ...carolFailed]) assert.match(failure, NOT_THERE_YET);
});
