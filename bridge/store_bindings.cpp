// The engine-side state of one instantiated component, for JS: its runtime component
// instances (handle tables), its resource types, and the scopes that count borrows during
// a call. JS refers to everything by small integer ids; every operation is one call.
//
// The call-boundary flags (may_enter, may_leave, lockdown) are checked on every call, so JS
// keeps them (js/runtime/instance-state.mjs) and checks them before calling in here; the
// flags in cm::ComponentInstance stay at their defaults in this build. See
// docs/decisions.md.
//
// The async engine (abi/async/, docs/async-design.md) lives here too, one AsyncStore per
// instantiation, so that its tasks see the same cm::ComponentInstance objects (handle
// tables, backpressure) as the resource operations. Its entry points take and return
// small integers; what does not fit in one return value (a Resume, a start's thread, a
// polled event) is left in `out_`, which JS reads as a Uint32Array over the engine's heap
// (js/runtime/async/engine-view.mjs). The engine never touches guest memory: the event
// that waitable-set.wait/poll must store is returned in `out_` and JS writes it.
#include <emscripten/bind.h>

#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "async/canon_async.h"
#include "async/canon_streams.h"
#include "async/copy_values.h"
#include "async/host_ends.h"
#include "async/snapshot.h"
#include "async/store.h"
#include "compiled_components.h"
#include "js_errors.h"
#include "shared_numbers.h"
#include "js_guest_memory.h"
#include "values/memory.h"
#include "runtime/call_scopes.h"
#include "runtime/component_instance.h"
#include "runtime/error_context.h"
#include "runtime/resource.h"
#include "types/layout.h"
#include "values/async_values.h"

namespace {

using bridge::guarded;

using namespace bridge;  // the numbers shared with JS (shared_numbers.h)

// The guest memory waitable-set.wait/poll write their event to: it remembers the event
// for JS to store. The bounds and alignment checks stay the engine's, against the size of
// the built-in's own memory (registered by JS under `memory_id`: js/values/guest-strings.mjs
// guestMemoryRegistry), asked for when the check runs: for a wait that blocked, that is
// when its thread resumes, when that memory may have grown. One capture per memory: a
// blocked thread keeps pointing at its own (Thread::memory).
class EventCapture final : public cm::GuestMemory {
 public:
  explicit EventCapture(int memory_id) : memory_id_(memory_id) {}
  uint64_t size() const override { return bridge::JsGuestMemory(memory_id_).size(); }
  void read(uint32_t, void*, uint32_t) const override { cm::trap("internal error: event capture read"); }
  void write(uint32_t, const void* src, uint32_t len) override {
    if (len == 8) std::memcpy(bytes_, src, 8);
  }
  uint32_t p(int k) const {
    uint32_t v = 0;
    for (int b = 3; b >= 0; --b) v = (v << 8) | bytes_[4 * k + b];
    return v;
  }

 private:
  int memory_id_;
  uint8_t bytes_[8] = {};
};

// What a built-in that may block returns to JS: its value, or kBuiltinBlocks when the
// caller's stack must block (JSPI) until next_ready() hands the thread back.
double blocking_value(const cm::async::BlockingResult& r) { return r.blocked ? kBuiltinBlocks : static_cast<double>(r.value); }

class Store {
 public:
  // Adds a runtime component instance; `parent` is an earlier id or -1.
  int add_instance(int parent) {
    cm::ComponentInstance* p = parent >= 0 ? instances_.at(parent).get() : nullptr;
    instances_.push_back(std::make_unique<cm::ComponentInstance>(p));
    return static_cast<int>(instances_.size() - 1);
  }

  // Adds a resource type defined by instance `impl` (-1: the host). Dropping an owned
  // handle of it asks JS to run the destructor: resource_drop returns the rep for that.
  int add_resource_type(int impl) {
    cm::ComponentInstance* owner = impl >= 0 ? instances_.at(impl).get() : nullptr;
    auto rt = std::make_shared<cm::ResourceType>(owner, [this](uint32_t rep) { pending_dtor_rep_ = rep; });
    resource_types_.push_back(std::move(rt));
    return static_cast<int>(resource_types_.size() - 1);
  }

  uint32_t resource_new(int inst, int rt, uint32_t rep) {
    return guarded([&] { return cm::canon_resource_new(instance(inst), type(rt), rep); });
  }

