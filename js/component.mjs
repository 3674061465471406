// The public entry points: Component.compile(source) and component.instantiate(imports).
import { loadEngine } from './engine-loader.mjs';
import { sourceBytes } from './source.mjs';
import { callWithComponent } from './engine-call.mjs';
import { Runtime } from './runtime/linker.mjs';

const PLAN = Symbol('plan');

export class Component {
  /** Use Component.compile(). */
  constructor(compiled, modules, engine, token) {
    if (token !== PLAN) throw new TypeError('use Component.compile(source) to create a Component');
    this[PLAN] = { plan: compiled.plan, wit: compiled.wit, witError: compiled.witError, modules, engine };
  }

  /**
   * Compiles a component binary: Uint8Array | ArrayBuffer | Response | Promise<Response> | URL.
   * An invalid binary rejects with a WebAssembly.CompileError naming the byte offset and rule.
   */
  static async compile(source) {
    const bytes = await sourceBytes(source);
    const engine = await loadEngine();
    const compiled = callWithComponent(engine, 'compileComponent', bytes);  // { plan, wit }
    const modules = await Promise.all(compiled.plan.modules.map(async ({ offset, size }, index) => {
      try {
        return await WebAssembly.compile(bytes.subarray(offset, offset + size));
      } catch (e) {
        throw new WebAssembly.CompileError(`core module ${index} (at byte offset ${offset}): ${e.message}`);
      }
    }));
    return new Component(compiled, modules, engine, PLAN);
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

  /**
   * The component's imports and exports as WIT text (a `world` and the interfaces it
   * names), printed by the engine from the binary's validated types.
   */
  wit() {
    const { wit, witError } = this[PLAN];
    if (wit === undefined) throw new Error(`the engine could not print this component's WIT: ${witError}`);
    return wit;
  }
}

/** Compiles and instantiates in one step. */
export async function instantiate(source, imports) {
  const component = source instanceof Component ? source : await Component.compile(source);
  return component.instantiate(imports);
}
