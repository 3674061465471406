#include "async/canon_async.h"

#include <cassert>

#include "async/subtask.h"
#include "async/waitable.h"
#include "values/memory.h"

namespace cm::async {

namespace {

ComponentInstance& instance_of(AsyncStore& store, uint32_t thread) {
  return *store.thread_at(thread).task->inst;
}

void check_may_leave(const ComponentInstance& inst) {
  trap_if(!inst.may_leave, "cannot leave component instance");
}

std::shared_ptr<WaitableSet> get_waitable_set(ComponentInstance& inst, uint32_t si) {
  const std::shared_ptr<HandleElement>& e = inst.handles.get(si);
  trap_if(e->kind() != HandleKind::WaitableSet, "handle index is not a waitable set");
  return std::static_pointer_cast<WaitableSet>(e);
}

bool is_waitable(HandleKind kind) {
  switch (kind) {
    case HandleKind::Subtask:
    case HandleKind::ReadableStreamEnd:
    case HandleKind::WritableStreamEnd:
    case HandleKind::ReadableFutureEnd:
    case HandleKind::WritableFutureEnd:
      return true;
    default:
      return false;
  }
}

std::shared_ptr<Subtask> get_subtask(ComponentInstance& inst, uint32_t i) {
  const std::shared_ptr<HandleElement>& e = inst.handles.get(i);
  trap_if(e->kind() != HandleKind::Subtask, "handle index is not a subtask");
  return std::static_pointer_cast<Subtask>(e);
}

}  // namespace

Resolution canon_task_return(AsyncStore& store, uint32_t thread, bool result_type_matches,
                             bool options_match) {
  Task& task = *store.thread_at(thread).task;
  check_may_leave(*task.inst);
  trap_if(!task.kind.async_, "task.return called from a synchronously-lifted export");
  trap_if(!result_type_matches || !options_match,
          "invalid `task.return` signature and/or options for current task");
  task.return_();
  store.push_resolution(task);
  return {task.id, task.caller ? task.caller->id : 0, task.outcome};
}

Resolution canon_task_cancel(AsyncStore& store, uint32_t thread) {
  Task& task = *store.thread_at(thread).task;
  check_may_leave(*task.inst);
  trap_if(!task.kind.async_, "task.cancel called from a synchronously-lifted export");
  task.cancel();
  store.push_resolution(task);
  return {task.id, task.caller ? task.caller->id : 0, task.outcome};
}

uint32_t canon_waitable_set_new(AsyncStore& store, uint32_t thread) {
  ComponentInstance& inst = instance_of(store, thread);
  check_may_leave(inst);
  return inst.handles.add(std::make_shared<WaitableSet>());
}

BlockingResult canon_waitable_set_wait(AsyncStore& store, uint32_t thread_id, bool cancellable,
                                       GuestMemory& memory, uint32_t si, uint32_t ptr) {
  Thread& thread = store.thread_at(thread_id);
  ComponentInstance& inst = *thread.task->inst;
  check_may_leave(inst);
  std::shared_ptr<WaitableSet> wset = get_waitable_set(inst, si);
  if (thread.task->deliver_pending_cancel(cancellable)) {
    store_event(memory, ptr, Event{EventCode::TaskCancelled, 0, 0});
    return {false, static_cast<uint32_t>(EventCode::TaskCancelled)};
  }
  // An event already pending is delivered without switching (the spec may do either).
  if (wset->has_pending_event()) {
    Event e = wset->get_pending_event();
    store_event(memory, ptr, e);
    return {false, static_cast<uint32_t>(e.code)};
  }
  store.check_may_block(thread);
  ++wset->num_waiting;
  thread.wset = wset;
  thread.memory = &memory;
  thread.event_ptr = ptr;
  store.start_waiting(thread, WaitKind::WaitableSetWait,
                      [w = wset.get()] { return w->has_pending_event(); }, cancellable);
  return {true, 0};
}

uint32_t canon_waitable_set_poll(AsyncStore& store, uint32_t thread_id, bool cancellable,
                                 GuestMemory& memory, uint32_t si, uint32_t ptr) {
  Thread& thread = store.thread_at(thread_id);
  ComponentInstance& inst = *thread.task->inst;
  check_may_leave(inst);
  std::shared_ptr<WaitableSet> wset = get_waitable_set(inst, si);
  Event e;
  if (thread.task->deliver_pending_cancel(cancellable)) {
    e = Event{EventCode::TaskCancelled, 0, 0};
  } else if (wset->has_pending_event()) {
    e = wset->get_pending_event();
  }
  store_event(memory, ptr, e);
  return static_cast<uint32_t>(e.code);
}

void canon_waitable_set_drop(AsyncStore& store, uint32_t thread, uint32_t si) {
  ComponentInstance& inst = instance_of(store, thread);
  check_may_leave(inst);
  std::shared_ptr<HandleElement> e = inst.handles.remove(si);
  trap_if(e->kind() != HandleKind::WaitableSet, "handle index is not a waitable set");
  static_cast<WaitableSet&>(*e).check_droppable();
}

void canon_waitable_join(AsyncStore& store, uint32_t thread, uint32_t wi, uint32_t si) {
  ComponentInstance& inst = instance_of(store, thread);
  check_may_leave(inst);
  const std::shared_ptr<HandleElement>& e = inst.handles.get(wi);
  trap_if(!is_waitable(e->kind()), "handle index is not a waitable");
  auto& w = static_cast<Waitable&>(*e);
  trap_if(w.has_sync_waiter, "waitable cannot be used synchronously while added to a waitable set");
  if (si == 0) {
    w.join(nullptr);
  } else {
    w.join(get_waitable_set(inst, si).get());
  }
}

SubtaskCancelResult canon_subtask_cancel(AsyncStore& store, uint32_t thread, bool async_, uint32_t i) {
  ComponentInstance& inst = instance_of(store, thread);
  check_may_leave(inst);
  // A sync cancel may block: a sync task traps before anything else is looked at
  // (Wasmtime's rule, async/trap-if-block-and-sync.wast).
  if (!async_) store.check_may_block(store.thread_at(thread));
  std::shared_ptr<Subtask> s = get_subtask(inst, i);
  trap_if(s->resolve_delivered(), "cannot cancel a subtask whose resolution was delivered");
  trap_if(s->cancellation_requested, "cannot cancel a subtask twice");
  trap_if(s->set() != nullptr && !async_,
          "waitable cannot be used synchronously while added to a waitable set");
  if (!s->resolved()) {
    s->cancellation_requested = true;
    if (s->callee == nullptr) return {{}, s->id, 0};  // a host callee: JS aborts it first
    if (Thread* t = store.request_cancellation(*s->callee, &inst)) return {{}, 0, t->id};
  }
  return {canon_subtask_cancel_finish(store, thread, async_, i), 0, 0};
}

BlockingResult canon_subtask_cancel_finish(AsyncStore& store, uint32_t thread_id, bool async_,
                                           uint32_t i) {
  Thread& thread = store.thread_at(thread_id);
  std::shared_ptr<Subtask> s = get_subtask(*thread.task->inst, i);
  if (!s->resolved()) {
    if (async_) return {false, BLOCKED};
    store.check_may_block(thread);
    s->has_sync_waiter = true;
    thread.subtask = s;
    store.start_waiting(thread, WaitKind::SubtaskCancel,
                        [p = s.get()] { return p->has_pending_event(); }, false);
    return {true, 0};
  }
  // Delivering the pending event is what tells the caller (and releases lent handles).
  assert(s->has_pending_event());
  s->get_pending_event();
  return {false, static_cast<uint32_t>(s->state)};
}

void canon_subtask_drop(AsyncStore& store, uint32_t thread, uint32_t i) {
  ComponentInstance& inst = instance_of(store, thread);
  check_may_leave(inst);
  std::shared_ptr<HandleElement> e = inst.handles.remove(i);
  trap_if(e->kind() != HandleKind::Subtask, "handle index is not a subtask");
  auto s = std::static_pointer_cast<Subtask>(e);
  trap_if(!s->resolve_delivered(), "cannot drop a subtask which has not yet resolved");
  s->join(nullptr);
  store.forget_subtask(s->id);
}

void backpressure_inc(ComponentInstance& inst) {
  trap_if(inst.backpressure + 1 >= (1u << 16), "backpressure counter overflow");
  ++inst.backpressure;
}

void backpressure_dec(ComponentInstance& inst) {
  trap_if(inst.backpressure == 0, "backpressure counter underflow");
  --inst.backpressure;
}

void canon_backpressure_inc(AsyncStore& store, uint32_t thread) { backpressure_inc(instance_of(store, thread)); }

void canon_backpressure_dec(AsyncStore& store, uint32_t thread) { backpressure_dec(instance_of(store, thread)); }

uint32_t canon_context_get(AsyncStore& store, uint32_t thread, uint32_t i) {
  assert(i < 2);  // validation bounds the immediate
  return store.thread_at(thread).storage[i];
}

void canon_context_set(AsyncStore& store, uint32_t thread, uint32_t i, uint32_t v) {
  assert(i < 2);
  store.thread_at(thread).storage[i] = v;
}

BlockingResult canon_thread_yield(AsyncStore& store, uint32_t thread_id, bool cancellable) {
  Thread& thread = store.thread_at(thread_id);
  check_may_leave(*thread.task->inst);
  if (thread.task->deliver_pending_cancel(cancellable)) return {false, 1};
  // A sync-typed task has nothing it may yield to (it may not block): carry on.
  if (!thread.task->kind.ft_async && thread.task->state != Task::State::Resolved) return {false, 0};
  store.start_waiting(thread, WaitKind::Yield, nullptr, cancellable);
  return {true, 0};
}

NewThread canon_thread_new_indirect(AsyncStore& store, uint32_t thread_id) {
  Task& task = *store.thread_at(thread_id).task;
  check_may_leave(*task.inst);
  Thread& t = store.new_thread(task);
  return {t.index, t.id};
}

namespace {

Thread& thread_by_index(AsyncStore& store, ComponentInstance& inst, uint32_t i) {
  const std::shared_ptr<Thread>& t = inst.threads.get(i);
  return store.thread_at(t->id);
}

}  // namespace

void canon_thread_resume_later(AsyncStore& store, uint32_t thread_id, uint32_t i) {
  ComponentInstance& inst = instance_of(store, thread_id);
  check_may_leave(inst);
  Thread& other = thread_by_index(store, inst, i);
  trap_if(!other.suspended(), "thread is not suspended");
  store.start_waiting(other, WaitKind::ResumeLater, nullptr, false);
}

BlockingResult canon_thread_suspend(AsyncStore& store, uint32_t thread_id, bool cancellable) {
  Thread& thread = store.thread_at(thread_id);
  check_may_leave(*thread.task->inst);
  if (thread.task->deliver_pending_cancel(cancellable)) return {false, 1};
  store.check_may_block(thread);
  thread.state = Thread::State::Suspended;
  thread.cancellable = cancellable;
  return {true, 0};
}

SwitchResult canon_thread_switch(AsyncStore& store, uint32_t thread_id, bool cancellable, uint32_t i,
                                 bool yield_, bool promote) {
  Thread& thread = store.thread_at(thread_id);
  ComponentInstance& inst = *thread.task->inst;
  check_may_leave(inst);
  Thread& other = thread_by_index(store, inst, i);
  if (!promote) trap_if(!other.suspended(), "thread is not suspended");
  if (thread.task->deliver_pending_cancel(cancellable)) return {false, 1, 0};
  bool run_other = !promote || other.ready();
  if (!run_other) {
    // *-then-promote of a thread that is not ready: a plain suspend or yield.
    if (yield_) {
      BlockingResult r = canon_thread_yield(store, thread_id, cancellable);
      return {false, r.blocked ? BLOCKED : r.value, 0};
    }
    BlockingResult r = canon_thread_suspend(store, thread_id, cancellable);
    return {false, r.blocked ? BLOCKED : r.value, 0};
  }
  if (promote) store.take_ready(other);
  if (yield_) {
    store.start_waiting(thread, WaitKind::Yield, nullptr, cancellable);
  } else {
    thread.state = Thread::State::Suspended;
    thread.cancellable = cancellable;
  }
  other.state = Thread::State::Running;
  return {true, 0, other.id};
}

void thread_exit(AsyncStore& store, uint32_t thread_id) { store.exit_thread(store.thread_at(thread_id)); }

uint32_t canon_thread_index(AsyncStore& store, uint32_t thread) {
  Thread& t = store.thread_at(thread);
  check_may_leave(*t.task->inst);
  return t.index;
}

}  // namespace cm::async
