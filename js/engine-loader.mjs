// Loads the C++ engine (build output js/engine/engine.mjs + engine.wasm) once per realm.
// By default the .wasm is found next to this module (import.meta.url); unusual hosting can
// supply it with configureEngine({ wasm: bytes | URL | Response }) before first use.
// Where code may not be made from strings (a strict Content-Security-Policy: codegen.mjs),
// the engine starts with its strict glue, engine-strict.mjs: the same engine.wasm, with
// embind's per-function invokers built as closures instead of generated source.
import createEngineModule from './engine/engine.mjs';
import { codegenAllowed, disableCodegen } from './codegen.mjs';
import { ComponentTrap } from './errors.mjs';
import { isByteSource, sourceBytes } from './source.mjs';
import { warmUpEngine } from './engine-warmup.mjs';

let configured;
let enginePromise;

/**
 * Before first use: `wasm`, the engine's .wasm given explicitly (bytes, URL or Response);
 * `codegen: false`, never make code from strings (a page with a strict CSP says so up
 * front, rather than have the first attempt reported as a violation).
 */
export function configureEngine(options) {
  const { wasm, codegen } = options ?? {};
  if ((codegen === undefined || wasm !== undefined) && !isByteSource(wasm)) {
    throw new TypeError('configureEngine expects { wasm }: the engine .wasm as a Uint8Array, ArrayBuffer, Response, URL or URL string');
  }
  if (codegen !== undefined && codegen !== false && codegen !== true) throw new TypeError('configureEngine({ codegen }): expected false (or true)');
  if (enginePromise) throw new Error('configureEngine() must be called before the engine is first used');
  if (wasm !== undefined) configured = wasm;
  if (codegen === false) disableCodegen();
}

// The default location is written out as `new URL('<literal>', import.meta.url)` on
// purpose: that is the pattern bundlers (Vite, webpack, Parcel) recognise, so a production
// build ships engine.wasm as an asset and rewrites this URL to where it put it.
function defaultEngineUrl() {
  return new URL('./engine/engine.wasm', import.meta.url);
}

async function startEngine() {
  const source = configured ?? defaultEngineUrl();
  const wasmBinary = await sourceBytes(source, 'the cmbridge engine');
  if (!isWasm(wasmBinary)) throw new Error(`cannot start the cmbridge engine from ${describe(source)}: ${notWasm(wasmBinary)}`);
  let engine;
  try {
    const create = codegenAllowed() ? createEngineModule : (await import('./engine/engine-strict.mjs')).default;
    engine = await create({ wasmBinary });
  } catch (e) {
    // Emscripten reports a .wasm that does not compile as "Aborted(<reason>). Build with…".
    const reason = String(e?.message ?? e).replace(/^Aborted\((.*)\)\..*$/s, '$1');
    throw new Error(`cannot start the cmbridge engine from ${describe(source)}: ${reason}`, { cause: e });
  }
  // The engine throws these for its traps and compile errors (bridge/js_errors.h).
  engine.makeTrap = (message) => new ComponentTrap(message);
  engine.makeCompileError = (message) => new WebAssembly.CompileError(message);
  warmUpEngine(engine);
  return engine;
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

function isWasm(bytes) {
  return WASM_MAGIC.every((b, i) => bytes[i] === b);
}

// A server that answers every path with its index page gives HTML for a missing file; a
// bundler's dev server that pre-bundled the package (Vite's) does so for engine.wasm.
function notWasm(bytes) {
  const start = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart();
  if (!start.startsWith('<')) return 'not a WebAssembly binary';
  return 'not a WebAssembly binary but an HTML page (a server\'s fallback for a missing file? ' +
    'Vite\'s dev server needs optimizeDeps: { exclude: [\'cmbridge\'] })';
}

function describe(source) {
  if (source instanceof URL || typeof source === 'string') return String(source);
  if (typeof Response !== 'undefined' && source instanceof Response) return source.url || 'a Response';
  return `${source.byteLength} bytes`;
}

export function loadEngine() {
  // A failed load is forgotten, so that a later call (after configureEngine, say) retries.
  enginePromise ??= startEngine().catch((e) => {
    enginePromise = undefined;
    throw e;
  });
  return enginePromise;
}
