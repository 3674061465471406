// Access to one guest's linear memory during a lift or lower. Views are re-created when
// the memory has grown (growth detaches the old ArrayBuffer), and every guest-supplied
// pointer is checked before use: alignment and bounds traps are the spec's.
import { trap, trapInside } from '../errors.mjs';

export class GuestMemory {
  constructor(memory) {
    this.memory = memory;  // WebAssembly.Memory
    this.buffer = null;
    this.view = null;
    this.bytes = null;
  }

  // `memory.buffer` is a call into the engine, so it is read only when the cached view is
  // stale: growing a (non-shared) memory detaches the old ArrayBuffer, whose length then
  // reads 0. A memory that really has 0 bytes is re-read every time, which is harmless.
  refresh() {
    if (this.bytes === null || this.bytes.byteLength === 0) {
      const buffer = this.memory.buffer;
      this.buffer = buffer;
      this.view = new DataView(buffer);
      this.bytes = new Uint8Array(buffer);
    }
    return this;
  }

  get size() {
    return this.refresh().bytes.byteLength;
  }

  /** Traps unless [ptr, ptr + length) is inside memory and ptr is aligned to `align`. */
  checkRange(ptr, length, align, what = 'pointer') {
    if (ptr % align !== 0) trap(`unaligned pointer: ${what} ${ptr} is not aligned to ${align}`);
    if (ptr + length > this.size) trap(`${what} out of bounds: ${ptr} + ${length} is beyond the end of memory`);
  }
}

/**
 * Calls the guest's realloc as the spec's LiftLowerContext.reallocate does: with
 * `may_leave` cleared for the instance, then checks the result (alignment, bounds).
 * `what` names the value being allocated in the trap message ("list", "string", ...);
 * `check` false leaves the result checks to the caller.
 */
export function callRealloc(ctx, oldPtr, oldSize, align, newSize, what = 'list', check = true) {
  const realloc = ctx.realloc;
  if (!realloc) trap('realloc is required to lower this value but the function has none');
  const state = ctx.instance;
  const previous = state.mayLeave;
  const runtime = ctx.runtime;
  state.mayLeave = false;
  // realloc runs on a fresh thread: context.get sees zeros there.
  if (runtime.usesContext) runtime.context.push();
  let ptr;
  try {
    ptr = realloc(oldPtr, oldSize, align, newSize) >>> 0;
  } catch (e) {
    throw trapInside('its realloc', `realloc(${oldPtr}, ${oldSize}, ${align}, ${newSize}) for a ${what}`, e);
  } finally {
    if (runtime.usesContext) runtime.context.pop();
    state.mayLeave = previous;
  }
  if (!check) return ptr;  // the caller (the engine's transcoder) checks the result itself
  // Both of Wasmtime's wordings, since the spec's tests quote one or the other.
  if (ptr % align !== 0) trap(`realloc return: result not aligned (unaligned pointer ${ptr} for a ${what} aligned to ${align})`);
  if (ptr + newSize > ctx.mem.size) trap(`realloc return: beyond end of memory (${what} content out-of-bounds: ${ptr} + ${newSize} bytes)`);
  return ptr;
}
