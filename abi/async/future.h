// Futures (CanonicalABI.md "Future State"; definitions.py SharedFutureImpl, ReadableFutureEnd,
// WritableFutureEnd): a stream of exactly one value. Each side reads or writes once; the
// rendezvous copies the value and completes both ops at once, so there is no partial
// progress. The reader may drop early (loss of interest: the writer sees DROPPED); the writer
// may not drop before it has written.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "async/copy_end.h"

namespace cm {

namespace async {
class FutureEnd;
}

// The spec's SharedFutureImpl. In namespace cm because values carry it (FutureValue).
struct SharedFuture : async::SharedCopyState<async::FutureEnd> {
  using SharedCopyState::SharedCopyState;

  void read(ComponentInstance* inst, async::FutureEnd& end, std::vector<async::CopyInstruction>& out);
  void write(ComponentInstance* inst, async::FutureEnd& end, std::vector<async::CopyInstruction>& out);
};

namespace async {

class FutureEnd : public CopyEnd {
 public:
  FutureEnd(HandleKind kind, EventCode code, std::shared_ptr<SharedFuture> f)
      : CopyEnd(kind, code), shared(std::move(f)) {}
  ~FutureEnd() override;

  virtual void copy(ComponentInstance* inst, std::vector<CopyInstruction>& out) = 0;
  // The op is over: DONE after COMPLETED or DROPPED (a future is used once), IDLE after
  // CANCELLED.
  void on_copy_done(CopyResult result);

  std::shared_ptr<SharedFuture> shared;
};

class ReadableFutureEnd final : public FutureEnd {
 public:
  explicit ReadableFutureEnd(std::shared_ptr<SharedFuture> f)
      : FutureEnd(HandleKind::ReadableFutureEnd, EventCode::FutureRead, std::move(f)) {}
  void copy(ComponentInstance* inst, std::vector<CopyInstruction>& out) override {
    shared->read(inst, *this, out);
  }
};

class WritableFutureEnd final : public FutureEnd {
 public:
  explicit WritableFutureEnd(std::shared_ptr<SharedFuture> f)
      : FutureEnd(HandleKind::WritableFutureEnd, EventCode::FutureWrite, std::move(f)) {}
  void copy(ComponentInstance* inst, std::vector<CopyInstruction>& out) override {
    shared->write(inst, *this, out);
  }
};

}  // namespace async
}  // namespace cm
