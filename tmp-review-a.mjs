import http from 'node:http';
import { nodeListener } from './js/wasi/http/node-adapter.mjs';
process.on('uncaughtException', (e) => { console.log('UNCAUGHT', e.code, e.message); process.exit(0); });
const handler = async (request) => {
  // Read one chunk, then cancel (as a guest dropping its body stream would)
  const reader = request.body.getReader();
  await reader.read();
  await reader.cancel(new Error('guest dropped'));
  return new Response('early\n', { status: 413 });
};
const server = http.createServer(nodeListener(handler));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;
const req = http.request({ port, method: 'POST', path: '/', host: '127.0.0.1' }, (res) => { res.resume(); res.on('end', () => { console.log('status', res.statusCode); setTimeout(() => { console.log('no crash'); process.exit(0); }, 300); }); });
req.write(Buffer.alloc(1000));
setTimeout(() => { req.write(Buffer.alloc(100000)); req.end(); }, 100);
