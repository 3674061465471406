// The async engine's traps, one test each (definitions.py's trap_if lines; messages as
// Wasmtime's where the WAST suite quotes them, spec-digest §4.2).
#include <gtest/gtest.h>

#include <string>

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
constexpr LiftKind kSync{.ft_async = false, .async_ = false, .callback = false};

template <typename F>
void expect_trap(F&& f, const std::string& message) {
  try {
    f();
    ADD_FAILURE() << "expected a trap: " << message;
  } catch (const Trap& t) {
    EXPECT_NE(std::string(t.what()).find(message), std::string::npos) << t.what();
  }
}

// A stackful task of `inst` started by the host, its thread left running so the test can
// call built-ins as its guest code would.
struct Running {
  Driver d;
  ComponentInstance inst;
  uint32_t task = 0, thread = 0;
  explicit Running(LiftKind kind = kStackful) {
    StartResult s = d.store.start_task(inst, kind);
    task = s.task;
    thread = s.thread;
  }
};

// Task.return_: trap_if(state == RESOLVED).
TEST(AsyncTrap, DoubleTaskReturn) {
  Running r;
  canon_task_return(r.d.store, r.thread, true, true);
  expect_trap([&] { canon_task_return(r.d.store, r.thread, true, true); }, "task already returned");
}

// Task.return_ after task.cancel resolved the task.
TEST(AsyncTrap, TaskReturnAfterCancel) {
  Running r;
  r.d.store.cancel_task(r.task);  // nothing cancellable is blocked: PENDING_CANCEL
  EXPECT_EQ(r.d.store.task_at(r.task).state, Task::State::PendingCancel);
  VectorMemory mem(8);
  uint32_t seti = canon_waitable_set_new(r.d.store, r.thread);
  EXPECT_EQ(canon_waitable_set_poll(r.d.store, r.thread, true, mem, seti, 0), uint32_t(EventCode::TaskCancelled));
  canon_task_cancel(r.d.store, r.thread);
  expect_trap([&] { canon_task_return(r.d.store, r.thread, true, true); }, "task already returned");
}

// Task.cancel: trap_if(state != CANCEL_DELIVERED), even with a cancellation pending.
TEST(AsyncTrap, TaskCancelBeforeDelivery) {
  Running r;
  expect_trap([&] { canon_task_cancel(r.d.store, r.thread); }, "without a delivered cancellation");
  r.d.store.cancel_task(r.task);
  expect_trap([&] { canon_task_cancel(r.d.store, r.thread); }, "without a delivered cancellation");
}

// canon_task_return: trap_if(result_type != task.ft.result or options differ).
TEST(AsyncTrap, TaskReturnSignatureMismatch) {
  Running r;
  expect_trap([&] { canon_task_return(r.d.store, r.thread, false, true); },
              "invalid `task.return` signature and/or options for current task");
}

// canon_task_return: trap_if(not task.opts.async_).
TEST(AsyncTrap, TaskReturnFromSyncLift) {
  Running r(kSync);
  expect_trap([&] { canon_task_return(r.d.store, r.thread, true, true); }, "synchronously-lifted");
}

// Task.return_: trap_if(num_borrows > 0).
TEST(AsyncTrap, TaskReturnWithBorrows) {
  Running r;
  r.d.store.borrow_scope(r.task)->num_borrows = 1;
  expect_trap([&] { canon_task_return(r.d.store, r.thread, true, true); },
              "borrow handles still remain at the end of the call");
}

// WaitableSet.drop: trap_if(num_waiting > 0).
TEST(AsyncTrap, DropWaitableSetWithWaiters) {
  Running r;
  VectorMemory mem(8);
  uint32_t seti = canon_waitable_set_new(r.d.store, r.thread);
  // A second thread of the instance waits on the set.
  StartResult other = r.d.store.start_task(r.inst, kStackful);
  EXPECT_TRUE(canon_waitable_set_wait(r.d.store, other.thread, false, mem, seti, 0).blocked);
  expect_trap([&] { canon_waitable_set_drop(r.d.store, r.thread, seti); },
              "cannot drop waitable set with waiters");
}

