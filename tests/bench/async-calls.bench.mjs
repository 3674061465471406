// Async call benchmarks (tests/components/async-bench.wat), side by side with jco 1.35 in
// one run where jco can run them. Prints tables; asserts nothing.
//
//   node --expose-gc tests/bench/async-calls.bench.mjs   (npm run bench runs it)
//
// - an awaited async export call that returns at once (callback ABI);
// - a guest → host async import round trip through a resolved Promise (the guest waits for
//   each SUBTASK event);
// - many concurrently pending tasks (each waiting on a host Promise): time to start them,
//   memory per task (JS heap + the engine's heap), time to settle them all.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { transpile } from '@bytecodealliance/jco';
import { Component } from '../../js/index.mjs';
import { loadEngine } from '../../js/engine-loader.mjs';
import { componentBytes } from '../helpers/components.mjs';
import { repoRoot } from '../../scripts/prerequisites.mjs';

const ROUNDS = 7;

/** Median and min ns per operation of `body(n)` (async, making n operations). */
async function measure(body, n) {
  await body(Math.min(n, 2000));  // warm up
  const samples = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    await body(n);
    samples.push(Number(process.hrtime.bigint() - t0) / n);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[ROUNDS >> 1], min: samples[0] };
}

const fmt = (r) => (r ? `${r.median.toFixed(0)} ns (${r.min.toFixed(0)})` : 'n/a');

// jco needs an ahead-of-time transpile; its async output wraps exports with
// WebAssembly.promising, which Node 20 lacks (docs: peers.md): a pass-through stand-in lets
// the callback-ABI paths run, as the peers measurement did.
async function jcoExports(bytes, imports) {
  const dir = path.join(repoRoot, 'build', 'bench', 'jco-async-bench');
  const { files } = await transpile(bytes, { name: 'bench', noTypescript: true, instantiation: { tag: 'async' } });
  await mkdir(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  await writeFile(path.join(dir, 'package.json'), '{"type":"module"}');
  const mod = await import(pathToFileURL(path.join(dir, 'bench.js')).href);
  const { readFile } = await import('node:fs/promises');
  return mod.instantiate((name) => readFile(path.join(dir, name)).then((b) => WebAssembly.compile(b)), imports);
}

async function answerLoop(answer, n) {
  for (let i = 0; i < n; i++) await answer(i);
}

export async function run() {
  const bytes = await componentBytes('async-bench');
  const component = await Component.compile(bytes);
  const resolved = (x) => Promise.resolve(x + 1);
  const ours = (await component.instantiate({ ping: resolved })).exports;

  const answer = await measure((n) => answerLoop(ours.answer, n), 200_000);
  const roundTrip = await measure((n) => ours.roundTrips(n), 200_000);
  const plainPromise = await measure(async (n) => { for (let i = 0; i < n; i++) await resolved(i); }, 200_000);

  let jcoAnswer = null;
  let jcoRoundTrip = null;
  let jcoNote = '';
  try {
    WebAssembly.promising ??= (f) => async (...args) => f(...args);
    WebAssembly.Suspending ??= function Suspending(f) { return f; };
    const jco = await jcoExports(bytes, { ping: resolved });
    jcoAnswer = await measure((n) => answerLoop(jco.answer, n), 50_000);
    try {
      jcoRoundTrip = await measure((n) => jco.roundTrips(n), 20_000);
    } catch (e) {
      jcoNote = `jco round trip: ${e.message.split('\n')[0]}`;
    }
  } catch (e) {
    jcoNote = `jco: ${e.message.split('\n')[0]}`;
  }

  console.log('\n## Async calls (Node %s; median (min) of %d rounds)\n', process.versions.node, ROUNDS);
  console.log('| operation | cmbridge | jco 1.35 | goal |');
  console.log('|---|---|---|---|');
  console.log(`| awaited async export returning at once | ${fmt(answer)} | ${fmt(jcoAnswer)} | < 1 µs |`);
  console.log(`| guest → host async import round trip (resolved Promise) | ${fmt(roundTrip)} | ${fmt(jcoRoundTrip)} | < 2 µs |`);
  console.log(`| for scale: awaiting a resolved Promise in JS | ${fmt(plainPromise)} | | |`);
  if (jcoNote) console.log(`\n(${jcoNote})`);

  await pendingTasks(component);
}

// Many tasks pending at once: each waits on its own host Promise.
async function pendingTasks(component) {
  console.log('\n## Concurrently pending tasks (each waits for a host Promise)\n');
  console.log('| tasks | start all | settle all | JS heap / task | engine heap / task |');
  console.log('|---|---|---|---|---|');
  for (const count of [10_000, 50_000, 100_000]) {
    const resolvers = [];
    const ping = (x) => new Promise((resolve) => { resolvers.push(() => resolve(x)); });
    const instance = await component.instantiate({ ping });
    const engine = await loadEngine();
    globalThis.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    const engineHeap0 = engineHeapBytes(engine);
    const t0 = process.hrtime.bigint();
    const calls = new Array(count);
    for (let i = 0; i < count; i++) calls[i] = instance.exports.park(i);
    await new Promise((resolve) => setImmediate(resolve));
    const t1 = process.hrtime.bigint();
    globalThis.gc?.();
    const heap1 = process.memoryUsage().heapUsed;
    const engineHeap1 = engineHeapBytes(engine);
    for (const r of resolvers) r();
    await Promise.all(calls);
    const t2 = process.hrtime.bigint();
    const perTask = (bytes) => `${(bytes / count).toFixed(0)} B`;
    console.log(`| ${count} | ${(Number(t1 - t0) / 1e6).toFixed(0)} ms | ${(Number(t2 - t1) / 1e6).toFixed(0)} ms | ` +
      `${perTask(heap1 - heap0)} | ${engineHeap0 === null ? 'n/a' : perTask(engineHeap1 - engineHeap0)} |`);
  }
  if (!globalThis.gc) console.log('\n(run node with --expose-gc for steadier heap figures)');
}

// The engine's wasm heap in use: its memory only grows, so growth is an upper bound.
function engineHeapBytes(engine) {
  return engine?.HEAPU8 ? engine.HEAPU8.length : null;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run();
