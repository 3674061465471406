// stream<T> between a guest (callback-ABI async exports, tests/components/streams.wat) and
// the host: byte ReadableStreams with BYOB, values, host sources of every accepted kind,
// backpressure both ways, partial copies, drops and cancellation from either side, and the
// spec's traps. `settled()` lets queued microtasks and one host turn run (the driver drains
// the engine's ready queue in a microtask); it is not a timer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byteStreamOf } from '../../js/wasi/http/body.mjs';
import { Component, ComponentTrap } from '../../js/index.mjs';
import { componentBytes } from '../helpers/components.mjs';

const component = await Component.compile(await componentBytes('streams'));
const fresh = async () => (await component.instantiate({})).exports;
const settled = () => new Promise((resolve) => setImmediate(resolve));

// Byte k of produce()'s stream is k & 255.
const pattern = (from, length) => Uint8Array.from({ length }, (_, i) => (from + i) & 255);

test('stream<u8> from a guest is a byte ReadableStream that supports BYOB readers', async () => {
  const e = await fresh();
  const stream = await e.produce(1000, 300);
  assert.ok(stream instanceof ReadableStream);
  const reader = stream.getReader({ mode: 'byob' });
  const { value, done } = await reader.read(new Uint8Array(100));
  assert.equal(done, false);
  assert.deepEqual(value, pattern(0, 100));
  // The guest's 300-byte write completed with 100 (a partial copy); it writes on from there.
  await settled();
  assert.equal(e.written(), 100);
  const next = await reader.read(new Uint8Array(500));
  assert.deepEqual(next.value, pattern(100, 300));
  let total = 400;
  for (;;) {
    const r = await reader.read(new Uint8Array(1000));
    if (r.done) break;
    assert.deepEqual(r.value, pattern(total, r.value.length));
    total += r.value.length;
  }
  assert.equal(total, 1000);
  assert.equal(e.finished(), 1);
});

test('a default reader gets chunks of at most 64 KiB, in order', async () => {
  const e = await fresh();
  const stream = await e.produce(200_000, 100_000);
  let total = 0;
  for await (const chunk of stream) {
    assert.ok(chunk.length > 0 && chunk.length <= 65536, `chunk of ${chunk.length}`);
    assert.deepEqual(chunk, pattern(total, chunk.length));
    total += chunk.length;
  }
  assert.equal(total, 200_000);
});

test('backpressure: the guest writes only as fast as the consumer reads', async () => {
  const e = await fresh();
  const stream = await e.produce(1000, 1000);
  await settled();
  assert.equal(e.written(), 0, 'nothing moves before the consumer reads');
  const reader = stream.getReader({ mode: 'byob' });
  assert.deepEqual((await reader.read(new Uint8Array(10))).value, pattern(0, 10));
  await settled();
  assert.equal(e.written(), 10);
  await settled();
  assert.equal(e.written(), 10, 'a consumer that does not read holds the guest back');
  assert.deepEqual((await reader.read(new Uint8Array(25))).value, pattern(10, 25));
  await settled();
  assert.equal(e.written(), 35);
  await reader.cancel();
});

test('cancelling the ReadableStream drops the readable end: the guest\'s next write sees DROPPED', async () => {
  const e = await fresh();
  const stream = await e.produce(1000, 100);
  const reader = stream.getReader();
  const first = await reader.read();
  assert.equal(first.value.length, 100);
  await reader.cancel('not interested');
  await settled();
  assert.equal(e.finished(), 2);
  assert.equal(e.written(), 100);
});

test('disposing an unread ReadableStream cancels it (a host that refuses the data)', async () => {
  const e = await fresh();
  const stream = await e.produce(1000, 100);
  stream[Symbol.dispose]();
  await settled();
  assert.equal(e.finished(), 2, 'the guest\'s write saw DROPPED');
  assert.equal(e.written(), 0);
  const locked = await e.produce(1000, 100);
  const reader = locked.getReader();
  locked[Symbol.dispose]();  // a reader holds it: disposing leaves it to the reader
  assert.equal((await reader.read()).value.length, 100);
  await reader.cancel();
});

