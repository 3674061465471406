// The package in a module Worker (Chromium, or Firefox or WebKit under
// CMBRIDGE_TEST_BROWSER): compile, instantiate, a sync call, a stream and a future, off
// the page's main thread (tests/browser/worker/component-worker.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testBrowser } from '../helpers/browser.mjs';
import { componentBytes } from '../helpers/components.mjs';
import { PAGE_PATH } from '../conformance/browser-api.mjs';

let browser;
const skip = testBrowser.missing;

before(async () => {
  if (skip) return;
  browser = await testBrowser.open();
});
after(() => browser?.close());

test(`${testBrowser.name}: components run in a module Worker`, { skip }, async () => {
  const { page, url, consoleErrors } = browser;
  await page.goto(`${url}${PAGE_PATH}`);
  const bytes = { add: [...await componentBytes('add')], streams: [...await componentBytes('streams')] };
  const result = await page.evaluate(async ({ add, streams }) => {
    const worker = new Worker('/tests/browser/worker/component-worker.mjs', { type: 'module' });
    const answer = new Promise((resolve, reject) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => reject(new Error(`the worker failed: ${event.message}`));
    });
    worker.postMessage({ add: new Uint8Array(add), streams: new Uint8Array(streams) });
    try {
      return await answer;
    } finally {
      worker.terminate();
    }
  }, bytes);
  if (testBrowser.jspi) {
    assert.deepEqual(result, { sum: 42, squares: [0, 1, 4, 9], future: 7 });
  } else {
    // The streams component can block a guest stack: without JSPI it needs Binaryen, which
    // a worker cannot find by its bare name (workers see no import maps; a bundler
    // resolves it). The README says so; the error names the cause.
    assert.equal(result.sum, 42);
    assert.match(result.error, /needs JSPI .* the npm package `binaryen`.*loading it failed/);
  }
  assert.deepEqual(consoleErrors, []);
});
