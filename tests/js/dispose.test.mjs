// Disposing of an instance (instance.dispose() or [Symbol.dispose]): its engine memory is
// given back at once; it is locked down with its own message; calls in flight reject and
// the host calls its guest made are aborted; other instances go on. Dropping an instance
// without disposing gives the memory back at garbage collection (tests/soak measures it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component, ComponentTrap } from '../../js/index.mjs';
import { componentBytes } from '../helpers/components.mjs';
import { keeperBytes, keeperHost } from '../hostile/components.mjs';

const keeper = await Component.compile(await keeperBytes());
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
