// Shared steps of the sharing e2e tests: creating a link through the Share dialog,
// opening one as another user (logging in through the link), the keys every link
// carried or led to (for the final "no key material at the pod" check), key
// checks against raw ciphertext written from docs/FORMAT.md §1.2 and §5.1, and a
// link's QR code read back (jsQR) from the SVG the page draws.
import { createDecipheriv, createHash, hkdfSync } from 'node:crypto';
import jsQR from 'jsqr';
import { loginAtPod } from './login-steps.mjs';
import { MASTER } from './drive-steps.mjs';

export const BOB = { name: 'bob', email: 'bob@example.com', password: 'bob-password' };
export const CAROL = { name: 'carol', email: 'carol@example.com', password: 'carol-password' };

export const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** Every distinct key seen in a link's fragment during this run (32-byte Buffers). */
export const seenKeys = [];
/** Pod paths the tests know were requested (the log check needs them listed). */
export const requestedPaths = new Set();

/** In the signed-in user's own drive: creates `folder`, uploads `files` into it
 * (each listed before going on), and goes back to "My files". */
export async function folderWithFiles(page, folder, files) {
  const listing = page.getByRole('table', { name: 'Files' });
  await page.getByLabel('Folder name').fill(folder);
  await page.getByRole('button', { name: 'Create folder' }).click();
  await listing.getByRole('link', { name: folder, exact: true }).click();
  await page.getByLabel('Upload files').setInputFiles(files);
  for (const file of files) await listing.getByText(file.name).waitFor({ timeout: 30_000 });
  await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link', { name: 'My files' }).click();
}

/** Opens a section of the frame ('My files', 'Shared with me', 'Links I created',
 * 'People') from the sidebar (tabs on a phone). */
export async function goToSection(page, name) {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true }).click();
}

/** The fields of a share link's fragment; its keys go to `seenKeys`. */
export function linkFields(link) {
  const fields = new URLSearchParams(new URL(link).hash.slice(1));
  for (const name of ['key', 'kskey']) {
    const value = fields.get(name);
    const key = value && Buffer.from(value, 'base64url');
    if (key && !seenKeys.some((seen) => seen.equals(key))) seenKeys.push(key);
  }
  for (const name of ['res', 'ks', 'group']) {
    const value = fields.get(name);
    if (value) requestedPaths.add(new URL(value).pathname);
  }
  return fields;
}

/** Opens the Share dialog of `name` in the listing, creates a link with `mode`
 * ('Read only' or 'Read and write') and returns it, checking the Copy button and
 * that its QR code holds exactly the link; `screenshot`, if given, is where to
 * save a picture of the dialog; with `password`, "Require a password" is ticked
 * and the link must carry its key only under it (`pw`, no `kskey`), as the dialog's
 * hint must say. */
export async function createLink(page, name, mode, screenshot, { password } = {}) {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: `Share ${name}`, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Share ${name}` });
  await dialog.getByRole('radio', { name: mode }).check();
  if (password) {
    await dialog.getByRole('checkbox', { name: 'Require a password' }).check();
    await dialog.getByText('through another channel').first().waitFor();
    await dialog.getByLabel('Link password').fill(password);
  }
  await dialog.getByRole('button', { name: 'Create link' }).click();
  const field = dialog.getByLabel('Share link');
  await field.waitFor({ timeout: 60_000 });
  const link = await field.inputValue();
  const fields = new URLSearchParams(new URL(link).hash.slice(1));
  if (Boolean(password) !== fields.has('pw') || (password && fields.has('kskey'))) {
    throw new Error(`the link's key fields do not match the password choice: ${[...fields.keys()]}`);
  }
  // What the dialog says about the key must be true of this link.
  const keyHint = await dialog.getByText('after “#”').innerText();
  if (Boolean(password) !== keyHint.includes('locked with the password')) {
    throw new Error(`the dialog's key hint does not fit the link: ${keyHint}`);
  }
  await dialog.getByRole('button', { name: 'Show QR code' }).click();
  const inQr = await readQr(dialog);
  if (inQr !== link) throw new Error(`the QR code holds ${inQr}, not the link`);
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  await dialog.getByRole('button', { name: 'Copy link' }).click();
  await dialog.getByRole('status').filter({ hasText: 'Link copied' }).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  if (copied !== link) throw new Error('the clipboard does not hold the link');
  await dialog.getByRole('button', { name: 'Close' }).click();
  linkFields(link);
  return link;
}

/** The text in the QR code drawn in `within` (the SVG labelled "QR code of the
 * link", one `M<x> <y>h<n>v1h-<n>z` per run of dark modules, src/app/share/qr.rs),
 * decoded by jsQR from a bitmap of those modules: what a phone's camera reads. */
