// Bad arguments from JS are the host's mistake, not the guest's: they are refused with a
// TypeError or RangeError before any guest code runs (the guest's realloc included), and
// the instance goes on. A list's length is checked before any of its elements is read,
// and a dead instance is refused before its arguments are read at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component, ComponentTrap } from '../../js/index.mjs';
import { assertContained } from './contain.mjs';
import { keeperBytes, keeperHost } from './components.mjs';

const bytes = await keeperBytes();
const probe = (exports) => exports.probe() === 42;
const imports = () => keeperHost().imports;

// An array-like that counts how often its elements are read.
function countingArrayLike(length, element) {
  const reads = { count: 0 };
  const target = { length };
  const proxy = new Proxy(target, {
    get(t, key) {
      if (key === 'length') return length;
      if (typeof key === 'string' && /^\d+$/.test(key)) { reads.count++; return element; }
      return undefined;
    },
  });
  return { proxy, reads };
}

test('a list over 2^28-1 bytes is a RangeError, found without reading its elements', async () => {
  const { proxy, reads } = countingArrayLike(2 ** 28, 1);
  await assertContained({
    bytes, imports, probe, error: RangeError, locked: false,
    message: /b: list too long: 268435456 elements of 1 bytes/,
    misuse: (exports) => exports.byteCount(proxy),
  });
  assert.equal(reads.count, 0, 'no element was read');
});

test('a list<string> whose byte length is over the limit is a RangeError', async () => {
  const { proxy, reads } = countingArrayLike(2 ** 26, 'x');  // 2^26 strings of 8 bytes each
  await assertContained({
    bytes, imports, probe, error: RangeError, locked: false,
    message: /s: list too long/,
    misuse: (exports) => exports.stringCount(proxy),
  });
  assert.equal(reads.count, 0);
});

test('a typed array over the limit is a RangeError', async () => {
  // A view claims its length without 256 MiB behind it being touched.
  const big = new Uint8Array(new ArrayBuffer(2 ** 28));
  await assertContained({
    bytes, imports, probe, error: RangeError, locked: false,
    message: /list too long/,
    misuse: (exports) => exports.byteCount(big),
  });
});

test('a list whose length is not a whole number is a TypeError', async () => {
  for (const length of [-1, 1.5, NaN, 2 ** 60]) {
    await assertContained({
      bytes, imports, probe, error: TypeError, locked: false,
      message: /length must be a whole number/,
      misuse: (exports) => exports.byteCount({ length }),
    });
  }
});

test('a wrong element deep in a list is a TypeError before any guest code runs', async () => {
  await assertContained({
    bytes, imports, probe, error: TypeError, locked: false,
    message: /s\[2\]/,
    misuse: (exports) => exports.stringCount(['a', 'b', 3]),
  });
});

test('a string longer than the limit in every encoding is a RangeError', async () => {
  const huge = 'a'.repeat(2 ** 28);
  await assertContained({
    bytes, imports, probe, error: RangeError, locked: false,
    message: /string too long/,
    misuse: (exports) => exports.stringCount([huge]),
  });
});

test('a dead instance is refused before its arguments are read', async () => {
  const component = await Component.compile(bytes);
  const { exports } = await component.instantiate(imports());
  assert.throws(() => exports.boom(), WebAssembly.RuntimeError);
  const { proxy, reads } = countingArrayLike(1000, 1);
  assert.throws(() => exports.byteCount(proxy), (e) => e instanceof ComponentTrap && /trapped earlier/.test(e.message));
  assert.equal(reads.count, 0, 'the arguments of a call to a dead instance are not read');
});
