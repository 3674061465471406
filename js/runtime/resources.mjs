// Resources on the JS side.
//
// The handle tables and the spec's rules (own/borrow, lend counting, borrow scopes,
// resource.new/rep/drop) are the engine's (abi/runtime/resource.h, reached through the
// bridge's Store): every operation here is one call into it. What only JS can do is here:
//  - a resource the *guest* defines appears in JS as an instance of a generated class
//    (UpperCamelCase of its name) with its methods, statics, a constructor, and
//    [Symbol.dispose]; the object carries the rep and whether JS owns it;
//  - a resource the *host* defines is a class in the import object; its objects are
//    given reps by a registry, and the guest's calls to "[constructor]r", "[method]r.m",
//    "[static]r.s" become `new R(...)`, `obj.m(...)`, `R.s(...)`;
//  - running destructors, which are guest core functions (or the host's dispose).
import { trap } from '../errors.mjs';
import { hostMember, lowerCamelCase, parseFunctionName, upperCamelCase } from '../names.mjs';
import { enter, entryChain, leave } from './instance-state.mjs';
import { DISPOSE } from '../platform.mjs';
import { RAW_BYTE_STREAMS } from '../values/raw-byte-streams.mjs';

const HANDLE = Symbol('cmbridge.handle');

export class Resources {
  constructor(runtime) {
    this.runtime = runtime;
    const plan = runtime.plan;
    this.store = new runtime.engine.Store();
    for (const inst of plan.instances) this.store.addInstance(inst.parent ?? -1);
    for (const r of plan.resources) this.store.addResourceType(r.definedBy ?? -1);
    this.hostClasses = new Array(plan.resources.length);
    this.classes = new Array(plan.resources.length);
    // Host objects handed to guests: object <-> rep (reps start at 1; 0 is never used).
    this.hostReps = new Map();
    this.hostObjects = new Map();
    // How many own handles in guest tables refer to each host rep. A host may hand out the
    // same object more than once (WASI shims return one stdout stream, one object per
    // preopened directory); its dispose runs when the guest drops the last of them.
    this.hostOwnHandles = new Map();
    // Reps the host has lent as borrows: kept for good, since a borrow lent to a call may
    // outlive every own handle and JS is not told when the call's scope ends (a leak for
    // hosts that lend fresh objects by the million: docs/decisions.md section 11).
    this.hostLent = new Set();
    this.nextHostRep = 1;
    this.finalizer = typeof FinalizationRegistry === 'function'
      ? new FinalizationRegistry((handle) => this.finalize(handle))
      : null;
  }

  isHost(r) {
    return this.runtime.plan.resources[r].definedBy === null;
  }

  // ---- host resources ----------------------------------------------------------------

  bindHostResources() {
    for (const [r, def] of this.runtime.plan.resources.entries()) {
      if (def.definedBy !== null) continue;
      const parent = this.runtime.hostValue(def.import.slice(0, -1));
      const name = def.import[def.import.length - 1];
      this.hostClasses[r] = hostMember(parent, upperCamelCase(name)) ?? hostMember(parent, name);
    }
  }

