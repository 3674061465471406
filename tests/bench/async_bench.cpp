// The async engine's own costs (Google Benchmark, native): one async call through the
// scheduler, and one stream rendezvous. The JS-facing figures are in *.bench.mjs.
#include <benchmark/benchmark.h>

#include "async/canon_async.h"
#include "async/canon_streams.h"
#include "async/store.h"
#include "runtime/component_instance.h"

namespace {

using namespace cm;
using namespace cm::async;

constexpr LiftKind kCallbackLift{.ft_async = true, .async_ = true, .callback = true};

// start_task, task.return, EXIT, take_resolution: the engine's part of an async export call
// that returns at once.
void BM_AsyncCallReturningAtOnce(benchmark::State& state) {
  AsyncStore store;
  ComponentInstance inst;
  for (auto _ : state) {
    StartResult s = store.start_task(inst, kCallbackLift);
    canon_task_return(store, s.thread, true, true);
    store.on_callback_result(s.task, uint32_t(CallbackCode::Exit));
    benchmark::DoNotOptimize(store.take_resolution());
  }
}
BENCHMARK(BM_AsyncCallReturningAtOnce);

// A task WAITs, an event arrives (a waitable set member's pending event), next_ready
// resumes it, and it exits: the scheduler's round trip, with `waiting` other tasks parked.
void BM_WaitAndResume(benchmark::State& state) {
  AsyncStore store;
  ComponentInstance inst;
  ComponentInstance other;
  // Parked tasks of another instance, each waiting on an empty set of its own.
  for (int64_t k = 0; k < state.range(0); ++k) {
    StartResult p = store.start_task(other, kCallbackLift);
    uint32_t si = canon_waitable_set_new(store, p.thread);
    store.on_callback_result(p.task, uint32_t(CallbackCode::Wait) | (si << 4));
  }
  uint64_t packed = canon_stream_new(inst, TypeRef{});
  uint32_t ri = uint32_t(packed), wi = uint32_t(packed >> 32);
  for (auto _ : state) {
    StartResult s = store.start_task(inst, kCallbackLift);
    uint32_t si = canon_waitable_set_new(store, s.thread);
    canon_waitable_join(store, s.thread, ri, si);
    CopyOptions async{true, 0, 0};
    canon_stream_read(inst, TypeRef{}, async, ri, 0, 1);
    store.on_callback_result(s.task, uint32_t(CallbackCode::Wait) | (si << 4));
    canon_stream_write(inst, TypeRef{}, async, wi, 0, 1);  // the read's event
    std::optional<Resume> r = store.next_ready();
    benchmark::DoNotOptimize(r);
    canon_waitable_join(store, s.thread, ri, 0);
    canon_waitable_set_drop(store, s.thread, si);
    canon_task_return(store, s.thread, true, true);
    store.on_callback_result(s.task, uint32_t(CallbackCode::Exit));
    while (store.take_resolution()) {
    }
  }
}
BENCHMARK(BM_WaitAndResume)->Arg(0)->Arg(1000)->Arg(100000);

// One stream<u8> rendezvous between two instances: a pending 64 KiB write meets a 64 KiB
// read; the engine decides the copy (JS carries it out; not measured here).
void BM_StreamRendezvous(benchmark::State& state) {
  ComponentInstance a, b;
  TypeRef u8 = types::primitive(TypeKind::U8);
  uint64_t packed = canon_stream_new(a, u8);
  uint32_t ri = uint32_t(packed), wi = uint32_t(packed >> 32);
  CopyOptions wopts{true, 1, 1 << 20};
  for (auto _ : state) {
    CopyOutcome w = canon_stream_write(a, u8, wopts, wi, 0, 65536);
    CopyOutcome r = canon_stream_read(a, u8, wopts, ri, 65536, 65536);
    benchmark::DoNotOptimize(r.copies.data());
    // Deliver the writer's event so that it may write again.
    benchmark::DoNotOptimize(static_cast<Waitable&>(*a.handles.get(wi)).get_pending_event());
    benchmark::DoNotOptimize(w.result);
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * 65536);
}
BENCHMARK(BM_StreamRendezvous);

}  // namespace
