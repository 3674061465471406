// node:http meets the fetch-style handler serve() makes: `http.createServer(nodeListener(
// await serve(component)))`. A request becomes a WHATWG Request whose body streams from the
// socket (with its backpressure), and whose signal aborts when the client goes away; the
// Response streams back the same way, with its trailers when there are any (HTTP/1.1
// chunked responses carry them).
//
// A WHATWG Request cannot have a body with GET or HEAD; such a body is not passed on.
import { REQUEST_TRAILERS, RESPONSE_TRAILERS } from './serve.mjs';

/** A byte ReadableStream of a node Readable, pausing it while the stream's queue is full. */
function readableOf(incoming) {
  return new ReadableStream({
    type: 'bytes',
    start(controller) {
      incoming.on('data', (chunk) => {
        // A copy: node's chunks may share one pooled buffer, which enqueue would detach.
        controller.enqueue(new Uint8Array(chunk));
        if (controller.desiredSize <= 0) incoming.pause();
      });
      incoming.on('end', () => controller.close());
      incoming.on('error', (e) => controller.error(e));
      incoming.on('aborted', () => controller.error(new Error('the client disconnected')));
    },
    pull() {
      incoming.resume();
    },
    cancel() {
      incoming.resume();  // drain what is left, so the connection stays usable
    },
  }, { highWaterMark: 64 * 1024 });
}

/** A node:http request listener that answers with `handler(request) => Promise<Response>`. */
export function nodeListener(handler, { onError = (e) => console.error('cmbridge serve:', e) } = {}) {
  return async function listener(req, res) {
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort(new Error('the client disconnected'));
    });
    try {
      const headers = new Headers();
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url}`, {
        method: req.method,
        headers,
        body: hasBody ? readableOf(req) : null,
        ...(hasBody ? { duplex: 'half' } : {}),
        signal: abort.signal,
      });
      if (hasBody) {
        request[REQUEST_TRAILERS] = new Promise((resolve, reject) => {
          req.on('end', () => resolve(Object.keys(req.trailers).length ? new Headers(req.trailers) : undefined));
          req.on('error', reject);
        });
        request[REQUEST_TRAILERS].catch(() => {});
      }
      const response = await handler(request);
      await send(response, res);
    } catch (e) {
      onError(e);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('internal error\n');
      } else {
        res.destroy(e);
      }
    }
  };
}

/** Resolves when `res` can take more, or is closed. */
function drained(res) {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

async function send(response, res) {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') res.appendHeader(name, value);
  }
  for (const cookie of response.headers.getSetCookie()) res.appendHeader('set-cookie', cookie);
  if (response.body) {
    const reader = response.body.getReader();
    res.on('close', () => reader.cancel(new Error('the client disconnected')).catch(() => {}));
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (!res.write(value)) await drained(res);
      if (res.destroyed) return;
    }
  }
  const trailers = await response[RESPONSE_TRAILERS];
  if (trailers && !res.hasHeader('content-length')) res.addTrailers(Object.fromEntries(trailers));
  res.end();
}
