// Incoming wasi:http 0.3: serve() (js/wasi/http/serve.mjs) makes a (Request) =>
// Promise<Response> function of a component exporting wasi:http/handler; nodeListener
// puts it on node:http; `cmbridge serve` does both from the command line. The service is
// tests/wasi/components/http/service.js (QuickJS, built by componentize.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import v8 from 'node:v8';
import { Component } from '../../js/index.mjs';
import { serve, nodeListener, RESPONSE_TRAILERS } from '../../js/wasi/index.mjs';
import { componentPath } from './componentize.mjs';
import { watToBytes } from '../helpers/components.mjs';

// componentize-qjs emits extended constant expressions (README, "Running WASI components").
v8.setFlagsFromString('--experimental-wasm-extended-const');

const cli = new URL('../../js/cli.mjs', import.meta.url).pathname;
let servicePath;
let component;
let handler;
let server;
let base;
const errors = [];

before(async () => {
  servicePath = await componentPath('http-service');
  component = await Component.compile(await readFile(servicePath));
  handler = await serve(component, { onError: (e) => errors.push(e) });
  server = http.createServer(nodeListener(handler));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

test('serve(): a Request in, the component\'s Response out', async () => {
  const res = await handler(new Request('http://example.com/hello'));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain');
  assert.equal(await res.text(), 'Hello, WASI!');
  const missing = await handler(new Request('http://example.com/nowhere'));
  assert.deepEqual([missing.status, await missing.text()], [404, 'not found']);
  const empty = await handler(new Request('http://example.com/status?code=204'));
  assert.deepEqual([empty.status, empty.body], [204, null]);
});

test('serve(): the request body streams in and the echo streams out', async () => {
  let sent = 0;
  const body = new ReadableStream({
    pull(c) {
      if (sent === 16) return c.close();
      sent++;
      c.enqueue(new Uint8Array(65536).fill(sent));
    },
  });
  const res = await handler(new Request('http://example.com/echo?q=1', { method: 'POST', body, duplex: 'half', headers: { 'x-trace': 'abc', connection: 'close' } }));
  assert.equal(res.headers.get('x-echo-method'), 'POST');
  assert.equal(res.headers.get('x-echo-path'), '/echo?q=1');
  assert.equal(res.headers.get('x-trace'), 'abc');
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.equal(bytes.length, 16 * 65536);
  assert.equal(bytes[0], 1);
  assert.equal(bytes.at(-1), 16);
});

test('serve(): trailers come beside the Response, after its body', async () => {
  const res = await handler(new Request('http://example.com/trailers'));
  assert.equal(await res.text(), 'with trailers');
  const trailers = await res[RESPONSE_TRAILERS];
  assert.equal(trailers.get('x-checksum'), 'done');
  const hello = await handler(new Request('http://example.com/hello'));
  await hello.text();
  assert.equal(await hello[RESPONSE_TRAILERS], undefined);
});

test('serve(): a trap answers 500 and the next request gets a new instance', async () => {
  errors.length = 0;
  const res = await handler(new Request('http://example.com/trap'));
  assert.equal(res.status, 500);
  assert.doesNotMatch(await res.text(), /asked to trap|unreachable/, 'the trap stays in the server\'s log');
  assert.ok(errors.length >= 1);
  assert.equal(await (await handler(new Request('http://example.com/hello'))).text(), 'Hello, WASI!');
});

test('serve(): a component that is no HTTP service is refused at once', async () => {
  const { watToBytes } = await import('../helpers/components.mjs');
  const plain = await Component.compile(await watToBytes('(component)'));
  await assert.rejects(serve(plain), /does not export wasi:http\/handler/);
});

test('node:http: concurrent requests, bodies of 0 B and 1 MiB, each in its own task', async () => {
  const oneMiB = new Uint8Array(1 << 20).map((_, i) => i % 251);
  const requests = [];
  for (let i = 0; i < 24; i++) {
    if (i % 3 === 0) requests.push(fetch(`${base}/hello`).then(async (r) => assert.equal(await r.text(), 'Hello, WASI!')));
    if (i % 3 === 1) requests.push(fetch(`${base}/echo`, { method: 'POST', body: new Uint8Array(0) }).then(async (r) => assert.equal((await r.arrayBuffer()).byteLength, 0)));
    if (i % 3 === 2) {
      requests.push(fetch(`${base}/echo`, { method: 'PUT', body: oneMiB }).then(async (r) => {
        assert.deepEqual(new Uint8Array(await r.arrayBuffer()), oneMiB);
      }));
    }
  }
  await Promise.all(requests);
});

test('a service in component text (http-hello.wat): concurrent requests, each task with its own state; a short body goes out with a content-length', async () => {
  const hello = await watToBytes(await readFile(new URL('components/http-hello.wat', import.meta.url), 'utf8'));
  const helloServer = http.createServer(nodeListener(await serve(hello, { onError: (e) => errors.push(e) })));
  await new Promise((resolve) => helloServer.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${helloServer.address().port}/`;
    const answers = await Promise.all(Array.from({ length: 32 }, () => fetch(url).then(async (r) => [r.status, r.headers.get('content-length'), r.headers.get('transfer-encoding'), await r.text()])));
    for (const answer of answers) assert.deepEqual(answer, [200, '12', null, 'Hello, WASI!']);
  } finally {
    helloServer.closeAllConnections();
    helloServer.close();
  }
});

test('node:http: a 1 MiB response streams as the client reads', async () => {
  const res = await fetch(`${base}/bytes?n=${1 << 20}`);
  let total = 0;
  for await (const chunk of res.body) total += chunk.byteLength;
  assert.equal(total, 1 << 20);
});

test('node:http: a client that disconnects midway leaves the server serving', async () => {
  await new Promise((resolve, reject) => {
    const req = http.get(`${base}/bytes?n=${64 << 20}`, (res) => {
      res.once('data', () => {
        req.destroy();
        resolve();
      });
    });
    req.on('error', (e) => (e.code === 'ECONNRESET' ? resolve() : reject(e)));
  });
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(await (await fetch(`${base}/hello`)).text(), 'Hello, WASI!');
});

test('node:http: a body the guest never reads is drained, not a crash; keep-alive goes on', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const post = (path, body) => new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method: 'POST', agent }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve([res.statusCode, text]));
    });
    req.on('error', reject);
    req.end(body);
  });
  assert.deepEqual(await post('/hello', 'x'.repeat(1 << 20)), [200, 'Hello, WASI!']);
  assert.deepEqual(await post('/hello', 'y'), [200, 'Hello, WASI!']);
  agent.destroy();
});

test('nodeListener: a handler that cancels the request body after a chunk leaves the server standing', { timeout: 60000 }, async () => {
  const quick = http.createServer(nodeListener(async (request) => {
    const reader = request.body.getReader();
    await reader.read();
    await reader.cancel();
    return new Response('stopped reading');
  }));
  await new Promise((resolve) => quick.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${quick.address().port}/`;
  let sent = 0;
  const body = new ReadableStream({
    async pull(c) {
      if (sent++ === 64) return c.close();
      await new Promise((r) => setTimeout(r, 1));
      c.enqueue(new Uint8Array(16384));
    },
  });
  const res = await fetch(url, { method: 'POST', body, duplex: 'half' });
  assert.equal(await res.text(), 'stopped reading');
  assert.equal(await (await fetch(url, { method: 'POST', body: 'again' })).text(), 'stopped reading');
  quick.closeAllConnections();
  quick.close();
});

test('node:http: HEAD has no body; a Host header cannot change the path the guest sees', async () => {
  const head = await fetch(`${base}/hello`, { method: 'HEAD' });
  assert.deepEqual([head.status, await head.text()], [200, '']);
  const path = await new Promise((resolve, reject) => {
    http.get(`${base}/echo`, { headers: { host: 'example.com/admin#' } }, (res) => {
      res.resume();
      resolve(res.headers['x-echo-path']);
    }).on('error', reject);
  });
  assert.equal(path, '/echo');
});

test('serve(): a client gone before the answer is no error and no reason for a new instance', async () => {
  errors.length = 0;
  const controller = new AbortController();
  controller.abort(new Error('the client disconnected'));
  const res = await handler(new Request('http://example.com/hello', { signal: controller.signal }));
  assert.equal(res.status, 503);
  assert.deepEqual(errors, []);
  assert.equal(await (await handler(new Request('http://example.com/hello'))).text(), 'Hello, WASI!');
});

test('node:http: trailers go out with a chunked response', async () => {
  const trailers = await new Promise((resolve, reject) => {
    http.get(`${base}/trailers`, (res) => {
      res.resume();
      res.on('end', () => resolve(res.trailers));
    }).on('error', reject);
  });
  assert.deepEqual(trailers, { 'x-checksum': 'done' });
});

/** `cmbridge serve ...args` in a child process; resolves once it says where it listens. */
function startCli(args) {
  const child = spawn(process.execPath, [cli, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d) => {
      stderr += d;
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) resolve({ child, url: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
}

test('cmbridge serve: listens where --addr says, answers, stops on SIGTERM', async () => {
  const { child, url } = await startCli(['--addr', '127.0.0.1:0', servicePath]);
  assert.equal(await (await fetch(`${url}hello`)).text(), 'Hello, WASI!');
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});

test('cmbridge serve --workers 2: requests answered from worker threads, bodies and trailers intact', { timeout: 60000 }, async () => {
  const { child, url } = await startCli(['--workers', '2', '--addr', '127.0.0.1:0', servicePath]);
  const oneMiB = new Uint8Array(1 << 20).map((_, i) => i % 253);
  await Promise.all([
    ...Array.from({ length: 8 }, async () => assert.equal(await (await fetch(`${url}hello`)).text(), 'Hello, WASI!')),
    ...Array.from({ length: 4 }, async () => assert.deepEqual(new Uint8Array(await (await fetch(`${url}echo`, { method: 'POST', body: oneMiB })).arrayBuffer()), oneMiB)),
  ]);
  const trailers = await new Promise((resolve, reject) => {
    http.get(`${url}trailers`, (res) => {
      res.resume();
      res.on('end', () => resolve(res.trailers));
    }).on('error', reject);
  });
  assert.deepEqual(trailers, { 'x-checksum': 'done' });
  // A trap in a worker answers 500, and that worker's next requests go to a new instance.
  const trapped = await fetch(`${url}trap`);
  assert.deepEqual([trapped.status, (await trapped.text()).length > 0], [500, true], 'the 500 ends (its trailers were awaited forever)');
  assert.equal(await (await fetch(`${url}hello`)).text(), 'Hello, WASI!');
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});

test('cmbridge serve: a bad address or a component that is no service is a clear error', async () => {
  const run = (args) => new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
  const bad = await run(['--addr', 'nowhere', servicePath]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--addr `nowhere`: expected host:port/);
  const workers = await run(['--workers', 'many', servicePath]);
  assert.match(workers.stderr, /--workers `many`: expected a number of worker threads/);
  const command = await run([await componentPath('command')]);
  assert.equal(command.code, 1);
  assert.match(command.stderr, /does not export wasi:http\/handler/);
});
