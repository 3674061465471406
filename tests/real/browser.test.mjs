// The real-toolchain components in a headless browser (Chromium, or Firefox or WebKit under
// CMBRIDGE_TEST_BROWSER=firefox or webkit; WebKit has no JSPI: its blocking stacks take Asyncify): every case of the chosen case files
// that needs no Node (no `node` reason; of the commands, WASI 0.3's), run in a page by the
// same outcome logic as in Node (outcome.mjs), with the browsers' WASI shims.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testBrowser } from '../helpers/browser.mjs';
import { realMissing, realRoot, summaryTable } from './harness.mjs';

// The chosen subset: wit-bindgen's runtime tests, the component-model-async programs and
// Wasmtime's WASI 0.3 programs but those that need Node (sockets, a node:http server).
const CASE_FILES = ['runtime.mjs', 'p3-async.mjs', 'p3-wasi.mjs'];
const skip = testBrowser.missing || realMissing;
let browser;
let results = [];

before(async () => {
  if (skip) return;
  browser = await testBrowser.open({ mounts: { '/real-components/': realRoot } });
  await browser.page.goto(`${browser.url}/tests/helpers/shim-page.html`);
  results = await browser.page.evaluate(async (files) => (await import('/tests/real/browser/run.mjs')).runCases(files), CASE_FILES);
  console.log(`\nreal components (${testBrowser.name}):\n${summaryTable(results)}`);
});
after(() => browser?.close());

test(`${testBrowser.name}: the real components run as in Node`, { skip }, () => {
  assert.ok(results.length > 40, `ran ${results.length} cases`);
  const failed = results.filter((r) => r.outcome === 'failed');
  assert.deepEqual(failed.map((r) => `${r.fixture}${r.name ? ` (${r.name})` : ''}: ${r.detail}`), []);
  assert.deepEqual(browser.consoleErrors.filter((e) => !/trapped with no call waiting/.test(e)), []);
});

test(`${testBrowser.name}: the cases that block a guest stack run there (JSPI, or Asyncify without it)`, { skip }, () => {
  const blocking = results.filter((r) => r.blocks);
  assert.ok(blocking.length >= 10, `ran ${blocking.length} of them`);
  assert.ok(blocking.filter((r) => /suspendingImports/.test(r.name ?? '')).length >= 2, 'the suspending-import cases are among them');
  assert.deepEqual(blocking.filter((r) => r.outcome !== 'passed' && r.outcome !== 'spec-trap').map((r) => `${r.fixture}: ${r.outcome} ${r.detail}`), []);
});
