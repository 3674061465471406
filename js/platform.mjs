// What this package uses that not every JavaScript engine has, in one place. WebKit
// (Safari) has no byte streams (`new ReadableStream({ type: 'bytes' })` throws: there is no
// ReadableByteStreamController) and no `Symbol.dispose`.

/**
 * The key of explicit resource management's dispose method: `Symbol.dispose`, or where the
 * engine has none, `Symbol.for('dispose')` (where jco's shims look for it too).
 */
export const DISPOSE = Symbol.dispose ?? Symbol.for('dispose');

const byteStreams = typeof ReadableByteStreamController === 'function';

/**
 * A ReadableStream of bytes over underlying byte source `source`: a byte stream where the
 * engine has them (a BYOB reader can then read into its own buffer), else a plain stream of
 * Uint8Array chunks; `source.pull` finds no `byobRequest` then, as with a default reader.
 */
export function byteStream(source, strategy) {
  if (byteStreams) source.type = 'bytes';
  return new ReadableStream(source, strategy);
}
