#include "async/buffer.h"

#include "types/layout.h"
#include "util/trap.h"

namespace cm::async {

CopyBuffer CopyBuffer::guest(ComponentInstance& inst, uint32_t memory_id, uint64_t memory_size,
                             TypeRef t, uint32_t ptr, uint32_t length) {
  trap_if(length > MAX_LENGTH, "stream/future buffer length exceeds 2^28-1 elements");
  uint32_t size = t ? cm::elem_size(*t) : 0;
  if (t && length > 0) {
    trap_if(ptr != align_to(ptr, alignment(*t)), "unaligned pointer");
    // 64-bit arithmetic: length < 2^28 and size < 2^28 cannot overflow it.
    trap_if(uint64_t{ptr} + uint64_t{length} * size > memory_size,
            "stream/future buffer out of bounds");
  }
  CopyBuffer b;
  b.inst = &inst;
  b.memory_id = memory_id;
  b.t = std::move(t);
  b.ptr = ptr;
  b.length = length;
  b.elem_size = size;
  return b;
}

CopyBuffer CopyBuffer::host(uint32_t host_id, TypeRef t, uint32_t length) {
  trap_if(length > MAX_LENGTH, "stream/future buffer length exceeds 2^28-1 elements");
  CopyBuffer b;
  b.memory_id = host_id;
  b.elem_size = t ? 1 : 0;  // host sites count elements, not bytes
  b.t = std::move(t);
  b.length = length;
  return b;
}

void CopyBuffer::advance(uint32_t n) {
  ptr += n * elem_size;
  progress += n;
}

void copy_elements(CopyBuffer& src, CopyBuffer& dst, uint32_t n, std::vector<CopyInstruction>& out) {
  if (n > 0 && src.t) out.push_back(CopyInstruction{src.site(), dst.site(), n, src.t});
  src.advance(n);
  dst.advance(n);
}

bool none_or_number_type(const TypeRef& t) {
  if (!t) return true;
  switch (t->kind) {
    case TypeKind::U8: case TypeKind::U16: case TypeKind::U32: case TypeKind::U64:
    case TypeKind::S8: case TypeKind::S16: case TypeKind::S32: case TypeKind::S64:
    case TypeKind::F32: case TypeKind::F64:
      return true;
    default:
      return false;
  }
}

bool same_element_type(const TypeRef& a, const TypeRef& b) {
  if (a == b) return true;
  if (!a || !b) return false;
  if (a->kind != b->kind || a->length != b->length || a->labels != b->labels) return false;
  if (!same_element_type(a->element, b->element)) return false;
  if (a->fields.size() != b->fields.size() || a->cases.size() != b->cases.size()) return false;
  for (size_t k = 0; k < a->fields.size(); ++k) {
    if (a->fields[k].name != b->fields[k].name) return false;
    if (!same_element_type(a->fields[k].type, b->fields[k].type)) return false;
  }
  for (size_t k = 0; k < a->cases.size(); ++k) {
    if (a->cases[k].name != b->cases[k].name) return false;
    if (!same_element_type(a->cases[k].type, b->cases[k].type)) return false;
  }
  return true;
}

}  // namespace cm::async