  uint32_t resource_rep(int inst, int rt, uint32_t index) {
    return guarded([&] { return cm::canon_resource_rep(instance(inst), *type(rt), index); });
  }

  // Returns the rep whose destructor JS must now run, or -1 when none is due (a borrow
  // handle was dropped).
  double resource_drop(int inst, int rt, uint32_t index) {
    return guarded([&] {
      pending_dtor_rep_ = -1;
      cm::canon_resource_drop(instance(inst), *type(rt), index);
      return pending_dtor_rep_;
    });
  }

  uint32_t lift_own(int inst, int rt, uint32_t index) {
    return guarded([&] { return cm::lift_own(instance(inst), index, *type(rt)); });
  }

  uint32_t lower_own(int inst, int rt, uint32_t rep) {
    return guarded([&] { return cm::lower_own(instance(inst), type(rt), rep); });
  }

  // Call scopes (abi/runtime/call_scopes.h): a sync call of its own, or an engine task's
  // arguments (`task` 0: a host callee; `subtask` 0: the host called).
  int begin_call() { return guarded([&] { return scopes_.begin_call(); }); }
  int begin_task_scope(uint32_t task, uint32_t subtask) {
    return guarded([&] {
      return scopes_.begin_task(task != 0 ? engine_.borrow_scope(task) : nullptr,
                                subtask != 0 ? &engine_.lend_scope(subtask) : nullptr);
    });
  }
  void end_task_scope(int call) { guarded([&] { scopes_.end_task(call); }); }
  void check_borrows(int call) { guarded([&] { scopes_.check_borrows(call); }); }
  void end_call(int call) { guarded([&] { scopes_.end_call(call); }); }

  uint32_t lift_borrow(int inst, int rt, uint32_t index, int call) {
    return guarded([&] { return cm::lift_borrow(instance(inst), *scopes_.at(call).lenders, index, *type(rt)); });
  }

  uint32_t lower_borrow(int inst, int rt, uint32_t rep, int call) {
    return guarded([&] { return cm::lower_borrow(instance(inst), scopes_.at(call).borrows, type(rt), rep); });
  }

  // error-context (📝). Guests cannot compare error-contexts, so their identity is not
  // observable: JS carries just the message, and lowering one makes a new object.
  uint32_t error_context_new(int inst, const std::string& message) {
    return guarded([&] { return instance(inst).handles.add(std::make_shared<cm::ErrorContext>(message)); });
  }

  std::string error_context_message(int inst, uint32_t index) {
    return guarded([&] { return error_context(inst, index).debug_message; });
  }

  void error_context_drop(int inst, uint32_t index) {
    guarded([&] {
      error_context(inst, index);
      instance(inst).handles.remove(index);
    });
  }

  // Live handles in an instance's table (for tests and the task-tree snapshot).
  uint32_t live_handles(int inst) { return static_cast<uint32_t>(instance(inst).handles.live()); }

  // ---- the async engine ----------------------------------------------------------------

  // Where JS reads the out slots (an address in the engine's heap).
  uintptr_t out_ptr() { return reinterpret_cast<uintptr_t>(out_); }
  // Where JS reads the engine's gauges (AsyncStore::Gauges: two words).
  uintptr_t gauges_ptr() { return reinterpret_cast<uintptr_t>(&engine_.gauges()); }

  // A call of a lifted function in `inst`, from the host (caller_subtask 0) or from the
  // guest whose lower_start made the subtask. Returns the task; out: thread, started.
  uint32_t start_task(int inst, bool ft_async, bool async_, bool callback, uint32_t caller_subtask) {
    return guarded([&] {
      cm::async::StartResult r =
          engine_.start_task(instance(inst), {ft_async, async_, callback}, caller_subtask);
      out_[kOutThread] = r.thread;
      out_[kOutResult] = r.started ? 1 : 0;
      return r.task;
    });
  }

  // A callback-ABI core function or callback returned `packed`: 1 when the task's thread
  // exited, 0 when it waits.
  int on_callback_result(uint32_t task, uint32_t packed) {
    return guarded([&] { return engine_.on_callback_result(task, packed) == cm::async::CallbackStep::Exit ? 1 : 0; });
  }

  void on_sync_return(uint32_t task) { guarded([&] { engine_.on_sync_return(task); }); }
  void on_core_exit(uint32_t task) { guarded([&] { engine_.on_core_exit(task); }); }
  // `may_enter`: whether JS could enter the task's instance now (JS keeps may_enter).
  void cancel_task(uint32_t task, bool may_enter) { guarded([&] { engine_.cancel_task(task, may_enter); }); }

