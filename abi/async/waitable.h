// Waitables and waitable sets (CanonicalABI.md "Waitable State"; definitions.py Waitable,
// WaitableSet). A Waitable is anything a guest can wait on — a subtask, a stream or future
// end — and holds at most one pending event, computed when it is delivered so that the
// latest state wins. It belongs to at most one WaitableSet, and cannot be waited on both
// through a set and synchronously.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "async/events.h"
#include "runtime/handle_table.h"
#include "util/trap.h"

namespace cm::async {

class WaitableSet;

// Told when a member of a waitable set that threads wait on may have made it ready (the
// AsyncStore, so that it need not ask every waiting thread; store.h).
class SetListener {
 public:
  virtual void maybe_ready(WaitableSet& set) = 0;

 protected:
  ~SetListener() = default;
};

class Waitable : public HandleElement {
 public:
  explicit Waitable(HandleKind kind) : HandleElement(kind) {}
  ~Waitable() override;

  void set_pending_event(std::function<Event()> pending);
  // Told each time an event becomes pending. The bridge sets it on the stream and future
  // ends the host holds, so that it learns which host ops settled without asking each.
  std::function<void()> on_event;
  bool has_pending_event() const { return static_cast<bool>(pending_event_); }
  // Delivers (and clears) the pending event.
  Event get_pending_event();
  void clear_pending_event() { pending_event_ = nullptr; }

  // waitable.join: moves this waitable into `set` (null: out of any set).
  void join(WaitableSet* set);
  WaitableSet* set() const { return set_; }

  // A synchronous operation (sync read/write/cancel, sync subtask.cancel) is waiting on
  // this waitable: joining it to a set meanwhile traps.
  bool has_sync_waiter = false;

 private:
  std::function<Event()> pending_event_;
  WaitableSet* set_ = nullptr;
};

class WaitableSet : public HandleElement {
 public:
  WaitableSet() : HandleElement(HandleKind::WaitableSet) {}
  ~WaitableSet() override;

  bool has_pending_event() const;
  // Delivers the pending event of the first member that has one (the spec picks any; we
  // pick deterministically, oldest member first). Precondition: has_pending_event().
  Event get_pending_event();
  // waitable-set.drop's checks.
  void check_droppable() const {
    trap_if(!elems_.empty(), "cannot drop waitable set with waiters");
    trap_if(num_waiting > 0, "cannot drop waitable set with waiters");
  }

  // Threads currently blocked on this set (waitable-set.wait, callback WAIT).
  uint32_t num_waiting = 0;
  // Set while threads wait on it: hears of members' new events.
  SetListener* listener = nullptr;
  // The members, oldest first.
  const std::vector<Waitable*>& members() const { return elems_; }

 private:
  friend class Waitable;
  std::vector<Waitable*> elems_;
};

}  // namespace cm::async
