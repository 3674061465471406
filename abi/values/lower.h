// Lowering: from Values to core values and linear memory (CanonicalABI.md "Storing", "Flat
// Lowering", "Lifting and Lowering Values"; definitions.py store, lower_flat,
// lower_flat_values).
//
// Stores into a range go through a StoreBuffer: a few bulk writes per range, with the bytes a
// guest realloc can observe identical to the spec's field-by-field stores, and padding left
// untouched. Floats are lowered bit for bit (the deterministic choice the spec allows in
// place of NaN scrambling; lifted floats are already canonical).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "types/value_type.h"
#include "values/context.h"
#include "values/core_value.h"
#include "values/value.h"

namespace cm {

// Stores `v` of type `t` at `ptr`. The spec asserts alignment and bounds (its callers check);
// here they are checked again and trap.
void store(LiftLowerContext& cx, const Value& v, const ValType& t, uint32_t ptr);

void lower_flat(LiftLowerContext& cx, const Value& v, const ValType& t, std::vector<CoreValue>& out);
std::vector<CoreValue> lower_flat(LiftLowerContext& cx, const Value& v, const ValType& t);

// Parameters or results of a call: flat when they flatten to at most `max_flat` core values;
// else stored as a tuple in memory, at a pointer allocated with realloc (returned as the one
// core value) or, with `out_param`, at the pointer that iterator yields (returns nothing).
std::vector<CoreValue> lower_flat_values(LiftLowerContext& cx, uint32_t max_flat,
                                         std::span<const Value> vs, std::span<const TypeRef> ts,
                                         CoreValueIter* out_param = nullptr);

struct ListRange {
  uint32_t ptr;
  uint32_t length;
};
ListRange store_list_into_range(LiftLowerContext& cx, std::span<const Value> elements,
                                const ValType& elem_type);

}  // namespace cm