  // The next ready thread: returns 0 when none is ready, else 1 with the Resume in out.
  int next_ready() {
    return guarded([&] {
      std::optional<cm::async::Resume> r = engine_.next_ready();
      if (!r) return 0;
      write_resume(*r);
      return 1;
    });
  }

  // A thread that must run now (subtask.cancel delivered it a cancellation): the Resume in
  // out, as next_ready leaves it.
  void resume_thread(uint32_t thread) {
    guarded([&] { write_resume(engine_.resume_thread(thread)); });
  }

  // The next resolved task: returns 0 when none, else 1 with task, outcome (kind) and
  // caller subtask (result) in out, or 2 when more resolutions wait after this one (so the
  // driver's loop needs no final call that finds none).
  int take_resolution() {
    std::optional<cm::async::Resolution> r = engine_.take_resolution();
    if (!r) return 0;
    out_[kOutTask] = r->task;
    out_[kOutKind] = static_cast<uint32_t>(r->how);
    out_[kOutResult] = r->caller_subtask;
    return engine_.has_resolution() ? 2 : 1;
  }

  bool any_ready() { return guarded([&] { return engine_.any_ready(); }); }

  // task.return / task.cancel: returns the caller subtask (0: the host).
  uint32_t task_return(uint32_t thread, bool result_type_matches, bool options_match) {
    return guarded([&] { return cm::async::canon_task_return(engine_, thread, result_type_matches, options_match).caller_subtask; });
  }
  uint32_t task_cancel(uint32_t thread) {
    return guarded([&] { return cm::async::canon_task_cancel(engine_, thread).caller_subtask; });
  }

  uint32_t waitable_set_new(uint32_t thread) {
    return guarded([&] { return cm::async::canon_waitable_set_new(engine_, thread); });
  }
  // Returns the event code, or -1 when the thread must block (JSPI); out: p1, p2, which
  // JS stores at ptr. `memory_id`: the built-in's memory in JS's registry.
  double waitable_set_wait(uint32_t thread, bool cancellable, uint32_t si, uint32_t ptr, int memory_id) {
    return guarded([&] {
      EventCapture& capture = event_capture(memory_id);
      cm::async::BlockingResult r = cm::async::canon_waitable_set_wait(engine_, thread, cancellable, capture, si, ptr);
      if (r.blocked) return kBuiltinBlocks;
      out_[kOutP1] = capture.p(0);
      out_[kOutP2] = capture.p(1);
      return static_cast<double>(r.value);
    });
  }
  uint32_t waitable_set_poll(uint32_t thread, bool cancellable, uint32_t si, uint32_t ptr, int memory_id) {
    return guarded([&] {
      EventCapture& capture = event_capture(memory_id);
      uint32_t code = cm::async::canon_waitable_set_poll(engine_, thread, cancellable, capture, si, ptr);
      out_[kOutP1] = capture.p(0);
      out_[kOutP2] = capture.p(1);
      return code;
    });
  }
  void waitable_set_drop(uint32_t thread, uint32_t si) {
    guarded([&] { cm::async::canon_waitable_set_drop(engine_, thread, si); });
  }
  void waitable_join(uint32_t thread, uint32_t wi, uint32_t si) {
    guarded([&] { cm::async::canon_waitable_join(engine_, thread, wi, si); });
  }
  void subtask_drop(uint32_t thread, uint32_t i) {
    guarded([&] { cm::async::canon_subtask_drop(engine_, thread, i); });
  }
  // thread.yield: the value it returns, or -1 when the thread must block (JSPI).
  double thread_yield(uint32_t thread, bool cancellable) {
    return guarded([&] {
      cm::async::BlockingResult r = cm::async::canon_thread_yield(engine_, thread, cancellable);
      return blocking_value(r);
    });
  }

  // ---- canon lower ----

