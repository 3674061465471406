// memory.grow inside a component call against the same core module called directly, in
// one process: does anything of ours (views on guest memory, the engine) add a cost per
// grow? Each round grows a fresh memory to 256 MiB, 64 KiB at a time, inside one call. The
// two run alternately, since whichever grows second in a process tends to be slower.
//
//   node tests/bench/memory-grow.bench.mjs        (npm run bench runs it)
import { pathToFileURL } from 'node:url';
import { parse } from '@bytecodealliance/jco';
import { Component } from '../../js/index.mjs';

const PAGES = 4095;  // 256 MiB in all, with the first page (the cost grows with the square)
const ROUNDS = 3;

const coreText = `(module
  (memory (export "memory") 1)
  (func (export "grow") (param $n i32) (result i32)
    (local $i i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (drop (memory.grow (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (memory.size)))`;
const componentText = `(component
  (core module $m ${coreText.slice('(module'.length, -1)})
  (core instance $i (instantiate $m))
  (func (export "grow") (param "n" u32) (result u32) (canon lift (core func $i "grow"))))`;

export async function run() {
  const coreModule = await WebAssembly.compile(await parse(coreText));
  const component = await Component.compile(await parse(componentText));
  const times = { core: [], cmbridge: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const which of r % 2 ? ['cmbridge', 'core'] : ['core', 'cmbridge']) {
      const grow = which === 'core'
        ? (await WebAssembly.instantiate(coreModule)).exports.grow
        : (await component.instantiate()).exports.grow;
      const t0 = performance.now();
      const pages = grow(PAGES);
      times[which].push(performance.now() - t0);
      if (pages !== PAGES + 1) throw new Error(`grew to ${pages} pages, not ${PAGES + 1}`);
    }
  }
  const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  console.log(`\n## memory.grow to 256 MiB, one page at a time, inside one call (median of ${ROUNDS}, alternating)\n`);
  console.log('| | plain core module | cmbridge component |');
  console.log('|---|---|---|');
  console.log(`| ms | ${median(times.core).toFixed(0)} | ${median(times.cmbridge).toFixed(0)} |`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run();
