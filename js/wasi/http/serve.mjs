// Incoming wasi:http: `serve(component)` gives a `(Request) => Promise<Response>` function
// (the WHATWG types), which plugs into Deno.serve, Bun.serve, a Service Worker's `fetch`
// event, or node:http through node-adapter.mjs.
//
// One instance serves every request, each call of its `wasi:http/handler.handle` export a
// task of its own, so requests run concurrently as far as the guest lets them. An instance
// that traps answers the request that trapped (500) and is replaced for the requests after
// it; requests already inside it fail as well, with its trap.
//
// The guest's response streams out as the guest writes it. What a WHATWG Response cannot
// carry is given beside it: its trailers (a Promise under RESPONSE_TRAILERS, which the
// node:http adapter sends), and whether it was sent whole (the guest's "transmitted"
// future settles when the consumer read the body to its end, or with
// connection-terminated when it stopped reading).
import { Component } from '../../component.mjs';
import { ComponentError } from '../../errors.mjs';
import { wasiImportsFor } from '../command.mjs';
import { byteStreamOf, declaredLength, err, ok, watchedReader } from './body.mjs';
import { ENTRIES, bytesOf, latin1 } from './fields.mjs';
import { methodValue, Request, schemeValue } from './request.mjs';
import { Response as WasiResponse } from './response.mjs';
import { DISPOSE } from '../../platform.mjs';

const HANDLER = /^wasi:http\/handler@0\.3\.\d+(-.*)?$/;
const TYPES = /^wasi:http\/types@0\.3\.\d+(-.*)?$/;

/** On a WHATWG Response from serve(): a Promise of its trailers (a Headers, or undefined). */
export const RESPONSE_TRAILERS = Symbol.for('cmbridge.http.responseTrailers');
/** On a WHATWG Request given to serve(): a Promise of its trailers (a Headers, or undefined). */
export const REQUEST_TRAILERS = Symbol.for('cmbridge.http.requestTrailers');
/** On serve()'s handler: the same without WHATWG objects, `(parts) => Promise<parts>` (node-adapter.mjs). */
export const HANDLE_PARTS = Symbol('cmbridge.http.handleParts');

// Statuses whose responses have no body (fetch()'s Response refuses one).
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/**
 * A fetch handler for a component that exports wasi:http/handler 0.3. `options`: WASI
 * options (wasiImports': args, env, preopens, network, http), `imports` to add or replace,
 * `instantiate` options, `onError(error, request)` for what made a request fail (a trap,
 * an error-code; default console.error), and `requestTimeout`: ms a handler may take to
 * answer before its call is cancelled and the client gets 503 (default: no limit).
 */
