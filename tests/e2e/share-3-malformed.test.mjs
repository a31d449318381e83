// Links that are cut off, altered or made by a newer app get a clear message on the
// /share page, never a crash; the original design's query form is still understood.
import assert from 'node:assert/strict';
import { test } from './harness.mjs';

const GROUP = encodeURIComponent('http://localhost:3000/alice/solidcrypt-data/groups/group-00112233445566778899aabbccddeeff.ttl');
const FILE = encodeURIComponent('http://localhost:3000/alice/solidcrypt-data/files/0011');
const KEY = 'A'.repeat(43);

test('a malformed, truncated or tampered share link gets a clear message', async ({ page, appUrl }) => {
  const cases = [
    ['share', /carries nothing to open/],
    ['share#v=1&kind=file', /no “mode” part; it may have been cut off/],
    [`share#v=1&kind=file&mode=read&res=${FILE}&group=${GROUP}&key=${KEY.slice(0, 30)}`, /not a valid key/],
    [`share#v=1&kind=file&mode=read&res=${FILE}&group=${encodeURIComponent('http://localhost:3000/alice/g.ttl')}&key=${KEY}`, /group address must name/],
    [`share#v=1&kind=file&mode=admin&res=${FILE}&group=${GROUP}&key=${KEY}`, /neither read nor write/],
    [`share#v=9&kind=file&mode=read&res=${FILE}&group=${GROUP}&key=${KEY}`, /newer version/],
    [`share#v=1&kind=file&mode=read&res=${FILE}&group=${GROUP}&key=${KEY}&key=${KEY}`, /more than once/],
  ];
  for (const [path, message] of cases) {
    await page.goto(new URL(path, appUrl).href);
    await page.getByRole('heading', { name: 'This link cannot be opened' }).waitFor({ timeout: 20_000 });
    const alert = await page.getByRole('alert').innerText();
    assert.match(alert, message, `${path}: ${alert}`);
  }
  // The original design's form (a read-only file in the query) is accepted: the page
  // asks to log in to open it instead of refusing it.
  await page.goto(new URL(`share?file=${FILE}&key=${KEY}&group=${GROUP}`, appUrl).href);
  await page.getByRole('heading', { name: 'Someone shared a file with you' }).waitFor({ timeout: 20_000 });
});