  // A guest thread calls a lowered function: the subtask (traps when it may not leave).
  uint32_t lower_start(uint32_t thread, bool async_) {
    return guarded([&] { return engine_.lower_start(thread, async_); });
  }
  // A host callee's progress: it took its arguments / its Promise settled.
  void subtask_on_start(uint32_t subtask) { guarded([&] { engine_.subtask_on_start(subtask); }); }
  void subtask_on_resolve(uint32_t subtask, uint32_t state) {
    guarded([&] { engine_.subtask_on_resolve(subtask, static_cast<cm::async::SubtaskState>(state)); });
  }
  // The callee returned or blocked: what the lowered core function returns, or -1 when a
  // sync lower must block the caller's stack until the callee resolves.
  double lower_finish(uint32_t subtask) {
    return guarded([&] {
      cm::async::BlockingResult r = engine_.lower_finish(subtask);
      return blocking_value(r);
    });
  }
  // subtask.cancel: the result, or -1 when the caller must block. Unless both are 0,
  // JS first acts and then calls subtask_cancel_finish: out[kOutResult] names a host
  // callee's subtask to abort, out[kOutThread] a guest callee's thread to resume now.
  double subtask_cancel(uint32_t thread, bool async_, uint32_t i) {
    return guarded([&] {
      cm::async::SubtaskCancelResult r = cm::async::canon_subtask_cancel(engine_, thread, async_, i);
      out_[kOutResult] = r.cancel_host;
      out_[kOutThread] = r.resume;
      if (r.cancel_host != 0 || r.resume != 0) return 0.0;
      return blocking_value(r.result);
    });
  }
  double subtask_cancel_finish(uint32_t thread, bool async_, uint32_t i) {
    return guarded([&] {
      cm::async::BlockingResult r = cm::async::canon_subtask_cancel_finish(engine_, thread, async_, i);
      return blocking_value(r);
    });
  }
  // A guest stack is about to block on something only the host knows (a sync lower of a
  // Promise-returning host function): traps for a synchronous task.
  void check_may_block(uint32_t thread) {
    guarded([&] { engine_.check_may_block(engine_.thread_at(thread)); });
  }
  // 🧵 thread.new-indirect: the new thread's index; out[kOutThread]: its id.
  uint32_t thread_new_indirect(uint32_t thread) {
    return guarded([&] {
      cm::async::NewThread t = cm::async::canon_thread_new_indirect(engine_, thread);
      out_[kOutThread] = t.thread;
      return t.index;
    });
  }
  void thread_resume_later(uint32_t thread, uint32_t i) {
    guarded([&] { cm::async::canon_thread_resume_later(engine_, thread, i); });
  }
  // thread.suspend: -1 when the thread must suspend, else the value (1: cancelled).
  double thread_suspend(uint32_t thread, bool cancellable) {
    return guarded([&] {
      cm::async::BlockingResult r = cm::async::canon_thread_suspend(engine_, thread, cancellable);
      return blocking_value(r);
    });
  }
  // thread.*-then-*: -2 when it switched (out[kOutThread]: the thread to run now), -1 when
  // the thread must suspend without a switch, else the value.
  double thread_switch(uint32_t thread, bool cancellable, uint32_t i, bool yield_, bool promote) {
    return guarded([&] {
      cm::async::SwitchResult r = cm::async::canon_thread_switch(engine_, thread, cancellable, i, yield_, promote);
      out_[kOutThread] = r.switch_to;
      if (r.switched) return kThreadSwitched;
      return r.value == cm::async::BLOCKED ? kBuiltinBlocks : static_cast<double>(r.value);
    });
  }
  // Whether the thread waits and may be resumed now (a yield).
  bool thread_ready(uint32_t thread) { return guarded([&] { return engine_.thread_at(thread).ready(); }); }
  void thread_exit(uint32_t thread) { guarded([&] { cm::async::thread_exit(engine_, thread); }); }

  uint32_t thread_index(uint32_t thread) {
    return guarded([&] { return cm::async::canon_thread_index(engine_, thread); });
  }

  // backpressure.inc/dec by instance: they may run in a sync task, which has no engine
  // thread.
  void backpressure_inc(int inst) { guarded([&] { cm::async::backpressure_inc(instance(inst)); }); }
  void backpressure_dec(int inst) { guarded([&] { cm::async::backpressure_dec(instance(inst)); }); }

  // The live task tree as JSON (abi/async/snapshot.h), instances numbered as addInstance
  // returned them. Reads only: taking it changes nothing.
  std::string snapshot() {
    std::vector<const cm::ComponentInstance*> instances;
    for (const auto& i : instances_) instances.push_back(i.get());
    return cm::async::snapshot_json(engine_, instances);
  }

