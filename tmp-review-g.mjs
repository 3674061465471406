import { readFile } from 'node:fs/promises';
import { serve } from './js/wasi/http/serve.mjs';
import { Body } from './js/wasi/http/body.mjs';
const orig = Body.prototype.consume;
Body.prototype.consume = function (res) { console.log('consume: onConsumed set?', typeof this.onConsumed); return orig.call(this, res); };
const handler = await serve(await readFile('build/wasi-components/http-service-60b6e1846f79f7e6.wasm'));
const r = await handler(new Request('http://x/echo', { method: 'POST', body: 'abc' }));
console.log(r.status, await r.text());
