// stream<u8> throughput between a guest and JS (tests/components/streams.wat), in MB/s.
// Prints figures; asserts nothing (figures belong in benchmarks, not tests).
//   guest → JS: produce() writes 64 KiB per stream.write; the host reads a ReadableStream
//     with a BYOB reader (one 64 KiB buffer, reused) and with a default reader (a fresh
//     chunk per read, copied out of the stream's scratch buffer: js/values/stream-codec.mjs);
//   JS → guest: discard() reads 64 KiB per stream.read from a ReadableStream of 64 KiB
//     chunks, and from one Uint8Array;
//   guest → guest: one component streams into another (tests/components/stream-pipe.wat),
//     64 KiB per write and per read; each rendezvous is one copy between the two memories.
//
//   node tests/bench/streams.bench.mjs        (npm run bench runs it)
import { pathToFileURL } from 'node:url';
import { Component } from '../../js/index.mjs';
import { componentBytes } from '../helpers/components.mjs';

const ROUNDS = 7;
const TOTAL = 64 << 20;
const CHUNK = 64 << 10;

async function measure(body) {
  await body();  // warm up
  const samples = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    await body();
    samples.push(Number(process.hrtime.bigint() - t0));
  }
  samples.sort((a, b) => a - b);
  const mbps = (ns) => (TOTAL / ns) * 1e9 / 1e6;
  return { median: mbps(samples[ROUNDS >> 1]), max: mbps(samples[0]) };
}

export async function run() {
  const component = await Component.compile(await componentBytes('streams'));
  const e = (await component.instantiate({})).exports;

  const byob = await measure(async () => {
    const reader = (await e.produce(TOTAL, CHUNK)).getReader({ mode: 'byob' });
    let buffer = new ArrayBuffer(CHUNK);
    let total = 0;
    for (;;) {
      const { value, done } = await reader.read(new Uint8Array(buffer));
      if (done) break;
      total += value.length;
      buffer = value.buffer;
    }
    if (total !== TOTAL) throw new Error(`read ${total} bytes`);
  });
  const plain = await measure(async () => {
    let total = 0;
    for await (const chunk of await e.produce(TOTAL, CHUNK)) total += chunk.length;
    if (total !== TOTAL) throw new Error(`read ${total} bytes`);
  });
  const source = new Uint8Array(CHUNK).fill(1);
  const fromStream = await measure(async () => {
    let sent = 0;
    const s = new ReadableStream({
      pull(controller) {
        if (sent === TOTAL) { controller.close(); return; }
        controller.enqueue(source.slice());
        sent += CHUNK;
      },
    }, { highWaterMark: 0 });
    const [count] = await e.discard(s, CHUNK);
    if (count !== TOTAL) throw new Error(`wrote ${count} bytes`);
  });
  const whole = new Uint8Array(TOTAL).fill(2);
  const fromArray = await measure(async () => {
    const [count] = await e.discard(whole, CHUNK);
    if (count !== TOTAL) throw new Error(`wrote ${count} bytes`);
  });
  const pipe = (await (await Component.compile(await componentBytes('stream-pipe'))).instantiate({})).exports;
  const guestToGuest = await measure(async () => {
    const count = await pipe.consume(TOTAL);
    if (count !== TOTAL) throw new Error(`piped ${count} bytes`);
  });
  const copy = new Uint8Array(CHUNK);
  const setOnly = await measure(async () => {
    for (let k = 0; k < TOTAL / CHUNK; k++) copy.set(whole.subarray(k * CHUNK, (k + 1) * CHUNK));
  });

  const fmt = (m) => `${m.median.toFixed(0)} (max ${m.max.toFixed(0)})`;
  console.log('\n## stream<u8> (Node %s; 64 MiB in 64 KiB copies; median of %d rounds, MB/s)\n', process.versions.node, ROUNDS);
  console.log('| direction | how | MB/s |');
  console.log('|---|---|---|');
  console.log(`| guest → JS | ReadableStream, BYOB reader, one reused 64 KiB buffer | ${fmt(byob)} |`);
  console.log(`| guest → JS | ReadableStream, default reader (each chunk copied out of the stream's scratch buffer) | ${fmt(plain)} |`);
  console.log(`| JS → guest | ReadableStream of 64 KiB chunks | ${fmt(fromStream)} |`);
  console.log(`| JS → guest | one 64 MiB Uint8Array | ${fmt(fromArray)} |`);
  console.log(`| guest → guest | one component's stream.write into another's stream.read | ${fmt(guestToGuest)} |`);
  console.log(`| (for scale) | 64 KiB Uint8Array.set, no stream | ${fmt(setOnly)} |`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run();
