// Loads the C++ engine (build output js/engine/engine.mjs + engine.wasm) once per realm.
// By default the .wasm is found next to this module (import.meta.url); unusual hosting can
// supply it with configureEngine({ wasm: bytes | URL | Response }) before first use.
import createEngineModule from './engine/engine.mjs';
import { ComponentTrap } from './errors.mjs';

let configured;
let enginePromise;

/** Supplies the engine's .wasm explicitly (bytes, URL or Response). Call before first use. */
export function configureEngine({ wasm } = {}) {
  if (enginePromise) throw new Error('configureEngine() must be called before the engine is first used');
  configured = wasm;
}

async function engineBytes() {
  const source = configured ?? new URL('./engine/engine.wasm', import.meta.url);
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) return source;
  if (typeof Response !== 'undefined' && source instanceof Response) return source.arrayBuffer();
  const url = source instanceof URL ? source : new URL(String(source), import.meta.url);
  if (url.protocol === 'file:') {
    // Node: Emscripten's web loader would fetch() a file path, which Node cannot do.
    const { readFile } = await import('node:fs/promises');
    return readFile(url);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load the engine from ${url}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

export function loadEngine() {
  enginePromise ??= (async () => {
    const wasmBinary = await engineBytes();
    const engine = await createEngineModule({ wasmBinary });
    // The engine throws these for its traps and compile errors (bridge/js_errors.h).
    engine.makeTrap = (message) => new ComponentTrap(message);
    engine.makeCompileError = (message) => new WebAssembly.CompileError(message);
    return engine;
  })();
  return enginePromise;
}
