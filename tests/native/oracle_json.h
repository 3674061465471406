// The JSON forms of types, string encodings and core types that the spec-oracle tools
// share: tests/native/oracle/gen_vectors.py writes test vectors in them (read back here by
// vectors_test.cpp), and tests/fuzz/differential_gen.cpp writes its cases in them for
// tests/fuzz/differential.py. A type is a primitive's name ("u8", "string"), or one of
// {"list": T}, {"list": T, "len": N}, {"record": [T...]}, {"tuple": [T...]},
// {"variant": [T|null...]}, {"enum": N}, {"option": T}, {"result": [T|null, T|null]},
// {"flags": N}; fields, cases and labels are named f0, c0, e0, l0, ... when read.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "json_lite.h"
#include "types/value_type.h"
#include "util/json_writer.h"
#include "values/value.h"

namespace cm::testing {

inline void write_type(JsonWriter& w, const TypeRef& t) {
  if (!t) {
    w.null();
    return;
  }
  switch (t->kind) {
    case TypeKind::List:
    case TypeKind::FixedList:
      w.begin_object().key("list");
      write_type(w, t->element);
      if (t->kind == TypeKind::FixedList) w.member("len", t->length);
      w.end_object();
      return;
    case TypeKind::Record:
    case TypeKind::Tuple:
      w.begin_object().key(t->kind == TypeKind::Record ? "record" : "tuple").begin_array();
      for (const Field& f : t->fields) write_type(w, f.type);
      w.end_array().end_object();
      return;
    case TypeKind::Variant:
      w.begin_object().key("variant").begin_array();
      for (const Case& c : t->cases) write_type(w, c.type);
      w.end_array().end_object();
      return;
    case TypeKind::Enum: w.begin_object().member("enum", static_cast<uint64_t>(t->cases.size())).end_object(); return;
    case TypeKind::Option:
      w.begin_object().key("option");
      write_type(w, t->cases[1].type);
      w.end_object();
      return;
    case TypeKind::Result:
      w.begin_object().key("result").begin_array();
      write_type(w, t->cases[0].type);
      write_type(w, t->cases[1].type);
      w.end_array().end_object();
      return;
    case TypeKind::Flags: w.begin_object().member("flags", static_cast<uint64_t>(t->labels.size())).end_object(); return;
    default: w.value(type_kind_name(t->kind)); return;
  }
}

inline TypeRef parse_type(const Json& j) {
  using types::primitive;
  if (j.is_string()) {
    static const std::pair<const char*, TypeKind> prims[] = {
        {"bool", TypeKind::Bool}, {"s8", TypeKind::S8},   {"u8", TypeKind::U8},   {"s16", TypeKind::S16},
        {"u16", TypeKind::U16},   {"s32", TypeKind::S32}, {"u32", TypeKind::U32}, {"s64", TypeKind::S64},
        {"u64", TypeKind::U64},   {"f32", TypeKind::F32}, {"f64", TypeKind::F64}, {"char", TypeKind::Char},
        {"string", TypeKind::String}};
    for (const auto& [name, kind] : prims) {
      if (j.text == name) return primitive(kind);
    }
    throw std::runtime_error("unknown type " + j.text);
  }
  auto list_of = [](const Json& a) {
    std::vector<TypeRef> ts;
    for (const Json& e : a.array) ts.push_back(e.is_null() ? nullptr : parse_type(e));
    return ts;
  };
  auto names = [](const char* prefix, size_t n) {
    std::vector<std::string> v;
    for (size_t i = 0; i < n; ++i) v.push_back(prefix + std::to_string(i));
    return v;
  };
  if (j.has("list")) {
    if (j.has("len")) return types::fixed_list(parse_type(j["list"]), static_cast<uint32_t>(j["len"].u64()));
    return types::list(parse_type(j["list"]));
  }
  if (j.has("record")) {
    std::vector<Field> fields;
    std::vector<TypeRef> ts = list_of(j["record"]);
    for (size_t i = 0; i < ts.size(); ++i) fields.push_back({"f" + std::to_string(i), ts[i]});
    return types::record(fields);
  }
  if (j.has("tuple")) return types::tuple(list_of(j["tuple"]));
  if (j.has("variant")) {
    std::vector<Case> cases;
    std::vector<TypeRef> ts = list_of(j["variant"]);
    for (size_t i = 0; i < ts.size(); ++i) cases.push_back({"c" + std::to_string(i), ts[i]});
    return types::variant(cases);
  }
  if (j.has("enum")) return types::enumeration(names("e", j["enum"].u64()));
  if (j.has("option")) return types::option(parse_type(j["option"]));
  if (j.has("result")) {
    std::vector<TypeRef> ts = list_of(j["result"]);
    return types::result(ts[0], ts[1]);
  }
  if (j.has("flags")) return types::flags(names("l", j["flags"].u64()));
  throw std::runtime_error("unknown type");
}

inline StringEncoding parse_encoding(const std::string& s) {
  if (s == "utf8") return StringEncoding::Utf8;
  if (s == "utf16") return StringEncoding::Utf16;
  return StringEncoding::Latin1Utf16;
}

inline CoreType parse_core_type(const std::string& s) {
  if (s == "i32") return CoreType::I32;
  if (s == "i64") return CoreType::I64;
  if (s == "f32") return CoreType::F32;
  return CoreType::F64;
}

inline const char* core_type_name(CoreType t) {
  switch (t) {
    case CoreType::I32: return "i32";
    case CoreType::I64: return "i64";
    case CoreType::F32: return "f32";
    default: return "f64";
  }
}

}  // namespace cm::testing
