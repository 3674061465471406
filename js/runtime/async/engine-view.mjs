// The engine's out slots: what an async entry point leaves beyond its return value, read
// as a Uint32Array over the engine's heap, and its gauges (AsyncStore::Gauges, counts it
// keeps current in its memory). The views are re-made when the heap grew (growth detaches
// the old buffer).
//
// The numbers come from the engine (js/engine/abi-numbers.mjs, written at build time from
// bridge/abi_numbers.cpp): OUT_* name the slots (bridge/shared_numbers.h OutSlot), RESUME_*
// the ResumeKind next_ready leaves in OUT_KIND (abi/async/store.h), OUTCOME_* the
// Task::Outcome take_resolution leaves there (abi/async/task.h).
import { GAUGE_RESOLUTIONS, GAUGE_WAITING, OUT_SLOTS } from '../../engine/abi-numbers.mjs';

export {
  OUT_CANCELLED, OUT_EVENT, OUT_KIND, OUT_P1, OUT_P2, OUT_RESULT, OUT_TASK, OUT_THREAD,
  OUTCOME_CANCELLED, OUTCOME_RETURNED, RESUME_CALLBACK, RESUME_STACK, RESUME_START,
} from '../../engine/abi-numbers.mjs';

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
      this.slots = new Uint32Array(this.engine.HEAPU8.buffer, this.ptr, OUT_SLOTS);
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
