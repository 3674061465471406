// Twins of run_tests.py's async scenarios that need no streams or futures (the spec's
// definitions.py at 6d28164). Host conditions (run_tests' RacyBool futures) are flags the
// guest waits on through AsyncStore::block_until; where a scenario reads a future, a host
// import whose subtask resolves when a flag is set stands in for it.
#include <gtest/gtest.h>

#include <algorithm>

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
constexpr LiftKind kSyncLiftAsyncType{.ft_async = true, .async_ = false, .callback = false};
constexpr LiftKind kSync{.ft_async = false, .async_ = false, .callback = false};

uint32_t u32_at(const VectorMemory& m, uint32_t p) {
  return uint32_t(m.bytes[p]) | uint32_t(m.bytes[p + 1]) << 8 | uint32_t(m.bytes[p + 2]) << 16 |
         uint32_t(m.bytes[p + 3]) << 24;
}
uint32_t state_of(uint32_t packed) { return packed & 0xF; }
uint32_t index_of(uint32_t packed) { return packed >> 4; }
constexpr uint32_t kSubtaskEvent = uint32_t(EventCode::Subtask);
constexpr uint32_t kStarting = uint32_t(SubtaskState::Starting);
constexpr uint32_t kStarted = uint32_t(SubtaskState::Started);
constexpr uint32_t kReturned = uint32_t(SubtaskState::Returned);

// run_tests.py's core_producer_pre: wait for a host flag, then task.return.
std::function<std::vector<Segment>()> waiting_producer(Driver& d, const bool* fut) {
  return [&d, fut] {
    return std::vector<Segment>{
        [&d, fut](uint32_t t, uint32_t) { return d.store.block_until(t, [fut] { return *fut; }); },
        [&d](uint32_t t, uint32_t) { return d.task_return(t); }};
  };
}

