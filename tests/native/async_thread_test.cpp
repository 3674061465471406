// Threads as records (definitions.py Thread, Task.register_thread, canon_context_get/set,
// canon_thread_index): each thread has its own two context cells and an index in the
// instance's `threads` table, a separate index space from `handles`.
#include <gtest/gtest.h>

#include "async/canon_async.h"
#include "async/store.h"

namespace cm::async {
namespace {

constexpr LiftKind kStackful{.ft_async = true, .async_ = true, .callback = false};

// Spec: Thread.storage = [0,0] per thread; context.set on one thread is not seen by another.
TEST(AsyncThread, ContextStorageIsPerThread) {
  AsyncStore store;
  ComponentInstance inst;
  StartResult a = store.start_task(inst, kStackful);
  StartResult b = store.start_task(inst, kStackful);
  EXPECT_EQ(canon_context_get(store, a.thread, 0), 0u);
  canon_context_set(store, a.thread, 0, 42);
  canon_context_set(store, a.thread, 1, 7);
  EXPECT_EQ(canon_context_get(store, a.thread, 0), 42u);
  EXPECT_EQ(canon_context_get(store, a.thread, 1), 7u);
  EXPECT_EQ(canon_context_get(store, b.thread, 0), 0u);
}

// Spec: register_thread adds the thread to inst.threads when the task starts (index 1, 2,
// ...), independent of handle indices; a queued call has no index until it starts.
TEST(AsyncThread, ThreadIndexIsInTheInstancesThreadTable) {
  AsyncStore store;
  ComponentInstance inst;
  StartResult a = store.start_task(inst, kStackful);
  EXPECT_EQ(canon_waitable_set_new(store, a.thread), 1u);  // handle index 1 ...
  EXPECT_EQ(canon_thread_index(store, a.thread), 1u);      // ... and thread index 1
  inst.backpressure = 1;
  StartResult b = store.start_task(inst, kStackful);
  EXPECT_FALSE(b.started);
  EXPECT_EQ(store.thread_at(b.thread).index, 0u);
  inst.backpressure = 0;
  std::optional<Resume> r = store.next_ready();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->kind, ResumeKind::Start);
  EXPECT_EQ(r->thread, b.thread);
  EXPECT_EQ(canon_thread_index(store, b.thread), 2u);
  EXPECT_FALSE(store.next_ready().has_value());
}

}  // namespace
}  // namespace cm::async

namespace cm::async {
namespace {

constexpr LiftKind kCallbackLift{.ft_async = true, .async_ = true, .callback = true};

// async/sync-streams.wast: a callback-lifted task blocked in a sync stream op gives up the
// instance's exclusive lock (another call may start) and takes it back to resume.
TEST(AsyncThread, BlockingInASyncStreamOpReleasesTheLockUntilResumed) {
  AsyncStore store;
  ComponentInstance inst;
  StartResult a = store.start_task(inst, kCallbackLift);
  ASSERT_TRUE(a.started);
  EXPECT_EQ(inst.exclusive_thread, &store.thread_at(a.thread));
  bool event = false;
  EXPECT_TRUE(store.block_until(a.thread, [&] { return event; }, /*release_lock=*/true).blocked);
  EXPECT_EQ(inst.exclusive_thread, nullptr);
  // A second call gets past the gate meanwhile, and runs to its end.
  StartResult b = store.start_task(inst, kCallbackLift);
  ASSERT_TRUE(b.started);
  canon_task_return(store, b.thread, true, true);
  EXPECT_EQ(store.on_callback_result(b.task, uint32_t(CallbackCode::Exit)), CallbackStep::Exit);
  EXPECT_FALSE(store.next_ready().has_value());
  event = true;
  std::optional<Resume> r = store.next_ready();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->kind, ResumeKind::Stack);
  EXPECT_EQ(r->thread, a.thread);
  EXPECT_EQ(inst.exclusive_thread, &store.thread_at(a.thread));
}

}  // namespace
}  // namespace cm::async
