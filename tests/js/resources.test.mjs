// Resources: a guest-defined resource as a JS class (constructor, methods, statics,
// [Symbol.dispose]), a host-defined resource as a class in the import object, ownership
// moving across the boundary, destructors, and forged handles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component, ComponentTrap } from '../../js/index.mjs';
import { componentBytes, watToBytes } from '../helpers/components.mjs';

const component = await Component.compile(await componentBytes('resources'));

function hostLogging(events = []) {
  class Logger {
    constructor(prefix) { this.prefix = prefix; events.push(`new ${prefix}`); }
    log(message) { events.push(`log ${message}`); return `${this.prefix}: ${message}`; }
    [Symbol.dispose]() { events.push(`dispose ${this.prefix}`); }
  }
  return { 'test:host/logging': { Logger } };
}

async function instance(events) {
  return (await component.instantiate(hostLogging(events))).exports;
}

test('a guest resource is a class with a constructor, methods and statics', async () => {
  const { Counter, dropped } = await instance();
  assert.equal(typeof Counter, 'function');
  const c = new Counter(41);
  assert.ok(c instanceof Counter);
  assert.equal(c.increment(), 42);
  assert.equal(c.get(), 42);
  const d = new Counter(8);
  const sum = Counter.merge(c, d);  // both move into the guest, which drops them
  assert.equal(sum.get(), 50);
  assert.equal(dropped(), 2, 'the destructor ran for both merged counters');
  assert.throws(() => c.get(), /was moved into the component or disposed/);
});

test('[Symbol.dispose] runs the destructor once', async () => {
  const { Counter, dropped } = await instance();
  const c = new Counter(1);
  c[Symbol.dispose]();
  c[Symbol.dispose]();
  assert.equal(dropped(), 1);
  assert.throws(() => c.increment(), TypeError);
});

test('an owned resource passed to the guest stays in its table', async () => {
  const { Counter, keep, dropped } = await instance();
  const handle = keep(new Counter(3));
  assert.equal(handle, 1, 'the first handle of a fresh table is index 1');
  assert.equal(dropped(), 0);
});

test('a host resource: the guest constructs, borrows and drops it', async () => {
  const events = [];
  const { useLogger } = await instance(events);
  assert.equal(useLogger('app', 'hello'), 'app: hello');
  assert.deepEqual(events, ['new app', 'log hello', 'dispose app']);
});

test('a wrong object for a resource parameter is a TypeError before the guest runs', async () => {
  const { Counter } = await instance();
  assert.throws(() => Counter.merge({}, new Counter(1)), /a: expected a Counter object/);
  assert.throws(() => new Counter(1).increment.call({}), TypeError);
});

test('dropping a forged handle traps and locks the instance down', async () => {
  const { Counter, dropHandle } = await instance();
  assert.throws(() => dropHandle(7), (e) => e instanceof ComponentTrap && /unknown handle index 7/.test(e.message));
  assert.throws(() => new Counter(1), /cannot enter component instance/);
  const other = await instance();
  assert.equal(new other.Counter(5).get(), 5, 'other instances go on');
});

test('a missing host resource class is a LinkError', async () => {
  await assert.rejects(component.instantiate({ 'test:host/logging': {} }), WebAssembly.LinkError);
});

test('a host object handed out twice as own: dispose waits for the last handle', async () => {
  const shared = await Component.compile(await componentBytes('shared-host-resource'));
  const events = [];
  class Thing {
    id() { return 7; }
    [Symbol.dispose]() { events.push('dispose'); }
  }
  const thing = new Thing();
  const imports = { 'test:host/shared': { Thing, get: () => thing } };
  const { exports } = await shared.instantiate(imports);
  assert.equal(exports.twice(), 7, 'the second handle still reaches the object after the first is dropped');
  assert.deepEqual(events, []);
  const other = (await shared.instantiate(imports)).exports;
  other.dropBoth();
  assert.deepEqual(events, ['dispose', 'dispose'], 'each time the last handle goes');
});

// `import r: resource;` at world level (wit-bindgen's resource_borrow_simple): the host
// gives the class under the resource's name at the top of the imports object, as for a
// resource of an interface.
test('a resource imported at world level is the class under its name', async () => {
  const world = await Component.compile(await watToBytes(`(component
    (import "r" (type $r (sub resource)))
    (import "[constructor]r" (func $new (param "v" u32) (result (own $r))))
    (import "[method]r.get" (func $get (param "self" (borrow $r)) (result u32)))
    (core func $new (canon lower (func $new)))
    (core func $get (canon lower (func $get)))
    (core func $drop (canon resource.drop $r))
    (core module $m
      (import "" "new" (func $new (param i32) (result i32)))
      (import "" "get" (func $get (param i32) (result i32)))
      (import "" "drop" (func $drop (param i32)))
      (func (export "roundtrip") (param $v i32) (result i32)
        (local $h i32) (local $out i32)
        (local.set $h (call $new (local.get $v)))
        (local.set $out (call $get (local.get $h)))
        (call $drop (local.get $h))
        (local.get $out)))
    (core instance $i (instantiate $m (with "" (instance
      (export "new" (func $new)) (export "get" (func $get)) (export "drop" (func $drop))))))
    (func (export "roundtrip") (param "v" u32) (result u32) (canon lift (core func $i "roundtrip"))))`));
  const events = [];
  class R {
    constructor(v) { this.v = v; events.push(`new ${v}`); }
    get() { events.push('get'); return this.v * 2; }
    [Symbol.dispose]() { events.push('dispose'); }
  }
  const { exports } = await world.instantiate({ R });
  assert.equal(exports.roundtrip(21), 42);
  assert.deepEqual(events, ['new 21', 'get', 'dispose']);
  await assert.rejects(world.instantiate({}), (e) => e instanceof WebAssembly.LinkError && /\[constructor\]r/.test(e.message));
});
