// The options every WASI provider here takes, checked once:
//   args:     string[]                    what wasi:cli/environment get-arguments returns
//                                         (a command line passes the program name first)
//   env:      { NAME: 'value' }           the environment; nothing of the host's by default
//   preopens: { '/guest/path': 'host/dir' } directories the guest may open; none by default
//             (WASI 0.3: a value may be a MemoryDirectory instead, in pages the only kind)
//   network:  boolean                     wasi:sockets and outgoing wasi:http; off by default
//   http:     { fetch?, forbiddenHeaders? } WASI 0.3's wasi:http: the fetch() requests go
//                                         out through, header names a guest may not set
//   stdin, stdout, stderr                 WASI 0.3: a ReadableStream (or bytes, or a string)
//                                         and WritableStreams (p3-embedder-stdio.mjs)
import { checkStdio } from './p3-embedder-stdio.mjs';
import { MemoryDirectory } from './filesystem/memory-directory.mjs';

const KNOWN = new Set(['args', 'env', 'preopens', 'network', 'http', 'stdin', 'stdout', 'stderr']);

export function checkWasiOptions(options = {}) {
  if (options === null || typeof options !== 'object') throw new TypeError('WASI options must be an object');
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new TypeError(`unknown WASI option \`${key}\` (known: ${[...KNOWN].join(', ')})`);
  }
  const args = options.args ?? [];
  if (!Array.isArray(args) || args.some((a) => typeof a !== 'string')) {
    throw new TypeError('WASI option `args` must be an array of strings');
  }
  return {
    args: [...args],
    env: stringRecord(options.env, 'env'),
    preopens: preopensRecord(options.preopens),
    network: options.network === undefined ? false : checkBoolean(options.network, 'network'),
    http: checkHttp(options.http),
    stdio: checkStdio(options),
  };
}

function stringRecord(value, name) {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`WASI option \`${name}\` must be an object of strings`);
  }
  const out = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new TypeError(`WASI option \`${name}\`: the value of \`${key}\` must be a string`);
    out[key] = v;
  }
  return out;
}

function preopensRecord(value) {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError('WASI option `preopens` must be an object: { guestPath: hostPath or MemoryDirectory }');
  }
  const out = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string' && !(v instanceof MemoryDirectory)) {
      throw new TypeError(`WASI option \`preopens\`: the value of \`${key}\` must be a host directory's path or a MemoryDirectory`);
    }
    out[key] = v;
  }
  return out;
}

function checkHttp(http) {
  if (http === undefined) return {};
  if (http === null || typeof http !== 'object') throw new TypeError('WASI option `http` must be an object');
  for (const key of Object.keys(http)) {
    if (key !== 'fetch' && key !== 'forbiddenHeaders') throw new TypeError(`unknown WASI option \`http.${key}\` (known: fetch, forbiddenHeaders)`);
  }
  if (http.fetch !== undefined && typeof http.fetch !== 'function') throw new TypeError('WASI option `http.fetch` must be a function');
  const forbidden = http.forbiddenHeaders ?? [];
  if (!Array.isArray(forbidden) || forbidden.some((n) => typeof n !== 'string')) {
    throw new TypeError('WASI option `http.forbiddenHeaders` must be an array of header names');
  }
  return { fetch: http.fetch, forbiddenHeaders: [...forbidden] };
}

function checkBoolean(value, name) {
  if (typeof value !== 'boolean') throw new TypeError(`WASI option \`${name}\` must be a boolean`);
  return value;
}
