// The runtime state of one component instance that the value-level ABI needs
// (CanonicalABI.md "Component Instances"; definitions.py class ComponentInstance): its handle
// table, the may_enter / may_leave flags, and the lockdown flag a trap sets. Issue 3 (async)
// extends it with threads, backpressure, num_waiting_to_enter and exclusive_thread.
#pragma once

#include <memory>
#include <vector>

#include "runtime/handle_table.h"

namespace cm {

class ResourceType;
namespace async {
class Thread;
}

struct ComponentInstance {
  // The enclosing instance when this one was instantiated inside another component.
  ComponentInstance* parent = nullptr;
  HandleTable handles;
  // Cleared while a call is inside this instance (or one of its children): re-entering it
  // traps "cannot enter component instance".
  bool may_enter = true;
  // Cleared while realloc or post-return runs: calling out of the instance then traps
  // "cannot leave component instance".
  bool may_leave = true;
  // Set when code of this instance trapped: the instance may not be used again (the spec's
  // Python does not model this; Wasmtime and the WAST suite do).
  bool locked_down = false;
  // The runtime resource type behind each ResourceTypeId that this instance's component
  // types use (filled by the linker; a fresh ResourceType per instantiation for resources the
  // component defines).
  std::vector<std::shared_ptr<ResourceType>> resource_types;

  // Async state (abi/async/; definitions.py ComponentInstance). The threads of this
  // instance's tasks, by the index thread.index returns: a second index space, apart from
  // `handles`.
  Table<async::Thread> threads;
  // backpressure.inc/dec's counter: while > 0, async-typed calls wait at the gate.
  uint32_t backpressure = 0;
  // Calls waiting at the backpressure gate: later calls queue behind them (no starvation).
  uint32_t num_waiting_to_enter = 0;
  // The thread holding the instance's lock for sync- and callback-lifted code (one shadow
  // stack per instance): null when free.
  async::Thread* exclusive_thread = nullptr;

  explicit ComponentInstance(ComponentInstance* parent_instance = nullptr)
      : parent(parent_instance) {}
  ComponentInstance(const ComponentInstance&) = delete;
  ComponentInstance& operator=(const ComponentInstance&) = delete;

  // The entering set is this instance and its ancestors, minus the caller's own chain: a
  // child calling its parent does not re-enter the parent's ancestors it is already in.
  bool may_enter_from(const ComponentInstance* caller) const;
  void enter_from(const ComponentInstance* caller);
  void leave_to(const ComponentInstance* caller);

 private:
  std::vector<ComponentInstance*> entering_set(const ComponentInstance* caller);
};

}  // namespace cm
