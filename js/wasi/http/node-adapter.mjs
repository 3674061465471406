// node:http meets the fetch-style handler serve() makes: `http.createServer(nodeListener(
// await serve(component)))`. A request becomes a WHATWG Request whose body streams from the
// socket (with its backpressure), and whose signal aborts when the client goes away; the
// Response streams back the same way, with its trailers when there are any (HTTP/1.1
// chunked responses carry them).
//
// A WHATWG Request cannot have a body with GET or HEAD; such a body is not passed on (and
// is drained, as is whatever the handler left unread, so that the connection stays usable).
import { isAuthority } from './request.mjs';
import { REQUEST_TRAILERS, RESPONSE_TRAILERS } from './serve.mjs';

/** A byte ReadableStream of a node Readable, pausing it while the stream's queue is full. */
function readableOf(incoming) {
  let done = false;  // closed, errored or cancelled: later events are the drain's
  return new ReadableStream({
    type: 'bytes',
    start(controller) {
      const finish = (how) => {
        if (done) return;
        done = true;
        how();
      };
      incoming.on('data', (chunk) => {
        if (done) return;
        // A copy: node's chunks may share one pooled buffer, which enqueue would detach.
        controller.enqueue(new Uint8Array(chunk));
        if (controller.desiredSize <= 0) incoming.pause();
      });
      incoming.on('end', () => finish(() => controller.close()));
      incoming.on('error', (e) => finish(() => controller.error(e)));
      incoming.on('aborted', () => finish(() => controller.error(new Error('the client disconnected'))));
    },
    pull() {
      incoming.resume();
    },
    cancel() {
      done = true;
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
      // The authority from Host, when it is one: a Host such as `example.com/admin#` must
      // not change the path the guest sees, which comes from the request line alone.
      const host = req.headers.host !== undefined && isAuthority(req.headers.host) && !req.headers.host.includes('@') ? req.headers.host : 'localhost';
      const request = new Request(`http://${host}${req.url.startsWith('/') ? req.url : `/${req.url}`}`, {
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
      if (!res.headersSent && !res.destroyed) {
        // Nothing of the guest's response may go out with this one.
        for (const name of res.getHeaderNames()) res.removeHeader(name);
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('internal error\n');
      } else {
        res.destroy(e);
      }
    } finally {
      if (!req.complete) req.resume();
    }
  };
}

/** Resolves when `res` can take more, or is closed. */
function drained(res) {
  if (res.destroyed || res.writableEnded) return Promise.resolve();
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
  if (res.destroyed) {
    // The client went away while the handler worked: its body is not wanted.
    await response.body?.cancel(new Error('the client disconnected')).catch(() => {});
    return;
  }
  res.statusCode = response.status;
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') res.appendHeader(name, value);
  }
  for (const cookie of response.headers.getSetCookie()) res.appendHeader('set-cookie', cookie);
  if (response.body) {
    const reader = response.body.getReader();
    const cancel = () => reader.cancel(new Error('the client disconnected')).catch(() => {});
    res.once('close', cancel);
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        if (res.destroyed) return;
        if (!res.write(value)) await drained(res);
        if (res.destroyed) {
          await cancel();
          return;
        }
      }
    } finally {
      res.off('close', cancel);
    }
  }
  const trailers = await response[RESPONSE_TRAILERS];
  if (trailers && !res.hasHeader('content-length')) res.addTrailers(Object.fromEntries(trailers));
  res.end();
}
