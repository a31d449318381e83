// Alice logs in with Solid-OIDC through the Community Solid Server's own login and
// consent pages; the app shows her WebID and storage, keeps the session across a
// reload (sessionStorage, no token in the URL), and forgets it on logout.
import assert from 'node:assert/strict';
import { test } from './harness.mjs';

const ALICE = { email: 'alice@example.com', password: 'alice-password' };

/** Starts the login from the app's login screen, aiming at the test pod. */
async function startLogin(page, appUrl, podUrl) {
  await page.goto(appUrl);
  await page.getByRole('heading', { name: 'Log in to your Solid pod' }).waitFor();
  const local = page.getByRole('radio', { name: /Local pod/ });
  if ((await local.getAttribute('value')) !== podUrl) {
    // The app was built for another local pod: type this one instead.
    await page.getByLabel('Provider address or WebID').fill(podUrl);
  }
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Fills in CSS's password login page, then its consent page. */
async function loginAtPod(page, podUrl, account) {
  await page.waitForURL((url) => url.href.startsWith(podUrl), { timeout: 20_000 });
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  const authorize = page.getByRole('button', { name: 'Authorize' });
  await authorize.waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => !document.querySelector('#authorize')?.disabled);
  await authorize.click();
}

test('alice logs in through the pod, stays logged in across a reload, and logs out', async ({ page, appUrl, podUrl, artifact }) => {
  const webid = `${podUrl}alice/profile/card#me`;
  await startLogin(page, appUrl, podUrl);
  await loginAtPod(page, podUrl, ALICE);

  await page.waitForURL((url) => url.href.startsWith(appUrl), { timeout: 20_000 });
  await page.getByRole('heading', { name: 'Your pod' }).waitFor({ timeout: 20_000 });
  assert.equal(await page.getByTestId('webid').textContent(), webid);
  await page.getByTestId('storage').filter({ hasText: `${podUrl}alice/` }).waitFor();
  assert.equal(new URL(page.url()).search, '', 'the one-time code is gone from the address');
  assert.doesNotMatch(page.url(), /token|code=/);
  await page.screenshot({ path: artifact('logged-in.png'), fullPage: true });

  await page.reload();
  await page.getByRole('heading', { name: 'Your pod' }).waitFor();
  assert.equal(await page.getByTestId('webid').textContent(), webid, 'reload keeps the session');
  await page.getByTestId('storage').filter({ hasText: `${podUrl}alice/` }).waitFor();

  await page.getByRole('button', { name: 'Log out' }).click();
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
