// The async canonical built-ins (CanonicalABI.md "canon task.return" … "canon
// thread.yield"; definitions.py canon_*), each one function with the spec's guard lines
// first. `thread` is the store id of the thread whose core code called the built-in (the
// spec's current_thread()). Built-ins that would block a stack return a BlockingResult:
// the driver suspends that stack (JSPI) until AsyncStore::next_ready() resumes it.
// Following component-model #716, waitable-set.wait/poll and thread.yield take no
// `cancellable` immediate any more; binaries from before it may still pass true.
#pragma once

#include <cstdint>

#include "async/store.h"

namespace cm {
class GuestMemory;
}

namespace cm::async {

// task.return: the driver checked the result type and the options against the lift and
// lifts the values; the engine applies the state rules. Returns the resolution (the caller
// subtask, if a guest called, whose out-pointer receives the values).
Resolution canon_task_return(AsyncStore& store, uint32_t thread, bool result_type_matches,
                             bool options_match);
Resolution canon_task_cancel(AsyncStore& store, uint32_t thread);

uint32_t canon_waitable_set_new(AsyncStore& store, uint32_t thread);
BlockingResult canon_waitable_set_wait(AsyncStore& store, uint32_t thread, bool cancellable,
                                       GuestMemory& memory, uint32_t si, uint32_t ptr);
uint32_t canon_waitable_set_poll(AsyncStore& store, uint32_t thread, bool cancellable,
                                 GuestMemory& memory, uint32_t si, uint32_t ptr);
void canon_waitable_set_drop(AsyncStore& store, uint32_t thread, uint32_t si);
void canon_waitable_join(AsyncStore& store, uint32_t thread, uint32_t wi, uint32_t si);

// subtask.cancel, in two steps when the callee is a host function: `cancel_host` names the
// subtask whose host operation the driver must abort now (the spec's on_cancel), after
// which it calls canon_subtask_cancel_finish. A guest callee is handled inside.
// A guest callee that can take the cancellation now is named by `resume`: the driver
// resumes that thread at once (AsyncStore::resume_thread; the spec's thread.resume inside
// request_cancellation), then calls canon_subtask_cancel_finish.
struct SubtaskCancelResult {
  BlockingResult result;
  uint32_t cancel_host = 0;
  uint32_t resume = 0;
};
SubtaskCancelResult canon_subtask_cancel(AsyncStore& store, uint32_t thread, bool async_, uint32_t i);
BlockingResult canon_subtask_cancel_finish(AsyncStore& store, uint32_t thread, bool async_, uint32_t i);
void canon_subtask_drop(AsyncStore& store, uint32_t thread, uint32_t i);

// The counter's rules by instance (a host running a sync task, which has no engine thread,
// counts through these too).
void backpressure_inc(ComponentInstance& inst);
void backpressure_dec(ComponentInstance& inst);
void canon_backpressure_inc(AsyncStore& store, uint32_t thread);
void canon_backpressure_dec(AsyncStore& store, uint32_t thread);

uint32_t canon_context_get(AsyncStore& store, uint32_t thread, uint32_t i);
void canon_context_set(AsyncStore& store, uint32_t thread, uint32_t i, uint32_t v);

BlockingResult canon_thread_yield(AsyncStore& store, uint32_t thread, bool cancellable);
uint32_t canon_thread_index(AsyncStore& store, uint32_t thread);

// 🧵 Cooperative threads (CanonicalABI.md "canon thread.*"). A thread's stack is the
// driver's (a JSPI stack); the engine keeps its state. thread.new-indirect makes a
// suspended thread of the caller's task and returns its index; the driver finds the
// function in the table and remembers it by the new thread's id (`new_thread`).
struct NewThread {
  uint32_t index;
  uint32_t thread;
};
NewThread canon_thread_new_indirect(AsyncStore& store, uint32_t thread);
void canon_thread_resume_later(AsyncStore& store, uint32_t thread, uint32_t i);
BlockingResult canon_thread_suspend(AsyncStore& store, uint32_t thread, bool cancellable);

// thread.{suspend,yield}-then-{resume,promote}: the calling thread suspends (or yields:
// waits, ready at once) and `switch_to` runs now, if any. `value` is what the built-in
// returns when it does not switch (a pending cancellation: 1).
struct SwitchResult {
  bool switched = false;
  uint32_t value = 0;
  uint32_t switch_to = 0;  // the thread id that runs now (when switched)
};
SwitchResult canon_thread_switch(AsyncStore& store, uint32_t thread, bool cancellable, uint32_t i,
                                 bool yield_, bool promote);
// A thread's function returned: it leaves its task (traps when it was the task's last
// thread and the task has not returned).
void thread_exit(AsyncStore& store, uint32_t thread);

}  // namespace cm::async
