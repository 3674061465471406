#include "async/canon_streams.h"

#include <string>

#include "util/trap.h"

namespace cm::async {

namespace {

constexpr const char* SYNC_IN_SET = "waitable cannot be used synchronously while added to a waitable set";
// The same rule for a cancel, which toolchains broke before the spec added it (component-model
// PR #647, 2025): wit-bindgen 0.58's async runtime cancels a read of its internal unit stream
// synchronously while that stream is in a waitable set (fixed in wit-bindgen PR #1638). A
// user who meets this trap most likely needs to rebuild the component, so the message says so.
constexpr const char* SYNC_CANCEL_IN_SET =
    "waitable cannot be used synchronously while added to a waitable set (a synchronous "
    "stream/future cancel of an end in a waitable set, which the spec forbids since 2025; "
    "components built with wit-bindgen 0.58 or older do this: rebuild with a newer toolchain)";

template <typename EndT>
EndT& get_end(ComponentInstance& inst, uint32_t i, HandleKind kind) {
  const std::shared_ptr<HandleElement>& e = inst.handles.get(i);
  if (e->kind() != kind)
    trap("handle index " + std::to_string(i) + " is not a " + handle_kind_name(kind));
  return static_cast<EndT&>(*e);
}

void check_element_type(const TypeRef& shared_t, const TypeRef& elem) {
  trap_if(!same_element_type(shared_t, elem), "stream/future end used with the wrong element type");
}

// The spec's trap_if(e.state != IDLE), worded as Wasmtime words each case (trap-if-done.wast).
void check_idle(const CopyEnd& e) {
  if (e.state == CopyState::Idle) return;
  if (e.copying()) trap("cannot have concurrent operations active on a future/stream");
  switch (e.kind()) {
    case HandleKind::ReadableStreamEnd:
      trap("cannot read from stream after being notified that the writable end dropped");
    case HandleKind::WritableStreamEnd:
      trap("cannot write to stream after being notified that the readable end dropped");
    case HandleKind::ReadableFutureEnd:
      trap("cannot read from future after previous read succeeded");
    default:
      trap("cannot write to future after previous write succeeded or readable end dropped");
  }
}

// The common tail of stream_copy, future_copy and cancel_copy: deliver the event if there
// is one; else an async op returns BLOCKED and a sync one blocks on the end.
void deliver_or_block(CopyEnd& e, bool async, CopyOutcome& out) {
  if (!e.has_pending_event()) {
    if (async) {
      out.result = BLOCKED;
    } else {
      e.has_sync_waiter = true;
      out.block = true;
    }
    return;
  }
  out.result = e.get_pending_event().p2;
}

CopyOutcome stream_copy(ComponentInstance& inst, HandleKind kind, const TypeRef& elem,
                        const CopyOptions& opts, uint32_t i, uint32_t ptr, uint32_t n) {
  trap_if(!inst.may_leave, "cannot leave component instance");
  StreamEnd& e = get_end<StreamEnd>(inst, i, kind);
  check_element_type(e.shared->t, elem);
  check_idle(e);
  trap_if(e.set() != nullptr && !opts.async, SYNC_IN_SET);

  e.buffer = CopyBuffer::guest(inst, opts.memory_id, opts.memory_size, e.shared->t, ptr, n);
  e.index = i;
  e.state = CopyState::Copying;
  CopyOutcome out;
  e.copy(&inst, out.copies);
  deliver_or_block(e, opts.async, out);
  return out;
}

CopyOutcome future_copy(ComponentInstance& inst, HandleKind kind, const TypeRef& elem,
                        const CopyOptions& opts, uint32_t i, uint32_t ptr) {
  trap_if(!inst.may_leave, "cannot leave component instance");
  FutureEnd& e = get_end<FutureEnd>(inst, i, kind);
  check_element_type(e.shared->t, elem);
  check_idle(e);
  trap_if(e.set() != nullptr && !opts.async, SYNC_IN_SET);

  e.buffer = CopyBuffer::guest(inst, opts.memory_id, opts.memory_size, e.shared->t, ptr, 1);
  e.index = i;
  e.state = CopyState::Copying;
  CopyOutcome out;
  e.copy(&inst, out.copies);
  deliver_or_block(e, opts.async, out);
  return out;
}

template <typename EndT>
CopyOutcome cancel_copy(ComponentInstance& inst, HandleKind kind, const TypeRef& elem, bool async,
                        uint32_t i) {
  trap_if(!inst.may_leave, "cannot leave component instance");
  EndT& e = get_end<EndT>(inst, i, kind);
  check_element_type(e.shared->t, elem);
  // Only an async copy in flight can be cancelled, and only once.
  trap_if(e.state != CopyState::Copying || e.has_sync_waiter,
          "cannot cancel a stream/future copy that is not in progress");
  trap_if(e.set() != nullptr && !async, SYNC_CANCEL_IN_SET);
  e.state = CopyState::CancellingCopy;
  CopyOutcome out;
  // No event yet means this end's op is the pending one: end it with CANCELLED. So does an
  // op that made partial progress and is still pending (its COMPLETED event was not
  // delivered): CANCELLED with that progress, as the spec's suite expects
  // (async/cancel-stream.wast, big-interleaving-test.wast); definitions.py would deliver
  // the COMPLETED event instead. An op the other side ended (DROPPED) keeps its event.
  if (!e.has_pending_event() || e.is_pending_op()) e.shared->cancel();
  deliver_or_block(e, async, out);
  return out;
}

// The spec removes the handle first and checks after; we check first so that a failed drop
// never frees an end the shared state still points to (the trap locks the instance down
// either way, so the difference is not observable).
template <typename EndT>
void drop_end(ComponentInstance& inst, HandleKind kind, const TypeRef& elem, uint32_t i,
              const char* busy_message) {
  trap_if(!inst.may_leave, "cannot leave component instance");
  EndT& e = get_end<EndT>(inst, i, kind);
  check_element_type(e.shared->t, elem);
  if (kind == HandleKind::WritableFutureEnd)
    trap_if(e.state != CopyState::Done, "cannot drop future write end without first writing a value");
  trap_if(e.copying(), busy_message);
  std::shared_ptr<HandleElement> keep = inst.handles.remove(i);
  e.shared->drop();
  e.join(nullptr);
}

}  // namespace

uint64_t canon_stream_new(ComponentInstance& inst, TypeRef elem) {
  trap_if(!inst.may_leave, "cannot leave component instance");
  auto shared = std::make_shared<SharedStream>(std::move(elem));
  uint32_t ri = inst.handles.add(std::make_shared<ReadableStreamEnd>(shared));
  uint32_t wi = inst.handles.add(std::make_shared<WritableStreamEnd>(shared));
  return uint64_t{ri} | (uint64_t{wi} << 32);
}

uint64_t canon_future_new(ComponentInstance& inst, TypeRef elem) {
  trap_if(!inst.may_leave, "cannot leave component instance");
  auto shared = std::make_shared<SharedFuture>(std::move(elem));
  uint32_t ri = inst.handles.add(std::make_shared<ReadableFutureEnd>(shared));
  uint32_t wi = inst.handles.add(std::make_shared<WritableFutureEnd>(shared));
  return uint64_t{ri} | (uint64_t{wi} << 32);
}

CopyOutcome canon_stream_read(ComponentInstance& inst, const TypeRef& elem, const CopyOptions& opts,
                              uint32_t i, uint32_t ptr, uint32_t n) {
  return stream_copy(inst, HandleKind::ReadableStreamEnd, elem, opts, i, ptr, n);
}

CopyOutcome canon_stream_write(ComponentInstance& inst, const TypeRef& elem, const CopyOptions& opts,
                               uint32_t i, uint32_t ptr, uint32_t n) {
  return stream_copy(inst, HandleKind::WritableStreamEnd, elem, opts, i, ptr, n);
}

CopyOutcome canon_future_read(ComponentInstance& inst, const TypeRef& elem, const CopyOptions& opts,
                              uint32_t i, uint32_t ptr) {
  return future_copy(inst, HandleKind::ReadableFutureEnd, elem, opts, i, ptr);
}

CopyOutcome canon_future_write(ComponentInstance& inst, const TypeRef& elem, const CopyOptions& opts,
                               uint32_t i, uint32_t ptr) {
  return future_copy(inst, HandleKind::WritableFutureEnd, elem, opts, i, ptr);
}

CopyOutcome canon_stream_cancel_read(ComponentInstance& inst, const TypeRef& elem, bool async, uint32_t i) {
  return cancel_copy<StreamEnd>(inst, HandleKind::ReadableStreamEnd, elem, async, i);
}

CopyOutcome canon_stream_cancel_write(ComponentInstance& inst, const TypeRef& elem, bool async, uint32_t i) {
  return cancel_copy<StreamEnd>(inst, HandleKind::WritableStreamEnd, elem, async, i);
}

CopyOutcome canon_future_cancel_read(ComponentInstance& inst, const TypeRef& elem, bool async, uint32_t i) {
  return cancel_copy<FutureEnd>(inst, HandleKind::ReadableFutureEnd, elem, async, i);
}

CopyOutcome canon_future_cancel_write(ComponentInstance& inst, const TypeRef& elem, bool async, uint32_t i) {
  return cancel_copy<FutureEnd>(inst, HandleKind::WritableFutureEnd, elem, async, i);
}

// Wasmtime words the two stream cases differently (test/async/drop-stream.wast).
void canon_stream_drop_readable(ComponentInstance& inst, const TypeRef& elem, uint32_t i) {
  drop_end<StreamEnd>(inst, HandleKind::ReadableStreamEnd, elem, i, "cannot remove busy stream");
}

void canon_stream_drop_writable(ComponentInstance& inst, const TypeRef& elem, uint32_t i) {
  drop_end<StreamEnd>(inst, HandleKind::WritableStreamEnd, elem, i, "cannot drop busy stream");
}

void canon_future_drop_readable(ComponentInstance& inst, const TypeRef& elem, uint32_t i) {
  drop_end<FutureEnd>(inst, HandleKind::ReadableFutureEnd, elem, i, "cannot remove busy future");
}

void canon_future_drop_writable(ComponentInstance& inst, const TypeRef& elem, uint32_t i) {
  drop_end<FutureEnd>(inst, HandleKind::WritableFutureEnd, elem, i, "cannot drop busy future");
}

uint32_t finish_blocked_copy(ComponentInstance& inst, uint32_t i) {
  const std::shared_ptr<HandleElement>& h = inst.handles.get(i);
  switch (h->kind()) {
    case HandleKind::ReadableStreamEnd: case HandleKind::WritableStreamEnd:
    case HandleKind::ReadableFutureEnd: case HandleKind::WritableFutureEnd:
      break;
    default:
      trap("internal error: finish_blocked_copy on a handle that is not a stream/future end");
  }
  auto& e = static_cast<CopyEnd&>(*h);
  trap_if(!e.has_sync_waiter || !e.has_pending_event(),
          "internal error: finish_blocked_copy before the end has its event");
  e.has_sync_waiter = false;
  return e.get_pending_event().p2;
}

CopyOutcome host_stream_copy(StreamEnd& end, uint32_t host_id, uint32_t n) {
  check_idle(end);
  end.buffer = CopyBuffer::host(host_id, end.shared->t, n);
  end.index = host_id;
  end.state = CopyState::Copying;
  CopyOutcome out;
  end.copy(nullptr, out.copies);
  deliver_or_block(end, true, out);
  return out;
}

CopyOutcome host_future_copy(FutureEnd& end, uint32_t host_id) {
  check_idle(end);
  end.buffer = CopyBuffer::host(host_id, end.shared->t, 1);
  end.index = host_id;
  end.state = CopyState::Copying;
  CopyOutcome out;
  end.copy(nullptr, out.copies);
  deliver_or_block(end, true, out);
  return out;
}

}  // namespace cm::async
