#include "async/subtask.h"

#include <cassert>

namespace cm::async {

void Subtask::on_start() {
  assert(state == SubtaskState::Starting);
  state = SubtaskState::Started;
  on_progress();
}

void Subtask::on_resolve(SubtaskState final_state) {
  assert(!resolved());
  if (final_state != SubtaskState::Returned) {
    // A cancelled callee resolves as "before started" or "before returned" depending on
    // whether it ever took its arguments.
    final_state = state == SubtaskState::Starting ? SubtaskState::CancelledBeforeStarted
                                                  : SubtaskState::CancelledBeforeReturned;
  }
  state = final_state;
  on_progress();
}

void Subtask::set_index(uint32_t i) {
  index = i;
}

void Subtask::on_progress() {
  if (index == 0) return;
  set_pending_event([this] {
    if (resolved() && !resolve_delivered()) deliver_resolve();
    return Event{EventCode::Subtask, index, static_cast<uint32_t>(state)};
  });
}

}  // namespace cm::async
