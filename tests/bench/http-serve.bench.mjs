// wasi:http 0.3 served by cmbridge: requests per second of `cmbridge serve` on a hello
// handler beside a plain node:http server answering the same text, in the same run: the
// handler in component text (tests/wasi/components/http-hello.wat: no language runtime, so
// the host's own cost per request) and the QuickJS test service's /hello
// (tests/wasi/components/http/service.js: a guest as a JS developer would write it); and a
// 64 MiB response body streamed guest -> client (QuickJS), beside node:http writing 64 KiB
// chunks.
//
// Then, in process, the JS heap one request allocates (deterministic, where times are not).
//
// Each server runs in a child process of its own (one core), the load comes from this
// process: keep-alive connections, each sending its next request when the last answer
// ended. Requests per second then depend on the load generator too (a Node client on the
// same 2 cores is slower than a plain server), so where Linux tells (/proc), the table also
// gives each server's CPU time per request on its main thread: the "per core" cost.
//
//   node tests/bench/http-serve.bench.mjs        (npm run bench runs it)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { watToBytes } from '../helpers/components.mjs';
import { componentPath } from '../wasi/componentize.mjs';

const cli = fileURLToPath(new URL('../../js/cli.mjs', import.meta.url));
const CONNECTIONS = 32;
const SECONDS = 4;
const BIG = 64 << 20;

const PLAIN_SERVER = `
const http = require('node:http');
const block = Buffer.alloc(65536, 0x61);
http.createServer((req, res) => {
  if (req.url.startsWith('/bytes')) {
    let left = ${BIG};
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const more = () => {
      while (left > 0) {
        const n = Math.min(left, block.length);
        left -= n;
        if (!res.write(n === block.length ? block : block.subarray(0, n))) return res.once('drain', more);
      }
      res.end();
    };
    return more();
  }
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('Hello, WASI!');
}).listen(0, '127.0.0.1', function () { console.error('listening on http://127.0.0.1:' + this.address().port + '/'); });
`;

/** Starts a server child process; resolves to { base, stop } once it says where it listens. */
function startServer(args) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
      const m = /listening on (http:\/\/\S+?)\/?\s/.exec(stderr);
      if (m) resolve({ base: m[1], pid: child.pid, stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
}

// Clock ticks per second of /proc's CPU times (USER_HZ: 100 on every Linux port in use).
const USER_HZ = 100;

/** CPU seconds the main thread of process `pid` used so far (user + system), or NaN off Linux. */
function mainThreadCpuSeconds(pid) {
  const file = `/proc/${pid}/task/${pid}/stat`;
  if (!existsSync(file)) return NaN;
  // The fields after the command name (which may hold spaces): utime is the 14th field, stime the 15th.
  const stat = readFileSync(file, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
}

/**
 * GET `url` from CONNECTIONS keep-alive clients for SECONDS: { rate } requests per second
 * and { cpu } µs of the server's (process `pid`) main-thread CPU time per request.
 */
async function requestsPerSecond(url, pid) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const get = () => new Promise((resolve, reject) => {
    http.get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
    }).on('error', reject);
  });
  // Warm up (JIT, the instance), then measure.
  for (let i = 0; i < 200; i++) await get();
  let done = 0;
  const cpuBefore = mainThreadCpuSeconds(pid);
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (performance.now() < until) {
      await get();
      done++;
    }
  }));
  const cpu = (mainThreadCpuSeconds(pid) - cpuBefore) * 1e6 / done;
  agent.destroy();
  return { rate: done / SECONDS, cpu };
}

/** MB/s of reading the whole body of `url` (median of three). */
async function streamMBps(url) {
  const rates = [];
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    const res = await fetch(url);
    let total = 0;
    for await (const chunk of res.body) total += chunk.byteLength;
    if (total !== BIG) throw new Error(`got ${total} bytes, expected ${BIG}`);
    rates.push(BIG / 1e6 / ((performance.now() - t0) / 1000));
  }
  return rates.sort((a, b) => a - b)[1];
}

/** tests/wasi/components/http-hello.wat made into build/test-components/http-hello.wasm. */
async function helloInComponentText() {
  const dir = fileURLToPath(new URL('../../build/test-components/', import.meta.url));
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'http-hello.wasm');
  await writeFile(file, await watToBytes(await readFile(new URL('../wasi/components/http-hello.wat', import.meta.url), 'utf8')));
  return file;
}

