// `cmbridge types component.wasm -o dir/`: the .d.ts it writes type-checks (tsc --strict)
// against code that uses a component the way the runtime maps values, and code that
// misuses it (a wrong argument, a missing import, a host function of the wrong shape, a
// result used as the wrong type) fails to compile, each misuse where it is written.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { componentBytes, watToBytes, witFileComponent } from '../helpers/components.mjs';

const cli = fileURLToPath(new URL('../../js/cli.mjs', import.meta.url));
const packageTypes = fileURLToPath(new URL('../../js/index.d.ts', import.meta.url));
const wasiTypes = fileURLToPath(new URL('../../js/wasi/index.d.ts', import.meta.url));

// TypeScript is a devDependency (pinned in package.json).
const tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');

function run(command, args, cwd) {
  return new Promise((resolve) => {
    execFile(command, args, { cwd }, (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

let dir;

// A component that imports a WASI interface beside an import of its own.
const WASI_ENV = `(component
  (import "wasi:cli/environment@0.2.0" (instance $env (export "initial-cwd" (func (result (option string))))))
  (import "log" (func $log (param "msg" string)))
  (core module $m (func (export "f") (result i32) (i32.const 1)))
  (core instance $i (instantiate $m))
  (func (export "one") (result u32) (canon lift (core func $i "f"))))`;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cmbridge-types-'));
  await writeFile(path.join(dir, 'shapes.wasm'), await witFileComponent('shapes', 'shapes'));
  await writeFile(path.join(dir, 'resources.wasm'), await componentBytes('resources'));
  await writeFile(path.join(dir, 'streams.wasm'), await componentBytes('streams'));
  await writeFile(path.join(dir, 'wasi-env.wasm'), await watToBytes(WASI_ENV));
  for (const name of ['shapes', 'resources', 'streams', 'wasi-env']) {
    const r = await run(process.execPath, [cli, 'types', path.join(dir, `${name}.wasm`), '-o', path.join(dir, 'types')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${path.join(dir, 'types', `${name}.d.ts`)}\n`);
  }
});

// The libs the generated declarations must compile with: the README's tsconfig (no
// Symbol.dispose in it: the declarations declare it themselves), everything, and what
// these tests used to assume.
const README_LIB = ['es2022', 'dom'];
const LIBS = [README_LIB, ['esnext', 'dom'], ['es2022', 'dom', 'dom.iterable', 'esnext.disposable']];

// Type-checks `files` (name -> source) in `dir` with the package's own declarations as
// 'cmbridge' and TypeScript's `lib`; resolves to tsc's diagnostics as [{ file, line, code, message }].
async function typecheck(files, lib = README_LIB) {
  for (const [name, source] of Object.entries(files)) await writeFile(path.join(dir, name), source);
  await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, target: 'es2022', module: 'esnext', moduleResolution: 'bundler',
      lib, types: [],
      paths: { cmbridge: [packageTypes], 'cmbridge/wasi': [wasiTypes] },
    },
    files: Object.keys(files),
  }));
  const r = await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], dir);
  const diagnostics = [];
  for (const m of `${r.stdout}${r.stderr}`.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/gm)) {
    diagnostics.push({ file: m[1], line: Number(m[2]), code: m[3], message: m[4] });
  }
  if (r.code !== 0 && diagnostics.length === 0) throw new Error(`tsc failed: ${r.stdout}${r.stderr}`);
  return diagnostics;
}

// Lines marked `// error` in a source.
function markedLines(source) {
  return source.split('\n').flatMap((l, i) => (/\/\/ error\b/.test(l) ? [i + 1] : []));
}

const USAGE = `import { Component, ComponentError, instantiate } from 'cmbridge';
import { wasiImports } from 'cmbridge/wasi';
import type * as Shapes from './types/shapes.js';
import type * as WasiEnv from './types/wasi-env.js';

// WASI's imports spread beside one's own: the WASI keys are optional in Imports.
export async function useWasi(bytes: Uint8Array) {
  const component = await Component.compile<WasiEnv.Exports, WasiEnv.Imports>(bytes, {
    onProgress: ({ phase, loaded, total }) => console.log(phase === 'download' ? loaded / (total ?? 1) : phase),
  });
  const { exports } = await component.instantiate({ ...wasiImports({ env: { A: 'b' } }), log(msg) { console.log(msg.toUpperCase()); } });
  const one: number = exports.one();
  return one;
}

// Reflection: the items narrow by kind.
export function describe(component: Component) {
  const out: string[] = [];
  for (const item of [...component.imports(), ...component.exports()]) {
    if (item.kind === 'function') out.push(\`\${item.jsName}(\${item.type.params.map((p) => p.type.kind).join(', ')})\`);
    else if (item.kind === 'interface') out.push(\`\${item.name}: \${item.items.length} items\`);
    else if (item.kind === 'resource') out.push(\`class \${item.jsName} #\${item.resource}\`);
    else out.push(\`type \${item.name}: \${item.type.kind}\`);
  }
  return out;
}
import type * as Resources from './types/resources.js';
import type * as Streams from './types/streams.js';

class Blob implements Shapes.TestShapesTypes.Blob {
  constructor(readonly data: Uint8Array) {}
  size() { return this.data.length; }
  read(off: number, len: number) { return this.data.subarray(off, off + len); }
  type() { return 'blob'; }
  static merge(a: Blob, b: Shapes.TestShapesTypes.Blob) { return new Blob(a.data); }
}

export async function useShapes(bytes: Uint8Array) {
  const component = await Component.compile<Shapes.Exports, Shapes.Imports>(bytes);
  const wit: string = component.wit();
  const { exports } = await component.instantiate({
    'test:shapes/types@1.2.0': { Blob },
    clock: { now: () => 1n, async sleep(ms) { await new Promise((r) => setTimeout(r, ms)); } },
    log(msg) { console.log(msg.toUpperCase()); },
    paint(c, p) { if (c === 'red' && p.read) throw new ComponentError('no red'); },
  });
  const api = exports['test:shapes/api@1.2.0'];
  const area: number = api.area({ tag: 'rect', val: [{ x: 0, y: 0 }, { x: 2, y: 3 }] });
  const sameArea: number = exports.api.area({ tag: 'rect', val: [{ x: 0, y: 0 }, { x: 2, y: 3 }] });  // its short name
  const first: Shapes.TestShapesTypes.Point | undefined = api.first([{ x: 1, y: 2 }]);
  const nested: string | undefined = api.nested({ tag: 'some', val: undefined });
  const page: string = await api.fetch('https://example.com/', { signal: AbortSignal.timeout(10) });
  const piped: ReadableStream<Uint8Array> = await api.pipe(new Uint8Array([1, 2, 3]));
  const transformed: ReadableStream<Uint8Array> = new Blob(new Uint8Array(1)).data.length
    ? piped.pipeThrough(api.pipe.asTransform()) : piped;
  const sums: BigInt64Array = await api.numbers([1, 2, 3]);
  await api.later();
  const ids: BigUint64Array = api.ids(5n);
  for (const e of api.entries()) { const k: string = e.key; const w: boolean = e.flags.write; const d: Uint8Array = e.data; }
  const [ok, ch, n]: [boolean, string, number] = api.quad([1, 2, 3, 4]);
  const kept: number = api.keep(new Blob(new Uint8Array(2)));
  api.tick();
  exports.run(['a', 'b']);
  const [u8, text] = exports.scalars(true, -1, 1, -2, 2, -3, 3, -4n, 4, 1.5, 2.5, 'x');
  return [wit, area, first, nested, page, transformed, sums, ids, ok, ch, n, kept, u8 + text.length];
}

export async function useResources(bytes: Uint8Array) {
  class Logger implements Resources.TestHostLogging.Logger {
    constructor(readonly prefix: string) {}
    log(message: string) { return this.prefix + message; }
  }
  const { exports } = await instantiate<Resources.Exports, Resources.Imports>(bytes, { 'test:host/logging': { Logger } });
  const counter = new exports.Counter(5);
  const next: number = counter.increment();
  const merged: Resources.Counter = exports.Counter.merge(counter, new exports.Counter(1));
  merged[Symbol.dispose]();
  return [next, exports.keep(new exports.Counter(0)), exports.useLogger('a', 'b')];
}

export async function useStreams(component: Streams.Component) {
  const { exports } = await component.instantiate({});
  const bytes: ReadableStream<Uint8Array> = await exports.produce(10, 4);
  const total: [number, number] = await exports.consume(bytes, 1);
  const squares: ReadableStream<number> = await exports.squares(4);
  const words: ReadableStream<string> = await exports.words();
  const value: number = await exports.awaitFuture(Promise.resolve(4));
  const settled: number = await exports.futureOf(3);
  return [total, squares, words, value, settled];
}
`;

const MISUSE = `import { Component } from 'cmbridge';
import type * as Shapes from './types/shapes.js';

export async function misuse(bytes: Uint8Array) {
  const component = await Component.compile<Shapes.Exports, Shapes.Imports>(bytes);
  await component.instantiate({ // error: \`paint\` is missing
    'test:shapes/types@1.2.0': { Blob: class { size() { return 0; } read() { return []; } type() { return ''; } static merge(a: any) { return a; } } },
    clock: { now: () => 1n, sleep: () => {} },
    log(msg: string) {},
  });
  const { exports } = await component.instantiate({
    'test:shapes/types@1.2.0': { Blob: class {} }, // error: not a class with blob's members
    clock: { now: () => 'soon', sleep: () => {} }, // error: now returns a u64
    log(msg: number) {}, // error: msg is a string
    paint(c, p) {},
  });
  const api = exports['test:shapes/api@1.2.0'];
  api.area({ tag: 'square', val: 1 }); // error: no such case
  api.first([{ x: 1 }]); // error: a point has y
  const s: string = api.area({ tag: 'none' }); // error: area returns a number
  const p: Shapes.TestShapesTypes.Point = api.first([]); // error: may be undefined
  const f: string = api.fetch('u'); // error: an async export returns a Promise
  api.ids('5'); // error: an id is a u64
  exports.scalars(true, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1); // error: one argument short
  exports.notThere(); // error: no such export
}
`;

test('the generated .d.ts type-checks against code that uses the components as the runtime maps them, with each lib', async () => {
  for (const lib of LIBS) {
    const diagnostics = await typecheck({ 'usage.ts': USAGE }, lib);
    assert.deepEqual(diagnostics, [], `lib: ${lib.join(', ')}`);
  }
});

test('code that misuses a component fails to compile, at each misuse', async () => {
    const diagnostics = await typecheck({ 'misuse.ts': MISUSE });
    if (process.env.CM_TYPES_VERBOSE) console.log(diagnostics);
    const lines = [...new Set(diagnostics.map((d) => d.line))].sort((a, b) => a - b);
    assert.deepEqual(lines, markedLines(MISUSE), JSON.stringify(diagnostics, null, 2));
  });

test('declarations follow the value mapping: u64 is bigint, list<u8> a Uint8Array, async a Promise, results unwrapped', async () => {
  const shapes = await readFile(path.join(dir, 'types', 'shapes.d.ts'), 'utf8');
  assert.match(shapes, /^ {4}ids\(n: TestShapesTypes\.Id\): BigUint64Array;$/m);
  assert.match(shapes, /^ {2}export type Id = bigint;$/m);
  assert.match(shapes, /^ {2}export type Entry = \{ key: string; flags: TestShapesTypes\.Perms; data: Uint8Array; \};$/m);
  assert.match(shapes, /^ {4}fetch\(url: string, options\?: CallOptions\): Promise<string>;$/m);
  assert.match(shapes, /^ {2}paint\(c: TestShapesTypes\.Color, p: TestShapesTypes\.Perms\): void;$/m);
  assert.match(shapes, /^ {4}sleep\(ms: number\): void \| Promise<void>;$/m);
  const resources = await readFile(path.join(dir, 'types', 'resources.d.ts'), 'utf8');
  assert.match(resources, /^export class Counter \{$/m);
  assert.match(resources, /^ {2}Counter: typeof Counter;$/m);
});

test('`cmbridge types` needs a file and -o', async () => {
  const missing = await run(process.execPath, [cli, 'types', path.join(dir, 'shapes.wasm')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /missing -o <dir>/);
  const nofile = await run(process.execPath, [cli, 'types', path.join(dir, 'nope.wasm'), '-o', dir]);
  assert.equal(nofile.code, 1);
  assert.match(nofile.stderr, /ENOENT|no such file/);
});
