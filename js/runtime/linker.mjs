// Executes an instantiation plan (abi/link/plan.h): checks the host's imports, then
// instantiates the core modules in order, wiring each one's imports to core exports of
// earlier instances, lowered functions and built-ins; finally builds the JS face of the
// component's exports.
import { Codecs } from '../values/codec.mjs';
import { hostMember, interfaceShortNames, lowerCamelCase, upperCamelCase } from '../names.mjs';
import { DISPOSED, InstanceState, Lockdown, RECURSIVE_CALL, mayRecurse, refusal } from './instance-state.mjs';
import { ComponentTrap, trap } from '../errors.mjs';
import { LiftedFunction } from './canon-lift.mjs';
import { makeLoweredFunction } from './canon-lower.mjs';
import { describeFuncType } from './signature.mjs';
import { guestTrap } from './guest-trap.mjs';
import { makeAsyncLoweredFunction } from './async/async-lower.mjs';
import { ContextStack, makeBuiltin } from './builtins.mjs';
import { Resources } from './resources.mjs';
import { AsyncDriver } from './async/driver.mjs';
import { AsyncifyStacks } from './async/asyncify.mjs';
import { findImport } from './import-names.mjs';
import { guestMemoryRegistry } from '../values/guest-strings.mjs';
import { RAW_BYTE_STREAMS } from '../values/raw-byte-streams.mjs';

// The default of instantiate's maxLiftedBytes: twice the largest single string or list
// the Canonical ABI allows (2^28-1 bytes), far below what takes a JS engine down.
export const DEFAULT_MAX_LIFTED_BYTES = 2 ** 29;

// Built-ins that never need a task: resources, error-context, context.get/set (JS keeps it).
const SYNC_BUILTIN = /^(resource\.|error-context\.|context\.)/;

export class Runtime {
  // onTrap(error): told of a trap that no caller will see (component.mjs trapListener).
  // suspends(importPath): whether a sync import's host function may return a Promise that
  // the guest waits for (component.mjs suspendingImports), or null: none may.
  // maxLiftedBytes: how many bytes one lift may copy out of guest memory (CallContext).
  // component, compiledId: the Component and the engine's id of its compiled form (its
  // plan's types: stream-host.mjs names element types by their index in the plan).
  // asyncified: the indices of the modules rewritten for Asyncify (asyncify-transform.mjs).
  constructor(plan, modules, engine, { onTrap = () => {}, suspends = null, maxLiftedBytes = DEFAULT_MAX_LIFTED_BYTES, component = null, compiledId = 0, asyncified = null } = {}) {
    this.plan = plan;
    this.asyncified = asyncified;
    this.asyncify = asyncified?.size ? new AsyncifyStacks() : null;
    this.component = component;
    this.compiledId = compiledId;
    this.maxLiftedBytes = maxLiftedBytes;
    this.onTrap = onTrap;
    this.suspends = suspends;
    this.modules = modules;
    this.engine = engine;
    this.lockdown = new Lockdown();
    this.instances = [];
    for (const [index, inst] of plan.instances.entries()) {
      this.instances.push(new InstanceState(index, inst.parent === null ? null : this.instances[inst.parent], this.lockdown));
    }
    this.resources = new Resources(this);
    // context.get/set storage; only components that use those built-ins pay for it.
    this.usesContext = plan.builtins.some((b) => b.op === 'context.get' || b.op === 'context.set');
    this.context = new ContextStack();
    // Whether anything here runs as an engine task: async functions, async lifts or
    // lowers, or built-ins that act on the current task. Components without them keep the
    // sync call paths free of the engine.
    this.usesAsync = plan.builtins.some((b) => !SYNC_BUILTIN.test(b.op)) ||
      plan.lifted.some((l) => l.options.async || plan.funcTypes[l.type].async) ||
      plan.lowered.some((l) => l.options.async || plan.funcTypes[l.callee.type].async) ||
      suspends !== null;
    // Whether the host can run while guest code of this instantiation is on the stack: only
    // through a function the guest imports from it, or the [Symbol.dispose] of a host
    // object whose last handle the guest drops (a resource type the host defines), or
    // async work. Without these, no call can re-enter an instance that is on the stack,
    // and the all-scalar exports need not set and clear may_enter around each call.
    this.hostCanReenter = plan.lowered.some((l) => l.callee.import !== undefined) ||
      plan.resources.some((r) => r.definedBy === null) || this.usesAsync;
    this.codecs = new Codecs(plan.types, this.resources);
    this.coreInstances = [];
    this.liftedFunctions = new Array(plan.lifted.length);
    this.loweredFunctions = new Array(plan.lowered.length);
    this.builtinFunctions = new Array(plan.builtins.length);
    this._async = null;
    this.instantiating = false;  // core start functions are running
    this.disposed = false;
    this.guestMemoryIds = [];    // ids of this runtime's contexts in the engine's registry
  }

