// wasi:http 0.3 `types` as the guest sees them (js/wasi/http/): each host function is
// called with the JS values the runtime passes for the guest's arguments, and answers as
// Wasmtime's host does for the same calls (its test programs p3_http_outbound_request_
// invalid_header and _response_build state them; a thrown error's `payload` is the
// guest's `err`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wasiP3Imports, HttpError } from '../../js/wasi/index.mjs';
import { DEFAULT_FORBIDDEN_HEADERS, MAX_FIELDS_BYTES } from '../../js/wasi/http/fields.mjs';

const bytes = (s) => new TextEncoder().encode(s);
const text = (b) => new TextDecoder().decode(b);
const noTrailers = () => Promise.resolve({ tag: 'ok', val: undefined });

async function types(options = {}) {
  return (await wasiP3Imports(options))['wasi:http/types@0.3.0'];
}

/** The `err` payload a host function answered with (it must have thrown one). */
function errOf(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof HttpError, `expected an HttpError, got ${e}`);
    return e.payload;
  }
  assert.fail('expected an err answer');
}

test('fields: names are tokens, values have no control characters, hop-by-hop names are forbidden', async () => {
  const { Fields } = await types({ http: { forbiddenHeaders: ['custom-forbidden-header'] } });
  const h = new Fields();
  assert.deepEqual(errOf(() => h.append('malformed header name', bytes('ok value'))), { tag: 'invalid-syntax' });
  h.append('ok-header-name', bytes('ok value'));
  assert.deepEqual(errOf(() => h.append('ok-header-name', bytes('bad\nvalue'))), { tag: 'invalid-syntax' });
  for (const name of ['Connection', 'Keep-Alive', 'Host', 'custom-forbidden-header', 'Custom-Forbidden-Header']) {
    assert.deepEqual(errOf(() => h.append(name, bytes('keep-alive'))), { tag: 'forbidden' }, name);
  }
  assert.deepEqual(errOf(() => Fields.fromList([['bad header', bytes('value')]])), { tag: 'invalid-syntax' });
  assert.deepEqual(errOf(() => Fields.fromList([['custom-forbidden-header', bytes('value')]])), { tag: 'forbidden' });
  assert.deepEqual(errOf(() => Fields.fromList([['ok-header-name', bytes('bad\nvalue')]])), { tag: 'invalid-syntax' });
  assert.deepEqual(errOf(() => h.append('content-length', bytes('+10'))), { tag: 'invalid-syntax' }, 'content-length is digits');
  // A tab and bytes above 0x7f are fine; DEL is not.
  h.append('x-tab', Uint8Array.of(0x61, 0x09, 0x62, 0xe9));
  assert.deepEqual(errOf(() => h.append('x-del', Uint8Array.of(0x7f))), { tag: 'invalid-syntax' });
  // Without the option, the custom name is an ordinary one.
  const { Fields: Plain } = await types();
  assert.doesNotThrow(() => Plain.fromList([['custom-forbidden-header', bytes('yes')]]));
  assert.deepEqual(DEFAULT_FORBIDDEN_HEADERS.includes('host'), true);
});

test('fields: order and case kept, names compared without case, copies are copies', async () => {
  const { Fields } = await types();
  const h = Fields.fromList([['Set-Cookie', bytes('a=1')], ['X-One', bytes('1')], ['set-cookie', bytes('b=2')]]);
  assert.deepEqual(h.copyAll().map(([n, v]) => [n, text(v)]), [['Set-Cookie', 'a=1'], ['X-One', '1'], ['set-cookie', 'b=2']]);
  assert.deepEqual(h.get('SET-COOKIE').map(text), ['a=1', 'b=2']);
  assert.equal(h.has('x-one'), true);
  assert.equal(h.has('bad name'), false, 'an invalid name is simply not there');
  assert.deepEqual(h.getAndDelete('set-cookie').map(text), ['a=1', 'b=2']);
  assert.deepEqual(h.get('set-cookie'), []);
  h.set('x-one', [bytes('a'), bytes('b')]);
  assert.deepEqual(h.get('x-one').map(text), ['a', 'b']);
  h.delete('x-one');
  assert.equal(h.has('x-one'), false);
  const original = Fields.fromList([['x', bytes('1')]]);
  const copy = original.clone();
  copy.append('y', bytes('2'));
  assert.equal(original.has('y'), false);
  const got = original.get('x')[0];
  got[0] = 0x39;
  assert.equal(text(original.get('x')[0]), '1', 'get returns copies');
});

test('fields: a size limit answers size-exceeded', async () => {
  const { Fields } = await types();
  const h = new Fields();
  h.append('x-big', new Uint8Array(MAX_FIELDS_BYTES - 100).fill(0x61));
  assert.deepEqual(errOf(() => h.append('x-more', new Uint8Array(200).fill(0x61))), { tag: 'size-exceeded' });
});

test('request: its headers are immutable once it holds them; name checks come before that', async () => {
  const { Fields, Request } = await types();
  const h = new Fields();
  const [req] = Request.new(h, undefined, noTrailers(), undefined);
  const held = req.getHeaders();
  assert.deepEqual(errOf(() => held.set('Content-Length', [bytes('10')])), { tag: 'immutable' });
  assert.deepEqual(errOf(() => held.append('Content-Length', bytes('10'))), { tag: 'immutable' });
  assert.deepEqual(errOf(() => held.delete('Content-Length')), { tag: 'immutable' });
  assert.deepEqual(errOf(() => held.delete('connection')), { tag: 'forbidden' }, 'forbidden is said first (Wasmtime\'s order)');
  assert.equal(held.clone().append('x', bytes('1')), undefined, 'a clone is mutable');
});

