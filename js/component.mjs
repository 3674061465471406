// The public entry points: Component.compile(source) and component.instantiate(imports).
import { loadEngine } from './engine-loader.mjs';
import { sourceBytes } from './source.mjs';
import { callWithComponent } from './engine-call.mjs';
import { DEFAULT_MAX_LIFTED_BYTES, Runtime } from './runtime/linker.mjs';
import { hasJspi, mayNeedSuspension, syncLowerMayBlock } from './runtime/async/jspi.mjs';
import { asyncifyModules } from './runtime/async/asyncify-transform.mjs';
import { DISPOSE } from './platform.mjs';
import { describeExports, describeImports } from './reflection.mjs';

const PLAN = Symbol('plan');

// Core modules up to this size compile synchronously. Asynchronous compiles run on the
// engine's background threads, and just after the engine itself was loaded those are busy
// optimizing it: a 1 KB module then waited 50 ms for its turn (Node 20 on 2 cores), where
// compiling it on the spot takes well under 1 ms. Larger modules compile in the background
// and leave the thread free (V8 compiles 1 MiB in a few ms; older Chromium refused
// synchronous compiles of more than 4 KB on a page's main thread, hence the fallback).
const SYNC_COMPILE_LIMIT = 1 << 20;

function compileCore(bytes) {
  if (bytes.length <= SYNC_COMPILE_LIMIT) {
    try {
      return new WebAssembly.Module(bytes);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
    }
  }
  return WebAssembly.compile(bytes);
}

// The component's core modules larger than SYNC_COMPILE_LIMIT, nested ones included,
// compiling in the background: offset of the module's bytes -> Promise<WebAssembly.Module>.
// Read off the binary's section headers with no validation; the engine validates the whole
// binary next and, if it refuses it, these results are dropped. (Such modules are a
// toolchain's runtime: 1.3 MB of QuickJS, 12.5 MB of StarlingMonkey.)
function startLargeCoreCompiles(bytes) {
  const early = new Map();
  scanForLargeCoreModules(bytes, 0, bytes.length, early);
  return early;
}

