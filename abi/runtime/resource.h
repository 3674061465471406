// Resources (CanonicalABI.md "Resource State", "canon resource.new/drop/rep", and the
// own/borrow cases of lifting and lowering; definitions.py ResourceType, ResourceHandle,
// lift_own, lift_borrow, lower_own, lower_borrow, canon_resource_*).
//
// A resource value crossing a boundary is its `rep` (a u32 chosen by the implementing
// component); each instance names it through a ResourceHandle in its own handle table.
// Borrowing is counted twice over:
//  - the callee side (the spec's Task): every borrow handle lowered into the callee counts in
//    its BorrowScope, and the call may not return while any remain ("borrow handles still
//    remain at the end of the call");
//  - the caller side (the spec's Subtask): every handle lifted as a borrow is a lender whose
//    num_lends stays raised until the call's resolution is delivered, and an owned handle may
//    not be dropped or moved out while lent ("cannot remove owned resource while borrowed").
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "runtime/component_instance.h"
#include "runtime/handle_table.h"

namespace cm {

// The run-time identity of a resource type: a fresh one per instantiation of the component
// that defines it. Handles are type-checked by identity of this object.
class ResourceType {
 public:
  // `impl` is the instance that defines the resource (null for a host-defined resource).
  explicit ResourceType(ComponentInstance* impl, std::function<void(uint32_t rep)> dtor = {})
      : impl(impl), dtor(std::move(dtor)) {}

  ComponentInstance* impl;
  // The `dtor` of (resource (rep i32) (dtor f)): called with the rep when an owned handle is
  // dropped. Optional.
  std::function<void(uint32_t rep)> dtor;
};

// The borrow count of a callee task (the spec's Task.num_borrows).
class BorrowScope {
 public:
  uint32_t num_borrows = 0;
  // The rule at task.return / task.cancel / the return of a sync lift.
  void check_no_borrows() const {
    trap_if(num_borrows > 0, "borrow handles still remain at the end of the call");
  }
};

class ResourceHandle;

// The handles a caller lent for one call (the spec's Subtask.lenders).
class LendScope {
 public:
  void add_lender(std::shared_ptr<ResourceHandle> h);
  // The call's resolution was delivered to the caller: every lent handle may move again.
  void deliver_resolve();
  bool resolve_delivered() const { return delivered_; }

 private:
  std::vector<std::shared_ptr<ResourceHandle>> lenders_;
  bool delivered_ = false;
};

class ResourceHandle final : public HandleElement {
 public:
  ResourceHandle(std::shared_ptr<ResourceType> rt, uint32_t rep, bool own,
                 std::shared_ptr<BorrowScope> borrow_scope = nullptr)
      : HandleElement(HandleKind::Resource),
        rt(std::move(rt)),
        rep(rep),
        own(own),
        borrow_scope(std::move(borrow_scope)) {}

  std::shared_ptr<ResourceType> rt;
  uint32_t rep;
  bool own;
  // For a borrow handle: the scope of the task it was lent to.
  std::shared_ptr<BorrowScope> borrow_scope;
  uint32_t num_lends = 0;
};

// Lifting and lowering (the value-level rules; values/ calls these).
uint32_t lift_own(ComponentInstance& inst, uint32_t i, const ResourceType& rt);
uint32_t lift_borrow(ComponentInstance& inst, LendScope& lenders, uint32_t i,
                     const ResourceType& rt);
uint32_t lower_own(ComponentInstance& inst, std::shared_ptr<ResourceType> rt, uint32_t rep);
// The implementing instance receives the bare rep instead of a handle.
uint32_t lower_borrow(ComponentInstance& inst, const std::shared_ptr<BorrowScope>& scope,
                      std::shared_ptr<ResourceType> rt, uint32_t rep);

// The canonical built-ins.
uint32_t canon_resource_new(ComponentInstance& inst, std::shared_ptr<ResourceType> rt,
                            uint32_t rep);
void canon_resource_drop(ComponentInstance& inst, const ResourceType& rt, uint32_t i);
uint32_t canon_resource_rep(ComponentInstance& inst, const ResourceType& rt, uint32_t i);

}  // namespace cm
