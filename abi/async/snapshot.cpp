#include "async/snapshot.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

#include "async/future.h"
#include "async/stream.h"
#include "async/subtask.h"
#include "async/task.h"
#include "async/thread.h"
#include "async/waitable.h"

namespace cm::async {

namespace {

const char* task_state_name(Task::State s) {
  switch (s) {
    case Task::State::Initial: return "initial";
    case Task::State::Started: return "started";
    case Task::State::PendingCancel: return "pending-cancel";
    case Task::State::CancelDelivered: return "cancel-delivered";
    case Task::State::Resolved: return "resolved";
  }
  return "unknown";
}

const char* subtask_state_name(SubtaskState s) {
  switch (s) {
    case SubtaskState::Starting: return "starting";
    case SubtaskState::Started: return "started";
    case SubtaskState::Returned: return "returned";
    case SubtaskState::CancelledBeforeStarted: return "cancelled-before-started";
    case SubtaskState::CancelledBeforeReturned: return "cancelled-before-returned";
  }
  return "unknown";
}

const char* thread_state_name(Thread::State s) {
  switch (s) {
    case Thread::State::Running: return "running";
    case Thread::State::Waiting: return "waiting";
    case Thread::State::Suspended: return "suspended";
  }
  return "unknown";
}

const char* wait_kind_name(WaitKind k) {
  switch (k) {
    case WaitKind::None: return "none";
    case WaitKind::EnterGate: return "enter-gate";
    case WaitKind::CallbackYield: return "callback-yield";
    case WaitKind::CallbackWait: return "callback-wait";
    case WaitKind::WaitableSetWait: return "waitable-set-wait";
    case WaitKind::Yield: return "yield";
    case WaitKind::SyncLower: return "sync-lower";
    case WaitKind::SubtaskCancel: return "subtask-cancel";
    case WaitKind::Host: return "host";
    case WaitKind::ResumeLater: return "resume-later";
  }
  return "unknown";
}

const char* copy_state_name(CopyState s) {
  switch (s) {
    case CopyState::Idle: return "idle";
    case CopyState::Copying: return "copying";
    case CopyState::CancellingCopy: return "cancelling-copy";
    case CopyState::Done: return "done";
  }
  return "unknown";
}

const char* lift_name(LiftKind k) {
  if (!k.async_) return "sync";
  return k.callback ? "async-callback" : "async-stackful";
}

// The event a waitable's pending event will be, by what the waitable is: computing the
// event itself would deliver it.
const char* event_name(HandleKind k) {
  switch (k) {
    case HandleKind::Subtask: return "subtask";
    case HandleKind::ReadableStreamEnd: return "stream-read";
    case HandleKind::WritableStreamEnd: return "stream-write";
    case HandleKind::ReadableFutureEnd: return "future-read";
    case HandleKind::WritableFutureEnd: return "future-write";
    default: return "unknown";
  }
}

// The values of an id-keyed map, oldest (smallest id) first: the store keeps them hashed.
template <typename Map>
auto by_id(const Map& map) {
  using Value = decltype(map.begin()->second.get());
  std::vector<std::pair<uint32_t, Value>> entries;
  entries.reserve(map.size());
  for (const auto& [id, p] : map) entries.emplace_back(id, p.get());
  std::sort(entries.begin(), entries.end());
  std::vector<Value> values;
  values.reserve(entries.size());
  for (const auto& e : entries) values.push_back(e.second);
  return values;
}

class SnapshotWriter {
 public:
  SnapshotWriter(JsonWriter& w, const AsyncStore& store, const std::vector<const ComponentInstance*>& instances)
      : w_(w), store_(store), instances_(instances) {
    for (size_t i = 0; i < instances_.size(); ++i) {
      inst_ids_[instances_[i]] = static_cast<int>(i);
      instances_[i]->handles.for_each([&](uint32_t handle, const HandleElement& e) {
        places_[&e] = Place{static_cast<int>(i), handle};
      });
    }
  }

  void write() {
    w_.begin_object();
    w_.key("instances").begin_array();
    for (size_t i = 0; i < instances_.size(); ++i) instance(static_cast<int>(i), *instances_[i]);
    w_.end_array();
    w_.key("tasks").begin_array();
    for (const Task* task : by_id(store_.tasks())) this->task(*task);
    w_.end_array();
    w_.key("subtasks").begin_array();
    for (const Subtask* s : by_id(store_.subtasks())) subtask(*s);
    w_.end_array();
    w_.end_object();
  }

 private:
  // Where a handle element lives: an instance (by id) and its index in that table.
  struct Place {
    int inst = -1;
    uint32_t handle = 0;
  };

  JsonWriter& w_;
  const AsyncStore& store_;
  const std::vector<const ComponentInstance*>& instances_;
  std::unordered_map<const ComponentInstance*, int> inst_ids_;
  std::unordered_map<const HandleElement*, Place> places_;

  const Place* place(const HandleElement* e) const {
    auto it = places_.find(e);
    return it == places_.end() ? nullptr : &it->second;
  }

  void inst_id(std::string_view name, const ComponentInstance* inst) {
    auto it = inst_ids_.find(inst);
    w_.key(name);
    if (it == inst_ids_.end()) w_.null();
    else w_.value(it->second);
  }

  // `name`: the element's handle index, or null when it is in no listed table.
  void handle_of(std::string_view name, const HandleElement* e) {
    const Place* p = e ? place(e) : nullptr;
    w_.key(name);
    if (p) w_.value(p->handle);
    else w_.null();
  }