 private:
  std::vector<std::unique_ptr<cm::ComponentInstance>> instances_;
  std::vector<std::shared_ptr<cm::ResourceType>> resource_types_;
  cm::CallScopes scopes_;
  double pending_dtor_rep_ = -1;
  cm::async::AsyncStore engine_;
  std::unordered_map<int, std::unique_ptr<EventCapture>> event_captures_;
  EventCapture& event_capture(int memory_id) {
    std::unique_ptr<EventCapture>& c = event_captures_[memory_id];
    if (!c) c = std::make_unique<EventCapture>(memory_id);
    return *c;
  }
  uint32_t out_[kOutSlots] = {};

  cm::ComponentInstance& instance(int id) { return *instances_.at(id); }
  void write_resume(const cm::async::Resume& r) {
    out_[kOutKind] = static_cast<uint32_t>(r.kind);
    out_[kOutThread] = r.thread;
    out_[kOutTask] = r.task;
    out_[kOutEvent] = static_cast<uint32_t>(r.event.code);
    out_[kOutP1] = r.event.p1;
    out_[kOutP2] = r.event.p2;
    out_[kOutCancelled] = r.cancelled ? 1 : 0;
    out_[kOutResult] = r.result;
  }
  std::shared_ptr<cm::ResourceType>& type(int id) { return resource_types_.at(id); }
  cm::ErrorContext& error_context(int inst, uint32_t index) {
    auto& e = instance(inst).handles.get(index);
    cm::trap_if(e->kind() != cm::HandleKind::ErrorContext,
                ("handle index " + std::to_string(index) + " is not an error-context").c_str());
    return static_cast<cm::ErrorContext&>(*e);
  }

  // ==== streams and futures (issue 3; js/runtime/async/stream-builtins.mjs) ==============
  // The fourteen stream/future built-ins, and the ends the host holds outside any table (a
  // readable end lifted out to JS or passing between two guests, the writable end behind a
  // stream or future the host produces). Copies come back as CopyInstructions in
  // `stream_out_` (kStreamCopyWords words each) for JS to carry out; a copy whose elements are
  // not plain numbers between two guests is done by copy_values(k) when JS reaches it, so
  // that the order of the instructions holds.
 public:

  // Where JS reads the stream out words (an address in the engine's heap).
  uintptr_t stream_out_ptr() { return reinterpret_cast<uintptr_t>(stream_out_); }

  // A stream or future element type, named by its index in the plan of compiled component
  // `compiled` (compiled_components.h); returns its id in this Store.
  int define_plan_type(uint32_t compiled, uint32_t index) {
    return guarded([&] {
      const bridge::CompiledComponent* c = bridge::compiled_component(compiled);
      cm::trap_if(c == nullptr || index >= c->types.size(), "internal error: no such type in the compiled component's plan");
      types_.push_back(c->types[index]);
      return static_cast<int>(types_.size() - 1);
    });
  }

  // stream.new / future.new of element type `type` (-1: none): returns the readable
  // index; the writable one is in stream_out_[0].
  uint32_t end_new(int inst, int type, bool future) {
    return guarded([&] {
      uint64_t ends = future ? cm::async::canon_future_new(instance(inst), elem_type(type))
                             : cm::async::canon_stream_new(instance(inst), elem_type(type));
      stream_out_[0] = static_cast<uint32_t>(ends >> 32);
      return static_cast<uint32_t>(ends);
    });
  }

  // stream.read/write, future.read/write (`op`: 0 stream.read, 1 stream.write, 2 future.read,
  // 3 future.write). Returns the core result (BLOCKED or the payload) or kMustBlock; the
  // copies are in stream_out_.
  double copy(int inst, int op, int type, bool async, int memory_id, double memory_size, uint32_t i,
              uint32_t ptr, uint32_t n) {
    return guarded([&] {
      cm::async::CopyOptions opts{async, static_cast<uint32_t>(memory_id), static_cast<uint64_t>(memory_size)};
      cm::ComponentInstance& in = instance(inst);
      const cm::TypeRef& t = elem_type(type);
      switch (op) {
        case 0: return outcome(cm::async::canon_stream_read(in, t, opts, i, ptr, n));
        case 1: return outcome(cm::async::canon_stream_write(in, t, opts, i, ptr, n));
        case 2: return outcome(cm::async::canon_future_read(in, t, opts, i, ptr));
        default: return outcome(cm::async::canon_future_write(in, t, opts, i, ptr));
      }
    });
  }