// The core module sections of the component in bytes[start, end), and of the components
// nested in it (toolchains that compose, componentize-qjs among them, nest their runtime).
function scanForLargeCoreModules(bytes, start, end, early) {
  // A component's preamble: magic, version 0x0d, layer 1.
  if (end - start < 8 || bytes[start + 4] !== 0x0d || bytes[start + 5] !== 0 || bytes[start + 6] !== 1 || bytes[start + 7] !== 0) return;
  let pos = start + 8;
  while (pos < end) {
    const id = bytes[pos++];
    let size = 0;
    let shift = 0;
    let byte;
    do {
      if (pos >= end || shift > 28) return;
      byte = bytes[pos++];
      size += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    if (pos + size > end) return;
    if (id === CORE_MODULE_SECTION && size > SYNC_COMPILE_LIMIT) {
      const compiling = WebAssembly.compile(bytes.subarray(pos, pos + size));
      // Handled here so that a failure is no unhandled rejection while the engine works;
      // it still reaches whoever awaits the promise.
      compiling.catch(() => {});
      early.set(pos, compiling);
    } else if (id === COMPONENT_SECTION) {
      scanForLargeCoreModules(bytes, pos, pos + size, early);
    }
    pos += size;
  }
}

const moduleBytes = (bytes, { offset, size }) => bytes.subarray(offset, offset + size);

const CORE_MODULE_SECTION = 1;
const COMPONENT_SECTION = 4;

// The engine keeps what it compiled of each component (its world, to print WIT on demand,
// and its plan's types: bridge/compiled_components.h) under an id; it lets go of it when
// the Component is garbage (a Runtime holds its Component while it lives).
const worlds = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry(({ engine, world }) => engine.releaseWorld(world))
  : null;

export class Component {
  /** Use Component.compile(). */
  constructor(compiled, modules, engine, token, asyncified = null) {
    if (token !== PLAN) throw new TypeError('use Component.compile(source) to create a Component');
    const { plan, world } = compiled;
    this[PLAN] = { plan, world, witInfo: null, modules, engine, asyncified };
    worlds?.register(this, { engine, world });
  }

  /**
   * Compiles a component binary: Uint8Array | ArrayBuffer | Response | Promise<Response> | URL.
   * An invalid binary rejects with a WebAssembly.CompileError naming the byte offset and rule.
   * `options.suspendWith`: how a guest stack that must wait is suspended: 'auto' (the
   * default: JSPI where the engine has it, else Asyncify), 'jspi' (never rewrite: where the
   * engine lacks JSPI, such a wait traps) or 'asyncify' (rewrite the core modules that may
   * wait with Binaryen's Asyncify even where JSPI exists).
   */
  static async compile(source, options) {
    const suspendWith = suspensionChoice(options);
    const progress = progressReporter(options);
    // The engine loads (and warms up: engine-warmup.mjs) while the source arrives.
    const [bytes, engine] = await Promise.all([
      sourceBytes(source, 'a component', progress && ((loaded, total) => progress({ phase: 'download', loaded, total }))),
      loadEngine(),
    ]);
    progress?.({ phase: 'download', loaded: bytes.length, total: bytes.length });
    // Large core modules compile in the background, and finish before the engine reads the
    // component: run alongside the engine's work, V8 finished a 1.3 MB module's compile
    // 75 ms after the engine returned instead of 7 ms after it began (Node 20, 2 cores).
    const early = startLargeCoreCompiles(bytes);
    await Promise.allSettled(early.values());
    const compiled = callWithComponent(engine, 'compileComponent', bytes);  // { plan, world }
    const moduleCount = compiled.plan.modules.length;
    let modulesDone = 0;
    progress?.({ phase: 'validated', loaded: 0, total: moduleCount });
    // Without JSPI, modules where a guest stack may wait are rewritten for Asyncify.
    const asyncify = suspendWith === 'asyncify' || (suspendWith === 'auto' && !hasJspi());
    const rewritten = asyncify && mayNeedSuspension(compiled.plan)
      ? await asyncifyModules(compiled.plan, (i) => moduleBytes(bytes, compiled.plan.modules[i]), undefined, { auto: suspendWith === 'auto' })
      : null;
    const modules = await Promise.all(compiled.plan.modules.map(async ({ offset, size }, index) => {
      let module;
      try {
        if (rewritten?.has(index)) module = await compileCore(rewritten.get(index));
        else module = await (early.get(offset) ?? compileCore(moduleBytes(bytes, { offset, size })));
      } catch (e) {
        throw new WebAssembly.CompileError(`core module ${index} (at byte offset ${offset}): ${e.message}${featureHint(e)}`);
      }
      progress?.({ phase: 'modules', loaded: ++modulesDone, total: moduleCount });
      return module;
    }));
    const component = new Component(compiled, modules, engine, PLAN, rewritten ? new Set(rewritten.keys()) : null);
    progress?.({ phase: 'done', loaded: moduleCount, total: moduleCount });
    // Where stacks would be unwound, instantiate's suspendingImports may make more of them
    // block: the bytes are kept to rewrite the modules that then need it.
    if (asyncify) component[PLAN].bytes = bytes;
    return component;
  }

  /**
   * Instantiates the component with the host's imports; resolves to { exports }.
   * `options.wit`: WIT text declaring the imports the host provides (a world; the only one
   * in the text, or `options.world`): each function the component imports must be declared
   * with the same type, or this rejects with a WebAssembly.LinkError naming the mismatch.
   * `options.onTrap(error)`: called for a trap no call is waiting for (see trapListener).
   * `options.suspendingImports`: synchronous imports whose host functions may return a
   * Promise, which the guest then waits for (JSPI; see suspendingImports).
   * `options.maxLiftedBytes`: how many bytes of strings and lists one value (a call's
   * arguments, a result, a stream copy) may copy out of guest memory before lifting traps
   * (default 2^29: see liftLimit).
   */
  async instantiate(imports, options) {
    if (options !== undefined) checkDeclaredImports(this[PLAN], options);
    const onTrap = trapListener(options);
    const suspends = suspendingImports(options, this[PLAN]);
    const maxLiftedBytes = liftLimit(options);
    const { plan, engine } = this[PLAN];
    const { modules, asyncified } = suspends === null || hasJspiFor(this[PLAN]) ? this[PLAN] : await suspendingModules(this[PLAN], suspends);
    // The runtime holds this Component: the engine keeps the compiled component (its plan's
    // types, which stream and future built-ins name by index) while either lives.
    const runtime = new Runtime(plan, modules, engine, { onTrap, suspends, maxLiftedBytes, component: this, compiledId: this[PLAN].world, asyncified });
    let exports;
    try {
      exports = await runtime.instantiate(imports);
    } catch (e) {
      runtime.dispose();  // its engine memory back now, not at the next GC
      throw e;
    }
    const dispose = () => runtime.dispose();
    return { exports, taskTree: () => runtime.taskTree(), dispose, [DISPOSE]: dispose };
  }

  /**
   * What the component imports, as data ([{ name, kind, ... }]: js/reflection.mjs), in the
   * spirit of WebAssembly.Module.imports.
   */
  imports() {
    return describeImports(this[PLAN].plan);
  }

  /** What the component exports, as data (js/reflection.mjs), in the spirit of WebAssembly.Module.exports. */
  exports() {
    return describeExports(this[PLAN].plan);
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
    const { wit, witError } = witInfo(this[PLAN]);
    if (wit === undefined) throw new Error(`the engine could not print this component's WIT: ${witError}`);
    return wit;
  }
}

// compile()'s `suspendWith` option.
function suspensionChoice(options) {
  if (options === undefined) return 'auto';
  if (options === null || typeof options !== 'object') throw new TypeError('Component.compile(source, options): options must be an object');
  const choice = options.suspendWith ?? 'auto';
  if (choice !== 'auto' && choice !== 'jspi' && choice !== 'asyncify') {
    throw new TypeError("Component.compile(source, { suspendWith }): expected 'auto', 'jspi' or 'asyncify'");
  }
  return choice;
}

// compile()'s `onProgress` option: a function told of each step, or null. (One that throws
// fails the compile with its error, as any code of the caller's on the way would.)
function progressReporter(options) {
  const onProgress = options?.onProgress;
  if (onProgress === undefined) return null;
  if (typeof onProgress !== 'function') throw new TypeError('Component.compile(source, { onProgress }): expected a function');
  return onProgress;
}

// { wit, importsWit } or { witError }, printed by the engine the first time it is asked for.
function witInfo(compiled) {
  return (compiled.witInfo ??= JSON.parse(compiled.engine.componentWit(compiled.world)));
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

// instantiate()'s `maxLiftedBytes` option. A guest may legally return a list of a thousand
// strings that all point at one 1 MiB string: lifting makes a GiB of JS strings, and the JS
// engine dies of an out-of-memory error no host can catch. Counting the bytes each lift
// copies out of guest memory turns that into a trap. The default is twice the largest
// single string or list the Canonical ABI allows.
function liftLimit(options) {
  const limit = options?.maxLiftedBytes;
  if (limit === undefined) return DEFAULT_MAX_LIFTED_BYTES;
  if (typeof limit !== 'number' || !(limit >= 0) || (limit !== Infinity && !Number.isSafeInteger(limit))) {
    throw new TypeError('instantiate(imports, { maxLiftedBytes }): expected a whole number of bytes (or Infinity)');
  }
  return limit;
}

// Whether instances of this component suspend stacks with JSPI (else Asyncify, and the
// compile kept the bytes).
const hasJspiFor = (compiled) => compiled.bytes === undefined;

// The modules and the set of rewritten ones for instances whose suspendingImports block
// (Asyncify): every sync lower of a suspending host import, and of another component's
// function (it may reach one), may now block. Made once per set of such lowers.
async function suspendingModules(compiled, suspends) {
  const { plan, bytes } = compiled;
  const blocking = plan.lowered.map((l, i) => (syncLowerMayBlock(plan, l, suspends) ? i : -1)).filter((i) => i >= 0);
  const key = blocking.join(',');
  compiled.suspendingVariants ??= new Map();
  let variant = compiled.suspendingVariants.get(key);
  if (!variant) {
    const set = new Set(blocking);
    variant = (async () => {
      const rewritten = await asyncifyModules(plan, (i) => moduleBytes(bytes, plan.modules[i]), (i) => set.has(i));
      const modules = await Promise.all(compiled.modules.map((m, i) => (rewritten.has(i) ? compileCore(rewritten.get(i)) : m)));
      return { modules, asyncified: new Set(rewritten.keys()) };
    })();
    compiled.suspendingVariants.set(key, variant);
    variant.catch(() => compiled.suspendingVariants.delete(key));
  }
  return variant;
}

// instantiate()'s `suspendingImports` option: the imports (names as `ns:pkg/iface#func`,
// the version optional, or `func` for a world-level function; `true` for all) whose host
// functions may return a Promise although their WIT type is synchronous, as jco's JSPI mode
// allows (a fetch()-backed import, the browser's WASI shims). The guest's stack suspends
// until the Promise settles (WebAssembly.Suspending, or Asyncify where the engine lacks
// JSPI: the core modules that call such imports are rewritten now, once per set of them),
// so every export of the instance returns a Promise. A component compiled with
// suspendWith: 'jspi' in an engine without JSPI refuses the option with a TypeError.
// Returns a predicate over an import's path, or null.
function suspendingImports(options, compiled) {
  const names = options?.suspendingImports;
  if (names === undefined || names === false) return null;
  if (names !== true && (!Array.isArray(names) || names.some((n) => typeof n !== 'string'))) {
    throw new TypeError('instantiate(imports, { suspendingImports }): expected an array of import names (`ns:pkg/iface#func` or `func`) or true');
  }
  if (!hasJspi() && hasJspiFor(compiled)) {
    throw new TypeError("instantiate(imports, { suspendingImports }): a synchronous import can wait for a Promise only with JSPI (WebAssembly.Suspending), which this JavaScript engine does not have, or Asyncify, which this component was compiled without (suspendWith: 'jspi')");
  }
  if (names === true) return () => true;
  const wanted = new Set(names.map(withoutVersion));
  return (path) => wanted.has(withoutVersion(importKey(path)));
}

// An import path (['ns:pkg/iface@1.0.0', 'func'] or ['func']) as `ns:pkg/iface@1.0.0#func`.
const importKey = (path) => (path.length === 1 ? path[0] : `${path[0]}#${path.slice(1).join('#')}`);
const withoutVersion = (name) => name.replace(/@[^#]*(?=#|$)/, '');

// instantiate()'s `wit` option: the engine reads the host's WIT and the component's
// imports (its own printed WIT) and compares them (abi/wit/import_check.h).
function checkDeclaredImports(compiled, options) {
  if (options === null || typeof options !== 'object') throw new TypeError('instantiate(imports, options): options must be an object');
  const { wit, world = '' } = options;
  if (wit === undefined) return;
  if (typeof wit !== 'string') throw new TypeError('instantiate(imports, { wit }): `wit` must be WIT text (a string)');
  if (typeof world !== 'string') throw new TypeError('instantiate(imports, { world }): `world` must be a string');
  const { importsWit, witError } = witInfo(compiled);
  if (importsWit === undefined) throw new Error(`the engine could not print this component's WIT: ${witError}`);
  const answer = JSON.parse(compiled.engine.checkImportsAgainstWit(importsWit, wit, world));
  if (answer.error) {
    if (answer.error.kind === 'wit') throw new SyntaxError(`the declared WIT: ${answer.error.message}`);
    if (answer.error.kind === 'unreadable') {
      throw new TypeError(`this component's imports have no WIT form, so they cannot be checked against WIT (${answer.error.message})`);
    }
    throw new Error(`engine failure: ${answer.error.message}`);
  }
  if (answer.mismatch) throw new WebAssembly.LinkError(`the component's imports do not match the declared WIT: ${answer.mismatch}`);
}

/**
 * Compiles and instantiates in one step; `options` as for component.instantiate (and
 * `suspendWith` as for Component.compile).
 */
export async function instantiate(source, imports, options) {
  let component = source;
  if (!(source instanceof Component)) {
    const suspendWith = typeof options === 'object' && options !== null ? options.suspendWith : undefined;
    component = await Component.compile(source, suspendWith === undefined ? undefined : { suspendWith });
  }
  return component.instantiate(imports, options);
}