export async function readQr(within) {
  const svg = within.getByRole('img', { name: 'QR code of the link' });
  const [box, path] = await Promise.all([svg.getAttribute('viewBox'), svg.locator('path').getAttribute('d')]);
  const side = Number(box.split(' ')[2]), scale = 4, width = side * scale;
  const pixels = new Uint8ClampedArray(width * width * 4).fill(255);
  for (const [, x, y, n] of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    for (let row = Number(y) * scale; row < (Number(y) + 1) * scale; row++) {
      for (let col = Number(x) * scale; col < (Number(x) + Number(n)) * scale; col++) {
        pixels.fill(0, (row * width + col) * 4, (row * width + col) * 4 + 3);
      }
    }
  }
  const code = jsQR(pixels, width, width);
  if (!code) throw new Error('the QR code does not decode');
  return code.data;
}

/** Every request `page` makes to the pod at `podUrl`, as `METHOD path` (a
 * password link must make none before its password is right). */
export function podRequests(page, podUrl) {
  const seen = [];
  page.on('request', (request) => {
    if (request.url().startsWith(podUrl)) seen.push(`${request.method()} ${new URL(request.url()).pathname}`);
  });
  return seen;
}

/** On a password link's prompt (after logging in): `wrong` first, which must be
 * refused with "Wrong password for this link." and no request to the pod, then
 * `right`, after which the landing shows. */
export async function unlockLink(page, podUrl, requests, wrong, right) {
  const prompt = page.getByRole('region', { name: 'Link password' });
  await prompt.waitFor({ timeout: 30_000 });
  // What the login's return started (the frame's own reads) is over before counting.
  await page.waitForLoadState('networkidle');
  const before = requests.length;
  await prompt.getByLabel('Link password').fill(wrong);
  await prompt.getByRole('button', { name: 'Unlock link' }).click();
  await prompt.getByRole('alert').filter({ hasText: 'Wrong password for this link.' }).waitFor({ timeout: 60_000 });
  if (requests.length !== before) {
    throw new Error(`requests to the pod before the password was right: ${requests.slice(before)}`);
  }
  await prompt.getByLabel('Link password').fill(right);
  await prompt.getByRole('button', { name: 'Unlock link' }).click();
  await page.getByRole('region', { name: 'Shared link' }).waitFor({ timeout: 60_000 });
}

/** On the share page: waits for its landing (what the link shares, asked before
 * any password), clicks "Keep it in my drive", then sets the master password
 * (first use) or unlocks, after which the page keeps the link. A link refused
 * before the landing shows an alert instead: then nothing is clicked. */
export async function keepInDrive(page) {
  const keep = page.getByRole('button', { name: 'Keep it in my drive', exact: true });
  await keep.or(page.getByRole('alert')).first().waitFor({ timeout: 30_000 });
  if (!(await keep.isVisible())) return;
  await keep.click();
  const set = page.getByRole('heading', { name: 'Set a master password' });
  const unlock = page.getByRole('heading', { name: 'Unlock your drive' });
  await set.or(unlock).waitFor({ timeout: 20_000 });
  if (await set.isVisible()) {
    await page.getByLabel('Master password', { exact: true }).fill(MASTER);
    await page.getByLabel('Confirm master password').fill(MASTER);
    await page.getByRole('button', { name: 'Set master password' }).click();
  } else {
    await page.getByLabel('Master password', { exact: true }).fill(MASTER);
    await page.getByRole('button', { name: 'Unlock' }).click();
  }
}

/** The address bar of `page` holds no part of a link (no fragment, no query). */
export function assertNoLinkInAddress(page) {
  const address = new URL(page.url());
  if (address.hash || address.search) throw new Error(`the address bar still shows the link: ${page.url()}`);
}

/** Waits until `page`, having accepted a link, shows the shared item at its own
 * place (`/shared/<id>`) with no part of the link left in the address. */
export async function landedOnShared(page) {
  await page.waitForURL((url) => /^\/shared\/[0-9a-f]{32}$/.test(url.pathname), { timeout: 30_000 });
  assertNoLinkInAddress(page);
}

/** Opens `link` logged out: the page asks to log in (the address bar no longer
 * shows the link), the login comes back to the link (which must then be gone from
 * sessionStorage and stay out of the address bar) and its landing page, which
 * asks for no password (or, for a password link, its prompt: then `keep` must be
 * false, see `unlockLink`); then (unless `keep` is false) "Keep it in my drive"
 * and set up or unlock (see `keepInDrive`). */
export async function openLinkLoggingIn(page, link, podUrl, account, { keep = true } = {}) {
  await page.goto(link);
  await page.getByRole('heading', { name: /shared a (file|folder) with you/ }).waitFor({ timeout: 20_000 });
  assertNoLinkInAddress(page);
  const local = page.getByRole('radio', { name: /Local pod/ });
  if ((await local.getAttribute('value')) !== podUrl) {
    await page.getByLabel('Provider address or WebID').fill(podUrl);
  }
  await page.getByRole('button', { name: 'Log in' }).click();
  await loginAtPod(page, podUrl, account);
  // Back from the login, the page takes the link out of sessionStorage; the address
  // bar shows /share alone.
  await page.waitForURL((url) => url.pathname === '/share', { timeout: 20_000 });
  const landing = page.getByRole('region', { name: 'Shared link' });
  const prompt = page.getByRole('region', { name: 'Link password' });
  await landing.or(prompt).or(page.getByRole('alert')).first().waitFor({ timeout: 30_000 });
  assertNoLinkInAddress(page);
  const kept = await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.includes('share')));
  if (kept.length) throw new Error(`the link is still kept in sessionStorage: ${kept}`);
  if (keep) await keepInDrive(page);
}