  // stream/future.cancel-read/write (`op` as for copy: 0/2 cancel a read, 1/3 a write).
  double cancel_copy(int inst, int op, int type, bool async, uint32_t i) {
    return guarded([&] {
      cm::ComponentInstance& in = instance(inst);
      const cm::TypeRef& t = elem_type(type);
      switch (op) {
        case 0: return outcome(cm::async::canon_stream_cancel_read(in, t, async, i));
        case 1: return outcome(cm::async::canon_stream_cancel_write(in, t, async, i));
        case 2: return outcome(cm::async::canon_future_cancel_read(in, t, async, i));
        default: return outcome(cm::async::canon_future_cancel_write(in, t, async, i));
      }
    });
  }

  // stream/future.drop-readable/writable (`op` as for copy: 0/2 readable, 1/3 writable).
  void drop_end(int inst, int op, int type, uint32_t i) {
    guarded([&] {
      cm::ComponentInstance& in = instance(inst);
      const cm::TypeRef& t = elem_type(type);
      switch (op) {
        case 0: cm::async::canon_stream_drop_readable(in, t, i); break;
        case 1: cm::async::canon_stream_drop_writable(in, t, i); break;
        case 2: cm::async::canon_future_drop_readable(in, t, i); break;
        default: cm::async::canon_future_drop_writable(in, t, i); break;
      }
    });
  }

  // The second half of a sync op that blocked (JSPI): its result once the end has its event.
  // A sync copy or cancel returned kMustBlock: `thread` waits until the end at index i has
  // its event; next_ready then resumes it (ResumeKind::Stack) and JS calls
  // finish_blocked_copy for the built-in's result.
  void block_on_end(uint32_t thread, int inst, uint32_t i) {
    guarded([&] {
      auto& w = static_cast<cm::async::Waitable&>(*instance(inst).handles.get(i));
      engine_.block_until(thread, [&w] { return w.has_pending_event(); }, /*release_lock=*/true);
    });
  }

  uint32_t finish_blocked_copy(int inst, uint32_t i) {
    return guarded([&] { return cm::async::finish_blocked_copy(instance(inst), i); });
  }


  // Carries out copy instruction k of the last op (a guest-to-guest copy of values that are
  // not plain numbers: handles move between the two instances' tables).
  void copy_values(int k) {
    guarded([&] {
      const cm::async::CopyInstruction& c = copies_.at(static_cast<size_t>(k));
      bridge::JsGuestMemory src_mem(static_cast<int>(c.src.memory_id));
      bridge::JsGuestMemory dst_mem(static_cast<int>(c.dst.memory_id));
      cm::LiftLowerOptions src_opts;
      src_opts.memory = &src_mem;
      src_opts.string_encoding = bridge::guest_string_encoding(static_cast<int>(c.src.memory_id));
      cm::LiftLowerOptions dst_opts;
      dst_opts.memory = &dst_mem;
      dst_opts.string_encoding = bridge::guest_string_encoding(static_cast<int>(c.dst.memory_id));
      int dst_id = static_cast<int>(c.dst.memory_id);
      dst_opts.realloc = [dst_id](uint32_t old_ptr, uint32_t old_size, uint32_t align, uint32_t new_size) {
        return bridge::guest_realloc(dst_id, old_ptr, old_size, align, new_size);
      };
      // Handles in the elements name resource types by the component's ResourceTypeId,
      // which is the index of this Store's resource types.
      c.src.inst->resource_types = resource_types_;
      c.dst.inst->resource_types = resource_types_;
      cm::LiftLowerContext src(src_opts, *c.src.inst);
      cm::LiftLowerContext dst(dst_opts, *c.dst.inst);
      cm::async::copy_values(c, src, dst);
    });
  }

  // A readable end leaves guest `inst`'s table at index i (lift_stream / lift_future): the
  // host holds it under the returned id, to read it or to lower it into another guest.
  uint32_t lift_end(int inst, int type, uint32_t i, bool future) {
    return guarded([&] {
      cm::LiftLowerOptions none;
      cm::LiftLowerContext cx(none, instance(inst));
      cm::ValType t{future ? cm::TypeKind::Future : cm::TypeKind::Stream};
      t.element = elem_type(type);
      if (future) return host_ends_.hold(std::make_shared<cm::async::ReadableFutureEnd>(cm::lift_future(cx, i, t).shared));
      return host_ends_.hold(std::make_shared<cm::async::ReadableStreamEnd>(cm::lift_stream(cx, i, t).shared));
    });
  }

