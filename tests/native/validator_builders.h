// Builders for hand-made component binaries in the validator's tests: core modules whose
// functions are exported by name, the usual prelude that instantiates one and aliases its
// functions, and the component-level definitions (types, canon, imports, exports) the
// tests put together byte by byte. validate() and expect_invalid() run the validator.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "binary/reader.h"
#include "component_bytes.h"
#include "validate/validator.h"

namespace cm::validate::builders {

using cm::testing::Bytes;
using cm::testing::component;
using cm::testing::module_preamble;
using cm::testing::section;

inline constexpr uint8_t I32 = 0x7f, I64 = 0x7e;
// Component primitive value type codes (Binary.md primvaltype).
inline constexpr uint8_t BOOL = 0x7f, U8 = 0x7d, U32 = 0x79, CHAR = 0x74, STRING = 0x73;

inline ValidatedComponent validate(const Bytes& b, const ValidateOptions& options = {}) {
  binary::Component c = binary::read_component(b.bytes());
  return validate_component(c, b.bytes(), options);
}

inline void expect_invalid(const Bytes& b, const std::string& rule, const ValidateOptions& options = {}) {
  try {
    validate(b, options);
    ADD_FAILURE() << "expected CompileError containing \"" << rule << "\"";
  } catch (const CompileError& e) {
    EXPECT_NE(e.rule().find(rule), std::string::npos) << "rule was: " << e.rule();
    EXPECT_LT(e.offset(), b.size());
  }
}

// ---- builders --------------------------------------------------------------------------

struct CoreFunc {
  std::vector<uint8_t> params;
  std::vector<uint8_t> results;
  std::string name;
};

// A core module whose functions (bodies: `unreachable`) are exported by name, with an
// exported memory "mem" (if `memory`).
inline Bytes core_module(const std::vector<CoreFunc>& funcs, bool memory = true) {
  Bytes m = module_preamble();
  Bytes types = Bytes().u32(funcs.size());
  for (const CoreFunc& f : funcs) {
    types.u8(0x60).u32(f.params.size());
    for (uint8_t p : f.params) types.u8(p);
    types.u32(f.results.size());
    for (uint8_t r : f.results) types.u8(r);
  }
  m.section(1, types);
  Bytes fs = Bytes().u32(funcs.size());
  for (size_t i = 0; i < funcs.size(); ++i) fs.u32(i);
  m.section(3, fs);
  if (memory) m.section(5, Bytes{0x01, 0x00, 0x01});
  Bytes ex = Bytes().u32(funcs.size() + (memory ? 1 : 0));
  for (size_t i = 0; i < funcs.size(); ++i) ex.name(funcs[i].name).u8(0x00).u32(i);
  if (memory) ex.name("mem").raw({0x02, 0x00});
  m.section(7, ex);
  Bytes code = Bytes().u32(funcs.size());
  for (size_t i = 0; i < funcs.size(); ++i) code.raw({0x03, 0x00, 0x00, 0x0b});
  m.section(10, code);
  return m;
}

// The usual start of a component: the core module, its instance, and aliases of its
// functions (core funcs 0..n-1, in order) and of its memory (core memory 0).
inline Bytes prelude(const std::vector<CoreFunc>& funcs, bool memory = true) {
  Bytes aliases = Bytes().u32(funcs.size() + (memory ? 1 : 0));
  for (const CoreFunc& f : funcs) aliases.raw({0x00, 0x00, 0x01, 0x00}).name(f.name);
  if (memory) aliases.raw({0x00, 0x02, 0x01, 0x00}).name("mem");
  Bytes b;
  b.section(1, core_module(funcs, memory));
  b.section(2, Bytes{0x01, 0x00, 0x00, 0x00});
  b.section(6, aliases);
  return b;
}

inline Bytes with(std::initializer_list<Bytes> parts) {
  Bytes b = cm::testing::component_preamble();
  for (const Bytes& p : parts) b.append(p);
  return b;
}

// A value type use: a primitive code, or a type index (encoded as s33).
inline Bytes vt(uint8_t primitive) { return Bytes{primitive}; }
inline Bytes idx(uint32_t i) { return Bytes().s64(i); }

// (func async? (param "name" T)* (result T)?)
inline Bytes functype(std::vector<std::pair<std::string, Bytes>> params, std::optional<Bytes> result = std::nullopt,
               bool is_async = false) {
  Bytes t = Bytes().u8(is_async ? 0x43 : 0x40).u32(params.size());
  for (auto& [n, ty] : params) t.name(n).append(ty);
  if (result) t.u8(0x00).append(*result);
  else t.raw({0x01, 0x00});
  return t;
}

inline Bytes types(std::initializer_list<Bytes> ts) {
  Bytes b = Bytes().u32(ts.size());
  for (const Bytes& t : ts) b.append(t);
  return section(7, b);
}

inline Bytes canons(std::initializer_list<Bytes> cs) {
  Bytes b = Bytes().u32(cs.size());
  for (const Bytes& c : cs) b.append(c);
  return section(8, b);
}

inline Bytes opts(std::initializer_list<Bytes> os) {
  Bytes b = Bytes().u32(os.size());
  for (const Bytes& o : os) b.append(o);
  return b;
}
inline Bytes memory_opt(uint32_t m = 0) { return Bytes().u8(0x03).u32(m); }
inline Bytes realloc_opt(uint32_t f) { return Bytes().u8(0x04).u32(f); }
inline Bytes post_return_opt(uint32_t f) { return Bytes().u8(0x05).u32(f); }
inline Bytes async_opt() { return Bytes{0x06}; }
inline Bytes callback_opt(uint32_t f) { return Bytes().u8(0x07).u32(f); }

inline Bytes lift(uint32_t core_func, const Bytes& options, uint32_t type) {
  return Bytes{0x00, 0x00}.u32(core_func).append(options).u32(type);
}
inline Bytes lower(uint32_t func, const Bytes& options) { return Bytes{0x01, 0x00}.u32(func).append(options); }

inline Bytes import_func(const std::string& name, uint32_t type) {
  return section(10, Bytes().u8(1).u8(0x00).name(name).u8(0x01).u32(type));
}
inline Bytes export_item(const std::string& name, uint8_t sort, uint32_t index) {
  return section(11, Bytes().u8(1).u8(0x00).name(name).u8(sort).u32(index).u8(0x00));
}

inline const CoreFunc kRealloc{{I32, I32, I32, I32}, {I32}, "realloc"};

}  // namespace cm::validate::builders