// WaitableSet.drop: trap_if(len(elems) > 0).
TEST(AsyncTrap, DropNonEmptyWaitableSet) {
  Running r;
  uint32_t seti = canon_waitable_set_new(r.d.store, r.thread);
  uint32_t sid = r.d.store.lower_start(r.thread, true);
  uint32_t subi = r.d.store.lower_finish(sid).value >> 4;
  canon_waitable_join(r.d.store, r.thread, subi, seti);
  expect_trap([&] { canon_waitable_set_drop(r.d.store, r.thread, seti); },
              "cannot drop waitable set with waiters");
}

// Subtask.drop: trap_if(not resolve_delivered()).
TEST(AsyncTrap, DropUnresolvedSubtask) {
  Running r;
  uint32_t sid = r.d.store.lower_start(r.thread, true);
  uint32_t subi = r.d.store.lower_finish(sid).value >> 4;
  expect_trap([&] { canon_subtask_drop(r.d.store, r.thread, subi); },
              "cannot drop a subtask which has not yet resolved");
}

// A resolved subtask whose event was not delivered yet is not droppable either.
TEST(AsyncTrap, DropResolvedButUndeliveredSubtask) {
  Running r;
  uint32_t sid = r.d.store.lower_start(r.thread, true);
  uint32_t subi = r.d.store.lower_finish(sid).value >> 4;
  r.d.store.subtask_on_start(sid);
  r.d.store.subtask_on_resolve(sid, SubtaskState::Returned);
  expect_trap([&] { canon_subtask_drop(r.d.store, r.thread, subi); },
              "cannot drop a subtask which has not yet resolved");
}

// canon_waitable_join: trap_if(w.has_sync_waiter).
TEST(AsyncTrap, JoinWhileSyncWaited) {
  Running r;
  uint32_t sid = r.d.store.lower_start(r.thread, true);
  uint32_t subi = r.d.store.lower_finish(sid).value >> 4;
  SubtaskCancelResult c = canon_subtask_cancel(r.d.store, r.thread, false, subi);
  EXPECT_EQ(c.cancel_host, sid);
  EXPECT_TRUE(canon_subtask_cancel_finish(r.d.store, r.thread, false, subi).blocked);
  // Another thread of the same instance tries to put it in a set.
  StartResult other = r.d.store.start_task(r.inst, kStackful);
  uint32_t seti = canon_waitable_set_new(r.d.store, other.thread);
  expect_trap([&] { canon_waitable_join(r.d.store, other.thread, subi, seti); },
              "waitable cannot be used synchronously while added to a waitable set");
}

// canon_subtask_cancel: trap_if(in_waitable_set() and not async_).
TEST(AsyncTrap, SyncCancelOfSubtaskInSet) {
  Running r;
  uint32_t seti = canon_waitable_set_new(r.d.store, r.thread);
  uint32_t sid = r.d.store.lower_start(r.thread, true);
  uint32_t subi = r.d.store.lower_finish(sid).value >> 4;
  canon_waitable_join(r.d.store, r.thread, subi, seti);
  expect_trap([&] { canon_subtask_cancel(r.d.store, r.thread, false, subi); },
              "waitable cannot be used synchronously while added to a waitable set");
}

