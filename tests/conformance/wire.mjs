// The values that cross between Node and the conformance page (browser-api.mjs and
// browser-page.mjs both use this module), as JSON that needs no help from Playwright:
// every value JSON cannot carry exactly gets a tagged form.
//
//   null, true/false, finite numbers other than -0, well-formed strings   as themselves
//   { t: 'undefined' }                   { t: 'f64', bits }     NaN (with its bits), ±Infinity, -0
//   { t: 'bigint', v }                   { t: 'str16', v }      a string with lone surrogates
//   { t: 'array', v: [...] }             { t: 'object', v: [[key, value], ...] }   plain objects
//   { t: 'typed', c, b }                 { t: 'buffer', b }     typed arrays / ArrayBuffer, bytes as base64
//   { t: 'error', name, base, message, stack, payload? }       an Error; `base` is the
//                                        standard class it is an instance of
//   { t: 'ref', id, kind }               anything else (functions, class instances, export
//                                        namespaces): a handle that stays on its own side
//
// Only this module's own code runs on both sides, so it imports nothing.

const TYPED_ARRAYS = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
];
const TYPED_BY_NAME = Object.fromEntries(TYPED_ARRAYS.map((C) => [C.name, C]));

// Most specific first: a CompileError is also an Error.
const ERROR_BASES = () => [
  ['CompileError', WebAssembly.CompileError],
  ['LinkError', WebAssembly.LinkError],
  ['RuntimeError', WebAssembly.RuntimeError],
  ['TypeError', TypeError],
  ['RangeError', RangeError],
  ['SyntaxError', SyntaxError],
  ['ReferenceError', ReferenceError],
  ['EvalError', EvalError],
  ['URIError', URIError],
  ['Error', Error],
];

function toBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function f64Bits(x) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

function f64FromBits(hex) {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt('0x' + hex));
  return view.getFloat64(0);
}

function isPlainObject(value) {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function errorBase(e) {
  return ERROR_BASES().find(([, C]) => e instanceof C)?.[0];
}

/**
 * A value -> its wire form. `refer(value)` gives { id, kind } for a value that must stay
 * on this side (functions, class instances), or undefined when it cannot be sent.
 */
export function encode(value, refer = () => undefined) {
  const ref = value !== null && (typeof value === 'object' || typeof value === 'function') ? refer(value) : undefined;
  if (ref !== undefined) return { t: 'ref', ...ref };
  switch (typeof value) {
    case 'undefined':
      return { t: 'undefined' };
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0) ? value : { t: 'f64', bits: f64Bits(value) };
    case 'bigint':
      return { t: 'bigint', v: value.toString() };
    case 'string':
      return value.isWellFormed() ? value : { t: 'str16', v: Array.from({ length: value.length }, (_, i) => value.charCodeAt(i)) };
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) return { t: 'array', v: value.map((x) => encode(x, refer)) };
      // A subclass (Node's Buffer is a Uint8Array) goes as the standard class it extends.
      const Typed = ArrayBuffer.isView(value) ? TYPED_ARRAYS.find((C) => value instanceof C) : undefined;
      if (Typed) {
        return { t: 'typed', c: Typed.name, b: toBase64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) };
      }
      if (value instanceof ArrayBuffer) return { t: 'buffer', b: toBase64(new Uint8Array(value)) };
      const base = errorBase(value);
      if (base) {
        const out = {
          t: 'error',
          name: value.constructor?.name ?? value.name ?? base,
          base,
          message: String(value.message ?? ''),
          stack: String(value.stack ?? ''),
        };
        if (value.name !== out.name) out.nameProperty = String(value.name);
        if ('payload' in value) out.payload = encode(value.payload, refer);
        return out;
      }
      if (isPlainObject(value)) return { t: 'object', v: Object.keys(value).map((k) => [k, encode(value[k], refer)]) };
      break;
    }
    default:
      break;
  }
  throw new TypeError(`cannot send ${typeof value === 'object' ? `a ${value.constructor?.name ?? 'object'}` : `a ${typeof value}`} between Node and the page`);
}

/**
 * A wire form -> the value. `deref(node)` turns { t: 'ref', id, kind } back into what
 * it stands for; `errorClass(name, Base)` may supply the class to rebuild a named error
 * with (default: Base itself, or a subclass of it carrying the name).
 */
export function decode(node, { deref, errorClass } = {}) {
  const again = (x) => decode(x, { deref, errorClass });
  if (node === null || typeof node !== 'object') return node;
  switch (node.t) {
    case 'undefined':
      return undefined;
    case 'f64':
      return f64FromBits(node.bits);
    case 'bigint':
      return BigInt(node.v);
    case 'str16':
      return node.v.map((unit) => String.fromCharCode(unit)).join('');
    case 'array':
      return node.v.map(again);
    case 'object': {
      const out = {};
      for (const [k, v] of node.v) Object.defineProperty(out, k, { value: again(v), enumerable: true, writable: true, configurable: true });
      return out;
    }
    case 'typed': {
      const C = TYPED_BY_NAME[node.c];
      if (!C) throw new TypeError(`unknown typed array class ${node.c}`);
      const bytes = fromBase64(node.b);
      return new C(bytes.buffer, 0, bytes.length / C.BYTES_PER_ELEMENT);
    }
    case 'buffer':
      return fromBase64(node.b).buffer;
    case 'error':
      return decodeError(node, again, errorClass);
    case 'ref':
      if (!deref) throw new TypeError(`a ${node.kind} handle cannot be received here`);
      return deref(node);
    default:
      throw new TypeError(`unknown wire form ${JSON.stringify(node.t)}`);
  }
}

const namedSubclasses = new Map();

// A subclass of Base whose constructor.name is `name`, made once per (Base, name).
function namedErrorClass(name, Base) {
  const key = `${Base.name}:${name}`;
  if (!namedSubclasses.has(key)) {
    namedSubclasses.set(key, { [name]: class extends Base {} }[name]);
  }
  return namedSubclasses.get(key);
}

function decodeError(node, again, errorClass) {
  const Base = ERROR_BASES().find(([n]) => n === node.base)?.[1] ?? Error;
  const C = node.name === node.base ? Base : errorClass?.(node.name, Base) ?? namedErrorClass(node.name, Base);
  const e = new C(node.message);
  // Some constructors take something else than the message (ComponentError: the payload).
  Object.defineProperty(e, 'message', { value: node.message, writable: true, configurable: true });
  if (node.nameProperty !== undefined || e.name !== node.name) {
    Object.defineProperty(e, 'name', { value: node.nameProperty ?? node.name, writable: true, configurable: true });
  }
  if ('payload' in node) e.payload = again(node.payload);
  // The page's stack says where it was thrown; Node's own frames would only show this decoder.
  if (node.stack) Object.defineProperty(e, 'stack', { value: `${node.stack}\n    (thrown in the browser page)`, writable: true, configurable: true });
  return e;
}
