// wasi:http/types `fields` (and its aliases `headers`, `trailers`): HTTP field names and
// their byte values, in order, with the name's case as given.
//
// Names are RFC 9110 tokens, compared without case; values are bytes without control
// characters (HTAB allowed), which is what HTTP/1.1 can carry. A forbidden name (hop-by-hop
// fields the host's transport owns, plus any the embedder adds) is refused with `forbidden`.
// Fields a request or response holds are immutable: `set`, `append`, `delete` and
// `get-and-delete` answer `immutable`.
//
// The class is made per set of imports (makeFieldsClass), because the forbidden names are
// an option of that set; the runtime checks that a guest's `own<fields>` is an instance of
// the class it imported.
import { fail } from './http-error.mjs';

/**
 * Refused by default (Wasmtime's list): connection-level fields that the transport (fetch(),
 * node:http) sets itself. Fields the host received have them removed.
 */
export const DEFAULT_FORBIDDEN_HEADERS = Object.freeze([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection',
  'transfer-encoding', 'upgrade', 'host', 'http2-settings',
]);

/** The most bytes (names and values) one `fields` may hold: then `size-exceeded` (as Wasmtime). */
export const MAX_FIELDS_BYTES = 128 * 1024;

const DIGITS = /^[0-9]+$/;

// RFC 9110 tchar: ! # $ % & ' * + - . ^ _ ` | ~ DIGIT ALPHA
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export const isToken = (s) => typeof s === 'string' && TOKEN.test(s);

/** Whether `bytes` may be a field value: no control characters but HTAB, no DEL. */
export function isFieldValue(bytes) {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if ((b < 0x20 && b !== 0x09) || b === 0x7f) return false;
  }
  return true;
}

/** Bytes as a JS ByteString (one char per byte), which fetch()'s Headers take. */
export function latin1(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
  return s;
}

/** A ByteString as bytes (chars above 0xFF cannot occur in one). */
export function bytesOf(byteString) {
  const out = new Uint8Array(byteString.length);
  for (let i = 0; i < byteString.length; i++) out[i] = byteString.charCodeAt(i);
  return out;
}

// Module-private operations on fields, for the request and response classes and the
// transports: not methods a guest (or an embedder, by accident) can reach by name.
export const FREEZE = Symbol('fields.freeze');
export const ENTRIES = Symbol('fields.entries');

/**
 * The `fields` resource class for one set of imports. `forbidden`: lower-case names to
 * refuse besides DEFAULT_FORBIDDEN_HEADERS.
 */
export function makeFieldsClass(forbidden = []) {
  const refused = new Set([...DEFAULT_FORBIDDEN_HEADERS, ...forbidden.map((n) => n.toLowerCase())]);

  // Checked in Wasmtime's order: the name's syntax, forbidden names, mutability (by the
  // caller), then the value's syntax and the size.
  function checkName(name) {
    if (!isToken(name)) fail('invalid-syntax');
    if (refused.has(name.toLowerCase())) fail('forbidden');
  }

  function checkValue(name, value) {
    if (!(value instanceof Uint8Array) || !isFieldValue(value)) fail('invalid-syntax');
    // A content-length the transport could not send: digits only.
    if (name.toLowerCase() === 'content-length' && !DIGITS.test(latin1(value))) fail('invalid-syntax');
  }

  return class Fields {
    // [name as given, value bytes], in order.
    #entries = [];
    #bytes = 0;
    #immutable = false;

    /** `constructor()`: empty and mutable. */
    constructor() {}

    /** `from-list`: every name and value checked; mutable. */
    static fromList(entries) {
      const fields = new Fields();
      for (const [name, value] of entries) {
        checkName(name);
        checkValue(name, value);
        fields.#add(name, value);
      }
      return fields;
    }

    /**
     * Fields the host received (a transport's headers): names and values as they came,
     * less forbidden names; immutable.
     */
    static fromTransport(pairs) {
      const fields = new Fields();
      for (const [name, value] of pairs) {
        if (!refused.has(name.toLowerCase())) fields.#entries.push([name, value]);
      }
      fields.#immutable = true;
      return fields;
    }

    get(name) {
      const key = name.toLowerCase();
      return this.#entries.filter(([n]) => n.toLowerCase() === key).map(([, v]) => v.slice());
    }

    has(name) {
      if (!isToken(name)) return false;
      const key = name.toLowerCase();
      return this.#entries.some(([n]) => n.toLowerCase() === key);
    }

    set(name, values) {
      checkName(name);
      this.#checkMutable();
      for (const v of values) checkValue(name, v);
      this.#remove(name);
      for (const v of values) this.#add(name, v);
    }

    delete(name) {
      checkName(name);
      this.#checkMutable();
      this.#remove(name);
    }

    getAndDelete(name) {
      checkName(name);
      this.#checkMutable();
      const values = this.get(name);
      this.#remove(name);
      return values;
    }

    append(name, value) {
      checkName(name);
      this.#checkMutable();
      checkValue(name, value);
      this.#add(name, value);
    }

    copyAll() {
      return this.#entries.map(([n, v]) => [n, v.slice()]);
    }

    /** `clone`: a deep copy, mutable. */
    clone() {
      const copy = new Fields();
      for (const [n, v] of this.#entries) copy.#add(n, v.slice());
      return copy;
    }

    [FREEZE]() {
      this.#immutable = true;
      return this;
    }

    /** The entries themselves, for the transports (read only). */
    [ENTRIES]() {
      return this.#entries;
    }

    #checkMutable() {
      if (this.#immutable) fail('immutable');
    }

    #add(name, value) {
      const size = name.length + value.length;
      if (this.#bytes + size > MAX_FIELDS_BYTES) fail('size-exceeded');
      this.#bytes += size;
      this.#entries.push([name, value.slice()]);
    }

    #remove(name) {
      const key = name.toLowerCase();
      this.#entries = this.#entries.filter(([n, v]) => {
        if (n.toLowerCase() !== key) return true;
        this.#bytes -= n.length + v.length;
        return false;
      });
    }
  };
}
