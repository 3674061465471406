// Passing the readable end of a stream or future as a value (definitions.py
// lift_async_value, lower_stream, lower_future): lifting takes the end out of the sender's
// table and yields the shared object; lowering puts a fresh readable end for it into the
// receiver's table. Writable ends never travel.
#include "values/async_values.h"

#include <string>

#include "async/future.h"
#include "async/stream.h"

namespace cm {

namespace {

// lift_async_value's checks, before the removal so that a failed lift leaves the table as it
// was (the trap locks the instance down either way). Wording: Wasmtime's
// (trap-if-done.wast, trap-if-transfer-in-waitable-set.wast).
template <typename EndT>
EndT& check_liftable(LiftLowerContext& cx, uint32_t i, HandleKind kind, const ValType& t,
                     const char* done_message, const char* in_set_message) {
  const std::shared_ptr<HandleElement>& h = cx.inst.handles.get(i);
  if (h->kind() != kind)
    trap("handle index " + std::to_string(i) + " is not a " + handle_kind_name(kind));
  auto& e = static_cast<EndT&>(*h);
  trap_if(!async::same_element_type(e.shared->t, t.element),
          "stream/future end used with the wrong element type");
  if (e.state != async::CopyState::Idle) {
    trap_if(e.copying(), "cannot have concurrent operations active on a future/stream");
    trap(done_message);
  }
  trap_if(e.set() != nullptr, in_set_message);
  return e;
}

}  // namespace

StreamValue lift_stream(LiftLowerContext& cx, uint32_t i, const ValType& t) {
  auto& e = check_liftable<async::StreamEnd>(cx, i, HandleKind::ReadableStreamEnd, t,
                                             "cannot lift stream after being notified that the writable end dropped",
                                             "cannot lift stream while it's in a waitable set");
  StreamValue v{e.shared};
  cx.inst.handles.remove(i);
  return v;
}

FutureValue lift_future(LiftLowerContext& cx, uint32_t i, const ValType& t) {
  auto& e = check_liftable<async::FutureEnd>(cx, i, HandleKind::ReadableFutureEnd, t,
                                             "cannot lift future after previous read succeeded",
                                             "cannot lift future while it's in a waitable set");
  FutureValue v{e.shared};
  cx.inst.handles.remove(i);
  return v;
}

uint32_t lower_stream(LiftLowerContext& cx, const StreamValue& v, const ValType&) {
  trap_if(!v.shared, "internal error: stream value without a stream");
  return cx.inst.handles.add(std::make_shared<async::ReadableStreamEnd>(v.shared));
}

uint32_t lower_future(LiftLowerContext& cx, const FutureValue& v, const ValType&) {
  trap_if(!v.shared, "internal error: future value without a future");
  return cx.inst.handles.add(std::make_shared<async::ReadableFutureEnd>(v.shared));
}

}  // namespace cm
