#include "values/lower.h"

#include <cassert>
#include <cstring>

#include "runtime/error_context.h"
#include "runtime/resource.h"
#include "types/layout.h"
#include "values/async_values.h"
#include "values/store_buffer.h"
#include "values/strings.h"

namespace cm {

namespace {

// The two's complement bits of an integer value. Lifting produces int64_t for signed and
// uint64_t for unsigned types; a host may hand either.
uint64_t int_bits(const Value& v) {
  if (const auto* u = std::get_if<uint64_t>(&v.data)) return *u;
  return static_cast<uint64_t>(v.as<int64_t>());
}

uint32_t float_bits(const Value& v) {
  float f = v.as<float>();
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}

uint64_t double_bits(const Value& v) {
  double d = v.as<double>();
  uint64_t b;
  std::memcpy(&b, &d, 8);
  return b;
}

uint32_t char_bits(const Value& v) {
  char32_t c = v.as<char32_t>();
  trap_if(c >= 0x110000 || (c >= 0xD800 && c <= 0xDFFF), "invalid `char` bit pattern");
  return static_cast<uint32_t>(c);
}

uint32_t flags_bits(const Value& v, size_t num_labels) {
  uint32_t bits = v.as<FlagsValue>().bits;
  return num_labels >= 32 ? bits : bits & ((uint32_t{1} << num_labels) - 1);
}

const VariantValue& variant_of(const Value& v, const ValType& t) {
  const VariantValue& vv = v.as<VariantValue>();
  trap_if(vv.case_index >= t.cases.size(), "value does not match its type");
  trap_if(!vv.payload != !t.cases[vv.case_index].type, "value does not match its type");
  return vv;
}

uint32_t lower_own_value(LiftLowerContext& cx, const Value& v, const ValType& t) {
  return lower_own(cx.inst, cx.resource_type(t.resource), v.as<ResourceValue>().rep);
}

uint32_t lower_borrow_value(LiftLowerContext& cx, const Value& v, const ValType& t) {
  const std::shared_ptr<ResourceType>& rt = cx.resource_type(t.resource);
  // Borrows are only lowered into a callee's parameters (canon lift), whose task counts them;
  // the implementing instance itself gets the bare rep and needs no scope.
  trap_if(rt->impl != &cx.inst && !cx.borrow_scope, "internal error: borrow lowered outside a call");
  return lower_borrow(cx.inst, cx.borrow_scope, rt, v.as<ResourceValue>().rep);
}

uint32_t lower_error_context(LiftLowerContext& cx, const Value& v) {
  const auto& ctx = v.as<ErrorContextValue>().context;
  trap_if(!ctx, "value does not match its type");
  return cx.inst.handles.add(ctx);
}

const ValType& field_type(const Field& f) { return *f.type; }
const ValType& field_type(const TypeRef& t) { return *t; }

void store_into(LiftLowerContext& cx, StoreBuffer& buf, uint32_t offset, const Value& v,
                const ValType& t);

template <typename Types>
void store_fields(LiftLowerContext& cx, StoreBuffer& buf, uint32_t offset,
                  std::span<const Value> values, const Types& types) {
  trap_if(values.size() != types.size(), "value does not match its type");
  uint64_t o = 0;
  size_t i = 0;
  for (const auto& item : types) {
    const ValType& ft = field_type(item);
    o = align_to(o, alignment(ft));
    store_into(cx, buf, offset + static_cast<uint32_t>(o), values[i++], ft);
    o += elem_size(ft);
  }
}

void store_into(LiftLowerContext& cx, StoreBuffer& buf, uint32_t offset, const Value& v,
                const ValType& t) {
  switch (t.kind) {
    case TypeKind::Bool: buf.put_int<uint8_t>(offset, v.as<bool>() ? 1 : 0); return;
    case TypeKind::U8:
    case TypeKind::S8: buf.put_int<uint8_t>(offset, static_cast<uint8_t>(int_bits(v))); return;
    case TypeKind::U16:
    case TypeKind::S16: buf.put_int<uint16_t>(offset, static_cast<uint16_t>(int_bits(v))); return;
    case TypeKind::U32:
    case TypeKind::S32: buf.put_int<uint32_t>(offset, static_cast<uint32_t>(int_bits(v))); return;
    case TypeKind::U64:
    case TypeKind::S64: buf.put_int<uint64_t>(offset, int_bits(v)); return;
    case TypeKind::F32: buf.put_int<uint32_t>(offset, float_bits(v)); return;
    case TypeKind::F64: buf.put_int<uint64_t>(offset, double_bits(v)); return;
    case TypeKind::Char: buf.put_int<uint32_t>(offset, char_bits(v)); return;
    case TypeKind::String: {
      StringRange r = store_string_into_range(cx, v.as<StringValue>());
      uint32_t pair[2] = {r.ptr, r.tagged_code_units};
      buf.put(offset, pair, 8);
      return;
    }
    case TypeKind::ErrorContext: buf.put_int<uint32_t>(offset, lower_error_context(cx, v)); return;
    case TypeKind::List: {
      ListRange r = store_list_into_range(cx, v.as<ListValue>().elements, *t.element);
      uint32_t pair[2] = {r.ptr, r.length};
      buf.put(offset, pair, 8);
      return;
    }
    case TypeKind::FixedList: {
      const auto& elements = v.as<ListValue>().elements;
      trap_if(elements.size() != t.length, "value does not match its type");
      uint32_t size = elem_size(*t.element);
      for (uint32_t i = 0; i < t.length; ++i) store_into(cx, buf, offset + i * size, elements[i], *t.element);
      return;
    }
    case TypeKind::Record:
    case TypeKind::Tuple: store_fields(cx, buf, offset, v.as<RecordValue>().fields, t.fields); return;
    case TypeKind::Variant:
    case TypeKind::Enum:
    case TypeKind::Option:
    case TypeKind::Result: {
      const VariantValue& vv = variant_of(v, t);
      switch (discriminant_size(t.cases.size())) {
        case 1: buf.put_int<uint8_t>(offset, static_cast<uint8_t>(vv.case_index)); break;
        case 2: buf.put_int<uint16_t>(offset, static_cast<uint16_t>(vv.case_index)); break;
        default: buf.put_int<uint32_t>(offset, vv.case_index); break;
      }
      if (vv.payload) {
        store_into(cx, buf, offset + variant_payload_offset(t), *vv.payload, *t.cases[vv.case_index].type);
      }
      return;
    }
    case TypeKind::Flags: {
      uint32_t bits = flags_bits(v, t.labels.size());
      switch (elem_size(t)) {
        case 1: buf.put_int<uint8_t>(offset, static_cast<uint8_t>(bits)); break;
        case 2: buf.put_int<uint16_t>(offset, static_cast<uint16_t>(bits)); break;
        default: buf.put_int<uint32_t>(offset, bits); break;
      }
      return;
    }
    case TypeKind::Own: buf.put_int<uint32_t>(offset, lower_own_value(cx, v, t)); return;
    case TypeKind::Borrow: buf.put_int<uint32_t>(offset, lower_borrow_value(cx, v, t)); return;
    case TypeKind::Stream: buf.put_int<uint32_t>(offset, lower_stream(cx, v.as<StreamValue>(), t)); return;
    case TypeKind::Future: buf.put_int<uint32_t>(offset, lower_future(cx, v.as<FutureValue>(), t)); return;
  }
  assert(false);
}

// The slot coercions of a variant payload into the joined flat types
// (definitions.py lower_flat_variant): floats travel as their bits, i32 zero-extends to i64.
CoreValue coerce_from(CoreValue have, CoreType want) {
  if (have.type == want) return have;
  switch (want) {
    case CoreType::I32: return CoreValue::i32(static_cast<uint32_t>(have.bits));  // from f32
    case CoreType::I64: return CoreValue::i64(have.bits);  // from i32, f32 or f64
    default: assert(false); return have;
  }
}

void lower_flat_variant(LiftLowerContext& cx, const Value& v, const ValType& t,
                        std::vector<CoreValue>& out) {
  const VariantValue& vv = variant_of(v, t);
  std::vector<CoreType> joined = flatten_variant_payload(t.cases);
  out.push_back(CoreValue::i32(vv.case_index));
  size_t i = 0;
  if (vv.payload) {
    std::vector<CoreValue> payload;
    lower_flat(cx, *vv.payload, *t.cases[vv.case_index].type, payload);
    for (; i < payload.size(); ++i) out.push_back(coerce_from(payload[i], joined[i]));
  }
  for (; i < joined.size(); ++i) out.push_back(CoreValue::zero(joined[i]));
}

bool tuple_is_dense(std::span<const TypeRef> ts) {
  uint64_t s = 0;
  for (const TypeRef& t : ts) {
    if (align_to(s, alignment(*t)) != s || !is_dense(*t)) return false;
    s += elem_size(*t);
  }
  return s == elem_size_of_tuple(ts);
}

}  // namespace

ListRange store_list_into_range(LiftLowerContext& cx, std::span<const Value> elements,
                                const ValType& elem_type) {
  uint32_t size = elem_size(elem_type);
  uint32_t align = alignment(elem_type);
  uint64_t byte_length = uint64_t{size} * elements.size();
  // Lifted lists are at most 2^28-1 bytes; only an oversized host-made list gets here.
  trap_if(byte_length > UINT32_MAX, "list too large to lower");
  // realloc is called even for an empty list (test/values/realloc.wast).
  uint32_t ptr = cx.allocate(align, static_cast<uint32_t>(byte_length));
  trap_if(ptr != align_to(ptr, align), "realloc return: result not aligned");
  trap_if(ptr + byte_length > cx.memory().size(), "realloc return: beyond end of memory");
  StoreBuffer buf(cx, ptr, static_cast<uint32_t>(byte_length), !is_dense(elem_type));
  for (size_t i = 0; i < elements.size(); ++i) {
    store_into(cx, buf, static_cast<uint32_t>(i * size), elements[i], elem_type);
  }
  buf.finish();
  return {ptr, static_cast<uint32_t>(elements.size())};
}

void store(LiftLowerContext& cx, const Value& v, const ValType& t, uint32_t ptr) {
  uint32_t size = elem_size(t);
  trap_if(ptr != align_to(ptr, alignment(t)), "unaligned pointer");
  trap_if(uint64_t{ptr} + size > cx.memory().size(), "pointer out of bounds of memory");
  StoreBuffer buf(cx, ptr, size, !is_dense(t));
  store_into(cx, buf, 0, v, t);
  buf.finish();
}

void lower_flat(LiftLowerContext& cx, const Value& v, const ValType& t, std::vector<CoreValue>& out) {
  switch (t.kind) {
    case TypeKind::Bool: out.push_back(CoreValue::i32(v.as<bool>() ? 1 : 0)); return;
    // Signed values are sign-extended to the core width (lower_flat_signed).
    case TypeKind::U8:
    case TypeKind::U16:
    case TypeKind::U32:
    case TypeKind::S8:
    case TypeKind::S16:
    case TypeKind::S32: out.push_back(CoreValue::i32(static_cast<uint32_t>(int_bits(v)))); return;
    case TypeKind::U64:
    case TypeKind::S64: out.push_back(CoreValue::i64(int_bits(v))); return;
    case TypeKind::F32: out.push_back(CoreValue::f32_bits(float_bits(v))); return;
    case TypeKind::F64: out.push_back(CoreValue::f64_bits(double_bits(v))); return;
    case TypeKind::Char: out.push_back(CoreValue::i32(char_bits(v))); return;
    case TypeKind::String: {
      StringRange r = store_string_into_range(cx, v.as<StringValue>());
      out.push_back(CoreValue::i32(r.ptr));
      out.push_back(CoreValue::i32(r.tagged_code_units));
      return;
    }
    case TypeKind::ErrorContext: out.push_back(CoreValue::i32(lower_error_context(cx, v))); return;
    case TypeKind::List: {
      ListRange r = store_list_into_range(cx, v.as<ListValue>().elements, *t.element);
      out.push_back(CoreValue::i32(r.ptr));
      out.push_back(CoreValue::i32(r.length));
      return;
    }
    case TypeKind::FixedList: {
      const auto& elements = v.as<ListValue>().elements;
      trap_if(elements.size() != t.length, "value does not match its type");
      for (const Value& e : elements) lower_flat(cx, e, *t.element, out);
      return;
    }
    case TypeKind::Record:
    case TypeKind::Tuple: {
      const auto& fields = v.as<RecordValue>().fields;
      trap_if(fields.size() != t.fields.size(), "value does not match its type");
      for (size_t i = 0; i < fields.size(); ++i) lower_flat(cx, fields[i], *t.fields[i].type, out);
      return;
    }
    case TypeKind::Variant:
    case TypeKind::Enum:
    case TypeKind::Option:
    case TypeKind::Result: lower_flat_variant(cx, v, t, out); return;
    case TypeKind::Flags: out.push_back(CoreValue::i32(flags_bits(v, t.labels.size()))); return;
    case TypeKind::Own: out.push_back(CoreValue::i32(lower_own_value(cx, v, t))); return;
    case TypeKind::Borrow: out.push_back(CoreValue::i32(lower_borrow_value(cx, v, t))); return;
    case TypeKind::Stream: out.push_back(CoreValue::i32(lower_stream(cx, v.as<StreamValue>(), t))); return;
    case TypeKind::Future: out.push_back(CoreValue::i32(lower_future(cx, v.as<FutureValue>(), t))); return;
  }
  assert(false);
}

std::vector<CoreValue> lower_flat(LiftLowerContext& cx, const Value& v, const ValType& t) {
  std::vector<CoreValue> out;
  lower_flat(cx, v, t, out);
  return out;
}

std::vector<CoreValue> lower_flat_values(LiftLowerContext& cx, uint32_t max_flat,
                                         std::span<const Value> vs, std::span<const TypeRef> ts,
                                         CoreValueIter* out_param) {
  trap_if(vs.size() != ts.size(), "value does not match its type");
  std::vector<CoreValue> flat;
  if (flat_count(ts) <= max_flat) {
    for (size_t i = 0; i < vs.size(); ++i) lower_flat(cx, vs[i], *ts[i], flat);
    return flat;
  }
  uint32_t align = alignment_of_tuple(ts);
  uint32_t size = elem_size_of_tuple(ts);
  uint32_t ptr;
  if (out_param == nullptr) {
    ptr = cx.allocate(align, size);
    flat.push_back(CoreValue::i32(ptr));
  } else {
    ptr = out_param->next(PTR_TYPE).as_i32();
  }
  trap_if(ptr != align_to(ptr, align), "unaligned pointer");
  trap_if(uint64_t{ptr} + size > cx.memory().size(), "pointer out of bounds of memory");
  StoreBuffer buf(cx, ptr, size, !tuple_is_dense(ts));
  store_fields(cx, buf, 0, vs, ts);
  buf.finish();
  return flat;
}

}  // namespace cm
