// The numbers the bridge and the JS runtime both use: the out slots JS reads after an
// entry point, the words of a stream op's copy instructions, and the special return values
// of blocking entry points. bridge/abi_numbers.cpp exports them (with the engine's own
// enum values) as embind constants, and scripts/build.mjs writes them into
// js/engine/abi-numbers.mjs, so that JS never copies one by hand.
#pragma once

namespace bridge {

// The `out_` slots JS reads after an entry point that leaves more than its return value.
enum OutSlot : int {
  kOutKind = 0,       // next_ready: ResumeKind; take_resolution: Task::Outcome
  kOutThread = 1,     // start_task / next_ready: the thread
  kOutTask = 2,       // next_ready / take_resolution: the task
  kOutEvent = 3,      // next_ready: event code
  kOutP1 = 4,         // next_ready / wait / poll: event payload
  kOutP2 = 5,
  kOutCancelled = 6,  // next_ready: 1 when the thread resumes cancelled
  kOutResult = 7,     // next_ready (Stack): what the blocked built-in returns;
                      // start_task: 1 started, 0 queued; take_resolution: caller subtask
  kOutSlots = 8,
};

// A built-in that may block returns this when the caller's stack must block (JSPI) until
// next_ready() hands the thread back.
inline constexpr double kBuiltinBlocks = -1;
// thread.*-then-*: another thread runs now (out[kOutThread]).
inline constexpr double kThreadSwitched = -2;
// A sync stream/future copy or cancel that cannot finish without blocking the caller.
inline constexpr double kMustBlock = -2;

// stream_out_: word 0 a second result (a writable index, a readable id), word 1 the number
// of copies, then kStreamCopyWords words per copy: flags (CopyFlag), source memory or host
// id, source pointer or element index, the same for the destination, n, and the element's
// byte size.
inline constexpr int kStreamCopyWords = 7;
inline constexpr int kMaxStreamCopies = 4;
enum CopyFlag : unsigned { kCopySrcHost = 1, kCopyDstHost = 2, kCopyBytes = 4 };

}  // namespace bridge
