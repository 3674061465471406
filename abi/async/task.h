// One call of a lifted function (CanonicalABI.md "Task State"; definitions.py class Task):
// its state, its threads, the borrows lent to it, and the rules of returning and of
// cancellation. The AsyncStore creates tasks and moves them through their states; the
// guest's core code and the values it returns stay in JS.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "async/thread.h"
#include "runtime/component_instance.h"
#include "runtime/resource.h"

namespace cm::async {

class Subtask;

// How the function was lifted: the three ABIs of canon lift.
struct LiftKind {
  bool ft_async = false;  // the function type is `async` (0x43)
  bool async_ = false;    // the `async` canonopt
  bool callback = false;  // the `callback` canonopt (stackless) vs none (stackful 🚟)
};

// The threads of a task, oldest first: a list threaded through the Threads themselves
// (most tasks have exactly one thread, and a vector made an allocation per call).
class TaskThreads {
 public:
  class Iterator {
   public:
    explicit Iterator(Thread* t) : t_(t) {}
    Thread* operator*() const { return t_; }
    Iterator& operator++() {
      t_ = t_->next_in_task;
      return *this;
    }
    bool operator!=(const Iterator& o) const { return t_ != o.t_; }

   private:
    Thread* t_;
  };

  void push_back(Thread* t) {
    t->prev_in_task = tail_;
    t->next_in_task = nullptr;
    (tail_ ? tail_->next_in_task : head_) = t;
    tail_ = t;
    t->in_task_list = true;
  }
  // Removes `t` if it is in the list.
  void erase(Thread* t) {
    if (!t->in_task_list) return;
    (t->prev_in_task ? t->prev_in_task->next_in_task : head_) = t->next_in_task;
    (t->next_in_task ? t->next_in_task->prev_in_task : tail_) = t->prev_in_task;
    t->prev_in_task = t->next_in_task = nullptr;
    t->in_task_list = false;
  }
  bool empty() const { return head_ == nullptr; }
  Iterator begin() const { return Iterator(head_); }
  Iterator end() const { return Iterator(nullptr); }

 private:
  Thread* head_ = nullptr;
  Thread* tail_ = nullptr;
};

class Task {
 public:
  enum class State : uint8_t {
    Initial = 1,
    Started = 2,
    PendingCancel = 3,
    CancelDelivered = 4,
    Resolved = 5,
  };
  // How a resolved task ended: what its caller (host Promise or Subtask) learns.
  enum class Outcome : uint8_t { None, Returned, Cancelled };

  Task(uint32_t id, ComponentInstance& inst, LiftKind kind, std::shared_ptr<Subtask> caller,
       ComponentInstance* caller_inst)
      : id(id), inst(&inst), kind(kind), caller(std::move(caller)), caller_inst(caller_inst) {}

  // A task is made and freed per call: freed ones are recycled (util/recycling_allocator.h).
  static void* operator new(std::size_t size);
  static void operator delete(void* p, std::size_t size);

  // Sync- and callback-lifted code runs under the instance's exclusive lock; stackful
  // async code does not.
  bool needs_exclusive() const { return !kind.async_ || kind.callback; }
  // The gate of enter_implicit_thread (async-typed functions only).
  bool has_backpressure() const {
    return inst->backpressure > 0 || (needs_exclusive() && inst->exclusive_thread != nullptr);
  }
  // Whether a call must wait at the gate (queued calls keep later ones behind them).
  bool must_wait_to_enter() const {
    return kind.ft_async && (has_backpressure() || inst->num_waiting_to_enter > 0);
  }

  // Delivers a pending cancellation at a cancellable blocking point.
  bool deliver_pending_cancel(bool cancellable) {
    if (cancellable && state == State::PendingCancel) {
      state = State::CancelDelivered;
      return true;
    }
    return false;
  }

  // task.return / the return of a sync lift. Traps on a second resolution and on
  // outstanding borrows; resolves the caller's subtask (RETURNED).
  void return_();
  // task.cancel / an abort at the gate. Traps unless a cancellation was delivered.
  void cancel();

  void register_thread(const std::shared_ptr<Thread>& thread);
  // Traps when the last thread leaves an unresolved task.
  void unregister_thread(Thread& thread);

  uint32_t id;
  ComponentInstance* inst;
  LiftKind kind;
  State state = State::Initial;
  Outcome outcome = Outcome::None;
  // The borrows lent to this task, made when its first handle argument is lowered (most
  // calls have none, and a scope per call was an allocation per call).
  std::shared_ptr<BorrowScope> borrow_scope;
  std::shared_ptr<Thread> implicit_thread;
  TaskThreads threads;
  // The caller: a guest's subtask, or null when the host called.
  std::shared_ptr<Subtask> caller;
  ComponentInstance* caller_inst;
};

}  // namespace cm::async
