import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { serve } from './js/wasi/http/serve.mjs';
import { nodeListener } from './js/wasi/http/node-adapter.mjs';
process.on('uncaughtException', (e) => { console.log('UNCAUGHT (would crash the server):', e.code, e.message); process.exit(0); });
const handler = await serve(await readFile('build/wasi-components/http-service-60b6e1846f79f7e6.wasm'), { onError: () => {} });
const server = http.createServer(nodeListener(handler));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
for (const size of [10, 1 << 20]) {
  const r = await fetch(`http://127.0.0.1:${server.address().port}/hello`, { method: 'POST', body: new Uint8Array(size) });
  console.log(size, r.status, await r.text());
}
await new Promise((r) => setTimeout(r, 300));
console.log('no crash'); process.exit(0);