  /** Throws the TypeError a wrong value for host resource r deserves. */
  checkHostObject(value, r, path) {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
      throw new TypeError(`${path}: expected a ${this.resourceName(r)} resource object, got ${value === null ? 'null' : typeof value}`);
    }
    const cls = this.hostClasses[r];
    if (typeof cls === 'function' && !(value instanceof cls)) {
      throw new TypeError(`${path}: expected an instance of ${cls.name || this.resourceName(r)}`);
    }
  }

  repOfHostObject(value, r, path) {
    this.checkHostObject(value, r, path);
    let rep = this.hostReps.get(value);
    if (rep === undefined) {
      rep = this.nextHostRep++;
      this.hostReps.set(value, rep);
      this.hostObjects.set(rep, value);
    }
    return rep;
  }

  hostObject(rep) {
    const value = this.hostObjects.get(rep);
    if (value === undefined) trap(`unknown host resource rep ${rep}`);
    return value;
  }

  /** The function for a resource member import ("[method]file.read"), or undefined. */
  hostResourceFunction(path) {
    const parsed = parseFunctionName(path[path.length - 1]);
    if (parsed.kind === 'plain') return undefined;
    const parent = this.runtime.hostValue(path.slice(0, -1));
    const cls = hostMember(parent, upperCamelCase(parsed.resource)) ?? hostMember(parent, parsed.resource);
    if (typeof cls !== 'function') return undefined;
    if (parsed.kind === 'constructor') return (...args) => new cls(...args);
    const member = lowerCamelCase(parsed.name);
    if (parsed.kind === 'static') {
      const fn = cls[member] ?? cls[parsed.name];
      if (typeof fn !== 'function') return undefined;
      // (Bound, it keeps how it takes its streams: values/stream-codec.mjs RAW_BYTE_STREAMS.)
      return Object.assign(fn.bind(cls), { [RAW_BYTE_STREAMS]: fn[RAW_BYTE_STREAMS] });
    }
    const method = cls.prototype?.[member] ?? cls.prototype?.[parsed.name];
    if (typeof method !== 'function') return undefined;
    return (self, ...args) => method.apply(self, args);
  }

  wrapHostCall(path, host) {
    return (args) => host(...args);
  }

  // ---- guest resources as JS classes -------------------------------------------------

  resourceName(r) {
    return this.runtime.plan.resources[r].name || `resource-${r}`;
  }

  classFor(r) {
    if (this.classes[r]) return this.classes[r];
    const resources = this;
    const name = upperCamelCase(this.resourceName(r));
    // The constructor export is attached by exportedClasses; without one, `new` fails.
    const cls = {
      [name]: class {
        constructor(...args) {
          const make = resources.constructors?.get(r);
          if (!make) throw new TypeError(`${name} has no constructor`);
          return make(...args);
        }

        [DISPOSE]() {
          resources.dispose(this, r);
        }
      },
    }[name];
    this.classes[r] = cls;
    return cls;
  }

  /**
   * Attaches the resource members among `exportMap`'s functions to their classes.
   * Returns { claims(name), classFor(r) } for the linker.
   */
  exportedClasses(exportMap) {
    const claimed = new Set();
    const byName = new Map();
    for (const { name, item } of exportMap) {
      if (item.kind === 'resource') byName.set(name, item.resource);
    }
    for (const { name, item } of exportMap) {
      if (item.kind !== 'func') continue;
      const parsed = parseFunctionName(name);
      if (parsed.kind === 'plain') continue;
      const r = byName.get(parsed.resource);
      if (r === undefined) continue;
      const cls = this.classFor(r);
      const fn = this.runtime.exportedFunction(item.func, name);
      claimed.add(name);
      if (parsed.kind === 'constructor') {
        (this.constructors ??= new Map()).set(r, fn);
      } else if (parsed.kind === 'static') {
        Object.defineProperty(cls, lowerCamelCase(parsed.name), { value: fn, configurable: true, writable: true });
      } else {
        Object.defineProperty(cls.prototype, lowerCamelCase(parsed.name), {
          value(...args) { return fn(this, ...args); },
          configurable: true,
          writable: true,
        });
      }
    }
    return { claims: (name) => claimed.has(name), classFor: (r) => this.classFor(r) };
  }

  wrap(r, rep, owned) {
    const obj = Object.create(this.classFor(r).prototype);
    // `owner`: resource types are generative, one per component instance, so a handle
    // belongs to the Resources (the instance's Store) that made it, not only to type r.
    const handle = { owner: this, r, rep, state: owned ? 'own' : 'borrow' };
    Object.defineProperty(obj, HANDLE, { value: handle });
    if (owned) this.finalizer?.register(obj, handle, handle);
    return obj;
  }

  handleOf(value, r, path) {
    const handle = value !== null && typeof value === 'object' ? value[HANDLE] : undefined;
    if (!handle) throw new TypeError(`${path}: expected a ${upperCamelCase(this.resourceName(r))} object`);
    if (handle.owner !== this) {
      throw new TypeError(`${path}: this ${upperCamelCase(handle.owner.resourceName(handle.r))} belongs to another component instance (each instance has resource types of its own)`);
    }
    if (handle.r !== r) throw new TypeError(`${path}: expected a ${upperCamelCase(this.resourceName(r))}, got a ${upperCamelCase(this.resourceName(handle.r))}`);
    if (handle.state === 'gone') throw new TypeError(`${path}: this ${upperCamelCase(this.resourceName(r))} was moved into the component or disposed`);
    return handle;
  }

  /** [Symbol.dispose] (DISPOSE) of an owned guest resource: runs its destructor once. */
  dispose(obj, r) {
    const handle = obj?.[HANDLE];
    if (!handle || handle.state !== 'own') return;
    if (handle.owner !== this || handle.r !== r) throw new TypeError(`[Symbol.dispose] of ${upperCamelCase(this.resourceName(r))} called on another resource's object`);
    handle.state = 'gone';
    this.finalizer?.unregister(handle);
    this.runDestructor(r, handle.rep, null);
  }

  finalize(handle) {
    if (handle.state !== 'own') return;
    handle.state = 'gone';
    try {
      this.runDestructor(handle.r, handle.rep, null);
    } catch {
      // A destructor that traps during garbage collection has nobody to report to; the
      // trap has locked the instance down, which is what later calls will see.
    }
  }

  /** Calls the destructor of resource r for rep, entering its instance from `caller`. */
  runDestructor(r, rep, caller) {
    const def = this.runtime.plan.resources[r];
    if (def.definedBy === null) {
      if (this.releaseHostOwn(rep) > 0) return;
      const obj = this.hostObjects.get(rep);
      if (obj !== undefined) {
        this.forgetHostObject(rep, obj);
        obj[DISPOSE]?.();
      }
      return;
    }
    const impl = this.runtime.instances[def.definedBy];
    const chain = entryChain(impl, caller);
    enter(chain);
    // The spec runs a destructor as a new thread: context cells of its own, both 0, not
    // the dropping code's (and there are some when the host disposes, with no task).
    const usesContext = this.runtime.usesContext && def.dtor;
    if (usesContext) this.runtime.context.push();
    try {
      if (def.dtor) {
        const dtor = this.runtime.resolveCore(def.dtor);
        // A destructor is guest code of its instance: where async built-ins exist it runs in
        // a synchronous task of that instance (they act on the current task).
        if (this.runtime.usesAsync) this.runtime.async.inSyncTask(impl, () => dtor(rep));
        else dtor(rep);
      }
    } catch (e) {
      throw this.runtime.trapped(e);
    } finally {
      if (usesContext) this.runtime.context.pop();
      leave(chain);
    }
  }

  forgetHostObject(rep, obj) {
    this.hostObjects.delete(rep);
    this.hostReps.delete(obj);
    this.hostLent.delete(rep);
  }

  /** One fewer own handle refers to host rep; returns how many still do. */
  releaseHostOwn(rep) {
    const left = (this.hostOwnHandles.get(rep) ?? 1) - 1;
    if (left > 0) this.hostOwnHandles.set(rep, left);
    else this.hostOwnHandles.delete(rep);
    return left;
  }

  // ---- own<R> / borrow<R> values -----------------------------------------------------

  codec(t) {
    const r = t.resource;
    const store = this.store;
    const host = this.isHost(r);
    const own = t.kind === 'own';
    const repOf = (ctx, v) => {
      if (host) return this.repOfHostObject(v, r, ctx.path);
      const handle = this.handleOf(v, r, ctx.path);
      if (own) {
        if (handle.state !== 'own') throw new TypeError(`${ctx.path}: a borrowed ${upperCamelCase(this.resourceName(r))} cannot be passed as owned`);
        handle.state = 'gone';  // ownership moves into the component
        this.finalizer?.unregister(handle);
      }
      return handle.rep;
    };
    const lower = own
      ? (ctx, v) => {
        const rep = repOf(ctx, v);
        const index = store.lowerOwn(ctx.instance.index, r, rep);
        if (host) this.hostOwnHandles.set(rep, (this.hostOwnHandles.get(rep) ?? 0) + 1);
        return index;
      }
      : (ctx, v) => {
        const rep = repOf(ctx, v);
        if (host) this.hostLent.add(rep);
        return store.lowerBorrow(ctx.instance.index, r, rep, ctx.call);
      };
    const lift = own
      ? (ctx, i) => {
        const rep = store.liftOwn(ctx.instance.index, r, i >>> 0);
        if (!host) return this.wrap(r, rep, true);
        const obj = this.hostObject(rep);
        // The handle left the guest's table for the host. With it the last, the host holds
        // the object alone: the runtime forgets it (it gets a new rep if it comes back).
        if (this.releaseHostOwn(rep) === 0 && !this.hostLent.has(rep)) this.forgetHostObject(rep, obj);
        return obj;
      }
      : (ctx, i) => {
        const rep = store.liftBorrow(ctx.instance.index, r, i >>> 0, ctx.call);
        if (host) return this.hostObject(rep);
        const obj = this.wrap(r, rep, false);
        ctx.borrowed.push(obj[HANDLE]);
        return obj;
      };
    const check = (v, path) => {
      if (host) {
        this.checkHostObject(v, r, path);
      } else {
        const handle = this.handleOf(v, r, path);
        if (own && handle.state !== 'own') throw new TypeError(`${path}: a borrowed ${upperCamelCase(this.resourceName(r))} cannot be passed as owned`);
      }
    };
    return {
      check,
      hasHandles: true,
      lowerFlat(ctx, v, out) { out.push(lower(ctx, v)); },
      liftFlat: (ctx, flat, pos) => lift(ctx, flat[pos]),
      store(ctx, v, ptr) { ctx.mem.refresh().view.setUint32(ptr, lower(ctx, v), true); },
      load: (ctx, ptr) => lift(ctx, ctx.mem.view.getUint32(ptr, true)),
    };
  }

  // ---- call scopes ---------------------------------------------------------------------

  /** Opens the scope that counts borrows and lends for one call; returns its id. */
  beginCall(ctx) {
    ctx.call = this.store.beginCall();
    ctx.borrowed = [];
  }

  endCall(ctx) {
    this.store.endCall(ctx.call);
    // Borrowed objects handed to JS are valid only during the call.
    for (const handle of ctx.borrowed) handle.state = 'gone';
    ctx.borrowed = [];
  }

  // ---- built-ins -------------------------------------------------------------------------

  resourceNew(state, r) {
    const store = this.store;
    return (rep) => {
      if (!state.mayLeave) trap('cannot leave component instance');
      return store.resourceNew(state.index, r, rep >>> 0);
    };
  }

  resourceRep(state, r) {
    const store = this.store;
    return (index) => store.resourceRep(state.index, r, index >>> 0);
  }

  resourceDrop(state, r) {
    const store = this.store;
    return (index) => {
      if (!state.mayLeave) trap('cannot leave component instance');
      const rep = store.resourceDrop(state.index, r, index >>> 0);
      if (rep >= 0) this.runDestructor(r, rep, state);
    };
  }
}
