// Lifting task.return's values (CanonicalABI.md "canon task.return"): the result arrives
// as the built-in's core parameters, flattened as parameters are, so up to MAX_FLAT_PARAMS
// flat values come in directly and a longer flattening comes as one pointer to the value
// in memory (the engine says which: the plan's `resultSpilled`).
import { CallContext, LiftLowerOptions } from '../call-context.mjs';
import { needsMemory } from '../signature.mjs';

export class TaskReturnLifter {
  constructor(runtime, builtin, state) {
    this.codec = builtin.result === null ? null : runtime.codecs.get(builtin.result);
    this.opts = new LiftLowerOptions(runtime, builtin.options, state);
    this.spilled = builtin.resultSpilled;
    this.readsMemory = this.spilled || (builtin.result !== null && needsMemory(runtime.plan.types, builtin.result));
  }

  /**
   * The JS value of the result (undefined for none). `forGuest`: it goes to another guest,
   * so strings and stream/future ends keep their guest form.
   */
  lift(flat, forGuest) {
    const codec = this.codec;
    if (codec === null) return undefined;
    const ctx = new CallContext(this.opts, forGuest);
    ctx.path = 'task.return';
    if (this.spilled) {
      const ptr = flat[0] >>> 0;
      ctx.mem.checkRange(ptr, codec.size, codec.align, 'task.return pointer');
      ctx.mem.refresh();
      return codec.load(ctx, ptr);
    }
    if (ctx.options.memory) ctx.mem.refresh();
    return codec.liftFlat(ctx, flat, 0);
  }
}
