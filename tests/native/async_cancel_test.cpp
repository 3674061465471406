// Cancellation, after run_tests.py test_cancel_subtask as component-model #716 reshapes it:
// waitable-set.wait and thread.yield are no longer cancellable, the callback loop still
// receives TASK_CANCELLED, and a cancelled callee runs when the event loop resumes it (so
// an async subtask.cancel of a started guest callee returns BLOCKED and the caller learns
// the outcome from a SUBTASK event).
#include <gtest/gtest.h>

#include "async_driver.h"
#include "async/canon_async.h"

namespace cm::async {
namespace {

using testing::done;
using testing::Driver;
using testing::Func;
using testing::Segment;

constexpr LiftKind kStackful{.ft_async = true, .async_ = true, .callback = false};
constexpr LiftKind kCallback{.ft_async = true, .async_ = true, .callback = true};

uint32_t u32_at(const VectorMemory& m, uint32_t p) {
  return uint32_t(m.bytes[p]) | uint32_t(m.bytes[p + 1]) << 8 | uint32_t(m.bytes[p + 2]) << 16 |
         uint32_t(m.bytes[p + 3]) << 24;
}
constexpr uint32_t kStarting = uint32_t(SubtaskState::Starting);
constexpr uint32_t kStarted = uint32_t(SubtaskState::Started);
constexpr uint32_t kReturned = uint32_t(SubtaskState::Returned);
constexpr uint32_t kCancelledBeforeStarted = uint32_t(SubtaskState::CancelledBeforeStarted);
constexpr uint32_t kCancelledBeforeReturned = uint32_t(SubtaskState::CancelledBeforeReturned);

// A callback-lifted callee that waits on an empty set until cancelled, then returns 42
// (`return_value`) or calls task.cancel.
Func waiting_callback_callee(Driver& d, ComponentInstance& inst, bool return_value) {
  Func f{&inst, kCallback};
  f.core = [&d](uint32_t t) {
    uint32_t seti = canon_waitable_set_new(d.store, t);
    return uint32_t(CallbackCode::Wait) | seti << 4;
  };
  f.callback = [&d, return_value](uint32_t t, Event e) {
    EXPECT_EQ(e.code, EventCode::TaskCancelled);
    if (return_value) {
      d.task_return(t, 42);
    } else {
      canon_task_cancel(d.store, t);
    }
    return uint32_t(CallbackCode::Exit);
  };
  return f;
}

// Spec: a call still at the backpressure gate is aborted without running guest code; the
// caller sees CANCELLED_BEFORE_STARTED at once, from a sync or an async subtask.cancel.
TEST(AsyncCancel, CancelAtTheGateIsCancelledBeforeStarted) {
  Driver d;
  ComponentInstance root;
  ComponentInstance callee(&root), caller(&root);
  Func callee1{&callee, kStackful, [] {
                 return std::vector<Segment>{[](uint32_t, uint32_t) {
                   ADD_FAILURE() << "a cancelled call must not run";
                   return done();
                 }};
               }};
  Func caller_f{&caller, kStackful, [&] {
    return std::vector<Segment>{[&](uint32_t t, uint32_t) {
      callee.backpressure = 1;
      uint32_t r1 = d.lower(t, callee1, true).value;
      EXPECT_EQ(r1 & 0xF, kStarting);
      uint32_t r2 = d.lower(t, callee1, true).value;
      EXPECT_EQ(r2 & 0xF, kStarting);
      EXPECT_EQ(callee.num_waiting_to_enter, 2u);
      EXPECT_EQ(canon_subtask_cancel(d.store, t, false, r2 >> 4).result.value, kCancelledBeforeStarted);
      EXPECT_EQ(canon_subtask_cancel(d.store, t, true, r1 >> 4).result.value, kCancelledBeforeStarted);
      EXPECT_EQ(callee.num_waiting_to_enter, 0u);
      callee.backpressure = 0;
      canon_subtask_drop(d.store, t, r1 >> 4);
      canon_subtask_drop(d.store, t, r2 >> 4);
      return d.task_return(t);
    }};
  }};
  d.call(caller_f);
  d.drain();
  EXPECT_FALSE(d.store.has_waiting());
}

// Spec (Task.request_cancellation resumes the thread at once): cancelling a started callee
// waiting in its callback loop runs its callback with TASK_CANCELLED inside subtask.cancel;
// the callee may still return a value (RETURNED) or call task.cancel
// (CANCELLED_BEFORE_RETURNED), and the cancel reports that without blocking, from an async
// or a sync subtask.cancel alike (async/cancel-subtask.wast).
TEST(AsyncCancel, StartedCallbackCalleeTakesTheCancelAtOnce) {
  for (bool async_cancel : {true, false}) {
    for (bool return_value : {true, false}) {
      Driver d;
      ComponentInstance root;
      ComponentInstance callee(&root), caller(&root);
      VectorMemory mem(32);
      Func callee_f = waiting_callback_callee(d, callee, return_value);
      Func caller_f{&caller, kStackful, [&] {
        return std::vector<Segment>{[&](uint32_t t, uint32_t) {
          uint32_t r = d.lower(t, callee_f, true, &mem, 4).value;
          EXPECT_EQ(r & 0xF, kStarted);
          uint32_t subi = r >> 4;
          BlockingResult c = d.cancel_subtask(t, async_cancel, subi);
          EXPECT_FALSE(c.blocked);
          EXPECT_EQ(c.value, return_value ? kReturned : kCancelledBeforeReturned);
          EXPECT_EQ(mem.bytes[4], return_value ? 42 : 0);
          // The resolution was delivered by the cancel: the subtask may go.
          canon_subtask_drop(d.store, t, subi);
          return d.task_return(t);
        }};
      }};
      d.call(caller_f);
      d.drain();
      EXPECT_FALSE(d.store.has_waiting());
    }
  }
}

// Spec: a callee blocked where cancellation cannot be delivered gets it later (PENDING_CANCEL),
// at its next cancellable point (here a legacy cancellable waitable-set.wait, which returns
// TASK_CANCELLED without blocking; a poll after delivery sees NONE).
TEST(AsyncCancel, PendingCancelIsDeliveredAtTheNextCancellablePoint) {
  Driver d;
  ComponentInstance root;
  ComponentInstance callee(&root), caller(&root);
  VectorMemory callee_mem(16), caller_mem(32);
  bool host_flag = false;
  Func callee_f{&callee, kStackful, [&] {
    return std::vector<Segment>{
        [&](uint32_t t, uint32_t) { return d.store.block_until(t, [&] { return host_flag; }); },
        [&](uint32_t t, uint32_t) {
          EXPECT_EQ(d.store.thread_at(t).task->state, Task::State::PendingCancel);
          uint32_t seti = canon_waitable_set_new(d.store, t);
          BlockingResult r = canon_waitable_set_wait(d.store, t, true, callee_mem, seti, 0);
          EXPECT_FALSE(r.blocked);
          EXPECT_EQ(r.value, uint32_t(EventCode::TaskCancelled));
          EXPECT_EQ(canon_waitable_set_poll(d.store, t, true, callee_mem, seti, 0), uint32_t(EventCode::None));
          canon_task_cancel(d.store, t);
          return done();
        }};
  }};
  uint32_t subi = 0;
  Func caller_f{&caller, kStackful, [&] {
    return std::vector<Segment>{
        [&](uint32_t t, uint32_t) {
          subi = d.lower(t, callee_f, true).value >> 4;
          EXPECT_EQ(d.cancel_subtask(t, true, subi).value, BLOCKED);
          host_flag = true;
          uint32_t seti = canon_waitable_set_new(d.store, t);
          canon_waitable_join(d.store, t, subi, seti);
          return canon_waitable_set_wait(d.store, t, false, caller_mem, seti, 0);
        },
        [&](uint32_t t, uint32_t event) {
          EXPECT_EQ(event, uint32_t(EventCode::Subtask));
          EXPECT_EQ(u32_at(caller_mem, 4), kCancelledBeforeReturned);
          canon_subtask_drop(d.store, t, subi);
          return d.task_return(t);
        }};
  }};
  d.call(caller_f);
  d.drain();
  EXPECT_FALSE(d.store.has_waiting());
}

// run_tests.py callee5: cancelling a host callee asks JS to abort it (cancel_host); a host
// that had already returned makes the sync subtask.cancel report RETURNED.
TEST(AsyncCancel, HostCalleeCancelRacesWithReturn) {
  Driver d;
  ComponentInstance inst;
  Func f{&inst, kStackful, [&] {
    return std::vector<Segment>{[&](uint32_t t, uint32_t) {
      uint32_t sid = 0;
      uint32_t r = d.lower_host(t, true, [&](uint32_t s) {
                      sid = s;
                      d.store.subtask_on_start(s);
                    }).value;
      EXPECT_EQ(r & 0xF, kStarted);
      SubtaskCancelResult c = canon_subtask_cancel(d.store, t, false, r >> 4);
      EXPECT_EQ(c.cancel_host, sid);
      d.store.subtask_on_resolve(sid, SubtaskState::Returned);  // the host's abort lost the race
      BlockingResult fin = canon_subtask_cancel_finish(d.store, t, false, r >> 4);
      EXPECT_FALSE(fin.blocked);
      EXPECT_EQ(fin.value, kReturned);
      canon_subtask_drop(d.store, t, r >> 4);
      return d.task_return(t, 44);
    }};
  }};
  uint32_t task = d.call(f);
  d.drain();
  EXPECT_EQ(d.host_results.at(task), 44u);
}

// The host's AbortSignal (the spec's OnCancel with caller = None): a waiting callback task
// gets TASK_CANCELLED and its task.cancel settles the host's Promise as cancelled.
TEST(AsyncCancel, HostCancelsATask) {
  Driver d;
  ComponentInstance inst;
  Func f = waiting_callback_callee(d, inst, false);
  uint32_t task = d.call(f);
  d.drain();
  EXPECT_EQ(d.host_resolutions.count(task), 0u);
  d.store.cancel_task(task);
  d.drain();
  EXPECT_EQ(d.host_resolutions.at(task), Task::Outcome::Cancelled);
  EXPECT_FALSE(d.store.has_waiting());
}

// The host aborts while the task's instance is on the stack (from inside an import the
// guest called): may_enter_from fails, so the cancellation stays pending (the spec's
// PENDING_CANCEL) and the waiting thread is not woken; it hears of it at its next wait.
TEST(AsyncCancel, HostCancelWhileTheInstanceIsOnTheStackStaysPending) {
  Driver d;
  ComponentInstance inst;
  Func f = waiting_callback_callee(d, inst, false);
  uint32_t task = d.call(f);
  d.drain();
  d.store.cancel_task(task, /*may_enter=*/false);
  d.drain();
  EXPECT_EQ(d.host_resolutions.count(task), 0u);
  EXPECT_EQ(d.store.find_task(task)->state, Task::State::PendingCancel);
  EXPECT_TRUE(d.store.has_waiting());
}

// Spec (Thread.wait_until): a wait that starts with a cancellation pending returns
// TASK_CANCELLED at once. The callback loop's YIELD or WAIT then does not queue behind
// threads that were waiting earlier: the cancelled callback is the next guest code to run.
TEST(AsyncCancel, APendingCancelRunsBeforeThreadsThatWaitedEarlier) {
  Driver d;
  ComponentInstance root;
  ComponentInstance a(&root), b(&root);
  std::string log;
  Func x{&a, kCallback};
  x.core = [](uint32_t) { return uint32_t(CallbackCode::Yield); };
  int x_calls = 0;
  x.callback = [&](uint32_t t, Event) {
    log += "x";
    if (++x_calls < 2) return uint32_t(CallbackCode::Yield);
    d.task_return(t, 1);
    return uint32_t(CallbackCode::Exit);
  };
  Func y{&b, kCallback};
  y.core = [](uint32_t) { return uint32_t(CallbackCode::Yield); };
  y.callback = [&](uint32_t t, Event e) {
    if (e.code == EventCode::TaskCancelled) {
      log += "Y";
      canon_task_cancel(d.store, t);
      return uint32_t(CallbackCode::Exit);
    }
    log += "y";
    return uint32_t(CallbackCode::Yield);
  };
  uint32_t tx = d.call(x);
  uint32_t ty = d.call(y);
  d.store.cancel_task(ty, /*may_enter=*/false);  // pending: y is not woken for it
  d.drain();
  EXPECT_EQ(log, "xyYx");
  EXPECT_EQ(d.host_resolutions.at(ty), Task::Outcome::Cancelled);
  EXPECT_EQ(d.host_results.at(tx), 1u);
}

// The host cancels a call still queued behind backpressure: it resolves as cancelled
// without running.
TEST(AsyncCancel, HostCancelsAQueuedTask) {
  Driver d;
  ComponentInstance inst;
  inst.backpressure = 1;
  Func f{&inst, kStackful, [] {
           return std::vector<Segment>{[](uint32_t, uint32_t) {
             ADD_FAILURE() << "must not run";
             return done();
           }};
         }};
  uint32_t task = d.call(f);
  d.store.cancel_task(task);
  EXPECT_EQ(d.store.take_resolution()->how, Task::Outcome::Cancelled);
  EXPECT_EQ(inst.num_waiting_to_enter, 0u);
  EXPECT_FALSE(d.store.has_waiting());
}

}  // namespace
}  // namespace cm::async
