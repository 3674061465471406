#include "async/host_ends.h"

#include "async/future.h"
#include "async/stream.h"
#include "util/trap.h"

namespace cm::async {
namespace {

bool is_future(const CopyEnd& e) {
  return e.kind() == HandleKind::ReadableFutureEnd || e.kind() == HandleKind::WritableFutureEnd;
}

}  // namespace

uint32_t HostEnds::hold(std::shared_ptr<CopyEnd> end) {
  uint32_t id = next_id_++;
  held_.emplace(id, std::move(end));
  return id;
}

std::shared_ptr<CopyEnd> HostEnds::get(uint32_t id) const {
  auto it = held_.find(id);
  trap_if(it == held_.end(), "internal error: unknown host stream/future end");
  return it->second;
}

std::shared_ptr<CopyEnd> HostEnds::release(uint32_t id) {
  std::shared_ptr<CopyEnd> e = get(id);
  held_.erase(id);
  return e;
}

std::pair<uint32_t, uint32_t> HostEnds::new_pair(const TypeRef& t, bool future) {
  if (future) {
    auto shared = std::make_shared<SharedFuture>(t);
    uint32_t readable = hold(std::make_shared<ReadableFutureEnd>(shared));
    return {hold(std::make_shared<WritableFutureEnd>(shared)), readable};
  }
  auto shared = std::make_shared<SharedStream>(t);
  uint32_t readable = hold(std::make_shared<ReadableStreamEnd>(shared));
  return {hold(std::make_shared<WritableStreamEnd>(shared)), readable};
}

CopyOutcome HostEnds::copy(uint32_t id, uint32_t n) {
  std::shared_ptr<CopyEnd> e = get(id);
  // The end may outlive the id: the hook holds no reference to it.
  e->on_event = [this, id] { settled_.push_back(id); };
  if (is_future(*e)) return host_future_copy(static_cast<FutureEnd&>(*e), id);
  return host_stream_copy(static_cast<StreamEnd&>(*e), id, n);
}

uint32_t HostEnds::next_settled() {
  if (settled_.empty()) return 0;
  uint32_t id = settled_.front();
  settled_.pop_front();
  return id;
}

std::optional<uint32_t> HostEnds::poll(uint32_t id) {
  std::shared_ptr<CopyEnd> e = get(id);
  if (!e->has_pending_event()) return std::nullopt;
  return e->get_pending_event().p2;
}

uint32_t HostEnds::cancel(uint32_t id) {
  std::shared_ptr<CopyEnd> e = get(id);
  trap_if(e->state != CopyState::Copying, "internal error: no host copy to cancel");
  e->state = CopyState::CancellingCopy;
  if (!e->has_pending_event()) {
    if (is_future(*e)) static_cast<FutureEnd&>(*e).shared->cancel();
    else static_cast<StreamEnd&>(*e).shared->cancel();
  }
  return e->get_pending_event().p2;
}

void HostEnds::drop(uint32_t id) {
  std::shared_ptr<CopyEnd> e = release(id);
  if (is_future(*e)) static_cast<FutureEnd&>(*e).shared->drop();
  else static_cast<StreamEnd&>(*e).shared->drop();
}

}  // namespace cm::async
