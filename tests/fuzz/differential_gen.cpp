// The C++ half of the differential fuzzer (docs/fuzzing.md): writes N lifting cases as JSON
// lines, each with what our engine lifted, for differential.py to lift again with the
// spec's Python reference (definitions.py) and compare. Python cannot run once per libFuzzer
// input at any useful speed, so the cases are generated here, in one batch.
//
//   differential_gen --cases N [--seed S] [--out FILE]
//
// A case is 1-3 value types (value_gen.h), a string encoding, max_flat (16, or 1 so that
// the values are spilled to a tuple in memory), the memory and the core values. Two kinds:
//  - lowered: values drawn at random and lowered by our engine into a checked memory
//    (fuzz_memory.h); a third of them then get a byte of memory or one core value changed,
//    which lands on discriminants, lengths, pointers, chars and string bytes;
//  - raw: memory and core values at random (pointers and lengths mostly in range).
// The random bytes a case is drawn from come from a seeded std::mt19937_64 through
// FuzzedDataProvider, so the generators are the libFuzzer targets' own.
//
// What our engine lifts is then lowered again into a fresh destination (another encoding
// and max_flat; a heap of 64 bytes filled with 0xAA from 16 on, growing as needed:
// tests/native/test_heap.h's Grow policy, which gen_vectors.py's Heap mirrors), and the
// core values, every realloc call and the final memory are written too, so the reference
// can check the lowering as well, byte for byte.
//
// One line per case:
//   {"types": [T...], "encoding": "utf8"|"utf16"|"latin1+utf16", "max_flat": N,
//    "memory": hex, "flat": [["i32", "decimal bits"], ...],
//    "ours": ["canonical text", ...] | "trap", "trap": reason (when ours is "trap"),
//    "dst": [encoding, max_flat], "lowered": {"flat": [...] | "trap": reason,
//    "realloc": [[old_ptr, old_size, alignment, new_size, result], ...], "memory": hex}}
// (dst and lowered only when ours lifted).
// Types use the grammar of tests/native/oracle/gen_vectors.py ("u8", {"list": T}, ...);
// values print as its canon_value does (tests/native/value_text.h).
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "../native/test_heap.h"
#include "fuzz_memory.h"
#include "oracle_json.h"
#include "types/layout.h"
#include "util/json_writer.h"
#include "value_gen.h"
#include "value_text.h"
#include "values/lift.h"
#include "values/lower.h"

