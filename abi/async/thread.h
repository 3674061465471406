// A thread of a task (CanonicalABI.md "Thread State"; definitions.py class Thread), as a
// record without a stack. The spec's Thread owns a continuation; ours cannot: guest stacks
// live in JS (a callback-ABI task has none between callbacks, a stackful one is a
// JSPI-suspended stack). So a Thread only says what the spec's would be doing:
//  - Running: guest code of this thread is on the (JS) stack now;
//  - Waiting: blocked until `ready()`; the AsyncStore's ready queue hands it back to the
//    driver, which resumes it as `wait` says (call the callback, resolve a JSPI promise);
//  - Suspended: created or blocked without a ready predicate (thread.* built-ins, 🧵).
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <memory>

#include "async/events.h"
#include "runtime/component_instance.h"

namespace cm {
class GuestMemory;
}

namespace cm::async {

class Task;
class Subtask;
class WaitableSet;

// Why a thread waits, which decides what resuming it means.
enum class WaitKind : uint8_t {
  None,
  EnterGate,        // the implicit thread of a call queued behind backpressure
  CallbackYield,    // callback loop after YIELD: resume = callback(NONE or TASK_CANCELLED)
  CallbackWait,     // callback loop after WAIT: resume = callback(event of the set)
  WaitableSetWait,  // stackful waitable-set.wait: resume = return the event code
  Yield,            // stackful thread.yield: resume = return cancelled (0/1)
  SyncLower,        // sync lower of an async callee that had not resolved
  SubtaskCancel,    // sync subtask.cancel waiting for the callee to resolve
  Host,             // a predicate the driver supplied (a host future; tests)
  ResumeLater,      // 🧵 thread.resume-later: ready at once; resume = run or continue it
};

class Thread {
 public:
  enum class State : uint8_t { Running, Waiting, Suspended };

  Thread(Task& task, uint32_t id) : task(&task), id(id) {}

  bool running() const { return state == State::Running; }
  bool waiting() const { return state == State::Waiting; }
  bool suspended() const { return state == State::Suspended; }
  // A waiting thread may be resumed: its predicate holds, or a cancellation was chosen
  // to be delivered to it.
  bool ready() const {
    if (!waiting()) return false;
    if (lock_inst && lock_inst->exclusive_thread) return false;
    return deliver_cancel || !ready_func || ready_func();
  }

  State state = State::Suspended;
  // Its place in AsyncStore's waiting list while `in_waiting_list`.
  std::list<Thread*>::iterator waiting_pos;
  bool in_waiting_list = false;
  // Waiting on a waitable set (callback WAIT, waitable-set.wait): not in the list; the
  // store hears of the set's events instead. `wait_seq` orders all waits (FIFO).
  bool waits_on_set = false;
  uint64_t wait_seq = 0;
  std::function<bool()> ready_func;
  // Resuming needs this instance's exclusive lock to be free (the callback loop), even to
  // deliver a cancellation.
  ComponentInstance* lock_inst = nullptr;
  // It gave up the lock of lock_inst to wait and takes it back when resumed.
  bool relock = false;
  WaitKind wait = WaitKind::None;
  Task* task;
  // Set while blocked at a point that accepts cancellation (the spec's Thread.cancellable).
  bool cancellable = false;
  // request_cancellation chose this thread: resume it with cancelled = true.
  bool deliver_cancel = false;
  // Its links in its task's list of threads (TaskThreads, task.h).
  Thread* prev_in_task = nullptr;
  Thread* next_in_task = nullptr;
  bool in_task_list = false;
  // Index in task->inst->threads (0: not registered yet).
  uint32_t index = 0;
  // context.get/set cells.
  uint32_t storage[2] = {0, 0};
  // Store-wide id the driver names this thread by.
  uint32_t id;

  // What the wait is about (valid while waiting with the matching WaitKind).
  std::shared_ptr<WaitableSet> wset;
  std::shared_ptr<Subtask> subtask;
  GuestMemory* memory = nullptr;
  uint32_t event_ptr = 0;
};

}  // namespace cm::async
