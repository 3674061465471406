#include "values/context.h"

#include <cassert>

#include "values/store_buffer.h"

namespace cm {

uint32_t LiftLowerContext::reallocate(uint32_t old_ptr, uint32_t old_size, uint32_t alignment,
                                      uint32_t new_size) {
  trap_if(!opts.realloc, "internal error: canonical option `realloc` missing");
  for (StoreBuffer* b = open_buffers; b; b = b->outer_) b->flush();
  // The spec calls realloc as a fresh synchronous export of this instance with may_leave
  // cleared; a trap inside it leaves the instance to be locked down, so the flag is not
  // restored on that path (as in the spec).
  assert(inst.may_leave);
  inst.may_leave = false;
  uint32_t ptr = opts.realloc(old_ptr, old_size, alignment, new_size);
  inst.may_leave = true;
  ++realloc_epoch;
  return ptr;
}

const std::shared_ptr<ResourceType>& LiftLowerContext::resource_type(ResourceTypeId id) const {
  trap_if(id >= inst.resource_types.size() || !inst.resource_types[id],
          "internal error: unresolved resource type");
  return inst.resource_types[id];
}

}  // namespace cm
