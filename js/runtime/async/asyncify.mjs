// Guest stacks that wait without JSPI: Binaryen's Asyncify (asyncify-transform.mjs
// rewrote the core modules). A stack that must wait unwinds: each instrumented function on
// it saves its locals into a buffer in guest memory and returns, up to the core function
// the driver entered, which returns to the driver. To resume, the driver calls that core
// function again with the same arguments while rewinding: each function restores its
// locals and calls on down the saved path until the import that blocked is called again
// and returns the built-in's result. (driver.mjs decides when; this file keeps the state.)
//
// The state (0 normal, 1 unwinding, 2 rewinding) is one global imported by every
// rewritten module of the instantiation. Each core instance has its own data global: the
// address, in its memory, of the buffer of the stack now unwinding or rewinding. A buffer
// is taken from the memory by growing it (the guest's allocator grows memory the same way,
// and never uses pages it did not get from its own grow), one per suspended stack and
// memory, and reused once the stack has rewound.
import { ASYNCIFY_IMPORT_MODULE, DATA_GLOBAL, MEMORY_EXPORT, STATE_GLOBAL } from './asyncify-transform.mjs';

const NORMAL = 0;
const UNWINDING = 1;
const REWINDING = 2;

const PAGE = 65536;
// One page per stack and memory: 16 K values of locals. A deeper stack traps while
// unwinding (unwindTrapHint says so).
export const BUFFER_BYTES = PAGE;
const HEADER = 8;  // { current: u32, end: u32 }

class MemoryBuffers {
  constructor(memory) {
    this.memory = memory;
    this.dataGlobals = [];
    this.free = [];
  }

  take() {
    let address = this.free.pop();
    if (address === undefined) {
      try {
        address = this.memory.grow(BUFFER_BYTES / PAGE) * PAGE;
      } catch {
        throw new RangeError('a guest stack must wait, and its memory cannot grow by the 64 KiB Asyncify needs to save it');
      }
    }
    const view = new DataView(this.memory.buffer);
    view.setUint32(address, address + HEADER, true);
    view.setUint32(address + 4, address + BUFFER_BYTES, true);
    return address;
  }

  point(address) {
    for (const global of this.dataGlobals) global.value = address;
  }
}

export class AsyncifyStacks {
  constructor() {
    this.state = new WebAssembly.Global({ value: 'i32', mutable: true }, NORMAL);
    this.memories = [];  // MemoryBuffers, one per distinct memory
  }

  /** The import object of a rewritten module: `importObject` plus the Asyncify globals. */
  importsFor(importObject) {
    const data = new WebAssembly.Global({ value: 'i32', mutable: true }, 0);
    const env = Object.assign(Object.create(null), importObject[ASYNCIFY_IMPORT_MODULE]);
    env[STATE_GLOBAL] = this.state;
    env[DATA_GLOBAL] = data;
    return { imports: { ...importObject, [ASYNCIFY_IMPORT_MODULE]: env }, data };
  }

  /**
   * A rewritten module was instantiated with the import object and data global importsFor
   * gave: its memory 0 is the one the rewrite exported, else its first imported memory.
   */
  instantiated(module, importObject, exports, data) {
    const memory = moduleMemory(module, importObject, exports);
    let buffers = this.memories.find((m) => m.memory === memory);
    if (!buffers) this.memories.push((buffers = new MemoryBuffers(memory)));
    buffers.dataGlobals.push(data);
  }

  get unwinding() {
    return this.state.value === UNWINDING;
  }

  get rewinding() {
    return this.state.value === REWINDING;
  }

  /** The current stack must wait: from now on, every function on it saves itself and returns. */
  startUnwind(stack) {
    stack.buffers = this.memories.map((m) => {
      const address = m.take();
      m.point(address);
      return address;
    });
    this.state.value = UNWINDING;
  }

  /** The unwind reached the driver's entry. */
  stopUnwind() {
    this.state.value = NORMAL;
  }

  /** Before calling the stack's core function again: it restores its locals on the way down. */
  startRewind(stack) {
    this.memories.forEach((m, i) => m.point(stack.buffers[i]));
    this.state.value = REWINDING;
  }

  /** The rewind reached the import that blocked: the stack runs on, its buffers are free. */
  stopRewind(stack) {
    this.state.value = NORMAL;
    this.release(stack);
  }

  release(stack) {
    if (!stack.buffers) return;
    this.memories.forEach((m, i) => m.free.push(stack.buffers[i]));
    stack.buffers = null;
  }

  /** A trap while unwinding or rewinding: back to normal (the instantiation is locked down). */
  abandon(stack) {
    const wasUnwinding = this.state.value === UNWINDING;
    this.state.value = NORMAL;
    stack.buffers = null;  // its memory may hold anything now
    return wasUnwinding;
  }
}

function moduleMemory(module, importObject, exports) {
  if (exports[MEMORY_EXPORT]) return exports[MEMORY_EXPORT];
  const imported = WebAssembly.Module.imports(module).find((i) => i.kind === 'memory');
  return importObject[imported.module][imported.name];
}

/** What a trap while unwinding most likely means. */
export function unwindTrapHint() {
  return `(while saving a waiting guest stack for Asyncify: it may not fit its ${BUFFER_BYTES / 1024} KiB buffer)`;
}
