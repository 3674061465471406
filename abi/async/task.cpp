#include "async/task.h"

#include <cassert>
#include <vector>

#include "async/subtask.h"

namespace cm::async {

namespace {
// Freed tasks kept for reuse. The engine runs on one thread (in a browser or Node, the
// realm's), so no lock.
constexpr std::size_t kKeptTasks = 256;
std::vector<void*>& free_tasks() {
  static std::vector<void*> kept;
  return kept;
}
}  // namespace

void* Task::operator new(std::size_t size) {
  std::vector<void*>& kept = free_tasks();
  if (size == sizeof(Task) && !kept.empty()) {
    void* p = kept.back();
    kept.pop_back();
    return p;
  }
  return ::operator new(size);
}

void Task::operator delete(void* p, std::size_t size) {
  std::vector<void*>& kept = free_tasks();
  if (size == sizeof(Task) && kept.size() < kKeptTasks) {
    if (kept.capacity() == 0) kept.reserve(kKeptTasks);
    kept.push_back(p);
    return;
  }
  ::operator delete(p);
}

void Task::return_() {
  trap_if(state == State::Resolved, "task already returned or cancelled");
  if (borrow_scope) borrow_scope->check_no_borrows();
  if (caller) caller->on_resolve(SubtaskState::Returned);
  state = State::Resolved;
  outcome = Outcome::Returned;
}

void Task::cancel() {
  trap_if(state != State::CancelDelivered, "task.cancel called without a delivered cancellation");
  if (borrow_scope) borrow_scope->check_no_borrows();
  if (caller) caller->on_resolve(SubtaskState::CancelledBeforeReturned);
  state = State::Resolved;
  outcome = Outcome::Cancelled;
}

void Task::register_thread(const std::shared_ptr<Thread>& thread) {
  assert(thread->index == 0 && thread->task == this);
  threads.push_back(thread.get());
  thread->index = inst->threads.add(thread);
}

void Task::unregister_thread(Thread& thread) {
  threads.erase(&thread);
  // The last thread of an async task must have called task.return or task.cancel.
  if (threads.empty()) {
    trap_if(state != State::Resolved, "async-lifted export failed to produce a result");
  }
  if (thread.index != 0) inst->threads.remove(thread.index);
  thread.index = 0;
}

}  // namespace cm::async
