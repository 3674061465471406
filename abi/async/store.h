// The async engine's entry points (CanonicalABI.md "Embedding", "canon lift", "canon
// lower"; definitions.py Store, canon_lift, canon_lower). See docs/async-design.md: the
// engine decides, JS acts. Each entry point performs one step of the spec and returns what
// must happen next; the driver (js/runtime/async/, or a test) calls guest code, moves values
// and then reports back. Tasks, threads and subtasks are named by small integer ids.
//
// A call of a lifted function, driver's view:
//   start_task → Started: lower the arguments, call the core function with its thread
//                current; Queued: wait for next_ready() to say Start.
//   core function returned → sync lift: on_sync_return (after lowering results to the
//                caller), then post-return, then on_core_exit; callback lift:
//                on_callback_result(packed); stackful: on_core_exit.
//   next_ready() → which thread to resume and how (Start / Callback / Stack).
//   take_resolution() → tasks that resolved: settle the host's Promise.
// A call through canon lower: lower_start → (run the callee: start_task with the subtask,
// or a host function) → lower_finish; host callees report subtask_on_start /
// subtask_on_resolve when their Promise progresses.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include "async/events.h"
#include "async/subtask.h"
#include "async/task.h"
#include "async/thread.h"
#include "runtime/component_instance.h"
#include "util/recycling_allocator.h"

namespace cm {
class GuestMemory;
}

namespace cm::async {

// How the driver resumes a thread that next_ready() picked.
enum class ResumeKind : uint8_t {
  Start,     // the call got past backpressure: lower its arguments, call the core function
  Callback,  // call the task's callback with `event`
  Stack,     // resume the suspended stack (JSPI); the blocked built-in returns `result`
};

struct Resume {
  ResumeKind kind;
  uint32_t thread;
  uint32_t task;
  Event event;
  bool cancelled = false;
  uint32_t result = 0;
};

// What a built-in that may block tells the driver: return `value` now, or suspend this
// thread's stack until next_ready() hands it back as ResumeKind::Stack.
struct BlockingResult {
  bool blocked = false;
  uint32_t value = 0;
};

struct StartResult {
  uint32_t task;
  uint32_t thread;
  bool started;  // false: queued behind backpressure
};

// After a callback-ABI core function (or callback) returned its packed code.
enum class CallbackStep : uint8_t { Exit, Waiting };

// A resolved task: what the host's Promise (caller_subtask == 0) or the caller's subtask
// gets. Returned values are moved by the driver at task.return time.
struct Resolution {
  uint32_t task;
  uint32_t caller_subtask;  // 0: the host called
  Task::Outcome how;
};

// waitable-set.wait/poll's results: p1 and p2 as u32s at ptr and ptr + 4 (unpack_event).
void store_event(GuestMemory& memory, uint32_t ptr, const Event& e);

// The store's tables by id. Hash maps: every entry point looks its task, thread or
// subtask up by id, and with 100k tasks pending a tree's walk missed the cache at each of
// its ~18 levels. Their entries come and go with every call, hence the recycling.
template <typename V>
using IdMap = std::unordered_map<uint32_t, V, std::hash<uint32_t>, std::equal_to<uint32_t>,
                                 RecyclingAllocator<std::pair<const uint32_t, V>>>;

class AsyncStore final : public SetListener {
 public:
  // --- canon lift ---
  // A call of a lifted function in `inst`, from the host (caller == 0) or from a guest
  // subtask created by lower_start. Async-typed calls wait at the backpressure gate.
  StartResult start_task(ComponentInstance& inst, LiftKind kind, uint32_t caller_subtask = 0);
  // A callback-ABI core function or callback returned `packed` (code | set index << 4).
  CallbackStep on_callback_result(uint32_t task, uint32_t packed);
  // A sync-lifted core function returned: the task resolves (the driver has lowered the
  // results into the caller or will settle the host's Promise with them).
  void on_sync_return(uint32_t task);
  // The implicit thread's core function finished (sync after post-return; stackful).
  void on_core_exit(uint32_t task);
  // The host's AbortSignal: the spec's OnCancel returned by a call, for the host.
  // `may_enter`: whether the host could enter the task's instance now; it cannot while
  // that instance is on the stack (the host aborts from inside an import the guest
  // called), and then the cancellation stays pending until the task next waits.
  void cancel_task(uint32_t task, bool may_enter = true);

  // --- the event loop ---
  // The first ready waiting thread in FIFO order, made running. Empty when nothing is ready.
  std::optional<Resume> next_ready();
  // Resumes one thread that must run now (the spec's thread.resume inside another
  // built-in: a cancellation delivered by subtask.cancel). Traps unless it is ready.
  Resume resume_thread(uint32_t thread);
  // Tasks resolved since the last call, oldest first.
  std::optional<Resolution> take_resolution();
  bool has_resolution() const { return !resolutions_.empty(); }
  // Whether any thread is waiting (used by the driver's deadlock check).
  bool has_waiting() const { return !waiting_.empty() || set_waiting_ > 0; }
  // The two counts above as plain words kept current on every change, for a host that
  // reads them straight out of the engine's memory: asking after every step of every
  // call whether anything resolved or waits then costs no call into the engine.
  struct Gauges {
    uint32_t resolutions = 0;  // tasks resolved and not yet taken
    uint32_t waiting = 0;      // threads waiting (in either list)
  };
  const Gauges& gauges() const { return gauges_; }
  // Whether next_ready() would resume a thread now.
  bool any_ready() { return first_ready() != nullptr; }