// canon_subtask_cancel: trap_if(cancellation_requested) and trap_if(resolve_delivered()).
TEST(AsyncTrap, CancelSubtaskTwiceOrAfterDelivery) {
  Running r;
  uint32_t sid = r.d.store.lower_start(r.thread, true);
  uint32_t subi = r.d.store.lower_finish(sid).value >> 4;
  EXPECT_EQ(canon_subtask_cancel(r.d.store, r.thread, true, subi).cancel_host, sid);
  EXPECT_EQ(canon_subtask_cancel_finish(r.d.store, r.thread, true, subi).value, BLOCKED);
  expect_trap([&] { canon_subtask_cancel(r.d.store, r.thread, true, subi); }, "cannot cancel a subtask twice");
  r.d.store.subtask_on_resolve(sid, SubtaskState::CancelledBeforeStarted);
  VectorMemory mem(8);
  uint32_t seti = canon_waitable_set_new(r.d.store, r.thread);
  canon_waitable_join(r.d.store, r.thread, subi, seti);
  EXPECT_EQ(canon_waitable_set_poll(r.d.store, r.thread, false, mem, seti, 0), uint32_t(EventCode::Subtask));
  EXPECT_EQ(mem.bytes[4], uint32_t(SubtaskState::CancelledBeforeStarted));
  expect_trap([&] { canon_subtask_cancel(r.d.store, r.thread, true, subi); }, "resolution was delivered");
}

// canon_backpressure_inc: trap_if(backpressure == 2^16); _dec: trap_if(backpressure < 0).
TEST(AsyncTrap, BackpressureOverflowAndUnderflow) {
  Running r;
  expect_trap([&] { canon_backpressure_dec(r.d.store, r.thread); }, "backpressure counter underflow");
  r.inst.backpressure = 0xFFFE;
  canon_backpressure_inc(r.d.store, r.thread);
  EXPECT_EQ(r.inst.backpressure, 0xFFFFu);
  expect_trap([&] { canon_backpressure_inc(r.d.store, r.thread); }, "backpressure counter overflow");
}

// unpack_callback_result: trap_if(code > CallbackCode.MAX).
TEST(AsyncTrap, BadCallbackCode) {
  Running r(kCallback);
  expect_trap([&] { r.d.store.on_callback_result(r.task, 3); }, "unsupported callback code");
}

// canon_lift's callback loop: WAIT on an index that is not a waitable set.
TEST(AsyncTrap, WaitOnANonSet) {
  Running r(kCallback);
  uint32_t sid = r.d.store.lower_start(r.thread, true);
  uint32_t subi = r.d.store.lower_finish(sid).value >> 4;
  expect_trap([&] { r.d.store.on_callback_result(r.task, uint32_t(CallbackCode::Wait) | subi << 4); },
              "not a waitable set");
  expect_trap([&] { r.d.store.on_callback_result(r.task, uint32_t(CallbackCode::Wait) | 7 << 4); },
              "unknown handle index 7");
}

// Task.unregister_thread: the last thread exits an unresolved task.
TEST(AsyncTrap, ExitWithoutReturn) {
  Running r(kCallback);
  expect_trap([&] { r.d.store.on_callback_result(r.task, uint32_t(CallbackCode::Exit)); },
              "async-lifted export failed to produce a result");
}

// A sync-typed task may not block before returning (Wasmtime's rule).
TEST(AsyncTrap, SyncTaskBlocking) {
  Running r(kSync);
  uint32_t sid = r.d.store.lower_start(r.thread, false);
  expect_trap([&] { r.d.store.lower_finish(sid); }, "cannot block a synchronous task before returning");
}

// may_leave guards (cleared during realloc and post-return).
TEST(AsyncTrap, BuiltinsWhileMayNotLeave) {
  Running r;
  r.inst.may_leave = false;
  expect_trap([&] { canon_waitable_set_new(r.d.store, r.thread); }, "cannot leave component instance");
  expect_trap([&] { r.d.store.lower_start(r.thread, true); }, "cannot leave component instance");
  expect_trap([&] { canon_task_return(r.d.store, r.thread, true, true); }, "cannot leave component instance");
  // Not guarded: context.get/set and backpressure.inc/dec (test/values/post-return.wast).
  canon_context_set(r.d.store, r.thread, 1, 7);
  EXPECT_EQ(canon_context_get(r.d.store, r.thread, 1), 7u);
  canon_backpressure_inc(r.d.store, r.thread);
  canon_backpressure_dec(r.d.store, r.thread);
}

}  // namespace
}  // namespace cm::async
