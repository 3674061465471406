// node:http meets the fetch-style handler serve() makes: `http.createServer(nodeListener(
// await serve(component)))`. A request becomes a WHATWG Request whose body streams from the
// socket (with its backpressure), and whose signal aborts when the client goes away; the
// Response streams back the same way, with its trailers when there are any (HTTP/1.1
// chunked responses carry them).
//
// A WHATWG Request cannot have a body with GET or HEAD; such a body is not passed on (and
// is drained, as is whatever the handler left unread, so that the connection stays usable).
import { isAuthority } from './request.mjs';
import { readAhead } from './read-ahead.mjs';
import { HANDLE_PARTS, REQUEST_TRAILERS, RESPONSE_TRAILERS, isReader } from './serve.mjs';
import { byteStream } from '../../platform.mjs';

/** A byte ReadableStream of a node Readable, pausing it while the stream's queue is full. */
function readableOf(incoming) {
  let done = false;  // closed, errored or cancelled: later events are the drain's
  return byteStream({
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

/**
 * A node:http request listener that answers with `handler(request) => Promise<Response>`.
 * A handler from serve() is called without WHATWG Request and Response objects in between
 * (its HANDLE_PARTS): the same request and response, less work per request.
 */
export function nodeListener(handler, { onError = (e) => console.error('cmbridge serve:', e) } = {}) {
  const respond = handler[HANDLE_PARTS];
  return async function listener(req, res) {
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort(new Error('the client disconnected'));
    });
    try {
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      // The authority from Host, when it is one: a Host such as `example.com/admin#` must
      // not change the path the guest sees, which comes from the request line alone.
      const host = req.headers.host !== undefined && isAuthority(req.headers.host) && !req.headers.host.includes('@') ? req.headers.host : 'localhost';
      const pathWithQuery = req.url.startsWith('/') ? req.url : `/${req.url}`;
      const body = hasBody ? readableOf(req) : null;
      let trailers;
      if (hasBody) {
        trailers = new Promise((resolve, reject) => {
          req.on('end', () => resolve(Object.keys(req.trailers).length ? new Headers(req.trailers) : undefined));
          req.on('error', reject);
        });
        trailers.catch(() => {});
      }
      if (respond) {
        const headers = [];
        for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i].toLowerCase(), req.rawHeaders[i + 1]]);
        const request = { method: req.method, url: `http://${host}${pathWithQuery}` };  // for onError's message
        await send(await respond({ method: req.method, scheme: 'http', authority: host, pathWithQuery, headers, body, trailers, controller: abort, request }), res);
      } else {
        const headers = new Headers();
        for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
        const request = new Request(`http://${host}${pathWithQuery}`, {
          method: req.method,
          headers,
          body,
          ...(hasBody ? { duplex: 'half' } : {}),
          signal: abort.signal,
        });
        if (trailers) request[REQUEST_TRAILERS] = trailers;
        await send(partsOf(await handler(request)), res);
      }
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

/** A WHATWG Response as the parts send() takes (serve.mjs toResponse's inverse). */
function partsOf(response) {
  const headers = [];
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') headers.push([name, value]);
  }
  for (const cookie of response.headers.getSetCookie()) headers.push(['set-cookie', cookie]);
  return { status: response.status, headers, body: response.body, trailers: response[RESPONSE_TRAILERS] };
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

/**
 * Writes a response's parts to `res`: the status and headers, then the body as it comes,
 * then the trailers. A body that is whole (a string, bytes, or a stream that ended with its
 * first chunk: read-ahead.mjs) goes out in one write with a content-length, unless it has
 * trailers, which only a chunked body carries. `bodyContinues`: the body is a stream known
 * not to end with its first chunk (a worker read ahead already), so it is not read ahead.
 */
async function send({ status, headers, body, trailers, bodyContinues = false }, res) {
  if (res.destroyed) {
    // The client went away while the handler worked: its body is not wanted.
    if (body instanceof ReadableStream || isReader(body)) await body.cancel(new Error('the client disconnected')).catch(() => {});
    return;
  }
  res.statusCode = status;
  for (const [name, value] of headers) res.appendHeader(name, value);
  const whole = !bodyContinues && (body instanceof ReadableStream || isReader(body)) ? await readAhead(body) : body;
  if (whole !== null && !(whole instanceof ReadableStream)) {
    const t = await trailers;
    if (!t) {
      res.end(whole);  // node adds the content-length
      return;
    }
    res.write(whole);
  } else if (whole) {
    const reader = whole.getReader();
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
  const t = await trailers;
  if (t && !res.hasHeader('content-length')) res.addTrailers(Object.fromEntries(t));
  res.end();
}
