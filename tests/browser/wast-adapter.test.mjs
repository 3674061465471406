// The browser side of the WAST runner (tests/conformance/browser-api.mjs): what the page
// returns and throws must look, in Node, exactly as the package's own results do when it
// runs in Node — same values, same error classes and messages — and a page that a guest
// has hung must not take the rest of the run with it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as nodeApi from '../../js/index.mjs';
import { testBrowser } from '../helpers/browser.mjs';
import { watToBytes } from '../helpers/components.mjs';
import { openBrowserSession } from '../conformance/browser-api.mjs';
import { TYPE_SYMBOL, runScript } from '../conformance/wast-runner.mjs';

let session;
let api;
// Chromium, or Firefox or WebKit under CMBRIDGE_TEST_BROWSER (helpers/browser.mjs).
const skip = testBrowser.missing;

before(async () => {
  if (skip) return;
  session = await openBrowserSession();
  ({ api } = await session.load());
});
after(() => session?.close());



const SCALARS = `(component
  (core module $m
    (memory (export "memory") 1)
    (data (i32.const 16) "\\01\\00\\00\\00\\07\\00\\00\\00")
    (func (export "id64") (param i64) (result i64) local.get 0)
    (func (export "idf64") (param f64) (result f64) local.get 0)
    (func (export "boom") unreachable)
    (func (export "spin") (loop (br 0)))
    (func (export "fail") (result i32) i32.const 16)
    (func (export "surrogate") (result i32) i32.const 0xd800))
  (core instance $i (instantiate $m))
  (func (export "id-u64") (param "x" u64) (result u64) (canon lift (core func $i "id64")))
  (func (export "id-f64") (param "x" f64) (result f64) (canon lift (core func $i "idf64")))
  (func (export "boom") (canon lift (core func $i "boom")))
  (func (export "spin") (canon lift (core func $i "spin")))
  (func (export "bad-char") (result char) (canon lift (core func $i "surrogate")))
  (func (export "fail") (result (result u32 (error u32)))
    (canon lift (core func $i "fail") (memory (core memory $i "memory"))))
)`;

const PROVIDER = `(component
  (core module $m (func (export "double") (param i32) (result i32) local.get 0 local.get 0 i32.add))
  (core instance $i (instantiate $m))
  (func (export "double") (param "x" u32) (result u32) (canon lift (core func $i "double")))
)`;

const CONSUMER = `(component
  (import "math" (instance $math (export "double" (func (param "x" u32) (result u32)))))
  (alias export $math "double" (func $double))
  (core func $d (canon lower (func $double)))
  (core module $m
    (import "" "double" (func $d (param i32) (result i32)))
    (func (export "quad") (param i32) (result i32) local.get 0 call $d call $d))
  (core instance $i (instantiate $m (with "" (instance (export "double" (func $d))))))
  (func (export "quad") (param "x" u32) (result u32) (canon lift (core func $i "quad")))
)`;

// What a promise settles to, as something assert.deepEqual can compare across realms.
async function outcome(promise) {
  try {
    return { value: await promise };
  } catch (e) {
    const bases = [WebAssembly.CompileError, WebAssembly.LinkError, WebAssembly.RuntimeError, TypeError, RangeError, Error];
    return {
      error: {
        class: e.constructor.name,
        base: bases.find((C) => e instanceof C)?.name,
        message: e.message,
        payload: e.payload,
        isTrap: e instanceof nodeApi.ComponentTrap,
      },
    };
  }
}

// Runs `act(api)` against the package in Node and in the page; both must come out the same.
// `engineWording`: the message is the JavaScript engine's own (a core wasm instruction's
// trap), which only V8 words as Node does (Firefox: "unreachable executed", WebKit:
// "Unreachable code should not be executed"); elsewhere it must just be there.
async function sameInBoth(act, { engineWording = false } = {}) {
  const inNode = await outcome(act(nodeApi));
  const inPage = await outcome(act(api));
  if (engineWording && testBrowser.name !== 'Chromium' && inPage.error && inNode.error) {
    assert.ok(inPage.error.message.length > 0);
    inPage.error.message = inNode.error.message;
  }
  assert.deepEqual(inPage, inNode);
  return inPage;
}

test('values cross to the page and back unchanged', { skip }, async () => {
  const values = [
    -0, NaN, -Infinity, 2n ** 64n - 1n, undefined, null, 'a\ud800', '😀',
    new Float32Array([NaN, -0, 1.5]), new BigUint64Array([2n ** 64n - 1n]), new Uint8Array([1, 2, 3]),
    { tag: 'some', val: [{ a: 1n, b: undefined }, [true, 'x']] },
  ];
  for (const value of values) assert.deepEqual(await session.echo(value), value);
  const e = await session.echo(new RangeError('out of range'));
  assert.ok(e instanceof RangeError);
  assert.equal(e.message, 'out of range');
});

