// Uploading as a user meets it: several files dropped at once (a progress row each,
// all listed, all byte-identical on download), a big upload cancelled midway (row
// gone, nothing listed, no ciphertext left on the pod), the pod answering 503 or
// dropping the connection (a clear toast, Retry on the row, Retry works, nothing
// orphaned, also when a part fails while later ones are under way), and two tabs uploading at once (both keys survive).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from './harness.mjs';
import { ALICE, podAuthorization } from './login-steps.mjs';
import { download, dropFiles, filesFolder, onCiphertextPut, openDrive, podMembers, setOrUnlock } from './drive-steps.mjs';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const tag = () => randomBytes(4).toString('hex');

test('several files dropped at once each get a progress row, are listed and download intact', async ({ page, appUrl, podUrl, artifact }) => {
  const t = tag();
  const files = [
    { name: `drop-a-${t}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`first dropped file ${t}\n`) },
    { name: `drop-b-${t}.bin`, mimeType: 'application/octet-stream', buffer: randomBytes(300 * 1024 + 5) },
    { name: `drop-c-${t}.json`, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ t })) },
  ];
  await openDrive(page, appUrl, podUrl, ALICE);
  // Hold the ciphertext PUTs until every row has been seen, so the check does not
  // race small uploads that finish in milliseconds.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const unroute = await onCiphertextPut(page, filesFolder(podUrl, ALICE), async (route) => {
    await held;
    await route.continue();
  });
  await dropFiles(page, files);
  for (const file of files) {
    await page.getByRole('progressbar', { name: `Uploading ${file.name}` }).waitFor();
  }
  await page.screenshot({ path: artifact('dropped.png'), fullPage: true });
  release();
  const listing = page.getByRole('table', { name: 'Files' });
  for (const file of files) await listing.getByText(file.name, { exact: true }).waitFor({ timeout: 30_000 });
  await page.getByRole('list', { name: 'Uploads' }).getByRole('listitem').first().waitFor({ state: 'detached' });
  await unroute();
  for (const file of files) {
    const got = await download(page, file.name);
    assert.equal(got.filename, file.name);
    assert.equal(sha256(got.bytes), sha256(file.buffer), `${file.name} comes back byte-identical`);
  }
});

test('a big upload cancelled midway leaves no row, no listing entry and no ciphertext on the pod', async ({ page, appUrl, podUrl, expectConsoleError }) => {
  // The check that no ciphertext arrived (before the unused key is dropped) is a 404.
  expectConsoleError(/^Failed to load resource: the server responded with a status of 404 /);
  const dir = await mkdtemp(join(tmpdir(), 'solidcrypt-e2e-'));
  try {
    const name = `cancel-${tag()}.bin`;
    const path = join(dir, name);
    await writeFile(path, randomBytes(40 * 1024 * 1024));
    const authorization = await podAuthorization(podUrl, ALICE);
    const folder = filesFolder(podUrl, ALICE);
    await openDrive(page, appUrl, podUrl, ALICE);
    const before = await podMembers(folder, authorization);
    // It goes up in parts: the first is stored (so the pod has ciphertext that the
    // cancel must clean up), later ones wait for the click, so Cancel always lands
    // before the pod has the whole file.
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    let parts = 0;
    const unroute = await onCiphertextPut(page, folder, async (route) => {
      if (++parts > 1) await held;
      await route.continue();
    });
    await page.getByLabel('Upload files').setInputFiles(path);
    const bar = page.getByRole('progressbar', { name: `Uploading ${name}` });
    await page.waitForFunction((el) => Number(el.value) > 0, await bar.elementHandle(), { timeout: 60_000 });
    const midway = Number(await bar.getAttribute('value'));
    await page.getByRole('button', { name: `Cancel upload of ${name}` }).click();
    release();
    const row = page.getByRole('list', { name: 'Uploads' }).getByRole('listitem').filter({ hasText: name });
    await row.waitFor({ state: 'detached', timeout: 60_000 });
    assert.ok(midway > 0 && midway < 1, `cancelled midway (progress ${midway})`);
    assert.ok(parts >= 1, `part 0 was stored before the cancel (${parts} part PUTs)`);
    assert.equal(await page.getByRole('table', { name: 'Files' }).getByText(name).count(), 0);
    assert.equal(await page.getByRole('alert').count(), 0, 'cancelling is not an error');
    assert.deepEqual(await podMembers(folder, authorization), before, 'nothing new on the pod');
    await unroute();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('Cancel pressed while the ciphertext is being PUT takes the file back', async ({ page, appUrl, podUrl }) => {
  const file = { name: `late-cancel-${tag()}.bin`, mimeType: 'application/octet-stream', buffer: randomBytes(64 * 1024) };
  const authorization = await podAuthorization(podUrl, ALICE);
  const folder = filesFolder(podUrl, ALICE);
  await openDrive(page, appUrl, podUrl, ALICE);
  const before = await podMembers(folder, authorization);
  let release;
  let putSeen;
  const held = new Promise((resolve) => { release = resolve; });
  const seen = new Promise((resolve) => { putSeen = resolve; });
  const unroute = await onCiphertextPut(page, folder, async (route) => {
    putSeen();
    await held;
    await route.continue();
  });
  await page.getByLabel('Upload files').setInputFiles(file);
  await seen;
  await page.getByRole('button', { name: `Cancel upload of ${file.name}` }).click();
  const row = page.getByRole('list', { name: 'Uploads' }).getByRole('listitem').filter({ hasText: file.name });
  await row.getByRole('status').filter({ hasText: 'Cancelling…' }).waitFor();
  release();
  await row.waitFor({ state: 'detached', timeout: 30_000 });
  assert.equal(await page.getByRole('alert').count(), 0, 'cancelling is not an error');
  assert.deepEqual(await podMembers(folder, authorization), before, 'the stored ciphertext was deleted');
  await page.reload();
  await setOrUnlock(page);
  await page.getByRole('table', { name: 'Files' }).or(page.getByText('This folder is empty.')).waitFor({ timeout: 20_000 });
  assert.equal(await page.getByText(file.name).count(), 0, 'not listed after a reload either');
  await unroute();
});

for (const [failure, answer, expected, logged] of [
  ['answers 503', (route) => route.fulfill({ status: 503, body: 'busy' }),
    /Upload of .* failed: the pod did not accept the file: the pod had a problem answering: try again in a moment/,
    /^Failed to load resource: the server responded with a status of 503 /],
  ['drops the connection', (route) => route.abort('connectionreset'),
    /Upload of .* failed: the pod did not accept the file: .*(network|fetch)/i,
    /^Failed to load resource: net::ERR_CONNECTION_RESET$/],
]) {
  test(`when the pod ${failure} during an upload: a clear toast, Retry works, nothing orphaned`, async ({ page, appUrl, podUrl, artifact, expectConsoleError }) => {
    // Chromium logs the failed PUT itself, and the 404 of the check that no
    // ciphertext arrived (after which the unused key is dropped).
    expectConsoleError(logged);
    expectConsoleError(/^Failed to load resource: the server responded with a status of 404 /);
    const file = { name: `retry-${tag()}.bin`, mimeType: 'application/octet-stream', buffer: randomBytes(200 * 1024) };
    const authorization = await podAuthorization(podUrl, ALICE);
    const folder = filesFolder(podUrl, ALICE);
    await openDrive(page, appUrl, podUrl, ALICE);
    const before = await podMembers(folder, authorization);
    let refused = 0;
    const unroute = await onCiphertextPut(page, folder, (route) => {
      refused++;
      return answer(route);
    });
    await page.getByLabel('Upload files').setInputFiles(file);
    const toast = page.getByRole('alert').filter({ hasText: `Upload of ${file.name} failed` });
    await toast.waitFor({ timeout: 30_000 });
    assert.match(await toast.textContent(), expected);
    const retry = page.getByRole('button', { name: `Retry upload of ${file.name}` });
    await retry.waitFor();
    await page.screenshot({ path: artifact('failed.png'), fullPage: true });
    assert.equal(refused, 1);
    assert.equal(await page.getByRole('progressbar', { name: `Uploading ${file.name}` }).count(), 0, 'a failed row shows no progress');
    assert.equal(await page.getByRole('table', { name: 'Files' }).getByText(file.name).count(), 0);
    assert.deepEqual(await podMembers(folder, authorization), before, 'no ciphertext without its key');

    await toast.getByRole('button', { name: 'Dismiss' }).click();
    await toast.waitFor({ state: 'detached' });
    await unroute();
    await retry.click();
    const listing = page.getByRole('table', { name: 'Files' });
    await listing.getByText(file.name, { exact: true }).waitFor({ timeout: 30_000 });
    await retry.waitFor({ state: 'detached' });
    const got = await download(page, file.name);
    assert.equal(sha256(got.bytes), sha256(file.buffer));
    const after = await podMembers(folder, authorization);
    assert.equal(after.length, before.length + 1, 'exactly one new file on the pod');

    // After a reload the new file is still readable: its key was saved.
    await page.reload();
    await setOrUnlock(page);
    const again = await download(page, file.name);
    assert.equal(sha256(again.bytes), sha256(file.buffer));
  });
}

test('when the pod answers 503 to a part of a big upload: the parts sent are deleted, nothing is left on the pod, Retry works', async ({ page, appUrl, podUrl, expectConsoleError }) => {
  expectConsoleError(/^Failed to load resource: the server responded with a status of 503 /);
  // The check that the parts container is gone (before the unused key is dropped).
  expectConsoleError(/^Failed to load resource: the server responded with a status of 404 /);
  const file = { name: `parts-retry-${tag()}.bin`, mimeType: 'application/octet-stream', buffer: randomBytes(10 * 1024 * 1024) };
  const authorization = await podAuthorization(podUrl, ALICE);
  const folder = filesFolder(podUrl, ALICE);
  await openDrive(page, appUrl, podUrl, ALICE);
  const before = await podMembers(folder, authorization);
  const puts = [];
  const unroute = await onCiphertextPut(page, folder, (route) => {
    // The upload record (docs/FORMAT.md §1.8) goes first; parts are counted.
    if (route.request().url().endsWith('/upload.json.enc')) return route.continue();
    puts.push(route.request().url());
    return puts.length === 2 ? route.fulfill({ status: 503, body: 'busy' }) : route.continue();
  });
  await page.getByLabel('Upload files').setInputFiles(file);
  const toast = page.getByRole('alert').filter({ hasText: `Upload of ${file.name} failed` });
  await toast.waitFor({ timeout: 60_000 });
  assert.match(await toast.textContent(), /the pod had a problem answering: try again in a moment/);
  // Part 0 goes up alone (its speed sizes the rest); from part 1 on, up to
  // three PUTs are under way at once, so part 2 may have gone up beside part 1.
  assert.ok(puts.length >= 2 && puts.length <= 4, `part 0 was stored, part 1 refused (${puts.length} PUTs)`);
  assert.match(puts[0], /\/[0-9a-f]{32}\/[0-9a-f]{16}-0$/);
  assert.match(puts[1], /\/[0-9a-f]{32}\/[0-9a-f]{16}-1$/);
  assert.deepEqual(await podMembers(folder, authorization), before, 'no parts left behind');
  assert.equal(await page.getByRole('table', { name: 'Files' }).getByText(file.name).count(), 0);

  await unroute();
  await page.getByRole('button', { name: `Retry upload of ${file.name}` }).click();
  await page.getByRole('table', { name: 'Files' }).getByText(file.name, { exact: true }).waitFor({ timeout: 60_000 });
  assert.equal((await podMembers(folder, authorization)).length, before.length + 1, 'one new file on the pod');
  // After a reload (keys read from the pod again) it decrypts.
  await page.reload();
  await setOrUnlock(page);
  const got = await download(page, file.name);
  assert.equal(sha256(got.bytes), sha256(file.buffer));
});

test('when a part of a big upload fails while later parts are under way: they end first, then no parts are left and the file is not listed', async ({ page, appUrl, podUrl, expectConsoleError }) => {
  expectConsoleError(/^Failed to load resource: the server responded with a status of 503 /);
  expectConsoleError(/^Failed to load resource: the server responded with a status of 404 /);
  // From a file on disk: a 48 MiB buffer handed to setInputFiles is slow to send.
  const dir = await mkdtemp(join(tmpdir(), 'solidcrypt-e2e-'));
  const file = { name: `parts-parallel-${tag()}.bin` };
  const path = join(dir, file.name);
  await writeFile(path, randomBytes(48 * 1024 * 1024));
  const authorization = await podAuthorization(podUrl, ALICE);
  const folder = filesFolder(podUrl, ALICE);
  await openDrive(page, appUrl, podUrl, ALICE);
  const before = await podMembers(folder, authorization);
  // Part 1 is refused only once part 2 is stored and part 3 is on its way (so
  // the PUTs really are side by side); part 3 is then held a while longer: an
  // upload that deleted its parts without waiting for it would leave it behind.
  const signal = () => { let resolve; const promise = new Promise((r) => { resolve = r; }); return { promise, resolve }; };
  const stored2 = signal();
  const seen3 = signal();
  const done3 = signal();
  const unroute = await onCiphertextPut(page, folder, async (route) => {
    const index = Number(/-(\d+)$/.exec(route.request().url())?.[1]);
    if (index === 1) {
      await Promise.all([stored2.promise, seen3.promise]);
      return route.fulfill({ status: 503, body: 'busy' });
    }
    if (index === 3) {
      seen3.resolve();
      await new Promise((resolve) => { setTimeout(resolve, 1500); });
    }
    await route.fulfill({ response: await route.fetch() });
    if (index === 2) stored2.resolve();
    if (index === 3) done3.resolve();
  });
  await page.getByLabel('Upload files').setInputFiles(path);
  const toast = page.getByRole('alert').filter({ hasText: `Upload of ${file.name} failed` });
  await toast.waitFor({ timeout: 120_000 });
  await done3.promise;
  assert.deepEqual(await podMembers(folder, authorization), before, 'no parts left behind, not even the one stored after the failure');
  await unroute();
  // Not listed either once the keystores are read again.
  await page.reload();
  await setOrUnlock(page);
  await page.getByRole('table', { name: 'Files' }).waitFor();
  assert.equal(await page.getByRole('table', { name: 'Files' }).getByText(file.name).count(), 0);
  await rm(dir, { recursive: true, force: true });
});

test('two tabs uploading at once both keep their files (no lost key)', async ({ page, newPage, appUrl, podUrl, expectConsoleError }) => {
  // The keystore write that loses the race gets 412 and merges: that is the point.
  expectConsoleError(/^Failed to load resource: the server responded with a status of 412 /);
  const t = tag();
  const one = { name: `tab-one-${t}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`written in tab one ${t}`) };
  const two = { name: `tab-two-${t}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`written in tab two ${t}`) };
  const other = await newPage();
  await openDrive(page, appUrl, podUrl, ALICE);
  await openDrive(other, appUrl, podUrl, ALICE);
  await Promise.all([
    page.getByLabel('Upload files').setInputFiles(one),
    other.getByLabel('Upload files').setInputFiles(two),
  ]);
  await page.getByRole('table', { name: 'Files' }).getByText(one.name, { exact: true }).waitFor({ timeout: 30_000 });
  await other.getByRole('table', { name: 'Files' }).getByText(two.name, { exact: true }).waitFor({ timeout: 30_000 });
  for (const tab of [page, other]) {
    await tab.reload();
    await setOrUnlock(tab);
    for (const file of [one, two]) {
      await tab.getByRole('table', { name: 'Files' }).getByText(file.name, { exact: true }).waitFor({ timeout: 30_000 });
      const got = await download(tab, file.name);
      assert.equal(got.bytes.toString(), file.buffer.toString(), `${file.name} decrypts in every tab`);
    }
  }
});

test('a failed upload row can be removed without retrying', async ({ page, appUrl, podUrl, expectConsoleError }) => {
  expectConsoleError(/^Failed to load resource: the server responded with a status of (503|404) /);
  const file = { name: `given-up-${tag()}.txt`, mimeType: 'text/plain', buffer: Buffer.from('never stored') };
  await openDrive(page, appUrl, podUrl, ALICE);
  const unroute = await onCiphertextPut(page, filesFolder(podUrl, ALICE), (route) => route.fulfill({ status: 503 }));
  await page.getByLabel('Upload files').setInputFiles(file);
  const remove = page.getByRole('button', { name: `Remove failed upload of ${file.name}` });
  await remove.click({ timeout: 30_000 });
  await remove.waitFor({ state: 'detached' });
  assert.equal(await page.getByRole('list', { name: 'Uploads' }).getByRole('listitem').count(), 0);
  assert.equal(await page.getByRole('table', { name: 'Files' }).getByText(file.name).count(), 0);
  await unroute();
});

test('when the pod stores the file but its answer is lost, the upload succeeds once: listed, one copy, decrypts', async ({ page, appUrl, podUrl, expectConsoleError }) => {
  expectConsoleError(/^Failed to load resource: net::ERR_CONNECTION_RESET$/);
  const file = { name: `lost-answer-${tag()}.bin`, mimeType: 'application/octet-stream', buffer: randomBytes(100 * 1024) };
  const authorization = await podAuthorization(podUrl, ALICE);
  const folder = filesFolder(podUrl, ALICE);
  await openDrive(page, appUrl, podUrl, ALICE);
  const before = await podMembers(folder, authorization);
  let lost = 0;
  const unroute = await onCiphertextPut(page, folder, async (route) => {
    const stored = await route.fetch();
    assert.equal(stored.status(), 201, 'the pod stored the ciphertext');
    lost += 1;
    await route.abort('connectionreset');
  });
  await page.getByLabel('Upload files').setInputFiles(file);
  // A HEAD finds the ciphertext with the expected length: the upload is done, not
  // failed, so nobody retries it into a second copy.
  const listing = page.getByRole('table', { name: 'Files' });
  await listing.getByText(file.name, { exact: true }).waitFor({ timeout: 30_000 });
  await unroute();
  assert.equal(lost, 1, 'the answer was lost');
  await page.getByRole('list', { name: 'Uploads' }).getByRole('listitem').filter({ hasText: file.name })
    .waitFor({ state: 'detached', timeout: 20_000 });
  assert.equal(await page.getByRole('alert').filter({ hasText: file.name }).count(), 0, 'no failure reported');
  assert.equal((await podMembers(folder, authorization)).length, before.length + 1, 'one copy');
  await page.reload();
  await setOrUnlock(page);
  const got = await download(page, file.name);
  assert.equal(sha256(got.bytes), sha256(file.buffer));
});