  // --- canon lower ---
  // A guest thread calls a lowered function: creates the subtask (traps when the instance
  // may not leave).
  uint32_t lower_start(uint32_t caller_thread, bool async_);
  void subtask_on_start(uint32_t subtask);
  void subtask_on_resolve(uint32_t subtask, SubtaskState state);
  // The callee returned or blocked. Async lower: `value` is RETURNED (2, no handle) or
  // state | index << 4. Sync lower: blocks until the callee resolves.
  BlockingResult lower_finish(uint32_t subtask);
  // Handles lent for the call (lift_borrow in a lower's parameters).
  LendScope& lend_scope(uint32_t subtask) { return subtask_at(subtask).lenders; }
  // The borrow scope of a callee (lower_borrow in a lift's parameters).
  const std::shared_ptr<BorrowScope>& borrow_scope(uint32_t task) {
    std::shared_ptr<BorrowScope>& scope = task_at(task).borrow_scope;
    if (!scope) scope = std::make_shared<BorrowScope>();
    return scope;
  }

  // A thread of `task` blocks until `ready` (a host condition only the driver knows).
  // `release_lock`: a thread holding its instance's exclusive lock gives it up while it
  // waits (a sync stream/future op, see store.cpp) and takes it back to resume.
  BlockingResult block_until(uint32_t thread, std::function<bool()> ready, bool release_lock = false);

  // --- lookups ---
  Task& task_at(uint32_t id);
  Thread& thread_at(uint32_t id);
  Subtask& subtask_at(uint32_t id);
  std::shared_ptr<Subtask> subtask_ptr(uint32_t id);
  Task* find_task(uint32_t id);

  // --- used by the built-ins (canon_async.cpp) ---
  // Makes `thread` wait for `ready` (the spec's wait_until, after its pending-cancel check).
  void start_waiting(Thread& thread, WaitKind wait, std::function<bool()> ready, bool cancellable);
  // A stackful thread blocks: traps for a synchronous task (Wasmtime's rule).
  void check_may_block(Thread& thread);
  // Task.request_cancellation, from a caller instance (null: the host). Returns the thread
  // the cancellation was delivered to, which the spec resumes at once (null: none yet).
  // `may_enter`: what the spec's may_enter_from(caller) answers where the host keeps the
  // may_enter flags (the bridge: decisions.md §4); the instance's own flags are asked too.
  Thread* request_cancellation(Task& task, ComponentInstance* caller_inst, bool may_enter = true);
  // Forgets a subtask whose handle was dropped or that never got one.
  void forget_subtask(uint32_t id) { subtasks_.erase(id); }
  // Releases the instance lock and frees the thread of a finished implicit thread.
  void exit_implicit_thread(Task& task);
  // 🧵 A new (suspended) thread of `task`, registered in its instance's thread table.
  Thread& new_thread(Task& task);
  // A thread other than the implicit one finished.
  void exit_thread(Thread& thread);
  // A waiting thread made running outside next_ready (thread.*-then-promote).
  void take_ready(Thread& thread) {
    bool relock = thread.relock;
    thread.relock = false;
    stop_waiting(thread);
    if (relock) thread.task->inst->exclusive_thread = &thread;
  }
  // Queues a resolved task for take_resolution().
  void push_resolution(Task& task);

  // --- inspection (snapshot.h) ---
  // In no particular order (the snapshot sorts by id).
  const IdMap<std::unique_ptr<Task>>& tasks() const { return tasks_; }
  const IdMap<std::shared_ptr<Subtask>>& subtasks() const { return subtasks_; }

 private:
  void stop_waiting(Thread& thread);
  Resume resume(Thread& thread);
  // The first ready thread in FIFO order, or null.
  Thread* first_ready();
  void maybe_ready(WaitableSet& set) override;
  void add_candidate(Thread& thread) { candidates_.emplace(thread.wait_seq, &thread); }
  void enter_started(Task& task);
  void maybe_forget_task(Task& task);

  uint32_t next_id_ = 1;
  IdMap<std::unique_ptr<Task>> tasks_;
  IdMap<std::shared_ptr<Thread>> threads_;
  IdMap<std::shared_ptr<Subtask>> subtasks_;
  // The spec's Store.waiting, in the order threads started waiting. A list, so that a
  // thread leaves it in O(1) (Thread::waiting_pos): with many tasks pending, erasing from
  // a vector made every resume O(n).
  std::list<Thread*> waiting_;
  // Threads waiting on waitable sets are not in `waiting_` (with many tasks parked, asking
  // each one made every resume O(n)): their sets tell the store when a member gets an
  // event, and those threads become candidates, checked in FIFO order (by wait_seq).
  std::unordered_map<WaitableSet*, std::vector<Thread*>> set_waiters_;
  std::set<std::pair<uint64_t, Thread*>> candidates_;
  uint64_t set_waiting_ = 0;
  uint64_t wait_seq_ = 0;
  std::deque<Resolution> resolutions_;
  Gauges gauges_;
  void update_gauges() {
    gauges_.resolutions = static_cast<uint32_t>(resolutions_.size());
    gauges_.waiting = static_cast<uint32_t>(waiting_.size() + set_waiting_);
  }
};

}  // namespace cm::async