export async function serve(source, { imports = {}, instantiate = {}, onError = defaultOnError, requestTimeout, ...wasiOptions } = {}) {
  if (requestTimeout !== undefined && !(requestTimeout > 0)) throw new TypeError('serve option `requestTimeout` must be a positive number of milliseconds');
  const component = source instanceof Component ? source : await Component.compile(source);
  const handlerName = component.plan.exports.map((e) => e.name).find((name) => HANDLER.test(name));
  if (!handlerName) {
    throw new TypeError('the component does not export wasi:http/handler (0.3): it is not an HTTP service');
  }
  let current = null;  // Promise of { exports, Fields, dead }
  const start = async () => {
    const all = { ...(await wasiImportsFor(component, wasiOptions)), ...imports };
    const typesName = Object.keys(all).find((name) => TYPES.test(name));
    const inst = { exports: null, Fields: all[typesName].Fields, dead: false };
    // A trap no call waits for (a task still writing a body) ends this instance too.
    const onTrap = (e) => {
      retire(inst);
      (instantiate.onTrap ?? ((error) => onError(error, null)))(e);
    };
    inst.exports = (await component.instantiate(all, { ...instantiate, onTrap })).exports;
    return inst;
  };
  // The requests after a trap go to a new instance.
  const retire = (inst) => {
    if (inst.dead) return;
    inst.dead = true;
    current?.then((c) => {
      if (c === inst) current = null;
    }, () => {});
  };
  const instance = () => {
    current ??= start().catch((e) => {
      current = null;
      throw e;
    });
    return current;
  };
  await instance();  // a component that cannot start fails here, not on the first request

  // One request: its parts in (requestParts), the response's parts out (outgoingResponse).
  async function respond(parts) {
    const inst = await instance();
    const incoming = incomingRequest(parts, inst.Fields);
    // One signal for the call, aborted by whichever comes first: the client going away
    // (the caller's controller, or its signal followed), the guest reporting that it
    // failed to handle the body, the deadline.
    const call = parts.controller ?? following(parts.signal);
    const bodyFailure = guestFailedBody(incoming, call);
    let timedOut = null;
    let timer = null;
    if (requestTimeout !== undefined) {
      timedOut = new Error(`the handler did not answer within ${requestTimeout} ms`);
      timer = setTimeout(() => call.abort(timedOut), requestTimeout);
    }
    let response;
    try {
      response = await Promise.race([inst.exports[handlerName].handle(incoming, { signal: call.signal }), bodyFailure]);
    } catch (e) {
      // What the guest left of the request's body is not going to be read.
      incoming.body.drop('request');
      if (e === timedOut) {
        onError(e, parts.request);
        return textParts(503, 'the handler did not answer in time\n');
      }
      if (call.signal.aborted && e === call.signal.reason && !(e instanceof ComponentError)) {
        // The client went away: no one to answer, nothing wrong with the instance.
        return { status: 503, headers: [], body: null };
      }
      // A trap (or a failure of ours): this instance is done; the next request starts another.
      if (!(e instanceof ComponentError)) retire(inst);
      onError(e, parts.request);
      return errorParts(e);
    } finally {
      clearTimeout(timer);
    }
    try {
      return outgoingResponse(response, parts.method);
    } catch (e) {
      onError(e, parts.request);
      return errorParts(e);
    }
  }

  const handle = async (request) => toResponse(await respond(requestParts(request)));
  handle[HANDLE_PARTS] = respond;
  return handle;
}

/** An AbortController that aborts when `signal` does (with its reason). */
function following(signal) {
  const controller = new AbortController();
  if (signal?.aborted) controller.abort(signal.reason);
  else signal?.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  return controller;
}

/**
 * A WHATWG Request as the parts respond() takes: `method`; `scheme`, `authority` and
 * `pathWithQuery` (strings); `headers` ([name, value] strings); `body` (a ReadableStream or
 * null); `trailers` (a Promise of a Headers or undefined, or undefined); `signal` (the
 * client going away) or `controller` (an AbortController respond() may abort itself);
 * `request` (what onError is told).
 */
export function requestParts(request) {
  const url = new URL(request.url);
  return {
    method: request.method,
    scheme: url.protocol.slice(0, -1),
    authority: url.host,
    pathWithQuery: url.pathname + url.search,
    headers: request.headers,
    body: requestContents(request),
    trailers: request[REQUEST_TRAILERS],
    signal: request.signal,
    request,
  };
}

/**
 * The parts respond() gives as a WHATWG Response: `status`, `headers` ([name, value]
 * strings), `body` (a ReadableStream, a reader of one (body.mjs watchedReader), a string,
 * bytes or null), `trailers` (a Promise of a
 * Headers or undefined, or undefined) under RESPONSE_TRAILERS.
 */
export function toResponse({ status, headers, body, trailers }) {
  const response = new globalThis.Response(isReader(body) ? byteStreamOf(body) : body, { status, headers });
  if (trailers) Object.defineProperty(response, RESPONSE_TRAILERS, { value: trailers });
  return response;
}

/** Whether a body is a reader (`{ read(), cancel() }`) rather than a stream or the bytes. */
export const isReader = (body) => typeof body?.read === 'function';

const textParts = (status, text) => ({ status, headers: [['content-type', 'text/plain; charset=utf-8']], body: text });

function defaultOnError(error, request) {
  console.error(`cmbridge serve: ${request ? `${request.method} ${request.url}` : 'after a response'}:`, error);
}

