#include "types/layout.h"

#include <algorithm>
#include <cassert>
#include <limits>

namespace cm {

namespace {

constexpr uint32_t SATURATED = std::numeric_limits<uint32_t>::max();

uint32_t saturate(uint64_t n) { return n > SATURATED ? SATURATED : static_cast<uint32_t>(n); }

uint64_t saturating_mul(uint64_t a, uint64_t b) {
  if (a != 0 && b > SATURATED / a) return SATURATED;
  return a * b;
}

uint32_t alignment_flags(size_t n) {
  assert(n > 0 && n <= 32);
  if (n <= 8) return 1;
  if (n <= 16) return 2;
  return 4;
}

uint32_t alignment_record(const std::vector<Field>& fields) {
  uint32_t a = 1;
  for (const Field& f : fields) a = std::max(a, alignment(*f.type));
  return a;
}

uint32_t alignment_variant(const std::vector<Case>& cases) {
  return std::max(discriminant_size(cases.size()), max_case_alignment(cases));
}

uint32_t elem_size_record(const std::vector<Field>& fields) {
  uint64_t s = 0;
  for (const Field& f : fields) {
    s = align_to(s, alignment(*f.type));
    s += elem_size(*f.type);
  }
  assert(s > 0);  // records and tuples have at least one field (validation)
  return saturate(align_to(s, alignment_record(fields)));
}

uint32_t elem_size_variant(const std::vector<Case>& cases) {
  uint64_t s = discriminant_size(cases.size());
  s = align_to(s, max_case_alignment(cases));
  uint64_t cs = 0;
  for (const Case& c : cases) {
    if (c.type) cs = std::max<uint64_t>(cs, elem_size(*c.type));
  }
  s += cs;
  return saturate(align_to(s, alignment_variant(cases)));
}

uint32_t saturating_add(uint32_t a, uint32_t b) { return saturate(uint64_t{a} + b); }

}  // namespace

uint32_t alignment(const ValType& t) {
  switch (t.kind) {
    case TypeKind::Bool:
    case TypeKind::S8:
    case TypeKind::U8: return 1;
    case TypeKind::S16:
    case TypeKind::U16: return 2;
    case TypeKind::S32:
    case TypeKind::U32:
    case TypeKind::F32:
    case TypeKind::Char: return 4;
    case TypeKind::S64:
    case TypeKind::U64:
    case TypeKind::F64: return 8;
    case TypeKind::String:
    case TypeKind::List: return PTR_SIZE;
    case TypeKind::FixedList: return alignment(*t.element);
    case TypeKind::Record:
    case TypeKind::Tuple: return alignment_record(t.fields);
    case TypeKind::Variant:
    case TypeKind::Enum:
    case TypeKind::Option:
    case TypeKind::Result: return alignment_variant(t.cases);
    case TypeKind::Flags: return alignment_flags(t.labels.size());
    case TypeKind::ErrorContext:
    case TypeKind::Own:
    case TypeKind::Borrow:
    case TypeKind::Stream:
    case TypeKind::Future: return 4;
  }
  assert(false);
  return 1;
}

uint32_t elem_size(const ValType& t) {
  switch (t.kind) {
    case TypeKind::Bool:
    case TypeKind::S8:
    case TypeKind::U8: return 1;
    case TypeKind::S16:
    case TypeKind::U16: return 2;
    case TypeKind::S32:
    case TypeKind::U32:
    case TypeKind::F32:
    case TypeKind::Char: return 4;
    case TypeKind::S64:
    case TypeKind::U64:
    case TypeKind::F64: return 8;
    case TypeKind::String:
    case TypeKind::List: return 2 * PTR_SIZE;
    case TypeKind::FixedList: return saturate(saturating_mul(t.length, elem_size(*t.element)));
    case TypeKind::Record:
    case TypeKind::Tuple: return elem_size_record(t.fields);
    case TypeKind::Variant:
    case TypeKind::Enum:
    case TypeKind::Option:
    case TypeKind::Result: return elem_size_variant(t.cases);
    case TypeKind::Flags: return alignment_flags(t.labels.size());
    case TypeKind::ErrorContext:
    case TypeKind::Own:
    case TypeKind::Borrow:
    case TypeKind::Stream:
    case TypeKind::Future: return 4;
  }
  assert(false);
  return 1;
}

TypeKind discriminant_type(size_t num_cases) {
  assert(num_cases > 0);
  if (num_cases <= 256) return TypeKind::U8;
  if (num_cases <= 65536) return TypeKind::U16;
  return TypeKind::U32;
}

uint32_t discriminant_size(size_t num_cases) {
  switch (discriminant_type(num_cases)) {
    case TypeKind::U8: return 1;
    case TypeKind::U16: return 2;
    default: return 4;
  }
}

uint32_t max_case_alignment(const std::vector<Case>& cases) {
  uint32_t a = 1;
  for (const Case& c : cases) {
    if (c.type) a = std::max(a, alignment(*c.type));
  }
  return a;
}

uint32_t variant_payload_offset(const ValType& t) {
  assert(is_variant_like(t.kind));
  return static_cast<uint32_t>(
      align_to(discriminant_size(t.cases.size()), max_case_alignment(t.cases)));
}

std::vector<uint32_t> field_offsets(const ValType& t) {
  assert(is_record_like(t.kind));
  std::vector<uint32_t> offsets;
  offsets.reserve(t.fields.size());
  uint64_t s = 0;
  for (const Field& f : t.fields) {
    s = align_to(s, alignment(*f.type));
    offsets.push_back(saturate(s));
    s += elem_size(*f.type);
  }
  return offsets;
}

uint32_t alignment_of_tuple(std::span<const TypeRef> ts) {
  uint32_t a = 1;
  for (const TypeRef& t : ts) a = std::max(a, alignment(*t));
  return a;
}

uint32_t elem_size_of_tuple(std::span<const TypeRef> ts) {
  uint64_t s = 0;
  for (const TypeRef& t : ts) {
    s = align_to(s, alignment(*t));
    s += elem_size(*t);
  }
  return saturate(align_to(s, alignment_of_tuple(ts)));
}

std::vector<uint32_t> offsets_of_tuple(std::span<const TypeRef> ts) {
  std::vector<uint32_t> offsets;
  offsets.reserve(ts.size());
  uint64_t s = 0;
  for (const TypeRef& t : ts) {
    s = align_to(s, alignment(*t));
    offsets.push_back(saturate(s));
    s += elem_size(*t);
  }
  return offsets;
}

CoreType join(CoreType a, CoreType b) {
  if (a == b) return a;
  if ((a == CoreType::I32 && b == CoreType::F32) || (a == CoreType::F32 && b == CoreType::I32)) {
    return CoreType::I32;
  }
  return CoreType::I64;
}

std::vector<CoreType> flatten_variant_payload(const std::vector<Case>& cases) {
  std::vector<CoreType> flat;
  std::vector<CoreType> case_flat;
  for (const Case& c : cases) {
    if (!c.type) continue;
    case_flat.clear();
    flatten_type(*c.type, case_flat);
    for (size_t i = 0; i < case_flat.size(); ++i) {
      if (i < flat.size()) {
        flat[i] = join(flat[i], case_flat[i]);
      } else {
        flat.push_back(case_flat[i]);
      }
    }
  }
  return flat;
}

void flatten_type(const ValType& t, std::vector<CoreType>& out) {
  switch (t.kind) {
    case TypeKind::Bool:
    case TypeKind::S8:
    case TypeKind::U8:
    case TypeKind::S16:
    case TypeKind::U16:
    case TypeKind::S32:
    case TypeKind::U32:
    case TypeKind::Char:
    case TypeKind::Flags:
    case TypeKind::ErrorContext:
    case TypeKind::Own:
    case TypeKind::Borrow:
    case TypeKind::Stream:
    case TypeKind::Future: out.push_back(CoreType::I32); return;
    case TypeKind::S64:
    case TypeKind::U64: out.push_back(CoreType::I64); return;
    case TypeKind::F32: out.push_back(CoreType::F32); return;
    case TypeKind::F64: out.push_back(CoreType::F64); return;
    case TypeKind::String:
    case TypeKind::List:
      out.push_back(PTR_TYPE);
      out.push_back(PTR_TYPE);
      return;
    case TypeKind::FixedList: {
      size_t start = out.size();
      flatten_type(*t.element, out);
      size_t n = out.size() - start;
      for (uint32_t i = 1; i < t.length; ++i) {
        for (size_t j = 0; j < n; ++j) out.push_back(out[start + j]);
      }
      return;
    }
    case TypeKind::Record:
    case TypeKind::Tuple:
      for (const Field& f : t.fields) flatten_type(*f.type, out);
      return;
    case TypeKind::Variant:
    case TypeKind::Enum:
    case TypeKind::Option:
    case TypeKind::Result: {
      out.push_back(CoreType::I32);  // every discriminant type flattens to i32
      std::vector<CoreType> payload = flatten_variant_payload(t.cases);
      out.insert(out.end(), payload.begin(), payload.end());
      return;
    }
  }
  assert(false);
}

std::vector<CoreType> flatten_type(const ValType& t) {
  std::vector<CoreType> out;
  flatten_type(t, out);
  return out;
}

std::vector<CoreType> flatten_types(std::span<const TypeRef> ts) {
  std::vector<CoreType> out;
  for (const TypeRef& t : ts) flatten_type(*t, out);
  return out;
}

uint32_t flat_count(const ValType& t) {
  switch (t.kind) {
    case TypeKind::String:
    case TypeKind::List: return 2;
    case TypeKind::FixedList: return saturate(saturating_mul(t.length, flat_count(*t.element)));
    case TypeKind::Record:
    case TypeKind::Tuple: {
      uint32_t n = 0;
      for (const Field& f : t.fields) n = saturating_add(n, flat_count(*f.type));
      return n;
    }
    case TypeKind::Variant:
    case TypeKind::Enum:
    case TypeKind::Option:
    case TypeKind::Result: {
      uint32_t n = 0;
      for (const Case& c : t.cases) {
        if (c.type) n = std::max(n, flat_count(*c.type));
      }
      return saturating_add(1, n);
    }
    default: return 1;
  }
}

uint32_t flat_count(std::span<const TypeRef> ts) {
  uint32_t n = 0;
  for (const TypeRef& t : ts) n = saturating_add(n, flat_count(*t));
  return n;
}

bool is_dense(const ValType& t) {
  switch (t.kind) {
    case TypeKind::FixedList: return is_dense(*t.element);
    case TypeKind::Record:
    case TypeKind::Tuple: {
      uint64_t s = 0;
      for (const Field& f : t.fields) {
        if (align_to(s, alignment(*f.type)) != s || !is_dense(*f.type)) return false;
        s += elem_size(*f.type);
      }
      return s == elem_size(t);
    }
    case TypeKind::Variant:
    case TypeKind::Enum:
    case TypeKind::Option:
    case TypeKind::Result:
      // Only payload-free variants (enums, or a variant whose every case is empty) write
      // all their bytes: the discriminant is the whole value.
      for (const Case& c : t.cases) {
        if (c.type) return false;
      }
      return true;
    default: return true;
  }
}

CoreSignature flatten_functype(const FuncType& ft, FlattenContext context, bool async_abi,
                               bool callback) {
  CoreSignature sig;
  uint32_t num_flat_params = 0;
  for (const Field& p : ft.params) num_flat_params = saturating_add(num_flat_params, flat_count(*p.type));
  uint32_t num_flat_results = ft.result ? flat_count(*ft.result) : 0;

  uint32_t max_flat_params =
      (async_abi && context == FlattenContext::Lower) ? MAX_FLAT_ASYNC_PARAMS : MAX_FLAT_PARAMS;
  if (num_flat_params > max_flat_params) {
    sig.params_spilled = true;
    sig.params = {PTR_TYPE};
  } else {
    for (const Field& p : ft.params) flatten_type(*p.type, sig.params);
  }

  if (!async_abi) {
    if (num_flat_results > MAX_FLAT_RESULTS) {
      sig.results_spilled = true;
      if (context == FlattenContext::Lift) {
        sig.results = {PTR_TYPE};
      } else {
        sig.params.push_back(PTR_TYPE);
      }
    } else if (ft.result) {
      flatten_type(*ft.result, sig.results);
    }
    return sig;
  }

  if (context == FlattenContext::Lift) {
    // Async-lifted results are delivered through task.return, not returned.
    if (callback) sig.results = {CoreType::I32};
  } else {
    if (num_flat_results > 0) {
      sig.results_spilled = true;
      sig.params.push_back(PTR_TYPE);
    }
    sig.results = {CoreType::I32};
  }
  return sig;
}

}  // namespace cm