// run_tests.py test_async_to_async: an eager return (no subtask index), explicit
// backpressure that queues a second call (STARTING), and SUBTASK events that report the
// latest state, with the callee's result in the caller's out-pointer only once RETURNED.
TEST(AsyncScenario, AsyncToAsync) {
  Driver d;
  ComponentInstance root;
  ComponentInstance producer(&root), consumer(&root);
  VectorMemory mem(64);
  bool fut1_1 = false, fut1_2 = false, fut2 = false, fut3 = false, fut4 = false;

  Func eager{&producer, kStackful, [&] {
               return std::vector<Segment>{[&](uint32_t t, uint32_t) { return d.task_return(t, 43); }};
             }};
  Func toggle{&producer, kStackful, [&] {
                return std::vector<Segment>{
                    [&](uint32_t t, uint32_t) {
                      canon_backpressure_inc(d.store, t);
                      return d.store.block_until(t, [&] { return fut1_1; });
                    },
                    [&](uint32_t t, uint32_t) {
                      d.task_return(t);
                      return d.store.block_until(t, [&] { return fut1_2; });
                    },
                    [&](uint32_t t, uint32_t) {
                      canon_backpressure_dec(d.store, t);
                      return done();
                    }};
              }};
  Func blocking{&producer, kStackful, [&] {
                  return std::vector<Segment>{
                      [&](uint32_t t, uint32_t) { return d.store.block_until(t, [&] { return fut2; }); },
                      [&](uint32_t t, uint32_t) {
                        d.task_return(t, 44);
                        return d.store.block_until(t, [&] { return fut3; });
                      },
                      [&](uint32_t, uint32_t) {
                        fut4 = true;
                        return done();
                      }};
                }};

  const uint32_t ptr = 10, retp = 10, waitretp = 16;
  uint32_t seti = 0, subi1 = 0, subi2 = 0;
  Func consumer_f{&consumer, kStackful, [&] {
    return std::vector<Segment>{
        [&](uint32_t t, uint32_t) {
          seti = canon_waitable_set_new(d.store, t);
          BlockingResult r = d.lower(t, eager, true, &mem, ptr);
          EXPECT_EQ(r.value, kReturned);  // eager: RETURNED alone, no index
          EXPECT_EQ(mem.bytes[ptr], 43);
          r = d.lower(t, toggle, true);
          subi1 = index_of(r.value);
          EXPECT_EQ(subi1, 2u);
          EXPECT_EQ(state_of(r.value), kStarted);
          canon_waitable_join(d.store, t, subi1, seti);
          mem.bytes[retp] = 13;
          r = d.lower(t, blocking, true, &mem, retp);
          subi2 = index_of(r.value);
          EXPECT_EQ(subi2, 3u);
          EXPECT_EQ(state_of(r.value), kStarting);  // behind toggle's backpressure
          EXPECT_EQ(mem.bytes[retp], 13);
          canon_waitable_join(d.store, t, subi2, seti);
          fut1_1 = true;
          return canon_waitable_set_wait(d.store, t, false, mem, seti, waitretp);
        },
        [&](uint32_t t, uint32_t event) {
          EXPECT_EQ(event, kSubtaskEvent);
          EXPECT_EQ(u32_at(mem, waitretp), subi1);
          EXPECT_EQ(u32_at(mem, waitretp + 4), kReturned);
          canon_subtask_drop(d.store, t, subi1);
          fut1_2 = true;
          return canon_waitable_set_wait(d.store, t, false, mem, seti, waitretp);
        },
        [&](uint32_t t, uint32_t event) {
          EXPECT_EQ(event, kSubtaskEvent);
          EXPECT_EQ(u32_at(mem, waitretp), subi2);
          EXPECT_EQ(u32_at(mem, waitretp + 4), kStarted);
          EXPECT_EQ(mem.bytes[retp], 13);
          fut2 = true;
          return canon_waitable_set_wait(d.store, t, false, mem, seti, waitretp);
        },
        [&](uint32_t t, uint32_t event) {
          EXPECT_EQ(event, kSubtaskEvent);
          EXPECT_EQ(u32_at(mem, waitretp), subi2);
          EXPECT_EQ(u32_at(mem, waitretp + 4), kReturned);
          EXPECT_EQ(mem.bytes[retp], 44);
          canon_subtask_drop(d.store, t, subi2);
          fut3 = true;
          return d.store.block_until(t, [&] { return fut4; });
        },
        [&](uint32_t t, uint32_t) { return d.task_return(t, 42); }};
  }};

  uint32_t task = d.call(consumer_f);
  d.drain();
  EXPECT_EQ(d.host_results.at(task), 42u);
  EXPECT_EQ(d.host_resolutions.at(task), Task::Outcome::Returned);
  EXPECT_FALSE(d.store.has_waiting());
  EXPECT_EQ(producer.backpressure, 0u);
}

// run_tests.py test_async_callback: a callback-lifted consumer waits on a set (WAIT),
// yields (YIELD → NONE event), keeps state in context slot 0 and EXITs after task.return.
TEST(AsyncScenario, AsyncCallback) {
  Driver d;
  ComponentInstance root;
  ComponentInstance producer(&root), consumer(&root);
  bool fut1 = false, fut2 = false;
  Func producer1{&producer, kStackful, waiting_producer(d, &fut1)};
  Func producer2{&producer, kStackful, waiting_producer(d, &fut2)};

  uint32_t seti = 0;
  Func consumer_f{&consumer, kCallback};
  consumer_f.core = [&](uint32_t t) {
    BlockingResult r = d.lower(t, producer1, true);
    EXPECT_EQ(index_of(r.value), 1u);
    EXPECT_EQ(state_of(r.value), kStarted);
    r = d.lower(t, producer2, true);
    EXPECT_EQ(index_of(r.value), 2u);
    EXPECT_EQ(state_of(r.value), kStarted);  // stackful callees ignore the lock
    seti = canon_waitable_set_new(d.store, t);
    EXPECT_EQ(seti, 3u);
    canon_waitable_join(d.store, t, 1, seti);
    canon_waitable_join(d.store, t, 2, seti);
    fut1 = true;
    canon_context_set(d.store, t, 0, 42);
    return uint32_t(CallbackCode::Wait) | seti << 4;
  };
  consumer_f.callback = [&](uint32_t t, Event e) -> uint32_t {
    switch (canon_context_get(d.store, t, 0)) {
      case 42:
        EXPECT_EQ(e.code, EventCode::Subtask);
        EXPECT_EQ(e.p1, 1u);
        EXPECT_EQ(e.p2, kReturned);
        canon_subtask_drop(d.store, t, e.p1);
        canon_context_set(d.store, t, 0, 52);
        return uint32_t(CallbackCode::Yield);
      case 52:
        EXPECT_EQ(e.code, EventCode::None);
        EXPECT_EQ(e.p1, 0u);
        EXPECT_EQ(e.p2, 0u);
        fut2 = true;
        canon_context_set(d.store, t, 0, 62);
        return uint32_t(CallbackCode::Wait) | seti << 4;
      case 62:
        EXPECT_EQ(e.code, EventCode::Subtask);
        EXPECT_EQ(e.p1, 2u);
        EXPECT_EQ(e.p2, kReturned);
        canon_subtask_drop(d.store, t, e.p1);
        d.task_return(t, 83);
        return uint32_t(CallbackCode::Exit);
      default:
        ADD_FAILURE() << "unexpected context";
        return uint32_t(CallbackCode::Exit);
    }
  };
  uint32_t task = d.call(consumer_f);
  d.drain();
  EXPECT_EQ(d.host_results.at(task), 83u);
  EXPECT_EQ(consumer.exclusive_thread, nullptr);
}

