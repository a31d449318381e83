// Shared e2e steps: logging in through the app and the Community Solid Server's own
// login and consent pages, and a token for reading the pod outside the app.

export const ALICE = { name: 'alice', email: 'alice@example.com', password: 'alice-password' };

/** Starts the login from the app's login screen, aiming at the test pod. */
export async function startLogin(page, appUrl, podUrl) {
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
export async function loginAtPod(page, podUrl, account) {
  await page.waitForURL((url) => url.href.startsWith(podUrl), { timeout: 20_000 });
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  const authorize = page.getByRole('button', { name: 'Authorize' });
  await authorize.waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => !document.querySelector('#authorize')?.disabled);
  await authorize.click();
}

/** The whole login, ending on the app's logged-in page. */
export async function logIn(page, appUrl, podUrl, account) {
  await startLogin(page, appUrl, podUrl);
  await loginAtPod(page, podUrl, account);
  await page.waitForURL((url) => url.href.startsWith(appUrl), { timeout: 20_000 });
  await loggedIn(page);
}

/** Waits for the logged-in frame: the account menu in the header. */
export async function loggedIn(page) {
  await page.getByRole('button', { name: 'Account' }).waitFor({ timeout: 20_000 });
}

/** Opens the account menu (WebID, storage, change of master password). */
export async function openAccountMenu(page) {
  const menu = page.getByRole('group', { name: 'Your account' });
  if (!(await menu.isVisible())) await page.getByRole('button', { name: 'Account' }).click();
  await menu.waitFor();
  return menu;
}

/** The user's own key fingerprint, as the account menu shows it once the key is
 * checked (the menu is closed again afterwards). */
export async function ownFingerprint(page) {
  const menu = await openAccountMenu(page);
  const shown = menu.getByTestId('fingerprint');
  await shown.waitFor({ timeout: 60_000 });
  const fingerprint = (await shown.textContent()).trim();
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'hidden' });
  return fingerprint;
}

/**
 * An `Authorization` header value for `account`, obtained outside the app (CSS
 * account API → client credentials → Bearer token), to look at what the pod stores.
 */
export async function podAuthorization(podUrl, account) {
  const json = async (response) => {
    if (!response.ok) throw new Error(`${response.url}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  const index = await json(await fetch(new URL('.account/', podUrl)));
  const { authorization } = await json(await fetch(index.controls.password.login, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: account.email, password: account.password }),
  }));
  const accountToken = { authorization: `CSS-Account-Token ${authorization}` };
  const controls = await json(await fetch(new URL('.account/', podUrl), { headers: accountToken }));
  const { id, secret } = await json(await fetch(controls.controls.account.clientCredentials, {
    method: 'POST',
    headers: { ...accountToken, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'e2e-raw-read', webId: `${podUrl}${account.name}/profile/card#me` }),
  }));
  const config = await json(await fetch(new URL('.well-known/openid-configuration', podUrl)));
  const basic = Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');
  const token = await json(await fetch(config.token_endpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&scope=webid',
  }));
  return `Bearer ${token.access_token}`;
}
