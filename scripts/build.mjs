// Builds the engine: natively (static library + GoogleTest/Benchmark programs, for
// `npm test`) and with Emscripten (build/wasm/engine.mjs + engine.wasm, which the JS
// package loads). Ninja rebuilds only what changed, so running this again is cheap.
//
//   node scripts/build.mjs            both builds
//   node scripts/build.mjs wasm       only the Emscripten build (what `npm start` needs)
//   node scripts/build.mjs native     only the native build
//   node scripts/build.mjs examples   only the demo's example components (and js/examples/hello.wasm)
//   node scripts/build.mjs package    what the npm package ships: the engine and js/examples/hello.wasm
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureNodeModules, ensureTools, repoRoot } from './prerequisites.mjs';

const buildRoot = path.join(repoRoot, 'build');
const run = (cmd, args, env = process.env) =>
  execFileSync(cmd, args, { cwd: repoRoot, stdio: 'inherit', env });

export function buildNative() {
  ensureTools(['cmake', 'ninja', 'g++'], { withNativeTests: true });
  const dir = path.join(buildRoot, 'native');
  if (!existsSync(path.join(dir, 'build.ninja'))) {
    run('cmake', ['-S', repoRoot, '-B', dir, '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Release']);
  }
  run('ninja', ['-C', dir]);
  return dir;
}

export function buildWasm() {
  ensureTools(['emcc', 'cmake', 'ninja']);
  const dir = path.join(buildRoot, 'wasm');
  // Debian's Emscripten needs its acorn from /usr/share/nodejs (toolchain.md pitfall 1).
  // Under `npm test`/`npm start`, npm puts node_modules/.bin first on PATH, and the npm
  // `binaryen` that jco depends on ships its own wasm-opt and friends there: Emscripten
  // then minifies the wasm's import names with one tool and not the JS glue with the
  // other, and the engine fails to instantiate ("Import #0 "a" "a": function import
  // requires a callable"). So Emscripten gets a PATH without node_modules/.bin.
  const PATH = (process.env.PATH ?? '').split(path.delimiter).filter((p) => !p.includes('node_modules')).join(path.delimiter);
  const env = { ...process.env, PATH, NODE_PATH: '/usr/share/nodejs' };
  if (!existsSync(path.join(dir, 'build.ninja'))) {
    // emcmake's default emulator flag is rejected by Node 20 (toolchain.md pitfall 3).
    run('emcmake', ['cmake', '-S', repoRoot, '-B', dir, '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Release',
      '-DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node;--no-experimental-fetch'], env);
  }
  run('ninja', ['-C', dir, 'engine', 'engine-strict'], env);
  // The strict glue (no string evaluation, for strict Content-Security-Policies) shares
  // engine.wasm: the flag that makes it changes only the JS.
  if (!readFileSync(path.join(dir, 'engine.wasm')).equals(readFileSync(path.join(dir, 'engine-strict.wasm')))) {
    throw new Error('engine-strict.wasm differs from engine.wasm: the strict glue can no longer share the engine (CMakeLists.txt)');
  }
  // The JS package finds the engine next to its own modules (js/engine/).
  const dest = path.join(repoRoot, 'js', 'engine');
  mkdirSync(dest, { recursive: true });
  installFile(path.join(dir, 'engine.mjs'), path.join(dest, 'engine.mjs'));
  // Emscripten names the glue's .wasm after its output (`new URL("engine-strict.wasm",
  // import.meta.url)`); bundlers resolve that URL at build time, so it must name the file
  // that ships.
  const strictGlue = readFileSync(path.join(dir, 'engine-strict.mjs'), 'utf8');
  if (!strictGlue.includes('"engine-strict.wasm"')) throw new Error('engine-strict.mjs no longer names engine-strict.wasm: revisit scripts/build.mjs');
  installFile(Buffer.from(strictGlue.replaceAll('"engine-strict.wasm"', '"engine.wasm"')), path.join(dest, 'engine-strict.mjs'));
  installFile(path.join(dir, 'engine.wasm'), path.join(dest, 'engine.wasm'));
  installFile(Buffer.from(abiNumbersModule(dest)), path.join(dest, 'abi-numbers.mjs'));
  return dir;
}

// js/engine/abi-numbers.mjs: the numbers JS shares with the engine (out slots, enum values,
// stream copy words), read from the engine just built (its ABI_* embind constants:
// bridge/abi_numbers.cpp), so that no JS module copies them by hand. The engine is loaded
// in a child process, since this build is synchronous.
function abiNumbersModule(engineDir) {
  const probe = `
    import { readFileSync } from 'node:fs';
    const { default: create } = await import(${JSON.stringify(new URL(`file://${path.join(engineDir, 'engine.mjs')}`).href)});
    const engine = await create({ wasmBinary: readFileSync(${JSON.stringify(path.join(engineDir, 'engine.wasm'))}) });
    const numbers = Object.keys(engine).filter((k) => k.startsWith('ABI_')).sort().map((k) => [k.slice(4), engine[k]]);
    process.stdout.write(JSON.stringify(numbers));`;
  const numbers = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: repoRoot, encoding: 'utf8' }));
  if (numbers.length === 0) throw new Error('the engine exports no ABI_* constants (bridge/abi_numbers.cpp)');
  const lines = numbers.map(([name, value]) => `export const ${name} = ${value};`);
  return `// Written by scripts/build.mjs from the engine's ABI_* constants (bridge/abi_numbers.cpp,\n// bridge/shared_numbers.h). Do not edit.\n${lines.join('\n')}\n`;
}

// Copies a build output (a path, or its bytes) into place only when it changed, and
// atomically (written beside,
// then renamed): tests that load the engine may be running while `npm pack`'s prepack
// script calls buildWasm (tests/package), and must never read a half-written file.
function installFile(from, to) {
  const bytes = Buffer.isBuffer(from) ? from : readFileSync(from);
  if (existsSync(to) && readFileSync(to).equals(bytes)) return;
  const partial = `${to}.${process.pid}.partial`;
  writeFileSync(partial, bytes);
  renameSync(partial, to);
}

// The demo's example components are component text (web-demo/components/*.wat); their
// binaries are build outputs, made with the wasm-tools inside jco (`jco parse`).
export async function buildExamples() {
  ensureNodeModules();
  const { parse } = await import('@bytecodealliance/jco');
  const dir = path.join(repoRoot, 'web-demo', 'components');
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.wat'))) {
    const source = path.join(dir, name);
    const target = source.replace(/\.wat$/, '.wasm');
    if (existsSync(target) && statSync(target).mtimeMs >= statSync(source).mtimeMs) continue;
    writeFileSync(target, await parse(readFileSync(source, 'utf8')));
  }
  // The example built by a real toolchain: gzip, JS with fflate made a component by
  // componentize-qjs (tests/wasi/components/gzip/; cached under build/ by its inputs).
  const { componentPath } = await import('../tests/wasi/componentize.mjs');
  copyFileSync(await componentPath('gzip'), path.join(dir, 'gzip.wasm'));
  // The package ships the first example (`cmbridge/examples/hello.wasm`), so that the
  // README's quick start runs as written from an installed package.
  mkdirSync(path.join(repoRoot, 'js', 'examples'), { recursive: true });
  copyFileSync(path.join(dir, 'hello.wasm'), path.join(repoRoot, 'js', 'examples', 'hello.wasm'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const what = process.argv[2] ?? 'all';
  if (what === 'all' || what === 'native') buildNative();
  if (what === 'all' || what === 'wasm' || what === 'package') buildWasm();
  if (what === 'package') await buildExamples();
  if (what === 'all' || what === 'examples') await buildExamples();
}