// run_tests.py test_sync_ignores_backpressure: a sync-typed callee barges in while an
// async-typed sync-lifted call of the same instance holds the instance's lock.
TEST(AsyncScenario, SyncIgnoresBackpressure) {
  Driver d;
  ComponentInstance root;
  ComponentInstance callee(&root), caller(&root);
  VectorMemory mem(24);
  bool fut = false;
  Func async_callee{&callee, kSyncLiftAsyncType, [&] {
                      return std::vector<Segment>{
                          // The spec's sync future.read: blocks holding the lock.
                          [&](uint32_t t, uint32_t) { return d.store.block_until(t, [&] { return fut; }); },
                          [&](uint32_t, uint32_t) { return done(42 + 1); }};
                    }};
  Func sync_callee{&callee, kSync, [&] {
                     return std::vector<Segment>{[](uint32_t, uint32_t) { return done(84 + 2); }};
                   }};
  const uint32_t retp1 = 4, retp2 = 8, retp3 = 12;
  uint32_t subi = 0, seti = 0;
  Func core_caller{&caller, kSyncLiftAsyncType, [&] {
    return std::vector<Segment>{
        [&](uint32_t t, uint32_t) {
          BlockingResult r = d.lower(t, async_callee, true, &mem, retp1);
          EXPECT_EQ(state_of(r.value), kStarted);
          subi = index_of(r.value);
          EXPECT_TRUE(callee.exclusive_thread != nullptr);
          r = d.lower(t, sync_callee, true, &mem, retp2);
          EXPECT_EQ(r.value, kReturned);
          EXPECT_EQ(mem.bytes[retp2], 86);
          fut = true;  // the spec's future.write
          seti = canon_waitable_set_new(d.store, t);
          canon_waitable_join(d.store, t, subi, seti);
          return canon_waitable_set_wait(d.store, t, false, mem, seti, retp3);
        },
        [&](uint32_t t, uint32_t event) {
          EXPECT_EQ(event, kSubtaskEvent);
          EXPECT_EQ(u32_at(mem, retp3), subi);
          EXPECT_EQ(u32_at(mem, retp3 + 4), kReturned);
          EXPECT_EQ(mem.bytes[retp1], 43);
          canon_subtask_drop(d.store, t, subi);
          return done();
        }};
  }};
  uint32_t task = d.call(core_caller);
  d.drain();
  EXPECT_EQ(d.host_resolutions.at(task), Task::Outcome::Returned);
  EXPECT_FALSE(d.store.has_waiting());
}

