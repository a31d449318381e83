// A minimal test harness over playwright-core: tests register here, run.mjs runs them.
// Every page a test opens is watched: a console error, an uncaught exception or a
// Rust panic message fails the test, so a broken app cannot pass silently.

/** @type {{name: string, fn: Function}[]} */
export const registered = [];

/**
 * Registers an end-to-end test.
 * @param {string} name
 * @param {(ctx: {page: import('playwright-core').Page,
 *   newPage: () => Promise<import('playwright-core').Page>,
 *   browser: import('playwright-core').Browser,
 *   appUrl: string, podUrl: string, artifact: (name: string) => string,
 *   expectConsoleError: (pattern: RegExp) => void}) => Promise<void>} fn
 *   `expectConsoleError` lets a test that provokes a failed request (a 503 it routes,
 *   a file it deleted) accept the browser's own "Failed to load resource" line for
 *   it; keep the pattern that narrow. A panic always fails the test.
 */
export function test(name, fn) {
  registered.push({ name, fn });
}
