import { Readable } from 'node:stream';
import { httpInterfaces } from './js/wasi/http/imports.mjs';
// an embedder's fetch double / proxy whose body yields node Buffers (pooled)
const fetch = async () => new globalThis.Response(Readable.toWeb(Readable.from([Buffer.from('hello'), Buffer.from('world')])));
const i = httpInterfaces({ network: true, http: { fetch } }, '0.3.0');
const { Fields, Request, Response } = i['wasi:http/types@0.3.0'];
const [req] = Request.new(new Fields(), undefined, Promise.resolve({ tag: 'ok', val: undefined }), undefined);
req.setScheme({ tag: 'HTTP' }); req.setAuthority('example.com'); req.setPathWithQuery('/');
const res = await i['wasi:http/client@0.3.0'].send(req, {});
const [stream] = Response.consumeBody(res, undefined);
const r = stream.getReader();
let out = ''; for (;;) { const { value, done } = await r.read(); if (done) break; out += new TextDecoder().decode(value); }
process._rawDebug('read: ' + JSON.stringify(out));
const x = Buffer.from('after'); process._rawDebug('Buffer.from after: ' + JSON.stringify(x.toString()));