  // The held readable end `id` enters guest `inst`'s table (lower_stream / lower_future);
  // returns its index. The host gives the end up.
  uint32_t lower_end(int inst, uint32_t id) {
    return guarded([&] {
      std::shared_ptr<cm::async::CopyEnd> e = host_ends_.get(id);
      cm::trap_if(e->state != cm::async::CopyState::Idle, "internal error: lowering a stream/future end that is in use");
      cm::LiftLowerOptions none;
      cm::LiftLowerContext cx(none, instance(inst));
      uint32_t index;
      if (e->kind() == cm::HandleKind::ReadableStreamEnd) {
        index = cm::lower_stream(cx, cm::StreamValue{static_cast<cm::async::StreamEnd&>(*e).shared}, cm::ValType{cm::TypeKind::Stream});
      } else if (e->kind() == cm::HandleKind::ReadableFutureEnd) {
        index = cm::lower_future(cx, cm::FutureValue{static_cast<cm::async::FutureEnd&>(*e).shared}, cm::ValType{cm::TypeKind::Future});
      } else {
        cm::trap("internal error: only readable ends can be lowered");
      }
      host_ends_.release(id);
      return index;
    });
  }

  // The ends the host holds (abi/async/host_ends.h).
  // A stream or future the host produces: returns the id of its writable end; the id of its
  // readable end (to lower into a guest) is in stream_out_[0].
  uint32_t host_end_new(int type, bool future) {
    return guarded([&] {
      auto [writable, readable] = host_ends_.new_pair(elem_type(type), future);
      stream_out_[0] = readable;
      return writable;
    });
  }

  // The host reads or writes n elements through held end `id`; returns BLOCKED or the
  // payload, the copies in stream_out_.
  double host_copy(uint32_t id, uint32_t n) {
    return guarded([&] { return outcome(host_ends_.copy(id, n)); });
  }

  // A held end whose host op got its event since the last call (or 0 for none): what JS
  // polls after an engine op, instead of every op in flight.
  uint32_t next_settled() { return host_ends_.next_settled(); }

  // The event of the host's op on held end `id`, if it has one: the payload, else -1.
  double host_poll(uint32_t id) {
    return guarded([&] {
      std::optional<uint32_t> p = host_ends_.poll(id);
      return p ? static_cast<double>(*p) : -1.0;
    });
  }

  double host_cancel(uint32_t id) {
    return guarded([&] { return static_cast<double>(host_ends_.cancel(id)); });
  }

  void host_drop(uint32_t id) {
    guarded([&] { host_ends_.drop(id); });
  }

  // Ends the host holds (for tests: nothing leaks).
  uint32_t held_ends() { return static_cast<uint32_t>(host_ends_.size()); }

 private:
  std::vector<cm::TypeRef> types_;
  cm::async::HostEnds host_ends_;
  std::vector<cm::async::CopyInstruction> copies_;
  uint32_t stream_out_[2 + kStreamCopyWords * kMaxStreamCopies] = {};

  const cm::TypeRef& elem_type(int type) {
    static const cm::TypeRef none;
    return type < 0 ? none : types_.at(static_cast<size_t>(type));
  }

  // Leaves the op's copies for JS; returns its result.
  double outcome(cm::async::CopyOutcome out) {
    cm::trap_if(out.copies.size() > kMaxStreamCopies, "internal error: too many copies in one stream op");
    copies_ = std::move(out.copies);
    stream_out_[1] = static_cast<uint32_t>(copies_.size());
    uint32_t* w = stream_out_ + 2;
    for (const cm::async::CopyInstruction& c : copies_) {
      uint32_t flags = (c.src.is_host() ? kCopySrcHost : 0) | (c.dst.is_host() ? kCopyDstHost : 0) |
                       (cm::async::none_or_number_type(c.t) ? kCopyBytes : 0);
      w[0] = flags;
      w[1] = c.src.memory_id;
      w[2] = c.src.ptr;
      w[3] = c.dst.memory_id;
      w[4] = c.dst.ptr;
      w[5] = c.n;
      w[6] = c.t ? cm::elem_size(*c.t) : 0;
      w += kStreamCopyWords;
    }
    if (out.block) return kMustBlock;
    return static_cast<double>(out.result);
  }

  // ==== end of streams and futures ========================================================
};

}  // namespace

