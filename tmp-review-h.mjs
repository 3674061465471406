import { readFile } from 'node:fs/promises';
import { serve } from './js/wasi/http/serve.mjs';
import { Component } from './js/component.mjs';
let n = 0;
const orig = Component.prototype.instantiate;
Component.prototype.instantiate = function (...a) { n++; return orig.apply(this, a); };
const errors = [];
const handler = await serve(await readFile('build/wasi-components/http-service-60b6e1846f79f7e6.wasm'), { onError: (e) => errors.push(e.message) });
console.log('instances', n);
for (let i = 0; i < 3; i++) {
  const r = await handler(new Request('http://x/hello', { signal: AbortSignal.abort(new Error('the client disconnected')) }));
  console.log(r.status);
}
await (await handler(new Request('http://x/hello'))).text();
console.log('instances', n, errors);