/** A request's parts (requestParts) as a wasi:http request (host-made: its headers immutable). */
function incomingRequest(parts, Fields) {
  const pairs = [];
  for (const [name, value] of parts.headers) pairs.push([name, bytesOf(value)]);
  const trailers = parts.trailers;
  return Request.incoming({
    method: methodValue(parts.method),
    scheme: schemeValue(parts.scheme),
    authority: parts.authority,
    pathWithQuery: parts.pathWithQuery,
    headers: Fields.fromTransport(pairs),
    contents: parts.body,
    trailers: trailers
      ? trailers.then((t) => ok(t ? Fields.fromTransport([...t].map(([n, v]) => [n, bytesOf(v)])) : undefined), () => err({ tag: 'connection-terminated' }))
      : Promise.resolve(ok()),
  });
}

/**
 * The Request's body as a stream. Firefox has no `Request.prototype.body` (the property is
 * undefined, not null): there the body is read through a Blob, whole, which is all that
 * engine can give.
 */
function requestContents(request) {
  if (request.body !== undefined) return request.body;
  if (request.method === 'GET' || request.method === 'HEAD') return null;
  return new ReadableStream({
    async start(controller) {
      const bytes = new Uint8Array(await request.arrayBuffer());
      if (bytes.length > 0) controller.enqueue(bytes);
      controller.close();
    },
  });
}

// The guest may report, through the future it gave consume-body, that it failed to handle
// the request's body (Wasmtime's test echo service does, and then never answers): that
// fails the request. Never settles otherwise.
// `failed` is aborted then, which cancels the guest's call. Set before the call: the guest
// may consume the body before its first await.
function guestFailedBody(incoming, failed) {
  return new Promise((_, reject) => {
    incoming.body.onConsumed = () => {
      incoming.body.guestOutcome?.then((result) => {
        if (result?.tag !== 'err') return;
        const error = new ComponentError(result.val);
        failed.abort(error);
        reject(error);
      }, () => {});
    };
  });
}

function errorParts(error) {
  // An error-code the guest answered is its to tell; a trap's details stay in onError.
  const what = error instanceof ComponentError ? `the handler failed: ${JSON.stringify(error.payload, bigints)}` : 'the handler failed (see the server\'s log)';
  return textParts(500, `${what}\n`);
}

const bigints = (_, v) => (typeof v === 'bigint' ? String(v) : v);

/**
 * The guest's wasi:http response as a response's parts (toResponse), its body streaming.
 * `method`: the request's (a HEAD answer has no body, whatever its content-length).
 */
function outgoingResponse(response, method) {
  if (!(response instanceof WasiResponse)) throw new TypeError('the handler returned something that is not a wasi:http response');
  const lengths = new Set(response.getHeaders().get('content-length').map(latin1));
  if (lengths.size > 1) {
    response[DISPOSE]();
    throw new Error(`the handler's response has content-lengths that disagree: ${[...lengths].join(', ')}`);
  }
  const status = response.getStatusCode();
  if (status < 200) {
    response[DISPOSE]();
    return errorParts(new Error(`the handler answered with status ${status}, which a fetch() Response cannot have`));
  }
  const headers = [];
  for (const [name, value] of response.getHeaders()[ENTRIES]()) headers.push([name, latin1(value)]);
  const body = response.body;
  const { contents, trailers } = body.take();
  let bodyEnded;
  const ended = new Promise((resolve) => {
    bodyEnded = resolve;
  });
  let stream = null;
  if (NULL_BODY_STATUS.has(status) || method === 'HEAD') {
    contents.cancel().catch(() => {});
    bodyEnded(ok());
  } else {
    stream = watchedReader(contents, bodyEnded, { length: declaredLength(response.getHeaders()), sizeTag: 'HTTP-response-body-size' });
  }
  const trailersAfterEnd = ended.then(async (result) => {
    if (result.tag === 'err') {
      body.settle(result);
      return undefined;
    }
    const t = await trailers.catch(() => ok());
    if (t.tag === 'err') {
      body.settle(t);
      throw new Error(`the response's trailers failed: ${JSON.stringify(t.val, bigints)}`);
    }
    body.settle(ok());
    if (!t.val) return undefined;
    const out = new Headers();
    for (const [name, value] of t.val[ENTRIES]()) out.append(name, latin1(value));
    return out;
  });
  trailersAfterEnd.catch(() => {});
  return { status, headers, body: stream, trailers: trailersAfterEnd };
}
