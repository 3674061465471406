// Wasmtime's component-model-async test programs (crates/test-programs/src/bin/async_*.rs,
// Rust, wit-bindgen 0.58), as jco keeps them: jco-transpile/p3/{general,streams,yield,
// backpressure,backpressure-sync,context-sync,error-context,round-trip,poll}/. What each
// must do is what Wasmtime's crates/misc/component-async-tests/tests/scenario/*.rs drive
// them to do; the hosts and assertions here are our own. Callers are linked to their
// callees through the host (`link`, or by hand where one callee instance must serve two
// imports). Upstream runs most programs three times concurrently; so do we.
import assert from 'node:assert/strict';
import { ComponentError, ComponentTrap, ErrorContext } from '../../../js/index.mjs';

// A turn of the host's event loop, in Node and in a page (which has no setImmediate).
const macrotask = globalThis.setImmediate ?? ((fn) => setTimeout(fn, 0));

const P3 = 'jco-transpile/p3';

// wit-bindgen 0.58's async runtime (rt/async_support.rs, FutureState::callback and
// block_on) joins the read end of its inter-task wakeup stream<_> to the task's waitable
// set whenever a task goes to sleep, and on the next event for anything else cancels that
// read synchronously before leaving the set: `stream.cancel-read` traps there
// (definitions.py cancel_copy: trap_if(e.in_waitable_set() and not async_); component-model
// #647). wit-bindgen #1638 (after 0.58) swapped the two. So every one of these programs
// whose Rust async code has to wait for something traps, in Wasmtime since #13708 too.
const WIT_BINDGEN_TRAP = {
  trap: /waitable cannot be used synchronously while added to a waitable set/,
  because: 'wit-bindgen 0.58 cancels its inter-task wakeup read synchronously while that stream is in a waitable set (component-model#647; fixed by wit-bindgen#1638)',
};
const specTrap = { expect: WIT_BINDGEN_TRAP };

// ---- helpers -------------------------------------------------------------------------