  /**
   * Registers a lowering context (its memory, realloc, string encoding) with the engine
   * for as long as this runtime lives (values/guest-strings.mjs guestMemoryRegistry): the
   * engine reaches guest memory by the id returned. dispose() lets them all go.
   */
  openGuestMemory(ctx) {
    const id = guestMemoryRegistry(this.engine).open(ctx);
    this.guestMemoryIds.push(id);
    return id;
  }

  /**
   * Gives the instance's engine memory back now (its handle tables, tasks, streams): the
   * instance is locked down as after a trap, with its own message ("it was disposed");
   * calls in flight reject, streams error, and every later call is refused. Without it,
   * the engine memory goes back when the instance is garbage (the engine's Store is freed
   * by a FinalizationRegistry, bridge/store_bindings.cpp). Host objects the guest still
   * owns are not disposed: the host may have handed them to other instances too.
   */
  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    this.lockdown.reason = DISPOSED;
    this._async?.disposed(new ComponentTrap(refusal(DISPOSED)));
    this.resources.store.delete();
    const registry = guestMemoryRegistry(this.engine);
    for (const id of this.guestMemoryIds) registry.close(id);
    this.guestMemoryIds = [];
  }

  /** The async driver, made when an async task or built-in first needs it. */
  get async() {
    return (this._async ??= new AsyncDriver(this));
  }

  /**
   * The live async state as the engine sees it (abi/async/snapshot.h), plus the name of
   * the export each host-called task runs (`export`, null for calls between components).
   */
  taskTree() {
    if (this.disposed) throw new TypeError('taskTree(): the instance was disposed');
    const tree = JSON.parse(this.resources.store.snapshot());
    const calls = this._async?.calls;
    for (const task of tree.tasks) {
      const call = calls?.get(task.id);
      task.export = call && call.subtask === 0 ? call.fn.exportName : null;
    }
    return tree;
  }

  async instantiate(imports) {
    if (imports === null || typeof imports !== 'object') {
      if (imports !== undefined) throw new TypeError('instantiate(imports): imports must be an object');
      imports = {};
    }
    if (this.plan.unlinkable) throw new WebAssembly.LinkError(this.plan.unlinkable);
    this.hostImports = imports;
    this.checkImports(imports);
    this.resources.bindHostResources(imports);
    this.instantiating = true;
    try {
      await this.instantiateCore();
    } finally {
      this.instantiating = false;
    }
    if (this._async) this._async.endStartTasks();
    return this.buildExports(this.plan.exports, []);
  }

  async instantiateCore() {
    for (const [index, ci] of this.plan.coreInstances.entries()) {
      if (ci.exports) {
        const exports = Object.create(null);
        for (const { name, def } of ci.exports) exports[name] = this.resolveCore(def);
        this.coreInstances.push(exports);
        continue;
      }
      let importObject = Object.create(null);
      for (const arg of ci.args) importObject[arg.name] = this.coreInstances[arg.instance];
      const rewritten = this.asyncified?.has(ci.module) ? this.asyncify.importsFor(importObject) : null;
      if (rewritten) importObject = rewritten.imports;
      let instance;
      try {
        instance = await WebAssembly.instantiate(this.modules[ci.module], importObject);
      } catch (e) {
        if (e instanceof WebAssembly.LinkError) {
          throw new WebAssembly.LinkError(`core instance ${index} (module ${ci.module}) cannot be linked: ${e.message}`);
        }
        throw e;  // a trap in a core start function
      }
      if (rewritten) this.asyncify.instantiated(this.modules[ci.module], importObject, instance.exports, rewritten.data);
      this.coreInstances.push(instance.exports);
    }
  }

  // ---- imports -------------------------------------------------------------------------

  hostValue(path) {
    let value = this.hostImports;
    for (let i = 0; i < path.length; i++) {
      value = i === 0 ? findImport(value, path[0]) : hostMember(value, path[i]);
      if (value === undefined) return undefined;
    }
    return value;
  }

  // Every function a guest may call must be there before anything runs: a missing or
  // mistyped import is a LinkError naming it.
  checkImports(imports) {
    for (const { name, item } of this.plan.imports) {
      // A type import names a type (WIT's world-level `use iface.{t}` is one); the host
      // provides nothing for it, except a resource's class where the component calls its
      // constructor, methods or statics, which the lowered functions below check.
      if (item.kind === 'type' || item.kind === 'resource') continue;
      // A function of a resource imported at world level (`[constructor]r`, `[method]r.m`)
      // lives on the class under the resource's name, as in an interface.
      const value = item.kind === 'func' ? this.hostImportFunction([name]) : findImport(imports, name);
      if (value === undefined) throw new WebAssembly.LinkError(`missing import \`${name}\``);
    }
    for (const lowered of this.plan.lowered) {
      const path = lowered.callee.import;
      if (!path) continue;
      const fn = this.hostImportFunction(path);
      if (typeof fn !== 'function') {
        const found = this.hostValue(path);
        const what = found === undefined ? 'is missing' : `must be a function, got ${typeof found}`;
        throw new WebAssembly.LinkError(`import \`${path.join('` `')}\` ${what}`);
      }
    }
  }

  // Host functions are plain members, except resource members ("[method]r.m",
  // "[static]r.s", "[constructor]r"), which live on the resource's class.
  hostImportFunction(path) {
    return this.resources.hostResourceFunction(path) ?? this.hostValue(path);
  }

  /** The trap a caller sees for what escaped guest code; locks this instantiation down. */
  trapped(error) {
    return guestTrap(error, this.lockdown);
  }

  // ---- core definitions ----------------------------------------------------------------

  resolveCore(def) {
    if (def.instance !== undefined) {
      const value = this.coreInstances[def.instance]?.[def.name];
      if (value === undefined) throw new WebAssembly.LinkError(`core instance ${def.instance} has no export \`${def.name}\``);
      return value;
    }
    if (def.lowered !== undefined) return this.loweredFunction(def.lowered);
    return this.builtinFunction(def.builtin);
  }

  liftedFunction(index) {
    return (this.liftedFunctions[index] ??= new LiftedFunction(this, index));
  }

  loweredFunction(index) {
    if (this.loweredFunctions[index]) return this.loweredFunctions[index];
    const { callee } = this.plan.lowered[index];
    let call;
    let description;
    let rawByteStreams = false;
    if (callee.import) {
      description = `\`${callee.import.join('.')}\``;
      const host = this.hostImportFunction(callee.import);
      rawByteStreams = host?.[RAW_BYTE_STREAMS] === true;
      call = this.resources.wrapHostCall(callee.import, host);
    } else {
      const target = this.liftedFunction(callee.lifted);
      const caller = this.instances[this.plan.lowered[index].instance];
      description = `lifted function ${callee.lifted}`;
      call = mayRecurse(caller, target.state) ? () => trap(RECURSIVE_CALL) : (args) => target.callFrom(caller, args);
    }
    if (this.plan.lowered[index].options.async) {
      return (this.loweredFunctions[index] = makeAsyncLoweredFunction(this, index, description));
    }
    return (this.loweredFunctions[index] = makeLoweredFunction(this, index, call, description, { fromHost: !!callee.import, rawByteStreams }));
  }

  builtinFunction(index) {
    return (this.builtinFunctions[index] ??= makeBuiltin(this, index));
  }

  // ---- exports -------------------------------------------------------------------------

  buildExports(exportMap, path) {
    const out = {};
    const classes = this.resources.exportedClasses(exportMap, path);
    for (const { name, item } of exportMap) {
      let value;
      if (item.kind === 'func') {
        if (classes.claims(name)) continue;  // a resource's constructor/method/static
        value = this.exportedFunction(item.func, name);
      } else if (item.kind === 'instance') {
        value = this.buildExports(item.exports, [...path, name]);
      } else if (item.kind === 'resource') {
        value = classes.classFor(item.resource);
      } else {
        continue;
      }
      defineExport(out, name, value, item.kind === 'resource' ? upperCamelCase(name) : undefined);
    }
    if (path.length === 0) {
      // An exported interface is also reachable by its short name where that is unambiguous
      // (`exports.add` for `docs:adder/add@0.1.0`), not enumerable, as exact names are.
      const shortNames = interfaceShortNames(exportMap.map(({ name, item }) => [name, item.kind === 'instance']));
      for (const [name, short] of shortNames) {
        if (Object.hasOwn(out, name) && !Object.hasOwn(out, short)) Object.defineProperty(out, short, { value: out[name], enumerable: false });
      }
    }
    return Object.freeze(out);
  }

  exportedFunction(func, name) {
    if (func.lifted !== undefined) return this.liftedFunction(func.lifted).hostFunction(lowerCamelCase(name));
    // A host import re-exported unchanged.
    const fn = this.hostImportFunction(func.import);
    Object.defineProperty(fn, Symbol.for('cmbridge.type'), { value: describeFuncType(this.plan.funcTypes[func.type], this.plan.types), configurable: true });
    return fn;
  }
}

// Exports are reachable under their lowerCamelCase name (enumerable) and their exact
// component name (not enumerable, so Object.keys shows each export once).
// Resource classes are UpperCamelCase.
function defineExport(out, name, value, jsName) {
  const camel = jsName ?? (name.includes(':') || name.includes('/') ? name : lowerCamelCase(name));
  Object.defineProperty(out, camel, { value, enumerable: true });
  if (camel !== name) Object.defineProperty(out, name, { value, enumerable: false });
}
