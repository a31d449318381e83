#!/usr/bin/env node
// `scripts/bench live`: how long after bob's upload finished (his own listing
// shows the file) alice's open shared folder shows it, without a reload —
// median of BENCH_LIVE_UPLOADS (10) uploads, over the pod's notifications and
// with them refused (routed to 403: the 5 s polling fallback).
//
// env: APP_URL, POD_URL (set by scripts/bench), BENCH_LIVE_UPLOADS (10)
import { randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';
import { aliceAndBobInOneFolder, bobUploads } from '../e2e/live-steps.mjs';

const { APP_URL: appUrl, POD_URL: podUrl } = process.env;
const uploads = +(process.env.BENCH_LIVE_UPLOADS ?? 10);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  for (const [mode, refuse, goal] of [['notifications', false, 3_000], ['polling', true, 5_000 + 3_000]]) {
    const contexts = [];
    const newPage = async () => {
      const context = await browser.newContext();
      contexts.push(context);
      return context.newPage();
    };
    const page = await newPage();
    const folder = `bench-live-${randomBytes(3).toString('hex')}`;
    const { bob, files } = await aliceAndBobInOneFolder({ page, newPage, appUrl, podUrl }, folder, refuse);
    const times = [];
    for (let i = 0; i < uploads; i++) times.push((await bobUploads(page, bob, files, 30_000, { open: false })).took);
    console.log(`live (${mode}): alice's listing showed bob's upload after a median ${median(times)} ms of ${uploads} `
      + `(min ${Math.min(...times)}, max ${Math.max(...times)}; goal ≤ ${goal} ms)`);
    for (const context of contexts) await context.close();
  }
} finally {
  await browser.close();
}
