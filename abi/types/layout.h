// Where a value of each type sits in linear memory (alignment, elem_size, field and payload
// offsets) and which core values carry it flat (flatten_type, flatten_functype, join).
// CanonicalABI.md "Alignment", "Element Size", "Flattening"; definitions.py alignment,
// elem_size, discriminant_type, flatten_type, flatten_variant, join, flatten_functype.
//
// 32-bit memories only: a pointer is 4 bytes and flattens to i32. memory64 (🐘), where
// pointers, string/list lengths and realloc are i64, is out of scope; every place that would
// change says so.
//
// Everything here is a pure function of the type tree, cheap enough to call per value; the
// JS side gets the same answers through the bridge.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "types/value_type.h"

namespace cm {

inline constexpr uint32_t MAX_FLAT_PARAMS = 16;
inline constexpr uint32_t MAX_FLAT_ASYNC_PARAMS = 4;
inline constexpr uint32_t MAX_FLAT_RESULTS = 1;

// Size and alignment of a pointer and of a string/list length (memory64 would make it 8).
inline constexpr uint32_t PTR_SIZE = 4;
inline constexpr CoreType PTR_TYPE = CoreType::I32;

// Round `ptr` up to a multiple of `alignment` (a power of two). 64-bit so that rounding a
// guest pointer near 2^32 cannot wrap around.
constexpr uint64_t align_to(uint64_t ptr, uint32_t alignment) {
  return (ptr + alignment - 1) & ~static_cast<uint64_t>(alignment - 1);
}

uint32_t alignment(const ValType& t);

// elem_size saturates at UINT32_MAX instead of wrapping, so that the validator's
// `elem_size(t) < 2^28` rule also rejects types whose true size overflows 32 bits (nested
// fixed-length lists). Valid types are always below 2^28.
uint32_t elem_size(const ValType& t);

// discriminant_type: u8 for up to 256 cases, u16 up to 65536, u32 beyond.
TypeKind discriminant_type(size_t num_cases);
uint32_t discriminant_size(size_t num_cases);
uint32_t max_case_alignment(const std::vector<Case>& cases);
// Offset of every case payload inside a variant-like value: the discriminant, padded to the
// strictest case alignment.
uint32_t variant_payload_offset(const ValType& t);
// Offsets of the fields of a record-like value, in declaration order.
std::vector<uint32_t> field_offsets(const ValType& t);

// Layout of the tuple that spilled parameters/results form in memory (lift_flat_values and
// lower_flat_values), computed without building the TupleType.
uint32_t alignment_of_tuple(std::span<const TypeRef> ts);
uint32_t elem_size_of_tuple(std::span<const TypeRef> ts);
std::vector<uint32_t> offsets_of_tuple(std::span<const TypeRef> ts);

// join of two flat slots of different variant cases.
CoreType join(CoreType a, CoreType b);

// Appends the flattening of `t` to `out`. For types with a large fixed-length list this can
// be long; callers that only need to compare against a MAX_FLAT_* limit use flat_count.
void flatten_type(const ValType& t, std::vector<CoreType>& out);
std::vector<CoreType> flatten_type(const ValType& t);
std::vector<CoreType> flatten_types(std::span<const TypeRef> ts);
// The flattened variant payload slots after the discriminant (the position-wise join of all
// case payloads).
std::vector<CoreType> flatten_variant_payload(const std::vector<Case>& cases);

// Number of core values `t` flattens to, saturating at UINT32_MAX.
uint32_t flat_count(const ValType& t);
uint32_t flat_count(std::span<const TypeRef> ts);

// Whether `store` writes every byte of the elem_size(t) bytes it is given, for every value
// (no alignment padding, no variant payload shorter than the widest case). The store path
// uses it to skip reading back a range it is about to overwrite completely.
bool is_dense(const ValType& t);

enum class FlattenContext : uint8_t { Lift, Lower };

// The core function type of a lifted or lowered component function (flatten_functype).
struct CoreSignature {
  std::vector<CoreType> params;
  std::vector<CoreType> results;
  // The parameters travel as one pointer to a tuple in memory.
  bool params_spilled = false;
  // The results travel through memory: for a lift the core function returns a pointer to
  // them; for a lower the caller passes an out-pointer as the last core parameter (always so
  // for an async lower of a function with a result).
  bool results_spilled = false;
};

// `async_abi` is the `async` canonopt (not the function type's `async` effect); `callback`
// is whether the `callback` canonopt is present (async lift only).
CoreSignature flatten_functype(const FuncType& ft, FlattenContext context, bool async_abi,
                               bool callback);

}  // namespace cm
