// The part every stream and future end shares (CanonicalABI.md "Stream State"; definitions.py
// CopyState, CopyEnd): a Waitable with a copy state, and the buffer of its copy in flight.
#pragma once

#include <cstdint>
#include <vector>

#include "async/buffer.h"
#include "async/events.h"
#include "async/waitable.h"
#include "types/value_type.h"

namespace cm {
struct ComponentInstance;
}

namespace cm::async {

// IDLE -> COPYING -> (CANCELLING_COPY) -> IDLE | DONE. DONE is final: the other end dropped
// (streams), or the one value was read/written (futures).
enum class CopyState : uint8_t { Idle, Copying, CancellingCopy, Done };

class CopyEnd : public Waitable {
 public:
  CopyEnd(HandleKind kind, EventCode code) : Waitable(kind), event_code(code) {}

  bool copying() const { return state == CopyState::Copying || state == CopyState::CancellingCopy; }
  // Whether this end's op is still the shared state's pending one (a stream op that made
  // partial progress keeps its buffer there until its event is delivered).
  virtual bool is_pending_op() const { return false; }

  CopyState state = CopyState::Idle;
  // The buffer of the copy in flight. It stays here (and, while this end's op is the pending
  // one, keeps receiving elements) until the copy's event is delivered.
  CopyBuffer buffer;
  // The handle index (host: host id) the copy in flight was started through: the event's p1.
  uint32_t index = 0;
  // STREAM_READ, STREAM_WRITE, FUTURE_READ or FUTURE_WRITE.
  const EventCode event_code;
};

// What a stream's and a future's shared state have in common (SharedStreamImpl and
// SharedFutureImpl in the spec): the element type, whether an end dropped, and the one
// pending op (its end, and the instance it came from) waiting for the other side. `End` is
// StreamEnd or FutureEnd; it needs `on_copy_done(CopyResult)`.
template <class End>
struct SharedCopyState {
  explicit SharedCopyState(TypeRef element) : t(std::move(element)) {}

  // The reclaim of on_copy: the pending op gives up its buffer when its event is delivered.
  void reset_pending() {
    pending = nullptr;
    pending_inst = nullptr;
  }
  // Ends the pending op with CANCELLED (precondition: there is one).
  void cancel() { reset_and_notify_pending(CopyResult::Cancelled); }
  // One end went away: the pending op, if any, ends with DROPPED; later ops see DROPPED.
  void drop() {
    if (dropped) return;
    dropped = true;
    if (pending) reset_and_notify_pending(CopyResult::Dropped);
  }

  TypeRef t;
  bool dropped = false;
  End* pending = nullptr;
  ComponentInstance* pending_inst = nullptr;
  // Elements moved from the writable end to the readable one so far (for the task-tree
  // snapshot; the spec keeps no such count).
  uint64_t moved = 0;

 protected:
  void set_pending(ComponentInstance* inst, End& end) {
    pending = &end;
    pending_inst = inst;
  }
  // The spec's "# temporary" restriction: a copy within one instance may only move bytes.
  // `reason` names the kind ("... intra-component stream" / "future").
  void check_not_intra_component(ComponentInstance* inst, const char* reason) const {
    trap_if(inst != nullptr && inst == pending_inst && !none_or_number_type(t), reason);
  }
  // Every rendezvous copies through here, so that `moved` counts it.
  void transfer(CopyBuffer& src, CopyBuffer& dst, uint32_t n, std::vector<CopyInstruction>& out) {
    copy_elements(src, dst, n, out);
    moved += n;
  }
  void reset_and_notify_pending(CopyResult result) {
    End* end = pending;
    reset_pending();
    end->on_copy_done(result);
  }
};

}  // namespace cm::async
