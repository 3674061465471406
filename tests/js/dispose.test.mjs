// Disposing of an instance (instance.dispose() or [Symbol.dispose]): its engine memory is
// given back at once; it is locked down with its own message; calls in flight reject and
// the host calls its guest made are aborted; other instances go on. Dropping an instance
// without disposing gives the memory back at garbage collection (tests/soak measures it).
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import assert from 'node:assert/strict';
import { Component, ComponentTrap } from '../../js/index.mjs';
import { componentBytes } from '../helpers/components.mjs';
import { loadEngine } from '../../js/engine-loader.mjs';
import { keeperBytes, keeperHost } from '../hostile/components.mjs';

const keeper = await Component.compile(await keeperBytes());

// Garbage collection on demand, without --expose-gc on the command line.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

const hostCaller = await Component.compile(await componentBytes('async-host-caller'));

test('a disposed instance refuses every call, with a message that says so', async () => {
  const instance = await keeper.instantiate(keeperHost().imports);
  const bystander = await keeper.instantiate(keeperHost().imports);
  const { probe, R } = instance.exports;
  const r = new R(5);
  assert.equal(probe(), 42);
  instance.dispose();
  instance[Symbol.dispose]();  // a second time does nothing
  assert.throws(() => probe(), (e) => e instanceof ComponentTrap && /cannot enter component instance: it was disposed/.test(e.message));
  assert.throws(() => new R(1), /it was disposed/);
  assert.throws(() => r.get(), /it was disposed/);
  assert.throws(() => instance.taskTree(), /the instance was disposed/);
  assert.equal(bystander.exports.probe(), 42);
  assert.equal(bystander.exports.peek(new bystander.exports.R(8)), 8);
});

test('disposing rejects the calls in flight and aborts the host calls the guest made', async () => {
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  const signals = [];
  const instance = await hostCaller.instantiate({
    'fetch-value': async (x, { signal }) => {
      signals.push(signal);
      await gate;
      return x;
    },
  });
  const pending = instance.exports.sum(1, 2);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(signals.length, 2);
  instance[Symbol.dispose]();
  await assert.rejects(pending, /it was disposed/);
  assert.ok(signals.every((s) => s.aborted), 'both host calls were aborted');
  release();  // the host's answers now arrive: nothing is left to hear them
  await new Promise((resolve) => setImmediate(resolve));
  await assert.rejects(instance.exports.sum(3, 4), /it was disposed/);
});

test('disposing errors the streams the instance was writing and reading, with nothing left uncaught', async () => {
  // What goes wrong in the background is reported (uncaught, or through reportError or
  // console.error, as stream-codec.mjs does); none of it may happen.
  const uncaught = [];
  const hear = (e) => uncaught.push(e);
  process.on('uncaughtException', hear);
  process.on('unhandledRejection', hear);
  const consoleError = console.error;
  console.error = hear;
  const streams = await Component.compile(await componentBytes('streams'));
  const instance = await streams.instantiate({});
  const { produce, consume } = instance.exports;
  const out = await produce(1000, 100);  // a guest stream the host reads
  const reader = out.getReader();
  assert.equal((await reader.read()).value.length, 100);
  let pulled = 0;
  // (each chunk a host turn later, as from a network: a source that answers at once keeps
  // the guest reading in microtasks forever, and nothing else runs)
  const source = new ReadableStream({ async pull(c) { pulled++; await new Promise((r) => setImmediate(r)); c.enqueue(new Uint8Array(10)); } });
  const consumed = consume(source, 8);   // a host stream the guest reads, forever
  await new Promise((resolve) => setImmediate(resolve));
  assert.ok(pulled > 0);
  instance.dispose();
  await assert.rejects(reader.read(), /it was disposed/);
  await assert.rejects(consumed, /it was disposed/);
  const pulledThen = pulled;
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(pulled <= pulledThen + 1, 'the host source is not read on and on');
  process.off('uncaughtException', hear);
  process.off('unhandledRejection', hear);
  console.error = consoleError;
  assert.deepEqual(uncaught.map(String), [], 'nothing touched the disposed engine');
});

test('instances dropped without dispose() give their engine memory back, also after async calls', async () => {
  // (A driver that had made a host call stayed in the deadlock watcher's set, and its
  // instance with it, until the next detectDeadlocks(): forever, in a page.)
  const engine = await loadEngine();
  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    return engine.heapInUse();
  };
  const cycle = async () => {
    const { exports } = await hostCaller.instantiate({ 'fetch-value': async (x) => x });
    assert.equal(await exports.sum(1, 2), 3);
    const k = await keeper.instantiate(keeperHost().imports);
    k.exports.keep(new k.exports.R(1));
  };
  for (let i = 0; i < 5; i++) await cycle();  // warm up
  const before = await settle();
  for (let i = 0; i < 50; i++) await cycle();
  const after = await settle();
  assert.ok(after - before < 50 * 200, `engine heap grew by ${after - before} bytes over 50 dropped instances`);
});
