// Component.compile's handling of core modules: small ones compile on the spot, large ones
// (over 1 MiB) start compiling in the background before the engine reads the component,
// wherever they are nested (js/component.mjs startLargeCoreCompiles). Whichever way a
// module was compiled, its errors read the same, and a component the engine refuses is
// refused with the engine's reason and no stray rejection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component } from '../../js/index.mjs';
import { watToBytes } from '../helpers/components.mjs';

const BIG_DATA = 'a'.repeat(1_100_000);  // makes a core module larger than 1 MiB

// A component that nests a component whose core module carries `data`, exporting f.
function nestedComponent({ data, body = 'i32.const 7', resultType = 'u32' }) {
  return watToBytes(`(component
    (component $inner
      (core module $m
        (memory 17)
        (data (i32.const 0) "${data}")
        (func (export "f") (result i32) ${body}))
      (core instance $i (instantiate $m))
      (func (export "f") (result ${resultType}) (canon lift (core func $i "f"))))
    (instance $x (instantiate $inner))
    (export "f" (func $x "f")))`);
}

// Collects the process's unhandled rejections while `body` runs (and a turn after).
async function unhandledDuring(body) {
  const seen = [];
  const listener = (reason) => seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await body();
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

test('a large core module nested in a component compiles early and runs', async () => {
  const component = await Component.compile(await nestedComponent({ data: BIG_DATA }));
  assert.equal(component.plan.modules.length, 1);
  assert.ok(component.plan.modules[0].size > 1 << 20);
  const { exports } = await component.instantiate({});
  assert.equal(exports.f(), 7);
});

test('a small and a large core module that do not validate both name the module and its offset', async () => {
  for (const data of ['', BIG_DATA]) {
    const bytes = await nestedComponent({ data, body: 'i64.const 7' });
    const unhandled = await unhandledDuring(() => assert.rejects(Component.compile(bytes), (e) => {
      assert.ok(e instanceof WebAssembly.CompileError, `${e}`);
      assert.match(e.message, /^core module 0 \(at byte offset \d+\): /);
      return true;
    }));
    assert.deepEqual(unhandled, [], `data of ${data.length} bytes`);
  }
});

test('a component the engine refuses is refused with its reason, whatever its large module does', async () => {
  // string results need a memory option: the engine refuses the lift. The core module is
  // also invalid (i64 for i32): the engine's error is the one told, and the background
  // compile's failure is no unhandled rejection.
  const bytes = await nestedComponent({ data: BIG_DATA, body: 'i64.const 7', resultType: 'string' });
  const unhandled = await unhandledDuring(() => assert.rejects(Component.compile(bytes), (e) => {
    assert.ok(e instanceof WebAssembly.CompileError, `${e}`);
    assert.doesNotMatch(e.message, /^core module/);
    return true;
  }));
  assert.deepEqual(unhandled, []);
});

test('the component the engine warms up with compiles (engine-warmup.mjs)', async () => {
  const { warmUpComponent } = await import('../../js/engine-warmup.mjs');
  const component = await Component.compile(warmUpComponent());
  assert.match(component.wit(), /export area: func\(s: size\) -> u32;/);
  assert.match(component.wit(), /export name: func\(\) -> string;/);
});

test('the engine keeps a component\'s world for wit() only while the Component lives', async () => {
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  const { loadEngine } = await import('../../js/engine-loader.mjs');
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  const engine = await loadEngine();
  const bytes = await watToBytes('(component (import "f" (func (param "x" string))))');
  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  };
  await settle();
  const before = engine.keptWorlds();
  let components = [];
  for (let i = 0; i < 20; i++) components.push(await Component.compile(bytes));
  assert.equal(engine.keptWorlds(), before + 20);
  assert.match(components[0].wit(), /import f: func\(x: string\);/, 'printed on demand');
  components = null;
  await settle();
  assert.equal(engine.keptWorlds(), before);
});
