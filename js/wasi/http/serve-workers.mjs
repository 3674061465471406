// serve() spread over worker threads (`cmbridge serve --workers N`): each worker holds an
// instance of the component (serve-worker.mjs); this thread keeps the HTTP server and hands
// each request to the worker with the fewest in flight. Bodies cross as transferred
// ReadableStreams, so they stream as they do in one thread; a client that goes away aborts
// the request in its worker; trailers follow the response in a message of their own.
//
// Node only (worker_threads). What a worker needs must cross a thread: the component's
// bytes and WASI options that structured clone can carry (not `http.fetch` or `imports`).
import { Worker } from 'node:worker_threads';
import { HANDLE_PARTS, requestParts, toResponse } from './serve.mjs';

const WORKER = new URL('./serve-worker.mjs', import.meta.url);

/**
 * A (Request) => Promise<Response> handler backed by `count` workers, each serving
 * `bytes` (the component) with `options` (WASI options, requestTimeout). Resolves once
 * every worker has its instance; `handler.close()` ends them.
 */
export async function serveInWorkers(bytes, options, count) {
  if (!Number.isInteger(count) || count < 1) throw new TypeError('the number of workers must be a whole number of at least 1');
  for (const key of ['imports', 'instantiate', 'onError']) {
    if (options[key] !== undefined) throw new TypeError(`serve option \`${key}\` cannot cross to worker threads`);
  }
  if (options.http?.fetch !== undefined) throw new TypeError('WASI option `http.fetch` cannot cross to worker threads');
  const workers = [];
  // A worker that dies (out of memory, a bug of ours) fails what it had in flight and is
  // replaced, so that the pool keeps its size.
  const add = async () => {
    const worker = await startWorker(bytes, options, () => {
      const at = workers.indexOf(worker);
      if (at !== -1) workers.splice(at, 1);
      if (!closing) add().catch(() => {});
    });
    workers.push(worker);
  };
  let closing = false;
  await Promise.all(Array.from({ length: count }, add));
  let nextId = 1;

  // A request's parts (serve.mjs requestParts) to the least busy worker, the response's
  // parts back: a short body whole, a longer one as a transferred stream.
  async function respond(parts) {
    const worker = workers.reduce((a, b) => (b.inFlight.size < a.inFlight.size ? b : a));
    const id = nextId++;
    const body = parts.body;
    const entry = { resolve: null, reject: null, trailers: null, settleTrailers: null };
    const answer = new Promise((resolve, reject) => {
      entry.resolve = resolve;
      entry.reject = reject;
    });
    worker.inFlight.set(id, entry);
    const signal = parts.controller?.signal ?? parts.signal;
    const onAbort = () => worker.thread.postMessage({ type: 'abort', id });
    signal?.addEventListener('abort', onAbort, { once: true });
    const { method, scheme, authority, pathWithQuery } = parts;
    worker.thread.postMessage({
      type: 'request',
      id,
      parts: { method, scheme, authority, pathWithQuery, headers: [...parts.headers], body },
    }, body ? [body] : []);
    // Its trailers, once the body ended.
    parts.trailers?.then(
      (trailers) => worker.thread.postMessage({ type: 'request-trailers', id, trailers: trailers ? [...trailers] : null }),
      () => worker.thread.postMessage({ type: 'request-trailers', id, failed: true }),
    );
    try {
      const { status, headers, body: responseBody } = await answer;
      // A body that crossed as a stream did not end with its first chunk: the worker read
      // ahead already (read-ahead.mjs), and sending need not again.
      return { status, headers, body: responseBody, trailers: entry.trailers, bodyContinues: responseBody instanceof ReadableStream };
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
  const handler = async (request) => toResponse(await respond(requestParts(request)));
  handler[HANDLE_PARTS] = respond;
  handler.close = () => {
    closing = true;
    return Promise.all(workers.map((w) => w.thread.terminate()));
  };
  return handler;
}

/** A worker with its instance ready; `onExit()` when it ends after that. */
function startWorker(bytes, options, onExit) {
  const thread = new Worker(WORKER, { workerData: { bytes, options } });
  const inFlight = new Map();  // id -> { resolve, reject, trailers, settleTrailers }
  const failAll = (e) => {
    for (const pending of inFlight.values()) {
      pending.reject(e);
      pending.settleTrailers?.(undefined);
    }
    inFlight.clear();
  };
  return new Promise((resolve, reject) => {
    thread.once('error', reject);
    thread.on('message', (m) => {
      if (m.type === 'ready') {
        thread.off('error', reject);
        thread.on('error', failAll);
        thread.once('exit', (code) => {
          failAll(new Error(`a serve worker ended (exit code ${code})`));
          onExit();
        });
        resolve({ thread, inFlight });
        return;
      }
      const pending = inFlight.get(m.id);
      if (!pending) return;
      if (m.type === 'response') {
        pending.trailers = new Promise((settle) => {
          pending.settleTrailers = settle;
        });
        pending.resolve({ status: m.status, headers: m.headers, body: m.body });
      } else if (m.type === 'trailers') {
        pending.settleTrailers?.(m.trailers ? new Headers(m.trailers) : undefined);
        inFlight.delete(m.id);
      } else if (m.type === 'failed') {
        pending.reject(new Error(m.message));
        pending.settleTrailers?.(undefined);
        inFlight.delete(m.id);
      }
    });
  });
}
