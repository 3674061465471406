// A core wasm value as it crosses a canon lift/lower boundary: its type and its bits.
// Floats are kept as bit patterns so that NaN payloads survive exactly until the ABI
// decides what to do with them (canonicalize on lift, pass through on lower).
#pragma once

#include <cassert>
#include <cstdint>
#include <cstring>
#include <span>

#include "types/value_type.h"

namespace cm {

struct CoreValue {
  CoreType type = CoreType::I32;
  uint64_t bits = 0;  // i32 and f32 in the low 32 bits, the high 32 bits zero

  static CoreValue i32(uint32_t v) { return {CoreType::I32, v}; }
  static CoreValue i64(uint64_t v) { return {CoreType::I64, v}; }
  static CoreValue f32_bits(uint32_t v) { return {CoreType::F32, v}; }
  static CoreValue f64_bits(uint64_t v) { return {CoreType::F64, v}; }
  static CoreValue f32(float f) {
    uint32_t b;
    std::memcpy(&b, &f, 4);
    return f32_bits(b);
  }
  static CoreValue f64(double d) {
    uint64_t b;
    std::memcpy(&b, &d, 8);
    return f64_bits(b);
  }
  // The zero of a core type (padding slots of a flattened variant).
  static CoreValue zero(CoreType t) { return {t, 0}; }

  uint32_t as_i32() const { return static_cast<uint32_t>(bits); }
  uint64_t as_i64() const { return bits; }

  bool operator==(const CoreValue&) const = default;
};

// The spec's CoreValueIter: hands out flat values one by one, each of an expected core type.
// A type mismatch or running out of values is an engine bug (the bridge passes exactly the
// core signature computed by flatten_functype), hence an assert rather than a trap.
class CoreValueIter {
 public:
  explicit CoreValueIter(std::span<const CoreValue> values) : values_(values) {}

  CoreValue next(CoreType t) {
    assert(i_ < values_.size());
    const CoreValue& v = values_[i_++];
    assert(v.type == t);
    (void)t;
    return v;
  }
  bool done() const { return i_ == values_.size(); }
  size_t position() const { return i_; }

 private:
  std::span<const CoreValue> values_;
  size_t i_ = 0;
};

}  // namespace cm
