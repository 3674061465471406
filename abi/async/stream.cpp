#include "async/stream.h"

#include <algorithm>

namespace cm {

using async::CopyResult;
using async::StreamEnd;

void SharedStream::read(ComponentInstance* inst, StreamEnd& end, std::vector<async::CopyInstruction>& out) {
  if (dropped) {
    end.on_copy_done(CopyResult::Dropped);
  } else if (!pending) {
    set_pending(inst, end);
  } else {
    check_not_intra_component(inst, "cannot read from and write to intra-component stream");
    async::CopyBuffer& src = pending->buffer;
    if (src.remain() > 0) {
      if (end.buffer.remain() > 0) {
        uint32_t n = std::min(end.buffer.remain(), src.remain());
        transfer(src, end.buffer, n, out);
        pending->on_copy();
      }
      end.on_copy_done(CopyResult::Completed);
    } else {
      // The pending write is 0-length or already drained: it completes, this read waits.
      reset_and_notify_pending(CopyResult::Completed);
      set_pending(inst, end);
    }
  }
}

void SharedStream::write(ComponentInstance* inst, StreamEnd& end, std::vector<async::CopyInstruction>& out) {
  if (dropped) {
    end.on_copy_done(CopyResult::Dropped);
  } else if (!pending) {
    set_pending(inst, end);
  } else {
    check_not_intra_component(inst, "cannot read from and write to intra-component stream");
    async::CopyBuffer& dst = pending->buffer;
    if (dst.remain() > 0) {
      if (end.buffer.remain() > 0) {
        uint32_t n = std::min(end.buffer.remain(), dst.remain());
        transfer(end.buffer, dst, n, out);
        pending->on_copy();
      }
      end.on_copy_done(CopyResult::Completed);
    } else if (end.buffer.is_zero_length() && dst.is_zero_length()) {
      // A 0-length write meeting a 0-length read: both are readiness probes; the write learns
      // the reader is waiting and the read stays pending for the real write to come.
      end.on_copy_done(CopyResult::Completed);
    } else {
      reset_and_notify_pending(CopyResult::Completed);
      set_pending(inst, end);
    }
  }
}

namespace async {

StreamEnd::~StreamEnd() {
  // An end destroyed without drop (its instance went away after a trap) must not stay the
  // pending op: the other end would notify freed memory.
  if (shared && shared->pending == this) shared->reset_pending();
}

void StreamEnd::set_stream_event(CopyResult result, bool reclaim_buffer) {
  set_pending_event([this, result, reclaim_buffer]() {
    if (reclaim_buffer && shared->pending == this) shared->reset_pending();
    state = result == CopyResult::Dropped ? CopyState::Done : CopyState::Idle;
    return Event{event_code, index, pack_copy_result(result, buffer.progress)};
  });
}

void StreamEnd::on_copy() { set_stream_event(CopyResult::Completed, true); }

bool StreamEnd::is_pending_op() const { return shared && shared->pending == this; }

void StreamEnd::on_copy_done(CopyResult result) { set_stream_event(result, false); }

}  // namespace async
}  // namespace cm
