// Runs after the other share tests (files run in name order): no key carried by any
// link those tests created reached the pod, neither in its request log nor in any
// file of its data directory. scripts/test passes both paths and runs the pod with
// request logging on; the check first proves the log records requests, so an empty
// or silent log cannot pass it.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from './harness.mjs';
import { requestedPaths, seenKeys } from './share-steps.mjs';

async function* filesUnder(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}

test('no key from any share link reached the pod (request log and data directory)', async () => {
  const log = process.env.E2E_POD_LOG;
  const data = process.env.E2E_POD_DATA;
  assert.ok(log && data, 'E2E_POD_LOG and E2E_POD_DATA must name the pod log and data directory (scripts/test sets them)');
  assert.ok(seenKeys.length >= 2, `the share tests saw keys to look for (saw ${seenKeys.length}; run them with this test)`);

  const logBytes = await readFile(log);
  for (const path of requestedPaths) {
    assert.ok(logBytes.includes(path), `the pod log records the request for ${path} (else it proves nothing)`);
  }

  const forms = seenKeys.flatMap((key) => [
    key.toString('base64url'), key.toString('base64').replace(/=+$/, ''),
    key.toString('hex'), key.toString('hex').toUpperCase(),
  ]).map((form) => Buffer.from(form));
  const hits = [];
  const scan = (name, bytes) => {
    for (const form of forms) if (bytes.includes(form)) hits.push(`${name}: ${form.toString().slice(0, 6)}…`);
  };
  scan(log, logBytes);
  let scanned = 0;
  for await (const file of filesUnder(data)) {
    scan(file, await readFile(file));
    scanned++;
  }
  assert.ok(scanned > 0, 'the data directory holds files');
  assert.deepEqual(hits, [], 'key material found at the pod');
  console.log(`     no-keys check: ${seenKeys.length} keys × ${forms.length / seenKeys.length} forms, ${requestedPaths.size} request paths found in the log, ${scanned} data files scanned: 0 hits`);
});
