// A big file over a home connection's uplink (10 Mbit/s, throttled by Chromium's
// network emulation). Sent as one PUT it would take about 10 s, and Community Solid
// Server 7.2 (stock config, as here) fails any PUT lasting over 6 s with a 500. So it
// goes up in parts (docs/FORMAT.md §1.8): the first of 4 MiB, later ones sized by
// the measured speed to about 2 s each; it comes back byte-identical.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE, podAuthorization } from './login-steps.mjs';
import { deleteFile, download, openDrive, podMembers } from './drive-steps.mjs';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const MIB = 1024 * 1024;

test('over a 10 Mbit/s uplink a 12 MiB file goes up in parts sized to the speed, and comes back intact', async ({ page, appUrl, podUrl }) => {
  const file = { name: `slow-${randomBytes(4).toString('hex')}.bin`, mimeType: 'application/octet-stream', buffer: randomBytes(12 * MIB) };
  await openDrive(page, appUrl, podUrl, ALICE);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const uplink = (uploadThroughput) => cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 0, downloadThroughput: -1, uploadThroughput,
  });
  await uplink(10e6 / 8);
  const started = Date.now();
  await page.getByLabel('Upload files').setInputFiles(file);
  const files = page.getByRole('table', { name: 'Files' });
  const failed = page.getByRole('alert').filter({ hasText: file.name });
  await files.getByText(file.name).or(failed).first().waitFor({ timeout: 120_000 });
  const seconds = (Date.now() - started) / 1000;
  await uplink(-1);
  assert.equal(await failed.count(), 0, `the upload did not fail: ${await failed.allInnerTexts()}`);
  assert.ok(seconds > 9, `the uplink was throttled: ${seconds} s for 12 MiB`);

  // The parts on the pod, by index, with their sizes.
  const authorization = await podAuthorization(podUrl, ALICE);
  const url = await files.locator('tr', { hasText: file.name }).getAttribute('data-url');
  const parts = [];
  for (const member of await podMembers(url, authorization)) {
    const index = Number(/-(\d+)$/.exec(member)[1]);
    const head = await fetch(member, { method: 'HEAD', headers: { authorization } });
    parts[index] = Number(head.headers.get('content-length'));
  }
  const sizes = parts.map((size) => (size / MIB).toFixed(2)).join(', ');
  console.log(`     12 MiB at 10 Mbit/s: ${seconds.toFixed(1)} s, parts of ${sizes} MiB`);
  assert.ok(parts.length >= 5, `several parts: ${sizes}`);
  // The first goes out before any PUT is timed (4 MiB, cut at a chunk end); the
  // second waits at 1 MiB for its speed; each after it takes about 2 s at
  // ~1.2 MB/s, never below 1 MiB.
  assert.ok(parts[0] >= 4 * MIB && parts[0] < 4.2 * MIB, `a first part of 4 MiB: ${sizes}`);
  for (const size of parts.slice(1, -1)) assert.ok(size >= MIB && size < 3.5 * MIB, `later parts sized to the uplink: ${sizes}`);
  assert.ok(parts.reduce((a, b) => a + b) > file.buffer.length, 'together the envelope');

  const got = await download(page, file.name);
  assert.equal(sha256(got.bytes), sha256(file.buffer));
  await deleteFile(page, file.name);
});
