// The options every WASI provider here takes, checked once:
//   args:     string[]                    what wasi:cli/environment get-arguments returns
//                                         (a command line passes the program name first)
//   env:      { NAME: 'value' }           the environment; nothing of the host's by default
//   preopens: { '/guest/path': 'host/dir' } directories the guest may open; none by default
//   network:  boolean                     wasi:sockets and outgoing wasi:http; off by default
const KNOWN = new Set(['args', 'env', 'preopens', 'network']);

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
    preopens: stringRecord(options.preopens, 'preopens'),
    network: options.network === undefined ? false : checkBoolean(options.network, 'network'),
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

function checkBoolean(value, name) {
  if (typeof value !== 'boolean') throw new TypeError(`WASI option \`${name}\` must be a boolean`);
  return value;
}
