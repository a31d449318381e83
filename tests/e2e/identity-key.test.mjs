// Alice's identity key in the browser (docs/FORMAT.md §7): after she unlocks, the
// account menu shows her key's fingerprint in groups of four, and it is the key anyone
// can read from her pod's public key resource; unlocking again keeps the same key.
import assert from 'node:assert/strict';
import { createHash, createPublicKey } from 'node:crypto';
import { test } from './harness.mjs';
import { ALICE, logIn, openAccountMenu, ownFingerprint } from './login-steps.mjs';
import { setOrUnlock } from './drive-steps.mjs';

const GROUPS = /^[0-9a-f]{4}( [0-9a-f]{4}){15}$/;

test('alice sees her key fingerprint, which her public key resource confirms', async ({ page, appUrl, podUrl, artifact, expectConsoleError }) => {
  // Run first on a fresh pod, alice's drive setup looks for documents not there yet.
  expectConsoleError(/^Failed to load resource: the server responded with a status of 404 /);
  await logIn(page, appUrl, podUrl, ALICE);
  await setOrUnlock(page);
  const fingerprint = await ownFingerprint(page);
  assert.match(fingerprint, GROUPS);
  await openAccountMenu(page);
  await page.screenshot({ path: artifact('your-key.png'), fullPage: true });

  // Read without credentials, as anyone would.
  const response = await fetch(new URL('alice/solidcrypt-public/identity.pem', podUrl));
  assert.equal(response.status, 200);
  const der = createPublicKey(await response.text()).export({ type: 'spki', format: 'der' });
  const published = createHash('sha256').update(der).digest('hex').match(/..../g).join(' ');
  assert.equal(published, fingerprint);

  await page.reload();
  await setOrUnlock(page);
  assert.equal(await ownFingerprint(page), fingerprint);
});
