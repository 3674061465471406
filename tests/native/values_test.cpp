// Lifting and lowering of every non-string value type (abi/values/lift.h, lower.h):
// CanonicalABI.md "Loading", "Storing", "Flat Lifting", "Flat Lowering", "Lifting and
// Lowering Values". Memory is filled with 0xAA so that bytes the spec never writes
// (padding, short variant payloads) can be seen to stay untouched; heaps start at 16.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "test_heap.h"
#include "types/layout.h"
#include "values/lift.h"
#include "values/lower.h"

namespace cm {
namespace {

using testing::ReallocCall;
using testing::ReallocPolicy;
using testing::TestHeap;
using Bytes = std::vector<uint8_t>;
using K = TypeKind;
using CV = CoreValue;

TypeRef p(K k) { return types::primitive(k); }

struct Fixture {
  explicit Fixture(size_t size = 256, ReallocPolicy policy = ReallocPolicy::Bump)
      : heap(size, 0xAA, 16, policy), opts{StringEncoding::Utf8, &heap.memory, heap.realloc()}, cx(opts, inst) {}
  TestHeap heap;
  ComponentInstance inst;
  LiftLowerOptions opts;
  LiftLowerContext cx;

  Value lift(const ValType& t, std::vector<CV> flat) {
    CoreValueIter vi(flat);
    Value v = lift_flat(cx, vi, t);
    EXPECT_TRUE(vi.done());
    return v;
  }
  std::vector<CV> lower(const ValType& t, const Value& v) { return lower_flat(cx, v, t); }
  Bytes at(uint32_t ptr, uint32_t n) const {
    return Bytes(heap.memory.bytes.begin() + ptr, heap.memory.bytes.begin() + ptr + n);
  }
  void put(uint32_t ptr, const Bytes& b) { std::copy(b.begin(), b.end(), heap.memory.bytes.begin() + ptr); }
};

template <typename F>
void expect_trap(F&& f, const std::string& reason) {
  try {
    f();
    ADD_FAILURE() << "expected trap: " << reason;
  } catch (const Trap& t) {
    EXPECT_EQ(std::string(t.what()), reason);
  }
}

uint32_t f32_bits(const Value& v) {
  float f = v.as<float>();
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}
uint64_t f64_bits(const Value& v) {
  double d = v.as<double>();
  uint64_t b;
  std::memcpy(&b, &d, 8);
  return b;
}

// --- Scalars ---

// run_tests.py test_pairs: narrow integers truncate the i32, signed ones reinterpret.
TEST(LiftFlat, NarrowIntegersTruncateAndReinterpret) {
  Fixture f;
  struct Row { K kind; uint32_t in; int64_t s; uint64_t u; };
  const Row rows[] = {
      {K::U8, 127, 0, 127},          {K::U8, 256, 0, 0},           {K::U8, 4294967295u, 0, 255},
      {K::U8, 4294967168u, 0, 128},  {K::S8, 128, -128, 0},        {K::S8, 255, -1, 0},
      {K::S8, 4294967167u, 127, 0},  {K::U16, 65536, 0, 0},        {K::U16, 4294934528u, 0, 32768},
      {K::S16, 32768, -32768, 0},    {K::S16, 4294934527u, 32767, 0}, {K::U32, 1u << 31, 0, 1u << 31},
      {K::S32, 1u << 31, -2147483648LL, 0}, {K::S32, 4294967295u, -1, 0}};
  for (const Row& r : rows) {
    Value v = f.lift(*p(r.kind), {CV::i32(r.in)});
    if (v.is<int64_t>()) {
      EXPECT_EQ(v.as<int64_t>(), r.s) << int(r.kind) << " " << r.in;
    } else {
      EXPECT_EQ(v.as<uint64_t>(), r.u) << int(r.kind) << " " << r.in;
    }
  }
  EXPECT_EQ(f.lift(*p(K::S64), {CV::i64(~uint64_t{0})}).as<int64_t>(), -1);
  EXPECT_EQ(f.lift(*p(K::U64), {CV::i64(uint64_t{1} << 63)}).as<uint64_t>(), uint64_t{1} << 63);
}

TEST(LiftFlat, AnyNonzeroI32IsTrue) {
  Fixture f;
  EXPECT_FALSE(f.lift(*p(K::Bool), {CV::i32(0)}).as<bool>());
  EXPECT_TRUE(f.lift(*p(K::Bool), {CV::i32(2)}).as<bool>());
  EXPECT_TRUE(f.lift(*p(K::Bool), {CV::i32(0xFFFFFFFF)}).as<bool>());
  f.put(0, {2});
  EXPECT_TRUE(load(f.cx, 0, *p(K::Bool)).as<bool>());
}

TEST(LowerFlat, SignedIntegersSignExtendToTheCoreWidth) {
  Fixture f;
  EXPECT_EQ(f.lower(*p(K::S8), Value::s64(-1)), (std::vector<CV>{CV::i32(0xFFFFFFFF)}));
  EXPECT_EQ(f.lower(*p(K::S16), Value::s64(-32768)), (std::vector<CV>{CV::i32(0xFFFF8000)}));
  EXPECT_EQ(f.lower(*p(K::S64), Value::s64(-2)), (std::vector<CV>{CV::i64(0xFFFFFFFFFFFFFFFE)}));
  EXPECT_EQ(f.lower(*p(K::U8), Value::u64(255)), (std::vector<CV>{CV::i32(255)}));
  EXPECT_EQ(f.lower(*p(K::Bool), Value::boolean(true)), (std::vector<CV>{CV::i32(1)}));
}

TEST(LiftFlat, CharMustBeAUnicodeScalarValue) {
  Fixture f;
  EXPECT_EQ(f.lift(*p(K::Char), {CV::i32(0xD7FF)}).as<char32_t>(), U'\uD7FF');
  EXPECT_EQ(f.lift(*p(K::Char), {CV::i32(0xE000)}).as<char32_t>(), U'\uE000');
  EXPECT_EQ(f.lift(*p(K::Char), {CV::i32(0x10FFFF)}).as<char32_t>(), U'\U0010FFFF');
  for (uint32_t bad : {0xD800u, 0xDFFFu, 0x110000u, 0xFFFFFFFFu}) {
    expect_trap([&] { f.lift(*p(K::Char), {CV::i32(bad)}); }, "invalid `char` bit pattern");
  }
  f.put(0, {0x00, 0xD8, 0, 0});
  expect_trap([&] { load(f.cx, 0, *p(K::Char)); }, "invalid `char` bit pattern");
}

// run_tests.py test_nan32 / test_nan64.
TEST(LiftFlat, NaNsAreCanonicalizedOnLift) {
  Fixture f;
  for (uint32_t in : {0x7fc00000u, 0x7fc00001u, 0x7fe00000u, 0x7fffffffu, 0xffffffffu}) {
    EXPECT_EQ(f32_bits(f.lift(*p(K::F32), {CV::f32_bits(in)})), 0x7fc00000u) << std::hex << in;
  }
  EXPECT_EQ(f32_bits(f.lift(*p(K::F32), {CV::f32_bits(0x7f800000)})), 0x7f800000u);
  EXPECT_EQ(f32_bits(f.lift(*p(K::F32), {CV::f32_bits(0x3fc00000)})), 0x3fc00000u);
  for (uint64_t in : {0x7ff8000000000001ull, 0x7ffc000000000000ull, 0xffffffffffffffffull}) {
    EXPECT_EQ(f64_bits(f.lift(*p(K::F64), {CV::f64_bits(in)})), 0x7ff8000000000000ull);
  }
  EXPECT_EQ(f64_bits(f.lift(*p(K::F64), {CV::f64_bits(0x7ff0000000000000)})), 0x7ff0000000000000ull);
  f.put(0, {0x01, 0x00, 0xc0, 0x7f});
  EXPECT_EQ(f32_bits(load(f.cx, 0, *p(K::F32))), 0x7fc00000u);
}

TEST(LowerFlat, FloatBitsPassThrough) {
  Fixture f;
  float nan;
  uint32_t bits = 0x7fa00001;
  std::memcpy(&nan, &bits, 4);
  EXPECT_EQ(f.lower(*p(K::F32), Value::f32(nan)), (std::vector<CV>{CV::f32_bits(0x7fa00001)}));
  EXPECT_EQ(f.lower(*p(K::F64), Value::f64(-0.0)), (std::vector<CV>{CV::f64_bits(0x8000000000000000)}));
}

// --- Flags ---

TEST(Flags, BitsBeyondTheLabelsAreIgnoredOnLift) {
  Fixture f;
  TypeRef two = types::flags({"a", "b"});
  EXPECT_EQ(f.lift(*two, {CV::i32(4)}).as<FlagsValue>().bits, 0u);  // run_tests: FlagsType(['a','b']) from 4
  EXPECT_EQ(f.lift(*two, {CV::i32(0xFFFFFFFF)}).as<FlagsValue>().bits, 3u);
  f.put(0, {0xFF});
  EXPECT_EQ(load(f.cx, 0, *two).as<FlagsValue>().bits, 3u);
}

TEST(Flags, StoredLsbFirstInOneTwoOrFourBytes) {
  Fixture f;
  std::vector<std::string> labels;
  for (int i = 0; i < 17; ++i) labels.push_back("f" + std::to_string(i));
  TypeRef t17 = types::flags(labels);
  store(f.cx, Value::flags(0x10001), *t17, 0);
  EXPECT_EQ(f.at(0, 4), (Bytes{0x01, 0x00, 0x01, 0x00}));
  labels.resize(9);
  store(f.cx, Value::flags(0x101), *types::flags(labels), 8);
  EXPECT_EQ(f.at(8, 3), (Bytes{0x01, 0x01, 0xAA}));
  EXPECT_EQ(f.lower(*types::flags({"a"}), Value::flags(3)), (std::vector<CV>{CV::i32(1)}));
}

// --- Records and variants in memory ---

TEST(Store, RecordLeavesPaddingUntouched) {
  Fixture f;
  TypeRef t = types::record({{"a", p(K::U8)}, {"b", p(K::U32)}, {"c", p(K::U16)}});
  store(f.cx, Value::record({Value::u64(1), Value::u64(0x02030405), Value::u64(0x0607)}), *t, 8);
  EXPECT_EQ(f.at(8, 12), (Bytes{0x01, 0xAA, 0xAA, 0xAA, 0x05, 0x04, 0x03, 0x02, 0x07, 0x06, 0xAA, 0xAA}));
  Value back = load(f.cx, 8, *t);
  EXPECT_EQ(back.as<RecordValue>().fields[1].as<uint64_t>(), 0x02030405u);
}

TEST(Store, VariantWritesTheDiscriminantAndOnlyThePayloadItHas) {
  Fixture f;
  TypeRef t = types::option(p(K::U32));
  store(f.cx, Value::variant(0), *t, 0);
  EXPECT_EQ(f.at(0, 8), (Bytes{0x00, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA}));
  store(f.cx, Value::variant(1, Value::u64(7)), *t, 8);
  EXPECT_EQ(f.at(8, 8), (Bytes{0x01, 0xAA, 0xAA, 0xAA, 0x07, 0x00, 0x00, 0x00}));
  TypeRef r = types::result(p(K::U8), p(K::U64));
  store(f.cx, Value::variant(0, Value::u64(9)), *r, 16);
  EXPECT_EQ(f.at(16, 16), (Bytes{0x00, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA,
                                 0x09, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA}));
}

TEST(Load, VariantDiscriminantOutOfRangeTraps) {
  Fixture f;
  f.put(0, {0x02});
  expect_trap([&] { load(f.cx, 0, *types::option(p(K::U8))); }, "invalid variant discriminant");
  expect_trap([&] { load(f.cx, 0, *types::enumeration({"a", "b"})); }, "invalid variant discriminant");
  expect_trap([&] { f.lift(*types::enumeration({"a", "b"}), {CV::i32(2)}); }, "invalid variant discriminant");
}

TEST(Load, WideDiscriminantsAreReadAtTheirWidth) {
  Fixture f;
  std::vector<Case> cases;
  for (int i = 0; i < 300; ++i) cases.push_back({"c" + std::to_string(i), i == 299 ? p(K::U8) : nullptr});
  TypeRef t = types::variant(cases);
  f.put(0, {0x2B, 0x01, 0x33});  // 299, payload at 2
  Value v = load(f.cx, 0, *t);
  EXPECT_EQ(v.as<VariantValue>().case_index, 299u);
  EXPECT_EQ(v.as<VariantValue>().payload->as<uint64_t>(), 0x33u);
  store(f.cx, v, *t, 8);
  EXPECT_EQ(f.at(8, 4), (Bytes{0x2B, 0x01, 0x33, 0xAA}));
}

TEST(Load, UnalignedOrOutOfBoundsPointerTraps) {
  Fixture f(64);
  expect_trap([&] { load(f.cx, 2, *p(K::U32)); }, "unaligned pointer");
  expect_trap([&] { load(f.cx, 64, *p(K::U8)); }, "pointer out of bounds of memory");
  expect_trap([&] { store(f.cx, Value::u64(1), *p(K::U64), 4); }, "unaligned pointer");
}

// --- Flat variants: the join and its coercions ---

TEST(FlatVariant, PayloadsAreCoercedToTheJoinedSlotTypes) {
  Fixture f;
  TypeRef t = types::variant({{"f", p(K::F32)}, {"i", p(K::U64)}, {"d", p(K::F64)}, {"n", nullptr}});
  // flat: [i32, i64]
  EXPECT_EQ(f.lower(*t, Value::variant(0, Value::f32(1.5f))), (std::vector<CV>{CV::i32(0), CV::i64(0x3fc00000)}));
  EXPECT_EQ(f.lower(*t, Value::variant(2, Value::f64(1.0))), (std::vector<CV>{CV::i32(2), CV::i64(0x3ff0000000000000)}));
  EXPECT_EQ(f.lower(*t, Value::variant(3)), (std::vector<CV>{CV::i32(3), CV::i64(0)}));
  Value fv = f.lift(*t, {CV::i32(0), CV::i64(0xFFFFFFFF3fc00000)});
  EXPECT_EQ(f32_bits(*fv.as<VariantValue>().payload), 0x3fc00000u);  // i64 -> f32: wrap, reinterpret
  Value d = f.lift(*t, {CV::i32(2), CV::i64(0x7ff0000000000001)});
  EXPECT_EQ(f64_bits(*d.as<VariantValue>().payload), 0x7ff8000000000000ull);  // reinterpret, canonical NaN

  TypeRef u = types::variant({{"a", p(K::U32)}, {"b", p(K::S64)}});
  Value a = f.lift(*u, {CV::i32(0), CV::i64(0x100000005)});
  EXPECT_EQ(a.as<VariantValue>().payload->as<uint64_t>(), 5u);  // i64 -> i32 wraps
  EXPECT_EQ(f.lower(*u, Value::variant(0, Value::u64(0xFFFFFFFF))), (std::vector<CV>{CV::i32(0), CV::i64(0xFFFFFFFF)}));

  TypeRef g = types::variant({{"a", p(K::F32)}, {"b", p(K::U32)}});
  EXPECT_EQ(f.lower(*g, Value::variant(0, Value::f32(2.0f))), (std::vector<CV>{CV::i32(0), CV::i32(0x40000000)}));
  Value gb = f.lift(*g, {CV::i32(0), CV::i32(0x40000000)});
  EXPECT_EQ(f32_bits(*gb.as<VariantValue>().payload), 0x40000000u);
}

TEST(FlatVariant, UnusedSlotsAreConsumedAndPaddedWithZeros) {
  Fixture f;
  TypeRef t = types::result(types::tuple({p(K::F64), p(K::F32)}), nullptr);
  EXPECT_EQ(flatten_type(*t), (std::vector<CoreType>{CoreType::I32, CoreType::F64, CoreType::F32}));
  EXPECT_EQ(f.lower(*t, Value::variant(1)), (std::vector<CV>{CV::i32(1), CV::f64_bits(0), CV::f32_bits(0)}));
  Value v = f.lift(*t, {CV::i32(1), CV::f64_bits(123), CV::f32_bits(456)});
  EXPECT_EQ(v.as<VariantValue>().case_index, 1u);
  EXPECT_FALSE(v.as<VariantValue>().payload);
}

// --- Lists ---

TEST(Lists, LoweringAllocatesAlignedElementsEvenWhenEmpty) {
  Fixture f;
  TypeRef t = types::list(p(K::U32));
  std::vector<CV> flat = f.lower(*t, Value::list({Value::u64(1), Value::u64(0x0203)}));
  EXPECT_EQ(flat, (std::vector<CV>{CV::i32(16), CV::i32(2)}));
  EXPECT_EQ(f.heap.log, (std::vector<ReallocCall>{{0, 0, 4, 8, 16}}));
  EXPECT_EQ(f.at(16, 8), (Bytes{1, 0, 0, 0, 3, 2, 0, 0}));
  // test/values/realloc.wast: realloc is called for an empty list too.
  EXPECT_EQ(f.lower(*t, Value::list({})), (std::vector<CV>{CV::i32(24), CV::i32(0)}));
  EXPECT_EQ(f.heap.log.back(), (ReallocCall{0, 0, 4, 0, 24}));
}

TEST(Lists, ReallocResultIsCheckedEvenForEmptyLists) {
  TypeRef t = types::list(p(K::U32));
  Fixture oob(64, ReallocPolicy::OutOfBounds);
  expect_trap([&] { oob.lower(*t, Value::list({})); }, "realloc return: beyond end of memory");
  Fixture mis(64, ReallocPolicy::Misaligned);
  expect_trap([&] { mis.lower(*t, Value::list({Value::u64(1)})); }, "realloc return: result not aligned");
  Fixture bytes(64, ReallocPolicy::Misaligned);
  EXPECT_EQ(bytes.lower(*types::list(p(K::U8)), Value::list({Value::u64(1)}))[0], CV::i32(17));
}

TEST(Lists, LiftingChecksLengthAlignmentAndBounds) {
  Fixture f(64);
  TypeRef t = types::list(p(K::U16));
  f.put(8, {1, 0, 2, 0});
  Value v = f.lift(*t, {CV::i32(8), CV::i32(2)});
  ASSERT_EQ(v.as<ListValue>().elements.size(), 2u);
  EXPECT_EQ(v.as<ListValue>().elements[1].as<uint64_t>(), 2u);
  expect_trap([&] { f.lift(*t, {CV::i32(9), CV::i32(1)}); }, "unaligned pointer");
  expect_trap([&] { f.lift(*t, {CV::i32(62), CV::i32(2)}); }, "list content out-of-bounds");
  expect_trap([&] { f.lift(*t, {CV::i32(0), CV::i32(1u << 27)}); },
              "list content out-of-bounds: length exceeds 2^28-1 bytes");
  EXPECT_TRUE(f.lift(*t, {CV::i32(64), CV::i32(0)}).as<ListValue>().elements.empty());
}

TEST(Lists, FixedLengthListsAreInlineWithoutRealloc) {
  Fixture f;
  TypeRef t = types::fixed_list(p(K::U16), 3);
  std::vector<CV> flat = f.lower(*t, Value::list({Value::u64(1), Value::u64(2), Value::u64(3)}));
  EXPECT_EQ(flat, (std::vector<CV>{CV::i32(1), CV::i32(2), CV::i32(3)}));
  EXPECT_TRUE(f.heap.log.empty());
  store(f.cx, Value::list({Value::u64(1), Value::u64(2), Value::u64(3)}), *t, 2);
  EXPECT_EQ(f.at(2, 6), (Bytes{1, 0, 2, 0, 3, 0}));
  EXPECT_EQ(load(f.cx, 2, *t).as<ListValue>().elements[2].as<uint64_t>(), 3u);
}

TEST(Lists, ElementsAreStoredBeforeEachNestedAllocationIsMade) {
  // list<string>: the list range first, then each string; when the second string's realloc
  // runs, the first element's (ptr, len) is already in memory, as the spec stores it.
  Fixture f;
  Realloc inner = f.heap.realloc();
  std::vector<Bytes> seen;
  LiftLowerOptions opts{StringEncoding::Utf8, &f.heap.memory,
                        [&](uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
                          seen.push_back(f.at(16, 16));
                          return inner(a, b, c, d);
                        }};
  LiftLowerContext cx(opts, f.inst);
  TypeRef t = types::list(p(K::String));
  lower_flat(cx, Value::list({Value::string(StringValue::from_utf8("hi")), Value::string(StringValue::from_utf8("wat"))}), *t);
  EXPECT_EQ(f.heap.log, (std::vector<ReallocCall>{{0, 0, 4, 16, 16}, {0, 0, 1, 2, 32}, {0, 0, 1, 3, 34}}));
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[2], (Bytes{32, 0, 0, 0, 2, 0, 0, 0, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA}));
  EXPECT_EQ(f.at(16, 21), (Bytes{32, 0, 0, 0, 2, 0, 0, 0, 34, 0, 0, 0, 3, 0, 0, 0, 'h', 'i', 'w', 'a', 't'}));
}

TEST(Lists, PaddingAReallocWroteIsKept) {
  // A realloc that scribbles over padding of the range being stored: the spec never writes
  // padding, so the scribble survives; staged stores must not overwrite it.
  Fixture f;
  Realloc inner = f.heap.realloc();
  LiftLowerOptions opts{StringEncoding::Utf8, &f.heap.memory,
                        [&](uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
                          if (f.heap.log.size() == 1) f.heap.memory.bytes[17] = 0x55;
                          return inner(a, b, c, d);
                        }};
  LiftLowerContext cx(opts, f.inst);
  TypeRef elem = types::tuple({p(K::U8), p(K::String)});
  lower_flat(cx, Value::list({Value::record({Value::u64(7), Value::string(StringValue::from_utf8("x"))})}),
             *types::list(elem));
  EXPECT_EQ(f.at(16, 13), (Bytes{7, 0x55, 0xAA, 0xAA, 28, 0, 0, 0, 1, 0, 0, 0, 'x'}));
}

TEST(Lists, WholeRangesAreReadAndWrittenInBulk) {
  Fixture f(8192);
  std::vector<Value> elements;
  for (int i = 0; i < 1000; ++i) elements.push_back(Value::u64(i));
  TypeRef t = types::list(p(K::U32));
  std::vector<CV> flat = f.lower(*t, Value::list(elements));
  EXPECT_EQ(f.heap.memory.writes, 1u);
  EXPECT_EQ(f.heap.memory.reads, 0u);  // dense elements: nothing to read back
  Value back = f.lift(*t, flat);
  EXPECT_EQ(f.heap.memory.reads, 1u);
  EXPECT_EQ(back.as<ListValue>().elements[999].as<uint64_t>(), 999u);

  TypeRef padded = types::list(types::tuple({p(K::U8), p(K::U32)}));
  std::vector<Value> recs;
  for (int i = 0; i < 100; ++i) recs.push_back(Value::record({Value::u64(i), Value::u64(i)}));
  f.heap.memory.reads = f.heap.memory.writes = 0;
  f.lower(*padded, Value::list(recs));
  EXPECT_EQ(f.heap.memory.reads, 1u);  // the padding's current bytes, once
  EXPECT_EQ(f.heap.memory.writes, 1u);
}

// --- Spilling parameters and results (lift_flat_values / lower_flat_values) ---

std::vector<TypeRef> n_types(size_t n, K k) { return std::vector<TypeRef>(n, p(k)); }

TEST(Spill, SeventeenFlatParamsGoThroughRealloc) {
  Fixture f;
  std::vector<TypeRef> ts = n_types(16, K::U8);
  ts.push_back(p(K::U32));
  std::vector<Value> vs;
  for (int i = 0; i < 16; ++i) vs.push_back(Value::u64(i + 1));
  vs.push_back(Value::u64(0xDDCCBBAA));
  std::vector<CV> flat = lower_flat_values(f.cx, MAX_FLAT_PARAMS, vs, ts);
  EXPECT_EQ(flat, (std::vector<CV>{CV::i32(16)}));
  EXPECT_EQ(f.heap.log, (std::vector<ReallocCall>{{0, 0, 4, 20, 16}}));
  EXPECT_EQ(f.at(16, 20), (Bytes{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0xAA, 0xBB, 0xCC, 0xDD}));
  CoreValueIter vi(flat);
  std::vector<Value> back = lift_flat_values(f.cx, MAX_FLAT_PARAMS, vi, ts);
  EXPECT_EQ(back[16].as<uint64_t>(), 0xDDCCBBAAu);
  // Sixteen stay flat.
  std::vector<TypeRef> sixteen = n_types(16, K::U8);
  std::vector<Value> sv(vs.begin(), vs.begin() + 16);
  EXPECT_EQ(lower_flat_values(f.cx, MAX_FLAT_PARAMS, sv, sixteen).size(), 16u);
}

TEST(Spill, ResultsGoThroughTheOutPointer) {
  Fixture f;
  std::vector<TypeRef> ts = {types::tuple({p(K::U32), p(K::U32)})};
  std::vector<Value> vs = {Value::record({Value::u64(1), Value::u64(2)})};
  std::vector<CV> out_ptr = {CV::i32(40)};
  CoreValueIter out(out_ptr);
  EXPECT_TRUE(lower_flat_values(f.cx, MAX_FLAT_RESULTS, vs, ts, &out).empty());
  EXPECT_TRUE(f.heap.log.empty());
  EXPECT_EQ(f.at(40, 8), (Bytes{1, 0, 0, 0, 2, 0, 0, 0}));
  std::vector<CV> bad = {CV::i32(42)};
  CoreValueIter bad_out(bad);
  expect_trap([&] { lower_flat_values(f.cx, MAX_FLAT_RESULTS, vs, ts, &bad_out); }, "unaligned pointer");
  std::vector<CV> oob = {CV::i32(252)};
  CoreValueIter oob_out(oob);
  expect_trap([&] { lower_flat_values(f.cx, MAX_FLAT_RESULTS, vs, ts, &oob_out); }, "pointer out of bounds of memory");
}

TEST(Spill, LiftingASpilledTupleChecksThePointer) {
  Fixture f(64);
  std::vector<TypeRef> ts = {p(K::U32), p(K::U32)};
  std::vector<CV> mis = {CV::i32(1)};
  CoreValueIter vi(mis);
  expect_trap([&] { lift_flat_values(f.cx, MAX_FLAT_RESULTS, vi, ts); }, "unaligned pointer");
  std::vector<CV> oob = {CV::i32(60)};
  CoreValueIter vj(oob);
  expect_trap([&] { lift_flat_values(f.cx, MAX_FLAT_RESULTS, vj, ts); }, "pointer out of bounds of memory");
  std::vector<CV> ok = {CV::i32(56)};
  CoreValueIter vk(ok);
  EXPECT_EQ(lift_flat_values(f.cx, MAX_FLAT_RESULTS, vk, ts).size(), 2u);
}

}  // namespace
}  // namespace cm
