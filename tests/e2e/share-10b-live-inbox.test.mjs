// Live inbox (issue 13): bob's drive is open and unlocked when alice shares a
// folder with him as a person; "Offers for you" in his open tab shows her offer
// within 3 s of her dialog saying it was sent — no reload, no "Check for
// offers", long before the once-a-minute read.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE, logIn, ownFingerprint } from './login-steps.mjs';
import { setOrUnlock } from './drive-steps.mjs';
import { BOB, folderWithFiles, goToSection } from './share-steps.mjs';

test('live inbox: an offer alice sends shows in bob\'s open tab within 3 s', async ({ page, newPage, appUrl, podUrl, expectConsoleError }) => {
  // As in share-8: WAC's ACL probes, and a first unlock's anonymous check (401).
  expectConsoleError(/^Failed to load resource: the server responded with a status of (401|403|404) /);
  const tag = randomBytes(4).toString('hex');
  const folder = `offer-${tag}`;
  const bobWebId = `${podUrl}bob/profile/card#me`;

  const bob = await newPage();
  await logIn(bob, appUrl, podUrl, BOB);
  await setOrUnlock(bob);
  const bobSays = await ownFingerprint(bob);
  await goToSection(bob, 'Shared with me');
  await bob.evaluate(() => { window.stillTheSamePage = true; });

  await logIn(page, appUrl, podUrl, ALICE);
  await setOrUnlock(page);
  await folderWithFiles(page, folder, [{ name: `plan-${tag}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`plan ${tag}\n`) }]);
  await goToSection(page, 'People');
  const people = page.getByRole('region', { name: 'People' });
  await people.getByLabel('WebID').fill(bobWebId);
  await people.getByRole('button', { name: 'Look up' }).click();
  const card = people.locator('.person-card');
  const compare = card.getByText('Compare this with bob (say it aloud or by another channel), then mark it as verified.');
  const verified = card.getByText('Verified: this is the key you compared with bob.');
  await compare.or(verified).waitFor({ timeout: 30_000 });
  assert.equal((await card.locator('code.fingerprint').textContent()).trim(), bobSays);
  if (await compare.isVisible()) await card.getByRole('button', { name: 'Mark as verified' }).click();
  await verified.waitFor({ timeout: 30_000 });

  await goToSection(page, 'My files');
  await page.getByRole('button', { name: `Share ${folder}`, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Share ${folder}` });
  await dialog.getByRole('radio', { name: 'Read only' }).check();
  await dialog.getByRole('button', { name: 'Share with a person' }).click();
  await dialog.getByRole('group', { name: 'Your contacts' }).getByRole('button', { name: 'bob', exact: true }).click();
  await dialog.getByText('Verified: this is the key you compared with bob.').waitFor({ timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Share with bob' }).click();
  await dialog.getByRole('status').filter({ hasText: "Sent the offer to bob's inbox." }).waitFor({ timeout: 60_000 });
  const sent = Date.now();

  const offer = bob.getByRole('region', { name: 'Offers for you' }).getByRole('article', { name: `Offer from alice: ${folder}` });
  await offer.waitFor({ timeout: 3_000 });
  console.log(`live inbox: bob's open tab showed alice's offer ${Date.now() - sent} ms after it was sent`);
  assert.equal(await bob.evaluate(() => window.stillTheSamePage), true, 'bob never reloaded');
});
