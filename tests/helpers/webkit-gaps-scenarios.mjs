// What tests/js/webkit-gaps.test.mjs runs in a Node made WebKit-like (webkit-gaps.mjs):
// streams of bytes in and out of a guest, WASI stdin and an in-memory file read as
// streams. Prints a JSON report of what each scenario got.
import { Component } from '../../js/index.mjs';
import { componentBytes } from './components.mjs';
import { stdinFrom } from '../../js/wasi/p3-embedder-stdio.mjs';
import { MemoryDirectory } from '../../js/wasi/index.mjs';
import { emptyStream } from '../../js/wasi/http/body.mjs';

// Every byte of a ReadableStream, read with a default reader (no async iteration).
async function readAll(stream) {
  const reader = stream.getReader();
  const bytes = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return bytes;
    bytes.push(...value);
  }
}

const report = {
  byteStreams: typeof ReadableByteStreamController,
  asyncIterable: typeof ReadableStream.prototype[Symbol.asyncIterator],
};
const component = await Component.compile(await componentBytes('streams'));
const e = (await component.instantiate({})).exports;
report.fromGuest = (await readAll(await e.produce(300, 300))).length;
report.throughGuest = await readAll(await e.pass(new ReadableStream({
  start(c) {
    c.enqueue(new Uint8Array([1, 2, 3]));
    c.enqueue(new Uint8Array([4]));
    c.close();
  },
})));
const [stdin] = stdinFrom('hi').readViaStream();
report.stdin = await readAll(stdin);
report.empty = await readAll(emptyStream());
const dir = new MemoryDirectory({ 'a.txt': 'abc' });
const file = dir.descriptor().openAt({}, 'a.txt', {}, { read: true });
const [contents] = file.readViaStream(0n);
report.file = new TextDecoder().decode(new Uint8Array(await readAll(contents)));
process.stdout.write(JSON.stringify(report));
