// The `service` world (worlds.wit): a wasi:http handler with a few routes, for
// tests/wasi/http.test.mjs and the serve benchmark.
//   /hello          "Hello, WASI!" as text/plain
//   /echo           the request's body streamed back as it arrives, with x-echo-method,
//                   x-echo-path and every request header that starts with x- copied
//   /bytes?n=N      N bytes of 'a', written 64 KiB at a time as the client reads
//   /trailers       "with trailers", then the trailer x-checksum: done
//   /status?code=C  an empty response with status C
//   /trap           throws, which traps the instance (the QuickJS runtime panics)
//   anything else   404
import { Fields, Response } from 'wasi:http/types@0.3.0';

// QuickJS has no TextEncoder; these texts are ASCII.
const ascii = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (bytes) => String.fromCharCode(...bytes);

function respond(status, headerList, write, trailers = undefined) {
  const body = wit.Stream(wit.Stream.U8);
  const trailersFuture = wit.Future(wit.Future.RESULT_OPTION_OTHER_ERROR_CODE);
  const [response] = Response.new(Fields.fromList(headerList.map(([n, v]) => [n, ascii(v)])), body.readable, trailersFuture.readable);
  if (status !== 200) response.setStatusCode(status);
  (async () => {
    try {
      await write(body.writable);
    } finally {
      body.writable.drop();
    }
    await trailersFuture.writable.write({ tag: 'ok', val: trailers?.() });
  })();
  return response;
}

export const handler = {
  async handle(request) {
    const pathWithQuery = request.getPathWithQuery() ?? '/';
    const [path, query = ''] = pathWithQuery.split('?');
    const param = (name) => query.split('&').map((kv) => kv.split('=')).find(([k]) => k === name)?.[1];
    if (path === '/hello') {
      return respond(200, [['content-type', 'text/plain']], (w) => w.writeAll(ascii('Hello, WASI!')));
    }
    if (path === '/echo') {
      const headers = [['x-echo-method', request.getMethod().tag === 'other' ? request.getMethod().val : request.getMethod().tag.toUpperCase()], ['x-echo-path', pathWithQuery]];
      for (const [name, value] of request.getHeaders().copyAll()) {
        if (name.toLowerCase().startsWith('x-')) headers.push([name, text(value)]);
      }
      const { readable: done, writable: doneWriter } = wit.Future(wit.Future.RESULT_VOID_ERROR_CODE);
      doneWriter.write({ tag: 'ok', val: undefined });
      const [contents] = request.constructor.consumeBody(request, done);
      return respond(200, headers, async (w) => {
        for await (const chunk of contents) await w.writeAll(chunk);
      });
    }
    if (path === '/bytes') {
      const n = Number(param('n') ?? 0);
      const block = new Uint8Array(65536).fill(0x61);
      return respond(200, [['content-type', 'application/octet-stream']], async (w) => {
        for (let left = n; left > 0; left -= block.length) await w.writeAll(left >= block.length ? block : block.subarray(0, left));
      });
    }
    if (path === '/trailers') {
      return respond(200, [], (w) => w.writeAll(ascii('with trailers')), () => Fields.fromList([['x-checksum', ascii('done')]]));
    }
    if (path === '/trap') throw new Error('asked to trap');
    if (path === '/status') {
      return respond(Number(param('code')), [], async () => {});
    }
    return respond(404, [['content-type', 'text/plain']], (w) => w.writeAll(ascii('not found')));
  },
};
