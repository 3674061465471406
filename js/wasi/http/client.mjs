// wasi:http `client.send` (and the imported `handler.handle`, which sends the same way)
// over the platform's fetch(): a guest's request goes out as a fetch() Request, and the
// fetch() Response comes back as a wasi:http response whose body streams as it arrives.
//
// - The request body streams too where fetch() can upload a stream (Node, Deno, Bun:
//   `duplex: 'half'`, sent chunked unless the guest set content-length). Pages cannot
//   stream an upload over HTTP/1.1 (Chromium allows it over HTTP/2 only, Firefox and
//   WebKit not at all), so there the body is collected first and sent whole.
// - GET and HEAD may not have a body in fetch(): their contents must be empty.
// - fetch() sends no trailers: request trailers that are not empty fail the transmission
//   (the guest's `new` future) with internal-error, and responses have none.
// - Redirects reach the guest as they are (`redirect: 'manual'`), except in a page, where
//   fetch() hides them (an opaque response) and they are followed.
// - request-options: the connect and first-byte timeouts bound the wait for the
//   response's head (fetch() does not tell connecting from waiting), the between-bytes
//   timeout each read of its body.
// - The guest cancelling the call (subtask.cancel) aborts the fetch.
import { declaredLength, err, ok, watchEnd } from './body.mjs';
import { ENTRIES, bytesOf, latin1 } from './fields.mjs';
import { errorCodeOf } from './error-code.mjs';
import { HttpError, internalError } from './http-error.mjs';
import { methodName, schemeName } from './request.mjs';
import { Response } from './response.mjs';

const NS_PER_MS = 1_000_000n;
// A timer waits at most 2^31-1 ms (longer ones fire at once): a timeout beyond that, some
// 24 days, is no timeout at all.
const MAX_TIMER_MS = 2 ** 31 - 1;
const toMs = (ns) => {
  if (ns === undefined) return undefined;
  const ms = (ns + NS_PER_MS - 1n) / NS_PER_MS;
  return ms > BigInt(MAX_TIMER_MS) ? undefined : Number(ms);
};

// Server runtimes upload streams; a page (a `document`, or a worker's `WorkerGlobalScope`)
// does not, over HTTP/1.1.
const canStreamUploads = () => typeof globalThis.document === 'undefined' && typeof globalThis.WorkerGlobalScope === 'undefined';
const inPage = () => !canStreamUploads();

// Methods fetch() refuses to send.
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

function timeoutError(code, what, ms) {
  return Object.assign(new Error(`no ${what} within ${ms} ms`), { code });
}

/**
 * The `client` interface (and the body of an imported `handler`) for one set of imports.
 * `network`: whether requests may go out at all (else HTTP-request-denied). `fetch`: the
 * fetch() to use. `Fields`: the imports' fields class (received headers are made with it).
 */
export function makeClient({ network, fetch: fetchImpl, Fields }) {
  return {
    // One parameter more than the WIT's: the runtime passes { signal } (README "Async"),
    // as it sees from the function's length, which a default value would hide.
    async send(request, call) {
      return sendRequest(request, { network, fetchImpl: fetchImpl ?? globalThis.fetch, Fields, signal: call?.signal });
    },
  };
}