test('a guest dropping its writable end closes the ReadableStream, pending BYOB read included', async () => {
  const e = await fresh();
  const reader = (await e.produce(5, 5)).getReader({ mode: 'byob' });
  assert.deepEqual((await reader.read(new Uint8Array(16))).value, pattern(0, 5));
  const end = await reader.read(new Uint8Array(16));
  assert.equal(end.done, true);
});

test('host to guest: a Uint8Array, an Array, an async iterable and a byte ReadableStream', async () => {
  const e = await fresh();
  const bytes = pattern(0, 1000);
  const sum = bytes.reduce((a, b) => a + b, 0);
  assert.deepEqual(await e.consume(bytes, 64), [1000, sum]);
  assert.deepEqual(await e.consume([1, 2, 3, 250], 3), [4, 256]);
  async function* chunks() {
    yield new Uint8Array([1, 2]);
    yield 3;  // a single byte
    yield new Uint8Array([4, 5, 6]).subarray(1);
  }
  assert.deepEqual(await e.consume(chunks(), 2), [5, 1 + 2 + 3 + 5 + 6]);
  const source = new ReadableStream({
    type: 'bytes',
    start(controller) {
      controller.enqueue(pattern(0, 300));
      controller.enqueue(pattern(300, 300));
      controller.close();
    },
  });
  assert.deepEqual(await e.consume(source, 1000), [600, pattern(0, 600).reduce((a, b) => a + b, 0)]);
});

test('host to guest: the source is read only as the guest reads; a guest that drops its end cancels it', async () => {
  const e = await fresh();
  let pulls = 0;
  let cancelled = null;
  const source = new ReadableStream({
    pull(controller) {
      pulls++;
      controller.enqueue(pattern(pulls * 10, 10));
    },
    cancel(reason) { cancelled = reason ?? 'cancelled'; },
  }, { highWaterMark: 0 });
  // take() reads 3 bytes once, then drops its readable end: a partial copy of the first chunk.
  const payload = await e.take(source, 3);
  assert.equal(payload, (3 << 4) | 0, 'COMPLETED with 3 elements');
  await settled();
  assert.equal(pulls, 1, 'only the chunk the guest read from was pulled');
  assert.notEqual(cancelled, null, 'the source was cancelled when the guest dropped its end');
});

test('the host writes with a WritableStream: a TransformStream\'s readable side goes to the guest', async () => {
  const e = await fresh();
  const { readable, writable } = new TransformStream();
  const result = e.consume(readable, 4);
  const writer = writable.getWriter();
  await writer.write(new Uint8Array([10, 20]));
  await writer.write(new Uint8Array([30]));
  await writer.close();
  assert.deepEqual(await result, [3, 60]);
});

test('a host stream passed through a guest and back: the host reads what it writes', async () => {
  const e = await fresh();
  const back = await e.pass(new Uint8Array([1, 2, 3]));
  const chunks = [];
  for await (const chunk of back) chunks.push(...chunk);
  assert.deepEqual(chunks, [1, 2, 3]);
  async function* gen() { yield new Uint8Array([4, 5]); yield new Uint8Array([6]); }
  const again = [];
  for await (const chunk of await e.pass(gen())) again.push(...chunk);
  assert.deepEqual(again, [4, 5, 6]);
});

test('a host value that is not stream-like is a TypeError before the guest runs', async () => {
  const e = await fresh();
  await assert.rejects(e.consume(42, 1), (err) => err instanceof TypeError && /ReadableStream/.test(err.message));
  await assert.rejects(e.consume('abc', 1), TypeError);
  await assert.rejects(e.consume({}, 1), TypeError);
  const locked = new ReadableStream();
  locked.getReader();
  await assert.rejects(e.consume(locked, 1), /locked/);
  // The instance is fine afterwards.
  assert.deepEqual(await e.consume([7], 1), [1, 7]);
});