/** Whether `key` is the key `envelope` (a file envelope v1) was sealed under: the
 * key commitment of docs/FORMAT.md §1.2, computed independently of the app. */
export function keyOpens(key, envelope) {
  if (envelope.subarray(0, 4).toString('latin1') !== 'SLCF') throw new Error('not a file envelope');
  const salt = envelope.subarray(14, 46);
  const info = Buffer.concat([Buffer.from('solidcrypt file v1', 'ascii'), envelope.subarray(0, 46)]);
  const okm = Buffer.from(hkdfSync('sha256', key, salt, info, 64));
  return okm.subarray(32).equals(envelope.subarray(46, 78));
}

/** The plaintext of the file envelope `envelope` (docs/FORMAT.md §1.5, one key,
 * metadata skipped) under `key`, decrypted independently of the app; null if the
 * key does not open it. For small documents such as keystores. */
function openEnvelope(key, envelope) {
  if (!keyOpens(key, envelope)) return null;
  const chunkSize = envelope.readUInt32BE(6), metaLen = envelope.readUInt32BE(10);
  const info = Buffer.concat([Buffer.from('solidcrypt file v1', 'ascii'), envelope.subarray(0, 46)]);
  const payloadKey = Buffer.from(hkdfSync('sha256', key, envelope.subarray(14, 46), info, 64)).subarray(0, 32);
  const rest = envelope.subarray(78 + metaLen), segment = chunkSize + 16, count = Math.ceil(rest.length / segment);
  const plain = [];
  for (let i = 0; i < count; i++) {
    const sealed = rest.subarray(i * segment, Math.min((i + 1) * segment, rest.length));
    const nonce = Buffer.alloc(12);
    nonce.writeBigUInt64BE(BigInt(i), 3);
    nonce[11] = i === count - 1 ? 1 : 0;
    const decipher = createDecipheriv('aes-256-gcm', payloadKey, nonce);
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    plain.push(decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final());
  }
  return Buffer.concat(plain);
}

/** The file key a file link gives, read with `authorization` as the pod serves it
 * now: the entry for its `res` in the link's own keystore (FORMAT.md §5.1; of the
 * two slots, §4.4, the one with the higher counter), or a key-in-link link's `key`.
 * Remembered in `seenKeys`. */
export async function linkFileKey(link, authorization) {
  const fields = new URLSearchParams(new URL(link).hash.slice(1));
  let key = fields.get('key') && Buffer.from(fields.get('key'), 'base64url');
  if (!key) {
    const keystoreKey = Buffer.from(fields.get('kskey'), 'base64url');
    let current = null;
    for (const slot of [fields.get('ks'), `${fields.get('ks')}.b`]) {
      const got = await rawGet(slot, authorization);
      const plain = got.status === 200 && openEnvelope(keystoreKey, got.bytes);
      const doc = plain && JSON.parse(plain.toString('utf8'));
      if (doc && (!current || (doc.counter ?? 0) > (current.counter ?? 0))) current = doc;
    }
    if (!current) throw new Error(`the link's keystore does not open: ${fields.get('ks')}`);
    key = Buffer.from(current.entries[fields.get('res')].key, 'base64url');
  }
  if (!seenKeys.some((seen) => seen.equals(key))) seenKeys.push(key);
  return key;
}

/** GET `url` with an `Authorization` from `podAuthorization`; returns status and bytes. */
export async function rawGet(url, authorization) {
  const response = await fetch(url, { headers: authorization ? { authorization } : {} });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** The 404s the app meets in normal use: ACL documents that do not exist (WAC: a
 * resource without one inherits its folder's), a "links I created" list not
 * written yet (a drive set up before the list was started at setup), and the
 * keystore (either slot) of a share its owner revoked in an earlier test: its
 * holder's list keeps it, marked revoked, until they remove it, and each unlock
 * asks for it once (403); and the drive's own folder of someone who has none yet,
 * which a link's landing page looks for before any password (404 HEAD). */
export const NOT_THERE_YET = /^(404 (GET|DELETE) \/\w+\/\S*(\.acl|\/links-created\.json\.enc)|404 HEAD \/\w+\/solidcrypt-data\/|403 GET \/\w+\/solidcrypt-data\/keystores\/shared-[0-9a-f]{32}\.json\.enc(\.b)?)$/;

/** Records every answer of 400 or more that `page` gets (status, method, path), so
 * a test can allow exactly the failures it provokes. */
export function failedRequests(page) {
  const seen = [];
  page.on('response', (response) => {
    if (response.status() >= 400) {
      seen.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
    }
  });
  return seen;
}
