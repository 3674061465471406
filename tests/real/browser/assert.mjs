// The part of node:assert/strict that the cases in tests/real/cases/ use, for running them
// in a browser page (tests/helpers/shim-page.html maps `node:assert/strict` here). Same semantics:
// equal is Object.is; deepEqual compares prototypes, own enumerable keys (a key holding
// undefined is not a missing key), typed arrays element by element, and primitives by
// Object.is.
export class AssertionError extends Error {
  constructor(message) {
    super(message);
    this.name = 'AssertionError';
  }
}

const show = (v) => {
  try {
    return typeof v === 'bigint' ? `${v}n` : typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x)) ?? String(v);
  } catch {
    return String(v);
  }
};

function fail(message, fallback) {
  throw message instanceof Error ? message : new AssertionError(message ?? fallback);
}

function isDeepEqual(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (ArrayBuffer.isView(a)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Error && (a.message !== b.message || a.name !== b.name)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((k) => Object.prototype.hasOwnProperty.call(b, k) && isDeepEqual(a[k], b[k]));
}

function matches(error, expected) {
  if (expected === undefined) return true;
  if (typeof expected === 'function' && expected.prototype !== undefined && error instanceof expected) return true;
  if (expected instanceof RegExp) return expected.test(String(error?.message ?? error)) || expected.test(String(error));
  if (typeof expected === 'function') return expected(error) === true;
  if (typeof expected === 'object') return Object.keys(expected).every((k) => (expected[k] instanceof RegExp ? expected[k].test(error[k]) : isDeepEqual(error[k], expected[k])));
  return false;
}

const assert = {
  AssertionError,
  fail: (message) => fail(message, 'Failed'),
  ok: (value, message) => { if (!value) fail(message, `expected a truthy value, got ${show(value)}`); },
  equal: (a, b, message) => { if (!Object.is(a, b)) fail(message, `expected ${show(b)}, got ${show(a)}`); },
  notEqual: (a, b, message) => { if (Object.is(a, b)) fail(message, `expected anything but ${show(b)}`); },
  deepEqual: (a, b, message) => { if (!isDeepEqual(a, b)) fail(message, `expected ${show(b)}, got ${show(a)}`); },
  match: (s, re, message) => { if (!re.test(s)) fail(message, `${show(s)} does not match ${re}`); },
  throws(fn, expected, message) {
    try {
      fn();
    } catch (e) {
      if (!matches(e, expected)) fail(typeof expected === 'string' ? expected : message, `unexpected error: ${e?.message ?? e}`);
      return;
    }
    fail(typeof expected === 'string' ? expected : message, 'missing expected exception');
  },
  async rejects(promiseOrFn, expected, message) {
    try {
      await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
    } catch (e) {
      if (!matches(e, expected)) fail(typeof expected === 'string' ? expected : message, `unexpected rejection: ${e?.message ?? e}`);
      return;
    }
    fail(typeof expected === 'string' ? expected : message, 'missing expected rejection');
  },
};
assert.strictEqual = assert.equal;
assert.deepStrictEqual = assert.deepEqual;
assert.notStrictEqual = assert.notEqual;

export default assert;
