// The numbers of the async ABI (CanonicalABI.md "Waitable State", "canon lift" callback
// codes, "canon lower" status packing; spec-digest §2.5): what guests see and pass.
#pragma once

#include <cstdint>

namespace cm::async {

enum class EventCode : uint32_t {
  None = 0,
  Subtask = 1,
  StreamRead = 2,
  StreamWrite = 3,
  FutureRead = 4,
  FutureWrite = 5,
  TaskCancelled = 6,
};

// Outcome of a stream/future copy, in the low 4 bits of the event payload.
enum class CopyResult : uint32_t { Completed = 0, Dropped = 1, Cancelled = 2 };

// The caller-visible state of a subtask (ABI-visible; Subtask.State in the spec).
enum class SubtaskState : uint32_t {
  Starting = 0,
  Started = 1,
  Returned = 2,
  CancelledBeforeStarted = 3,
  CancelledBeforeReturned = 4,
};

// What a callback-ABI core function returns, in the low 4 bits (the set index above).
enum class CallbackCode : uint32_t { Exit = 0, Yield = 1, Wait = 2 };

// Returned by async copies, cancels and subtask.cancel that cannot finish yet.
inline constexpr uint32_t BLOCKED = 0xffff'ffffu;

struct Event {
  EventCode code = EventCode::None;
  uint32_t p1 = 0;
  uint32_t p2 = 0;
};

// Stream events carry the progress above the result: result | progress << 4.
inline uint32_t pack_copy_result(CopyResult result, uint32_t progress) {
  return static_cast<uint32_t>(result) | (progress << 4);
}

// An async lower's return value: state | subtask index << 4 (RETURNED alone: no subtask).
inline uint32_t pack_subtask_status(SubtaskState state, uint32_t index) {
  return static_cast<uint32_t>(state) | (index << 4);
}

}  // namespace cm::async
