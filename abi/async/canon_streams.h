// The stream and future built-ins (CanonicalABI.md "canon {stream,future}.*"; definitions.py
// canon_stream_new .. canon_future_drop_writable, stream_copy, future_copy, cancel_copy,
// drop), one function each, guard lines first. They act on the instance whose core code
// called them; they never block and never touch guest memory: a copy comes back as
// CopyInstructions for JS, and a sync op that cannot finish comes back as "block".
//
// `elem` is the element type of the built-in's stream/future type (`stream_t.t`; null for
// stream/future without one).
#pragma once

#include <cstdint>
#include <vector>

#include "async/buffer.h"
#include "async/future.h"
#include "async/stream.h"
#include "runtime/component_instance.h"

namespace cm::async {

// The canonical options of stream.read/write and future.read/write that matter here.
struct CopyOptions {
  bool async = false;
  // The `memory` option, as the id JS maps to a WebAssembly.Memory, and its byte length now.
  uint32_t memory_id = 0;
  uint64_t memory_size = 0;
};

struct CopyOutcome {
  // The core result for the guest: BLOCKED or the packed event payload. Unset when `block`.
  uint32_t result = 0;
  // A sync op that cannot finish yet: JS blocks the calling thread until the end has a
  // pending event (Waitable::has_pending_event), then calls finish_blocked_copy for the
  // result. The end is marked as having a sync waiter meanwhile.
  bool block = false;
  // Copies JS must carry out, in order, before the guest continues.
  std::vector<CopyInstruction> copies;
};

// stream.new / future.new: readable index in the low 32 bits, writable in the high.
uint64_t canon_stream_new(ComponentInstance& inst, TypeRef elem);
uint64_t canon_future_new(ComponentInstance& inst, TypeRef elem);

CopyOutcome canon_stream_read(ComponentInstance& inst, const TypeRef& elem, const CopyOptions& opts,
                              uint32_t i, uint32_t ptr, uint32_t n);
CopyOutcome canon_stream_write(ComponentInstance& inst, const TypeRef& elem, const CopyOptions& opts,
                               uint32_t i, uint32_t ptr, uint32_t n);
CopyOutcome canon_future_read(ComponentInstance& inst, const TypeRef& elem, const CopyOptions& opts,
                              uint32_t i, uint32_t ptr);
CopyOutcome canon_future_write(ComponentInstance& inst, const TypeRef& elem, const CopyOptions& opts,
                               uint32_t i, uint32_t ptr);

// cancel-read / cancel-write: copies is always empty.
CopyOutcome canon_stream_cancel_read(ComponentInstance& inst, const TypeRef& elem, bool async, uint32_t i);
CopyOutcome canon_stream_cancel_write(ComponentInstance& inst, const TypeRef& elem, bool async, uint32_t i);
CopyOutcome canon_future_cancel_read(ComponentInstance& inst, const TypeRef& elem, bool async, uint32_t i);
CopyOutcome canon_future_cancel_write(ComponentInstance& inst, const TypeRef& elem, bool async, uint32_t i);

void canon_stream_drop_readable(ComponentInstance& inst, const TypeRef& elem, uint32_t i);
void canon_stream_drop_writable(ComponentInstance& inst, const TypeRef& elem, uint32_t i);
void canon_future_drop_readable(ComponentInstance& inst, const TypeRef& elem, uint32_t i);
void canon_future_drop_writable(ComponentInstance& inst, const TypeRef& elem, uint32_t i);

// The second half of a sync copy or cancel that returned `block`: the end at handle index i
// now has its event; clears the sync waiter, delivers the event, returns its payload.
uint32_t finish_blocked_copy(ComponentInstance& inst, uint32_t i);

// A host participant's op on an end the host holds outside any table (a readable end lifted
// out to JS, or the writable end behind a host-produced stream): always async; `host_id`
// names the host's chunk in CopyInstructions and is the event's p1. The result is BLOCKED
// or the payload; when BLOCKED, the end's pending event says when the op is over.
CopyOutcome host_stream_copy(StreamEnd& end, uint32_t host_id, uint32_t n);
CopyOutcome host_future_copy(FutureEnd& end, uint32_t host_id);

}  // namespace cm::async