// run_tests.py test_async_to_sync: sync-lifted async-typed callees take the instance lock,
// so the second call queues (STARTING) until the first returns; the caller polls between
// thread.yields.
TEST(AsyncScenario, AsyncToSync) {
  Driver d;
  ComponentInstance root;
  ComponentInstance producer(&root), consumer(&root);
  VectorMemory mem(20);
  bool fut = false, producer1_done = false, producer2_done = false;
  Func producer1{&producer, kSyncLiftAsyncType, [&] {
                   return std::vector<Segment>{
                       [&](uint32_t t, uint32_t) { return d.store.block_until(t, [&] { return fut; }); },
                       [&](uint32_t, uint32_t) {
                         producer1_done = true;
                         return done();
                       }};
                 }};
  Func producer2{&producer, kSyncLiftAsyncType, [&] {
                   return std::vector<Segment>{[&](uint32_t, uint32_t) {
                     EXPECT_TRUE(producer1_done);
                     producer2_done = true;
                     return done();
                   }};
                 }};
  std::vector<uint32_t> remain;
  uint32_t seti = 0;
  const uint32_t retp = 8;
  Func consumer_f{&consumer, kStackful, [&] {
    std::vector<Segment> segs{[&](uint32_t t, uint32_t) {
      BlockingResult r = d.lower(t, producer1, true);
      EXPECT_EQ(index_of(r.value), 1u);
      EXPECT_EQ(state_of(r.value), kStarted);
      r = d.lower(t, producer2, true);
      EXPECT_EQ(index_of(r.value), 2u);
      EXPECT_EQ(state_of(r.value), kStarting);
      seti = canon_waitable_set_new(d.store, t);
      canon_waitable_join(d.store, t, 1, seti);
      canon_waitable_join(d.store, t, 2, seti);
      fut = true;
      EXPECT_FALSE(producer1_done);
      EXPECT_FALSE(producer2_done);
      remain = {1, 2};
      return done();
    }};
    for (int i = 0; i < 10; ++i) {
      segs.push_back([&](uint32_t t, uint32_t) {
        return remain.empty() ? done() : canon_thread_yield(d.store, t, false);
      });
      segs.push_back([&](uint32_t t, uint32_t cancelled) {
        EXPECT_EQ(cancelled, 0u);
        if (remain.empty()) return done();
        uint32_t event = canon_waitable_set_poll(d.store, t, false, mem, seti, retp);
        if (event == uint32_t(EventCode::None)) return done();
        EXPECT_EQ(event, kSubtaskEvent);
        EXPECT_EQ(u32_at(mem, retp + 4), kReturned);
        uint32_t subi = u32_at(mem, retp);
        remain.erase(std::find(remain.begin(), remain.end(), subi));
        canon_subtask_drop(d.store, t, subi);
        return done();
      });
    }
    segs.push_back([&](uint32_t t, uint32_t) {
      EXPECT_TRUE(remain.empty());
      EXPECT_TRUE(producer1_done);
      EXPECT_TRUE(producer2_done);
      canon_waitable_set_drop(d.store, t, seti);
      return d.task_return(t, 83);
    });
    return segs;
  }};
  uint32_t task = d.call(consumer_f);
  d.drain();
  EXPECT_EQ(d.host_results.at(task), 83u);
}

