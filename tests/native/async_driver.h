// A tiny driver that plays JS's part for the async engine tests (docs/async-design.md:
// "the engine decides, JS acts"): it calls guest "core functions" (lambdas), moves return
// values, and drains AsyncStore::next_ready(), as run_tests.py drives definitions.py.
//
// A stackful guest body is a list of segments: the code between two blocking points. A
// segment returns the BlockingResult of the built-in it ended with; when that blocked, the
// driver resumes the next segment with the value next_ready() hands back, as a JSPI
// promise would.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <vector>
#include <gtest/gtest.h>

#include "async/canon_async.h"
#include "async/store.h"
#include "values/memory.h"

namespace cm::async::testing {

using Segment = std::function<BlockingResult(uint32_t thread, uint32_t resumed)>;

struct Func {
  ComponentInstance* inst;
  LiftKind kind;
  // Stackful and sync lifts: the body (a sync lift's last value is its u32 result).
  std::function<std::vector<Segment>()> body;
  // Callback lifts: the core function and the callback, each returning a packed code.
  std::function<uint32_t(uint32_t thread)> core;
  std::function<uint32_t(uint32_t thread, Event)> callback;
  // Callback lifts whose core function or callback blocks its stack (JSPI) part-way: `body`
  // and `callback_body`, whose last value is the packed code.
  std::function<std::vector<Segment>(Event)> callback_body;
};

inline BlockingResult done(uint32_t value = 0) { return {false, value}; }

class Driver {
 public:
  AsyncStore store;
  // What each host-called task resolved with (task id → u32 result or ~0u for none).
  std::map<uint32_t, uint32_t> host_results;
  std::map<uint32_t, Task::Outcome> host_resolutions;

  // The host calls `f`: returns the task id.
  uint32_t call(Func& f, uint32_t caller_subtask = 0) {
    StartResult s = store.start_task(*f.inst, f.kind, caller_subtask);
    funcs_[s.task] = &f;
    if (s.started) run(s.task, s.thread);
    collect();
    return s.task;
  }

  // A guest thread calls `f` through canon lower; the u32 result goes to `out` if given.
  BlockingResult lower(uint32_t thread, Func& f, bool async_, VectorMemory* mem = nullptr,
                       uint32_t out = 0) {
    uint32_t sid = store.lower_start(thread, async_);
    if (mem) out_ptrs_[sid] = {mem, out};
    call(f, sid);
    return store.lower_finish(sid);
  }

  // A guest thread calls a host function through canon lower; `host` plays the host
  // (calling store.subtask_on_start / subtask_on_resolve now or later).
  BlockingResult lower_host(uint32_t thread, bool async_, const std::function<void(uint32_t)>& host) {
    uint32_t sid = store.lower_start(thread, async_);
    host(sid);
    return store.lower_finish(sid);
  }

  // task.return with an optional u32 value (stored as one byte at the caller's out-ptr,
  // the u8 results of run_tests.py's scenarios).
  BlockingResult task_return(uint32_t thread, uint32_t value = ~0u) {
    Resolution r = canon_task_return(store, thread, true, true);
    deliver(r, value);
    return done();
  }

  // Resumes every ready thread until none is ready.
  void drain() {
    check_gauges();
    while (std::optional<Resume> r = store.next_ready()) {
      dispatch(*r);
      check_gauges();
    }
  }

  // The gauges a host reads out of memory (AsyncStore::gauges) say what the store's own
  // queries say, after every step the driver takes.
  void check_gauges() const {
    EXPECT_EQ(store.gauges().resolutions != 0, store.has_resolution());
    EXPECT_EQ(store.gauges().waiting != 0, store.has_waiting());
  }

  // subtask.cancel as the JS driver performs it: a guest callee that can take the
  // cancellation runs at once, then the cancel finishes. Host callees are the test's to
  // settle (use canon_subtask_cancel directly).
  BlockingResult cancel_subtask(uint32_t thread, bool async_, uint32_t i) {
    SubtaskCancelResult r = canon_subtask_cancel(store, thread, async_, i);
    if (r.resume == 0) return r.result;
    dispatch(store.resume_thread(r.resume));
    return canon_subtask_cancel_finish(store, thread, async_, i);
  }

 private:
  void dispatch(const Resume& r) {
    Func& f = *funcs_.at(r.task);
    switch (r.kind) {
      case ResumeKind::Start:
        run(r.task, r.thread);
        break;
      case ResumeKind::Callback:
        if (f.callback) {
          store.on_callback_result(r.task, f.callback(r.thread, r.event));
        } else {
          bodies_[r.thread] = Body{r.task, f.callback_body(r.event)};
          continue_body(r.thread, 0);
        }
        break;
      case ResumeKind::Stack:
        continue_body(r.thread, r.result);
        break;
    }
    collect();
  }

  struct OutPtr {
    VectorMemory* mem;
    uint32_t ptr;
  };
  struct Body {
    uint32_t task;
    std::vector<Segment> segments;
    size_t pc = 0;
  };

  void run(uint32_t task, uint32_t thread) {
    Func& f = *funcs_.at(task);
    if (f.kind.callback && f.core) {
      store.on_callback_result(task, f.core(thread));
      return;
    }
    bodies_[thread] = Body{task, f.body()};
    continue_body(thread, 0);
  }

  void continue_body(uint32_t thread, uint32_t value) {
    Body& b = bodies_.at(thread);
    while (b.pc < b.segments.size()) {
      BlockingResult r = b.segments[b.pc++](thread, value);
      if (r.blocked) return;
      value = r.value;
    }
    uint32_t task = b.task;
    bodies_.erase(thread);
    if (funcs_.at(task)->kind.callback) {
      store.on_callback_result(task, value);
      return;
    }
    if (!funcs_.at(task)->kind.async_) {
      // A sync lift returns its result: lift it, deliver it, then post-return and exit.
      Task& t = store.task_at(task);
      uint32_t caller = t.caller ? t.caller->id : 0;
      store.on_sync_return(task);
      deliver({task, caller, Task::Outcome::Returned}, value);
    }
    store.on_core_exit(task);
  }

  void deliver(const Resolution& r, uint32_t value) {
    if (r.caller_subtask == 0) {
      host_results[r.task] = value;
      return;
    }
    auto it = out_ptrs_.find(r.caller_subtask);
    if (it != out_ptrs_.end() && value != ~0u) it->second.mem->bytes.at(it->second.ptr) = uint8_t(value);
  }

  void collect() {
    check_gauges();
    while (std::optional<Resolution> r = store.take_resolution()) {
      if (r->caller_subtask == 0) host_resolutions[r->task] = r->how;
      check_gauges();
    }
  }

  std::map<uint32_t, Func*> funcs_;
  std::map<uint32_t, Body> bodies_;
  std::map<uint32_t, OutPtr> out_ptrs_;
};

}  // namespace cm::async::testing
