// cmbridge/wasi in headless Chromium, with the shim's browser build (resolved by an import
// map, as a bundler would): a componentize-qjs component's plain and async exports, and a
// command whose stdout the browser shim writes to the console, line by line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { chromiumMissing, openBrowser } from '../helpers/browser.mjs';
import { repoRoot } from '../../scripts/prerequisites.mjs';
import { componentPath } from './componentize.mjs';

let browser;
const served = async (name) => `/${path.relative(repoRoot, await componentPath(name)).split(path.sep).join('/')}`;

before(async () => {
  if (chromiumMissing) return;
  browser = await openBrowser();
  await browser.page.goto(`${browser.url}/tests/wasi/browser-page.html`);
});
after(() => browser?.close());

test('Chromium: a JS-authored component with WASI imports, plain and async exports', { skip: chromiumMissing }, async () => {
  const { page, consoleErrors } = browser;
  const result = await page.evaluate(async (file) => {
    const { instantiate } = await import('/js/index.mjs');
    const { wasiImports } = await import('/js/wasi/index.mjs');
    const { exports } = await instantiate(fetch(file), wasiImports());
    return [exports.greet('Chromium'), exports.add(1, 2), await exports.greetLater('browser'), String(await exports.sumLater([1, 2, 3]))];
  }, await served('greeter'));
  assert.deepEqual(result, ['Hello, Chromium!', 3, 'Hello later, browser!', '6']);
  assert.deepEqual(consoleErrors, []);
});

test('Chromium: a command runs; its stdout goes to the console; exit codes', { skip: chromiumMissing }, async () => {
  const { page, consoleErrors } = browser;
  const logged = [];
  const onConsole = (message) => { if (message.type() === 'log') logged.push(message.text()); };
  page.on('console', onConsole);
  const codes = await page.evaluate(async (file) => {
    const { Component } = await import('/js/index.mjs');
    const { runCommand } = await import('/js/wasi/index.mjs');
    const component = await Component.compile(fetch(file));
    return [
      await runCommand(component, { args: ['cmd', 'host'], env: { WHERE: 'browser' } }),
      await runCommand(component, { args: ['cmd', 'exit-err'] }),
      await runCommand(component, { args: ['cmd', 'fail'] }),
    ];
  }, await served('command'));
  page.off('console', onConsole);
  assert.deepEqual(codes, [0, 1, 1]);
  assert.deepEqual(logged.slice(0, 5), ['args ["cmd","host"]', 'env [["WHERE","browser"]]', 'clock true', 'random 16', 'done']);
  assert.deepEqual(consoleErrors.filter((e) => e !== 'to stderr'), []);
});
