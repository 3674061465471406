// `cmbridge serve [options] component.wasm`: a wasi:http service on a node:http server,
// until SIGINT or SIGTERM. One instance answers every request, each in a task of its own
// (serve.mjs); with `--workers N`, N instances in as many worker threads (serve-workers.mjs).
import http from 'node:http';
import { nodeListener } from './node-adapter.mjs';
import { serve } from './serve.mjs';

/** `host:port` (IPv6 in brackets) as { host, port }; throws `usage(message)` when it is not. */
export function parseAddress(addr, usage) {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]+)):(\d+)$/.exec(addr);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw usage(`--addr \`${addr}\`: expected host:port, e.g. 127.0.0.1:8080`);
  return { host: m[1] ?? m[2], port };
}

/**
 * Serves `component` (a Component) with `wasiOptions` at `address` ({ host, port });
 * resolves to the exit code once a signal stopped it. `onListening(url)` says where.
 */
export async function serveCommand(component, wasiOptions, address, { workers = 0, bytes = null, onListening = (url) => console.error(`cmbridge serve: listening on ${url}`) } = {}) {
  const handler = workers > 0
    ? await (await import('./serve-workers.mjs')).serveInWorkers(bytes, wasiOptions, workers)
    : await serve(component, wasiOptions);
  const server = http.createServer(nodeListener(handler));
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, resolve);
  });
  const { port } = server.address();
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  onListening(`http://${host}:${port}/`);
  await new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server.close(() => resolve(handler.close?.()));
      server.closeAllConnections?.();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
