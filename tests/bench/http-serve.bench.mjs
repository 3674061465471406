// wasi:http 0.3 served by cmbridge: requests per second of `cmbridge serve` on a hello
// handler (the QuickJS test service, tests/wasi/components/http/service.js, route /hello)
// beside a plain node:http server answering the same text, in the same run; and a 64 MiB
// response body streamed guest -> client, beside node:http writing 64 KiB chunks.
//
// Each server runs in a child process of its own (one core), the load comes from this
// process: keep-alive connections, each sending its next request when the last answer
// ended.
//
//   node tests/bench/http-serve.bench.mjs        (npm run bench runs it)
import { spawn } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
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
      if (m) resolve({ base: m[1], stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
}

/** Requests per second of GET `url` from CONNECTIONS keep-alive clients for SECONDS. */
async function requestsPerSecond(url) {
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
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (performance.now() < until) {
      await get();
      done++;
    }
  }));
  agent.destroy();
  return done / SECONDS;
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

export async function run() {
  const service = await componentPath('http-service');
  const workers = os.availableParallelism();
  const plain = await startServer(['-e', PLAIN_SERVER]);
  const served = await startServer([cli, 'serve', '--addr', '127.0.0.1:0', service]);
  const spread = await startServer([cli, 'serve', '--workers', String(workers), '--addr', '127.0.0.1:0', service]);
  try {
    const hello = [plain, served, spread].map((s) => `${s.base}/hello`);
    const rows = [
      ['hello, requests/s', ...[await requestsPerSecond(hello[0]), await requestsPerSecond(hello[1]), await requestsPerSecond(hello[2])]],
      ['64 MiB response body, MB/s', await streamMBps(`${plain.base}/bytes`), await streamMBps(`${served.base}/bytes?n=${BIG}`), await streamMBps(`${spread.base}/bytes?n=${BIG}`)],
    ];
    console.log(`\n## wasi:http served (server processes of their own; ${CONNECTIONS} keep-alive connections for ${SECONDS} s from this one; the guest is QuickJS; ${os.availableParallelism()} cores)\n`);
    console.log(`| measure | plain node:http | cmbridge serve | cmbridge / plain | cmbridge serve --workers ${workers} |`);
    console.log('|---|---|---|---|---|');
    for (const [name, a, b, c] of rows) console.log(`| ${name} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(b / a).toFixed(2)} | ${c.toFixed(0)} |`);
  } finally {
    plain.stop();
    served.stop();
    spread.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();
