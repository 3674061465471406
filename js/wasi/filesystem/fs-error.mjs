// A wasi:filesystem error-code as a throw: the bridge makes a throw with a `payload` the
// error of the function's result (README "Values"), and the stream/future pairs of
// read-via-stream and read-directory carry the payload as `{ tag: 'err', val }`.
export class FsError extends Error {
  constructor(code, message = code) {
    super(message);
    this.name = 'FsError';
    this.payload = { tag: code };
  }
}

export const ok = () => ({ tag: 'ok', val: undefined });
export const err = (code) => ({ tag: 'err', val: { tag: code } });

/** A caught error as the error-code payload it carries (anything else is `io`). */
export function codeOf(e) {
  return e?.payload?.tag !== undefined ? e.payload : { tag: 'io' };
}
