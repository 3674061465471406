// The handle table and resources (abi/runtime/handle_table.h, resource.h): CanonicalABI.md
// "Table State", "Resource State", lift_own / lift_borrow / lower_own / lower_borrow and
// canon resource.new / drop / rep; test/resources/handle-table.wast and borrows.wast.
#include <gtest/gtest.h>

#include "runtime/error_context.h"
#include "runtime/resource.h"
#include "types/layout.h"
#include "values/lift.h"
#include "values/lower.h"

namespace cm {
namespace {

template <typename F>
void expect_trap(F&& f, const std::string& reason) {
  try {
    f();
    ADD_FAILURE() << "expected trap: " << reason;
  } catch (const Trap& t) {
    EXPECT_EQ(std::string(t.what()), reason);
  }
}

struct Entry : HandleElement {
  explicit Entry(int v) : HandleElement(HandleKind::Resource), value(v) {}
  int value;
};

std::shared_ptr<HandleElement> entry(int v) { return std::make_shared<Entry>(v); }

TEST(HandleTable, IndicesStartAtOneAndFreedOnesAreReusedLastFirst) {
  HandleTable t;
  EXPECT_EQ(t.add(entry(1)), 1u);
  EXPECT_EQ(t.add(entry(2)), 2u);
  EXPECT_EQ(t.add(entry(3)), 3u);
  t.remove(2);
  EXPECT_EQ(t.add(entry(4)), 2u);
  // handle-table.wast: drop 1, 2, 3 -> new gives 3, 2, 1, then 4.
  t.remove(1);
  t.remove(2);
  t.remove(3);
  EXPECT_EQ(t.add(entry(5)), 3u);
  EXPECT_EQ(t.add(entry(6)), 2u);
  EXPECT_EQ(t.add(entry(7)), 1u);
  EXPECT_EQ(t.add(entry(8)), 4u);
  EXPECT_EQ(t.live(), 4u);
  EXPECT_EQ(static_cast<Entry&>(*t.get(3)).value, 5);
}

TEST(HandleTable, ZeroOutOfRangeAndFreedIndicesAreUnknown) {
  HandleTable t;
  t.add(entry(1));
  expect_trap([&] { t.get(0); }, "unknown handle index 0");
  expect_trap([&] { t.get(5); }, "unknown handle index 5");
  expect_trap([&] { t.get(4294967295u); }, "unknown handle index 4294967295");
  t.remove(1);
  expect_trap([&] { t.remove(1); }, "unknown handle index 1");
  expect_trap([&] { t.get(1); }, "unknown handle index 1");
}

struct Resources : ::testing::Test {
  ComponentInstance impl;    // defines the resource
  ComponentInstance client;  // uses it
  std::vector<uint32_t> destroyed;
  std::vector<bool> impl_entered;
  std::shared_ptr<ResourceType> rt = std::make_shared<ResourceType>(&impl, [this](uint32_t rep) {
    impl_entered.push_back(!impl.may_enter);
    destroyed.push_back(rep);
  });
  std::shared_ptr<ResourceType> other = std::make_shared<ResourceType>(&impl);
};

TEST_F(Resources, NewRepAndDropRoundTrip) {
  uint32_t h = canon_resource_new(impl, rt, 42);
  EXPECT_EQ(h, 1u);
  EXPECT_EQ(canon_resource_rep(impl, *rt, h), 42u);
  canon_resource_drop(impl, *rt, h);
  EXPECT_EQ(destroyed, (std::vector<uint32_t>{42}));
  // Dropping its own resource does not re-enter the instance (empty entering set).
  EXPECT_EQ(impl_entered, (std::vector<bool>{false}));
  expect_trap([&] { canon_resource_rep(impl, *rt, h); }, "unknown handle index 1");
}

TEST_F(Resources, DestructorRunsInsideTheImplementingInstance) {
  uint32_t h = lower_own(client, rt, 43);
  canon_resource_drop(client, *rt, h);
  EXPECT_EQ(impl_entered, (std::vector<bool>{true}));
  EXPECT_TRUE(impl.may_enter);
}

TEST_F(Resources, WrongResourceTypeOrKindTraps) {
  uint32_t h = canon_resource_new(impl, rt, 1);
  const char* wrong = "handle index 1 used with the wrong type, expected guest-defined resource but found a different guest-defined resource";
  expect_trap([&] { canon_resource_rep(impl, *other, h); }, wrong);
  uint32_t e = impl.handles.add(std::make_shared<ErrorContext>());
  expect_trap([&] { canon_resource_rep(impl, *rt, e); }, "handle index 2 does not name a resource");
  ResourceType host(nullptr);
  expect_trap([&] { canon_resource_rep(impl, host, h); },
              "handle index 1 used with the wrong type, expected host-defined resource but found a different guest-defined resource");
  expect_trap([&] { canon_resource_drop(impl, *other, h); }, wrong);
}

TEST_F(Resources, NewAndDropNeedMayLeaveButRepDoesNot) {
  uint32_t h = canon_resource_new(impl, rt, 7);
  impl.may_leave = false;
  expect_trap([&] { canon_resource_new(impl, rt, 8); }, "cannot leave component instance");
  expect_trap([&] { canon_resource_drop(impl, *rt, h); }, "cannot leave component instance");
  EXPECT_EQ(canon_resource_rep(impl, *rt, h), 7u);
}

TEST_F(Resources, DroppingAnOwnEntersTheImplementingInstanceEvenWithoutADestructor) {
  uint32_t h = client.handles.add(std::make_shared<ResourceHandle>(other, 5, true));
  impl.may_enter = false;  // e.g. impl is on the call stack
  expect_trap([&] { canon_resource_drop(client, *other, h); }, "cannot enter component instance");
}

TEST_F(Resources, HostResourceDestructorIsCalledDirectly) {
  std::vector<uint32_t> host_destroyed;
  auto host = std::make_shared<ResourceType>(nullptr, [&](uint32_t rep) { host_destroyed.push_back(rep); });
  uint32_t h = lower_own(client, host, 9);
  canon_resource_drop(client, *host, h);
  EXPECT_EQ(host_destroyed, (std::vector<uint32_t>{9}));
}

TEST_F(Resources, LiftOwnMovesTheHandleOut) {
  uint32_t h = lower_own(client, rt, 11);
  EXPECT_EQ(lift_own(client, h, *rt), 11u);
  expect_trap([&] { lift_own(client, h, *rt); }, "unknown handle index 1");
  EXPECT_TRUE(destroyed.empty());  // moving is not dropping
}

TEST_F(Resources, LentOwnHandlesCannotBeDroppedOrMoved) {
  uint32_t h = lower_own(client, rt, 3);
  LendScope call;
  EXPECT_EQ(lift_borrow(client, call, h, *rt), 3u);
  expect_trap([&] { canon_resource_drop(client, *rt, h); }, "cannot remove owned resource while borrowed");
  ComponentInstance client2;
  uint32_t h2 = lower_own(client2, rt, 4);
  LendScope call2;
  lift_borrow(client2, call2, h2, *rt);
  expect_trap([&] { lift_own(client2, h2, *rt); }, "cannot remove owned resource while borrowed");
  ComponentInstance client3;
  uint32_t h3 = lower_own(client3, rt, 5);
  LendScope call3;
  lift_borrow(client3, call3, h3, *rt);
  call3.deliver_resolve();
  canon_resource_drop(client3, *rt, h3);
  EXPECT_EQ(destroyed, (std::vector<uint32_t>{5}));
}

TEST_F(Resources, LiftOwnOfABorrowTraps) {
  auto scope = std::make_shared<BorrowScope>();
  uint32_t h = lower_borrow(client, scope, rt, 6);
  expect_trap([&] { lift_own(client, h, *rt); }, "handle index 1 is a borrow, not an owned resource");
}

TEST_F(Resources, BorrowsIntoTheImplementingInstanceAreTheBareRep) {
  auto scope = std::make_shared<BorrowScope>();
  EXPECT_EQ(lower_borrow(impl, scope, rt, 77), 77u);
  EXPECT_EQ(scope->num_borrows, 0u);
  EXPECT_EQ(impl.handles.live(), 0u);
}

TEST_F(Resources, BorrowHandlesMustBeDroppedBeforeTheCallEnds) {
  auto scope = std::make_shared<BorrowScope>();
  uint32_t h = lower_borrow(client, scope, rt, 8);
  EXPECT_EQ(h, 1u);
  EXPECT_EQ(scope->num_borrows, 1u);
  expect_trap([&] { scope->check_no_borrows(); }, "borrow handles still remain at the end of the call");
  canon_resource_drop(client, *rt, h);  // dropping a borrow calls no destructor
  EXPECT_TRUE(destroyed.empty());
  EXPECT_EQ(scope->num_borrows, 0u);
  scope->check_no_borrows();
}

TEST_F(Resources, OwnAndBorrowValuesLiftAndLowerThroughTheContext) {
  client.resource_types = {rt};
  LiftLowerOptions opts;
  // Lowering into a callee: an own becomes a new handle, a borrow a counted borrow handle.
  LiftLowerContext into(opts, client);
  into.borrow_scope = std::make_shared<BorrowScope>();
  std::vector<CoreValue> flat = lower_flat(into, Value::resource(21), *types::own(0));
  EXPECT_EQ(flat, (std::vector<CoreValue>{CoreValue::i32(1)}));
  flat = lower_flat(into, Value::resource(22), *types::borrow(0));
  EXPECT_EQ(flat, (std::vector<CoreValue>{CoreValue::i32(2)}));
  EXPECT_EQ(into.borrow_scope->num_borrows, 1u);
  // Lifting from a caller: an own is moved out, a borrow is lent.
  LiftLowerContext from(opts, client);
  LendScope lends;
  from.lend_scope = &lends;
  std::vector<CoreValue> args = {CoreValue::i32(2), CoreValue::i32(1)};
  CoreValueIter vi(args);
  std::vector<TypeRef> ts = {types::borrow(0), types::own(0)};
  std::vector<Value> vs = lift_flat_values(from, MAX_FLAT_PARAMS, vi, ts);
  EXPECT_EQ(vs[0].as<ResourceValue>().rep, 22u);
  EXPECT_EQ(vs[1].as<ResourceValue>().rep, 21u);
  EXPECT_EQ(client.handles.live(), 1u);  // the borrow handle stays
}

TEST_F(Resources, ErrorContextsAreSharedNotMoved) {
  auto ctx = std::make_shared<ErrorContext>("boom");
  uint32_t i = client.handles.add(ctx);
  LiftLowerOptions opts;
  LiftLowerContext from(opts, client);
  std::vector<CoreValue> args = {CoreValue::i32(i)};
  CoreValueIter vi(args);
  Value v = lift_flat(from, vi, *types::primitive(TypeKind::ErrorContext));
  EXPECT_EQ(v.as<ErrorContextValue>().context, ctx);
  EXPECT_EQ(client.handles.live(), 1u);
  LiftLowerContext into(opts, impl);
  EXPECT_EQ(lower_flat(into, v, *types::primitive(TypeKind::ErrorContext)), (std::vector<CoreValue>{CoreValue::i32(1)}));
  uint32_t r = client.handles.add(std::make_shared<ResourceHandle>(rt, 1, true));
  std::vector<CoreValue> bad = {CoreValue::i32(r)};
  CoreValueIter vj(bad);
  expect_trap([&] { lift_flat(from, vj, *types::primitive(TypeKind::ErrorContext)); },
              "handle index 2 is not an error-context");
}

TEST(ComponentInstance, EnteringAChildFromItsParentOnlyEntersTheChild) {
  ComponentInstance root;
  ComponentInstance child(&root);
  ComponentInstance sibling(&root);
  root.enter_from(nullptr);
  EXPECT_FALSE(root.may_enter);
  EXPECT_TRUE(child.may_enter_from(&root));
  child.enter_from(&root);
  EXPECT_FALSE(child.may_enter);
  // Re-entering the root from the host is refused; from the child it is not re-entered.
  EXPECT_FALSE(child.may_enter_from(nullptr));
  EXPECT_TRUE(sibling.may_enter_from(&child));
  child.leave_to(&root);
  root.leave_to(nullptr);
  EXPECT_TRUE(root.may_enter);
  EXPECT_TRUE(child.may_enter);
}

}  // namespace
}  // namespace cm
