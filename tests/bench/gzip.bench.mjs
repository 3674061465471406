// A transform built by a real toolchain beside the platform's own: MB/s of gzip through
// the component (tests/wasi/components/gzip/: fflate inside QuickJS, by componentize-qjs)
// piped with asTransform(), and of CompressionStream('gzip'), on the same 4 MiB of
// text-like bytes in 64 KiB chunks. (The component's figure is QuickJS interpreting a JS
// deflate; what the host adds is the stream copies.)
//
//   node tests/bench/gzip.bench.mjs        (npm run bench runs it)
import v8 from 'node:v8';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Component } from '../../js/index.mjs';
import { wasiImportsFor } from '../../js/wasi/command.mjs';
import { componentPath } from '../wasi/componentize.mjs';

const SIZE = 4 << 20;
const CHUNK = 64 * 1024;

const data = Uint8Array.from({ length: SIZE }, (_, i) => 32 + ((i * 7 + (i >> 9)) % 90));
const chunks = () => new ReadableStream({
  start(controller) {
    for (let at = 0; at < SIZE; at += CHUNK) controller.enqueue(data.slice(at, at + CHUNK));
    controller.close();
  },
});

/** MB/s of piping the data through `transform()` (a fresh TransformStream-like each time), best of three. */
async function rate(transform) {
  let best = 0;
  let size = 0;
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    size = (await new Response(chunks().pipeThrough(transform())).arrayBuffer()).byteLength;
    best = Math.max(best, SIZE / 1e6 / ((performance.now() - t0) / 1000));
  }
  return { best, size };
}

export async function run() {
  v8.setFlagsFromString('--experimental-wasm-extended-const');
  const component = await Component.compile(await readFile(await componentPath('gzip')));
  const { exports } = await component.instantiate(await wasiImportsFor(component, {}));
  const platform = await rate(() => new CompressionStream('gzip'));
  const guest = await rate(() => exports.gzip.asTransform());
  console.log('\n## gzip as a component (fflate in QuickJS, componentize-qjs) beside CompressionStream (4 MiB, 64 KiB chunks, best of 3)\n');
  console.log('| transform | MB/s | output bytes |');
  console.log('|---|---|---|');
  console.log(`| CompressionStream('gzip') | ${platform.best.toFixed(1)} | ${platform.size} |`);
  console.log(`| the gzip component through asTransform() | ${guest.best.toFixed(2)} | ${guest.size} |`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();
