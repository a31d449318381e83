// Finding and recognizing files: the filter box also searches the names of the
// whole drive (decrypted in the tab, so typing sends the pod nothing), each hit
// with its folders and a link that opens its folder, after a reload too; image
// rows show a small thumbnail decrypted in the tab, other rows the icon of their
// kind, and an image whose ciphertext was tampered with quietly keeps its icon.
// While a name is typed no thumbnail starts, so the pod cannot tell what matched.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE, podAuthorization } from './login-steps.mjs';
import { openDrive, setOrUnlock } from './drive-steps.mjs';

/** A `width`×`height` PNG drawn by the browser (a gradient, so it is a real picture). */
async function png(page, width, height) {
  const base64 = await page.evaluate(([w, h]) => {
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const context = canvas.getContext('2d');
    const gradient = context.createLinearGradient(0, 0, w, h);
    gradient.addColorStop(0, '#e04040');
    gradient.addColorStop(1, '#4040e0');
    context.fillStyle = gradient;
    context.fillRect(0, 0, w, h);
    return canvas.toDataURL('image/png').split(',')[1];
  }, [width, height]);
  return Buffer.from(base64, 'base64');
}

/**
 * Waits until the pod has been asked nothing for `ms`: rows of My files left by
 * earlier tests may still be drawing their thumbnails (two at a time), which is
 * the listing at work, not the search.
 */
async function podQuiet(page, podUrl, ms = 1500, limit = 30_000) {
  let last = Date.now();
  const seen = (request) => {
    if (request.url().startsWith(podUrl)) last = Date.now();
  };
  page.on('request', seen);
  page.on('requestfinished', seen);
  const start = Date.now();
  while (Date.now() - last < ms && Date.now() - start < limit) await page.waitForTimeout(200);
  page.off('request', seen);
  page.off('requestfinished', seen);
}

