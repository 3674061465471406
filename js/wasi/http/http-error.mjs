// The error a wasi:http host function throws to answer `err(e)`: the runtime turns a thrown
// error's `payload` into the result's error value (README "Values"). One class for every
// error type of wasi:http/types (header-error, request-options-error, error-code), so that
// an embedder catching what `serve()` or `client.send` gives can read `.payload.tag`.

export class HttpError extends Error {
  /** `payload`: the WIT error value, e.g. `{ tag: 'connection-refused' }`. */
  constructor(payload, message = undefined, options = undefined) {
    super(message ?? describe(payload), options);
    this.name = 'HttpError';
    this.payload = payload;
  }
}

function describe(payload) {
  if (payload === undefined) return 'wasi:http error';
  if (payload.val === undefined) return `wasi:http error ${payload?.tag}`;
  return `wasi:http error ${payload.tag}: ${typeof payload.val === 'string' ? payload.val : JSON.stringify(payload.val, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`;
}

/** Throws `err({ tag })` (with `val` when given) from a host function. */
export function fail(tag, val = undefined, message = undefined) {
  throw new HttpError(val === undefined ? { tag } : { tag, val }, message);
}

/** Throws the plain `err` of a `result` without an error type (`set-method`, ...). */
export function refuse(message) {
  throw new HttpError(undefined, message);
}

/** `error-code.internal-error(some(message))`. */
export const internalError = (message) => ({ tag: 'internal-error', val: message });
