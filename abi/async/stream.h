// Streams (CanonicalABI.md "Stream State"; definitions.py SharedStreamImpl, ReadableStreamEnd,
// WritableStreamEnd): an unbuffered channel whose two ends rendezvous. An op that finds no
// partner becomes the pending op; the next op on the other end copies min(remain) elements
// straight between the two buffers (as CopyInstructions for JS), completes itself, and tells
// the pending side via on_copy, which keeps its buffer (and its place as the pending op)
// until its event is delivered, so further ops can keep filling it.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "async/copy_end.h"

namespace cm {

namespace async {
class StreamEnd;
}

// The spec's SharedStreamImpl. In namespace cm because values carry it (StreamValue).
struct SharedStream : async::SharedCopyState<async::StreamEnd> {
  using SharedCopyState::SharedCopyState;

  // `inst` is the instance whose op this is (null: a host participant); `end.buffer` holds
  // the op's buffer. Copies are appended to `out`.
  void read(ComponentInstance* inst, async::StreamEnd& end, std::vector<async::CopyInstruction>& out);
  void write(ComponentInstance* inst, async::StreamEnd& end, std::vector<async::CopyInstruction>& out);
};

namespace async {

class StreamEnd : public CopyEnd {
 public:
  StreamEnd(HandleKind kind, EventCode code, std::shared_ptr<SharedStream> s)
      : CopyEnd(kind, code), shared(std::move(s)) {}
  ~StreamEnd() override;

  // Starts this end's copy (state must already be COPYING, `buffer` set).
  virtual void copy(ComponentInstance* inst, std::vector<CopyInstruction>& out) = 0;
  // Elements moved through the pending buffer: event COMPLETED with the progress so far,
  // reclaiming the buffer when delivered.
  void on_copy();
  // The op is over with `result`.
  void on_copy_done(CopyResult result);
  bool is_pending_op() const override;

  std::shared_ptr<SharedStream> shared;

 private:
  void set_stream_event(CopyResult result, bool reclaim_buffer);
};

class ReadableStreamEnd final : public StreamEnd {
 public:
  explicit ReadableStreamEnd(std::shared_ptr<SharedStream> s)
      : StreamEnd(HandleKind::ReadableStreamEnd, EventCode::StreamRead, std::move(s)) {}
  void copy(ComponentInstance* inst, std::vector<CopyInstruction>& out) override {
    shared->read(inst, *this, out);
  }
};

class WritableStreamEnd final : public StreamEnd {
 public:
  explicit WritableStreamEnd(std::shared_ptr<SharedStream> s)
      : StreamEnd(HandleKind::WritableStreamEnd, EventCode::StreamWrite, std::move(s)) {}
  void copy(ComponentInstance* inst, std::vector<CopyInstruction>& out) override {
    shared->write(inst, *this, out);
  }
};

}  // namespace async
}  // namespace cm
