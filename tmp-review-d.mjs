import http from 'node:http';
import { httpInterfaces } from './js/wasi/http/imports.mjs';
const server = http.createServer((req, res) => setTimeout(() => res.end('ok'), 50));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const i = httpInterfaces({ network: true }, '0.3.0');
const { Fields, Request, RequestOptions } = i['wasi:http/types@0.3.0'];
const send = i['wasi:http/client@0.3.0'].send;
const opts = new RequestOptions();
opts.setFirstByteTimeout(18446744073709551615n);
const [req] = Request.new(new Fields(), undefined, Promise.resolve({ tag: 'ok', val: undefined }), opts);
req.setScheme({ tag: 'HTTP' }); req.setAuthority(`127.0.0.1:${server.address().port}`); req.setPathWithQuery('/');
try { const r = await send(req, {}); console.log('status', r.getStatusCode()); } catch (e) { console.log('failed', e.payload, e.message); }
server.close();
