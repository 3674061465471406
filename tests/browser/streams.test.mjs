// stream<u8> and future<u32> in headless Chromium: the byte ReadableStream (BYOB) and host
// sources work with the browser's own streams implementation, as they do in Node
// (tests/js/streams.test.mjs has the full set of behaviours).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumMissing, openBrowser } from '../helpers/browser.mjs';
import { componentBytes } from '../helpers/components.mjs';
import { PAGE_PATH } from '../conformance/browser-api.mjs';

let browser;

before(async () => {
  if (chromiumMissing) return;
  browser = await openBrowser();
});
after(() => browser?.close());

test('Chromium: stream<u8> both ways with BYOB, and a future', { skip: chromiumMissing }, async () => {
  const { page, url, consoleErrors } = browser;
  await page.goto(`${url}${PAGE_PATH}`);
  const bytes = [...await componentBytes('streams')];
  const result = await page.evaluate(async (bytes) => {
    const { Component } = await import('/js/index.mjs');
    const component = await Component.compile(new Uint8Array(bytes));
    const { exports: e } = await component.instantiate({});
    const reader = (await e.produce(1000, 300)).getReader({ mode: 'byob' });
    const first = await reader.read(new Uint8Array(100));
    let total = first.value.length;
    let ordered = first.value.every((b, i) => b === (i & 255));
    for (;;) {
      const { value, done } = await reader.read(new Uint8Array(512));
      if (done) break;
      ordered &&= value.every((b, i) => b === ((total + i) & 255));
      total += value.length;
    }
    const source = new ReadableStream({
      type: 'bytes',
      start(controller) {
        controller.enqueue(new Uint8Array([1, 2, 3]));
        controller.enqueue(new Uint8Array([4]));
        controller.close();
      },
    });
    return {
      first: first.value.length,
      total,
      ordered,
      consumed: await e.consume(source, 2),
      future: await e.futureOf(41),
      awaited: await e.awaitFuture(Promise.resolve(9)),
    };
  }, bytes);
  assert.deepEqual(result, { first: 100, total: 1000, ordered: true, consumed: [4, 10], future: 41, awaited: 10 });
  assert.deepEqual(consoleErrors, []);
});