test('the filter searches the whole drive; image rows show thumbnails, other rows icons', async ({ page, appUrl, podUrl, artifact }) => {
  const t = randomBytes(4).toString('hex');
  await openDrive(page, appUrl, podUrl, ALICE);
  const listing = page.getByRole('table', { name: 'Files' });
  const crumbs = page.getByRole('navigation', { name: 'Breadcrumbs' });
  const filter = page.getByLabel('Filter by name');
  const results = page.getByRole('region', { name: 'Found elsewhere in My files' });

  // My files › search-t › Été t › the picture and a note.
  const top = `search-${t}`;
  const summer = `Été ${t}`;
  await page.getByLabel('Folder name').fill(top);
  await page.getByRole('button', { name: 'Create folder' }).click();
  await listing.getByRole('link', { name: top, exact: true }).click();
  await page.getByText('This folder is empty.').waitFor({ timeout: 20_000 });
  await page.getByLabel('Folder name').fill(summer);
  await page.getByRole('button', { name: 'Create folder' }).click();
  await listing.getByRole('link', { name: summer, exact: true }).click();
  await page.getByText('This folder is empty.').waitFor({ timeout: 20_000 });
  const picture = { name: `Plage à Nice ${t}.png`, mimeType: 'image/png', buffer: await png(page, 300, 200) };
  const note = { name: `note-${t}.txt`, mimeType: 'text/plain', buffer: Buffer.from('not a picture') };
  const spoiled = { name: `spoiled-${t}.png`, mimeType: 'image/png', buffer: await png(page, 50, 50) };
  await page.getByLabel('Upload files').setInputFiles([picture, note, spoiled]);
  for (const f of [picture, note, spoiled]) await listing.getByText(f.name, { exact: true }).waitFor({ timeout: 30_000 });

  // The PNG's row: a thumbnail from a blob: URL, drawn small (64 px at most).
  const row = (name) => listing.getByRole('row').filter({ hasText: name });
  const thumbnail = row(picture.name).getByRole('img', { name: 'Thumbnail' });
  await thumbnail.waitFor({ timeout: 20_000 });
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await thumbnail.elementHandle());
  assert.equal(await thumbnail.evaluate((el) => `${el.naturalWidth}x${el.naturalHeight}`), '64x43');
  assert.match(await thumbnail.getAttribute('src'), /^blob:/);
  // The text file's row: the icon of its kind, named by the kind, not the file.
  await row(note.name).getByRole('img', { name: 'Text', exact: true }).waitFor();
  assert.equal(await row(note.name).locator('img').count(), 0, 'no thumbnail for text');
  assert.equal(await row(note.name).getByRole('cell').first().innerText(), note.name, 'the icon adds no text');
  await page.screenshot({ path: artifact('thumbnails.png'), fullPage: true });

  // From the top, part of the name, in other case and without the accent: the
  // hit shows its folders. Typing asks the pod for nothing.
  await crumbs.getByRole('link', { name: 'My files' }).click();
  await listing.getByRole('link', { name: top, exact: true }).waitFor({ timeout: 20_000 });
  await podQuiet(page, podUrl);
  const asked = [];
  const onRequest = (request) => {
    if (request.url().startsWith(podUrl)) asked.push(`${request.method()} ${request.url()}`);
  };
  page.on('request', onRequest);
  await filter.pressSequentially(`PLAGE A NICE ${t}`, { delay: 20 });
  const hit = results.getByRole('link', { name: picture.name, exact: true });
  await hit.waitFor({ timeout: 10_000 });
  page.off('request', onRequest);
  assert.deepEqual(asked, [], 'no request while searching');
  await results.getByText(`in My files › ${top} › ${summer}`).waitFor();
  await results.getByText('your pod sees nothing of the search').waitFor();
  await results.getByRole('status').filter({ hasText: '1 more name holds it' }).waitFor();
  await listing.getByRole('status').filter({ hasText: 'No name in this folder holds' }).waitFor();
  await page.screenshot({ path: artifact('search.png'), fullPage: true });

  // The hit opens its folder (the filter goes with the folder it was typed in).
  await hit.click();
  await crumbs.locator('[aria-current="page"]').filter({ hasText: summer }).waitFor({ timeout: 20_000 });
  await listing.getByText(picture.name, { exact: true }).waitFor({ timeout: 20_000 });
  assert.match(new URL(page.url()).pathname, /^\/drive\/[^/]+\/[^/]+$/);
  assert.equal(await filter.inputValue(), '');

  // After a reload (a fresh unlock), from the top: found again; a folder hit
  // opens the folder itself.
  await crumbs.getByRole('link', { name: 'My files' }).click();
  await listing.getByRole('link', { name: top, exact: true }).waitFor({ timeout: 20_000 });
  await page.reload();
  await setOrUnlock(page);
  await filter.fill(`nice ${t}`);
  await results.getByRole('link', { name: picture.name, exact: true }).waitFor({ timeout: 10_000 });
  await filter.fill(`ete ${t}`);
  await results.getByRole('link', { name: summer, exact: true }).click();
  await crumbs.locator('[aria-current="page"]').filter({ hasText: summer }).waitFor({ timeout: 20_000 });
  await listing.getByText(note.name, { exact: true }).waitFor({ timeout: 20_000 });

  // A picture whose ciphertext was tampered with: its icon, quietly (no alert).
  const authorization = await podAuthorization(podUrl, ALICE);
  const spoiledUrl = await row(spoiled.name).getAttribute('data-url');
  const good = Buffer.from(await (await fetch(spoiledUrl, { headers: { authorization } })).arrayBuffer());
  good[good.length - 40] ^= 0x01;
  const put = await fetch(spoiledUrl, { method: 'PUT', headers: { authorization, 'content-type': 'application/octet-stream' }, body: good });
  assert.ok(put.ok, `PUT ${spoiledUrl}: ${put.status}`);
  const fetched = page.waitForResponse((r) => r.url() === spoiledUrl && r.request().method() === 'GET', { timeout: 30_000 });
  await page.reload();
  await setOrUnlock(page);
  await row(picture.name).getByRole('img', { name: 'Thumbnail' }).waitFor({ timeout: 20_000 });
  await row(spoiled.name).getByRole('img', { name: 'Image', exact: true }).waitFor({ timeout: 20_000 });
  // Its ciphertext was read for a thumbnail, did not decrypt, and the icon stays.
  await (await fetched).finished();
  await page.waitForTimeout(500);
  assert.equal(await row(spoiled.name).locator('img').count(), 0, 'no thumbnail for a tampered file');
  assert.equal(await page.getByRole('alert').count(), 0, 'no error shown for a picture');

  // Clean up: the folder and all in it.
  await crumbs.getByRole('link', { name: 'My files' }).click();
  await listing.getByRole('link', { name: top, exact: true }).waitFor({ timeout: 20_000 });
  await page.getByRole('button', { name: `Delete ${top}`, exact: true }).click();
  await page.getByRole('button', { name: `Confirm delete ${top}` }).click();
  await listing.getByText(top).waitFor({ state: 'detached', timeout: 60_000 });
});

