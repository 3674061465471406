#include "async/copy_values.h"

#include "types/layout.h"
#include "values/lift.h"
#include "values/lower.h"

namespace cm::async {

void copy_values(const CopyInstruction& c, LiftLowerContext& src, LiftLowerContext& dst) {
  trap_if(c.src.is_host() || c.dst.is_host(), "internal error: copy_values between guest memories only");
  trap_if(!c.t, "internal error: copy_values without an element type");
  // Lift all n first, then lower: the spec's dst_buffer.write(src_buffer.read(n)).
  std::vector<Value> vs = load_list_from_range(src, c.src.ptr, c.n, *c.t);
  uint32_t size = elem_size(*c.t);
  for (uint32_t k = 0; k < c.n; ++k) store(dst, vs[k], *c.t, c.dst.ptr + k * size);
}

}  // namespace cm::async