  void instance(int id, const ComponentInstance& inst) {
    w_.begin_object().member("id", id);
    inst_id("parent", inst.parent);
    w_.member("backpressure", inst.backpressure).member("waitingToEnter", inst.num_waiting_to_enter);
    w_.key("lockedBy");
    if (inst.exclusive_thread) w_.value(inst.exclusive_thread->id);
    else w_.null();

    w_.key("waitableSets").begin_array();
    inst.handles.for_each([&](uint32_t handle, const HandleElement& e) {
      if (e.kind() == HandleKind::WaitableSet) waitable_set(handle, static_cast<const WaitableSet&>(e));
    });
    w_.end_array();
    w_.key("streams").begin_array();
    inst.handles.for_each([&](uint32_t handle, const HandleElement& e) {
      if (e.kind() == HandleKind::ReadableStreamEnd || e.kind() == HandleKind::WritableStreamEnd)
        copy_end(handle, static_cast<const StreamEnd&>(e));
    });
    w_.end_array();
    w_.key("futures").begin_array();
    inst.handles.for_each([&](uint32_t handle, const HandleElement& e) {
      if (e.kind() == HandleKind::ReadableFutureEnd || e.kind() == HandleKind::WritableFutureEnd)
        copy_end(handle, static_cast<const FutureEnd&>(e));
    });
    w_.end_array();
    w_.end_object();
  }

  void waitable_set(uint32_t handle, const WaitableSet& set) {
    w_.begin_object().member("handle", handle);
    w_.key("members").begin_array();
    for (const Waitable* m : set.members()) {
      const Place* p = place(m);
      if (p) w_.value(p->handle);
      else w_.null();
    }
    w_.end_array();
    w_.member("waiting", set.num_waiting);
    w_.key("pendingEvents").begin_array();
    for (const Waitable* m : set.members()) {
      if (!m->has_pending_event()) continue;
      w_.begin_object();
      handle_of("handle", m);
      w_.member("event", event_name(m->kind())).end_object();
    }
    w_.end_array();
    w_.end_object();
  }

  template <class End>
  void copy_end(uint32_t handle, const End& end) {
    bool readable = end.kind() == HandleKind::ReadableStreamEnd || end.kind() == HandleKind::ReadableFutureEnd;
    w_.begin_object()
        .member("handle", handle)
        .member("end", readable ? "readable" : "writable")
        .member("state", copy_state_name(end.state))
        .member("elementsMoved", end.shared ? end.shared->moved : uint64_t{0})
        .member("otherEndDropped", end.shared && end.shared->dropped);
    w_.key("copy");
    if (end.copying()) {
      w_.begin_object().member("progress", end.buffer.progress).member("length", end.buffer.length).end_object();
    } else {
      w_.null();
    }
    w_.key("pendingEvent");
    if (end.has_pending_event()) w_.value(event_name(end.kind()));
    else w_.null();
    handle_of("set", end.set());
    w_.end_object();
  }

  void task(const Task& t) {
    w_.begin_object().member("id", t.id);
    inst_id("instance", t.inst);
    w_.member("lift", lift_name(t.kind)).member("asyncType", t.kind.ft_async);
    w_.member("state", task_state_name(t.state));
    w_.key("outcome");
    switch (t.outcome) {
      case Task::Outcome::None: w_.null(); break;
      case Task::Outcome::Returned: w_.value("returned"); break;
      case Task::Outcome::Cancelled: w_.value("cancelled"); break;
    }
    w_.key("callerSubtask");
    if (t.caller) w_.value(t.caller->id);
    else w_.null();
    w_.key("threads").begin_array();
    // A call still at the backpressure gate has its implicit thread but has not
    // registered it yet.
    if (t.state == Task::State::Initial && t.implicit_thread) thread(t, *t.implicit_thread);
    for (const Thread* th : t.threads) thread(t, *th);
    w_.end_array();
    w_.end_object();
  }

  void thread(const Task& t, const Thread& th) {
    w_.begin_object()
        .member("id", th.id)
        .member("index", th.index)
        .member("implicit", &th == t.implicit_thread.get())
        .member("state", thread_state_name(th.state))
        .member("cancellable", th.cancellable);
    w_.key("waitingFor");
    if (!th.waiting()) {
      w_.null();
    } else {
      w_.begin_object().member("kind", wait_kind_name(th.wait));
      if (th.wset) handle_of("waitableSet", th.wset.get());
      if (th.subtask) w_.member("subtask", th.subtask->id);
      w_.end_object();
    }
    w_.end_object();
  }

  void subtask(const Subtask& s) {
    const Place* p = place(&s);
    w_.begin_object().member("id", s.id).member("state", subtask_state_name(s.state));
    w_.key("instance");
    if (p) w_.value(p->inst);
    else w_.null();
    w_.key("handle");
    if (p) w_.value(p->handle);
    else w_.null();
    w_.key("calleeTask");
    if (s.callee) w_.value(s.callee->id);
    else w_.null();
    w_.member("pendingEvent", s.has_pending_event());
    w_.end_object();
  }
};

}  // namespace

void write_snapshot(JsonWriter& w, const AsyncStore& store, const std::vector<const ComponentInstance*>& instances) {
  SnapshotWriter(w, store, instances).write();
}

std::string snapshot_json(const AsyncStore& store, const std::vector<const ComponentInstance*>& instances) {
  JsonWriter w;
  write_snapshot(w, store, instances);
  return w.take();
}

}  // namespace cm::async
