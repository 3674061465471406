import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { serve } from './js/wasi/http/serve.mjs';
import { nodeListener } from './js/wasi/http/node-adapter.mjs';
const handler = await serve(await readFile('build/wasi-components/http-service-60b6e1846f79f7e6.wasm'), { onError: () => {} });
const server = http.createServer(nodeListener(handler));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const go = (path, body) => new Promise((resolve) => {
  const t0 = Date.now();
  const req = http.request({ agent, port: server.address().port, host: '127.0.0.1', path, method: body ? 'POST' : 'GET' }, (res) => { res.resume(); res.on('end', () => resolve(`${path} ${res.statusCode} in ${Date.now() - t0} ms`)); });
  req.on('error', (e) => resolve(`${path} error ${e.code} in ${Date.now() - t0} ms`));
  req.end(body);
});
console.log(await Promise.race([go('/trap', Buffer.alloc(4 << 20)), new Promise((r) => setTimeout(() => r('trap: TIMEOUT 8s'), 8000))]));
console.log(await Promise.race([go('/hello'), new Promise((r) => setTimeout(() => r('hello: TIMEOUT 8s'), 8000))]));
process.exit(0);
