// `npm start`: builds what is missing, runs the example component in Node (printing the
// results of a few calls), then serves the demo page on 127.0.0.1 until interrupted.
//   PORT=8080 npm start        choose the port (default 8080; 0 picks a free one)
//   npm start -- --no-serve    only the Node run
import { ensureNodeModules, ensureTools } from './prerequisites.mjs';
import { buildExamples, buildWasm } from './build.mjs';

ensureTools(['emcc', 'cmake', 'ninja']);
ensureNodeModules();
buildWasm();
await buildExamples();

const { instantiate } = await import('../js/index.mjs');
const { readFile } = await import('node:fs/promises');
const bytes = await readFile(new URL('../web-demo/components/hello.wasm', import.meta.url));
const { exports } = await instantiate(bytes, { log: (message) => console.log(`  [guest log] ${message}`) });

console.log('web-demo/components/hello.wasm, instantiated in Node:');
const show = (v) => (typeof v === 'string' ? JSON.stringify(v) : v instanceof Uint8Array ? `Uint8Array [${[...v].join(', ')}]` : String(v));
console.log(`  add(2, 40)          = ${show(exports.add(2, 40))}`);
console.log(`  greet("Node")       = ${show(exports.greet('Node'))}`);
console.log(`  sum([1.5, 2.25, 3]) = ${show(exports.sum([1.5, 2.25, 3]))}`);
console.log(`  reverse([1, 2, 3])  = ${show(exports.reverse(new Uint8Array([1, 2, 3])))}`);

if (!process.argv.includes('--no-serve')) {
  const { startServer } = await import('./serve.mjs');
  const { url } = await startServer({ port: Number(process.env.PORT ?? 8080) });
  console.log(`\nThe demo page: ${url}/web-demo/   (Ctrl-C to stop)`);
}
