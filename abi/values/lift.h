// Lifting: from core values and linear memory to Values (CanonicalABI.md "Loading", "Flat
// Lifting", "Lifting and Lowering Values"; definitions.py load, lift_flat, lift_flat_values).
//
// Every range is read from guest memory in one call (a list's elements, a spilled tuple), and
// decoded from the copy. Traps carry the spec's reason in Wasmtime's wording where the WAST
// suite quotes it.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "types/value_type.h"
#include "values/context.h"
#include "values/core_value.h"
#include "values/value.h"

namespace cm {

inline constexpr uint32_t MAX_LIST_BYTE_LENGTH = (uint32_t{1} << 28) - 1;

// Loads the value of type `t` stored at `ptr`. The spec asserts that `ptr` is aligned and
// in bounds (its callers check the enclosing range); here that is checked again and traps.
Value load(LiftLowerContext& cx, uint32_t ptr, const ValType& t);

Value lift_flat(LiftLowerContext& cx, CoreValueIter& vi, const ValType& t);

// The parameters or results of a call: flat when they flatten to at most `max_flat` core
// values, else one pointer to a tuple in memory (trapping if it is unaligned or out of
// bounds).
std::vector<Value> lift_flat_values(LiftLowerContext& cx, uint32_t max_flat, CoreValueIter& vi,
                                    std::span<const TypeRef> ts);

// Value-level pieces other files reuse.
char32_t convert_i32_to_char(uint32_t i);
float canonicalize_nan32(uint32_t bits);
double canonicalize_nan64(uint64_t bits);
std::vector<Value> load_list_from_range(LiftLowerContext& cx, uint32_t ptr, uint32_t length,
                                        const ValType& elem_type);

inline constexpr uint32_t CANONICAL_FLOAT32_NAN = 0x7fc00000;
inline constexpr uint64_t CANONICAL_FLOAT64_NAN = 0x7ff8000000000000;

}  // namespace cm
