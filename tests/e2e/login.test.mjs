// Alice logs in with Solid-OIDC through the Community Solid Server's own login and
// consent pages; the app shows her WebID and storage, keeps the session across a
// reload (sessionStorage, no token in the URL), and forgets it on logout.
import assert from 'node:assert/strict';
import { test } from './harness.mjs';
import { ALICE, loggedIn, openAccountMenu, startLogin, loginAtPod } from './login-steps.mjs';

test('alice logs in through the pod, stays logged in across a reload, and logs out', async ({ page, appUrl, podUrl, artifact }) => {
  const webid = `${podUrl}alice/profile/card#me`;
  // The app names itself by its Client ID Document when the build has one for
  // this address (scripts/test builds it so: SOLIDCRYPT_APP_URL), else registers.
  const authorizations = [];
  page.on('request', (request) => {
    if (request.url().startsWith(`${podUrl}.oidc/auth`)) authorizations.push(new URL(request.url()));
  });
  const documentUrl = `${appUrl}clientid.jsonld`;
  const served = await fetch(documentUrl).then((r) => r.json()).catch(() => null);
  await startLogin(page, appUrl, podUrl);
  await loginAtPod(page, podUrl, ALICE);
  const clientId = authorizations[0]?.searchParams.get('client_id');
  if (served?.client_id === documentUrl) {
    assert.equal(clientId, documentUrl, 'logged in by the Client ID Document');
  } else {
    assert.ok(clientId && !clientId.startsWith('http'), `a registered client: ${clientId}`);
  }

  await page.waitForURL((url) => url.href.startsWith(appUrl), { timeout: 20_000 });
  await loggedIn(page);
  await openAccountMenu(page);
  assert.equal(await page.getByTestId('webid').textContent(), webid);
  await page.getByTestId('storage').filter({ hasText: `${podUrl}alice/` }).waitFor();
  assert.equal(new URL(page.url()).search, '', 'the one-time code is gone from the address');
  assert.doesNotMatch(page.url(), /token|code=/);
  await page.screenshot({ path: artifact('logged-in.png'), fullPage: true });

  await page.reload();
  await loggedIn(page);
  await openAccountMenu(page);
  assert.equal(await page.getByTestId('webid').textContent(), webid, 'reload keeps the session');
  await page.getByTestId('storage').filter({ hasText: `${podUrl}alice/` }).waitFor();

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('dialog', { name: 'Log out' }).getByRole('button', { name: 'Log out of solidcrypt' }).click();
  await page.getByRole('heading', { name: 'Log in to your Solid pod' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Log in to your Solid pod' }).waitFor();
  assert.equal(await page.getByText(webid).count(), 0, 'logout forgets the session');
});

test('a callback that does not belong to a login started here is refused', async ({ page, appUrl }) => {
  await page.goto(new URL('callback?code=forged&state=forged', appUrl).href);
  await page.getByRole('alert').filter({ hasText: 'Login failed: no login was started in this tab' }).waitFor();
  await page.getByRole('link', { name: 'Back to the login screen' }).click();
  await page.getByRole('heading', { name: 'Log in to your Solid pod' }).waitFor();
});

test('a forged error callback shows nothing of its text and leaves the login in progress', async ({ page, appUrl, podUrl }) => {
  await startLogin(page, appUrl, podUrl);
  await page.waitForURL((url) => url.href.startsWith(podUrl), { timeout: 20_000 });
  await page.getByLabel('Email').waitFor({ timeout: 20_000 });
  const atProvider = page.url();
  const lure = 'Your account is locked. Call +1 555 0100';
  const forged = new URL('callback', appUrl);
  forged.search = new URLSearchParams({ error: 'access_denied', error_description: lure, state: 'forged' }).toString();
  await page.goto(forged.href);
  await page.getByRole('alert').filter({ hasText: 'state mismatch' }).waitFor();
  assert.equal(await page.getByText(lure).count(), 0, "the forger's text is not shown");
  assert.ok(
    await page.evaluate(() => sessionStorage.getItem('solidcrypt.pending-login') !== null),
    'the login in progress is kept',
  );
  // The real answer still completes it.
  await page.goto(atProvider);
  await loginAtPod(page, podUrl, ALICE);
  await page.waitForURL((url) => url.href.startsWith(appUrl), { timeout: 20_000 });
  await loggedIn(page);
});
