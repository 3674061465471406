// Value types and values of them, drawn from fuzz input (a FuzzedDataProvider), for the
// value fuzzers: every value type the Canonical ABI lifts without a handle table (bool,
// integers, floats, char, string, list, fixed-length list, record, tuple, variant, enum,
// option, result, flags). Handles (own, borrow, stream, future, error-context) need an
// instance's tables and are left to the native tests.
//
// Sizes are bounded so that one input stays fast: nesting depth, the number of type
// nodes, list lengths and string lengths, and a budget of value nodes (lists come out
// empty once it is spent). Label names are c0.., f0.., e0.., l0.. as the spec-side
// driver (differential.py, via tests/native/oracle/gen_vectors.py) names them.
#pragma once

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "types/value_type.h"
#include "values/value.h"

namespace cm::fuzz {

struct GenLimits {
  int max_depth = 4;
  int max_type_nodes = 40;
  uint32_t max_list = 8;
  uint32_t max_string = 24;  // code points
  int max_value_nodes = 400;
};

class TypeGen {
 public:
  TypeGen(FuzzedDataProvider& in, GenLimits limits = {}) : in_(in), limits_(limits) {}

  TypeRef type() { return type_at(0); }

 private:
  enum class Pick : uint8_t {
    Bool, S8, U8, S16, U16, S32, U32, S64, U64, F32, F64, Char, String,
    List, FixedList, Record, Tuple, Variant, Enum, Option, Result, Flags,
    kMaxValue = Flags,
  };

  std::vector<std::string> names(const char* prefix, size_t n) {
    std::vector<std::string> out;
    for (size_t i = 0; i < n; ++i) out.push_back(prefix + std::to_string(i));
    return out;
  }

  TypeRef type_at(int depth) {
    ++nodes_;
    Pick pick = in_.ConsumeEnum<Pick>();
    // Past the limits only leaves: the type stays small whatever the input says.
    if ((depth >= limits_.max_depth || nodes_ >= limits_.max_type_nodes) && pick > Pick::String) {
      pick = static_cast<Pick>(static_cast<uint8_t>(pick) % (static_cast<uint8_t>(Pick::String) + 1));
    }
    auto sub = [&] { return type_at(depth + 1); };
    auto maybe_sub = [&]() -> TypeRef { return in_.ConsumeBool() ? sub() : nullptr; };
    switch (pick) {
      case Pick::Bool: return types::primitive(TypeKind::Bool);
      case Pick::S8: return types::primitive(TypeKind::S8);
      case Pick::U8: return types::primitive(TypeKind::U8);
      case Pick::S16: return types::primitive(TypeKind::S16);
      case Pick::U16: return types::primitive(TypeKind::U16);
      case Pick::S32: return types::primitive(TypeKind::S32);
      case Pick::U32: return types::primitive(TypeKind::U32);
      case Pick::S64: return types::primitive(TypeKind::S64);
      case Pick::U64: return types::primitive(TypeKind::U64);
      case Pick::F32: return types::primitive(TypeKind::F32);
      case Pick::F64: return types::primitive(TypeKind::F64);
      case Pick::Char: return types::primitive(TypeKind::Char);
      case Pick::String: return types::primitive(TypeKind::String);
      case Pick::List: return types::list(sub());
      case Pick::FixedList: {
        uint32_t n = in_.ConsumeIntegralInRange<uint32_t>(1, 4);
        return types::fixed_list(sub(), n);
      }
      case Pick::Record: {
        size_t n = in_.ConsumeIntegralInRange<size_t>(1, 4);
        std::vector<Field> fields;
        for (size_t i = 0; i < n; ++i) fields.push_back({"f" + std::to_string(i), sub()});
        return types::record(std::move(fields));
      }
      case Pick::Tuple: {
        size_t n = in_.ConsumeIntegralInRange<size_t>(1, 3);
        std::vector<TypeRef> ts;
        for (size_t i = 0; i < n; ++i) ts.push_back(sub());
        return types::tuple(std::move(ts));
      }
      case Pick::Variant: {
        // Mostly a few cases; sometimes more than 256, for a two-byte discriminant.
        size_t n = in_.ConsumeIntegralInRange<size_t>(1, 5);
        if (n == 5 && in_.ConsumeBool()) n = in_.ConsumeIntegralInRange<size_t>(250, 300);
        std::vector<Case> cases;
        for (size_t i = 0; i < n; ++i) cases.push_back({"c" + std::to_string(i), i < 6 ? maybe_sub() : nullptr});
        if (n > 6 && in_.ConsumeBool()) cases.back().type = sub();
        return types::variant(std::move(cases));
      }
      case Pick::Enum: {
        size_t n = in_.ConsumeIntegralInRange<size_t>(1, 6);
        if (n == 6 && in_.ConsumeBool()) n = in_.ConsumeIntegralInRange<size_t>(250, 300);
        return types::enumeration(names("e", n));
      }
      case Pick::Option: return types::option(sub());
      case Pick::Result: {
        TypeRef ok = maybe_sub();
        return types::result(ok, maybe_sub());
      }
      case Pick::Flags: return types::flags(names("l", in_.ConsumeIntegralInRange<size_t>(1, 32)));
    }
    return types::primitive(TypeKind::U8);
  }