test('exports are mirrored with their names and types, and calls return the same values as in Node', { skip }, async () => {
  const bytes = await watToBytes(SCALARS);
  const { exports } = await (await api.Component.compile(bytes)).instantiate({});
  const local = (await (await nodeApi.Component.compile(bytes)).instantiate({})).exports;
  assert.deepEqual(Object.keys(exports), Object.keys(local));
  assert.equal(exports['id-u64'], exports.idU64, 'the exact component name is the same function');
  assert.deepEqual(exports.idU64[TYPE_SYMBOL], local.idU64[TYPE_SYMBOL]);
  assert.equal(await exports.idU64(2n ** 64n - 1n), 2n ** 64n - 1n);
  assert.ok(Object.is(await exports.idF64(-0), -0));
  assert.ok(Number.isNaN(await exports.idF64(NaN)));
});

test('errors arrive as the classes Node would see: CompileError, LinkError, traps, argument errors, result errors', { skip }, async () => {
  const scalars = await watToBytes(SCALARS);
  const consumer = await watToBytes(CONSUMER);
  const instance = async (a, bytes) => (await (await a.Component.compile(bytes)).instantiate({})).exports;

  const compileError = await sameInBoth((a) => a.Component.compile(new Uint8Array([0, 1, 2])));
  assert.equal(compileError.error.base, 'CompileError');
  const linkError = await sameInBoth((a) => instance(a, consumer));
  assert.equal(linkError.error.base, 'LinkError');
  const guestTrap = await sameInBoth(async (a) => (await instance(a, scalars)).boom(), { engineWording: true });
  assert.equal(guestTrap.error.base, 'RuntimeError');
  const trap = await sameInBoth(async (a) => (await instance(a, scalars)).badChar());
  assert.equal(trap.error.class, 'ComponentTrap');
  assert.ok(trap.error.isTrap);
  const range = await sameInBoth(async (a) => (await instance(a, scalars)).idU64(-1n));
  assert.equal(range.error.base, 'RangeError');
  const type = await sameInBoth(async (a) => (await instance(a, scalars)).idU64('x'));
  assert.equal(type.error.base, 'TypeError');
  const resultError = await sameInBoth(async (a) => (await instance(a, scalars)).fail());
  assert.equal(resultError.error.class, 'ComponentError');
  assert.equal(resultError.error.payload, 7);
});

test('one instance\'s exports serve as another\'s imports, by reference to the page', { skip }, async () => {
  const provider = await (await api.Component.compile(await watToBytes(PROVIDER))).instantiate({});
  const consumer = await (await api.Component.compile(await watToBytes(CONSUMER))).instantiate({ math: provider.exports });
  assert.equal(await consumer.exports.quad(5), 20);
});

test('the runner reads the page\'s results as it reads Node\'s: returns, traps, invalid and unlinkable components, register', { skip }, async () => {
  const script = `
    (component $P ${PROVIDER.slice('(component'.length)}
    (register "math" $P)
    (component ${CONSUMER.slice('(component'.length)}
    (assert_return (invoke "quad" (u32.const 3)) (u32.const 12))
    (component ${SCALARS.slice('(component'.length)}
    (assert_return (invoke "id-u64" (u64.const 0xffffffffffffffff)) (u64.const 0xffffffffffffffff))
    (assert_return (invoke "fail") (result.err (u32.const 7)))
    (assert_trap (invoke "boom") "unreachable")
    (component ${SCALARS.slice('(component'.length)}
    (assert_trap (invoke "bad-char") "invalid char")
    (assert_invalid (component (core module $m) (core instance (instantiate 5))) "index out of bounds")
    (assert_unlinkable (component (import "nope" (func))) "nope")
  `;
  const { results, counts } = await runScript(script, { api });
  assert.deepEqual(counts, { passed: 12, failed: 0, skipped: 0 }, JSON.stringify(results.filter((r) => r.status !== 'passed')));
});

test('a guest in an endless loop fails its request, and the next load gets a working page', { skip }, async () => {
  const saved = session.watchdogMs;
  session.watchdogMs = 300;
  try {
    const { exports } = await (await api.Component.compile(await watToBytes(SCALARS))).instantiate({});
    await assert.rejects(exports.spin(), /page is unusable.*endless loop/);
    await assert.rejects(exports.idU64(1n), /page is unusable/, 'later requests fail fast');
    ({ api } = await session.load());
    const fresh = (await (await api.Component.compile(await watToBytes(SCALARS))).instantiate({})).exports;
    assert.equal(await fresh.idU64(5n), 5n);
  } finally {
    session.watchdogMs = saved;
  }
});
