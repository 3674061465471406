// The WIT of many component binaries, as wasm-tools prints it (jco's componentWit), for the
// wit_parser seeds. wasm-tools panics on some components (an assertion in wasmparser, an
// unwrap in wit-parser); a panic leaves jco's wasm module unusable ("cannot enter component
// instance") for every later call. So the work runs in a worker thread, and a worker whose
// module panicked is replaced by a fresh one that goes on with the next component.
import { Worker } from 'node:worker_threads';

const WORKER = `
import { parentPort, workerData } from 'node:worker_threads';
const { componentWit } = await import(workerData.jco);
for (let i = workerData.from; i < workerData.items.length; i++) {
  try {
    parentPort.postMessage({ i, wit: await componentWit(workerData.items[i]) });
  } catch (e) {
    const panicked = /unreachable|cannot enter component instance/.test(String(e?.message ?? e));
    parentPort.postMessage({ i, wit: null, panicked });
    if (panicked) break;
  }
}
`;

/** For each binary of `items`, its WIT text, or null when wasm-tools has none for it. */
export async function witOfEach(items) {
  const jco = import.meta.resolve('@bytecodealliance/jco');
  const out = new Array(items.length).fill(null);
  let from = 0;
  while (from < items.length) {
    const last = await new Promise((resolve, reject) => {
      let seen = from - 1;
      const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(WORKER)}`), {
        workerData: { jco, items, from }, stderr: true,
      });
      worker.stderr.resume();  // the panic's message and backtrace: not ours to print
      worker.on('message', ({ i, wit }) => { out[i] = wit; seen = i; });
      worker.on('error', reject);
      worker.on('exit', () => resolve(seen));
    });
    from = last + 1;
  }
  return out;
}
