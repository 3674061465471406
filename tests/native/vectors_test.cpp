// Replays the test vectors that tests/native/oracle/gen_vectors.py computed with the spec's
// Python reference (definitions.py): for each case, lifting the given core values from the
// given memory must give the same values (or trap), and lowering them again must give the
// same core values, the same realloc calls and the same memory, byte for byte.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "json_lite.h"
#include "oracle_json.h"
#include "test_heap.h"
#include "value_text.h"
#include "types/layout.h"
#include "values/lift.h"
#include "values/lower.h"

namespace cm {
namespace {

using testing::Json;
using testing::JsonParser;
using testing::core_type_name;
using testing::parse_core_type;
using testing::parse_encoding;
using testing::parse_type;
using testing::ReallocCall;
using testing::TestHeap;

// CM_VECTORS_DIR replays a larger, uncommitted set (gen_vectors.py --out DIR --seed N ...).
std::filesystem::path vectors_dir() {
  if (const char* dir = std::getenv("CM_VECTORS_DIR")) return dir;
  return std::filesystem::path(__FILE__).parent_path() / "vectors";
}

Json load_vectors(const std::string& name) {
  std::ifstream in(vectors_dir() / name);
  std::stringstream ss;
  ss << in.rdbuf();
  return JsonParser(ss.str()).parse();
}

std::vector<uint8_t> unhex(const std::string& h) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<uint8_t>(std::stoul(h.substr(i, 2), nullptr, 16)));
  return out;
}


std::vector<CoreValue> parse_flat(const Json& j) {
  std::vector<CoreValue> out;
  for (const Json& e : j.array) out.push_back({parse_core_type(e[0].text), e[1].u64()});
  return out;
}

std::string flat_text(const std::vector<CoreValue>& vs) {
  std::string out;
  for (const CoreValue& v : vs) out += std::string(core_type_name(v.type)) + ":" + std::to_string(v.bits) + " ";
  return out;
}

std::vector<ReallocCall> parse_log(const Json& j) {
  std::vector<ReallocCall> out;
  for (const Json& e : j.array) {
    out.push_back({static_cast<uint32_t>(e[0].u64()), static_cast<uint32_t>(e[1].u64()),
                   static_cast<uint32_t>(e[2].u64()), static_cast<uint32_t>(e[3].u64()),
                   static_cast<uint32_t>(e[4].u64())});
  }
  return out;
}

void apply_runs(std::vector<uint8_t>& mem, const Json& runs) {
  for (const Json& r : runs.array) {
    std::vector<uint8_t> b = unhex(r[1].text);
    std::copy(b.begin(), b.end(), mem.begin() + r[0].u64());
  }
}

// One vector; returns a description of the first mismatch, or "".
std::string replay(const Json& c) {
  std::vector<TypeRef> ts;
  for (const Json& t : c["types"].array) ts.push_back(parse_type(t));

  // src: [encoding, size, memory runs, max_flat, flat]
  const Json& src = c["src"];
  VectorMemory src_mem(src[1].u64(), 0);
  apply_runs(src_mem.bytes, src[2]);
  LiftLowerOptions src_opts{parse_encoding(src[0].text), &src_mem, {}};
  ComponentInstance src_inst;
  LiftLowerContext lift_cx(src_opts, src_inst);
  std::vector<CoreValue> flat = parse_flat(src[4]);
  CoreValueIter vi(flat);
  std::vector<Value> values;
  std::string lift_trap;
  try {
    values = lift_flat_values(lift_cx, static_cast<uint32_t>(src[3].u64()), vi, ts);
  } catch (const Trap& t) {
    lift_trap = t.what();
  }
  const Json& expect_lift = c["lift"];
  if (expect_lift.is_string()) {
    return lift_trap.empty() ? "lift: expected a trap, got values" : "";
  }
  if (!lift_trap.empty()) return "lift: unexpected trap: " + lift_trap;
  for (size_t i = 0; i < ts.size(); ++i) {
    std::string got = testing::value_text(values[i], *ts[i]);
    if (got != expect_lift[i].text) return "lift[" + std::to_string(i) + "]: expected " + expect_lift[i].text + " got " + got;
  }

  // dst: [encoding, size, heap start, realloc policy, max_flat, out-param pointer or null]
  const Json& dst = c["dst"];
  size_t size = dst[1].u64();
  TestHeap heap(size, 0xAA, static_cast<uint32_t>(dst[2].u64()), testing::policy_from_name(dst[3].text));
  LiftLowerOptions dst_opts{parse_encoding(dst[0].text), &heap.memory, heap.realloc()};
  ComponentInstance dst_inst;
  LiftLowerContext lower_cx(dst_opts, dst_inst);
  std::vector<CoreValue> out_ptr;
  if (!dst[5].is_null()) out_ptr.push_back(CoreValue::i32(static_cast<uint32_t>(dst[5].u64())));
  CoreValueIter out(out_ptr);
  std::vector<CoreValue> lowered;
  std::string lower_trap;
  try {
    lowered = lower_flat_values(lower_cx, static_cast<uint32_t>(dst[4].u64()), values, ts,
                                out_ptr.empty() ? nullptr : &out);
  } catch (const Trap& t) {
    lower_trap = t.what();
  }
  const Json& expect = c["lower"];
  std::vector<ReallocCall> expect_log = parse_log(expect["realloc"]);
  if (heap.log != expect_log) {
    std::stringstream ss;
    ss << "realloc log differs: expected";
    for (auto& r : expect_log) ss << " " << r;
    ss << "; got";
    for (auto& r : heap.log) ss << " " << r;
    return ss.str();
  }
  if (expect.has("trap")) return lower_trap.empty() ? "lower: expected a trap" : "";
  if (!lower_trap.empty()) return "lower: unexpected trap: " + lower_trap;
  std::vector<CoreValue> expect_flat = parse_flat(expect["flat"]);
  if (lowered != expect_flat) return "lower flat: expected " + flat_text(expect_flat) + " got " + flat_text(lowered);
  std::vector<uint8_t> expect_mem(size, 0xAA);
  expect_mem.resize(expect["size"].u64(), 0);
  apply_runs(expect_mem, expect["memory"]);
  if (heap.memory.bytes != expect_mem) {
    size_t i = 0;
    size_t n = std::min(expect_mem.size(), heap.memory.bytes.size());
    while (i < n && expect_mem[i] == heap.memory.bytes[i]) ++i;
    return "memory differs at offset " + std::to_string(i) + " (sizes " + std::to_string(expect_mem.size()) + "/" +
           std::to_string(heap.memory.bytes.size()) + ")";
  }
  return "";
}

void replay_file(const std::string& name) {
  Json cases = load_vectors(name);
  ASSERT_GT(cases.size(), 0u) << "no vectors in " << (vectors_dir() / name);
  size_t failures = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    std::string err = replay(cases[i]);
    if (!err.empty() && ++failures <= 20) ADD_FAILURE() << name << " case " << i << ": " << err;
  }
  EXPECT_EQ(failures, 0u) << "of " << cases.size() << " cases";
}

TEST(SpecVectors, StringsInEveryEncodingPair) { replay_file("strings.json"); }
TEST(SpecVectors, RandomValuesRoundTrip) { replay_file("values.json"); }
TEST(SpecVectors, RandomCoreValuesAndMemory) { replay_file("fuzz.json"); }

}  // namespace
}  // namespace cm