export async function run() {
  const service = await componentPath('http-service');
  const hello = await helloInComponentText();
  const workers = os.availableParallelism();
  const servers = [];
  const start = async (args) => {
    const s = await startServer(args);
    servers.push(s);
    return s;
  };
  try {
    const plain = await start(['-e', PLAIN_SERVER]);
    const text = [await start([cli, 'serve', '--addr', '127.0.0.1:0', hello]), await start([cli, 'serve', '--workers', String(workers), '--addr', '127.0.0.1:0', hello])];
    const qjs = [await start([cli, 'serve', '--addr', '127.0.0.1:0', service]), await start([cli, 'serve', '--workers', String(workers), '--addr', '127.0.0.1:0', service])];
    const plainHello = await requestsPerSecond(`${plain.base}/hello`, plain.pid);
    const textHello = await requestsPerSecond(`${text[0].base}/`, text[0].pid);
    const qjsHello = await requestsPerSecond(`${qjs[0].base}/hello`, qjs[0].pid);
    // (--workers: the work is on worker threads, so only requests per second tell.)
    const rows = [
      ['hello, requests/s, guest in component text', plainHello.rate, textHello.rate, (await requestsPerSecond(`${text[1].base}/`, text[1].pid)).rate],
      ['hello, requests/s, QuickJS guest', plainHello.rate, qjsHello.rate, (await requestsPerSecond(`${qjs[1].base}/hello`, qjs[1].pid)).rate],
      ['64 MiB response body, MB/s, QuickJS guest', await streamMBps(`${plain.base}/bytes`), await streamMBps(`${qjs[0].base}/bytes?n=${BIG}`), await streamMBps(`${qjs[1].base}/bytes?n=${BIG}`)],
    ];
    if (!Number.isNaN(plainHello.cpu)) {
      // Lower is better here: the ratio column is plain / cmbridge, as for the rates.
      rows.splice(2, 0,
        ['hello, µs of server main-thread CPU per request, guest in component text', plainHello.cpu, textHello.cpu, NaN],
        ['hello, µs of server main-thread CPU per request, QuickJS guest', plainHello.cpu, qjsHello.cpu, NaN]);
    }
    console.log(`\n## wasi:http served (server processes of their own; ${CONNECTIONS} keep-alive connections for ${SECONDS} s from this one; ${os.availableParallelism()} cores)\n`);
    console.log(`| measure | plain node:http | cmbridge serve | cmbridge vs plain | cmbridge serve --workers ${workers} |`);
    console.log('|---|---|---|---|---|');
    for (const [name, a, b, c] of rows) {
      const ratio = name.includes('CPU') ? a / b : b / a;
      console.log(`| ${name} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${ratio.toFixed(2)} | ${Number.isNaN(c) ? '' : c.toFixed(0)} |`);
    }
  } finally {
    for (const s of servers) s.stop();
  }
  await allocationPerRequest(hello);
}

// What one request allocates on the JS heap, in process through serve()'s parts path (what
// nodeListener calls), by V8's sampling heap profiler with collected objects included:
// unlike times on this shared machine, the same from run to run, so a change to the
// per-request path shows in it. Printed with the sites that allocate the most.
export async function allocationPerRequest(file) {
  const { default: inspector } = await import('node:inspector/promises');
  const { serve } = await import('../../js/wasi/index.mjs');
  const { HANDLE_PARTS } = await import('../../js/wasi/http/serve.mjs');
  const { readAhead } = await import('../../js/wasi/http/read-ahead.mjs');
  const respond = (await serve(await readFile(file)))[HANDLE_PARTS];
  const one = async () => {
    const parts = await respond({ method: 'GET', scheme: 'http', authority: 'localhost', pathWithQuery: '/', headers: [['host', 'localhost']], body: null, trailers: undefined, controller: new AbortController(), request: null });
    await readAhead(parts.body);
    await parts.trailers;
  };
  for (let i = 0; i < 2000; i++) await one();
  const session = new inspector.Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  const n = 10_000;
  for (let i = 0; i < n; i++) await one();
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  const bySite = new Map();
  let total = 0;
  const walk = (node) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const site = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    total += node.selfSize;
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  console.log(`\n## wasi:http served, in process: JS heap allocated per request (component-text hello, ${n} requests, sampled)\n`);
  console.log(`${(total / n / 1024).toFixed(1)} KiB per request; the sites that allocate most:\n`);
  console.log('| site | bytes per request |');
  console.log('|---|---|');
  for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`| ${site} | ${(bytes / n).toFixed(0)} |`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();
