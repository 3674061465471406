// waitable-set.wait's event pointer is checked when the event is stored: for a wait that
// blocked, when it returns, against its own memory as it is then (the spec's
// unpack_event after wait_until). It was checked against the size JS had passed with the
// latest wait or poll of the whole instantiation (spec-map note 5). A stackful task that
// blocks needs JSPI: these run under Node 26 in `npm test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component, ComponentTrap } from '../../js/index.mjs';
import { componentBytes } from '../helpers/components.mjs';

const skip = typeof WebAssembly.Suspending === 'function' ? false : 'needs JSPI (WebAssembly.Suspending): runs under Node 26 in npm test';
const PAGE = 65536;

// Instantiates the component with a ping whose answer waits for `release()`.
async function instance() {
  const component = await Component.compile(await componentBytes('wait-memory-grows'));
  let release;
  const ping = (x) => new Promise((resolve) => { release = () => resolve(x + 1); });
  const { exports } = await component.instantiate({ ping });
  return { exports, release: () => release() };
}

const blocked = () => new Promise((resolve) => setTimeout(resolve, 10));

test('a blocked wait stores its event where the memory grew to meanwhile', { skip }, async () => {
  const { exports, release } = await instance();
  const result = exports.run(PAGE + 8);  // beyond the one page the memory has now
  await blocked();
  assert.equal(exports.grow(1), 1);
  release();
  assert.equal(await result, 2);  // the subtask's event: RETURNED
});

test('a blocked wait whose pointer is still out of bounds when it returns traps then', { skip }, async () => {
  const { exports, release } = await instance();
  const result = exports.run(3 * PAGE);
  await blocked();
  assert.equal(exports.grow(1), 1);  // two pages: still short
  release();
  await assert.rejects(result, (e) => e instanceof ComponentTrap && /out of bounds|out-of-bounds/i.test(e.message));
});