  FuzzedDataProvider& in_;
  GenLimits limits_;
  int nodes_ = 0;
};

// A value of a given type. Floats are any bit pattern (NaNs included: lifting
// canonicalizes them, and value_check.h compares them canonicalized); chars are Unicode
// scalar values; strings are host strings in one of the three source forms the engine
// knows (UTF-8, UTF-16, Latin-1), with characters from every range that matters to the
// transcoders (ASCII, Latin-1, the rest of the BMP, beyond it).
class ValueGen {
 public:
  ValueGen(FuzzedDataProvider& in, GenLimits limits = {}) : in_(in), limits_(limits) {}

  Value value(const ValType& t) {
    ++nodes_;
    switch (t.kind) {
      case TypeKind::Bool: return Value::boolean(in_.ConsumeBool());
      case TypeKind::S8: return Value::s64(in_.ConsumeIntegral<int8_t>());
      case TypeKind::S16: return Value::s64(in_.ConsumeIntegral<int16_t>());
      case TypeKind::S32: return Value::s64(in_.ConsumeIntegral<int32_t>());
      case TypeKind::S64: return Value::s64(in_.ConsumeIntegral<int64_t>());
      case TypeKind::U8: return Value::u64(in_.ConsumeIntegral<uint8_t>());
      case TypeKind::U16: return Value::u64(in_.ConsumeIntegral<uint16_t>());
      case TypeKind::U32: return Value::u64(in_.ConsumeIntegral<uint32_t>());
      case TypeKind::U64: return Value::u64(in_.ConsumeIntegral<uint64_t>());
      case TypeKind::F32: {
        uint32_t bits = in_.ConsumeIntegral<uint32_t>();
        float f;
        std::memcpy(&f, &bits, 4);
        return Value::f32(f);
      }
      case TypeKind::F64: {
        uint64_t bits = in_.ConsumeIntegral<uint64_t>();
        double d;
        std::memcpy(&d, &bits, 8);
        return Value::f64(d);
      }
      case TypeKind::Char: return Value::character(scalar());
      case TypeKind::String: return Value::string(string());
      case TypeKind::List: {
        uint32_t n = nodes_ >= limits_.max_value_nodes ? 0 : in_.ConsumeIntegralInRange<uint32_t>(0, limits_.max_list);
        std::vector<Value> elements;
        for (uint32_t i = 0; i < n; ++i) elements.push_back(value(*t.element));
        return Value::list(std::move(elements));
      }
      case TypeKind::FixedList: {
        std::vector<Value> elements;
        for (uint32_t i = 0; i < t.length; ++i) elements.push_back(value(*t.element));
        return Value::list(std::move(elements));
      }
      case TypeKind::Record:
      case TypeKind::Tuple: {
        std::vector<Value> fields;
        for (const Field& f : t.fields) fields.push_back(value(*f.type));
        return Value::record(std::move(fields));
      }
      case TypeKind::Variant:
      case TypeKind::Enum:
      case TypeKind::Option:
      case TypeKind::Result: {
        uint32_t i = in_.ConsumeIntegralInRange<uint32_t>(0, static_cast<uint32_t>(t.cases.size() - 1));
        if (!t.cases[i].type) return Value::variant(i);
        return Value::variant(i, value(*t.cases[i].type));
      }
      case TypeKind::Flags: {
        uint32_t bits = in_.ConsumeIntegral<uint32_t>();
        size_t n = t.labels.size();
        return Value::flags(n >= 32 ? bits : bits & ((uint32_t{1} << n) - 1));
      }
      default: return Value();
    }
  }

 private:
  char32_t scalar() {
    switch (in_.ConsumeIntegralInRange<int>(0, 4)) {
      case 0: return in_.ConsumeIntegralInRange<char32_t>(0, 0x7F);
      case 1: return in_.ConsumeIntegralInRange<char32_t>(0x80, 0xFF);
      case 2: return in_.ConsumeIntegralInRange<char32_t>(0x100, 0x7FF);
      case 3: {
        char32_t c = in_.ConsumeIntegralInRange<char32_t>(0x800, 0xFFFF - 0x800);
        return c >= 0xD800 ? c + 0x800 : c;  // skip the surrogates
      }
      default: return in_.ConsumeIntegralInRange<char32_t>(0x10000, 0x10FFFF);
    }
  }

  StringValue string() {
    uint32_t n = in_.ConsumeIntegralInRange<uint32_t>(0, limits_.max_string);
    std::vector<char32_t> text;
    bool latin1 = true;
    for (uint32_t i = 0; i < n; ++i) {
      text.push_back(scalar());
      latin1 = latin1 && text.back() <= 0xFF;
    }
    switch (in_.ConsumeIntegralInRange<int>(0, 2)) {
      case 1: {
        std::u16string u16;
        for (char32_t c : text) {
          if (c < 0x10000) {
            u16.push_back(static_cast<char16_t>(c));
          } else {
            u16.push_back(static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10)));
            u16.push_back(static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF)));
          }
        }
        return StringValue::from_utf16(u16);
      }
      case 2:
        if (latin1) {
          // As lifted from a latin1+utf16 component that kept it as Latin-1.
          StringValue s;
          for (char32_t c : text) s.bytes.push_back(static_cast<char>(c));
          s.encoding = StringEncoding::Latin1Utf16;
          s.tagged_code_units = static_cast<uint32_t>(text.size());
          return s;
        }
        [[fallthrough]];
      default: {
        std::string u8;
        for (char32_t c : text) append_utf8(u8, c);
        return StringValue::from_utf8(std::move(u8));
      }
    }
  }

  static void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }

  FuzzedDataProvider& in_;
  GenLimits limits_;
  int nodes_ = 0;
};

}  // namespace cm::fuzz