test('stream<u32> is a ReadableStream of numbers; from the host, a Uint32Array, an Array or values one by one', async () => {
  const e = await fresh();
  const values = [];
  for await (const v of await e.squares(100)) values.push(v);
  assert.deepEqual(values, Array.from({ length: 100 }, (_, i) => i * i));
  assert.equal(await e.sum32(new Uint32Array([1, 2, 3, 4, 0xfffffff0])), (10 + 0xfffffff0) >>> 0);
  assert.equal(await e.sum32([5, 6, 7, 8]), 26);
  async function* gen() { yield 100; yield 200; }
  assert.equal(await e.sum32(gen()), 300);
  await assert.rejects(e.sum32([1, -1]), RangeError);
});

test('stream<string> from a guest is a ReadableStream of strings; from the host, any array of strings', async () => {
  const e = await fresh();
  const words = [];
  for await (const w of await e.words()) words.push(w);
  assert.deepEqual(words, ['hello', 'world!']);
  assert.equal(await e.totalLength(['a', 'bcd', 'ef', '€']), 1 + 3 + 2 + 3);
  async function* gen() { yield 'xy'; yield 'z'; }
  assert.equal(await e.totalLength(gen()), 3);
});

test('a guest\'s malformed element traps when the host reads it: the stream errors, the instance is locked', async () => {
  const e = await fresh();
  const reader = (await e.badWords()).getReader();
  await assert.rejects(reader.read(), (err) => err instanceof ComponentTrap && /UTF-8|utf-8|invalid/i.test(err.message));
  await assert.rejects(e.loopback(), /cannot enter component instance/);
});

test('a stream within one instance: a write meets a read, both ends in the same memory', async () => {
  const e = await fresh();
  // read payload (5 << 4, COMPLETED) * 100 + 0 + 1 + 2 + 3 + 4
  assert.equal(await e.loopback(), 80 * 100 + 10);
});

test('traps: dropping a readable end whose read is in flight', async () => {
  const e = await fresh();
  await assert.rejects(e.busyDrop(), (err) => err instanceof ComponentTrap && /cannot remove busy stream/.test(err.message));
  await assert.rejects(e.loopback(), /cannot enter component instance/);
});

test('traps: a second op on an end whose op is in flight; a future\'s writer dropped unwritten', async () => {
  await assert.rejects((await fresh()).readTwice(), (err) => err instanceof ComponentTrap && /concurrent operations/.test(err.message));
  await assert.rejects((await fresh()).dropUnwritten(), /cannot drop future write end without first writing a value/);
});

test("traps: a sync read that must block needs JSPI where nothing was rewritten for Asyncify (suspendWith: 'jspi')", { skip: typeof WebAssembly.Suspending === 'function' && 'this engine has JSPI: the stack suspends' }, async () => {
  const jspiOnly = await Component.compile(await componentBytes('streams'), { suspendWith: 'jspi' });
  const e = (await jspiOnly.instantiate({})).exports;
  await assert.rejects(e.syncReadBlocks(), (err) => err instanceof ComponentTrap && /JSPI/.test(err.message));
});

test('guest to guest inside one component: the end moves between tables, the bytes between memories', async () => {
  const composed = await Component.compile(await componentBytes('streams-composed'));
  const { exports: e } = await composed.instantiate({});
  // progress * 100000 + the sum of the bytes the reader got
  assert.equal(e.pull(100), 100 * 100000 + 4950, 'a stream returned by the producer, read by the consumer');
  assert.equal(e.push(50), 50 * 100000 + 50 * 3, 'a stream passed as an argument, read by the callee');
});

test('guest to guest: stream<string> elements are copied by the engine, transcoded for the reader', async () => {
  const composed = await Component.compile(await componentBytes('streams-composed'));
  const { exports: e } = await composed.instantiate({});
  // "hello", "wörld" (UTF-8) read as UTF-16: progress * 100000 + code units * 1000 + 'w'
  assert.equal(e.wordsUtf16(), 2 * 100000 + 10 * 1000 + 0x77);
});

test('a trap in the instance fails the host\'s reads in flight and later ones', async () => {
  const e = await fresh();
  const reader = (await e.hold()).getReader();
  const pending = reader.read();  // no guest write will come
  const pendingFuture = e.awaitFuture(new Promise(() => {}));
  await assert.rejects(e.busyDrop(), /cannot remove busy stream/);
  await assert.rejects(pending, (err) => err instanceof ComponentTrap && /trapped earlier/.test(err.message));
  await assert.rejects(pendingFuture, ComponentTrap);
  await assert.rejects(e.produce(10, 10), /trapped earlier/);
});

