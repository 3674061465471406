// Host objects given to a guest as owned resources, and given back: the runtime keeps each
// while a guest table holds a handle to it (the guest may hold the only reference), and
// not a moment after it came back to the host (tests/components/host-resource-round-trip.wat).
// A server that made and took back two such objects per request (wasi:http fields and
// responses) grew without end before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Component } from '../../js/index.mjs';
import { componentBytes } from '../helpers/components.mjs';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const component = await Component.compile(await componentBytes('host-resource-round-trip'));

function host() {
  const made = [];
  const kept = [];
  class Box {
    constructor() {
      made.push(new WeakRef(this));
    }
  }
  return {
    made,
    kept,
    imports: { 'test:host/boxes': { Box, keep: (b) => kept.push(b instanceof Box) } },
    Box,
  };
}

async function collected(refs) {
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return refs.filter((r) => r.deref() !== undefined).length;
}

test('a host object made for the guest and given back to the host is not kept by the runtime', async () => {
  const h = host();
  const { exports } = await component.instantiate(h.imports);
  for (let i = 0; i < 100; i++) exports.makeAndGive();
  assert.equal(h.made.length, 100);
  assert.deepEqual(new Set(h.kept), new Set([true]), 'keep got the Box objects themselves');
  h.kept.length = 0;
  assert.equal(await collected(h.made), 0, 'every box can be collected');
});

test('a host object passed through the guest comes back as itself, and is not kept after', async () => {
  const h = host();
  const { exports } = await component.instantiate(h.imports);
  // (In a function of its own: a suspended async frame may keep the last box in a register.)
  const passHundred = () => {
    const refs = [];
    for (let i = 0; i < 100; i++) {
      const box = new h.Box();
      assert.equal(exports.passThrough(box), box);
      refs.push(new WeakRef(box));
    }
    return refs;
  };
  const refs = passHundred();
  // Passing one object twice in a row still works after the first came back.
  const again = new h.Box();
  assert.equal(exports.passThrough(exports.passThrough(again)), again);
  assert.equal(await collected(refs), 0, 'every box can be collected');
});
