// future<T> between a guest (tests/components/streams.wat) and the host: a guest's future is
// a Promise of its value; the host passes any thenable, whose value the guest reads when it
// settles (the guest's read waits until then).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component } from '../../js/index.mjs';
import { componentBytes } from '../helpers/components.mjs';

const component = await Component.compile(await componentBytes('streams'));
const fresh = async () => (await component.instantiate({})).exports;

// A Promise resolved with a Promise adopts it: an async export returning a future settles
// with the future's value, when the guest has written it.
test('future<u32> from a guest is a Promise of the value it writes', async () => {
  const e = await fresh();
  const result = e.futureOf(41);
  assert.ok(result instanceof Promise);
  assert.equal(await result, 41);
  assert.equal(await e.futureOf(0xffffffff), 0xffffffff);
});

test('a Promise from the host: the guest reads its value', async () => {
  const e = await fresh();
  assert.equal(await e.awaitFuture(Promise.resolve(9)), 10);
});

test('any thenable will do', async () => {
  const e = await fresh();
  assert.equal(await e.awaitFuture({ then(resolve) { resolve(5); } }), 6);
});

test('the guest waits for a Promise that settles later', async () => {
  const e = await fresh();
  let resolve;
  const later = new Promise((r) => { resolve = r; });
  let done = false;
  const result = e.awaitFuture(later).then((v) => { done = true; return v; });
  await new Promise(setImmediate);
  assert.equal(done, false, 'the guest is still waiting');
  resolve(99);
  assert.equal(await result, 100);
});

test('a guest\'s future, through the host, into a guest', async () => {
  const e = await fresh();
  assert.equal(await e.awaitFuture(e.futureOf(7)), 8);
});

test('a host value that is not a thenable is a TypeError before the guest runs', async () => {
  const e = await fresh();
  await assert.rejects(e.awaitFuture(5), (err) => err instanceof TypeError && /thenable/.test(err.message));
  await assert.rejects(e.awaitFuture({ then: 1 }), TypeError);
  assert.equal(await e.awaitFuture(Promise.resolve(1)), 2);
});
