// The canonical text of a Value beside its type: what tests/native/vectors_test.cpp and
// the value fuzzers (tests/fuzz/) compare.
//
// The format is gen_vectors.py's canon_value (tests/native/oracle/), so that our lifts
// compare with the spec's Python reference by text:
//   true/false, decimal integers, f32:%08x / f64:%016x (the bits), c:%x (a char),
//   s:<utf-8 hex>:<source encoding>:<tagged code units>, [e,...] (lists),
//   {f,...} (records, tuples), <case> or <case:payload> (variant-likes), flags:%x.
//
// Two options serve the round trip, which compares a generated value with what came back
// from memory: `text_only` prints a string as s:<utf-8 hex> alone (the source encoding and
// code-unit count legitimately change across a lower/lift in another encoding), and
// `canonical_nans` prints any NaN as the canonical one (lifting canonicalizes NaNs; a
// generated value may hold any NaN).
#pragma once

#include <cstdio>
#include <cstring>
#include <string>

#include "types/value_type.h"
#include "values/lift.h"
#include "values/value.h"

namespace cm::testing {

struct TextOptions {
  bool text_only = false;
  bool canonical_nans = false;
};

inline const char* encoding_name(StringEncoding e) {
  switch (e) {
    case StringEncoding::Utf8: return "utf8";
    case StringEncoding::Utf16: return "utf16";
    default: return "latin1+utf16";
  }
}

inline std::string hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

inline std::string value_text(const Value& v, const ValType& t, const TextOptions& o = {}) {
  char buf[64];
  switch (t.kind) {
    case TypeKind::Bool: return v.as<bool>() ? "true" : "false";
    case TypeKind::S8:
    case TypeKind::S16:
    case TypeKind::S32:
    case TypeKind::S64: return std::to_string(v.as<int64_t>());
    case TypeKind::U8:
    case TypeKind::U16:
    case TypeKind::U32:
    case TypeKind::U64: return std::to_string(v.as<uint64_t>());
    case TypeKind::F32: {
      float f = v.as<float>();
      uint32_t b;
      std::memcpy(&b, &f, 4);
      if (o.canonical_nans) {
        f = canonicalize_nan32(b);
        std::memcpy(&b, &f, 4);
      }
      std::snprintf(buf, sizeof buf, "f32:%08x", b);
      return buf;
    }
    case TypeKind::F64: {
      double f = v.as<double>();
      uint64_t b;
      std::memcpy(&b, &f, 8);
      if (o.canonical_nans) {
        f = canonicalize_nan64(b);
        std::memcpy(&b, &f, 8);
      }
      std::snprintf(buf, sizeof buf, "f64:%016llx", static_cast<unsigned long long>(b));
      return buf;
    }
    case TypeKind::Char:
      std::snprintf(buf, sizeof buf, "c:%x", static_cast<unsigned>(v.as<char32_t>()));
      return buf;
    case TypeKind::String: {
      const StringValue& s = v.as<StringValue>();
      if (o.text_only) return "s:" + hex(s.to_utf8());
      return "s:" + hex(s.to_utf8()) + ":" + encoding_name(s.encoding) + ":" + std::to_string(s.tagged_code_units);
    }
    case TypeKind::List:
    case TypeKind::FixedList: {
      std::string out = "[";
      const auto& es = v.as<ListValue>().elements;
      for (size_t i = 0; i < es.size(); ++i) out += (i ? "," : "") + value_text(es[i], *t.element, o);
      return out + "]";
    }
    case TypeKind::Record:
    case TypeKind::Tuple: {
      std::string out = "{";
      const auto& fs = v.as<RecordValue>().fields;
      for (size_t i = 0; i < fs.size(); ++i) out += (i ? "," : "") + value_text(fs[i], *t.fields[i].type, o);
      return out + "}";
    }
    case TypeKind::Flags:
      std::snprintf(buf, sizeof buf, "flags:%x", v.as<FlagsValue>().bits);
      return buf;
    case TypeKind::Variant:
    case TypeKind::Enum:
    case TypeKind::Option:
    case TypeKind::Result: {
      const VariantValue& vv = v.as<VariantValue>();
      std::string out = "<" + std::to_string(vv.case_index);
      if (vv.payload) out += ":" + value_text(*vv.payload, *t.cases[vv.case_index].type, o);
      return out + ">";
    }
    default: return "?";
  }
}

}  // namespace cm::testing