namespace cm::fuzz {
namespace {

using testing::core_type_name;
using testing::encoding_name;
using testing::hex;
using testing::TextOptions;
using testing::value_text;
using testing::write_type;


struct Case {
  std::vector<TypeRef> types;
  StringEncoding encoding = StringEncoding::Utf8;
  uint32_t max_flat = MAX_FLAT_PARAMS;
  std::vector<uint8_t> memory;
  std::vector<CoreValue> flat;
  // Where what was lifted is lowered again: encoding and max_flat of the destination.
  StringEncoding dst_encoding = StringEncoding::Utf8;
  uint32_t dst_max_flat = MAX_FLAT_PARAMS;
};

// The destination heap of the lowering half: gen_vectors.py's Heap(kDstSize, 0xAA,
// kDstHeapStart, 'grow'), which tests/native/test_heap.h mirrors.
constexpr size_t kDstSize = 64;
constexpr uint32_t kDstHeapStart = 16;

uint32_t plausible_i32(FuzzedDataProvider& in, size_t size) {
  switch (in.ConsumeIntegralInRange<int>(0, 4)) {
    case 0:
    case 1: return in.ConsumeIntegralInRange<uint32_t>(0, static_cast<uint32_t>(size));
    case 2: return in.ConsumeIntegralInRange<uint32_t>(0, 8);
    case 3: return in.ConsumeIntegralInRange<uint32_t>(0, 8) | UTF16_TAG;
    default: return in.ConsumeIntegral<uint32_t>();
  }
}

// Values drawn at random, lowered by our engine; sometimes one byte or core value changed.
bool lowered_case(FuzzedDataProvider& in, Case& c) {
  GenLimits limits{.max_depth = 3, .max_type_nodes = 24, .max_list = 5, .max_string = 12, .max_value_nodes = 120};
  std::vector<Value> values;
  for (const TypeRef& t : c.types) values.push_back(ValueGen(in, limits).value(*t));
  CheckedMemory memory(std::vector<uint8_t>(16, 0));
  CheckedHeap heap(memory, 8, 1u << 16);
  LiftLowerOptions opts{c.encoding, &memory, heap.realloc()};
  ComponentInstance inst;
  LiftLowerContext cx(opts, inst);
  c.flat = lower_flat_values(cx, c.max_flat, values, c.types);
  c.memory = memory.bytes;
  switch (in.ConsumeIntegralInRange<int>(0, 5)) {
    case 0:
      if (!c.memory.empty()) c.memory[in.ConsumeIntegralInRange<size_t>(0, c.memory.size() - 1)] = in.ConsumeIntegral<uint8_t>();
      break;
    case 1:
      if (!c.flat.empty()) {
        CoreValue& v = c.flat[in.ConsumeIntegralInRange<size_t>(0, c.flat.size() - 1)];
        uint64_t bits = in.ConsumeIntegral<uint64_t>();
        v.bits = v.type == CoreType::I32 || v.type == CoreType::F32 ? static_cast<uint32_t>(bits) : bits;
      }
      break;
    default: break;
  }
  return true;
}

// Memory and core values at random.
bool raw_case(FuzzedDataProvider& in, Case& c) {
  size_t size = in.ConsumeIntegralInRange<size_t>(0, 256);
  for (CoreType ct : flatten_types(c.types)) {
    switch (ct) {
      case CoreType::I32: c.flat.push_back(CoreValue::i32(plausible_i32(in, size))); break;
      case CoreType::I64: c.flat.push_back(CoreValue::i64(in.ConsumeIntegral<uint64_t>())); break;
      case CoreType::F32: c.flat.push_back(CoreValue::f32_bits(in.ConsumeIntegral<uint32_t>())); break;
      case CoreType::F64: c.flat.push_back(CoreValue::f64_bits(in.ConsumeIntegral<uint64_t>())); break;
    }
  }
  if (flat_count(c.types) > c.max_flat) c.flat = {CoreValue::i32(plausible_i32(in, size))};
  // Small bytes are likelier to be valid discriminants, lengths and characters.
  for (size_t i = 0; i < size; ++i) {
    c.memory.push_back(in.ConsumeBool() ? in.ConsumeIntegralInRange<uint8_t>(0, 3) : in.ConsumeIntegral<uint8_t>());
  }
  return true;
}

std::string case_line(const Case& c) {
  JsonWriter w;
  w.begin_object().key("types").begin_array();
  for (const TypeRef& t : c.types) write_type(w, t);
  w.end_array();
  w.member("encoding", encoding_name(c.encoding)).member("max_flat", c.max_flat);
  w.member("memory", hex(std::string(c.memory.begin(), c.memory.end())));
  w.key("flat").begin_array();
  for (const CoreValue& v : c.flat) w.begin_array().value(core_type_name(v.type)).value(std::to_string(v.bits)).end_array();
  w.end_array();

  CheckedMemory memory(c.memory);
  LiftLowerOptions opts{c.encoding, &memory, nullptr};
  ComponentInstance inst;
  LiftLowerContext cx(opts, inst);
  CoreValueIter vi(c.flat);
  std::vector<Value> lifted;
  try {
    lifted = lift_flat_values(cx, c.max_flat, vi, c.types);
  } catch (const Trap& e) {
    w.member("ours", "trap").member("trap", e.what()).end_object();
    return w.take();
  }
  w.key("ours").begin_array();
  for (size_t i = 0; i < lifted.size(); ++i) w.value(value_text(lifted[i], *c.types[i]));
  w.end_array();

  // What was lifted, lowered again: the core values, every realloc call and the memory.
  w.key("dst").begin_array().value(encoding_name(c.dst_encoding)).value(c.dst_max_flat).end_array();
  testing::TestHeap heap(kDstSize, 0xAA, kDstHeapStart, testing::ReallocPolicy::Grow);
  LiftLowerOptions dst_opts{c.dst_encoding, &heap.memory, heap.realloc()};
  LiftLowerContext dst_cx(dst_opts, inst);
  w.key("lowered").begin_object();
  try {
    std::vector<CoreValue> flat = lower_flat_values(dst_cx, c.dst_max_flat, lifted, c.types);
    w.key("flat").begin_array();
    for (const CoreValue& v : flat) w.begin_array().value(core_type_name(v.type)).value(std::to_string(v.bits)).end_array();
    w.end_array();
  } catch (const Trap& e) {
    w.member("trap", e.what());
  }
  w.key("realloc").begin_array();
  for (const testing::ReallocCall& r : heap.log) {
    w.begin_array().value(r.old_ptr).value(r.old_size).value(r.alignment).value(r.new_size).value(r.result).end_array();
  }
  w.end_array();
  const auto& m = heap.memory.bytes;
  w.member("memory", hex(std::string(m.begin(), m.end())));
  w.end_object().end_object();
  return w.take();
}

}  // namespace
}  // namespace cm::fuzz

int main(int argc, char** argv) {
  using namespace cm::fuzz;
  uint64_t cases = 1000, seed = 1;
  const char* out_path = nullptr;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--cases" && i + 1 < argc) cases = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--seed" && i + 1 < argc) seed = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--out" && i + 1 < argc) out_path = argv[++i];
    else {
      std::fprintf(stderr, "usage: differential_gen --cases N [--seed S] [--out FILE]\n");
      return 2;
    }
  }
  std::ofstream file;
  if (out_path) file.open(out_path);
  std::ostream& out = out_path ? file : std::cout;

  std::mt19937_64 rng(seed);
  std::vector<uint8_t> bytes(2048);
  uint64_t written = 0;
  while (written < cases) {
    for (auto& b : bytes) b = static_cast<uint8_t>(rng());
    FuzzedDataProvider in(bytes.data(), bytes.size());
    Case c;
    size_t n = in.ConsumeIntegralInRange<size_t>(1, 3);
    GenLimits limits{.max_depth = 3, .max_type_nodes = 24};
    for (size_t i = 0; i < n; ++i) c.types.push_back(TypeGen(in, limits).type());
    c.encoding = static_cast<cm::StringEncoding>(in.ConsumeIntegralInRange<uint8_t>(0, 2));
    c.max_flat = in.ConsumeIntegralInRange<int>(0, 3) == 0 ? 1 : cm::MAX_FLAT_PARAMS;
    c.dst_encoding = static_cast<cm::StringEncoding>(in.ConsumeIntegralInRange<uint8_t>(0, 2));
    c.dst_max_flat = in.ConsumeIntegralInRange<int>(0, 3) == 0 ? 1 : cm::MAX_FLAT_PARAMS;
    try {
      if (in.ConsumeIntegralInRange<int>(0, 4) < 3) lowered_case(in, c);
      else raw_case(in, c);
      out << case_line(c) << '\n';
      ++written;
    } catch (const Budget&) {
      // Too big for one case: draw another.
    }
  }
  return 0;
}