/** Lets the event loop turn `n` times (upstream's host functions yield to tokio likewise). */
async function yieldTimes(n) {
  for (let i = 0; i < n; i++) await new Promise((resolve) => macrotask(resolve));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts `count` calls of `fn` at once and awaits them all. */
function concurrently(count, fn) {
  return Promise.all(Array.from({ length: count }, (_, i) => fn(i)));
}

/** Reads a ReadableStream to its end; resolves to its chunks. */
async function readAll(stream) {
  assert.ok(stream instanceof ReadableStream, `expected a ReadableStream, got ${stream}`);
  const chunks = [];
  // A reader rather than `for await`: WebKit's ReadableStream is not async-iterable.
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

/** A ReadableStream that hands out `items` one per pull (upstream's channels of capacity 1). */
function paced(items) {
  let i = 0;
  return new ReadableStream({
    async pull(controller) {
      await yieldTimes(1);
      if (i < items.length) controller.enqueue(items[i++]);
      else controller.close();
    },
  }, { highWaterMark: 0 });
}

/** A Promise nobody settles (upstream's future whose sender was dropped unused). */
const never = () => new Promise(() => {});

// ---- round trips ---------------------------------------------------------------------
// `foo(s)` of each guest calls the imported `foo` with `${s} - entered guest` and returns
// its answer + ' - exited guest'; the host answers `${s} - entered host - exited host`.

const INPUTS = ['hello, world!', '¡hola, mundo!', "hi y'all!"];
const GUEST = (s, depth = 1) => `${s}${' - entered guest'.repeat(depth)} - entered host - exited host${' - exited guest'.repeat(depth)}`;

/** The host's `foo`: async (it yields before answering, as upstream's does) or at once. */
function hostFoo(host, { async = true } = {}) {
  if (!async) return (s) => { host.calls.push(s); return `${s} - entered host - exited host`; };
  return async (s) => {
    host.calls.push(s);
    await yieldTimes(10);
    return `${s} - entered host - exited host`;
  };
}

const bazHost = (options) => (host) => ({ 'local:local/baz': { foo: hostFoo(host, options) } });

async function roundTrip({ exports, host }, depth = 1) {
  const baz = exports['local:local/baz'];
  const results = await Promise.all(INPUTS.map((s) => baz.foo(s)));
  assert.deepEqual(results, INPUTS.map((s) => GUEST(s, depth)));
  assert.equal(host.calls.length, INPUTS.length, 'the host `foo` is called once per call');
  // And once more, one call at a time.
  for (const s of INPUTS) assert.equal(await baz.foo(s), GUEST(s, depth));
}

/** A composed round trip: `fixture`'s `foo` calls `callee`'s, which calls the host. */
function composedRoundTrip(fixture, callee, extra = {}) {
  const calls = [];
  return {
    fixture: `${P3}/round-trip/${fixture}.wasm`,
    name: `linked to ${callee}`,
    wasi: true,
    link: { 'local:local/baz': { fixture: `${P3}/round-trip/${callee}.wasm`, wasi: true, imports: () => ({ 'local:local/baz': { foo: hostFoo({ calls }) } }) } },
    run: async ({ exports }) => {
      const results = await Promise.all(INPUTS.map((s) => exports['local:local/baz'].foo(s)));
      assert.deepEqual(results, INPUTS.map((s) => GUEST(s, 2)));
      assert.equal(calls.length, INPUTS.length);
    },
    ...extra,
  };
}

// `many.foo` passes seven parameters of assorted types through and back.
const STUFF = { a: new Int32Array(42).fill(42), b: true, c: 424242n };
const MANY_ARGS = [42, new Uint8Array(42).fill(42), [4242n, 424242424242n], STUFF, STUFF, { tag: 'err', val: undefined }];

function manyHost({ async = true } = {}) {
  return (host) => ({
    'local:local/many': {
      foo: async
        ? async (a, ...rest) => { host.calls.push(a); await yieldTimes(5); return [`${a} - entered host - exited host`, ...rest]; }
        : (a, ...rest) => { host.calls.push(a); return [`${a} - entered host - exited host`, ...rest]; },
    },
  });
}

async function roundTripMany({ exports, host }) {
  const many = exports['local:local/many'];
  const results = await Promise.all(INPUTS.map((s) => many.foo(s, ...MANY_ARGS)));
  for (const [i, result] of results.entries()) {
    assert.deepEqual(result, [GUEST(INPUTS[i]), ...MANY_ARGS]);
  }
  assert.equal(host.calls.length, INPUTS.length);
  for (const s of INPUTS) assert.deepEqual(await many.foo(s, ...MANY_ARGS), [GUEST(s), ...MANY_ARGS]);
}

async function roundTripDirect({ exports, host }) {
  const results = await concurrently(3, () => exports.foo(INPUTS[0]));
  assert.deepEqual(results, [GUEST(INPUTS[0]), GUEST(INPUTS[0]), GUEST(INPUTS[0])]);
  assert.equal(host.calls.length, 3);
}

const RT = (name) => `${P3}/round-trip/${name}.wasm`;
const AT_ONCE = 'host answers at once';

const roundTripCases = [
  // Callback-lifted export, async-lowered import (wit-bindgen's async runtime): it waits
  // for the host's answer, and so traps on the wit-bindgen rule. When the host answers at
  // once the lowered call returns RETURNED, nothing waits, and it runs through.
  { fixture: RT('async-round-trip-stackless'), wasi: true, imports: bazHost(), run: roundTrip, ...specTrap },
  { fixture: RT('async-round-trip-stackless'), name: AT_ONCE, wasi: true, imports: bazHost({ async: false }), run: roundTrip },
  // Callback-lifted export, sync-lowered async import: the guest's stack blocks until the
  // host's Promise settles (its Rust future never waits, so no wit-bindgen trap).
  { fixture: RT('async-round-trip-stackless-sync-import'), blocks: true, wasi: true, imports: bazHost(), run: roundTrip },
  { fixture: RT('async-round-trip-stackless-sync-import'), name: AT_ONCE, wasi: true, imports: bazHost({ async: false }), run: roundTrip },
  // Stackful (callback-less) async lift written against the ABI by hand, which waits on
  // its subtask with waitable-set.wait.
  { fixture: RT('async-round-trip-stackful'), blocks: true, wasi: true, imports: bazHost(), run: roundTrip },
  { fixture: RT('async-round-trip-stackful'), name: AT_ONCE, wasi: true, imports: bazHost({ async: false }), run: roundTrip },
  composedRoundTrip('async-round-trip-stackful', 'async-round-trip-stackful', { blocks: true }),
  // Sync lift and sync lower of an async function type: blocking is allowed (the type is
  // async) but blocks the guest's stack.
  { fixture: RT('async-round-trip-synchronous'), blocks: true, wasi: true, imports: bazHost(), run: roundTrip },
  { fixture: RT('async-round-trip-synchronous'), name: AT_ONCE, wasi: true, imports: bazHost({ async: false }), run: roundTrip },
  composedRoundTrip('async-round-trip-synchronous', 'async-round-trip-synchronous', { blocks: true }),
  // Sync lift, async lower, then wit-bindgen's block_on (waitable-set.wait on the guest's
  // stack, then the same callback path as above: the wit-bindgen trap).
  { fixture: RT('async-round-trip-wait'), blocks: true, wasi: true, imports: bazHost(), run: roundTrip, ...specTrap },
  { fixture: RT('async-round-trip-wait'), name: AT_ONCE, wasi: true, imports: bazHost({ async: false }), run: roundTrip },
  // `foo` imported and exported at the world's top level.
  {
    fixture: RT('async-round-trip-direct-stackless'),
    wasi: true,
    imports: (host) => ({ foo: hostFoo(host) }),
    run: roundTripDirect,
    ...specTrap,
  },
  {
    fixture: RT('async-round-trip-direct-stackless'),
    name: AT_ONCE,
    wasi: true,
    imports: (host) => ({ foo: hostFoo(host, { async: false }) }),
    run: roundTripDirect,
  },
  { fixture: RT('async-round-trip-many-stackless'), wasi: true, imports: manyHost(), run: roundTripMany, ...specTrap },
  { fixture: RT('async-round-trip-many-stackless'), name: AT_ONCE, wasi: true, imports: manyHost({ async: false }), run: roundTripMany },
  { fixture: RT('async-round-trip-many-stackful'), blocks: true, wasi: true, imports: manyHost(), run: roundTripMany },
  { fixture: RT('async-round-trip-many-stackful'), name: AT_ONCE, wasi: true, imports: manyHost({ async: false }), run: roundTripMany },
  { fixture: RT('async-round-trip-many-synchronous'), blocks: true, wasi: true, imports: manyHost(), run: roundTripMany },
  { fixture: RT('async-round-trip-many-synchronous'), name: AT_ONCE, wasi: true, imports: manyHost({ async: false }), run: roundTripMany },
  { fixture: RT('async-round-trip-many-wait'), blocks: true, wasi: true, imports: manyHost(), run: roundTripMany, ...specTrap },
  { fixture: RT('async-round-trip-many-wait'), name: AT_ONCE, wasi: true, imports: manyHost({ async: false }), run: roundTripMany },
];

// ---- yield and poll ------------------------------------------------------------------
// Upstream's host: `continue` is one flag shared by everyone; `ready.thing` is a resource
// whose `when-ready` waits until `set-ready(true)` (after a `set-ready(false)`).

function readyHost() {
  const state = { continue: false };
  class Thing {
    #waiters = null;   // null: ready; an array: not ready, the resolvers of when-ready calls
    setReady(ready) {
      if (ready) {
        const waiters = this.#waiters ?? [];
        this.#waiters = null;
        for (const resolve of waiters) resolve();
      } else if (this.#waiters === null) {
        this.#waiters = [];
      }
    }
    // Ready: answers at once (no Promise), so that an async lower of it returns RETURNED,
    // as Wasmtime's does (async-poll-* assert it); otherwise a Promise for set-ready(true).
    whenReady() {
      if (this.#waiters === null) return undefined;
      return new Promise((resolve) => this.#waiters.push(resolve));
    }
  }
  const continueImport = { setContinue: (v) => { state.continue = v; }, getContinue: () => state.continue };
  return { state, Thing, continueImport };
}

function yieldCase(callee, extra = {}) {
  const { Thing, continueImport } = readyHost();
  return {
    fixture: `${P3}/yield/async-yield-caller.wasm`,
    name: `linked to ${callee}`,
    wasi: true,
    link: { 'local:local/run': { fixture: `${P3}/yield/${callee}.wasm`, wasi: true, imports: () => ({ 'local:local/continue': continueImport }) } },
    imports: () => ({ 'local:local/continue': continueImport, 'local:local/ready': { Thing } }),
    run: async ({ exports }) => {
      await concurrently(3, () => exports['local:local/run'].run());
    },
    ...extra,
  };
}

/** The callee alone: it yields while `continue` is set; the host clears it later. */
function yieldCalleeCase(callee, extra = {}) {
  const { state, continueImport } = readyHost();
  return {
    fixture: `${P3}/yield/${callee}.wasm`,
    name: 'host clears continue',
    wasi: true,
    imports: () => ({ 'local:local/continue': continueImport }),
    run: async ({ exports }) => {
      state.continue = true;
      let settled = 0;
      const runs = Array.from({ length: 3 }, () => exports['local:local/run'].run().then(() => { settled++; }));
      await yieldTimes(20);
      assert.equal(settled, 0, 'run returned while continue was still set');
      state.continue = false;
      await Promise.all(runs);
    },
    ...extra,
  };
}

function pollCase(fixture, extra = {}) {
  const { Thing } = readyHost();
  return {
    fixture: `${P3}/poll/${fixture}.wasm`,
    wasi: true,
    imports: () => ({ 'local:local/ready': { Thing } }),
    run: async ({ exports }) => {
      await concurrently(3, () => exports['local:local/run'].run());
    },
    ...extra,
  };
}

const yieldCases = [
  // The caller's `run` (wit-bindgen's async runtime) waits for its subtasks: the
  // wit-bindgen trap, whichever callee.
  yieldCase('async-yield-callee-stackless', specTrap),
  // A callback-lifted `run` written by hand that returns YIELD while `continue` is set.
  yieldCalleeCase('async-yield-callee-stackless'),
  // Sync-lifted `run` that loops on `thread.yield`: the yield must suspend its stack.
  yieldCase('async-yield-callee-synchronous', { blocks: true, ...specTrap }),
  yieldCalleeCase('async-yield-callee-synchronous', { blocks: true }),
  pollCase('async-poll-stackless'),
  // Sync-lifted `run` (an async function type) that polls a waitable set and expects the
  // host's `when-ready` to have settled during its `thread.yield`: the yield must suspend.
  pollCase('async-poll-synchronous', { blocks: true }),
];

// ---- backpressure, context -----------------------------------------------------------

const backpressureCases = [
  {
    // The caller sets backpressure on the callee, starts three `run`s (none may start),
    // clears it, and waits for all three; once with set-, once with inc-/dec-backpressure.
    // One callee instance serves both of the caller's imports, so it is linked by hand.
    fixture: `${P3}/backpressure/async-backpressure-caller.wasm`,
    name: 'linked to async-backpressure-callee',
    ...specTrap,
    wasi: true,
    imports: (host) => {
      const callee = (name) => host.calleeExports[name];
      return {
        'local:local/backpressure': {
          setBackpressure: (enabled) => callee('local:local/backpressure').setBackpressure(enabled),
          incBackpressure: () => callee('local:local/backpressure').incBackpressure(),
          decBackpressure: () => callee('local:local/backpressure').decBackpressure(),
        },
        'local:local/run': { run: () => callee('local:local/run').run() },
      };
    },
    run: async ({ exports, host, instantiate }) => {
      host.calleeExports = (await instantiate({ fixture: `${P3}/backpressure/async-backpressure-callee.wasm`, wasi: true })).exports;
      await concurrently(3, () => exports['local:local/run'].run());
    },
  },
  {
    // The host sets backpressure: calls of `run` wait at the gate until it is cleared.
    fixture: `${P3}/backpressure/async-backpressure-callee.wasm`,
    name: 'host sets backpressure',
    wasi: true,
    run: async ({ exports }) => {
      const bp = exports['local:local/backpressure'];
      const run = exports['local:local/run'];
      for (const [enable, disable] of [[() => bp.setBackpressure(true), () => bp.setBackpressure(false)], [() => bp.incBackpressure(), () => bp.decBackpressure()]]) {
        enable();
        let settled = 0;
        const runs = Array.from({ length: 3 }, () => run.run().then(() => { settled++; }));
        await yieldTimes(10);
        assert.equal(settled, 0, 'a call of `run` started under backpressure');
        disable();
        await Promise.all(runs);
      }
    },
  },
  {
    // backpressure.inc/dec from sync-lifted exports called synchronously.
    fixture: `${P3}/backpressure-sync/component.wasm`,
    run: async ({ exports }) => {
      assert.equal(exports.incBackpressure(), undefined);
      assert.equal(exports.decBackpressure(), undefined);
      assert.equal(exports.incBackpressure(), undefined);
      assert.equal(exports.decBackpressure(), undefined);
    },
  },
  {
    // context.set/get from sync-lifted exports: each call is a task of its own, whose
    // context starts at 0.
    fixture: `${P3}/context-sync/component.wasm`,
    run: async ({ exports }) => {
      assert.equal(exports.pushContext(33), 33);
      assert.equal(exports.pullContext(), 0);
      assert.equal(exports.pushContext(7), 7);
      assert.equal(exports.pullContext(), 0);
    },
  },
];

// ---- error-context -------------------------------------------------------------------

const errorContextCases = [
  {
    // error-context.new and .debug-message inside an async export.
    fixture: `${P3}/error-context/async-error-context.wasm`,
    wasi: true,
    run: async ({ exports }) => {
      await concurrently(3, () => exports['local:local/run'].run());
    },
  },
  {
    fixture: `${P3}/error-context/async-error-context-callee.wasm`,
    wasi: true,
    run: async ({ exports }) => {
      const rr = exports['local:local/run-result'];
      assert.equal(await rr.runPass(), undefined);
      await assert.rejects(rr.runFail(), (e) => {
        assert.ok(e instanceof ComponentError, `expected a ComponentError, got ${e}`);
        assert.ok(e.payload instanceof ErrorContext, `expected an ErrorContext payload, got ${e.payload}`);
        return true;
      });
      await concurrently(3, () => exports['local:local/run'].run());
    },
  },
  {
    // The caller gets err(error-context) from the callee's run-fail, through the host.
    fixture: `${P3}/error-context/async-error-context-caller.wasm`,
    name: 'linked to async-error-context-callee',
    ...specTrap,
    wasi: true,
    link: { 'local:local/run-result': { fixture: `${P3}/error-context/async-error-context-callee.wasm`, wasi: true } },
    run: async ({ exports }) => {
      await concurrently(3, () => exports['local:local/run'].run());
    },
  },
];

// ---- streams -------------------------------------------------------------------------

function resourceStreamHost(host) {
  class X {
    foo() { host.calls.push('x.foo'); }
  }
  return {
    'local:local/resource-stream': {
      X,
      foo: async (count) => {
        host.calls.push(`foo(${count})`);
        return Array.from({ length: count }, () => new X());
      },
    },
  };
}

const streamCases = [
  {
    // `get` returns the readable end of a stream whose writer it dropped: an empty stream.
    fixture: `${P3}/streams/async-closed-stream.wasm`,
    wasi: true,
    run: async ({ exports }) => {
      const chunks = await readAll(exports['local:local/closed-stream'].get());
      assert.equal(chunks.reduce((n, c) => n + (c.length ?? 1), 0), 0);
    },
  },
  // Host -> guest: a stream<u8> the guest reads to its end; a future<u8> it reads (plus
  // one it never reads), before or after its task.return. Each read of the host's end
  // waits, then the wit-bindgen trap.
  {
    fixture: `${P3}/streams/async-closed-streams.wasm`,
    name: 'read-stream',
    wasi: true,
    run: async ({ exports }) => {
      const closed = exports['local:local/closed'];
      const values = [42, 43, 44];
      await closed.readStream(paced(values.map((v) => new Uint8Array([v]))), new Uint8Array(values));
      await closed.readStream(new Uint8Array(values), new Uint8Array(values));
    },
    ...specTrap,
  },
  {
    fixture: `${P3}/streams/async-closed-streams.wasm`,
    name: 'read-future',
    wasi: true,
    run: async ({ exports }) => {
      const closed = exports['local:local/closed'];
      await closed.readFuture(Promise.resolve(42), 42, never());
      await closed.readFuture(yieldTimes(3).then(() => 42), 42, never());
    },
    ...specTrap,
  },
  {
    // The read happens after task.return: its outcome shows on the next call.
    fixture: `${P3}/streams/async-closed-streams.wasm`,
    name: 'read-future-post-return',
    wasi: true,
    run: async ({ exports }) => {
      const closed = exports['local:local/closed'];
      await closed.readFuturePostReturn(Promise.resolve(42), 42, never());
      await yieldTimes(10);
      await closed.readFuturePostReturn(yieldTimes(3).then(() => 42), 42, never());
      await yieldTimes(10);
      await closed.readFuturePostReturn(Promise.resolve(42), 42, never());
    },
    ...specTrap,
  },
  {
    // The guest reads a stream<x> of seven host resources and calls each one's method.
    fixture: `${P3}/streams/async-read-resource-stream.wasm`,
    wasi: true,
    imports: resourceStreamHost,
    ...specTrap,
    run: async ({ exports, host }) => {
      await concurrently(3, () => exports['local:local/run'].run());
      assert.equal(host.calls.filter((c) => c === 'foo(7)').length, 3);
      assert.equal(host.calls.filter((c) => c === 'x.foo').length, 21);
    },
  },
  {
    // The callee writes 42 units in chunks of 1, 2, 4, ...; the caller counts them. (Past
    // the wit-bindgen trap it would trap again: StreamReader::collect reads a stream<_>
    // into a Vec<()>, whose spare capacity, ~usize::MAX, becomes the read's length, over
    // the spec's 2^28-1 (definitions.py BufferGuestImpl).)
    fixture: `${P3}/streams/async-unit-stream-caller.wasm`,
    name: 'linked to async-unit-stream-callee',
    ...specTrap,
    wasi: true,
    link: { 'local:local/unit-stream': { fixture: `${P3}/streams/async-unit-stream-callee.wasm`, wasi: true } },
    run: async ({ exports }) => {
      await exports['local:local/run'].run();
    },
  },
  {
    fixture: `${P3}/streams/async-unit-stream-callee.wasm`,
    ...specTrap,
    wasi: true,
    run: async ({ exports }) => {
      const chunks = await readAll(await exports['local:local/unit-stream'].run(42));
      assert.equal(chunks.length, 42);
      for (const c of chunks) assert.equal(c, undefined);
    },
  },
];

// ---- general -------------------------------------------------------------------------

function borrowingTypes(host) {
  return class X {
    foo() { host.calls.push('x.foo'); }
  };
}

/**
 * Expects the calls, or failing them a later call, to reject with a ComponentTrap whose
 * message matches `pattern` (a trap after task.return shows on the next call).
 */
async function expectTrap(calls, later, pattern) {
  const results = await Promise.allSettled(calls);
  const traps = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
  if (traps.length === 0) {
    await yieldTimes(10);
    try {
      await later();
    } catch (e) {
      traps.push(e);
    }
  }
  assert.ok(traps.length > 0, 'no trap: the instance went on after using a handle it no longer held');
  for (const t of traps) {
    assert.ok(t instanceof ComponentTrap, `expected a ComponentTrap, got ${t?.stack ?? t}`);
    assert.match(t.message, pattern);
  }
}

// Wasmtime's words, and ours: a handle index the table no longer holds.
const STALE_HANDLE = /unknown handle index/;

function sleepPostReturnCase(fixture, { sleeps, link }) {
  // run(ms) returns at once and only then sleeps, in a task spawned after its
  // task.return (the caller first calls the callee's run twice from there, whose sleeps
  // outlive it). The call's Promise settles at task.return; we wait for the sleeps to end
  // and the guests to go idle, then call again, as upstream does. A trap after
  // task.return shows on that next call.
  const state = { started: 0, ended: 0 };
  const sleepImport = {
    sleepMillis: async (ms) => {
      state.started++;
      await sleep(Number(ms));
      state.ended++;
    },
  };
  return {
    fixture: `${P3}/general/${fixture}.wasm`,
    ...specTrap,
    wasi: true,
    ...(link ? { link: { 'local:local/sleep-post-return': { fixture: `${P3}/general/${link}.wasm`, wasi: true, imports: () => ({ 'local:local/sleep': sleepImport }) } } } : {}),
    imports: () => ({ 'local:local/sleep': sleepImport }),
    run: async ({ exports }) => {
      const spr = exports['local:local/sleep-post-return'];
      for (let round = 1; round <= 3; round++) {
        assert.equal(await spr.run(20n), undefined);
        // Until the sleeps end, or nothing has moved for a second.
        let seen = -1;
        let still = 0;
        while (state.ended < sleeps * round && still < 100) {
          const now = state.started + state.ended;
          still = now === seen ? still + 1 : 0;
          seen = now;
          await sleep(10);
        }
        await yieldTimes(10);
      }
      assert.deepEqual(state, { started: sleeps * 3, ended: sleeps * 3 });
    },
  };
}

function transmitCalleeRun() {
  // Upstream's host side of `exchange`: control messages tell the callee what to do with
  // the caller's stream and futures and its own; we answer each as expected.
  return async ({ exports }) => {
    const control = paced([
      { tag: 'read-stream', val: 'a' },
      { tag: 'read-future', val: 'b' },
      { tag: 'write-stream', val: 'c' },
      { tag: 'write-future', val: 'd' },
    ]);
    const callerStream = paced(['a']);
    const [calleeStream, calleeFuture1, calleeFuture2] = await exports['local:local/transmit'].exchange(
      control, callerStream, yieldTimes(2).then(() => 'b'), never());
    assert.ok(calleeStream instanceof ReadableStream);
    // Observed at once, so that a rejection (a trap) while we await another is no
    // unhandled rejection.
    calleeFuture1.catch(() => {});
    calleeFuture2.catch(() => {});
    const reader = calleeStream.getReader();
    assert.deepEqual(await reader.read(), { done: false, value: 'c' });
    assert.equal(await calleeFuture1, 'd');
    assert.deepEqual(await reader.read(), { done: true, value: undefined });
    // The callee drops its second future's writer unwritten; wit-bindgen then writes the
    // default it was made with, "".
    assert.equal(await calleeFuture2, '');
  };
}

const generalCases = [
  {
    fixture: `${P3}/general/async-borrowing-callee.wasm`,
    wasi: true,
    imports: (host) => ({ 'local:local/borrowing-types': { X: borrowingTypes(host) } }),
    run: async ({ exports, host }) => {
      await concurrently(3, () => exports['local:local/run-bool'].run(false));
      assert.equal(host.calls.length, 3);
    },
  },
  {
    // misbehave: a task the callee spawned uses the handle after it was dropped: a trap.
    fixture: `${P3}/general/async-borrowing-callee.wasm`,
    name: 'misbehave: traps',
    wasi: true,
    imports: (host) => ({ 'local:local/borrowing-types': { X: borrowingTypes(host) } }),
    run: async ({ exports }) => {
      const run = exports['local:local/run-bool'];
      await expectTrap([run.run(true), run.run(true), run.run(true)], () => run.run(false), STALE_HANDLE);
    },
  },
  (() => {
    let X;
    return {
      fixture: `${P3}/general/async-borrowing-caller.wasm`,
      name: 'linked to async-borrowing-callee',
      ...specTrap,
      wasi: true,
      link: { 'local:local/borrowing': { fixture: `${P3}/general/async-borrowing-callee.wasm`, wasi: true, imports: (host) => ({ 'local:local/borrowing-types': { X: (X = borrowingTypes(host)) } }) } },
      imports: () => ({ 'local:local/borrowing-types': { X } }),
      run: async ({ exports }) => {
        await concurrently(3, () => exports['local:local/run-bool'].run(false));
      },
    };
  })(),
  {
    // Two `run`s of one instance: the first waits on a waitable set into which the second
    // joins the writable end of a future it then reads, which wakes the first.
    fixture: `${P3}/general/async-intertask-communication.wasm`,
    wasi: true,
    run: async ({ exports }) => {
      await concurrently(2, () => exports['local:local/run'].run());
    },
  },
  {
    // The callee's `foo` (async type, sync lift) has a post-return that records the string;
    // the caller checks it through get-post-return-value right after foo returns. Composed
    // (upstream), foo returns RETURNED at once, so concurrent runs cannot interleave
    // between the two calls; linked through the host, the caller's lowered foo waits for a
    // Promise, so we run one at a time.
    fixture: `${P3}/general/async-post-return-caller.wasm`,
    name: 'linked to async-post-return-callee',
    ...specTrap,
    wasi: true,
    link: { 'local:local/post-return': { fixture: `${P3}/general/async-post-return-callee.wasm`, wasi: true } },
    run: async ({ exports }) => {
      for (let i = 0; i < 3; i++) await exports['local:local/run'].run();
    },
  },
  {
    fixture: `${P3}/general/async-post-return-callee.wasm`,
    wasi: true,
    run: async ({ exports }) => {
      const pr = exports['local:local/post-return'];
      const s = 'All mimsy were the borogoves';
      assert.equal(await pr.foo(s), s);
      assert.equal(pr.getPostReturnValue(), s);
    },
  },
  sleepPostReturnCase('async-sleep-post-return-callee', { sleeps: 1 }),
  sleepPostReturnCase('async-sleep-post-return-caller', { sleeps: 3, link: 'async-sleep-post-return-callee' }),
  {
    // Guest-defined resources sent through a stream<thing> one at a time and back.
    fixture: `${P3}/general/async-short-reads.wasm`,
    ...specTrap,
    wasi: true,
    run: async ({ exports }) => {
      const sr = exports['local:local/short-reads'];
      const strings = ['a', 'b', 'c', 'd', 'e'];
      const things = strings.map((s) => new sr.Thing(s));
      const out = await sr.shortReads(paced(things));
      const received = [];
      const reader = out.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received.push(value);
        await yieldTimes(1);
      }
      assert.equal(received.length, strings.length);
      const got = [];
      for (const t of received) got.push(await t.get());
      assert.deepEqual(got, strings);
    },
  },
  {
    // The caller drives the callee through every stream/future case, cancelling reads and
    // writes midway and dropping ends with copies pending. (Past the wit-bindgen trap,
    // linked through the host, it needs the host to pull from a stream only as the callee
    // reads: see 'caller-stream is read only as the guest reads' below.)
    fixture: `${P3}/general/async-transmit-caller.wasm`,
    name: 'linked to async-transmit-callee',
    ...specTrap,
    wasi: true,
    link: { 'local:local/transmit': { fixture: `${P3}/general/async-transmit-callee.wasm`, wasi: true } },
    run: async ({ exports }) => {
      await concurrently(3, () => exports['local:local/run'].run());
    },
  },
  {
    // Upstream's caller asserts that a write to the stream it passes does not complete
    // before the callee reads (async_transmit_caller.rs: "assert that it does _not_
    // complete"). Here the host is that stream's writer side: the callee has not read
    // `caller-stream` (it waits for a control message we hold back), so nothing may have
    // been pulled from our source (README "Values": read only as the component reads).
    fixture: `${P3}/general/async-transmit-callee.wasm`,
    name: 'caller-stream is read only as the guest reads',
    wasi: true,
    run: async ({ exports }) => {
      let pulls = 0;
      const control = new ReadableStream({ pull: () => never() }, { highWaterMark: 0 });
      const callerStream = new ReadableStream({ pull(c) { pulls++; c.enqueue(`x${pulls}`); } }, { highWaterMark: 0 });
      const [calleeStream, f1, f2] = await exports['local:local/transmit'].exchange(control, callerStream, never(), never());
      f1.catch(() => {});
      f2.catch(() => {});
      await yieldTimes(20);
      assert.equal(pulls, 0, `the host pulled ${pulls} element(s) of caller-stream that the guest has not read`);
      calleeStream.cancel().catch(() => {});
    },
  },
  {
    fixture: `${P3}/general/async-transmit-callee.wasm`,
    name: 'host drives exchange',
    ...specTrap,
    wasi: true,
    run: transmitCalleeRun(),
  },
  {
    // A zero-length read and write to learn when the other side is ready, then one copy
    // each way that the guest asserts moves all 5 bytes *and* reports DROPPED: Wasmtime's
    // host producer/consumer (BufferStreamProducer/Consumer) do that; ours report the
    // drop on the next copy, as the spec lets a host do.
    fixture: `${P3}/general/async-readiness.wasm`,
    skip: "asserts Wasmtime's own host stream behaviour: the host writer's one copy moves all 5 bytes and reports DROPPED with them (our host reports COMPLETED, then DROPPED on the next copy)",
    wasi: true,
    run: async ({ exports }) => {
      const input = new ReadableStream({
        async start(controller) {
          await yieldTimes(10);
          controller.enqueue(new Uint8Array([2, 4, 6, 8, 9]));
          controller.close();
        },
      });
      const [out, expected] = await exports['local:local/readiness'].start(input, new Uint8Array([2, 4, 6, 8, 9]));
      assert.deepEqual(expected, new Uint8Array([1, 3, 5, 7, 11]));
      await yieldTimes(10);
      const bytes = (await readAll(out)).flatMap((c) => [...c]);
      assert.deepEqual(bytes, [1, 3, 5, 7, 11]);
    },
  },
  {
    // After its task.return the guest does *synchronous* copies on a host stream and
    // future and asserts each completes at once with DROPPED and all 5 bytes: Wasmtime's
    // host behaviour again (and a sync copy that would wait blocks the guest's stack).
    fixture: `${P3}/general/async-synchronous-transmit.wasm`,
    skip: "asserts Wasmtime's own host stream behaviour: a synchronous read of a host stream completes at once with all 5 bytes and DROPPED in one copy",
    wasi: true,
    run: async ({ exports }) => {
      const input = new ReadableStream({
        async start(controller) {
          await yieldTimes(10);
          controller.enqueue(new Uint8Array([2, 4, 6, 8, 9]));
          controller.close();
        },
      });
      const [out, sExpected, future, fExpected] = await exports['local:local/synchronous-transmit'].start(
        input, new Uint8Array([2, 4, 6, 8, 9]), yieldTimes(10).then(() => 10), 10);
      future.catch(() => {});
      assert.deepEqual(sExpected, new Uint8Array([1, 3, 5, 7, 11]));
      assert.equal(fExpected, 13);
      await yieldTimes(10);
      const bytes = (await readAll(out)).flatMap((c) => [...c]);
      assert.deepEqual(bytes, [1, 3, 5, 7, 11]);
      assert.equal(await future, 13);
    },
  },
];

export default [
  ...roundTripCases,
  ...yieldCases,
  ...backpressureCases,
  ...errorContextCases,
  ...streamCases,
  ...generalCases,
];