test('through imports: a stream argument reaches the host as a ReadableStream, a returned Uint8Array as a stream', async () => {
  const imports = await Component.compile(await componentBytes('streams-imports'));
  let received = null;
  const { exports: e } = await imports.instantiate({
    sink: (s) => { received = s; },
    source: () => new Uint8Array([42, 1, 2]),
  });
  assert.equal(e.send(5), 0xffffffff, 'the write waits for the host to read');
  assert.ok(received instanceof ReadableStream);
  const { value } = await received.getReader().read();
  assert.deepEqual(value, new Uint8Array([9, 9, 9, 9, 9]));
  // The host's bytes are there when the guest reads, in the call that got the stream.
  assert.equal(e.recv(8), ((3 << 4) | 0) * 1000 + 42);
});

test('a host function marked RAW_BYTE_STREAMS (wasi:http\'s own) gets a stream<u8> as a reader, read and cancelled as one', async () => {
  const { HostBytes } = await import('../../js/values/stream-codec.mjs');
  const { RAW_BYTE_STREAMS } = await import('../../js/values/raw-byte-streams.mjs');
  const imports = await Component.compile(await componentBytes('streams-imports'));
  const received = [];
  const sink = (s) => { received.push(s); };
  sink[RAW_BYTE_STREAMS] = true;
  const { exports: e } = await imports.instantiate({ sink, source: () => new Uint8Array([1]) });
  assert.equal(e.send(5), 0xffffffff, 'the write waits for the host to read');
  const [raw] = received;
  assert.ok(raw instanceof HostBytes && !(raw instanceof ReadableStream));
  const reader = raw.getReader();
  assert.throws(() => raw.getReader(), /locked/);
  assert.deepEqual(await reader.read(), { done: false, value: new Uint8Array([9, 9, 9, 9, 9]) });
  // Cancelled: the guest's end sees the reader gone; reads are done.
  await reader.cancel();
  assert.deepEqual(await reader.read(), { done: true, value: undefined });
  assert.equal(e.send(3), 0xffffffff, 'a new stream to a new reader');
  // (The guest never ends these streams: one read each.)
  const stream = byteStreamOf(received[1]);
  assert.ok(stream instanceof ReadableStream, 'byteStreamOf makes a ReadableStream of one');
  assert.deepEqual((await stream.getReader().read()).value, new Uint8Array([9, 9, 9]));
});

test('a stream or future the host wrote, handed through a guest and back, reads as the host wrote it', async () => {
  const component = await Component.compile(await componentBytes('host-to-host'));
  const { exports: e } = await component.instantiate({
    futureSource: () => Promise.resolve('from the host'),
    streamSource: () => ['a', 'b', 'c'],
    bytesSource: () => new Uint8Array([7, 8, 9]),
  });
  assert.equal(await e.passFuture(), 'from the host');
  const strings = [];
  for await (const s of e.passStream()) strings.push(s);
  assert.deepEqual(strings, ['a', 'b', 'c']);
  assert.deepEqual(new Uint8Array(await new Response(e.passBytes()).arrayBuffer()), new Uint8Array([7, 8, 9]));
});

test('an array with an element that does not fit is a TypeError before the guest runs', async () => {
  const e = await fresh();
  await assert.rejects(e.consume([1, 'x'], 1), TypeError);
  await assert.rejects(e.consume([1, 256], 1), RangeError);
  assert.deepEqual(await e.consume([1, 2], 1), [2, 3]);
});

test('an export shaped (stream<T>) -> stream<U> works in pipeThrough via asTransform()', async () => {
  const e = await fresh();
  assert.equal(typeof e.pass.asTransform, 'function');
  assert.equal(e.produce.asTransform, undefined);
  const chunks = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])];
  const source = new ReadableStream({
    pull(controller) {
      const next = chunks.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
  const bytes = [];
  for await (const chunk of source.pipeThrough(e.pass.asTransform())) bytes.push(...chunk);
  assert.deepEqual(bytes, [1, 2, 3, 4, 5]);
});
