// The shape of the page (issue 17, item 7): a header with the app's name, the
// account in a menu, Lock and Log out; a sidebar of sections (tabs on a phone); the
// file area filling the page, with a styled upload button. Nothing scrolls sideways
// on a 360 px phone, on the drive or on the page a share link opens. Dialogs are
// modal: the page behind is out of reach, Escape closes them, Tab stays inside.
// Screenshots at desktop and phone sizes go to test-artifacts/screenshots/.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from './harness.mjs';
import { ALICE, openAccountMenu } from './login-steps.mjs';
import { openDrive } from './drive-steps.mjs';
import { createLink, goToSection } from './share-steps.mjs';

const shots = join(import.meta.dirname, '..', '..', 'test-artifacts', 'screenshots');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };

/** A screenshot of the whole page, or of the window (`fullPage` false: a modal
 * dialog is drawn over the window, not over the whole page). */
async function shot(page, name, fullPage = true) {
  await mkdir(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage });
}

/** The page does not scroll sideways. */
async function assertNoSidewaysScroll(page, what) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `${what}: ${scroll} px wide in a ${client} px window`);
}

/** Tab and Shift+Tab `times` times each: the focus never leaves `dialog`. */
async function assertFocusStaysIn(page, dialog, times) {
  for (const key of ['Tab', 'Shift+Tab']) {
    for (let i = 0; i < times; i++) {
      await page.keyboard.press(key);
      assert.ok(await dialog.evaluate((d) => d.contains(document.activeElement)), `${key} ${i + 1} left the dialog`);
    }
  }
}

test('the app frame: header, account menu, sections, file area; modal dialogs; phone width without sideways scroll', async ({ page, newPage, appUrl, podUrl, expectConsoleError }) => {
  // Creating a link looks for ACL documents that do not exist yet (how WAC works).
  expectConsoleError(/^Failed to load resource: the server responded with a status of 404 /);
  const tag = randomBytes(4).toString('hex');
  const note = { name: `frame-note-${tag}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`frame ${tag}`) };
  await page.setViewportSize(DESKTOP);
  await openDrive(page, appUrl, podUrl, ALICE);
  await page.getByLabel('Upload files').setInputFiles(note);
  const listing = page.getByRole('table', { name: 'Files' });
  await listing.getByText(note.name).waitFor({ timeout: 30_000 });

  const header = page.getByRole('banner');
  await header.getByRole('link', { name: 'solidcrypt' }).waitFor();
  for (const name of ['Account', 'Lock', 'Log out']) await header.getByRole('button', { name, exact: true }).waitFor();
  const sections = page.getByRole('navigation', { name: 'Sections' });
  for (const name of ['My files', 'Shared with me', 'Links I created', 'People']) await sections.getByRole('link', { name }).waitFor();
  assert.equal(await sections.getByRole('link', { name: 'My files' }).getAttribute('aria-current'), 'page');
  // The WebID is in the account menu, not on the page.
  assert.equal(await page.getByText(`${podUrl}alice/profile/card#me`).count(), 0);
  const menu = await openAccountMenu(page);
  await menu.getByText(`${podUrl}alice/profile/card#me`).waitFor();
  await shot(page, 'desktop-account-menu');
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'detached' });
  // The file area fills the window below the header.
  const area = await page.getByRole('region', { name: 'Drop files here to upload' }).boundingBox();
  assert.ok(area.y + area.height >= DESKTOP.height - 40, `the drop zone ends at ${area.y + area.height} px`);
  await shot(page, 'desktop-drive');

  // The Share dialog is modal: the page behind cannot be clicked, Tab stays in it,
  // Escape closes it.
  await page.getByRole('button', { name: `Share ${note.name}`, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Share ${note.name}` });
  await dialog.waitFor();
  assert.equal(await dialog.evaluate((d) => d.matches(':modal')), true, 'the dialog is modal');
  await shot(page, 'desktop-share-dialog', false);
  await assertFocusStaysIn(page, dialog, 8);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  // So is the editor, and a failed save is said inside it.
  await page.getByRole('button', { name: 'New text file' }).click();
  const editor = page.getByRole('dialog', { name: 'New text file' });
  await editor.getByRole('button', { name: 'Save' }).click();
  await editor.getByRole('alert').filter({ hasText: 'the file needs a name' }).waitFor();
  await assertFocusStaysIn(page, editor, 6);
  await page.keyboard.press('Escape');
  await editor.waitFor({ state: 'detached' });

  await goToSection(page, 'Links I created');
  await page.getByRole('heading', { name: 'Links I created' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/links');
  await shot(page, 'desktop-links');
  await goToSection(page, 'Shared with me');
  await page.getByRole('heading', { name: 'Shared with me' }).waitFor();
  await shot(page, 'desktop-shared-with-me');
  await goToSection(page, 'People');
  await page.getByRole('heading', { name: 'People', exact: true }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/people');
  await page.getByRole('status').filter({ hasText: /Reading/ }).first().waitFor({ state: 'detached', timeout: 20_000 });
  await shot(page, 'desktop-people');
  await goToSection(page, 'My files');
  const link = await createLink(page, note.name, 'Read only');

  // A phone: the sections are tabs, nothing scrolls sideways.
  const phone = await newPage();
  await phone.setViewportSize(PHONE);
  await openDrive(phone, appUrl, podUrl, ALICE);
  await phone.getByRole('table', { name: 'Files' }).getByText(note.name).waitFor({ timeout: 30_000 });
  await assertNoSidewaysScroll(phone, 'the drive');
  // Every tab is in view: the tab strip does not scroll sideways either.
  const strip = await phone.getByRole('navigation', { name: 'Sections' }).evaluate((nav) => [nav.scrollWidth, nav.clientWidth]);
  assert.ok(strip[0] <= strip[1], `the tabs are ${strip[0]} px wide in ${strip[1]} px`);
  await shot(phone, 'phone-drive');
  await (await openAccountMenu(phone)).getByText(`${podUrl}alice/profile/card#me`).waitFor();
  await assertNoSidewaysScroll(phone, 'the account menu');
  await shot(phone, 'phone-account-menu');
  await phone.keyboard.press('Escape');
  await phone.getByRole('button', { name: `Share ${note.name}`, exact: true }).click();
  await phone.getByRole('dialog', { name: `Share ${note.name}` }).waitFor();
  await assertNoSidewaysScroll(phone, 'the Share dialog');
  await shot(phone, 'phone-share-dialog', false);
  await phone.keyboard.press('Escape');
  for (const [section, heading] of [['Links I created', 'Links I created'], ['Shared with me', 'Shared with me'], ['People', 'People']]) {
    await goToSection(phone, section);
    await phone.getByRole('heading', { name: heading, exact: true }).waitFor();
    await phone.getByRole('status').filter({ hasText: /Loading|Reading/ }).first().waitFor({ state: 'detached', timeout: 20_000 });
    await assertNoSidewaysScroll(phone, section);
    await shot(phone, `phone-${section.toLowerCase().replaceAll(' ', '-')}`);
  }

  // The page a share link opens, on a phone, logged out.
  const visitor = await newPage();
  await visitor.setViewportSize(PHONE);
  await visitor.goto(link);
  await visitor.getByRole('heading', { name: /shared a file with you/ }).waitFor({ timeout: 20_000 });
  await assertNoSidewaysScroll(visitor, 'the share page');
  await shot(visitor, 'phone-share-page');
});
