// Argon2id (128 MiB) runs in a Web Worker that is ended right after each derivation
// (crypto::password_worker), so setting the master password and unlocking leave the
// app's own wasm memory small. Run inline, Argon2id would grow that memory past
// 128 MiB for the rest of the session (wasm memory never shrinks).
import assert from 'node:assert/strict';
import { test } from './harness.mjs';
import { ALICE, logIn } from './login-steps.mjs';
import { setOrUnlock, unlockAfterAWrongPassword } from './drive-steps.mjs';

/** Well under Argon2id's 128 MiB, well over what the app needs without it. */
const LIMIT_MIB = 64;

/** Keeps the app's wasm memory (Trunk's start event carries the instance's exports)
 * where the test can read it, and records each Argon2id worker and its end. */
async function watchMemory(page) {
  await page.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (event) => {
      window.appWasmMemory = event.detail.wasm.memory;
    });
  });
  const workers = [];
  page.on('worker', (worker) => {
    if (!worker.url().endsWith('/kdf_worker_loader.js')) return;
    const entry = { closed: false };
    worker.on('close', () => { entry.closed = true; });
    workers.push(entry);
  });
  return workers;
}

const wasmMib = (page) => page.evaluate(() => window.appWasmMemory.buffer.byteLength / 2 ** 20);

test('alice unlocks with Argon2id in a worker: the app keeps under 64 MiB of wasm memory', async ({ page, appUrl, podUrl }) => {
  const workers = await watchMemory(page);
  await logIn(page, appUrl, podUrl, ALICE);
  await setOrUnlock(page);
  assert.equal(workers.length, 1, 'one Argon2id worker for setting or unlocking');
  let mib = await wasmMib(page);
  assert.ok(mib < LIMIT_MIB, `app wasm memory after the first unlock: ${mib} MiB`);

  // After a reload: a wrong password is refused as before (its worker ends too),
  // the right one unlocks, and the memory is still small.
  await page.reload();
  await unlockAfterAWrongPassword(page);
  assert.equal(workers.length, 3, 'one worker per derivation');
  mib = await wasmMib(page);
  assert.ok(mib < LIMIT_MIB, `app wasm memory after unlocking again: ${mib} MiB`);
  await expectClosed(workers);
});

/** Every worker has ended (terminated by the app once it answered). */
async function expectClosed(workers) {
  for (let i = 0; i < 50 && !workers.every((w) => w.closed); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.deepEqual(workers.map((w) => w.closed), workers.map(() => true), 'every worker ended');
}
