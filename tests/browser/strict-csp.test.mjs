// The package under a strict Content-Security-Policy, as production sites send it
// (scripts/serve.mjs STRICT_CSP: `script-src 'self' 'nonce-…' 'wasm-unsafe-eval'`, no
// 'unsafe-eval'): the engine starts with its strict glue, and sync, resource and async
// calls work. Told up front (configureEngine({ codegen: false })), it causes no CSP
// violation at all; left to find out, exactly one (its probe). The other browser suites
// run again under this policy in `npm test` (CMBRIDGE_TEST_CSP=strict).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testBrowser } from '../helpers/browser.mjs';
import { componentBytes } from '../helpers/components.mjs';
import { keeperBytes } from '../hostile/components.mjs';
import { STRICT_CSP } from '../../scripts/serve.mjs';
import { repoRoot } from '../../scripts/prerequisites.mjs';

let browser;
// Chromium, or Firefox or WebKit under CMBRIDGE_TEST_BROWSER (helpers/browser.mjs).
const skip = testBrowser.missing;
const name = testBrowser.name;

before(async () => {
  if (skip) return;
  // The page fetches the components from the server (build/ is served with the repository).
  const dir = path.join(repoRoot, 'build', 'test-components');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'add.wasm'), await componentBytes('add'));
  await writeFile(path.join(dir, 'keeper.wasm'), await keeperBytes());
  await writeFile(path.join(dir, 'async-host-caller.wasm'), await componentBytes('async-host-caller'));
  browser = await testBrowser.open({ csp: STRICT_CSP });
});
after(() => browser?.close());

// The page does its work at load, on its own (see page.mjs); the test only reads the results.
async function runPage(query) {
  const { page } = browser;
  await page.goto(`${browser.url}/tests/browser/strict-csp/page.html${query}`);
  let results;
  for (let i = 0; i < 600 && results === undefined; i++) {
    results = await page.evaluate(() => globalThis.cspResults ?? null) ?? undefined;
    if (results === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.notEqual(results, undefined, 'the page finished within 30 s');
  assert.equal(results.error, undefined, results.error);
  return results;
}

const expected = { add: 42, resource: [7, 9], dropped: 1, async: 70 };

test(`${name}, strict CSP, told up front: everything works and nothing is reported`, { skip }, async () => {
  const results = await runPage('?codegen=false');
  assert.equal(results.evalBlocked, true, 'the policy is in force');
  assert.deepEqual({ ...results, evalBlocked: undefined, violations: undefined }, { ...expected, evalBlocked: undefined, violations: undefined });
  assert.deepEqual(results.violations, []);
  // (The engine's own report of the page's eval check, worded as each engine does.)
  assert.deepEqual(browser.consoleErrors.filter((m) => !/Refused to evaluate|Content[- ]Security[- ]Policy|unsafe-eval/i.test(m)), []);
});

test(`${name}, strict CSP, left to find out: everything works, one violation (the probe)`, { skip }, async () => {
  const results = await runPage('');
  assert.equal(results.evalBlocked, true);
  assert.equal(results.add, expected.add);
  assert.deepEqual(results.resource, expected.resource);
  assert.equal(results.async, expected.async);
  assert.deepEqual(results.violations, ['script-src: eval'], 'one violation: the probe');
});