test('request: defaults, and the setters refuse what is not a URI component', async () => {
  const { Fields, Request } = await types();
  const [req] = Request.new(new Fields(), undefined, noTrailers(), undefined);
  assert.deepEqual(req.getMethod(), { tag: 'get' });
  assert.equal(req.getScheme(), undefined);
  assert.equal(req.getAuthority(), undefined);
  assert.equal(req.getPathWithQuery(), undefined);
  assert.equal(req.getOptions(), undefined);
  const refused = (fn) => assert.throws(fn, (e) => e instanceof HttpError && e.payload === undefined);
  refused(() => req.setMethod({ tag: 'other', val: 'invalid method' }));
  refused(() => req.setMethod({ tag: 'other', val: 'bad\nmethod' }));
  refused(() => req.setAuthority('bad-port:99999'));
  refused(() => req.setAuthority('bad-\nhost'));
  refused(() => req.setAuthority('too-many-ports:80:80:80'));
  refused(() => req.setAuthority('host:'));
  refused(() => req.setScheme({ tag: 'other', val: 'bad\nscheme' }));
  refused(() => req.setPathWithQuery('/bad\npath'));
  refused(() => req.setPathWithQuery('/a b'));
  req.setAuthority('[::]:443');
  req.setAuthority('[::]');
  req.setAuthority('user@example.com:8080');
  req.setScheme({ tag: 'other', val: 'WS' });  // accepted here; send refuses it
  req.setMethod({ tag: 'other', val: 'PURGE' });
  req.setPathWithQuery('/p?q=1#fragment');
  assert.equal(req.getPathWithQuery(), '/p?q=1', 'a fragment is not part of a request');
  req.setAuthority(undefined);
  assert.equal(req.getAuthority(), undefined);
});

test('request-options: immutable once a request holds them; clone is mutable', async () => {
  const { Fields, Request, RequestOptions } = await types();
  const options = new RequestOptions();
  options.setConnectTimeout(5n);
  options.setFirstByteTimeout(undefined);
  const [req] = Request.new(new Fields(), undefined, noTrailers(), options);
  const held = req.getOptions();
  assert.equal(held.getConnectTimeout(), 5n);
  assert.deepEqual(errOf(() => held.setBetweenBytesTimeout(1n)), { tag: 'immutable' });
  const copy = held.clone();
  copy.setBetweenBytesTimeout(7n);
  assert.equal(copy.getBetweenBytesTimeout(), 7n);
});

test('response: status 200 unless set, 100-599 only', async () => {
  const { Fields, Response } = await types();
  const [res] = Response.new(new Fields(), undefined, noTrailers());
  assert.equal(res.getStatusCode(), 200);
  res.setStatusCode(404);
  assert.equal(res.getStatusCode(), 404);
  for (const bad of [99, 600, 0, 65535]) assert.throws(() => res.setStatusCode(bad), HttpError, String(bad));
});

test('a request or response dropped unread cancels its contents and says so in its future', async () => {
  const { Fields, Request, Response } = await types();
  for (const [what, make] of [['request', (c) => Request.new(new Fields(), c, noTrailers(), undefined)], ['response', (c) => Response.new(new Fields(), c, noTrailers())]]) {
    let cancelled = null;
    const contents = new ReadableStream({ cancel: (reason) => { cancelled = reason; } });
    const [message, transmitted] = make(contents);
    message[Symbol.dispose]();
    assert.ok(cancelled instanceof Error, `${what}: contents cancelled`);
    assert.deepEqual(await transmitted, { tag: 'err', val: { tag: 'internal-error', val: `the ${what} was dropped before it was sent` } });
  }
});

test('consume-body: the contents as given, then the trailers, only after the contents ended', async () => {
  const { Fields, Response } = await types();
  let close;
  const contents = new ReadableStream({ start(c) { c.enqueue(bytes('part')); close = () => c.close(); } });
  const trailers = Fields.fromList([['x-sum', bytes('1')]]);
  const [res, transmitted] = Response.new(new Fields(), contents, Promise.resolve({ tag: 'ok', val: trailers }));
  const [stream, trailersFuture] = Response.consumeBody(res, Promise.resolve({ tag: 'ok', val: undefined }));
  let settled = false;
  trailersFuture.then(() => { settled = true; });
  const reader = stream.getReader();
  assert.equal(text((await reader.read()).value), 'part');
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(settled, false, 'no trailers before the end of the contents');
  close();
  assert.equal((await reader.read()).done, true);
  assert.deepEqual(await trailersFuture, { tag: 'ok', val: trailers });
  assert.deepEqual(await transmitted, { tag: 'ok', val: undefined });
  // None for contents: an empty stream.
  const [empty] = Response.new(new Fields(), undefined, noTrailers());
  const [none] = Response.consumeBody(empty, Promise.resolve({ tag: 'ok' }));
  assert.equal((await none.getReader().read()).done, true);
});

test('options: http takes only fetch and forbiddenHeaders, of the right types', async () => {
  await assert.rejects(wasiP3Imports({ http: { fetch: 'no' } }), /`http.fetch` must be a function/);
  await assert.rejects(wasiP3Imports({ http: { forbiddenHeaders: 'x' } }), /forbiddenHeaders/);
  await assert.rejects(wasiP3Imports({ http: { proxy: true } }), /unknown WASI option `http.proxy`/);
});
