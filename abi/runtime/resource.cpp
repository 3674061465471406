#include "runtime/resource.h"

#include <cassert>
#include <string>

namespace cm {

namespace {

const char* definer(const ResourceType& rt) { return rt.impl ? "guest-defined" : "host-defined"; }

// The checks every resource operation makes on the element at index i, in the spec's order:
// it must be a resource handle, of this very resource type. Wasmtime's wording.
ResourceHandle& as_resource_handle(HandleElement& e, uint32_t i, const ResourceType& rt) {
  if (e.kind() != HandleKind::Resource) {
    trap("handle index " + std::to_string(i) + " does not name a resource");
  }
  auto& h = static_cast<ResourceHandle&>(e);
  if (h.rt.get() != &rt) {
    trap("handle index " + std::to_string(i) + " used with the wrong type, expected " +
         definer(rt) + " resource but found a different " + definer(*h.rt) + " resource");
  }
  return h;
}

// Runs the destructor as the spec does: a synchronous call into the implementing instance,
// which must be enterable from the dropping instance (even when there is no dtor).
void call_dtor(ComponentInstance& caller, const ResourceType& rt, uint32_t rep) {
  ComponentInstance* impl = rt.impl;
  if (impl == nullptr) {
    if (rt.dtor) rt.dtor(rep);
    return;
  }
  trap_if(!impl->may_enter_from(&caller), "cannot enter component instance");
  impl->enter_from(&caller);
  struct Leave {
    ComponentInstance* impl;
    ComponentInstance* caller;
    ~Leave() { impl->leave_to(caller); }
  } leave{impl, &caller};
  if (rt.dtor) rt.dtor(rep);
}

}  // namespace

void LendScope::add_lender(std::shared_ptr<ResourceHandle> h) {
  assert(!delivered_);
  h->num_lends += 1;
  lenders_.push_back(std::move(h));
}

void LendScope::deliver_resolve() {
  assert(!delivered_);
  for (auto& h : lenders_) h->num_lends -= 1;
  lenders_.clear();
  delivered_ = true;
}

uint32_t lift_own(ComponentInstance& inst, uint32_t i, const ResourceType& rt) {
  // The spec removes first and checks after: a failed check traps, and the trap locks the
  // instance down, so the freed slot is never observed.
  std::shared_ptr<HandleElement> e = inst.handles.remove(i);
  ResourceHandle& h = as_resource_handle(*e, i, rt);
  trap_if(h.num_lends != 0, "cannot remove owned resource while borrowed");
  if (!h.own) trap("handle index " + std::to_string(i) + " is a borrow, not an owned resource");
  return h.rep;
}

uint32_t lift_borrow(ComponentInstance& inst, LendScope& lenders, uint32_t i,
                     const ResourceType& rt) {
  std::shared_ptr<HandleElement> e = inst.handles.get(i);
  ResourceHandle& h = as_resource_handle(*e, i, rt);
  lenders.add_lender(std::static_pointer_cast<ResourceHandle>(e));
  return h.rep;
}

uint32_t lower_own(ComponentInstance& inst, std::shared_ptr<ResourceType> rt, uint32_t rep) {
  return inst.handles.add(std::make_shared<ResourceHandle>(std::move(rt), rep, /*own=*/true));
}

uint32_t lower_borrow(ComponentInstance& inst, const std::shared_ptr<BorrowScope>& scope,
                      std::shared_ptr<ResourceType> rt, uint32_t rep) {
  if (rt->impl == &inst) return rep;
  assert(scope);
  auto h = std::make_shared<ResourceHandle>(std::move(rt), rep, /*own=*/false, scope);
  scope->num_borrows += 1;
  return inst.handles.add(std::move(h));
}

uint32_t canon_resource_new(ComponentInstance& inst, std::shared_ptr<ResourceType> rt,
                            uint32_t rep) {
  trap_if(!inst.may_leave, "cannot leave component instance");
  return inst.handles.add(std::make_shared<ResourceHandle>(std::move(rt), rep, /*own=*/true));
}

void canon_resource_drop(ComponentInstance& inst, const ResourceType& rt, uint32_t i) {
  trap_if(!inst.may_leave, "cannot leave component instance");
  std::shared_ptr<HandleElement> e = inst.handles.remove(i);
  ResourceHandle& h = as_resource_handle(*e, i, rt);
  trap_if(h.num_lends != 0, "cannot remove owned resource while borrowed");
  if (h.own) {
    assert(!h.borrow_scope);
    call_dtor(inst, rt, h.rep);
  } else {
    h.borrow_scope->num_borrows -= 1;
  }
}

uint32_t canon_resource_rep(ComponentInstance& inst, const ResourceType& rt, uint32_t i) {
  std::shared_ptr<HandleElement> e = inst.handles.get(i);
  return as_resource_handle(*e, i, rt).rep;
}

}  // namespace cm
