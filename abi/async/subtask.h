// The caller's side of a call through canon lower (CanonicalABI.md "Subtask State";
// definitions.py class Subtask): a Waitable whose event reports the callee's progress,
// packed `state | index << 4` in an async lower's result, and the handles the caller lent
// for the call.
#pragma once

#include <cstdint>

#include "async/events.h"
#include "async/waitable.h"
#include "runtime/resource.h"

namespace cm::async {

class Task;
class Thread;

class Subtask final : public Waitable {
 public:
  explicit Subtask(uint32_t id, Thread& caller_thread, bool async_)
      : Waitable(HandleKind::Subtask), id(id), caller_thread(&caller_thread), async_(async_) {}

  bool resolved() const {
    return state == SubtaskState::Returned || state == SubtaskState::CancelledBeforeStarted ||
           state == SubtaskState::CancelledBeforeReturned;
  }
  bool resolve_delivered() const { return lenders.resolve_delivered(); }

  // The callee got past backpressure and takes its arguments (on_start).
  void on_start();
  // The callee resolved (on_resolve): RETURNED, or a cancellation state.
  void on_resolve(SubtaskState final_state);
  // The caller was told: lent handles may move again.
  void deliver_resolve() { lenders.deliver_resolve(); }
  // Once in the caller's table (an async lower that did not finish eagerly), every state
  // change leaves an event that reports the latest state when delivered.
  void set_index(uint32_t i);

  uint32_t id;
  // The thread that made the call; only used while the lower runs (lower_start to
  // lower_finish): a supertask may finish before its subtasks resolve.
  Thread* caller_thread;
  bool async_;
  SubtaskState state = SubtaskState::Starting;
  LendScope lenders;
  bool cancellation_requested = false;
  // The callee when it is a guest task (null: a host function; JS cancels it).
  Task* callee = nullptr;
  // Handle index in the caller's table (0 until an async lower blocks).
  uint32_t index = 0;

 private:
  void on_progress();
};

}  // namespace cm::async
