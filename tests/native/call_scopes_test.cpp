// CallScopes (abi/runtime/call_scopes.h): the borrow counts and lenders of calls a host
// drives from outside the engine, by id.
#include <gtest/gtest.h>

#include <memory>

#include "runtime/call_scopes.h"
#include "runtime/resource.h"
#include "util/trap.h"

namespace cm {
namespace {

std::shared_ptr<ResourceHandle> own_handle() {
  return std::make_shared<ResourceHandle>(std::make_shared<ResourceType>(nullptr), 7, true);
}

TEST(CallScopes, ACallsBorrowsMustBeGoneWhenItReturns) {
  CallScopes scopes;
  int id = scopes.begin_call();
  scopes.check_borrows(id);
  scopes.at(id).borrows->num_borrows = 1;
  EXPECT_THROW(scopes.check_borrows(id), Trap);
  scopes.at(id).borrows->num_borrows = 0;
  scopes.end_call(id);
}

TEST(CallScopes, EndingACallLetsItsLentHandlesMoveAgain) {
  CallScopes scopes;
  int id = scopes.begin_call();
  std::shared_ptr<ResourceHandle> h = own_handle();
  scopes.at(id).lenders->add_lender(h);
  EXPECT_EQ(h->num_lends, 1u);
  scopes.end_call(id);
  EXPECT_EQ(h->num_lends, 0u);
}

TEST(CallScopes, ATasksScopeUsesTheEnginesAndLeavesThemAlone) {
  CallScopes scopes;
  auto task_borrows = std::make_shared<BorrowScope>();
  LendScope subtask_lenders;
  int id = scopes.begin_task(task_borrows, &subtask_lenders);
  EXPECT_EQ(scopes.at(id).borrows, task_borrows);
  EXPECT_EQ(scopes.at(id).lenders, &subtask_lenders);
  std::shared_ptr<ResourceHandle> h = own_handle();
  scopes.at(id).lenders->add_lender(h);
  scopes.end_task(id);
  // The subtask's resolution releases them, not the end of the arguments' scope.
  EXPECT_EQ(h->num_lends, 1u);
  EXPECT_FALSE(subtask_lenders.resolve_delivered());
  subtask_lenders.deliver_resolve();
  EXPECT_EQ(h->num_lends, 0u);
}

TEST(CallScopes, AHostCalleeOrHostCallerGetsScopesOfItsOwn) {
  CallScopes scopes;
  int id = scopes.begin_task(nullptr, nullptr);
  EXPECT_NE(scopes.at(id).borrows, nullptr);
  EXPECT_NE(scopes.at(id).lenders, nullptr);
  scopes.end_task(id);
}

TEST(CallScopes, IdsAreReusedAndAFreedIdIsRefused) {
  CallScopes scopes;
  int a = scopes.begin_call();
  scopes.end_call(a);
  EXPECT_THROW(scopes.at(a), Trap);
  EXPECT_THROW(scopes.at(-1), Trap);
  int b = scopes.begin_call();
  EXPECT_EQ(a, b);
  scopes.end_call(b);
}

}  // namespace
}  // namespace cm