// run_tests.py test_async_backpressure: backpressure.inc in a running callee queues the
// next call (STARTING) until backpressure.dec.
TEST(AsyncScenario, AsyncBackpressure) {
  Driver d;
  ComponentInstance root;
  ComponentInstance producer(&root), consumer(&root);
  VectorMemory mem(20);
  bool fut = false, producer1_done = false, producer2_done = false;
  Func producer1{&producer, kStackful, [&] {
                   return std::vector<Segment>{
                       [&](uint32_t t, uint32_t) {
                         canon_backpressure_inc(d.store, t);
                         return d.store.block_until(t, [&] { return fut; });
                       },
                       [&](uint32_t t, uint32_t) {
                         canon_backpressure_dec(d.store, t);
                         d.task_return(t);
                         producer1_done = true;
                         return done();
                       }};
                 }};
  Func producer2{&producer, kStackful, [&] {
                   return std::vector<Segment>{[&](uint32_t t, uint32_t) {
                     EXPECT_TRUE(producer1_done);
                     d.task_return(t);
                     producer2_done = true;
                     return done();
                   }};
                 }};
  std::vector<uint32_t> remain;
  uint32_t seti = 0;
  const uint32_t retp = 8;
  auto wait_one = [&](uint32_t t, uint32_t event) {
    EXPECT_EQ(event, kSubtaskEvent);
    EXPECT_EQ(u32_at(mem, retp + 4), kReturned);
    uint32_t subi = u32_at(mem, retp);
    remain.erase(std::find(remain.begin(), remain.end(), subi));
    canon_subtask_drop(d.store, t, subi);
    if (!remain.empty()) return canon_waitable_set_wait(d.store, t, false, mem, seti, retp);
    EXPECT_TRUE(producer1_done);
    EXPECT_TRUE(producer2_done);
    canon_waitable_set_drop(d.store, t, seti);
    return d.task_return(t, 84);
  };
  Func consumer_f{&consumer, kStackful, [&] {
    return std::vector<Segment>{
        [&](uint32_t t, uint32_t) {
          BlockingResult r = d.lower(t, producer1, true);
          EXPECT_EQ(index_of(r.value), 1u);
          EXPECT_EQ(state_of(r.value), kStarted);
          r = d.lower(t, producer2, true);
          EXPECT_EQ(index_of(r.value), 2u);
          EXPECT_EQ(state_of(r.value), kStarting);
          seti = canon_waitable_set_new(d.store, t);
          canon_waitable_join(d.store, t, 1, seti);
          canon_waitable_join(d.store, t, 2, seti);
          fut = true;
          remain = {1, 2};
          return canon_waitable_set_wait(d.store, t, false, mem, seti, retp);
        },
        wait_one, wait_one};
  }};
  uint32_t task = d.call(consumer_f);
  d.drain();
  EXPECT_EQ(d.host_results.at(task), 84u);
  EXPECT_EQ(producer.backpressure, 0u);
  EXPECT_EQ(producer.num_waiting_to_enter, 0u);
}

// run_tests.py test_sync_using_wait: a sync-lifted async-typed function may block in
// waitable-set.wait (its type is async), then drops its subtasks and set.
TEST(AsyncScenario, SyncUsingWait) {
  Driver d;
  ComponentInstance root;
  ComponentInstance producer(&root), consumer(&root);
  VectorMemory mem(20);
  bool fut1 = false, fut2 = false;
  Func producer1{&producer, kStackful, waiting_producer(d, &fut1)};
  Func producer2{&producer, kStackful, waiting_producer(d, &fut2)};
  uint32_t seti = 0;
  const uint32_t retp = 8;
  Func core_func{&consumer, kSyncLiftAsyncType, [&] {
    return std::vector<Segment>{
        [&](uint32_t t, uint32_t) {
          BlockingResult r = d.lower(t, producer1, true);
          EXPECT_EQ(r.value, pack_subtask_status(SubtaskState::Started, 1));
          r = d.lower(t, producer2, true);
          EXPECT_EQ(r.value, pack_subtask_status(SubtaskState::Started, 2));
          seti = canon_waitable_set_new(d.store, t);
          canon_waitable_join(d.store, t, 1, seti);
          canon_waitable_join(d.store, t, 2, seti);
          fut1 = true;
          return canon_waitable_set_wait(d.store, t, false, mem, seti, retp);
        },
        [&](uint32_t t, uint32_t event) {
          EXPECT_EQ(event, kSubtaskEvent);
          EXPECT_EQ(u32_at(mem, retp), 1u);
          EXPECT_EQ(u32_at(mem, retp + 4), kReturned);
          fut2 = true;
          return canon_waitable_set_wait(d.store, t, false, mem, seti, retp);
        },
        [&](uint32_t t, uint32_t event) {
          EXPECT_EQ(event, kSubtaskEvent);
          EXPECT_EQ(u32_at(mem, retp), 2u);
          EXPECT_EQ(u32_at(mem, retp + 4), kReturned);
          canon_subtask_drop(d.store, t, 1);
          canon_subtask_drop(d.store, t, 2);
          canon_waitable_set_drop(d.store, t, seti);
          return done();
        }};
  }};
  uint32_t task = d.call(core_func);
  d.drain();
  EXPECT_EQ(d.host_resolutions.at(task), Task::Outcome::Returned);
  EXPECT_EQ(consumer.exclusive_thread, nullptr);
  EXPECT_EQ(consumer.threads.live(), 0u);
}

