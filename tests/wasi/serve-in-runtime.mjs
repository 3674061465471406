// Run by tests/wasi/runtimes.test.mjs under Deno and Bun: serve() given straight to the
// runtime's own server (Deno.serve, Bun.serve), three requests over its fetch(), the
// answers printed on one line. argv: the service component's path.
import { serve } from '../../js/wasi/index.mjs';

const file = globalThis.Deno ? Deno.args[0] : Bun.argv[2];
const bytes = globalThis.Deno ? await Deno.readFile(file) : await Bun.file(file).bytes();
const handler = await serve(bytes);
let server;
let url;
if (globalThis.Deno) {
  server = Deno.serve({ port: 0, hostname: '127.0.0.1', onListen() {} }, handler);
  url = `http://127.0.0.1:${server.addr.port}/`;
} else {
  server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: handler });
  url = `http://127.0.0.1:${server.port}/`;
}
const answers = await Promise.all([1, 2, 3].map(() => fetch(url).then(async (r) => `${r.status} ${await r.text()}`)));
console.log(answers.join(' | '));
await (globalThis.Deno ? server.shutdown() : server.stop(true));