EMSCRIPTEN_BINDINGS(cmbridge_store) {
  // A smart pointer, so that embind frees the Store when its JS handle is garbage (it
  // registers smart-pointer handles with a FinalizationRegistry; plain ones it never
  // frees): an instance the host just drops gives its engine memory back. Runtime.dispose
  // (js/runtime/linker.mjs) deletes it at once.
  emscripten::class_<Store>("Store")
      .smart_ptr_constructor("Store", &std::make_shared<Store>)
      .function("addInstance", &Store::add_instance)
      .function("addResourceType", &Store::add_resource_type)
      .function("resourceNew", &Store::resource_new)
      .function("resourceRep", &Store::resource_rep)
      .function("resourceDrop", &Store::resource_drop)
      .function("liftOwn", &Store::lift_own)
      .function("lowerOwn", &Store::lower_own)
      .function("beginCall", &Store::begin_call)
      .function("liftBorrow", &Store::lift_borrow)
      .function("lowerBorrow", &Store::lower_borrow)
      .function("checkBorrows", &Store::check_borrows)
      .function("endCall", &Store::end_call)
      .function("beginTaskScope", &Store::begin_task_scope)
      .function("endTaskScope", &Store::end_task_scope)
      .function("errorContextNew", &Store::error_context_new)
      .function("errorContextMessage", &Store::error_context_message)
      .function("errorContextDrop", &Store::error_context_drop)
      .function("liveHandles", &Store::live_handles)
      .function("outPtr", &Store::out_ptr)
      .function("gaugesPtr", &Store::gauges_ptr)
      .function("startTask", &Store::start_task)
      .function("onCallbackResult", &Store::on_callback_result)
      .function("onSyncReturn", &Store::on_sync_return)
      .function("onCoreExit", &Store::on_core_exit)
      .function("cancelTask", &Store::cancel_task)
      .function("nextReady", &Store::next_ready)
      .function("resumeThread", &Store::resume_thread)
      .function("takeResolution", &Store::take_resolution)
      .function("anyReady", &Store::any_ready)
      .function("taskReturn", &Store::task_return)
      .function("taskCancel", &Store::task_cancel)
      .function("waitableSetNew", &Store::waitable_set_new)
      .function("waitableSetWait", &Store::waitable_set_wait)
      .function("waitableSetPoll", &Store::waitable_set_poll)
      .function("waitableSetDrop", &Store::waitable_set_drop)
      .function("waitableJoin", &Store::waitable_join)
      .function("subtaskDrop", &Store::subtask_drop)
      .function("lowerStart", &Store::lower_start)
      .function("subtaskOnStart", &Store::subtask_on_start)
      .function("subtaskOnResolve", &Store::subtask_on_resolve)
      .function("lowerFinish", &Store::lower_finish)
      .function("subtaskCancel", &Store::subtask_cancel)
      .function("subtaskCancelFinish", &Store::subtask_cancel_finish)
      .function("threadIndex", &Store::thread_index)
      .function("threadNewIndirect", &Store::thread_new_indirect)
      .function("threadResumeLater", &Store::thread_resume_later)
      .function("threadSuspend", &Store::thread_suspend)
      .function("threadSwitch", &Store::thread_switch)
      .function("threadExit", &Store::thread_exit)
      .function("threadReady", &Store::thread_ready)
      .function("checkMayBlock", &Store::check_may_block)
      .function("threadYield", &Store::thread_yield)
      .function("backpressureInc", &Store::backpressure_inc)
      .function("backpressureDec", &Store::backpressure_dec)
      .function("snapshot", &Store::snapshot)
      // ==== streams and futures ====
      .function("streamOutPtr", &Store::stream_out_ptr)
      .function("definePlanType", &Store::define_plan_type)
      .function("endNew", &Store::end_new)
      .function("copy", &Store::copy)
      .function("cancelCopy", &Store::cancel_copy)
      .function("dropEnd", &Store::drop_end)
      .function("finishBlockedCopy", &Store::finish_blocked_copy)
      .function("blockOnEnd", &Store::block_on_end)
      .function("copyValues", &Store::copy_values)
      .function("liftEnd", &Store::lift_end)
      .function("lowerEnd", &Store::lower_end)
      .function("hostEndNew", &Store::host_end_new)
      .function("hostCopy", &Store::host_copy)
      .function("hostPoll", &Store::host_poll)
      .function("nextSettled", &Store::next_settled)
      .function("hostCancel", &Store::host_cancel)
      .function("hostDrop", &Store::host_drop)
      .function("heldEnds", &Store::held_ends);
      // ==== end of streams and futures ====
}
