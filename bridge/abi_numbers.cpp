// Every number JS shares with the bridge or the engine, as embind constants named ABI_*:
// scripts/build.mjs reads them from the built engine and writes js/engine/abi-numbers.mjs
// (without the prefix), which the JS runtime imports.
#include <cstddef>

#include <emscripten/bind.h>

#include "async/events.h"
#include "async/store.h"
#include "async/task.h"
#include "shared_numbers.h"

namespace {

template <typename E>
double num(E e) {
  return static_cast<double>(e);
}

}  // namespace

EMSCRIPTEN_BINDINGS(cmbridge_abi_numbers) {
  using emscripten::constant;
  using namespace bridge;
  using cm::async::AsyncStore;
  // Out slots.
  constant("ABI_OUT_KIND", num(kOutKind));
  constant("ABI_OUT_THREAD", num(kOutThread));
  constant("ABI_OUT_TASK", num(kOutTask));
  constant("ABI_OUT_EVENT", num(kOutEvent));
  constant("ABI_OUT_P1", num(kOutP1));
  constant("ABI_OUT_P2", num(kOutP2));
  constant("ABI_OUT_CANCELLED", num(kOutCancelled));
  constant("ABI_OUT_RESULT", num(kOutResult));
  constant("ABI_OUT_SLOTS", num(kOutSlots));
  // AsyncStore::Gauges, as indices of 32-bit words.
  constant("ABI_GAUGE_RESOLUTIONS", num(offsetof(AsyncStore::Gauges, resolutions) / 4));
  constant("ABI_GAUGE_WAITING", num(offsetof(AsyncStore::Gauges, waiting) / 4));
  // ResumeKind and Task::Outcome (what next_ready and take_resolution leave in OUT_KIND).
  constant("ABI_RESUME_START", num(cm::async::ResumeKind::Start));
  constant("ABI_RESUME_CALLBACK", num(cm::async::ResumeKind::Callback));
  constant("ABI_RESUME_STACK", num(cm::async::ResumeKind::Stack));
  constant("ABI_OUTCOME_RETURNED", num(cm::async::Task::Outcome::Returned));
  constant("ABI_OUTCOME_CANCELLED", num(cm::async::Task::Outcome::Cancelled));
  // SubtaskState (what the host tells subtask_on_resolve).
  constant("ABI_SUBTASK_RETURNED", num(cm::async::SubtaskState::Returned));
  constant("ABI_SUBTASK_CANCELLED_BEFORE_RETURNED", num(cm::async::SubtaskState::CancelledBeforeReturned));
  // Copies: a copy event's result (the payload's low 4 bits), BLOCKED, and the out words.
  constant("ABI_COPY_COMPLETED", num(cm::async::CopyResult::Completed));
  constant("ABI_COPY_DROPPED", num(cm::async::CopyResult::Dropped));
  constant("ABI_COPY_CANCELLED", num(cm::async::CopyResult::Cancelled));
  constant("ABI_BLOCKED", num(cm::async::BLOCKED));
  constant("ABI_MUST_BLOCK", kMustBlock);
  constant("ABI_COPY_WORDS", num(kStreamCopyWords));
  constant("ABI_MAX_COPIES", num(kMaxStreamCopies));
  constant("ABI_COPY_SRC_HOST", num(kCopySrcHost));
  constant("ABI_COPY_DST_HOST", num(kCopyDstHost));
  constant("ABI_COPY_BYTES", num(kCopyBytes));
  // Blocking built-ins.
  constant("ABI_BUILTIN_BLOCKS", kBuiltinBlocks);
  constant("ABI_THREAD_SWITCHED", kThreadSwitched);
}
