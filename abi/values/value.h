// The engine-side form of a component-level value: what lifting produces and lowering
// consumes. A Value does not know its type; lift/lower always walk it beside its ValType.
//
//   bool                  -> bool
//   s8 s16 s32 s64        -> int64_t
//   u8 u16 u32 u64        -> uint64_t
//   f32 / f64             -> float / double (bits kept; NaN canonicalized by lifting)
//   char                  -> char32_t (a Unicode scalar value)
//   string                -> StringValue
//   list, list<T,N>       -> ListValue
//   record, tuple         -> RecordValue (fields in declaration order)
//   variant, enum, option, result -> VariantValue (case index + optional payload)
//   flags                 -> FlagsValue (bit i = label i)
//   own, borrow           -> ResourceValue (the rep, as the spec's lift_own/lift_borrow)
//   error-context         -> ErrorContextValue
//   stream, future        -> StreamValue, FutureValue (the shared object; issue 3)
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "types/value_type.h"  // StringEncoding
#include "util/trap.h"

namespace cm {

// The UTF-16 tag of a latin1+utf16 length: the top bit of a 32-bit length (bit 63 with
// memory64, out of scope).
inline constexpr uint32_t UTF16_TAG = uint32_t{1} << 31;

// A lifted string is the spec's (str, src_encoding, tagged_code_units) triple: it keeps the
// bytes exactly as they were in the source memory, the source's encoding option and the
// source's (tagged) code-unit count, because lowering sizes its first allocation from them.
// `bytes` holds UTF-8, UTF-16LE, or (latin1+utf16 without the tag) Latin-1.
struct StringValue {
  std::string bytes;
  StringEncoding encoding = StringEncoding::Utf8;
  uint32_t tagged_code_units = 0;

  // Host-made strings, as if lifted from a component using that encoding. The caller
  // guarantees well-formed input; lowering traps on malformed bytes.
  static StringValue from_utf8(std::string utf8);
  static StringValue from_utf16(std::u16string_view utf16);
  // The string's text as UTF-8 (for hosts and tests).
  std::string to_utf8() const;
  bool operator==(const StringValue&) const = default;
};

struct Value;

struct ListValue {
  std::vector<Value> elements;
};

struct RecordValue {
  std::vector<Value> fields;
};

struct VariantValue {
  uint32_t case_index = 0;
  std::unique_ptr<Value> payload;  // null for a case without payload

  VariantValue() = default;
  VariantValue(uint32_t index, std::unique_ptr<Value> p) : case_index(index), payload(std::move(p)) {}
  VariantValue(const VariantValue& other);
  VariantValue& operator=(const VariantValue& other);
  VariantValue(VariantValue&&) noexcept = default;
  VariantValue& operator=(VariantValue&&) noexcept = default;
};

struct FlagsValue {
  uint32_t bits = 0;
};

struct ResourceValue {
  uint32_t rep = 0;
};

struct ErrorContext;
struct SharedStream;
struct SharedFuture;

struct ErrorContextValue {
  std::shared_ptr<ErrorContext> context;
};
struct StreamValue {
  std::shared_ptr<SharedStream> shared;
};
struct FutureValue {
  std::shared_ptr<SharedFuture> shared;
};

struct Value {
  using Data = std::variant<bool, int64_t, uint64_t, float, double, char32_t, StringValue,
                            ListValue, RecordValue, VariantValue, FlagsValue, ResourceValue,
                            ErrorContextValue, StreamValue, FutureValue>;
  Data data;

  Value() : data(false) {}
  template <typename T>
    requires std::is_constructible_v<Data, T&&>
  Value(T&& v) : data(std::forward<T>(v)) {}  // NOLINT: implicit on purpose

  static Value boolean(bool b) { return Value(b); }
  static Value s64(int64_t i) { return Value(i); }
  static Value u64(uint64_t i) { return Value(i); }
  static Value f32(float f) { return Value(f); }
  static Value f64(double d) { return Value(d); }
  static Value character(char32_t c) { return Value(c); }
  static Value string(StringValue s) { return Value(std::move(s)); }
  static Value list(std::vector<Value> elements) { return Value(ListValue{std::move(elements)}); }
  static Value record(std::vector<Value> fields) { return Value(RecordValue{std::move(fields)}); }
  static Value variant(uint32_t case_index) { return Value(VariantValue(case_index, nullptr)); }
  static Value variant(uint32_t case_index, Value payload) {
    return Value(VariantValue(case_index, std::make_unique<Value>(std::move(payload))));
  }
  static Value flags(uint32_t bits) { return Value(FlagsValue{bits}); }
  static Value resource(uint32_t rep) { return Value(ResourceValue{rep}); }

  template <typename T>
  bool is() const {
    return std::holds_alternative<T>(data);
  }
  // Typed access. Lowering a value that does not have the shape of its type is a host bug;
  // it traps rather than reading the wrong alternative.
  template <typename T>
  const T& as() const {
    const T* p = std::get_if<T>(&data);
    trap_if(p == nullptr, "value does not match its type");
    return *p;
  }
  template <typename T>
  T& as() {
    T* p = std::get_if<T>(&data);
    trap_if(p == nullptr, "value does not match its type");
    return *p;
  }
};

inline VariantValue::VariantValue(const VariantValue& other)
    : case_index(other.case_index),
      payload(other.payload ? std::make_unique<Value>(*other.payload) : nullptr) {}

inline VariantValue& VariantValue::operator=(const VariantValue& other) {
  if (this != &other) {
    case_index = other.case_index;
    payload = other.payload ? std::make_unique<Value>(*other.payload) : nullptr;
  }
  return *this;
}

}  // namespace cm
