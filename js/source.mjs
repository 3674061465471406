// Turns what the user gave Component.compile (or configureEngine) into bytes:
// Uint8Array | ArrayBuffer | ArrayBufferView | Response | Promise<Response> | URL | string path/URL.
import { readFileUrl } from './node-file.mjs';

/** Whether `source` is something sourceBytes can read (a Promise is checked once settled). */
export function isByteSource(source) {
  return source instanceof ArrayBuffer || ArrayBuffer.isView(source) || source instanceof URL ||
    typeof source === 'string' || isResponse(source);
}

/**
 * `what` names what is being loaded in error messages ('a component', 'the engine').
 * `onBytes(loaded, total)`, if given, is told how many bytes of a Response's body have
 * arrived (total: its content-length, or undefined), as they arrive.
 */
export async function sourceBytes(source, what = 'a component', onBytes = null) {
  source = await source;
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  if (source instanceof URL || typeof source === 'string') {
    const url = source instanceof URL ? source : toUrl(source);
    let response;
    try {
      if (url.protocol === 'file:') return await readFileUrl(url);
      response = await fetch(url);
    } catch (e) {
      throw new Error(`cannot load ${what} from ${url}: ${e.message}`, { cause: e });
    }
    return sourceBytes(response, what, onBytes);
  }
  if (isResponse(source)) {
    if (!source.ok) throw new TypeError(`cannot load ${what} from ${source.url || 'a failed response'}: HTTP ${source.status}`);
    if (onBytes === null || !source.body) return new Uint8Array(await source.arrayBuffer());
    return readCounting(source, onBytes);
  }
  throw new TypeError('Component.compile expects a Uint8Array, ArrayBuffer, Response, Promise<Response> or URL');
}

// A Response's body read chunk by chunk, telling `onBytes` as it goes (a content-length
// sizes the result at once; without one, the chunks are joined at the end).
async function readCounting(response, onBytes) {
  const declared = Number(response.headers.get('content-length'));
  const total = Number.isSafeInteger(declared) && declared > 0 ? declared : undefined;
  const chunks = [];
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onBytes(loaded, total);
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

// Node defines the global `Response` lazily: the first read of it loads its fetch
// implementation (about 8 ms). Only a source that is none of the cheaper kinds reads it.
function isResponse(source) {
  return typeof Response !== 'undefined' && source instanceof Response;
}

function toUrl(text) {
  try {
    return new URL(text);
  } catch {
    // A bare path: relative to the working directory in Node, to the page in a browser.
    if (typeof process !== 'undefined' && process.versions?.node) {
      const { pathToFileURL } = globalThis.process.getBuiltinModule?.('node:url') ?? {};
      if (pathToFileURL) return pathToFileURL(text);
      return new URL(`file://${text.startsWith('/') ? '' : `${process.cwd()}/`}${text}`);
    }
    return new URL(text, globalThis.location?.href);
  }
}
