// wasi:http 0.3 `client.send` over fetch() (js/wasi/http/client.mjs), driven as a guest
// drives it: a request built with `request.new` from a body stream and a trailers future,
// sent, its response's body consumed. The other side is a node:http server on 127.0.0.1;
// failures that need another address (a name that does not resolve) come from a fetch()
// given through the `http.fetch` option, so that nothing leaves this machine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { wasiP3Imports, HttpError } from '../../js/wasi/index.mjs';

const bytes = (s) => new TextEncoder().encode(s);
const text = (b) => new TextDecoder().decode(b);
const ok = (val = undefined) => ({ tag: 'ok', val });

let server;
let authority;
const seen = [];  // what the server received: { method, url, headers, body }

before(async () => {
  server = http.createServer(async (req, res) => {
    if (req.url.startsWith('/hang')) return;  // never answers (timeouts, cancellation)
    const chunks = [];
    try {
      for await (const c of req) chunks.push(c);
    } catch {
      return;  // the client went away
    }
    const body = Buffer.concat(chunks);
    seen.push({ method: req.method, url: req.url, headers: req.headers, body });
    if (req.url.startsWith('/slow-body')) {
      res.writeHead(200);
      res.write('first');
      return;  // and then nothing
    }
    res.setHeader('x-test-method', req.method);
    res.setHeader('x-test-uri', req.url);
    res.setHeader('set-cookie', ['a=1', 'b=2']);
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  authority = `127.0.0.1:${server.address().port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

async function http3(options = { network: true }) {
  const imports = await wasiP3Imports(options);
  return { ...imports['wasi:http/types@0.3.0'], send: imports['wasi:http/client@0.3.0'].send };
}

/** A request as Wasmtime's test helper builds one; `body` a string or chunks; `path: null`, `auth: null` set none. */
function request(t, { method = { tag: 'get' }, path = '/', body, headers = [], options, scheme = { tag: 'HTTP' }, auth = authority, trailers = ok() }) {
  const chunks = body === undefined ? [] : typeof body === 'string' ? [bytes(body)] : body;
  const contents = new ReadableStream({
    start(c) {
      for (const chunk of chunks) c.enqueue(chunk);
      c.close();
    },
  });
  const [req, transmitted] = t.Request.new(t.Fields.fromList([['User-agent', bytes('WASI-HTTP/0.0.1')], ...headers]), contents, Promise.resolve(trailers), options);
  req.setMethod(method);
  req.setScheme(scheme);
  if (auth !== null) req.setAuthority(auth);
  if (path !== null) req.setPathWithQuery(path);
  return { req, transmitted };
}

/** Sends and reads the whole response. */
async function roundTrip(t, spec) {
  const { req, transmitted } = request(t, spec);
  const res = await t.send(req);
  const [stream, trailers] = t.Response.consumeBody(res, Promise.resolve(ok()));
  const body = new Uint8Array(await new Response(stream).arrayBuffer());
  return { status: res.getStatusCode(), headers: res.getHeaders(), body, trailers: await trailers, transmitted: await transmitted };
}

const header = (fields, name) => fields.get(name).map(text);

test('GET: method, path and headers arrive; the response comes back with its headers', async () => {
  const t = await http3();
  const r = await roundTrip(t, { path: '/get?some=arg&goes=here' });
  assert.equal(r.status, 200);
  assert.deepEqual(header(r.headers, 'x-test-method'), ['GET']);
  assert.deepEqual(header(r.headers, 'x-test-uri'), ['/get?some=arg&goes=here']);
  assert.deepEqual(header(r.headers, 'set-cookie'), ['a=1', 'b=2'], 'set-cookie lines stay apart');
  assert.equal(r.body.length, 0);
  assert.deepEqual(r.trailers, ok());
  assert.deepEqual(r.transmitted, ok());
  assert.equal(seen.at(-1).headers['user-agent'], 'WASI-HTTP/0.0.1');
  assert.throws(() => r.headers.append('x', bytes('1')), (e) => e.payload?.tag === 'immutable');
});

test('POST and PUT: the body streams out and is echoed back; an empty one stays empty', async () => {
  const t = await http3();
  const post = await roundTrip(t, { method: { tag: 'post' }, path: '/post', body: '{"foo": "bar"}' });
  assert.equal(text(post.body), '{"foo": "bar"}');
  assert.equal(seen.at(-1).headers['transfer-encoding'], 'chunked', 'streamed, not buffered into a content-length');
  const put = await roundTrip(t, { method: { tag: 'put' }, path: '/put', body: '' });
  assert.deepEqual([put.status, put.body.length, seen.at(-1).method], [200, 0, 'PUT']);
  const custom = await roundTrip(t, { method: { tag: 'other', val: 'PURGE' }, path: '/x' });
  assert.equal(seen.at(-1).method, 'PURGE');
  assert.equal(custom.status, 200);
});

test('a 1 MiB body in 1025 chunks goes out whole', async () => {
  const t = await http3();
  const chunks = Array.from({ length: 1025 }, () => new Uint8Array(1024).fill(1));
  const r = await roundTrip(t, { method: { tag: 'post' }, path: '/post', body: chunks });
  assert.equal(r.body.length, 1024 * 1025);
  assert.equal(seen.at(-1).body.length, 1024 * 1025);
  assert.deepEqual(r.transmitted, ok());
});

test('content-length: a body of that length goes; a shorter or longer one fails with HTTP-request-body-size', async () => {
  const t = await http3();
  const cl = [['Content-Length', bytes('11')]];
  const good = await roundTrip(t, { method: { tag: 'post' }, body: 'long enough', headers: cl });
  assert.equal(text(good.body), 'long enough');
  for (const [body, size] of [['msg', 3n], ['more than 11 bytes', 18n]]) {
    const { req, transmitted } = request(t, { method: { tag: 'post' }, body, headers: cl });
    await t.send(req).then(
      (res) => res[Symbol.dispose](),
      (e) => assert.deepEqual(e.payload, { tag: 'HTTP-request-body-size', val: size }),
    );
    assert.deepEqual(await transmitted, { tag: 'err', val: { tag: 'HTTP-request-body-size', val: size } }, body);
  }
});

test('refused before any network: no network option, another scheme, no authority or path, a method fetch() cannot send', async () => {
  const denied = await http3({});
  const { req, transmitted } = request(denied, {});
  await assert.rejects(denied.send(req), (e) => e instanceof HttpError && e.payload.tag === 'HTTP-request-denied');
  assert.deepEqual(await transmitted, { tag: 'err', val: { tag: 'HTTP-request-denied' } });
  const t = await http3();
  const cases = [
    [{ scheme: { tag: 'other', val: 'WS' } }, 'HTTP-protocol-error'],
    [{ path: null }, 'HTTP-request-URI-invalid'],
    [{ auth: null }, 'HTTP-request-URI-invalid'],
    [{ method: { tag: 'connect' } }, 'HTTP-request-method-invalid'],
    [{ body: 'x' }, 'internal-error'],  // a GET with a body
  ];
  const before = seen.length;
  for (const [spec, tag] of cases) {
    const { req: r } = request(t, spec);
    await assert.rejects(t.send(r), (e) => e.payload?.tag === tag, JSON.stringify(spec));
  }
  assert.equal(seen.length, before, 'none of them reached the server');
});

test('network failures: connection refused, a name that does not resolve, a TLS failure', async () => {
  const t = await http3();
  const closed = http.createServer();
  await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = closed.address().port;
  await new Promise((resolve) => closed.close(resolve));
  const { req } = request(t, { auth: `127.0.0.1:${port}` });
  await assert.rejects(t.send(req), (e) => e.payload?.tag === 'connection-refused');
  // What Node's fetch() throws for those, without asking a resolver or a TLS server.
  const failing = (code) => async () => {
    throw new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
  };
  for (const [code, expected] of [
    ['ENOTFOUND', { tag: 'DNS-error', val: { rcode: 'address not available', infoCode: undefined } }],
    ['CERT_HAS_EXPIRED', { tag: 'TLS-certificate-error' }],
    ['ECONNRESET', { tag: 'connection-terminated' }],
    ['SOMETHING_ELSE', { tag: 'internal-error', val: 'SOMETHING_ELSE' }],
  ]) {
    const f = await http3({ network: true, http: { fetch: failing(code) } });
    const { req: r, transmitted } = request(f, { auth: 'some.invalid.dnsname:3000' });
    await assert.rejects(f.send(r), (e) => assert.deepEqual(e.payload, expected) ?? true);
    assert.deepEqual(await transmitted, { tag: 'err', val: expected });
  }
});

test('request-options: the first-byte timeout and the between-bytes timeout', async () => {
  const t = await http3();
  const options = new t.RequestOptions();
  options.setFirstByteTimeout(100_000_000n);  // 100 ms
  const { req } = request(t, { path: '/hang', options });
  const started = Date.now();
  await assert.rejects(t.send(req), (e) => e.payload?.tag === 'connection-read-timeout');
  assert.ok(Date.now() - started < 5000);
  const slow = new t.RequestOptions();
  slow.setBetweenBytesTimeout(100_000_000n);
  const { req: r2 } = request(t, { path: '/slow-body', options: slow });
  const res = await t.send(r2);
  const [stream, trailers] = t.Response.consumeBody(res, Promise.resolve(ok()));
  const reader = stream.getReader();
  assert.equal(text((await reader.read()).value), 'first');
  await assert.rejects(reader.read());
  assert.deepEqual(await trailers, { tag: 'err', val: { tag: 'connection-read-timeout' } });
});

test('the guest cancelling send aborts the fetch', async () => {
  const t = await http3();
  assert.equal(t.send.length, 2, 'one parameter more than the WIT\'s: the runtime passes { signal } there');
  const controller = new AbortController();
  const { req } = request(t, { path: '/hang' });
  const sending = t.send(req, { signal: controller.signal });
  await new Promise((r) => setTimeout(r, 50));
  controller.abort(new Error('cancelled by the guest'));
  await assert.rejects(sending, /cancelled by the guest/);
});

test('request trailers cannot go through fetch(): the transmission says so', async () => {
  const t = await http3();
  const trailers = t.Fields.fromList([['x-sum', bytes('1')]]);
  const r = await roundTrip(t, { method: { tag: 'post' }, body: 'x', trailers: ok(trailers) });
  assert.equal(r.status, 200);
  assert.deepEqual(r.transmitted, { tag: 'err', val: { tag: 'internal-error', val: 'fetch() cannot send request trailers' } });
});
