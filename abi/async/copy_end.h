// The part every stream and future end shares (CanonicalABI.md "Stream State"; definitions.py
// CopyState, CopyEnd): a Waitable with a copy state, and the buffer of its copy in flight.
#pragma once

#include <cstdint>

#include "async/buffer.h"
#include "async/events.h"
#include "async/waitable.h"

namespace cm::async {

// IDLE -> COPYING -> (CANCELLING_COPY) -> IDLE | DONE. DONE is final: the other end dropped
// (streams), or the one value was read/written (futures).
enum class CopyState : uint8_t { Idle, Copying, CancellingCopy, Done };

class CopyEnd : public Waitable {
 public:
  CopyEnd(HandleKind kind, EventCode code) : Waitable(kind), event_code(code) {}

  bool copying() const { return state == CopyState::Copying || state == CopyState::CancellingCopy; }

  CopyState state = CopyState::Idle;
  // The buffer of the copy in flight. It stays here (and, while this end's op is the pending
  // one, keeps receiving elements) until the copy's event is delivered.
  CopyBuffer buffer;
  // The handle index (host: host id) the copy in flight was started through: the event's p1.
  uint32_t index = 0;
  // STREAM_READ, STREAM_WRITE, FUTURE_READ or FUTURE_WRITE.
  const EventCode event_code;
};

}  // namespace cm::async