// Which rows the filter brings on screen must not show in the pod's log: a row
// below the screen that a typed name lifts into view keeps its icon until the
// filter is cleared (a thumbnail would be a GET of that file, telling the pod
// which names match), and is drawn once it is on screen with no name typed.
test('while a name is typed, a row the filter brings on screen starts no thumbnail', async ({ page, appUrl, podUrl }) => {
  const t = randomBytes(4).toString('hex');
  await page.setViewportSize({ width: 1100, height: 420 });
  await openDrive(page, appUrl, podUrl, ALICE);
  const listing = page.getByRole('table', { name: 'Files' });
  const crumbs = page.getByRole('navigation', { name: 'Breadcrumbs' });
  const filter = page.getByLabel('Filter by name');
  const row = (name) => listing.getByRole('row').filter({ hasText: name });

  const folder = `many-${t}`;
  await page.getByLabel('Folder name').fill(folder);
  await page.getByRole('button', { name: 'Create folder' }).click();
  await listing.getByRole('link', { name: folder, exact: true }).click();
  await page.getByText('This folder is empty.').waitFor({ timeout: 20_000 });
  const dot = await png(page, 16, 16);
  const pictures = Array.from({ length: 16 }, (_, i) => ({
    name: `pic-${String(i).padStart(2, '0')}-${t}.png`, mimeType: 'image/png', buffer: dot,
  }));
  await page.getByLabel('Upload files').setInputFiles(pictures);
  for (const f of pictures) await listing.getByText(f.name, { exact: true }).waitFor({ timeout: 60_000 });
  await page.evaluate(() => window.scrollTo(0, 0));
  const first = pictures[0].name;
  const last = pictures[pictures.length - 1].name;
  await row(first).getByRole('img', { name: 'Thumbnail' }).waitFor({ timeout: 20_000 });
  await podQuiet(page, podUrl);
  assert.equal(await row(last).getByRole('img', { name: 'Thumbnail' }).count(), 0, 'the last row was never on screen');

  const asked = [];
  const onRequest = (request) => {
    if (request.url().startsWith(podUrl)) asked.push(`${request.method()} ${request.url()}`);
  };
  page.on('request', onRequest);
  await filter.pressSequentially(last, { delay: 20 });
  await row(first).waitFor({ state: 'detached' });
  assert.ok(await row(last).isVisible(), 'the filter brought the last row on screen');
  await page.waitForTimeout(1500);
  page.off('request', onRequest);
  assert.deepEqual(asked, [], 'no request while a name is typed');
  await row(last).getByRole('img', { name: 'Image', exact: true }).waitFor();

  // With the filter cleared and the row scrolled to, its thumbnail comes.
  await filter.fill('');
  await row(last).scrollIntoViewIfNeeded();
  await row(last).getByRole('img', { name: 'Thumbnail' }).waitFor({ timeout: 20_000 });

  await page.evaluate(() => window.scrollTo(0, 0));
  await crumbs.getByRole('link', { name: 'My files' }).click();
  await listing.getByRole('link', { name: folder, exact: true }).waitFor({ timeout: 20_000 });
  await page.getByRole('button', { name: `Delete ${folder}`, exact: true }).click();
  await page.getByRole('button', { name: `Confirm delete ${folder}` }).click();
  await listing.getByText(folder).waitFor({ state: 'detached', timeout: 60_000 });
});
