// A folder tree dropped on the drive, or picked with "Upload folder", arrives whole: every folder (an empty one
// too), every file byte-identical
// on download, one progress row for the drop, and none of the dropped names or
// paths on the pod in clear. The tree is deleted at the end (the pod is shared).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from './harness.mjs';
import { ALICE, podAuthorization } from './login-steps.mjs';
import { deleteFile, download, dropTree, filesFolder, onCiphertextPut, openDrive, podMembers } from './drive-steps.mjs';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const tag = () => randomBytes(4).toString('hex');

/** A tree of ten files over four levels under `top`, with `top/a/empty` empty. */
function treeUnder(top) {
  const file = (path, buffer, mimeType = 'application/octet-stream') => ({ path: `${top}/${path}`, buffer, mimeType });
  return {
    files: [
      file('readme.txt', Buffer.from(`top of ${top}\n`), 'text/plain'),
      file('a/one.bin', randomBytes(20 * 1024 + 3)),
      file('a/two.txt', Buffer.from('two\n'), 'text/plain'),
      file('a/b/three.bin', randomBytes(1024)),
      file('a/b/four.bin', randomBytes(70 * 1024)),
      file('a/b/c/five.txt', Buffer.from('five\n'), 'text/plain'),
      file('a/b/c/six.bin', randomBytes(5)),
      file('x/seven.bin', randomBytes(4096)),
      file('x/eight.bin', randomBytes(4096)),
      file('x/y/nine.bin', randomBytes(100)),
    ],
    empty: [`${top}/a/empty`],
  };
}

/** Every member of `folder` on the pod, recursively. */
async function podTree(folder, authorization) {
  const all = [];
  for (const member of await podMembers(folder, authorization)) {
    all.push(member);
    if (member.endsWith('/')) all.push(...await podTree(member, authorization));
  }
  return all;
}

/** Opens each folder of `tree` in the app, checks its listing, downloads and
 * compares every file, then deletes the whole tree and checks the pod is as before. */
async function checkTree(page, tree, top, { withEmpty, before, folder, authorization }) {
  const listing = page.getByRole('table', { name: 'Files' });
  const crumbs = page.getByRole('navigation', { name: 'Breadcrumbs' });
  const folders = new Set(tree.files.map((f) => dirname(f.path)));
  if (withEmpty) tree.empty.forEach((e) => folders.add(e));
  for (const dir of [...folders].sort()) {
    for (const name of dir.split('/')) await listing.getByRole('link', { name, exact: true }).click();
    const here = dir.split('/').pop();
    await crumbs.getByText(here, { exact: true }).waitFor();
    const expected = [
      ...tree.files.filter((f) => dirname(f.path) === dir).map((f) => f.path.split('/').pop()),
      ...[...folders].filter((d) => dirname(d) === dir).map((d) => d.split('/').pop()),
    ].sort();
    if (expected.length === 0) {
      await page.getByText('This folder is empty.').waitFor();
    } else {
      for (const name of expected) await listing.getByText(name, { exact: true }).waitFor({ timeout: 30_000 });
      assert.equal(await listing.locator('tbody tr').count(), expected.length, `${dir} holds ${expected.join(', ')}`);
    }
    for (const file of tree.files.filter((f) => dirname(f.path) === dir)) {
      const name = file.path.split('/').pop();
      const got = await download(page, name);
      assert.equal(sha256(got.bytes), sha256(file.buffer), `${file.path} comes back byte-identical`);
    }
    await crumbs.getByRole('link', { name: 'My files' }).click();
    await listing.getByRole('link', { name: top, exact: true }).waitFor();
  }
  const onPod = await podTree(folder, authorization);
  const names = [top, 'readme', 'one.bin', 'empty', 'seven', 'nine'];
  for (const url of onPod) for (const name of names) assert.ok(!url.includes(name), `${url} shows a dropped name in clear`);
  await deleteFile(page, top);
  assert.deepEqual(await podMembers(folder, authorization), before, 'the tree is gone from the pod');
}

test('a dropped folder tree arrives complete, empty folder included, and decrypts', async ({ page, appUrl, podUrl, artifact }) => {
  const top = `tree-${tag()}`;
  const tree = treeUnder(top);
  const authorization = await podAuthorization(podUrl, ALICE);
  const folder = filesFolder(podUrl, ALICE);
  await openDrive(page, appUrl, podUrl, ALICE);
  const before = await podMembers(folder, authorization);
  // Hold the files' PUTs until the drop's own row is seen.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const unroute = await onCiphertextPut(page, folder, async (route) => {
    await held;
    await route.continue();
  });
  await dropTree(page, tree.files, tree.empty);
  await page.getByRole('progressbar', { name: `Uploading folder ${top}` }).waitFor({ timeout: 30_000 });
  await page.screenshot({ path: artifact('folder-dropped.png'), fullPage: true });
  release();
  await page.getByRole('status').filter({ hasText: `Uploaded ${tree.files.length} files` }).waitFor({ timeout: 60_000 });
  await unroute();
  await checkTree(page, tree, top, { withEmpty: true, before, folder, authorization });
});

test('a folder picked with Upload folder arrives complete and decrypts', async ({ page, appUrl, podUrl }) => {
  const top = `picked-${tag()}`;
  const tree = treeUnder(top);
  const authorization = await podAuthorization(podUrl, ALICE);
  const folder = filesFolder(podUrl, ALICE);
  // The tree on disk, picked as a whole (the browser gives each file its path; an
  // empty folder has no file, so the picker does not report it).
  const disk = await mkdtemp(join(tmpdir(), 'solidcrypt-pick-'));
  try {
    for (const f of tree.files) {
      await mkdir(join(disk, dirname(f.path)), { recursive: true });
      await writeFile(join(disk, f.path), f.buffer);
    }
    await openDrive(page, appUrl, podUrl, ALICE);
    const before = await podMembers(folder, authorization);
    await page.getByLabel('Upload folder').setInputFiles(join(disk, top));
    await page.getByRole('status').filter({ hasText: `Uploaded ${tree.files.length} files` }).waitFor({ timeout: 60_000 });
    await checkTree(page, tree, top, { withEmpty: false, before, folder, authorization });
  } finally {
    await rm(disk, { recursive: true, force: true });
  }
});
