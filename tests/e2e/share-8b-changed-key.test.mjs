// A changed key for a contact (issue 12 item 2), through the UI: alice verified
// bob's key; then bob's published key changes (the test rewrites his profile's
// cert:modulus and his public key resource with a key it makes, as someone who took
// over his profile could). Alice's contacts show a loud warning with the new
// fingerprint and "Verify the new fingerprint"; her Share dialog shows the warning
// and will not share with bob; nothing is granted; his profile's hostile name shows
// cleaned, as text. Bob's real key is put back, so alice's verified key for him is
// right again (also for the other tests); she then shares the folder under a name,
// renames the share and deletes it together with the folder.
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE, logIn, ownFingerprint, podAuthorization } from './login-steps.mjs';
import { setOrUnlock } from './drive-steps.mjs';
import { BOB, folderWithFiles, goToSection, rawGet } from './share-steps.mjs';

const grouped = (hex) => hex.match(/..../g).join(' ');

/** Puts `body` at `url` with bob's token. */
async function put(url, authorization, type, body) {
  const response = await fetch(url, { method: 'PUT', headers: { authorization, 'content-type': type }, body });
  assert.ok(response.ok, `PUT ${url}: ${response.status} ${await response.text()}`);
}

test('a changed key for bob: alice\'s contacts warn loudly with the new fingerprint, and Share with a person refuses him; a named share is renamed and deleted with its folder', async ({ page, newPage, appUrl, podUrl, artifact, expectConsoleError }) => {
  // WAC looks for ACL documents that may not exist; a first unlock checks the
  // public key's copy anonymously before it is written (401).
  expectConsoleError(/^Failed to load resource: the server responded with a status of (401|403|404) /);
  const tag = randomBytes(4).toString('hex');
  const folder = `keys-${tag}`;
  const bobWebId = `${podUrl}bob/profile/card#me`;

  // Bob has a drive, so his key is published (his account menu shows it).
  const bobFirst = await newPage();
  await logIn(bobFirst, appUrl, podUrl, BOB);
  await setOrUnlock(bobFirst);
  await ownFingerprint(bobFirst);
  await bobFirst.context().close();

  // Alice has bob's current key verified (whatever an earlier run left).
  await logIn(page, appUrl, podUrl, ALICE);
  await setOrUnlock(page);
  await folderWithFiles(page, folder, [{ name: `a-${tag}.txt`, mimeType: 'text/plain', buffer: Buffer.from('a\n') }]);
  await goToSection(page, 'People');
  const people = page.getByRole('region', { name: 'People' });
  await people.getByLabel('WebID').fill(bobWebId);
  await people.getByRole('button', { name: 'Look up' }).click();
  const card = people.locator('.person-card');
  const verified = card.getByText('Verified: this is the key you compared with bob.');
  const mark = card.getByRole('button', { name: 'Mark as verified' });
  const markNew = card.getByRole('button', { name: 'I compared the new key: mark it as verified' });
  await verified.or(mark).or(markNew).waitFor({ timeout: 30_000 });
  if (await mark.isVisible()) await mark.click();
  else if (await markNew.isVisible()) await markNew.click();
  await verified.waitFor({ timeout: 30_000 });

  // Bob's published key changes: profile modulus and public key resource.
  const token = await podAuthorization(podUrl, BOB);
  const profileUrl = `${podUrl}bob/profile/card`;
  const pemUrl = `${podUrl}bob/solidcrypt-public/identity.pem`;
  const oldProfile = await (await fetch(profileUrl, { headers: { authorization: token, accept: 'text/turtle' } })).text();
  const oldPem = await (await fetch(pemUrl)).text();
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const modulus = Buffer.from(publicKey.export({ format: 'jwk' }).n, 'base64url').toString('hex');
  const newFingerprint = grouped(createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex'));
  const hexBinary = /"[0-9a-fA-F]+"\^\^<http:\/\/www\.w3\.org\/2001\/XMLSchema#hexBinary>/;
  assert.match(oldProfile, hexBinary, 'bob\'s profile has his cert:modulus');
  // And a hostile name: markup, a right-to-left override, a bell.
  const newProfile = `${oldProfile.replace(hexBinary, `"${modulus}"^^<http://www.w3.org/2001/XMLSchema#hexBinary>`)}
<#me> <http://xmlns.com/foaf/0.1/name> "Bob\\u202E Builder <i>x</i>\\u0007".
`;
  await put(profileUrl, token, 'text/turtle', newProfile);
  await put(pemUrl, token, 'application/x-pem-file', publicKey.export({ type: 'spki', format: 'pem' }));
  try {
    // Alice's next visit: the contact is read again and warns.
    await page.goto(appUrl);
    await setOrUnlock(page);
    await goToSection(page, 'People');
    const contacts = people.getByRole('table', { name: 'Contacts' });
    const warning = contacts.getByRole('alert').filter({ hasText: "Warning: bob's key has changed since you verified it" });
    await warning.waitFor({ timeout: 60_000 });
    assert.ok((await warning.textContent()).includes(newFingerprint), 'the warning shows the new fingerprint');
    // The profile's name, cleaned, as text next to the WebID.
    await contacts.locator('.profile-name', { hasText: '“Bob Builder <i>x</i>”' }).waitFor({ timeout: 30_000 });
    assert.equal(await contacts.locator('.profile-name i').count(), 0, 'the name is text, not markup');
    await page.screenshot({ path: artifact('alice-contact-key-changed.png'), fullPage: true });

    // The Share dialog: bob picked from the contacts, the warning, no sharing.
    await goToSection(page, 'My files');
    await page.getByRole('button', { name: `Share ${folder}`, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Share ${folder}` });
    await dialog.getByRole('button', { name: 'Share with a person' }).click();
    await dialog.getByRole('group', { name: 'Your contacts' }).getByRole('button', { name: 'bob', exact: true }).click();
    await dialog.getByRole('alert').filter({ hasText: "Warning: bob's key has changed." }).waitFor({ timeout: 30_000 });
    assert.equal((await dialog.locator('code.fingerprint').textContent()).trim(), newFingerprint);
    const share = dialog.getByRole('button', { name: 'Share with bob' });
    assert.ok(await share.isDisabled(), 'Share with bob refuses the changed key');
    await dialog.getByText('Share becomes possible once the key is marked as verified.').waitFor();
    await page.screenshot({ path: artifact('alice-share-dialog-key-changed.png'), fullPage: true });
    await dialog.getByRole('button', { name: 'Close' }).click();
    const folderUrl = await page.getByRole('table', { name: 'Files' }).locator('tr', { hasText: folder }).getAttribute('data-url');
    assert.equal((await rawGet(folderUrl, token)).status, 403, 'nothing was granted to bob');

    // "Verify the new fingerprint": the new key in the person card, to compare.
    await goToSection(page, 'People');
    await warning.getByRole('button', { name: 'Verify the new fingerprint of bob' }).click();
    await card.getByText("Warning: bob's key has changed.").waitFor({ timeout: 30_000 });
    assert.equal((await card.locator('code.fingerprint').textContent()).trim(), newFingerprint);
    await markNew.waitFor();
  } finally {
    await put(profileUrl, token, 'text/turtle', oldProfile);
    await put(pemUrl, token, 'application/x-pem-file', oldPem);
  }

  // Bob's key is back: alice shares the folder under a name, renames the share,
  // then deletes it with the folder.
  await page.goto(appUrl);
  await setOrUnlock(page);
  await page.getByRole('button', { name: `Share ${folder}`, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Share ${folder}` });
  await dialog.getByRole('button', { name: 'Share with a person' }).click();
  await dialog.getByRole('group', { name: 'Your contacts' }).getByRole('button', { name: 'bob', exact: true }).click();
  await dialog.getByText('Verified: this is the key you compared with bob.').waitFor({ timeout: 30_000 });
  await dialog.getByLabel('Name of the share (optional; shown only to you)').fill(`Keys ${tag}`);
  await dialog.getByRole('button', { name: 'Share with bob' }).click();
  const sharedWith = dialog.getByRole('region', { name: 'Shared with' });
  await sharedWith.getByText(`Share “Keys ${tag}”`).waitFor({ timeout: 60_000 });
  await sharedWith.getByRole('button', { name: `Rename share Keys ${tag}` }).click();
  await sharedWith.getByLabel('New name of the share').fill(`Renamed ${tag}`);
  await sharedWith.getByRole('button', { name: 'Save name' }).click();
  await sharedWith.getByRole('status').filter({ hasText: `The share “Keys ${tag}” is now called “Renamed ${tag}”.` }).waitFor({ timeout: 30_000 });
  await sharedWith.getByText(`Share “Renamed ${tag}”`).waitFor({ timeout: 30_000 });
  const folderUrl = await page.getByRole('table', { name: 'Files' }).locator('tr', { hasText: folder }).getAttribute('data-url');
  assert.equal((await rawGet(folderUrl, token)).status, 200, 'bob is granted');
  await sharedWith.getByRole('button', { name: `Delete share Renamed ${tag}` }).click();
  await sharedWith.getByLabel(`Also delete “${folder}” itself, with everything in it`).check();
  await sharedWith.getByRole('button', { name: `Confirm delete share Renamed ${tag}` }).click();
  await sharedWith.getByRole('status').filter({ hasText: `The share “Renamed ${tag}” is deleted: bob can no longer open “${folder}”.` }).waitFor({ timeout: 60_000 });
  await sharedWith.getByText('Nobody yet.').waitFor();
  await page.screenshot({ path: artifact('alice-share-deleted.png'), fullPage: true });
  assert.equal((await rawGet(folderUrl, token)).status, 403, 'bob is out');
  assert.equal((await rawGet(folderUrl, await podAuthorization(podUrl, ALICE))).status, 404, 'the folder is gone');

  // Bob's next visit: the offer of the deleted share is refused (its keystore is
  // gone) and removed from his inbox, so it troubles no later test.
  const bobLater = await newPage();
  await logIn(bobLater, appUrl, podUrl, BOB);
  await setOrUnlock(bobLater);
  await bobLater.getByRole('region', { name: 'Offers for you' })
    .getByText('Something in your inbox was refused and removed:').waitFor({ timeout: 60_000 });
  await bobLater.context().close();
});
