// What lifting and lowering need besides the value and its type (CanonicalABI.md "Context";
// definitions.py LiftOptions/LiftLowerOptions/CanonicalOptions and LiftLowerContext): the
// canonical options in force, the instance whose handle table handles go to or come from,
// and the borrow scope of the call.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>

#include "runtime/component_instance.h"
#include "runtime/resource.h"
#include "util/trap.h"
#include "values/core_value.h"
#include "values/memory.h"
#include "values/value.h"

namespace cm {

// The canonical options of one canon lift/lower (or of a built-in taking options).
struct LiftLowerOptions {
  StringEncoding string_encoding = StringEncoding::Utf8;
  GuestMemory* memory = nullptr;
  Realloc realloc;
  // Sync lift only: called with the flat results once they have been delivered.
  std::function<void(std::span<const CoreValue>)> post_return;
};

class StoreBuffer;

class LiftLowerContext {
 public:
  // The options are referenced, not copied (a context is made per call; the options live
  // with the lifted/lowered function), so they must outlive the context.
  LiftLowerContext(const LiftLowerOptions& options, ComponentInstance& instance)
      : opts(options), inst(instance) {}
  LiftLowerContext(LiftLowerOptions&&, ComponentInstance&) = delete;
  LiftLowerContext(const LiftLowerContext&) = delete;
  LiftLowerContext& operator=(const LiftLowerContext&) = delete;

  const LiftLowerOptions& opts;
  ComponentInstance& inst;
  // Lowering into a callee (canon lift): the callee task's count of borrows it holds.
  std::shared_ptr<BorrowScope> borrow_scope;
  // Lifting from a caller (canon lower): the handles the caller lends for this call.
  LendScope* lend_scope = nullptr;

  // Validation guarantees a memory wherever a type needs one; a missing one here is an
  // engine bug, reported as a trap rather than a crash.
  GuestMemory& memory() const {
    trap_if(opts.memory == nullptr, "internal error: canonical option `memory` missing");
    return *opts.memory;
  }

  // The spec's cx.reallocate: calls the guest's realloc with may_leave cleared (so that the
  // realloc cannot call out of its instance). Staged stores are written to memory first, so
  // the realloc sees memory exactly as the spec's byte-by-byte stores would have left it.
  uint32_t reallocate(uint32_t old_ptr, uint32_t old_size, uint32_t alignment,
                      uint32_t new_size);
  uint32_t allocate(uint32_t alignment, uint32_t size) { return reallocate(0, 0, alignment, size); }

  // The run-time resource type behind a type's ResourceTypeId in this instance.
  const std::shared_ptr<ResourceType>& resource_type(ResourceTypeId id) const;

  // Bookkeeping for StoreBuffer (values/store_buffer.h): the innermost open buffer, and a
  // counter of realloc calls after which buffered bytes may be stale.
  StoreBuffer* open_buffers = nullptr;
  uint64_t realloc_epoch = 0;
};

}  // namespace cm
