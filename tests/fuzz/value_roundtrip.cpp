// Fuzz target value_roundtrip: the engine's own lift and lower (abi/values/) against each
// other, in every string encoding, on values drawn from the input; and lifting from
// memory and core values the input controls.
//
// Round trip: a value of a generated type is lowered and lifted back, flat
// (lower_flat/lift_flat), through memory (store/load) and as spilled parameters
// (lower_flat_values/lift_flat_values with MAX_FLAT 1), into a checked guest memory
// (fuzz_memory.h) in one string encoding after another, each step starting from what the
// previous one lifted, so strings are transcoded between every pair of encodings. It must
// come back equal every time (strings compared by their text, NaNs canonicalized). A trap
// while lowering a well-formed value through a well-behaved realloc is a finding too.
//
// Hostile lift: the input supplies the memory, the core values and a pointer. Lifting must
// return a value or throw cm::Trap; anything else (another exception, a sanitizer report,
// an access the engine did not bounds-check) is a finding. A value it returns must be well
// formed: it goes through the round trip above.
#include <fuzzer/FuzzedDataProvider.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "fuzz_memory.h"
#include "types/layout.h"
#include "value_gen.h"
#include "value_text.h"
#include "values/lift.h"
#include "values/lower.h"

namespace cm::fuzz {
namespace {

using testing::encoding_name;
using testing::TextOptions;
using testing::value_text;

constexpr TextOptions kCompare{.text_only = true, .canonical_nans = true};

[[noreturn]] void mismatch(const char* how, StringEncoding enc, const std::string& want, const std::string& got) {
  std::fprintf(stderr, "FUZZ CHECK FAILED: %s in %s changed the value\n  want %s\n  got  %s\n", how,
               encoding_name(enc), want.c_str(), got.c_str());
  std::abort();
}

// A lifted string is the spec's (bytes, source encoding, tagged code units) triple; the
// three must agree, or lowering it again would size its allocation wrongly.
void check_lifted(const Value& v, const ValType& t) {
  switch (t.kind) {
    case TypeKind::String: {
      const StringValue& s = v.as<StringValue>();
      uint64_t units = s.tagged_code_units & ~UTF16_TAG;
      uint64_t want = s.encoding == StringEncoding::Utf8 ? s.tagged_code_units
                      : s.encoding == StringEncoding::Utf16 ? 2 * uint64_t{s.tagged_code_units}
                      : (s.tagged_code_units & UTF16_TAG) ? 2 * units
                                                          : units;
      if (s.bytes.size() != want) fail("lifted string: byte length disagrees with its code units", s.bytes.size(), want);
      if (s.encoding == StringEncoding::Utf16 && (s.tagged_code_units & UTF16_TAG)) fail("utf16 string with the latin1+utf16 tag");
      break;
    }
    case TypeKind::List:
    case TypeKind::FixedList:
      for (const Value& e : v.as<ListValue>().elements) check_lifted(e, *t.element);
      if (t.kind == TypeKind::FixedList && v.as<ListValue>().elements.size() != t.length) fail("fixed list length");
      break;
    case TypeKind::Record:
    case TypeKind::Tuple: {
      const auto& fs = v.as<RecordValue>().fields;
      if (fs.size() != t.fields.size()) fail("record field count", fs.size(), t.fields.size());
      for (size_t i = 0; i < fs.size(); ++i) check_lifted(fs[i], *t.fields[i].type);
      break;
    }
    case TypeKind::Variant:
    case TypeKind::Enum:
    case TypeKind::Option:
    case TypeKind::Result: {
      const VariantValue& vv = v.as<VariantValue>();
      if (vv.case_index >= t.cases.size()) fail("lifted case index", vv.case_index, t.cases.size());
      const TypeRef& pt = t.cases[vv.case_index].type;
      if (bool(pt) != bool(vv.payload)) fail("lifted payload presence", vv.case_index);
      if (pt) check_lifted(*vv.payload, *pt);
      break;
    }
    case TypeKind::Flags:
      if (t.labels.size() < 32 && (v.as<FlagsValue>().bits >> t.labels.size()) != 0) fail("flags bits beyond the labels");
      break;
    case TypeKind::Char: {
      char32_t c = v.as<char32_t>();
      if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) fail("lifted char is not a scalar value", c);
      break;
    }
    default: break;
  }
}

// One guest: its memory, a realloc over it, the options and an instance.
struct Guest {
  Guest(StringEncoding encoding, std::vector<uint8_t> bytes, uint32_t heap_start)
      : memory(std::move(bytes)), heap(memory, heap_start), opts{encoding, &memory, heap.realloc()} {}
  CheckedMemory memory;
  CheckedHeap heap;
  LiftLowerOptions opts;
  ComponentInstance inst;
};

// Lowering a well-formed value must not trap: the value is valid and realloc behaves.
template <typename F>
auto must_not_trap(const char* what, StringEncoding enc, F&& f) {
  try {
    return f();
  } catch (const Trap& e) {
    std::fprintf(stderr, "FUZZ CHECK FAILED: %s in %s trapped on a well-formed value: %s\n", what,
                 encoding_name(enc), e.what());
    std::abort();
  }
}

// Lowers `v` into a fresh guest of encoding `enc` three ways and lifts each back; every
// one must print as `want`. Returns what the flat lift gave, for the next encoding.
Value round_trip(const Value& v, const ValType& t, const TypeRef& tref, StringEncoding enc, const std::string& want) {
  Value flat_back;
  {
    Guest g(enc, std::vector<uint8_t>(64, kFresh), 8);
    LiftLowerContext cx(g.opts, g.inst);
    std::vector<CoreValue> flat = must_not_trap("lower_flat", enc, [&] { return lower_flat(cx, v, t); });
    std::vector<CoreType> types = flatten_type(t);
    if (flat.size() != types.size()) fail("lower_flat gave a wrong number of core values", flat.size(), types.size());
    for (size_t i = 0; i < flat.size(); ++i)
      if (flat[i].type != types[i]) fail("lower_flat gave a core value of the wrong type", i);
    LiftLowerContext lift_cx(g.opts, g.inst);
    CoreValueIter vi(flat);
    flat_back = must_not_trap("lift_flat", enc, [&] { return lift_flat(lift_cx, vi, t); });
    if (!vi.done()) fail("lift_flat left core values unread", vi.position(), flat.size());
    check_lifted(flat_back, t);
    std::string got = value_text(flat_back, t, kCompare);
    if (got != want) mismatch("lower_flat/lift_flat", enc, want, got);
  }
  {
    Guest g(enc, std::vector<uint8_t>(16, kFresh), 8);
    LiftLowerContext cx(g.opts, g.inst);
    uint32_t ptr = must_not_trap("allocate", enc, [&] { return cx.allocate(alignment(t), elem_size(t)); });
    must_not_trap("store", enc, [&] { store(cx, v, t, ptr); return 0; });
    Value back = must_not_trap("load", enc, [&] { return load(cx, ptr, t); });
    check_lifted(back, t);
    std::string got = value_text(back, t, kCompare);
    if (got != want) mismatch("store/load", enc, want, got);
  }
  {
    // Two copies as parameters with at most one flat value: spilled to a tuple in memory.
    Guest g(enc, std::vector<uint8_t>(16, kFresh), 8);
    LiftLowerContext cx(g.opts, g.inst);
    std::vector<TypeRef> ts{tref, tref};
    std::vector<Value> vs{v, v};
    std::vector<CoreValue> flat = must_not_trap("lower_flat_values", enc,
                                                [&] { return lower_flat_values(cx, 1, vs, ts); });
    if (flat.size() != 1) fail("spilled values are not one pointer", flat.size());
    CoreValueIter vi(flat);
    std::vector<Value> back = must_not_trap("lift_flat_values", enc, [&] { return lift_flat_values(cx, 1, vi, ts); });
    for (const Value& b : back) {
      check_lifted(b, t);
      std::string got = value_text(b, t, kCompare);
      if (got != want) mismatch("lower_flat_values/lift_flat_values", enc, want, got);
    }
  }
  return flat_back;
}

// Through every encoding in an input-chosen order, and back to the first.
void round_trips(FuzzedDataProvider& in, const Value& v, const TypeRef& t) {
  static constexpr std::array<std::array<StringEncoding, 3>, 6> kOrders{{
      {StringEncoding::Utf8, StringEncoding::Utf16, StringEncoding::Latin1Utf16},
      {StringEncoding::Utf8, StringEncoding::Latin1Utf16, StringEncoding::Utf16},
      {StringEncoding::Utf16, StringEncoding::Utf8, StringEncoding::Latin1Utf16},
      {StringEncoding::Utf16, StringEncoding::Latin1Utf16, StringEncoding::Utf8},
      {StringEncoding::Latin1Utf16, StringEncoding::Utf8, StringEncoding::Utf16},
      {StringEncoding::Latin1Utf16, StringEncoding::Utf16, StringEncoding::Utf8},
  }};
  const auto& order = kOrders[in.ConsumeIntegralInRange<size_t>(0, kOrders.size() - 1)];
  const std::string want = value_text(v, *t, kCompare);
  Value current = v;
  for (size_t step = 0; step < 4; ++step) current = round_trip(current, *t, t, order[step % 3], want);
}

StringEncoding pick_encoding(FuzzedDataProvider& in) {
  return static_cast<StringEncoding>(in.ConsumeIntegralInRange<uint8_t>(0, 2));
}

// An i32 that is often a plausible pointer or length for a memory of `size` bytes.
uint32_t core_i32(FuzzedDataProvider& in, size_t size) {
  switch (in.ConsumeIntegralInRange<int>(0, 3)) {
    case 0: return in.ConsumeIntegralInRange<uint32_t>(0, static_cast<uint32_t>(size) + 8);
    case 1: return in.ConsumeIntegralInRange<uint32_t>(0, 16);
    case 2: return in.ConsumeIntegralInRange<uint32_t>(0, 16) | UTF16_TAG;
    default: return in.ConsumeIntegral<uint32_t>();
  }
}

void hostile_lift(FuzzedDataProvider& in) {
  StringEncoding enc = pick_encoding(in);
  TypeRef t = TypeGen(in).type();
  bool from_memory = in.ConsumeBool();
  std::vector<CoreValue> flat;
  std::vector<uint8_t> bytes;
  uint32_t ptr = 0;
  {
    size_t size = in.ConsumeIntegralInRange<size_t>(0, 4096);
    ptr = core_i32(in, size);
    for (CoreType ct : flatten_type(*t)) {
      switch (ct) {
        case CoreType::I32: flat.push_back(CoreValue::i32(core_i32(in, size))); break;
        case CoreType::I64: flat.push_back(CoreValue::i64(in.ConsumeIntegral<uint64_t>())); break;
        case CoreType::F32: flat.push_back(CoreValue::f32_bits(in.ConsumeIntegral<uint32_t>())); break;
        case CoreType::F64: flat.push_back(CoreValue::f64_bits(in.ConsumeIntegral<uint64_t>())); break;
      }
    }
    bytes = in.ConsumeBytes<uint8_t>(size);
    bytes.resize(size, 0);
  }
  Guest g(enc, std::move(bytes), 0);
  LiftLowerContext cx(g.opts, g.inst);
  Value v;
  try {
    if (from_memory) {
      v = load(cx, ptr, *t);
    } else {
      CoreValueIter vi(flat);
      v = lift_flat(cx, vi, *t);
      if (!vi.done()) fail("lift_flat left core values unread", vi.position(), flat.size());
    }
  } catch (const Trap&) {
    return;  // a clean trap: what hostile memory should get
  }
  check_lifted(v, *t);
  round_trips(in, v, t);
}

void generated_round_trip(FuzzedDataProvider& in) {
  TypeRef t = TypeGen(in).type();
  Value v = ValueGen(in).value(*t);
  round_trips(in, v, t);
}

}  // namespace
}  // namespace cm::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  try {
    if (in.ConsumeBool()) {
      cm::fuzz::hostile_lift(in);
    } else {
      cm::fuzz::generated_round_trip(in);
    }
  } catch (const cm::fuzz::Budget&) {
    // More than the fuzzer allows one input to read or allocate: not a finding.
  }
  return 0;
}
