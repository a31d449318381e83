// Sharing a folder with a person through the UI (issue 12), with two browser
// contexts: bob sets up his drive (his key and inbox are made), alice adds bob by
// WebID, compares his key's fingerprint (here: with what bob's own page shows) and
// marks it verified, shares a folder read-write; bob, logging in later in a fresh
// context, sees the offer, accepts, reads alice's file and uploads one; alice sees
// "bob holds the key" and decrypts bob's file; alice revokes bob: his token gets
// 403, his entry says alice revoked it and offers Remove instead of Open, and
// Remove drops it for good.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE, logIn, ownFingerprint, podAuthorization } from './login-steps.mjs';
import { download, setOrUnlock } from './drive-steps.mjs';
import { BOB, folderWithFiles, goToSection, rawGet, sha256 } from './share-steps.mjs';

const textFile = (name, words) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(`${words}\n`.repeat(25)) });

test('share a folder with a person: alice verifies bob, shares read-write; bob accepts, reads and writes; alice sees the proof, decrypts his file, revokes him', async ({ page, newPage, appUrl, podUrl, artifact, expectConsoleError }) => {
  // WAC looks for ACL documents that may not exist; a first unlock checks the
  // public key's copy anonymously before it is written (401); after the revocation
  // bob's app is refused (403) or finds the share's keystore gone (404).
  expectConsoleError(/^Failed to load resource: the server responded with a status of (401|403|404) /);
  const tag = randomBytes(4).toString('hex');
  const folder = `trip-${tag}`;
  const plan = textFile(`plan-${tag}.txt`, `The trip plan, by alice ${tag}`);
  const fromBob = textFile(`photos-${tag}.txt`, `Photos list, by bob ${tag}`);
  const bobWebId = `${podUrl}bob/profile/card#me`;

  // Bob has a drive: his identity key and inbox exist, and he reads his fingerprint.
  const bobFirst = await newPage();
  await logIn(bobFirst, appUrl, podUrl, BOB);
  await setOrUnlock(bobFirst);
  const bobSays = await ownFingerprint(bobFirst);
  assert.match(bobSays, /^([0-9a-f]{4} ){15}[0-9a-f]{4}$/, 'sixteen groups of four hex digits');
  await bobFirst.context().close();

  // Alice: a folder with a file; bob added by WebID (under People), his key
  // compared and verified.
  await logIn(page, appUrl, podUrl, ALICE);
  await setOrUnlock(page);
  await folderWithFiles(page, folder, [plan]);
  await goToSection(page, 'People');
  const people = page.getByRole('region', { name: 'People' });
  await people.getByLabel('WebID').fill(bobWebId);
  await people.getByRole('button', { name: 'Look up' }).click();
  const card = people.locator('.person-card');
  const compare = card.getByText('Compare this with bob (say it aloud or by another channel), then mark it as verified.');
  const verified = card.getByText('Verified: this is the key you compared with bob.');
  // Verified already when an earlier run on this pod did it.
  await compare.or(verified).waitFor({ timeout: 30_000 });
  assert.equal((await card.locator('code.fingerprint').textContent()).trim(), bobSays, 'the key alice reads is the one bob holds');
  if (await compare.isVisible()) await card.getByRole('button', { name: 'Mark as verified' }).click();
  await verified.waitFor({ timeout: 30_000 });
  await people.getByRole('table', { name: 'Contacts' }).getByRole('cell', { name: 'Verified', exact: true }).waitFor({ timeout: 30_000 });

  // The Share dialog: share the folder with bob, read-write.
  await goToSection(page, 'My files');
  await page.getByRole('button', { name: `Share ${folder}`, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Share ${folder}` });
  await dialog.getByRole('radio', { name: 'Read and write' }).check();
  await dialog.getByRole('button', { name: 'Share with a person' }).click();
  // Bob is a contact now: picked from the list (his key is read again).
  await dialog.getByRole('group', { name: 'Your contacts' }).getByRole('button', { name: 'bob', exact: true }).click();
  await dialog.getByText('Verified: this is the key you compared with bob.').waitFor({ timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Share with bob' }).click();
  await dialog.getByRole('status').filter({ hasText: "Sent the offer to bob's inbox." }).waitFor({ timeout: 60_000 });
  const sharedWith = dialog.getByRole('region', { name: 'Shared with' });
  await sharedWith.getByText('Shared with bob — waiting for bob to accept').waitFor({ timeout: 30_000 });
  await page.screenshot({ path: artifact('alice-share-dialog-waiting.png'), fullPage: true });
  await dialog.getByRole('button', { name: 'Close' }).click();

  // Bob logs in later in a fresh context: the offer (above every section), then
  // Accept.
  const bob = await newPage();
  await logIn(bob, appUrl, podUrl, BOB);
  await setOrUnlock(bob);
  await goToSection(bob, 'Shared with me');
  const offers = bob.getByRole('region', { name: 'Offers for you' });
  const offer = offers.getByRole('article', { name: `Offer from alice: ${folder}` });
  await offer.waitFor({ timeout: 60_000 });
  const text = await offer.locator('.offer-text').textContent();
  assert.match(text, new RegExp(`^alice \\(fingerprint ([0-9a-f]{4} ){15}[0-9a-f]{4}\\) shares the folder “${folder}” with you, read-write\\.$`));
  // Nothing was written before bob clicked: the folder is not under "Shared with me".
  const shared = bob.getByRole('region', { name: 'Shared with me' });
  await shared.waitFor();
  assert.equal(await shared.getByRole('link', { name: `Open ${folder}`, exact: true }).count(), 0);
  await bob.screenshot({ path: artifact('bob-offer.png'), fullPage: true });
  await offer.getByRole('button', { name: 'Accept' }).click();
  await offers.getByRole('status').filter({ hasText: `You accepted “${folder}” from alice.` }).waitFor({ timeout: 60_000 });
  const row = shared.locator('tr', { hasText: folder });
  await row.getByText(`From alice (${podUrl}alice/profile/card#me)`).waitFor({ timeout: 30_000 });
  await shared.getByRole('link', { name: `Open ${folder}`, exact: true }).click();
  await bob.getByRole('heading', { name: `Shared folder: ${folder}` }).waitFor({ timeout: 20_000 });
  const bobFiles = bob.getByRole('table', { name: 'Files' });
  await bobFiles.getByText(plan.name).waitFor({ timeout: 30_000 });
  assert.equal(sha256((await download(bob, plan.name)).bytes), sha256(plan.buffer), 'bob decrypts what alice shared');
  await bob.getByLabel('Upload files').setInputFiles([fromBob]);
  await bobFiles.getByText(fromBob.name).waitFor({ timeout: 30_000 });

  // Alice: the Share dialog reads her inbox, finds bob's proof; she decrypts his file.
  await page.getByRole('button', { name: `Share ${folder}`, exact: true }).click();
  await sharedWith.getByText('Shared with bob — bob holds the key').waitFor({ timeout: 60_000 });
  await page.screenshot({ path: artifact('alice-share-dialog-holds-key.png'), fullPage: true });
  await dialog.getByRole('button', { name: 'Close' }).click();
  const files = page.getByRole('table', { name: 'Files' });
  await files.getByRole('link', { name: folder, exact: true }).click();
  await files.getByText(fromBob.name).waitFor({ timeout: 30_000 });
  assert.equal(sha256((await download(page, fromBob.name)).bytes), sha256(fromBob.buffer), 'alice decrypts what bob wrote');
  const fileUrl = await files.locator('tr', { hasText: plan.name }).getAttribute('data-url');
  const bobToken = await podAuthorization(podUrl, BOB);
  assert.equal((await rawGet(fileUrl, bobToken)).status, 200, 'bob is granted by WebID');

  // Alice revokes bob from the folder's "Shared with".
  await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link', { name: 'My files' }).click();
  await page.getByRole('button', { name: `Share ${folder}`, exact: true }).click();
  await sharedWith.getByRole('button', { name: 'Revoke bob' }).click();
  await sharedWith.getByRole('button', { name: 'Confirm revoke bob' }).click();
  await sharedWith.getByRole('status').filter({ hasText: `bob can no longer open “${folder}” or new versions of it.` }).waitFor({ timeout: 120_000 });
  await sharedWith.getByText('Nobody yet.').waitFor();
  await dialog.getByRole('button', { name: 'Close' }).click();
  assert.equal((await rawGet(fileUrl, bobToken)).status, 403, 'bob is out');

  // Bob's next visit: the entry says alice revoked it and offers Remove, not Open
  // (which could only end in "access denied"); Remove drops it, for good.
  await bob.goto(appUrl);
  await setOrUnlock(bob);
  await goToSection(bob, 'Shared with me');
  await row.getByText('From alice').waitFor({ timeout: 30_000 });
  await row.getByText(/^Unavailable: its owner withdrew access/).waitFor({ timeout: 30_000 });
  await row.getByText('alice revoked this share: you can no longer open it.').waitFor({ timeout: 30_000 });
  assert.equal(await row.getByRole('link', { name: /^Open / }).count(), 0, 'a revoked share does not offer Open');
  assert.equal(await shared.getByText(plan.name).count(), 0, 'bob sees none of the files');
  await bob.screenshot({ path: artifact('bob-revoked.png'), fullPage: true });
  await row.getByRole('button', { name: `Remove ${folder}`, exact: true }).click();
  await row.waitFor({ state: 'detached', timeout: 30_000 });
  await bob.goto(appUrl);
  await setOrUnlock(bob);
  await goToSection(bob, 'Shared with me');
  await shared.waitFor({ timeout: 60_000 });
  assert.equal(await shared.locator('tr', { hasText: folder }).count(), 0, 'removed at the next unlock too');
});
