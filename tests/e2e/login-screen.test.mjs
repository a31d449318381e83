// The first screen a newcomer sees: the app loads, the local pod is preselected, and
// validation messages come from the Rust code (not a blank or panicked page).
import assert from 'node:assert/strict';
import { test } from './harness.mjs';

test('app loads and shows the login screen', async ({ page, appUrl, artifact }) => {
  await page.goto(appUrl);
  await page.getByRole('heading', { name: 'Log in to your Solid pod' }).waitFor();
  const local = page.getByRole('radio', { name: /Local pod/ });
  assert.equal(await local.isChecked(), true, 'the local pod is preselected');
  await page.getByRole('button', { name: 'Log in' }).waitFor();
  await page.screenshot({ path: artifact('login-screen.png'), fullPage: true });
});

test('a typed address that is not a URL gets a clear message', async ({ page, appUrl }) => {
  await page.goto(appUrl);
  await page.getByLabel('Provider address or WebID').fill('not a pod');
  assert.equal(
    await page.getByRole('radio', { name: /Another provider or my WebID/ }).isChecked(),
    true,
    'typing selects the custom choice',
  );
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('status').filter({ hasText: '“not a pod” is not a web address' }).waitFor();
});

test('an unknown path shows a page-not-found screen', async ({ page, appUrl }) => {
  await page.goto(new URL('no/such/page', appUrl).href);
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();
});
