// Sync call benchmarks, side by side in one run: cmbridge, a plain core wasm export call,
// and jco 1.35 (transpiled ahead of time, as jco requires). Prints a table; asserts
// nothing (figures belong in benchmarks, not tests).
//
//   node tests/bench/sync-calls.bench.mjs        (npm run bench runs it)
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { transpile } from '@bytecodealliance/jco';
import { Component } from '../../js/index.mjs';
import { componentBytes } from '../helpers/components.mjs';
import { repoRoot } from '../../scripts/prerequisites.mjs';

const ROUNDS = 9;

/** Median and min ns per call of `body(n)`, which must make n calls. */
function measure(body, n) {
  body(Math.min(n, 10000));  // warm up
  const samples = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    body(n);
    samples.push(Number(process.hrtime.bigint() - t0) / n);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[ROUNDS >> 1], min: samples[0] };
}

async function jcoExports(bytes) {
  const dir = path.join(repoRoot, 'build', 'bench', 'jco-bench');
  const { files } = await transpile(bytes, { name: 'bench', noTypescript: true });
  await mkdir(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  await writeFile(path.join(dir, 'package.json'), '{"type":"module"}');
  return import(pathToFileURL(path.join(dir, 'bench.js')).href);
}

export async function run() {
  const bytes = await componentBytes('bench');
  const component = await Component.compile(bytes);
  const ours = (await component.instantiate({})).exports;
  const { offset, size } = component.plan.modules[0];
  const core = (await WebAssembly.instantiate(bytes.subarray(offset, offset + size))).instance.exports;
  const jco = await jcoExports(bytes);

  const rows = [];
  // Each measured function gets a loop of its own (a new function literal), so that the
  // call site stays monomorphic and V8 can inline what it calls; a loop shared by all
  // three would favour whichever ran first.
  const ownLoop = (body) => new Function('fn', 'arg', `return (n) => { let s = 0; for (let i = 0; i < n; i++) { ${body} } return s; };`);
  const addLoop = (fn) => ownLoop('s = fn(i & 0xffff, s & 0xffff);')(fn);
  const add = {
    core: measure(addLoop(core.add), 5e6),
    ours: measure(addLoop(ours.add), 5e6),
    jco: measure(addLoop(jco.add), 2e5),
  };
  rows.push(['add(u32, u32) -> u32', 'ns/call', add.core, add.ours, add.jco]);

  const text = 'a'.repeat(1024);
  const echoLoop = (fn) => ownLoop('s = fn(arg).length;')(fn, text);
  const echo = { ours: measure(echoLoop(ours.echo), 2e5), jco: measure(echoLoop(jco.echo), 5e4) };
  rows.push(['echo(string) 1 KiB', 'ns/call', null, echo.ours, echo.jco]);

  const mib = new Uint8Array(1 << 20).fill(7);
  const bytesLoop = (fn) => ownLoop('s = fn(arg).length;')(fn, mib);
  const list = { ours: measure(bytesLoop(ours.bytes), 200), jco: measure(bytesLoop(jco.bytes), 20) };
  const copy = measure((n) => { const dst = new Uint8Array(1 << 20); for (let i = 0; i < n; i++) dst.set(mib); }, 2000);
  // A round trip is two copies, one of them into a fresh buffer the caller will own: the
  // floor in JS is one `slice()` (allocate + copy) plus one `set()`.
  const floor = measure((n) => { const dst = new Uint8Array(1 << 20); for (let i = 0; i < n; i++) { dst.set(mib); mib.slice(); } }, 200);
  rows.push(['list<u8> 1 MiB round trip', 'ns/call', floor, list.ours, list.jco]);
  rows.push(['  (one 1 MiB Uint8Array.set, for scale)', 'ns', copy, null, null]);

  const fmt = (m) => (m ? `${m.median.toFixed(1)} (min ${m.min.toFixed(1)})` : '—');
  console.log('\n## Sync calls (Node %s; median of %d rounds, ns per call)\n', process.versions.node, ROUNDS);
  console.log('The "plain core wasm" column of the list row is the JS floor for two 1 MiB copies (slice + set).\n');
  console.log('| operation | plain core wasm | cmbridge | jco 1.35 | cmbridge vs core | jco / cmbridge |');
  console.log('|---|---|---|---|---|---|');
  for (const [name, , c, o, j] of rows) {
    const vsCore = c && o ? `${(o.median / c.median).toFixed(1)}x` : '—';
    const vsJco = j && o ? `${(j.median / o.median).toFixed(1)}x faster` : '—';
    console.log(`| ${name} | ${fmt(c)} | ${fmt(o)} | ${fmt(j)} | ${vsCore} | ${vsJco} |`);
  }
  const mbps = (m) => ((2 * (1 << 20)) / m.median * 1e9 / 1e6).toFixed(0);
  console.log(`\nlist<u8> 1 MiB round trip moves 2 MiB per call: cmbridge ${mbps(list.ours)} MB/s, jco ${mbps(list.jco)} MB/s, Uint8Array.set ${(((1 << 20) / copy.median) * 1e9 / 1e6).toFixed(0)} MB/s`);
  console.log(`echo 1 KiB: cmbridge ${(1e9 / echo.ours.median / 1000).toFixed(0)}k calls/s, jco ${(1e9 / echo.jco.median / 1000).toFixed(0)}k calls/s`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run();
