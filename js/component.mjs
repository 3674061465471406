// The public entry points: Component.compile(source) and component.instantiate(imports).
import { loadEngine } from './engine-loader.mjs';
import { sourceBytes } from './source.mjs';
import { Runtime } from './runtime/linker.mjs';

const PLAN = Symbol('plan');

export class Component {
  /** Use Component.compile(). */
  constructor(plan, modules, engine, token) {
    if (token !== PLAN) throw new TypeError('use Component.compile(source) to create a Component');
    this[PLAN] = { plan, modules, engine };
  }

  /**
   * Compiles a component binary: Uint8Array | ArrayBuffer | Response | Promise<Response> | URL.
   * An invalid binary rejects with a WebAssembly.CompileError naming the byte offset and rule.
   */
  static async compile(source) {
    const bytes = await sourceBytes(source);
    const engine = await loadEngine();
    const plan = compilePlan(engine, bytes);
    const modules = await Promise.all(plan.modules.map(async ({ offset, size }, index) => {
      try {
        return await WebAssembly.compile(bytes.subarray(offset, offset + size));
      } catch (e) {
        throw new WebAssembly.CompileError(`core module ${index} (at byte offset ${offset}): ${e.message}${featureHint(e)}`);
      }
    }));
    return new Component(plan, modules, engine, PLAN);
  }

  /** Instantiates the component with the host's imports; resolves to { exports }. */
  async instantiate(imports) {
    const { plan, modules, engine } = this[PLAN];
    const runtime = new Runtime(plan, modules, engine);
    const exports = await runtime.instantiate(imports);
    return { exports, taskTree: () => runtime.taskTree() };
  }

  /** The plan the engine made (for tools and tests). */
  get plan() {
    return this[PLAN].plan;
  }
}

// Toolchains emit extended constant expressions (componentize-qjs does); Node 20's V8 has
// them only behind a flag. Say so rather than leave a bare validation message.
function featureHint(error) {
  const node = globalThis.process?.versions?.node;
  if (!node || Number(node.split('.')[0]) >= 22 || !/not allowed in constant expressions/.test(error.message)) return '';
  return ' (extended constant expressions: Node 20 and 21 need --experimental-wasm-extended-const, or v8.setFlagsFromString with it before compiling; the cmbridge CLI sets it)';
}

function compilePlan(engine, bytes) {
  const ptr = engine._malloc(Math.max(bytes.length, 1));
  let json;
  try {
    engine.HEAPU8.set(bytes, ptr);
    json = engine.compileComponent(ptr, bytes.length);
  } finally {
    engine._free(ptr);
  }
  const plan = JSON.parse(json);
  if (plan.error) {
    if (plan.error.kind === 'compile') throw new WebAssembly.CompileError(plan.error.message);
    throw new Error(`engine failure: ${plan.error.message}`);
  }
  return plan;
}

/** Compiles and instantiates in one step. */
export async function instantiate(source, imports) {
  const component = source instanceof Component ? source : await Component.compile(source);
  return component.instantiate(imports);
}
