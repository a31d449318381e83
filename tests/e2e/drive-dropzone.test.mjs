// The drop zone's highlight while files are dragged over it: moving across the
// table, buttons and text inside the zone fires `dragleave` on the zone each time;
// the highlight must stay until the pointer really leaves the zone (no flicker).
import assert from 'node:assert/strict';
import { test } from './harness.mjs';
import { ALICE } from './login-steps.mjs';
import { openDrive } from './drive-steps.mjs';

/** Dispatches a drag event of `type` on the zone; `next` picks the element the
 * pointer moves onto (the event's `relatedTarget`) inside the page. */
async function drag(zone, type, next) {
  await zone.evaluate((el, [kind, pick]) => {
    const related = pick === 'child' ? el.firstElementChild : document.body;
    el.dispatchEvent(new DragEvent(kind, {
      bubbles: true, cancelable: true, dataTransfer: new DataTransfer(), relatedTarget: related,
    }));
  }, [type, next]);
}

test('the drop zone stays highlighted while a drag crosses its contents and clears on leaving', async ({ page, appUrl, podUrl }) => {
  await openDrive(page, appUrl, podUrl, ALICE);
  const zone = page.getByRole('region', { name: 'Drop files here to upload' });
  await page.getByRole('table', { name: 'Files' }).or(page.getByText(/empty/i)).first().waitFor();
  const highlighted = () => zone.evaluate((el) => el.classList.contains('dragging'));
  const settle = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));

  await drag(zone, 'dragenter', 'child');
  await settle();
  assert.equal(await highlighted(), true, 'a drag entering the zone highlights it');

  await drag(zone, 'dragleave', 'child');
  await settle();
  assert.equal(await highlighted(), true, 'moving onto something inside the zone keeps the highlight');

  await drag(zone, 'dragleave', 'outside');
  await settle();
  assert.equal(await highlighted(), false, 'leaving the zone clears the highlight');
});
