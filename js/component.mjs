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
    const { plan, wit, importsWit, witError } = compiled;
    this[PLAN] = { plan, wit, importsWit, witError, modules, engine };
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
        throw new WebAssembly.CompileError(`core module ${index} (at byte offset ${offset}): ${e.message}${featureHint(e)}`);
      }
    }));
    return new Component(compiled, modules, engine, PLAN);
  }

  /**
   * Instantiates the component with the host's imports; resolves to { exports }.
   * `options.wit`: WIT text declaring the imports the host provides (a world; the only one
   * in the text, or `options.world`): each function the component imports must be declared
   * with the same type, or this rejects with a WebAssembly.LinkError naming the mismatch.
   * `options.onTrap(error)`: called for a trap no call is waiting for (see trapListener).
   */
  async instantiate(imports, options) {
    if (options !== undefined) checkDeclaredImports(this[PLAN], options);
    const onTrap = trapListener(options);
    const { plan, modules, engine } = this[PLAN];
    const runtime = new Runtime(plan, modules, engine, onTrap);
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

// Toolchains emit extended constant expressions (componentize-qjs does); Node 20's V8 has
// them only behind a flag. Say so rather than leave a bare validation message.
function featureHint(error) {
  const node = globalThis.process?.versions?.node;
  if (!node || Number(node.split('.')[0]) >= 22 || !/not allowed in constant expressions/.test(error.message)) return '';
  return ' (extended constant expressions: Node 20 and 21 need --experimental-wasm-extended-const, or v8.setFlagsFromString with it before compiling; the cmbridge CLI sets it)';
}

// instantiate()'s `onTrap` option: told of a trap that no caller is waiting to hear of
// (guest code that runs after its task returned, a thread it started, a callback after a
// host call settled). By default such a trap is reported as an uncaught error would be:
// `reportError` where the platform has it (a page's `error` event and console), else the
// console. Either way the instance is locked down, as after any trap.
function trapListener(options) {
  const onTrap = options?.onTrap;
  if (onTrap === undefined) return reportUnobservedTrap;
  if (typeof onTrap !== 'function') throw new TypeError('instantiate(imports, { onTrap }): `onTrap` must be a function');
  return onTrap;
}

function reportUnobservedTrap(error) {
  if (typeof globalThis.reportError === 'function' && typeof globalThis.window === 'object') globalThis.reportError(error);
  else console.error('cmbridge: a component instance trapped with no call waiting for it (pass `onTrap` to instantiate() to handle this):', error);
}

// instantiate()'s `wit` option: the engine reads the host's WIT and the component's
// imports (its own printed WIT) and compares them (abi/wit/import_check.h).
function checkDeclaredImports({ engine, importsWit, witError }, options) {
  if (options === null || typeof options !== 'object') throw new TypeError('instantiate(imports, options): options must be an object');
  const { wit, world = '' } = options;
  if (wit === undefined) return;
  if (typeof wit !== 'string') throw new TypeError('instantiate(imports, { wit }): `wit` must be WIT text (a string)');
  if (typeof world !== 'string') throw new TypeError('instantiate(imports, { world }): `world` must be a string');
  if (importsWit === undefined) throw new Error(`the engine could not print this component's WIT: ${witError}`);
  const answer = JSON.parse(engine.checkImportsAgainstWit(importsWit, wit, world));
  if (answer.error) {
    if (answer.error.kind === 'wit') throw new SyntaxError(`the declared WIT: ${answer.error.message}`);
    if (answer.error.kind === 'unreadable') {
      throw new TypeError(`this component's imports have no WIT form, so they cannot be checked against WIT (${answer.error.message})`);
    }
    throw new Error(`engine failure: ${answer.error.message}`);
  }
  if (answer.mismatch) throw new WebAssembly.LinkError(`the component's imports do not match the declared WIT: ${answer.mismatch}`);
}

/** Compiles and instantiates in one step; `options` as for component.instantiate. */
export async function instantiate(source, imports, options) {
  const component = source instanceof Component ? source : await Component.compile(source);
  return component.instantiate(imports, options);
}
