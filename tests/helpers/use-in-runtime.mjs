// What a user's script does with the package, run by tests/wasi/runtimes.test.mjs under
// Deno and Bun (and Node, for the expected answer): compile and instantiate components,
// call a sync export, an async export returning a stream read through its ReadableStream,
// a future, and a stream passed in and back. argv: the paths of add.wasm and streams.wasm.
// Prints the results as one line of JSON.
import { Component } from '../../js/index.mjs';

const args = globalThis.Deno ? Deno.args : process.argv.slice(2);
const read = (file) => (globalThis.Deno ? Deno.readFile(file) : import('node:fs/promises').then((fs) => fs.readFile(file)));
const [addBytes, streamsBytes] = await Promise.all(args.map(read));

const add = await (await Component.compile(addBytes)).instantiate();
const { exports: s } = await (await Component.compile(streamsBytes)).instantiate();

const values = async (stream) => {
  const out = [];
  const reader = stream.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return out;
    if (ArrayBuffer.isView(value)) out.push(...value);  // stream<u8>: chunks of bytes
    else out.push(value);  // other streams: one value per read
  }
};
console.log(JSON.stringify({
  add: add.exports.add(20, 22),
  squares: await values(await s.squares(5)),
  future: await s.futureOf(41),
  passed: new TextDecoder().decode(new Uint8Array(await values(await s.pass(new TextEncoder().encode('through the guest'))))),
}));
