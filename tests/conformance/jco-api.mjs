// Our public API shape (Component.compile / component.instantiate / instance.exports)
// on top of jco's ahead-of-time transpiler: the peer baseline for the WAST run, and a
// check that the harness reads real results correctly.
//   CM_WAST_API=jco node --test tests/conformance/
// Not part of the product. jco needs JSPI for async exports; Node 20 has none, so a
// stand-in `WebAssembly.promising` is installed (enough for the callback ABI only).

import { Worker } from 'node:worker_threads';

WebAssembly.promising ??= (f) => async (...args) => f(...args);

// The transpiler runs in a worker: when it traps on a component it does not support,
// its own wasm instance is dead for good, so the worker is replaced after any failure.
const WORKER_SOURCE = `
  const { parentPort, workerData } = require('node:worker_threads');
  const jco = import(workerData.jcoUrl);
  parentPort.on('message', async ({ id, bytes }) => {
    try {
      const { transpile } = await jco;
      const out = await transpile(bytes, {
        name: 'component', instantiation: 'async', noTypescript: true, quiet: true,
        base64Cutoff: 0, optimize: false,
      });
      parentPort.postMessage({ id, files: out.files });
    } catch (e) {
      parentPort.postMessage({ id, error: String(e && e.message || e) });
    }
  });
`;

let worker = null;
let nextId = 0;
const pending = new Map();

function transpiler() {
  if (worker) return worker;
  worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { jcoUrl: import.meta.resolve('@bytecodealliance/jco') } });
  worker.unref();
  worker.on('message', ({ id, files, error }) => {
    const { resolve } = pending.get(id);
    pending.delete(id);
    resolve({ files, error });
  });
  worker.on('error', (e) => {
    for (const { resolve } of pending.values()) resolve({ error: String(e?.message ?? e) });
    pending.clear();
    worker = null;
  });
  return worker;
}

function transpileInWorker(bytes) {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, { resolve });
    transpiler().postMessage({ id, bytes });
  });
}

let counter = 0;

export const Component = {
  async compile(bytes) {
    const { files, error } = await transpileInWorker(bytes);
    if (error !== undefined) {
      await worker?.terminate();
      worker = null;
      throw new WebAssembly.CompileError(error);
    }
    // In instantiation mode the generated module imports nothing, so it loads from a
    // data: URL (the counter keeps identical sources from sharing one module record).
    const js = new TextDecoder().decode(files['component.js']);
    const url = `data:text/javascript;base64,${Buffer.from(`${js}\n//${counter++}`).toString('base64')}`;
    const mod = await import(url);
    return {
      async instantiate(imports = {}) {
        const exports = await mod.instantiate((file) => WebAssembly.compile(files[file]), imports);
        return { exports };
      },
    };
  },
};
