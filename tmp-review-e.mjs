import { httpInterfaces } from './js/wasi/http/imports.mjs';
const i = httpInterfaces({ network: true }, '0.3.0');
const { Fields, Request } = i['wasi:http/types@0.3.0'];
const send = i['wasi:http/client@0.3.0'].send;
const body = new ReadableStream({ start(c) { c.enqueue(new Uint8Array([1,2,3])); } }); // never closes
const [req, transmitted] = Request.new(new Fields(), body, Promise.resolve({ tag: 'ok', val: undefined }), undefined);
req.setMethod({ tag: 'post' }); req.setScheme({ tag: 'HTTP' }); req.setAuthority('127.0.0.1:59999'); req.setPathWithQuery('/');
try { await send(req, {}); } catch (e) { console.log('send failed', e.payload); }
console.log('transmitted', await transmitted);
