// The demo page in headless Chromium: it loads the bundled example component through the
// package and shows the results of its calls.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumMissing, openBrowser } from '../helpers/browser.mjs';
import { buildExamples } from '../../scripts/build.mjs';

let browser;

before(async () => {
  if (chromiumMissing) return;
  await buildExamples();
  browser = await openBrowser();
});
after(() => browser?.close());

test('the demo page calls the example component and shows the results', { skip: chromiumMissing }, async () => {
  const { page, url, consoleErrors } = browser;
  await page.goto(`${url}/web-demo/`);
  await page.waitForSelector('body[data-ready]');
  assert.equal(await page.getAttribute('body', 'data-ready'), 'true', await page.textContent('#status'));
  const rows = await page.$$eval('#calls tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
  assert.deepEqual(rows, [
    ['add(2, 40)', '42'],
    ['greet("web")', '"Hello, web!"'],
    ['sum([1.5, 2.25, 3])', '6.75'],
    ['reverse(Uint8Array [1, 2, 3])', 'Uint8Array [3, 2, 1]'],
    ['add(-1, 0)', 'RangeError: a: -1 is not a valid u32 (an integer in 0..4294967295)'],
  ]);
  assert.equal(await page.textContent('#log'), 'Hello, web!\n');
  const exportsShown = await page.$$eval('#exports li', (lis) => lis.map((li) => li.textContent));
  assert.deepEqual(exportsShown, ['add', 'greet', 'sum', 'reverse']);
  await browser.screenshot('demo-hello');
  assert.deepEqual(consoleErrors, []);
});