// run_tests.py test_callback_interleaving, with host stand-ins for its futures: a sync
// future.read is a blocking host wait, an async one a host import whose subtask resolves
// when the future is written. A callback-lifted callee that blocks its stack holds the
// instance lock, so other callback tasks of the instance and new calls wait for it.
TEST(AsyncScenario, CallbackInterleaving) {
  Driver d;
  ComponentInstance root;
  ComponentInstance producer(&root), consumer(&root);
  VectorMemory mem(24);
  struct Futures {
    bool fut1 = false, fut3 = false;
    uint32_t fut2_subtask = 0;  // the host import standing in for the async read of fut2
  };
  Futures a, b;
  auto make_producer = [&](uint32_t i, Futures& f) {
    Func p{&producer, kCallback};
    p.body = [&d, i, &f] {
      return std::vector<Segment>{
          [&d, i, &f](uint32_t t, uint32_t) {
            canon_context_set(d.store, t, 0, i);
            return d.store.block_until(t, [&f] { return f.fut1; });  // sync future.read
          },
          [&d, &f](uint32_t t, uint32_t) {
            uint32_t seti = canon_waitable_set_new(d.store, t);
            uint32_t r = d.lower_host(t, true, [&](uint32_t sid) {
                            d.store.subtask_on_start(sid);
                            f.fut2_subtask = sid;
                          }).value;
            EXPECT_EQ(r & 0xF, kStarted);
            canon_waitable_join(d.store, t, r >> 4, seti);
            return done(uint32_t(CallbackCode::Wait) | seti << 4);
          }};
    };
    p.callback_body = [&d, &f](Event e) {
      EXPECT_EQ(e.code, EventCode::Subtask);
      EXPECT_EQ(e.p2, kReturned);
      return std::vector<Segment>{
          [&d, &f](uint32_t t, uint32_t) {
            d.task_return(t, 42 + canon_context_get(d.store, t, 0));
            return d.store.block_until(t, [&f] { return f.fut3; });  // sync future.read
          },
          [](uint32_t, uint32_t) { return done(uint32_t(CallbackCode::Exit)); }};
    };
    return p;
  };
  Func producer0 = make_producer(0, a);
  Func producer1 = make_producer(1, b);
  Func sync_callee{&producer, kSyncLiftAsyncType, [] {
                     return std::vector<Segment>{[](uint32_t, uint32_t) { return done(100); }};
                   }};

  const uint32_t subi1ret = 12, subi2ret = 16, subi3ret = 20;
  uint32_t subi1 = 0, subi2 = 0, subi3 = 0, seti = 0;
  auto poll_none = [&](uint32_t t, uint32_t cancelled) {
    EXPECT_EQ(cancelled, 0u);
    EXPECT_EQ(canon_waitable_set_poll(d.store, t, false, mem, seti, 0), uint32_t(EventCode::None));
    return done();
  };
  auto yield = [&](uint32_t t, uint32_t) { return canon_thread_yield(d.store, t, false); };
  Func core_consumer{&consumer, kSyncLiftAsyncType, [&] {
    std::vector<Segment> segs{
        [&](uint32_t t, uint32_t) {
          producer.backpressure = 1;
          uint32_t r = d.lower(t, producer0, true).value;
          EXPECT_EQ(r & 0xF, kStarting);
          EXPECT_EQ(canon_subtask_cancel(d.store, t, false, r >> 4).result.value,
                    uint32_t(SubtaskState::CancelledBeforeStarted));
          producer.backpressure = 0;
          r = d.lower(t, producer0, true, &mem, subi1ret).value;
          EXPECT_EQ(r & 0xF, kStarted);
          subi1 = r >> 4;
          r = d.lower(t, producer1, true).value;
          EXPECT_EQ(r & 0xF, kStarting);  // producer0 holds the lock
          EXPECT_EQ(canon_subtask_cancel(d.store, t, false, r >> 4).result.value,
                    uint32_t(SubtaskState::CancelledBeforeStarted));
          r = d.lower(t, producer1, true, &mem, subi2ret).value;
          EXPECT_EQ(r & 0xF, kStarting);
          subi2 = r >> 4;
          seti = canon_waitable_set_new(d.store, t);
          canon_waitable_join(d.store, t, subi1, seti);
          canon_waitable_join(d.store, t, subi2, seti);
          a.fut1 = true;
          return canon_waitable_set_wait(d.store, t, false, mem, seti, 0);
        },
        [&](uint32_t, uint32_t event) {
          EXPECT_EQ(event, kSubtaskEvent);
          EXPECT_EQ(u32_at(mem, 0), subi2);
          EXPECT_EQ(u32_at(mem, 4), kStarted);
          d.store.subtask_on_resolve(a.fut2_subtask, SubtaskState::Returned);
          return done();
        }};
    for (int i = 0; i < 10; ++i) {
      segs.push_back(yield);
      segs.push_back(poll_none);
    }
    segs.push_back([&](uint32_t t, uint32_t) {
      b.fut1 = true;
      return canon_waitable_set_wait(d.store, t, false, mem, seti, 0);
    });
    segs.push_back([&](uint32_t t, uint32_t event) {
      EXPECT_EQ(event, kSubtaskEvent);
      EXPECT_EQ(u32_at(mem, 0), subi1);
      EXPECT_EQ(u32_at(mem, 4), kReturned);
      EXPECT_EQ(mem.bytes[subi1ret], 42);
      canon_subtask_drop(d.store, t, subi1);
      d.store.subtask_on_resolve(b.fut2_subtask, SubtaskState::Returned);
      return done();
    });
    for (int i = 0; i < 10; ++i) {
      segs.push_back(yield);
      segs.push_back(poll_none);
    }
    segs.push_back([&](uint32_t t, uint32_t) {
      a.fut3 = true;
      return canon_waitable_set_wait(d.store, t, false, mem, seti, 0);
    });
    segs.push_back([&](uint32_t t, uint32_t event) {
      EXPECT_EQ(event, kSubtaskEvent);
      EXPECT_EQ(u32_at(mem, 0), subi2);
      EXPECT_EQ(u32_at(mem, 4), kReturned);
      EXPECT_EQ(mem.bytes[subi2ret], 43);
      canon_subtask_drop(d.store, t, subi2);
      uint32_t r = d.lower(t, sync_callee, true, &mem, subi3ret).value;
      EXPECT_EQ(r & 0xF, kStarting);  // producer1 holds the lock
      subi3 = r >> 4;
      canon_waitable_join(d.store, t, subi3, seti);
      b.fut3 = true;
      return canon_waitable_set_wait(d.store, t, false, mem, seti, 0);
    });
    segs.push_back([&](uint32_t, uint32_t event) {
      EXPECT_EQ(event, kSubtaskEvent);
      EXPECT_EQ(u32_at(mem, 0), subi3);
      EXPECT_EQ(u32_at(mem, 4), kReturned);
      EXPECT_EQ(mem.bytes[subi3ret], 100);
      return done();
    });
    return segs;
  }};
  uint32_t task = d.call(core_consumer);
  d.drain();
  EXPECT_EQ(d.host_resolutions.at(task), Task::Outcome::Returned);
  EXPECT_EQ(producer.exclusive_thread, nullptr);
}

// run_tests.py test_async_flat_params, the engine's part: host callees that resolve before
// the lower returns give RETURNED (2) with no subtask index (lifting the ≤4 flat params or
// the spilled tuple is the driver's codec work).
TEST(AsyncScenario, EagerHostCalleesReturnWithoutAnIndex) {
  Driver d;
  ComponentInstance inst;
  Func f{&inst, kCallback};
  f.core = [&](uint32_t t) {
    for (int k = 0; k < 3; ++k) {
      BlockingResult r = d.lower_host(t, true, [&](uint32_t sid) {
        d.store.subtask_on_start(sid);
        d.store.subtask_on_resolve(sid, SubtaskState::Returned);
      });
      EXPECT_FALSE(r.blocked);
      EXPECT_EQ(r.value, kReturned);
    }
    EXPECT_EQ(inst.handles.live(), 0u);
    d.task_return(t);
    return uint32_t(CallbackCode::Exit);
  };
  uint32_t task = d.call(f);
  EXPECT_EQ(d.host_resolutions.at(task), Task::Outcome::Returned);
  EXPECT_EQ(inst.threads.live(), 0u);
}

}  // namespace
}  // namespace cm::async
