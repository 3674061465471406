// The page side of the browser conformance run (browser-api.mjs is the Node side): the
// package, as a browser loads it from /js/, does the compiling, instantiating and calling;
// Node only sends requests. Components, instances and functions stay here, named by ids.
//
// handle(method, requestJson) -> replyJson, where the reply is { ok: <wire value> } or
// { threw: <wire error> } (what the package threw, for the runner to judge).
import { Component, detectDeadlocks } from '../../js/index.mjs';
import { decode, encode } from './wire.mjs';

const TYPE = Symbol.for('cmbridge.type');

const handles = new Map(); // id -> value
const ids = new Map(); // value -> id
let nextId = 1;

function handleOf(value) {
  let id = ids.get(value);
  if (id === undefined) {
    id = nextId++;
    ids.set(value, id);
    handles.set(id, value);
  }
  return id;
}

function valueOf(id) {
  if (!handles.has(id)) throw new Error(`conformance page: no handle ${id} (the page was reloaded?)`);
  return handles.get(id);
}

// Anything that is not plain data stays here: Node gets a handle to send back.
function refer(value) {
  if (typeof value === 'function') return { id: handleOf(value), kind: 'function' };
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || Array.isArray(value) || value instanceof Error) return undefined;
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return undefined;
  return { id: handleOf(value), kind: value.constructor?.name ?? 'object' };
}

const send = (value) => encode(value, refer);
const receive = (node) => decode(node, { deref: ({ id }) => valueOf(id) });

// An exports object as Node needs to mirror it: every own member (the lowerCamelCase
// names and the exact component names), functions with their type description.
function describeExports(value) {
  if (typeof value === 'function') {
    const type = value[TYPE];
    return { t: 'function', id: handleOf(value), name: value.name, type: type === undefined ? undefined : send(type) };
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return {
      t: 'namespace',
      id: handleOf(value),
      members: Object.getOwnPropertyNames(value).map((name) => {
        const { enumerable } = Object.getOwnPropertyDescriptor(value, name);
        return { name, enumerable, value: describeExports(value[name]) };
      }),
    };
  }
  return { t: 'value', value: send(value) };
}

const methods = {
  async compile({ bytes }) {
    const component = await Component.compile(receive(bytes));
    return { id: handleOf(component) };
  },

  async instantiate({ component, imports }) {
    const instance = await valueOf(component).instantiate(receive(imports));
    return { exports: describeExports(instance.exports) };
  },

  async call({ fn, args }) {
    return send(await valueOf(fn)(...receive(args)));
  },

  async detectDeadlocks() {
    return detectDeadlocks();
  },

  // Core wasm features the conformance scripts use that an engine may lack (expectations.mjs
  // BROWSER_FEATURE_GAPS), found by validating the smallest module that uses each.
  async features() {
    return {
      // (module (memory 0) (memory 0))
      multiMemory: WebAssembly.validate(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 5, 2, 0, 0, 0, 0])),
      // (module (func (try_table)))
      exceptionHandling: WebAssembly.validate(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
        1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 8, 1, 6, 0, 0x1f, 0x40, 0, 0x0b, 0x0b])),
    };
  },

  // A value there and back, for the tests of the wire format in both realms.
  async echo({ value }) {
    return send(receive(value));
  },
};

// Requests started and not yet collected (start/poll): for drivers that can run only one
// script in the page at a time (WebDriver), so that a request waiting on the guest does
// not hold up the rest.
const replies = new Map();
let nextRequest = 1;

export function start(method, requestJson) {
  const id = nextRequest++;
  replies.set(id, null);
  handle(method, requestJson).then((reply) => replies.set(id, reply));
  return id;
}

/** The reply of request `id` once there is one (then forgotten), else null. */
export function poll(id) {
  const reply = replies.get(id);
  if (reply) replies.delete(id);
  return reply ?? null;
}

export async function handle(method, requestJson) {
  let reply;
  try {
    reply = { ok: await methods[method](JSON.parse(requestJson)) };
  } catch (e) {
    try {
      reply = { threw: send(e) };
    } catch {
      reply = { threw: send(new Error(`the page threw a value that cannot be sent: ${String(e)}`)) };
    }
  }
  return JSON.stringify(reply);
}

