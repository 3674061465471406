// Resource handles that do not belong where they are passed. Resource types are
// generative: each component instance has its own `r`, so an `r` made by one instance is
// not an `r` of another, even of the same compiled component, and a host object that is
// not of the imported class is not a `thing`. Each is refused with a TypeError before any
// guest code runs; nothing of the other instance is touched (its destructor still runs
// once, for its own object).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component } from '../../js/index.mjs';
import { assertContained } from './contain.mjs';
import { keeperBytes, keeperHost } from './components.mjs';

const bytes = await keeperBytes();
const probe = (exports) => exports.probe() === 42;
const imports = () => keeperHost().imports;

async function otherInstancesR(value) {
  const other = await (await Component.compile(bytes)).instantiate(imports());
  return { other: other.exports, r: new other.exports.R(value) };
}

test('an own<r> from another instance of the same component is a TypeError', async () => {
  const { other, r } = await otherInstancesR(7);
  await assertContained({
    bytes, imports, probe, error: TypeError, locked: false,
    message: /keep|r: this R belongs to another component instance/,
    misuse: (exports) => exports.keep(r),
  });
  assert.equal(r.get(), 7, 'the object still belongs to its own instance');
  r[Symbol.dispose]();
  assert.equal(other.dropped(), 1, 'and its own destructor runs, once');
});

test('a borrow<r> (and `self`) from another instance is a TypeError', async () => {
  const { r } = await otherInstancesR(9);
  await assertContained({
    bytes, imports, probe, error: TypeError, locked: false,
    message: /belongs to another component instance/,
    misuse: (exports) => exports.peek(r),
  });
  await assertContained({
    bytes, imports, probe, error: TypeError, locked: false,
    message: /belongs to another component instance/,
    misuse: (exports) => exports.R.prototype.get.call(r),
  });
  assert.equal(r.get(), 9);
});

test('[Symbol.dispose] of one instance\'s class on another\'s object is a TypeError', async () => {
  const { other, r } = await otherInstancesR(3);
  await assertContained({
    bytes, imports, probe, error: TypeError, locked: false,
    message: /another resource's object/,
    misuse: (exports) => exports.R.prototype[Symbol.dispose].call(r),
  });
  assert.equal(other.dropped(), 0, 'the other instance\'s destructor did not run');
  assert.equal(r.get(), 3);
});

test('two instances of one component each keep their own r', async () => {
  const component = await Component.compile(bytes);
  const a = (await component.instantiate(imports())).exports;
  const b = (await component.instantiate(imports())).exports;
  const ra = new a.R(1);
  const rb = new b.R(2);
  assert.equal(a.peek(ra), 1);
  assert.equal(b.peek(rb), 2);
  assert.equal(a.keep(ra), 1, 'the first handle of a\'s table');
  assert.equal(b.keep(rb), 1, 'the first handle of b\'s table');
});

test('a borrow<thing> that is not a Thing is a TypeError, not a trap', async () => {
  await assertContained({
    bytes, imports, probe, error: TypeError, locked: false,
    message: /t: expected an instance of Thing/,
    misuse: (exports) => exports.thingId({ id: () => 5 }),
  });
  // A real Thing works, and one host object may be lent to two instances.
  const { imports: shared, Thing } = keeperHost();
  const component = await Component.compile(bytes);
  const a = (await component.instantiate(shared)).exports;
  const b = (await component.instantiate(shared)).exports;
  const thing = new Thing(11);
  assert.equal(a.thingId(thing), 11);
  assert.equal(b.thingId(thing), 11);
});
