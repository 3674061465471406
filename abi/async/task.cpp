#include "async/task.h"

#include <cassert>

#include "async/subtask.h"
#include "util/recycling_allocator.h"

namespace cm::async {

void* Task::operator new(std::size_t size) {
  if (size == sizeof(Task)) return RecyclingAllocator<Task>().allocate(1);
  return ::operator new(size);
}

void Task::operator delete(void* p, std::size_t size) {
  if (size == sizeof(Task)) return RecyclingAllocator<Task>().deallocate(static_cast<Task*>(p), 1);
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
