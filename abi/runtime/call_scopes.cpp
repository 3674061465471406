#include "runtime/call_scopes.h"

#include "util/trap.h"

namespace cm {

int CallScopes::begin_call() {
  int id = allocate();
  Scope& s = scopes_[static_cast<size_t>(id)];
  s.borrows = std::make_shared<BorrowScope>();
  s.own_lenders = std::make_unique<LendScope>();
  s.lenders = s.own_lenders.get();
  return id;
}

int CallScopes::begin_task(std::shared_ptr<BorrowScope> borrows, LendScope* lenders) {
  int id = allocate();
  Scope& s = scopes_[static_cast<size_t>(id)];
  s.borrows = borrows ? std::move(borrows) : std::make_shared<BorrowScope>();
  if (lenders) {
    s.lenders = lenders;
  } else {
    s.own_lenders = std::make_unique<LendScope>();
    s.lenders = s.own_lenders.get();
  }
  return id;
}

void CallScopes::end_call(int id) {
  Scope& s = at(id);
  if (!s.lenders->resolve_delivered()) s.lenders->deliver_resolve();
  release(id);
}

void CallScopes::end_task(int id) {
  at(id);
  release(id);
}

CallScopes::Scope& CallScopes::at(int id) {
  trap_if(id < 0 || static_cast<size_t>(id) >= scopes_.size() || !scopes_[static_cast<size_t>(id)].lenders,
          "internal error: no such call scope");
  return scopes_[static_cast<size_t>(id)];
}

int CallScopes::allocate() {
  if (!free_.empty()) {
    int id = free_.back();
    free_.pop_back();
    return id;
  }
  scopes_.emplace_back();
  return static_cast<int>(scopes_.size() - 1);
}

void CallScopes::release(int id) {
  Scope& s = scopes_[static_cast<size_t>(id)];
  s.borrows.reset();
  s.own_lenders.reset();
  s.lenders = nullptr;
  free_.push_back(id);
}

}  // namespace cm
