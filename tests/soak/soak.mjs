// `npm run soak`: does anything leak? Runs many operations of each kind and prints what
// each one left behind after garbage collection, in bytes per operation, of the JS heap
// and of the engine's heap (its allocator's bytes in use, bridge/engine_bindings.cpp
// heapInUse). The goal is 0 B/op for each: a figure that stays above a few bytes per
// operation as the count grows is a leak. Not part of `npm test` (it takes minutes and its
// output is figures); `npm run bench` runs it at a tenth of the counts.
//
//   node --expose-gc tests/soak/soak.mjs [--scale=0.1]
//
// Counts at scale 1: 1M sync calls, 100k async calls, 100k host objects into a guest and
// back, 20k wasi:http requests served, 10k instantiate+drop cycles (the instances dropped
// without dispose(), left to the FinalizationRegistry), 10k instantiate+dispose cycles.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Component } from '../../js/index.mjs';
import { loadEngine } from '../../js/engine-loader.mjs';
import { componentBytes } from '../helpers/components.mjs';
import { keeperBytes, keeperHost } from '../hostile/components.mjs';

if (typeof globalThis.gc !== 'function') {
  // Garbage collection on demand needs --expose-gc: run again with it.
  const again = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(again.status ?? 1);
}

const scaleArg = process.argv.find((a) => a.startsWith('--scale='));
const scale = scaleArg ? Number(scaleArg.slice('--scale='.length)) : 1;
if (!(scale > 0)) throw new Error(`--scale must be a positive number, got ${scaleArg}`);

const engine = await loadEngine();
const turn = () => new Promise((resolve) => setImmediate(resolve));

// Collects until the heaps stop shrinking: FinalizationRegistry callbacks run on a later
// turn than the collection that found their targets.
async function settledHeaps() {
  let last = null;
  for (let i = 0; i < 10; i++) {
    globalThis.gc();
    await turn();
    const now = { js: process.memoryUsage().heapUsed, engine: engine.heapInUse() };
    if (last && now.js >= last.js - 1024 && now.engine >= last.engine) return now;
    last = now;
  }
  return last;
}

const rows = [];
async function measure(label, count, op) {
  await op(Math.max(1, Math.floor(count / 20)));  // warm up: JIT, caches, first allocations
  const before = await settledHeaps();
  const start = performance.now();
  await op(count);
  const seconds = (performance.now() - start) / 1000;
  const after = await settledHeaps();
  rows.push({
    label,
    count,
    js: (after.js - before.js) / count,
    engine: (after.engine - before.engine) / count,
    seconds,
  });
}

const add = (await (await Component.compile(await componentBytes('add'))).instantiate()).exports.add;
await measure('sync call add(u32, u32)', Math.round(1e6 * scale), async (n) => {
  let sum = 0;
  for (let i = 0; i < n; i++) sum = add(i, 1) | 0;
  return sum;
});

const keeper = await Component.compile(await keeperBytes());
const keeperInstance = await keeper.instantiate(keeperHost().imports);
await measure('sync call with a resource: new R(), r.get(), dispose', Math.round(1e5 * scale), async (n) => {
  const { R } = keeperInstance.exports;
  for (let i = 0; i < n; i++) {
    const r = new R(i);
    r.get();
    r[Symbol.dispose]();
  }
});

const hostCaller = await Component.compile(await componentBytes('async-host-caller'));
const { sum } = (await hostCaller.instantiate({ 'fetch-value': (x) => x })).exports;
await measure('async call sum() (two host calls inside)', Math.round(1e5 * scale), async (n) => {
  for (let i = 0; i < n; i++) await sum(i, 1);
});

const roundTrip = await Component.compile(await componentBytes('host-resource-round-trip'));
class Box {}
const boxes = (await roundTrip.instantiate({ 'test:host/boxes': { Box, keep: () => {} } })).exports;
await measure('host objects into the guest and back, owned (make-and-give, pass-through)', Math.round(1e5 * scale), async (n) => {
  for (let i = 0; i < n; i++) {
    boxes.makeAndGive();
    boxes.passThrough(new Box());
  }
});

const { serve } = await import('../../js/wasi/index.mjs');
const { watToBytes } = await import('../helpers/components.mjs');
const { readFile } = await import('node:fs/promises');
const hello = await serve(await watToBytes(await readFile(new URL('../wasi/components/http-hello.wat', import.meta.url), 'utf8')));
await measure('a wasi:http request served (http-hello.wat through serve(), body read)', Math.round(2e4 * scale), async (n) => {
  for (let i = 0; i < n; i++) await (await hello(new Request('http://localhost/'))).arrayBuffer();
});

await measure('instantiate, call, drop (to the GC)', Math.round(1e4 * scale), async (n) => {
  for (let i = 0; i < n; i++) {
    const { exports } = await keeper.instantiate(keeperHost().imports);
    exports.probe();
    exports.keep(new exports.R(i));
    if (i % 500 === 499) await turn();  // let finalizers run as a long-lived page would
  }
});

await measure('instantiate, async call, drop (to the GC)', Math.round(1e4 * scale), async (n) => {
  for (let i = 0; i < n; i++) {
    const { exports } = await hostCaller.instantiate({ 'fetch-value': async (x) => x });
    await exports.sum(i, 1);
    if (i % 500 === 499) await turn();
  }
});

await measure('instantiate, call, dispose()', Math.round(1e4 * scale), async (n) => {
  for (let i = 0; i < n; i++) {
    const instance = await keeper.instantiate(keeperHost().imports);
    instance.exports.probe();
    instance.exports.keep(new instance.exports.R(i));
    instance.dispose();
  }
});

const fmt = (b) => `${b >= 0 ? '' : '-'}${Math.abs(b) < 10 ? Math.abs(b).toFixed(2) : Math.abs(b).toFixed(0)} B`;
console.log(`\n## Leaks (tests/soak/soak.mjs, scale ${scale}): what each operation leaves after GC (goal: 0 B/op)\n`);
console.log('| operation | count | JS heap / op | engine heap / op | time |');
console.log('|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.label} | ${r.count.toLocaleString('en-US')} | ${fmt(r.js)} | ${fmt(r.engine)} | ${r.seconds.toFixed(1)} s |`);
}
