// stream<u8> and future<u32> in a browser (Chromium, or Firefox or WebKit under
// CMBRIDGE_TEST_BROWSER): the byte ReadableStream (BYOB where the engine has byte streams;
// WebKit has none, and gets a plain ReadableStream of Uint8Array chunks) and host sources
// work with the browser's own streams implementation, as they do in Node
// (tests/js/streams.test.mjs has the full set of behaviours).
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

test(`${testBrowser.name}: stream<u8> both ways (BYOB where there are byte streams), and a future`, { skip }, async () => {
  const { page, url, consoleErrors } = browser;
  await page.goto(`${url}${PAGE_PATH}`);
  const bytes = [...await componentBytes('streams')];
  const result = await page.evaluate(async (bytes) => {
    const { Component } = await import('/js/index.mjs');
    const component = await Component.compile(new Uint8Array(bytes));
    const { exports: e } = await component.instantiate({});
    const byteStreams = typeof ReadableByteStreamController === 'function';
    const stream = await e.produce(1000, 300);
    // BYOB reads of 100 then 512 bytes where there are byte streams; else the chunks as
    // the guest wrote them (300 bytes each).
    const reader = byteStreams ? stream.getReader({ mode: 'byob' }) : stream.getReader();
    const first = await (byteStreams ? reader.read(new Uint8Array(100)) : reader.read());
    let total = first.value.length;
    let ordered = first.value.every((b, i) => b === (i & 255));
    for (;;) {
      const { value, done } = await (byteStreams ? reader.read(new Uint8Array(512)) : reader.read());
      if (done) break;
      ordered &&= value instanceof Uint8Array && value.every((b, i) => b === ((total + i) & 255));
      total += value.length;
    }
    const source = new ReadableStream({
      ...(byteStreams ? { type: 'bytes' } : {}),
      start(controller) {
        controller.enqueue(new Uint8Array([1, 2, 3]));
        controller.enqueue(new Uint8Array([4]));
        controller.close();
      },
    });
    return {
      byteStreams,
      first: first.value.length,
      total,
      ordered,
      consumed: await e.consume(source, 2),
      future: await e.futureOf(41),
      awaited: await e.awaitFuture(Promise.resolve(9)),
    };
  }, bytes);
  // What differs between engines, with the reason: WebKit has no byte streams.
  const byteStreams = testBrowser.name !== 'WebKit';
  // (A default reader gets the chunks the host copied out, whatever their size.)
  assert.ok(result.first > 0 && result.first <= 1000);
  assert.deepEqual(result, { byteStreams, first: byteStreams ? 100 : result.first, total: 1000, ordered: true, consumed: [4, 10], future: 41, awaited: 10 });
  assert.deepEqual(consoleErrors, []);
});
