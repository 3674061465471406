// Canon built-ins (everything but lift and lower) as the core functions a guest imports.
// Resource and error-context built-ins and context.get/set are here; the task and
// waitable built-ins (and backpressure) in async/builtins.mjs. The stream, future and
// subtask.cancel built-ins trap until they are wired, after the checks every built-in
// makes first (may_leave), so that a guest calling one from post-return or realloc sees
// the spec's trap.
import { trap } from '../errors.mjs';
import { loadString, storeString } from '../values/strings.mjs';
import { CallContext, LiftLowerOptions } from './call-context.mjs';
import { makeAsyncBuiltin } from './async/builtins.mjs';

// The built-ins that do not check may_leave (spec-digest §1.5).
const NO_MAY_LEAVE_CHECK = new Set(['resource.rep', 'context.get', 'context.set', 'backpressure.inc', 'backpressure.dec']);

export function makeBuiltin(runtime, index) {
  const builtin = runtime.plan.builtins[index];
  const state = runtime.instances[builtin.instance];
  switch (builtin.op) {
    case 'resource.new':
      return runtime.resources.resourceNew(state, builtin.resource);
    case 'resource.rep':
      return runtime.resources.resourceRep(state, builtin.resource);
    case 'resource.drop':
      return runtime.resources.resourceDrop(state, builtin.resource);
    case 'context.get': {
      const i = builtin.contextIndex;
      return () => runtime.context.current()[i];
    }
    case 'context.set': {
      const i = builtin.contextIndex;
      return (value) => { runtime.context.current()[i] = value; };
    }
    case 'error-context.new': {
      // [ptr, units] -> handle: the message is lifted from memory with the options.
      const opts = new LiftLowerOptions(runtime, builtin.options, state);
      return (ptr, units) => {
        if (!state.mayLeave) trap('cannot leave component instance');
        const ctx = new CallContext(opts);
        return runtime.resources.store.errorContextNew(state.index, loadString(ctx, ptr, units));
      };
    }
    case 'error-context.debug-message': {
      // [handle, ptr]: stores the message as a string (ptr, length) at ptr.
      const opts = new LiftLowerOptions(runtime, builtin.options, state);
      return (index, ptr) => {
        if (!state.mayLeave) trap('cannot leave component instance');
        const ctx = new CallContext(opts);
        const message = runtime.resources.store.errorContextMessage(state.index, index >>> 0);
        ptr >>>= 0;
        ctx.mem.checkRange(ptr, 8, 4, 'debug-message pointer');
        const [p, units] = storeString(ctx, message);
        const view = ctx.mem.refresh().view;
        view.setUint32(ptr, p, true);
        view.setUint32(ptr + 4, units, true);
      };
    }
    case 'error-context.drop':
      return (index) => {
        if (!state.mayLeave) trap('cannot leave component instance');
        runtime.resources.store.errorContextDrop(state.index, index >>> 0);
      };
    default: {
      const async = makeAsyncBuiltin(runtime, builtin, state);
      if (async) return async;
      const checkMayLeave = !NO_MAY_LEAVE_CHECK.has(builtin.op);
      return () => {
        if (checkMayLeave && !state.mayLeave) trap('cannot leave component instance');
        trap(`the canon built-in \`${builtin.op}\` is not supported yet`);
      };
    }
  }
}

/**
 * The spec's per-thread `context.get/set` storage: two cells, zero when a thread starts.
 * Each call of a lifted function runs on a new thread (its task's implicit thread), and so
 * does each realloc call; post-return runs on the thread of the call it follows.
 */
export class ContextStack {
  constructor() {
    this.stack = [];
  }

  push() {
    this.stack.push([0, 0]);
  }

  /** Makes `cells` current: an async task's thread keeps its cells across callbacks. */
  enter(cells) {
    this.stack.push(cells);
  }

  pop() {
    this.stack.pop();
  }

  current() {
    const top = this.stack[this.stack.length - 1];
    if (!top) trap('context.get/set called outside of a task');
    return top;
  }
}
