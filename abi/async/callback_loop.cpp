// The callback ABI's event loop (CanonicalABI.md "canon lift", the loop after the core
// function of a callback-lifted export; definitions.py canon_lift and
// unpack_callback_result). The spec's loop calls the callback itself; ours is one step per
// packed code the core function or callback returned: EXIT finishes the implicit thread,
// YIELD and WAIT release the instance lock and park the thread until next_ready() hands it
// back as ResumeKind::Callback with its event.
#include <cassert>
#include <string>

#include "async/store.h"
#include "async/waitable.h"

namespace cm::async {

CallbackStep AsyncStore::on_callback_result(uint32_t task_id, uint32_t packed) {
  Task& task = task_at(task_id);
  Thread& thread = *task.implicit_thread;
  ComponentInstance& inst = *task.inst;
  uint32_t code = packed & 0xF;
  uint32_t si = packed >> 4;
  if (code > static_cast<uint32_t>(CallbackCode::Wait)) {
    trap("unsupported callback code: " + std::to_string(code));
  }
  if (code == static_cast<uint32_t>(CallbackCode::Exit)) {
    exit_implicit_thread(task);
    return CallbackStep::Exit;
  }
  assert(inst.exclusive_thread == &thread);
  if (code == static_cast<uint32_t>(CallbackCode::Wait)) {
    const std::shared_ptr<HandleElement>& e = inst.handles.get(si);
    trap_if(e->kind() != HandleKind::WaitableSet, "handle index is not a waitable set");
    auto wset = std::static_pointer_cast<WaitableSet>(e);
    inst.exclusive_thread = nullptr;
    ++wset->num_waiting;
    thread.wset = wset;
    thread.lock_inst = &inst;
    start_waiting(thread, WaitKind::CallbackWait, [w = wset.get()] { return w->has_pending_event(); },
                  /*cancellable=*/true);
  } else {
    inst.exclusive_thread = nullptr;
    thread.lock_inst = &inst;
    start_waiting(thread, WaitKind::CallbackYield, nullptr, /*cancellable=*/true);
  }
  return CallbackStep::Waiting;
}

}  // namespace cm::async
