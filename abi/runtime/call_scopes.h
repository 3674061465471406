// The handle bookkeeping of calls in flight, by id, for a host that drives calls from
// outside the engine (the JS bridge). A call scope pairs the callee's borrow count (borrow
// handles lowered into it, checked when it returns) with the caller's lenders (handles it
// lent, which may not move until the call's resolution is delivered): the spec's
// LiftLowerContext borrow_scope and the task's or subtask's lenders.
//
// Two kinds of scope:
// - a call of its own (begin_call): a sync lift or lower that runs to its end while the
//   host holds the scope; end_call delivers the resolution to the lenders;
// - an engine task's arguments (begin_task): the borrows count in the task's scope and the
//   lenders are the caller subtask's, both owned by the async engine, which releases them;
//   end_task only frees the id.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/resource.h"

namespace cm {

class CallScopes {
 public:
  struct Scope {
    std::shared_ptr<BorrowScope> borrows;
    LendScope* lenders = nullptr;  // own_lenders, or an engine subtask's
    std::unique_ptr<LendScope> own_lenders;
  };

  // A call of its own: a fresh borrow count and lenders. Returns its id.
  int begin_call();
  // The arguments of an engine task: `borrows` is the task's scope (null: a host callee,
  // which gets a fresh one), `lenders` the caller subtask's (null: the host called, which
  // lends nothing the engine keeps). Returns its id.
  int begin_task(std::shared_ptr<BorrowScope> borrows, LendScope* lenders);
  // The callee is returning: traps if borrow handles remain.
  void check_borrows(int id) { at(id).borrows->check_no_borrows(); }
  // A call of its own is over (returned or trapped): lent handles may move again.
  void end_call(int id);
  // The task's arguments moved: the id is free (the task and the subtask keep theirs).
  void end_task(int id);

  Scope& at(int id);

 private:
  int allocate();
  void release(int id);

  std::vector<Scope> scopes_;
  std::vector<int> free_;
};

}  // namespace cm
