// Compile and start-up cost, beside the floor: what V8 itself takes to compile the
// component's own core modules. Every figure comes from a fresh Node process (V8 keeps
// compiled wasm modules per process, keyed by their bytes, so a second compile of the same
// bytes in one process costs almost nothing and measures nothing). Prints a table; asserts
// nothing.
//
//   node tests/bench/compile.bench.mjs        (npm run bench runs it)
//
// Rows: the demo's hello (3 small core modules), a QuickJS component (componentize-qjs,
// 1.6 MB) and a StarlingMonkey one (componentize-js, 12.5 MB), both built by
// tests/wasi/componentize.mjs (its cache makes reruns cheap).
// Columns:
// - core floor: `WebAssembly.compile` of each core module, all at once (Promise.all);
// - Component.compile: with the engine already loaded;
// - import + first compile: `import('cmbridge')` and the first Component.compile, the engine
//   load included, from the start of the script.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const RUNS = 5;
const here = fileURLToPath(import.meta.url);
// Core modules of the toolchains' outputs use extended constant expressions, which Node 20
// and 21 keep behind a flag (the CLI sets it too).
const NODE_FLAGS = ['--experimental-wasm-extended-const'];

// One measurement, in this (fresh) process: prints its figure in ms as JSON.
async function measureOnce(what, file) {
  const bytes = new Uint8Array(readFileSync(file));
  const t0 = performance.now();
  if (what === 'first') {
    const { Component } = await import('../../js/index.mjs');
    await Component.compile(bytes);
  } else if (what === 'compile') {
    const { Component } = await import('../../js/index.mjs');
    const { loadEngine } = await import('../../js/engine-loader.mjs');
    await loadEngine();
    const t1 = performance.now();
    await Component.compile(bytes);
    return performance.now() - t1;
  } else {
    // The floor: the core modules' places come from the engine, timed only from after.
    const { Component } = await import('../../js/index.mjs');
    const { modules } = (await Component.compile(bytes)).plan;
    const child = spawnSync(process.execPath, [...NODE_FLAGS, here, '--floor-only', file, JSON.stringify(modules)], { encoding: 'utf8' });
    return JSON.parse(child.stdout);
  }
  return performance.now() - t0;
}

async function floorOnly(file, modules) {
  const bytes = new Uint8Array(readFileSync(file));
  const t0 = performance.now();
  await Promise.all(modules.map(({ offset, size }) => WebAssembly.compile(bytes.subarray(offset, offset + size))));
  return performance.now() - t0;
}

function median(what, file) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const child = spawnSync(process.execPath, [...NODE_FLAGS, here, '--measure', what, file], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`measuring ${what} of ${file} failed: ${child.stderr}`);
    samples.push(JSON.parse(child.stdout));
  }
  samples.sort((a, b) => a - b);
  return samples[RUNS >> 1];
}

export async function run() {
  const { componentPath } = await import('../wasi/componentize.mjs');
  const rows = [['hello (demo)', fileURLToPath(new URL('../../web-demo/components/hello.wasm', import.meta.url))]];
  for (const [label, name] of [['QuickJS greeter (componentize-qjs)', 'greeter-sync'], ['StarlingMonkey greeter (componentize-js)', 'greeter-starlingmonkey']]) {
    try {
      rows.push([label, await componentPath(name)]);
    } catch (e) {
      console.log(`(${label}: not built: ${e.message.split('\n')[0]})`);
    }
  }
  console.log('\n## Compile (Node %s; median of %d fresh processes, ms)\n', process.versions.node, RUNS);
  console.log('| component | size | core floor | Component.compile | vs floor | import + first compile |');
  console.log('|---|---|---|---|---|---|');
  for (const [label, file] of rows) {
    const size = readFileSync(file).length;
    const floor = median('floor', file);
    const compile = median('compile', file);
    const first = median('first', file);
    const ms = (x) => x.toFixed(1);
    console.log(`| ${label} | ${(size / 1e6).toFixed(2)} MB | ${ms(floor)} | ${ms(compile)} | ${(compile / floor).toFixed(2)}x | ${ms(first)} |`);
  }
  console.log('\nAim (issue 12): Component.compile <= 1.2x the floor + 2 ms; import + first compile of a small component <= 40 ms.');
}

const argv = process.argv.slice(2);
if (argv[0] === '--measure') {
  process.stdout.write(JSON.stringify(await measureOnce(argv[1], argv[2])));
} else if (argv[0] === '--floor-only') {
  process.stdout.write(JSON.stringify(await floorOnly(argv[1], JSON.parse(argv[2]))));
} else if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
