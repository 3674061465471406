// One worker thread of serveInWorkers (serve-workers.mjs): an instance of the component
// behind serve(), answering the requests the main thread posts, as the parts serve()'s
// HANDLE_PARTS takes and gives. A request's body crosses as a transferred ReadableStream;
// so does the response's, unless it ended with its first chunk (the usual short answer),
// which crosses as bytes in the response's message. The trailers follow in a message once
// the response body ended.
import { parentPort, workerData } from 'node:worker_threads';
import v8 from 'node:v8';
import { serve, HANDLE_PARTS } from './serve.mjs';
import { readAhead } from './read-ahead.mjs';

// Toolchains emit extended constant expressions, which Node 20 and 21 have behind a flag.
if (Number(process.versions.node.split('.')[0]) < 22) v8.setFlagsFromString('--experimental-wasm-extended-const');

const respond = (await serve(workerData.bytes, workerData.options))[HANDLE_PARTS];
const aborts = new Map();
const requestTrailers = new Map();  // id -> settle(Headers | undefined)

parentPort.on('message', async (m) => {
  if (m.type === 'abort') {
    aborts.get(m.id)?.abort(new Error('the client disconnected'));
    return;
  }
  if (m.type === 'request-trailers') {
    requestTrailers.get(m.id)?.(m);
    requestTrailers.delete(m.id);
    return;
  }
  const controller = new AbortController();
  aborts.set(m.id, controller);
  try {
    const { parts } = m;
    const hasBody = parts.body !== null && parts.method !== 'GET' && parts.method !== 'HEAD';
    let trailers;
    if (hasBody) {
      trailers = new Promise((resolve, reject) => {
        requestTrailers.set(m.id, (t) => (t.failed ? reject(new Error('the request body failed')) : resolve(t.trailers ? new Headers(t.trailers) : undefined)));
      });
      trailers.catch(() => {});
    }
    const out = await respond({
      ...parts,
      body: hasBody ? parts.body : null,
      trailers,
      controller,
      request: { method: parts.method, url: `${parts.scheme}://${parts.authority}${parts.pathWithQuery}` },
    });
    // (A body serve() made itself, for a 500 or a 503, is a string.)
    const body = out.body === null || typeof out.body === 'string' ? out.body : await readAhead(out.body);  // bytes or a stream
    const stream = body instanceof ReadableStream;
    parentPort.postMessage({ type: 'response', id: m.id, status: out.status, headers: out.headers, body }, stream ? [body] : []);
    const t = await (out.trailers ?? Promise.resolve()).catch(() => undefined);
    parentPort.postMessage({ type: 'trailers', id: m.id, trailers: t ? [...t] : null });
  } catch (e) {
    parentPort.postMessage({ type: 'failed', id: m.id, message: e?.message ?? String(e) });
  } finally {
    aborts.delete(m.id);
  }
});

parentPort.postMessage({ type: 'ready' });
