#include "values/lift.h"

#include <bit>
#include <cassert>
#include <cstring>
#include <string>

#include "runtime/error_context.h"
#include "runtime/resource.h"
#include "types/layout.h"
#include "values/async_values.h"
#include "values/strings.h"

namespace cm {

static_assert(std::endian::native == std::endian::little,
              "linear memory is little-endian and is decoded with memcpy");

namespace {

template <typename T>
T read_le(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

uint32_t read_uint(const uint8_t* p, uint32_t nbytes) {
  switch (nbytes) {
    case 1: return p[0];
    case 2: return read_le<uint16_t>(p);
    default: return read_le<uint32_t>(p);
  }
}

uint32_t mask_flags(uint32_t bits, size_t num_labels) {
  // Bits beyond the last label are ignored (test/values/numerics.wast).
  return num_labels >= 32 ? bits : bits & ((uint32_t{1} << num_labels) - 1);
}

ErrorContextValue lift_error_context(LiftLowerContext& cx, uint32_t i) {
  const std::shared_ptr<HandleElement>& e = cx.inst.handles.get(i);
  if (e->kind() != HandleKind::ErrorContext) {
    trap("handle index " + std::to_string(i) + " is not an error-context");
  }
  return ErrorContextValue{std::static_pointer_cast<ErrorContext>(e)};
}

Value lift_own_value(LiftLowerContext& cx, uint32_t i, const ValType& t) {
  return Value::resource(lift_own(cx.inst, i, *cx.resource_type(t.resource)));
}

Value lift_borrow_value(LiftLowerContext& cx, uint32_t i, const ValType& t) {
  // Borrows are only lifted from a caller's arguments (canon lower), whose subtask lends them.
  trap_if(cx.lend_scope == nullptr, "internal error: borrow lifted outside a call");
  return Value::resource(lift_borrow(cx.inst, *cx.lend_scope, i, *cx.resource_type(t.resource)));
}

Value load_from(LiftLowerContext& cx, const uint8_t* p, const ValType& t);

const ValType& field_type(const Field& f) { return *f.type; }
const ValType& field_type(const TypeRef& t) { return *t; }

// The fields of a record, or of the tuple of spilled values, laid out from `p`.
template <typename Types>
std::vector<Value> load_fields(LiftLowerContext& cx, const uint8_t* p, const Types& types) {
  std::vector<Value> fields;
  fields.reserve(types.size());
  uint64_t offset = 0;
  for (const auto& item : types) {
    const ValType& ft = field_type(item);
    offset = align_to(offset, alignment(ft));
    fields.push_back(load_from(cx, p + offset, ft));
    offset += elem_size(ft);
  }
  return fields;
}

Value load_from(LiftLowerContext& cx, const uint8_t* p, const ValType& t) {
  switch (t.kind) {
    case TypeKind::Bool: return Value::boolean(p[0] != 0);
    case TypeKind::U8: return Value::u64(p[0]);
    case TypeKind::U16: return Value::u64(read_le<uint16_t>(p));
    case TypeKind::U32: return Value::u64(read_le<uint32_t>(p));
    case TypeKind::U64: return Value::u64(read_le<uint64_t>(p));
    case TypeKind::S8: return Value::s64(read_le<int8_t>(p));
    case TypeKind::S16: return Value::s64(read_le<int16_t>(p));
    case TypeKind::S32: return Value::s64(read_le<int32_t>(p));
    case TypeKind::S64: return Value::s64(read_le<int64_t>(p));
    case TypeKind::F32: return Value::f32(canonicalize_nan32(read_le<uint32_t>(p)));
    case TypeKind::F64: return Value::f64(canonicalize_nan64(read_le<uint64_t>(p)));
    case TypeKind::Char: return Value::character(convert_i32_to_char(read_le<uint32_t>(p)));
    case TypeKind::String:
      return Value::string(load_string_from_range(cx, read_le<uint32_t>(p), read_le<uint32_t>(p + 4)));
    case TypeKind::ErrorContext: return Value(lift_error_context(cx, read_le<uint32_t>(p)));
    case TypeKind::List:
      return Value::list(
          load_list_from_range(cx, read_le<uint32_t>(p), read_le<uint32_t>(p + 4), *t.element));
    case TypeKind::FixedList: {
      std::vector<Value> elements;
      elements.reserve(t.length);
      uint32_t size = elem_size(*t.element);
      for (uint32_t i = 0; i < t.length; ++i) {
        elements.push_back(load_from(cx, p + uint64_t{i} * size, *t.element));
      }
      return Value::list(std::move(elements));
    }
    case TypeKind::Record:
    case TypeKind::Tuple: return Value::record(load_fields(cx, p, t.fields));
    case TypeKind::Variant:
    case TypeKind::Enum:
    case TypeKind::Option:
    case TypeKind::Result: {
      uint32_t case_index = read_uint(p, discriminant_size(t.cases.size()));
      trap_if(case_index >= t.cases.size(), "invalid variant discriminant");
      const Case& c = t.cases[case_index];
      if (!c.type) return Value::variant(case_index);
      return Value::variant(case_index, load_from(cx, p + variant_payload_offset(t), *c.type));
    }
    case TypeKind::Flags:
      return Value::flags(mask_flags(read_uint(p, elem_size(t)), t.labels.size()));
    case TypeKind::Own: return lift_own_value(cx, read_le<uint32_t>(p), t);
    case TypeKind::Borrow: return lift_borrow_value(cx, read_le<uint32_t>(p), t);
    case TypeKind::Stream: return Value(lift_stream(cx, read_le<uint32_t>(p), t));
    case TypeKind::Future: return Value(lift_future(cx, read_le<uint32_t>(p), t));
  }
  assert(false);
  return Value();
}

// The (have, want) coercions of a variant payload slot whose joined type is wider than the
// case's own flat type (definitions.py lift_flat_variant, CoerceValueIter).
CoreValue coerce_to(CoreValue have, CoreType want) {
  if (have.type == want) return have;
  switch (want) {
    case CoreType::F32: return CoreValue::f32_bits(static_cast<uint32_t>(have.bits));  // i32 or i64
    case CoreType::I32: return CoreValue::i32(static_cast<uint32_t>(have.bits));       // wrap i64
    case CoreType::F64: return CoreValue::f64_bits(have.bits);                         // from i64
    default: assert(false); return have;
  }
}

Value lift_flat_variant(LiftLowerContext& cx, CoreValueIter& vi, const ValType& t) {
  std::vector<CoreType> joined = flatten_variant_payload(t.cases);
  uint32_t case_index = vi.next(CoreType::I32).as_i32();
  trap_if(case_index >= t.cases.size(), "invalid variant discriminant");
  std::vector<CoreValue> slots;
  slots.reserve(joined.size());
  for (CoreType have : joined) slots.push_back(vi.next(have));
  const Case& c = t.cases[case_index];
  if (!c.type) return Value::variant(case_index);
  std::vector<CoreType> want = flatten_type(*c.type);
  std::vector<CoreValue> coerced;
  coerced.reserve(want.size());
  for (size_t i = 0; i < want.size(); ++i) coerced.push_back(coerce_to(slots[i], want[i]));
  CoreValueIter payload_vi(coerced);
  return Value::variant(case_index, lift_flat(cx, payload_vi, *c.type));
}

}  // namespace

char32_t convert_i32_to_char(uint32_t i) {
  trap_if(i >= 0x110000, "invalid `char` bit pattern");
  trap_if(i >= 0xD800 && i <= 0xDFFF, "invalid `char` bit pattern");
  return static_cast<char32_t>(i);
}

float canonicalize_nan32(uint32_t bits) {
  if ((bits & 0x7f800000) == 0x7f800000 && (bits & 0x007fffff) != 0) bits = CANONICAL_FLOAT32_NAN;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

double canonicalize_nan64(uint64_t bits) {
  if ((bits & 0x7ff0000000000000) == 0x7ff0000000000000 && (bits & 0x000fffffffffffff) != 0) {
    bits = CANONICAL_FLOAT64_NAN;
  }
  double d;
  std::memcpy(&d, &bits, 8);
  return d;
}

std::vector<Value> load_list_from_range(LiftLowerContext& cx, uint32_t ptr, uint32_t length,
                                        const ValType& elem_type) {
  uint64_t size = elem_size(elem_type);
  uint64_t byte_length = size * length;
  trap_if(byte_length > MAX_LIST_BYTE_LENGTH, "list content out-of-bounds: length exceeds 2^28-1 bytes");
  trap_if(ptr != align_to(ptr, alignment(elem_type)), "unaligned pointer");
  GuestMemory& mem = cx.memory();
  trap_if(ptr + byte_length > mem.size(), "list content out-of-bounds");
  std::vector<uint8_t> bytes(byte_length);
  if (byte_length) mem.read(ptr, bytes.data(), static_cast<uint32_t>(byte_length));
  std::vector<Value> elements;
  elements.reserve(length);
  for (uint32_t i = 0; i < length; ++i) {
    elements.push_back(load_from(cx, bytes.data() + i * size, elem_type));
  }
  return elements;
}

Value load(LiftLowerContext& cx, uint32_t ptr, const ValType& t) {
  uint32_t size = elem_size(t);
  trap_if(ptr != align_to(ptr, alignment(t)), "unaligned pointer");
  GuestMemory& mem = cx.memory();
  trap_if(uint64_t{ptr} + size > mem.size(), "pointer out of bounds of memory");
  std::vector<uint8_t> bytes(size);
  mem.read(ptr, bytes.data(), size);
  return load_from(cx, bytes.data(), t);
}

Value lift_flat(LiftLowerContext& cx, CoreValueIter& vi, const ValType& t) {
  switch (t.kind) {
    // Narrow integers arrive in an i32 whose high bits are ignored (truncated), then
    // reinterpreted as signed where the type is (test/values/numerics.wast).
    case TypeKind::Bool: return Value::boolean(vi.next(CoreType::I32).as_i32() != 0);
    case TypeKind::U8: return Value::u64(static_cast<uint8_t>(vi.next(CoreType::I32).as_i32()));
    case TypeKind::U16: return Value::u64(static_cast<uint16_t>(vi.next(CoreType::I32).as_i32()));
    case TypeKind::U32: return Value::u64(vi.next(CoreType::I32).as_i32());
    case TypeKind::U64: return Value::u64(vi.next(CoreType::I64).as_i64());
    case TypeKind::S8: return Value::s64(static_cast<int8_t>(vi.next(CoreType::I32).as_i32()));
    case TypeKind::S16: return Value::s64(static_cast<int16_t>(vi.next(CoreType::I32).as_i32()));
    case TypeKind::S32: return Value::s64(static_cast<int32_t>(vi.next(CoreType::I32).as_i32()));
    case TypeKind::S64: return Value::s64(static_cast<int64_t>(vi.next(CoreType::I64).as_i64()));
    case TypeKind::F32: return Value::f32(canonicalize_nan32(vi.next(CoreType::F32).as_i32()));
    case TypeKind::F64: return Value::f64(canonicalize_nan64(vi.next(CoreType::F64).as_i64()));
    case TypeKind::Char: return Value::character(convert_i32_to_char(vi.next(CoreType::I32).as_i32()));
    case TypeKind::String: {
      uint32_t ptr = vi.next(PTR_TYPE).as_i32();
      uint32_t tagged_code_units = vi.next(PTR_TYPE).as_i32();
      return Value::string(load_string_from_range(cx, ptr, tagged_code_units));
    }
    case TypeKind::ErrorContext: return Value(lift_error_context(cx, vi.next(CoreType::I32).as_i32()));
    case TypeKind::List: {
      uint32_t ptr = vi.next(PTR_TYPE).as_i32();
      uint32_t length = vi.next(PTR_TYPE).as_i32();
      return Value::list(load_list_from_range(cx, ptr, length, *t.element));
    }
    case TypeKind::FixedList: {
      std::vector<Value> elements;
      elements.reserve(t.length);
      for (uint32_t i = 0; i < t.length; ++i) elements.push_back(lift_flat(cx, vi, *t.element));
      return Value::list(std::move(elements));
    }
    case TypeKind::Record:
    case TypeKind::Tuple: {
      std::vector<Value> fields;
      fields.reserve(t.fields.size());
      for (const Field& f : t.fields) fields.push_back(lift_flat(cx, vi, *f.type));
      return Value::record(std::move(fields));
    }
    case TypeKind::Variant:
    case TypeKind::Enum:
    case TypeKind::Option:
    case TypeKind::Result: return lift_flat_variant(cx, vi, t);
    case TypeKind::Flags:
      return Value::flags(mask_flags(vi.next(CoreType::I32).as_i32(), t.labels.size()));
    case TypeKind::Own: return lift_own_value(cx, vi.next(CoreType::I32).as_i32(), t);
    case TypeKind::Borrow: return lift_borrow_value(cx, vi.next(CoreType::I32).as_i32(), t);
    case TypeKind::Stream: return Value(lift_stream(cx, vi.next(CoreType::I32).as_i32(), t));
    case TypeKind::Future: return Value(lift_future(cx, vi.next(CoreType::I32).as_i32(), t));
  }
  assert(false);
  return Value();
}

std::vector<Value> lift_flat_values(LiftLowerContext& cx, uint32_t max_flat, CoreValueIter& vi,
                                    std::span<const TypeRef> ts) {
  if (flat_count(ts) > max_flat) {
    uint32_t ptr = vi.next(PTR_TYPE).as_i32();
    uint32_t size = elem_size_of_tuple(ts);
    trap_if(ptr != align_to(ptr, alignment_of_tuple(ts)), "unaligned pointer");
    GuestMemory& mem = cx.memory();
    trap_if(uint64_t{ptr} + size > mem.size(), "pointer out of bounds of memory");
    std::vector<uint8_t> bytes(size);
    if (size) mem.read(ptr, bytes.data(), size);
    return load_fields(cx, bytes.data(), ts);
  }
  std::vector<Value> values;
  values.reserve(ts.size());
  for (const TypeRef& t : ts) values.push_back(lift_flat(cx, vi, *t));
  return values;
}

}  // namespace cm
