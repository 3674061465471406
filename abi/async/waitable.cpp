#include "async/waitable.h"

#include <algorithm>

namespace cm::async {

Waitable::~Waitable() { join(nullptr); }

void Waitable::set_pending_event(std::function<Event()> pending) {
  pending_event_ = std::move(pending);
  if (on_event) on_event();
  if (set_ && set_->listener) set_->listener->maybe_ready(*set_);
}

Event Waitable::get_pending_event() {
  std::function<Event()> pending = std::move(pending_event_);
  pending_event_ = nullptr;
  return pending();
}

void Waitable::join(WaitableSet* set) {
  if (set_) {
    auto& elems = set_->elems_;
    elems.erase(std::remove(elems.begin(), elems.end(), this), elems.end());
  }
  set_ = set;
  if (set_) {
    set_->elems_.push_back(this);
    if (has_pending_event() && set_->listener) set_->listener->maybe_ready(*set_);
  }
}

WaitableSet::~WaitableSet() {
  for (Waitable* w : std::vector<Waitable*>(elems_)) w->join(nullptr);
}

bool WaitableSet::has_pending_event() const {
  return std::any_of(elems_.begin(), elems_.end(), [](const Waitable* w) { return w->has_pending_event(); });
}

Event WaitableSet::get_pending_event() {
  for (Waitable* w : elems_)
    if (w->has_pending_event()) return w->get_pending_event();
  return {};
}

}  // namespace cm::async
