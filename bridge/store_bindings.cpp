// The engine-side state of one instantiated component, for JS: its runtime component
// instances (handle tables), its resource types, and the scopes that count borrows during
// a call. JS refers to everything by small integer ids; every operation is one call.
//
// The call-boundary flags (may_enter, may_leave, lockdown) are checked on every call, so JS
// keeps them (js/runtime/instance-state.mjs) and checks them before calling in here; the
// flags in cm::ComponentInstance stay at their defaults in this build. See
// docs/decisions.md.
#include <emscripten/bind.h>

#include <memory>
#include <string>
#include <vector>

#include "js_errors.h"
#include "runtime/component_instance.h"
#include "runtime/error_context.h"
#include "runtime/resource.h"

namespace {

using bridge::guarded;

class Store {
 public:
  // Adds a runtime component instance; `parent` is an earlier id or -1.
  int add_instance(int parent) {
    cm::ComponentInstance* p = parent >= 0 ? instances_.at(parent).get() : nullptr;
    instances_.push_back(std::make_unique<cm::ComponentInstance>(p));
    return static_cast<int>(instances_.size() - 1);
  }

  // Adds a resource type defined by instance `impl` (-1: the host). Dropping an owned
  // handle of it asks JS to run the destructor: resource_drop returns the rep for that.
  int add_resource_type(int impl) {
    cm::ComponentInstance* owner = impl >= 0 ? instances_.at(impl).get() : nullptr;
    auto rt = std::make_shared<cm::ResourceType>(owner, [this](uint32_t rep) { pending_dtor_rep_ = rep; });
    resource_types_.push_back(std::move(rt));
    return static_cast<int>(resource_types_.size() - 1);
  }

  uint32_t resource_new(int inst, int rt, uint32_t rep) {
    return guarded([&] { return cm::canon_resource_new(instance(inst), type(rt), rep); });
  }

  uint32_t resource_rep(int inst, int rt, uint32_t index) {
    return guarded([&] { return cm::canon_resource_rep(instance(inst), *type(rt), index); });
  }

  // Returns the rep whose destructor JS must now run, or -1 when none is due (a borrow
  // handle was dropped).
  double resource_drop(int inst, int rt, uint32_t index) {
    return guarded([&] {
      pending_dtor_rep_ = -1;
      cm::canon_resource_drop(instance(inst), *type(rt), index);
      return pending_dtor_rep_;
    });
  }

  uint32_t lift_own(int inst, int rt, uint32_t index) {
    return guarded([&] { return cm::lift_own(instance(inst), index, *type(rt)); });
  }

  uint32_t lower_own(int inst, int rt, uint32_t rep) {
    return guarded([&] { return cm::lower_own(instance(inst), type(rt), rep); });
  }

  // A call scope pairs the callee's borrow count (borrows lowered into it) and the
  // caller's lenders (handles it lent). Returns its id.
  int begin_call() {
    int id;
    if (!free_scopes_.empty()) {
      id = free_scopes_.back();
      free_scopes_.pop_back();
    } else {
      id = static_cast<int>(scopes_.size());
      scopes_.emplace_back();
    }
    scopes_[id].borrows = std::make_shared<cm::BorrowScope>();
    scopes_[id].lenders = std::make_unique<cm::LendScope>();
    return id;
  }

  uint32_t lift_borrow(int inst, int rt, uint32_t index, int call) {
    return guarded([&] { return cm::lift_borrow(instance(inst), *scope(call).lenders, index, *type(rt)); });
  }

  uint32_t lower_borrow(int inst, int rt, uint32_t rep, int call) {
    return guarded([&] { return cm::lower_borrow(instance(inst), scope(call).borrows, type(rt), rep); });
  }

  // The callee is returning: traps if borrow handles remain.
  void check_borrows(int call) {
    guarded([&] { scope(call).borrows->check_no_borrows(); });
  }

  // The call is over (returned or trapped): lent handles may move again; the id is free.
  void end_call(int call) {
    CallScope& s = scope(call);
    if (!s.lenders->resolve_delivered()) s.lenders->deliver_resolve();
    s.borrows.reset();
    s.lenders.reset();
    free_scopes_.push_back(call);
  }

  // error-context (📝). Guests cannot compare error-contexts, so their identity is not
  // observable: JS carries just the message, and lowering one makes a new object.
  uint32_t error_context_new(int inst, const std::string& message) {
    return guarded([&] { return instance(inst).handles.add(std::make_shared<cm::ErrorContext>(message)); });
  }

  std::string error_context_message(int inst, uint32_t index) {
    return guarded([&] { return error_context(inst, index).debug_message; });
  }

  void error_context_drop(int inst, uint32_t index) {
    guarded([&] {
      error_context(inst, index);
      instance(inst).handles.remove(index);
    });
  }

  // Live handles in an instance's table (for tests and the task-tree snapshot).
  uint32_t live_handles(int inst) { return static_cast<uint32_t>(instance(inst).handles.live()); }

 private:
  struct CallScope {
    std::shared_ptr<cm::BorrowScope> borrows;
    std::unique_ptr<cm::LendScope> lenders;
  };
  std::vector<std::unique_ptr<cm::ComponentInstance>> instances_;
  std::vector<std::shared_ptr<cm::ResourceType>> resource_types_;
  std::vector<CallScope> scopes_;
  std::vector<int> free_scopes_;
  double pending_dtor_rep_ = -1;

  cm::ComponentInstance& instance(int id) { return *instances_.at(id); }
  std::shared_ptr<cm::ResourceType>& type(int id) { return resource_types_.at(id); }
  CallScope& scope(int id) { return scopes_.at(id); }
  cm::ErrorContext& error_context(int inst, uint32_t index) {
    auto& e = instance(inst).handles.get(index);
    cm::trap_if(e->kind() != cm::HandleKind::ErrorContext,
                ("handle index " + std::to_string(index) + " is not an error-context").c_str());
    return static_cast<cm::ErrorContext&>(*e);
  }
};

}  // namespace

EMSCRIPTEN_BINDINGS(cmbridge_store) {
  emscripten::class_<Store>("Store")
      .constructor<>()
      .function("addInstance", &Store::add_instance)
      .function("addResourceType", &Store::add_resource_type)
      .function("resourceNew", &Store::resource_new)
      .function("resourceRep", &Store::resource_rep)
      .function("resourceDrop", &Store::resource_drop)
      .function("liftOwn", &Store::lift_own)
      .function("lowerOwn", &Store::lower_own)
      .function("beginCall", &Store::begin_call)
      .function("liftBorrow", &Store::lift_borrow)
      .function("lowerBorrow", &Store::lower_borrow)
      .function("checkBorrows", &Store::check_borrows)
      .function("endCall", &Store::end_call)
      .function("errorContextNew", &Store::error_context_new)
      .function("errorContextMessage", &Store::error_context_message)
      .function("errorContextDrop", &Store::error_context_drop)
      .function("liveHandles", &Store::live_handles);
}