async function sendRequest(request, { network, fetchImpl, Fields, signal }) {
  const body = request.body;
  const refuse = (code) => {
    body.settle(err(code));
    body.drop('request');
    throw new HttpError(code);
  };
  if (!network) refuse({ tag: 'HTTP-request-denied' });
  if (typeof fetchImpl !== 'function') refuse(internalError('this platform has no fetch()'));

  // As Wasmtime: HTTPS unless said otherwise; no other scheme; an authority and a path needed.
  const scheme = request.getScheme() ?? { tag: 'HTTPS' };
  if (scheme.tag === 'other') refuse({ tag: 'HTTP-protocol-error' });
  const authority = request.getAuthority();
  const pathWithQuery = request.getPathWithQuery();
  if (!authority || pathWithQuery === undefined) refuse({ tag: 'HTTP-request-URI-invalid' });
  let url;
  try {
    url = new URL(`${schemeName(scheme)}://${authority}${pathWithQuery.startsWith('/') ? '' : '/'}${pathWithQuery}`);
  } catch {
    refuse({ tag: 'HTTP-request-URI-invalid' });
  }
  const method = methodName(request.getMethod());
  if (FORBIDDEN_METHODS.has(method.toUpperCase())) refuse({ tag: 'HTTP-request-method-invalid' });

  const headers = new Headers();
  try {
    for (const [name, value] of request.getHeaders()[ENTRIES]()) headers.append(name, latin1(value));
  } catch (e) {
    refuse(internalError(`fetch() refused a header: ${e.message}`));
  }
  // fetch() decodes compressed bodies itself; unless the guest asked for an encoding, ask
  // for none, so that what it reads is what the server sent.
  if (!headers.has('accept-encoding')) headers.set('accept-encoding', 'identity');

  const options = request.getOptions();
  const headMs = [options?.getConnectTimeout(), options?.getFirstByteTimeout()].map(toMs).filter((ms) => ms !== undefined);
  const betweenBytesMs = toMs(options?.getBetweenBytesTimeout());

  const { contents, trailers } = body.take();
  // The body sent, then its trailers: the guest's "transmitted" future.
  let bodySent;
  const sent = new Promise((resolve) => {
    bodySent = resolve;
  });
  sent.then(async (result) => {
    if (result.tag === 'err') return body.settle(result);
    const t = await trailers.catch(() => ok());
    if (t.tag === 'err') return body.settle(t);
    if (t.val && t.val[ENTRIES]().length > 0) return body.settle(err(internalError('fetch() cannot send request trailers')));
    return body.settle(ok());
  });

  let requestBody;
  try {
    if (method === 'GET' || method === 'HEAD') {
      const bytes = await collect(contents, signal);
      if (bytes.length > 0) refuse(internalError(`fetch() cannot send a body with ${method}`));
    } else if (canStreamUploads()) {
      const length = declaredLength(request.getHeaders());
      requestBody = watchEnd(contents, bodySent, { errorCodeOf, length, sizeTag: 'HTTP-request-body-size' });
    } else {
      requestBody = new Blob([await collect(contents, signal)]);
    }
  } catch (e) {
    if (e instanceof HttpError) throw e;
    if (signal?.aborted && e === signal.reason) {
      body.settle(err(internalError('the request was cancelled')));
      throw e;
    }
    refuse(errorCodeOf(e));
  }

  // Aborts: the guest's cancel, and the head timeout.
  const head = new AbortController();
  const signals = [head.signal, ...(signal ? [signal] : [])];
  let headTimer;
  if (headMs.length > 0) {
    const ms = Math.max(...headMs);
    const code = headMs.length === 1 && options.getConnectTimeout() !== undefined ? 'CMBRIDGE_CONNECT_TIMEOUT' : 'CMBRIDGE_FIRST_BYTE_TIMEOUT';
    headTimer = setTimeout(() => head.abort(timeoutError(code, 'response', ms)), ms);
  }
  const combined = signals.length === 1 ? signals[0] : AbortSignal.any(signals);

  let response;
  try {
    response = await fetchImpl(url, {
      method,
      headers,
      body: requestBody,
      ...(requestBody instanceof ReadableStream ? { duplex: 'half' } : {}),
      redirect: inPage() ? 'follow' : 'manual',
      signal: combined,
    });
  } catch (e) {
    const reason = head.signal.aborted ? head.signal.reason : e;
    const code = errorCodeOf(reason);
    bodySent(err(code));
    if (signal?.aborted) throw signal.reason;
    throw new HttpError(code, undefined, { cause: e });
  } finally {
    clearTimeout(headTimer);
  }
  // A body sent whole (or none) went out with the head; a streamed one said so itself.
  if (!(requestBody instanceof ReadableStream)) bodySent(ok());

  const pairs = [];
  // A body fetch() decoded no longer has the encoding or the length its headers give.
  const decoded = response.headers.has('content-encoding');
  for (const [name, value] of response.headers) {
    if (name === 'set-cookie') continue;
    if (decoded && (name === 'content-encoding' || name === 'content-length')) continue;
    pairs.push([name, bytesOf(value)]);
  }
  for (const cookie of response.headers.getSetCookie?.() ?? []) pairs.push(['set-cookie', bytesOf(cookie)]);

  let ended;
  const end = new Promise((resolve) => {
    ended = resolve;
  });
  const contentsIn = response.body ? watchEnd(response.body, ended, { errorCodeOf, betweenBytesMs }) : null;
  if (!response.body) ended(ok());
  return Response.received({
    status: response.status,
    headers: Fields.fromTransport(pairs),
    contents: contentsIn,
    // No trailers through fetch(): none, once the body ended well.
    trailers: end.then((result) => (result.tag === 'err' ? result : ok(undefined))),
  });
}

/** Every byte of `stream`, in one Uint8Array; `signal` cancels the stream and rejects. */
async function collect(stream, signal) {
  const chunks = [];
  let length = 0;
  const reader = stream.getReader();
  const aborted = new Promise((_, reject) => {
    if (!signal) return;
    const stop = () => {
      reader.cancel(signal.reason).catch(() => {});
      reject(signal.reason);
    };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
  aborted.catch(() => {});
  for (;;) {
    const { value, done } = await Promise.race([reader.read(), aborted]);
    if (done) break;
    chunks.push(value);
    length += value.byteLength;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

