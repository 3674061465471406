import http from 'node:http';
import { nodeListener } from './js/wasi/http/node-adapter.mjs';
let pulls = 0, cancelled = false, finished = false;
const handler = async () => {
  await new Promise((r) => setTimeout(r, 200));
  return new Response(new ReadableStream({ pull(c) { pulls++; c.enqueue(new Uint8Array(1024)); }, cancel() { cancelled = true; } }));
};
const listener = nodeListener(handler, { onError: (e) => console.log('onError', e.message) });
const server = http.createServer(async (req, res) => { await listener(req, res); finished = true; });
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const req = http.get({ port: server.address().port, host: '127.0.0.1', path: '/' });
req.on('error', () => {});
setTimeout(() => req.destroy(), 50);
setTimeout(() => { console.log({ pulls, cancelled, listenerFinished: finished }); process.exit(0); }, 1500);
