// One worker thread of serveInWorkers (serve-workers.mjs): an instance of the component
// behind serve(), answering the requests the main thread posts. A request's body and the
// response's body cross as transferred ReadableStreams; the trailers follow in a message
// once the response body ended.
import { parentPort, workerData } from 'node:worker_threads';
import v8 from 'node:v8';
import { serve, REQUEST_TRAILERS, RESPONSE_TRAILERS } from './serve.mjs';

// Toolchains emit extended constant expressions, which Node 20 and 21 have behind a flag.
if (Number(process.versions.node.split('.')[0]) < 22) v8.setFlagsFromString('--experimental-wasm-extended-const');

const handler = await serve(workerData.bytes, workerData.options);
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
    const hasBody = m.body !== null && m.method !== 'GET' && m.method !== 'HEAD';
    const request = new Request(m.url, {
      method: m.method,
      headers: m.headers,
      body: hasBody ? m.body : null,
      ...(hasBody ? { duplex: 'half' } : {}),
      signal: controller.signal,
    });
    if (hasBody) {
      request[REQUEST_TRAILERS] = new Promise((resolve, reject) => {
        requestTrailers.set(m.id, (t) => (t.failed ? reject(new Error('the request body failed')) : resolve(t.trailers ? new Headers(t.trailers) : undefined)));
      });
      request[REQUEST_TRAILERS].catch(() => {});
    }
    const response = await handler(request);
    const body = response.body;
    parentPort.postMessage({ type: 'response', id: m.id, status: response.status, headers: [...response.headers], body }, body ? [body] : []);
    // (A response serve() made itself, a 500 or a 503, has none.)
    const trailers = await (response[RESPONSE_TRAILERS] ?? Promise.resolve()).catch(() => undefined);
    parentPort.postMessage({ type: 'trailers', id: m.id, trailers: trailers ? [...trailers] : null });
  } catch (e) {
    parentPort.postMessage({ type: 'failed', id: m.id, message: e?.message ?? String(e) });
  } finally {
    aborts.delete(m.id);
  }
});

parentPort.postMessage({ type: 'ready' });
