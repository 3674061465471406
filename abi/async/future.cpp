#include "async/future.h"

namespace cm {

using async::CopyResult;
using async::FutureEnd;

void SharedFuture::read(ComponentInstance* inst, FutureEnd& end, std::vector<async::CopyInstruction>& out) {
  if (!pending) {
    set_pending(inst, end);
  } else {
    check_not_intra_component(inst, "cannot read from and write to intra-component future");
    transfer(pending->buffer, end.buffer, 1, out);
    reset_and_notify_pending(CopyResult::Completed);
    end.on_copy_done(CopyResult::Completed);
  }
}

void SharedFuture::write(ComponentInstance* inst, FutureEnd& end, std::vector<async::CopyInstruction>& out) {
  if (dropped) {
    end.on_copy_done(CopyResult::Dropped);
  } else if (!pending) {
    set_pending(inst, end);
  } else {
    check_not_intra_component(inst, "cannot read from and write to intra-component future");
    transfer(end.buffer, pending->buffer, 1, out);
    reset_and_notify_pending(CopyResult::Completed);
    end.on_copy_done(CopyResult::Completed);
  }
}

namespace async {

FutureEnd::~FutureEnd() {
  if (shared && shared->pending == this) shared->reset_pending();
}

void FutureEnd::on_copy_done(CopyResult result) {
  set_pending_event([this, result]() {
    state = result == CopyResult::Cancelled ? CopyState::Idle : CopyState::Done;
    return Event{event_code, index, static_cast<uint32_t>(result)};
  });
}

}  // namespace async
}  // namespace cm
