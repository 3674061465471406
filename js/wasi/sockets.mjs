// wasi:sockets 0.3 (`types`: tcp-socket, udp-socket; `ip-name-lookup`), for one set of
// WASI 0.3 imports (preview3.mjs).
//
// In Node with `network: true` the sockets are the shim's (@bytecodealliance/preview3-shim,
// over node:net and node:dgram in a worker thread: WASI's bind, listen and socket options
// are synchronous calls that must report their errors at once, which Node's own socket
// APIs, all asynchronous, cannot; the shim answers them from the worker with a blocking
// wait). docs/decisions.md section 14 says why this one interface stays the shim's.
//
// Everywhere else every socket call fails, as the guest's WIT lets it, before anything
// reaches the network:
// - `network` off (the default, in Node too): `create` and `resolve-addresses` fail with
//   `access-denied`, as in Wasmtime when the embedder has not allowed TCP, UDP or lookups;
// - a page, Deno's or a Service Worker's global without Node's APIs: they fail with
//   `other("... not available here ...")`, the one error code that carries a reason.
// A component that imports wasi:sockets but never opens a socket runs the same in both.

/** An error a WASI import returns as the `error` of its result (README "Values"). */
class SocketCallError extends Error {
  constructor(message, payload) {
    super(message);
    this.name = 'SocketCallError';
    this.payload = payload;
  }
}

// Every member of the 0.3.0 resources, so that an import of any of them links: an
// instance of these classes never exists (`create` is the only way to one), so the
// methods say so if called some other way.
const TCP_METHODS = [
  'bind', 'connect', 'listen', 'send', 'receive', 'getLocalAddress', 'getRemoteAddress', 'getIsListening',
  'getAddressFamily', 'setListenBacklogSize', 'getKeepAliveEnabled', 'setKeepAliveEnabled',
  'getKeepAliveIdleTime', 'setKeepAliveIdleTime', 'getKeepAliveInterval', 'setKeepAliveInterval',
  'getKeepAliveCount', 'setKeepAliveCount', 'getHopLimit', 'setHopLimit', 'getReceiveBufferSize',
  'setReceiveBufferSize', 'getSendBufferSize', 'setSendBufferSize',
];
const UDP_METHODS = [
  'bind', 'connect', 'disconnect', 'send', 'receive', 'getLocalAddress', 'getRemoteAddress', 'getAddressFamily',
  'getUnicastHopLimit', 'setUnicastHopLimit', 'getReceiveBufferSize', 'setReceiveBufferSize',
  'getSendBufferSize', 'setSendBufferSize',
];

function refusingClass(name, methods, refusal) {
  const cls = {
    [name]: class {
      constructor() {
        throw new TypeError(`${name} objects are made by ${name}.create only`);
      }
      static create() {
        throw refusal();
      }
    },
  }[name];
  for (const method of methods) {
    Object.defineProperty(cls.prototype, method, {
      value() {
        throw new TypeError(`${name}.${method}: no ${name} exists here (create always fails)`);
      },
      writable: true,
      configurable: true,
    });
  }
  return cls;
}

/** The refusing interfaces: `payload(what)` gives the error code for "TCP", "UDP" or "name lookup". */
function refusingInterfaces(version, payload, why) {
  const refusal = (what) => () => new SocketCallError(`wasi:sockets: ${what} ${why}`, payload(what));
  return {
    [`wasi:sockets/types@${version}`]: {
      TcpSocket: refusingClass('TcpSocket', TCP_METHODS, refusal('TCP')),
      UdpSocket: refusingClass('UdpSocket', UDP_METHODS, refusal('UDP')),
    },
    [`wasi:sockets/ip-name-lookup@${version}`]: {
      resolveAddresses: (name) => {
        if (typeof name !== 'string') throw new TypeError('resolve-addresses takes a string');
        throw refusal('name lookup')();
      },
    },
  };
}

const NOT_ALLOWED = 'is not allowed: give the WASI option `network: true` (CLI: --network) to allow sockets';
const NOT_HERE = 'is not available here: wasi:sockets needs Node (node:net, node:dgram)';

/** Whether Node's socket APIs (and worker threads, which the shim's sockets run in) are here. */
export function nodeSocketsAvailable(global = globalThis) {
  return typeof global.process?.versions?.node === 'string';
}

/**
 * The wasi:sockets interfaces. `loadShimSockets` gives the shim's `sockets` namespace; it is
 * called only when sockets are allowed and available.
 */
export async function socketInterfaces({ network }, version, loadShimSockets, global = globalThis) {
  if (!nodeSocketsAvailable(global)) {
    return refusingInterfaces(version, (what) => ({ tag: 'other', val: `${what} ${NOT_HERE}` }), NOT_HERE);
  }
  if (!network) return refusingInterfaces(version, () => ({ tag: 'access-denied' }), NOT_ALLOWED);
  const sockets = await loadShimSockets();
  return {
    [`wasi:sockets/types@${version}`]: sockets.types,
    [`wasi:sockets/ip-name-lookup@${version}`]: sockets.ipNameLookup,
  };
}
