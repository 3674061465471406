import { httpInterfaces } from './js/wasi/http/imports.mjs';
const i = httpInterfaces({ network: true }, '0.3.0');
const { Fields, Request } = i['wasi:http/types@0.3.0'];
const send = i['wasi:http/client@0.3.0'].send;
const body = new ReadableStream({ start(c) {} }); // guest holds its writer open
const [req] = Request.new(new Fields(), body, Promise.resolve({ tag: 'ok', val: undefined }), undefined);
req.setScheme({ tag: 'HTTP' }); req.setAuthority('127.0.0.1:59999'); req.setPathWithQuery('/');
const ac = new AbortController();
const p = send(req, { signal: ac.signal }).then((r) => 'resolved', (e) => 'rejected ' + e.message);
setTimeout(() => ac.abort(new Error('guest cancelled')), 100);
console.log(await Promise.race([p, new Promise((r) => setTimeout(() => r('still pending 1s after cancel'), 1100))]));
process.exit(0);
