// The engine's out slots (bridge/store_bindings.cpp `OutSlot`): what an async entry point
// leaves beyond its return value, read as a Uint32Array over the engine's heap. The view
// is re-made when the heap grew (growth detaches the old buffer).
export const OUT_KIND = 0;       // next_ready: ResumeKind; take_resolution: outcome
export const OUT_THREAD = 1;     // start_task / next_ready
export const OUT_TASK = 2;       // next_ready / take_resolution
export const OUT_EVENT = 3;      // next_ready: event code
export const OUT_P1 = 4;         // next_ready / wait / poll: event payload
export const OUT_P2 = 5;
export const OUT_CANCELLED = 6;  // next_ready: resumed cancelled
export const OUT_RESULT = 7;     // start_task: started; next_ready (Stack): value; take_resolution: caller subtask

// ResumeKind (abi/async/store.h).
export const RESUME_START = 0;
export const RESUME_CALLBACK = 1;
export const RESUME_STACK = 2;

// Task::Outcome (abi/async/task.h).
export const OUTCOME_RETURNED = 1;
export const OUTCOME_CANCELLED = 2;

// AsyncStore::Gauges (abi/async/store.h): counts the engine keeps current in its memory.
const GAUGE_RESOLUTIONS = 0;
const GAUGE_WAITING = 1;

export class EngineView {
  constructor(engine, store) {
    this.engine = engine;
    this.ptr = store.outPtr();
    this.gaugesPtr = store.gaugesPtr();
    this.slots = null;
    this.gaugeWords = null;
  }

  /** The out slots, current. */
  get out() {
    // Memory growth detaches the old buffer, which leaves the view empty.
    if (this.slots === null || this.slots.length === 0) {
      this.slots = new Uint32Array(this.engine.HEAPU8.buffer, this.ptr, 8);
    }
    return this.slots;
  }

  get gauges() {
    if (this.gaugeWords === null || this.gaugeWords.length === 0) {
      this.gaugeWords = new Uint32Array(this.engine.HEAPU8.buffer, this.gaugesPtr, 2);
    }
    return this.gaugeWords;
  }

  /** Whether a task resolved and was not yet taken (store.takeResolution). */
  hasResolution() {
    return this.gauges[GAUGE_RESOLUTIONS] !== 0;
  }

  /** Whether any thread is waiting. */
  hasWaiting() {
    return this.gauges[GAUGE_WAITING] !== 0;
  }
}
