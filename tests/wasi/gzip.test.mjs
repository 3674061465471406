// A transform built by a real toolchain: gzip(stream<u8>) -> stream<u8>, from JS with
// fflate (npm) by componentize-qjs (tests/wasi/components/gzip/), piped through
// asTransform() and checked against the platform's own DecompressionStream('gzip').
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import { readFile } from 'node:fs/promises';
import { Component } from '../../js/index.mjs';
import { wasiImportsFor } from '../../js/wasi/command.mjs';
import { componentPath } from './componentize.mjs';

// componentize-qjs output uses extended constant expressions (a flag in Node 20 and 21).
v8.setFlagsFromString('--experimental-wasm-extended-const');

let gzip;

before(async () => {
  const component = await Component.compile(await readFile(await componentPath('gzip')));
  ({ exports: { gzip } } = await component.instantiate(await wasiImportsFor(component, {})));
});

const gunzip = async (bytes) => new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());

// A source of `size` bytes in chunks of `chunk`, text-like so that it compresses.
function source(size, chunk) {
  let at = 0;
  const data = Uint8Array.from({ length: size }, (_, i) => 32 + ((i * 7 + (i >> 9)) % 90));
  return {
    data,
    stream: new ReadableStream({
      pull(controller) {
        if (at >= size) return controller.close();
        controller.enqueue(data.slice(at, at + chunk));
        at += chunk;
      },
    }),
  };
}

test('gzip through asTransform(): DecompressionStream gives back the input, empty to 1 MiB', async () => {
  for (const [size, chunk] of [[0, 1], [1, 1], [1000, 7], [1 << 20, 64 * 1024]]) {
    const { data, stream } = source(size, chunk);
    const compressed = new Uint8Array(await new Response(stream.pipeThrough(gzip.asTransform())).arrayBuffer());
    assert.deepEqual([compressed[0], compressed[1]], [0x1f, 0x8b], 'a gzip header');
    assert.deepEqual(await gunzip(compressed), data, `${size} bytes in chunks of ${chunk}`);
    if (size >= 1000) assert.ok(compressed.length < size / 4, `${size} bytes compressed to ${compressed.length}`);
  }
});

test('gzip called directly: the output stream arrives at once, and reading it drives the input', async () => {
  const { data, stream } = source(300_000, 10_000);
  let pulled = 0;
  const counted = stream.pipeThrough(new TransformStream({ transform(c, ctl) { pulled += c.length; ctl.enqueue(c); } }));
  const output = await gzip(counted);
  assert.ok(output instanceof ReadableStream);
  assert.ok(pulled < data.length, `only ${pulled} of ${data.length} bytes read before the output is read`);
  assert.deepEqual(await gunzip(new Uint8Array(await new Response(output).arrayBuffer())), data);
});
