// Strings (abi/values/strings.h): lifting checks and the nine transcoding paths of
// store_string_into_range, each with the exact realloc call sequence and memory bytes that
// CanonicalABI.md's store_string_copy / store_string_to_utf8 / store_utf8_to_utf16 /
// store_string_to_latin1_or_utf16 / store_probably_utf16_to_latin1_or_utf16 produce.
// Expectations are worked out by hand from those definitions; every heap starts handing out
// memory at 16, and unwritten memory is 0xAA.
#include <gtest/gtest.h>

#include "test_heap.h"
#include "values/strings.h"

namespace cm {
namespace {

using testing::ReallocCall;
using testing::ReallocPolicy;
using testing::TestHeap;
using Bytes = std::vector<uint8_t>;

constexpr StringEncoding UTF8 = StringEncoding::Utf8;
constexpr StringEncoding UTF16 = StringEncoding::Utf16;
constexpr StringEncoding LATIN1_UTF16 = StringEncoding::Latin1Utf16;

StringValue src(StringEncoding enc, Bytes bytes, uint32_t tagged) {
  return StringValue{std::string(bytes.begin(), bytes.end()), enc, tagged};
}
StringValue utf8(Bytes b) { uint32_t n = static_cast<uint32_t>(b.size()); return src(UTF8, std::move(b), n); }
StringValue utf16(Bytes b) { uint32_t n = static_cast<uint32_t>(b.size() / 2); return src(UTF16, std::move(b), n); }
StringValue latin1(Bytes b) { uint32_t n = static_cast<uint32_t>(b.size()); return src(LATIN1_UTF16, std::move(b), n); }
StringValue tagged_utf16(Bytes b) {
  uint32_t n = static_cast<uint32_t>(b.size() / 2);
  return src(LATIN1_UTF16, std::move(b), n | UTF16_TAG);
}

struct Lowered {
  StringRange range;
  std::vector<ReallocCall> log;
  Bytes memory;
  Bytes at(uint32_t ptr, uint32_t n) const { return Bytes(memory.begin() + ptr, memory.begin() + ptr + n); }
};

Lowered lower(StringEncoding dst, const StringValue& v, ReallocPolicy policy = ReallocPolicy::Bump,
              size_t memory_size = 64) {
  TestHeap heap(memory_size, 0xAA, 16, policy);
  LiftLowerOptions opts{dst, &heap.memory, heap.realloc()};
  ComponentInstance inst;
  LiftLowerContext cx(opts, inst);
  StringRange r = store_string_into_range(cx, v);
  return {r, heap.log, heap.memory.bytes};
}

void expect_lower_traps(StringEncoding dst, const StringValue& v, ReallocPolicy policy, const std::string& reason) {
  try {
    lower(dst, v, policy);
    ADD_FAILURE() << "expected trap: " << reason;
  } catch (const Trap& t) {
    EXPECT_EQ(std::string(t.what()), reason);
  }
}

StringValue lift(StringEncoding enc, const Bytes& memory, uint32_t ptr, uint32_t tagged) {
  VectorMemory mem(memory);
  LiftLowerOptions opts{enc, &mem, {}};
  ComponentInstance inst;
  LiftLowerContext cx(opts, inst);
  return load_string_from_range(cx, ptr, tagged);
}

void expect_lift_traps(StringEncoding enc, const Bytes& memory, uint32_t ptr, uint32_t tagged,
                       const std::string& reason) {
  try {
    lift(enc, memory, ptr, tagged);
    ADD_FAILURE() << "expected trap: " << reason;
  } catch (const Trap& t) {
    EXPECT_EQ(std::string(t.what()), reason);
  }
}

// --- Lifting (load_string_from_range) ---

TEST(LoadString, KeepsSourceBytesEncodingAndTaggedCodeUnits) {
  StringValue s = lift(UTF8, {0, 0, 'h', 'i'}, 2, 2);
  EXPECT_EQ(s.bytes, "hi");
  EXPECT_EQ(s.encoding, UTF8);
  EXPECT_EQ(s.tagged_code_units, 2u);

  StringValue t = lift(LATIN1_UTF16, {'a', 0, 0xE9, 0}, 0, 2 | UTF16_TAG);
  EXPECT_EQ(t.bytes, std::string("a\0\xE9\0", 4));
  EXPECT_EQ(t.tagged_code_units, 2 | UTF16_TAG);
  EXPECT_EQ(t.to_utf8(), "a\xC3\xA9");

  StringValue l = lift(LATIN1_UTF16, {'a', 0xE9}, 0, 2);
  EXPECT_EQ(l.to_utf8(), "a\xC3\xA9");
}

TEST(LoadString, EmptyStringAtTheEndOfMemoryIsValid) {
  EXPECT_EQ(lift(UTF8, Bytes(8), 8, 0).bytes, "");
  EXPECT_EQ(lift(LATIN1_UTF16, Bytes(8), 8, UTF16_TAG).bytes, "");
  Bytes m(16, 0);
  m[14] = 'o';
  m[15] = 'k';
  EXPECT_EQ(lift(UTF8, m, 14, 2).bytes, "ok");  // test/values/strings.wast: end of the page
}

TEST(LoadString, OutOfBoundsRangeTraps) {
  expect_lift_traps(UTF8, Bytes(16), 15, 2, "string content out-of-bounds");
  expect_lift_traps(UTF8, Bytes(16), 0x80000000u, 1, "string content out-of-bounds");
  expect_lift_traps(UTF8, Bytes(16), 17, 0, "string content out-of-bounds");  // even when empty
  expect_lift_traps(UTF16, Bytes(16), 0, 9, "string content out-of-bounds");
}

TEST(LoadString, LengthOverTwoToTheTwentyEightTraps) {
  const char* too_long = "string content out-of-bounds: length exceeds 2^28-1 bytes";
  expect_lift_traps(UTF8, Bytes(16), 0, 1u << 28, too_long);
  expect_lift_traps(UTF16, Bytes(16), 0, 1u << 27, too_long);  // 2^28 bytes
  // utf16 has no tag: a set top bit only makes the length huge.
  expect_lift_traps(UTF16, Bytes(16), 0, 0x80000001u, too_long);
  expect_lift_traps(LATIN1_UTF16, Bytes(16), 0, UTF16_TAG | (1u << 27), too_long);
}

TEST(LoadString, Utf16AndLatin1PointersMustBeTwoAligned) {
  expect_lift_traps(UTF16, Bytes(16), 1, 0, "unaligned pointer");
  // test/values/alignment.wast: both latin1+utf16 representations.
  expect_lift_traps(LATIN1_UTF16, Bytes(16), 1, 0, "unaligned pointer");
  expect_lift_traps(LATIN1_UTF16, Bytes(16), 1, UTF16_TAG, "unaligned pointer");
  EXPECT_EQ(lift(UTF8, {0, 'x'}, 1, 1).bytes, "x");
}

TEST(LoadString, InvalidUtf8TrapsWithRustsWording) {
  expect_lift_traps(UTF8, {0xFF}, 0, 1, "invalid utf-8 sequence of 1 bytes from index 0");
  expect_lift_traps(UTF8, {0xC3}, 0, 1, "incomplete utf-8 byte sequence from index 0");
  expect_lift_traps(UTF8, {'a', 'b', 0xE2, 0x82}, 0, 4, "incomplete utf-8 byte sequence from index 2");
  expect_lift_traps(UTF8, {0xC0, 0x80}, 0, 2, "invalid utf-8 sequence of 1 bytes from index 0");  // overlong
  expect_lift_traps(UTF8, {0xE0, 0x80, 0x80}, 0, 3, "invalid utf-8 sequence of 1 bytes from index 0");
  expect_lift_traps(UTF8, {0xED, 0xA0, 0x80}, 0, 3, "invalid utf-8 sequence of 1 bytes from index 0");  // surrogate
  expect_lift_traps(UTF8, {0xF4, 0x90, 0x80, 0x80}, 0, 4, "invalid utf-8 sequence of 1 bytes from index 0");
  expect_lift_traps(UTF8, {0xE2, 0x82, 'x'}, 0, 3, "invalid utf-8 sequence of 2 bytes from index 0");
  expect_lift_traps(UTF8, {0x80}, 0, 1, "invalid utf-8 sequence of 1 bytes from index 0");
  EXPECT_EQ(lift(UTF8, {0xF4, 0x8F, 0xBF, 0xBF}, 0, 4).bytes.size(), 4u);  // U+10FFFF
  EXPECT_EQ(lift(UTF8, {0xED, 0x9F, 0xBF}, 0, 3).bytes.size(), 3u);        // U+D7FF
}

TEST(LoadString, UnpairedSurrogatesInUtf16Trap) {
  const char* lone = "invalid utf-16: lone surrogate found";
  expect_lift_traps(UTF16, {0x00, 0xD8}, 0, 1, lone);              // high at the end
  expect_lift_traps(UTF16, {0x00, 0xDC, 'a', 0}, 0, 2, lone);      // lone low
  expect_lift_traps(UTF16, {0x00, 0xD8, 'a', 0}, 0, 2, lone);      // high, then not a low
  expect_lift_traps(LATIN1_UTF16, {0x00, 0xDC}, 0, 1 | UTF16_TAG, lone);
  EXPECT_EQ(lift(UTF16, {0x3D, 0xD8, 0x00, 0xDE}, 0, 2).to_utf8(), "\xF0\x9F\x98\x80");
  // Latin-1 never fails to decode.
  EXPECT_EQ(lift(LATIN1_UTF16, {0xFF, 0x80}, 0, 2).to_utf8(), "\xC3\xBF\xC2\x80");
}

// --- Lowering: the nine source/destination pairs ---

TEST(StoreString, Utf8ToUtf8IsOneExactAllocationAndACopy) {
  Lowered l = lower(UTF8, utf8({'h', 'e', 'l', 'l', 'o'}));
  EXPECT_EQ(l.log, (std::vector<ReallocCall>{{0, 0, 1, 5, 16}}));
  EXPECT_EQ(l.range.ptr, 16u);
  EXPECT_EQ(l.range.tagged_code_units, 5u);
  EXPECT_EQ(l.at(16, 6), (Bytes{'h', 'e', 'l', 'l', 'o', 0xAA}));
}

TEST(StoreString, EmptyStringStillCallsRealloc) {
  EXPECT_EQ(lower(UTF8, utf8({})).log, (std::vector<ReallocCall>{{0, 0, 1, 0, 16}}));
  EXPECT_EQ(lower(UTF16, utf8({})).log, (std::vector<ReallocCall>{{0, 0, 2, 0, 16}}));
  EXPECT_EQ(lower(LATIN1_UTF16, utf16({})).log, (std::vector<ReallocCall>{{0, 0, 2, 0, 16}}));
  Lowered t = lower(LATIN1_UTF16, tagged_utf16({}));
  // Copied as UTF-16, then "deflated" with a realloc to 0 bytes at alignment 1.
  EXPECT_EQ(t.log, (std::vector<ReallocCall>{{0, 0, 2, 0, 16}, {16, 0, 1, 0, 16}}));
  EXPECT_EQ(t.range.tagged_code_units, 0u);
}

TEST(StoreString, Utf8ToUtf16AllocatesTheWorstCaseThenShrinks) {
  // "héllo": 6 UTF-8 bytes -> 12-byte worst case -> 5 UTF-16 units.
  Lowered l = lower(UTF16, utf8({'h', 0xC3, 0xA9, 'l', 'l', 'o'}));
  EXPECT_EQ(l.log, (std::vector<ReallocCall>{{0, 0, 2, 12, 16}, {16, 12, 2, 10, 28}}));
  EXPECT_EQ(l.range.ptr, 28u);
  EXPECT_EQ(l.range.tagged_code_units, 5u);
  EXPECT_EQ(l.at(28, 10), (Bytes{'h', 0, 0xE9, 0, 'l', 0, 'l', 0, 'o', 0}));
  // ASCII needs exactly the worst case: no second call.
  EXPECT_EQ(lower(UTF16, utf8({'a', 'b', 'c'})).log, (std::vector<ReallocCall>{{0, 0, 2, 6, 16}}));
  // An astral code point: 4 UTF-8 bytes, 2 UTF-16 units.
  Lowered a = lower(UTF16, utf8({0xF0, 0x9F, 0x98, 0x80}));
  EXPECT_EQ(a.log, (std::vector<ReallocCall>{{0, 0, 2, 8, 16}, {16, 8, 2, 4, 24}}));
  EXPECT_EQ(a.at(24, 4), (Bytes{0x3D, 0xD8, 0x00, 0xDE}));
  EXPECT_EQ(a.range.tagged_code_units, 2u);
}

TEST(StoreString, Utf16ToUtf8WritesTheAsciiPrefixBeforeGrowing) {
  // "aé" from UTF-16: allocate 2, write 'a', grow to 3*2, write the rest, shrink to 3.
  Lowered l = lower(UTF8, utf16({'a', 0, 0xE9, 0}));
  EXPECT_EQ(l.log, (std::vector<ReallocCall>{{0, 0, 1, 2, 16}, {16, 2, 1, 6, 18}, {18, 6, 1, 3, 24}}));
  EXPECT_EQ(l.range.ptr, 24u);
  EXPECT_EQ(l.range.tagged_code_units, 3u);
  EXPECT_EQ(l.at(16, 2), (Bytes{'a', 0xAA}));
  EXPECT_EQ(l.at(18, 3), (Bytes{'a', 0xC3, 0xA9}));  // 'a' is there only because realloc copied it
  EXPECT_EQ(l.at(24, 4), (Bytes{'a', 0xC3, 0xA9, 0xAA}));
  // All ASCII: one allocation of exactly the code-unit count.
  Lowered b = lower(UTF8, utf16({'a', 0, 'b', 0}));
  EXPECT_EQ(b.log, (std::vector<ReallocCall>{{0, 0, 1, 2, 16}}));
  EXPECT_EQ(b.at(16, 2), (Bytes{'a', 'b'}));
}

TEST(StoreString, Utf16ToUtf8DoesNotRewriteThePrefixARealloctorDidNotCopy) {
  // With a realloc that does not copy, the spec's output keeps the realloc's fill where the
  // ASCII prefix should be: it never writes the prefix twice.
  Lowered l = lower(UTF8, utf16({'a', 0, 0xE9, 0}), ReallocPolicy::NoCopy);
  EXPECT_EQ(l.log, (std::vector<ReallocCall>{{0, 0, 1, 2, 16}, {16, 2, 1, 6, 18}, {18, 6, 1, 3, 24}}));
  EXPECT_EQ(l.at(18, 6), (Bytes{0xEE, 0xC3, 0xA9, 0xEE, 0xEE, 0xEE}));
  EXPECT_EQ(l.at(24, 3), (Bytes{0xEE, 0xEE, 0xEE}));
}

TEST(StoreString, Utf16SurrogatePairToUtf8UsesThreeBytesPerUnitWorstCase) {
  // "😀" = D83D DE00: 2 units, worst case 6, final 4.
  Lowered l = lower(UTF8, utf16({0x3D, 0xD8, 0x00, 0xDE}));
  EXPECT_EQ(l.log, (std::vector<ReallocCall>{{0, 0, 1, 2, 16}, {16, 2, 1, 6, 18}, {18, 6, 1, 4, 24}}));
  EXPECT_EQ(l.at(24, 4), (Bytes{0xF0, 0x9F, 0x98, 0x80}));
  EXPECT_EQ(l.range.tagged_code_units, 4u);
}

TEST(StoreString, Latin1ToUtf8UsesTwoBytesPerUnitWorstCase) {
  Lowered l = lower(UTF8, latin1({'a', 0xE9}));
  EXPECT_EQ(l.log, (std::vector<ReallocCall>{{0, 0, 1, 2, 16}, {16, 2, 1, 4, 18}, {18, 4, 1, 3, 22}}));
  EXPECT_EQ(l.at(22, 3), (Bytes{'a', 0xC3, 0xA9}));
  // Every byte >= 0x80: the worst case is exact, no shrink.
  Lowered m = lower(UTF8, latin1({0xE9, 0xFF}));
  EXPECT_EQ(m.log, (std::vector<ReallocCall>{{0, 0, 1, 2, 16}, {16, 2, 1, 4, 18}}));
  EXPECT_EQ(m.at(18, 4), (Bytes{0xC3, 0xA9, 0xC3, 0xBF}));
}

TEST(StoreString, Utf16ToUtf16AndLatin1ToUtf16AreExactCopies) {
  Lowered l = lower(UTF16, utf16({'a', 0, 0xE9, 0}));
  EXPECT_EQ(l.log, (std::vector<ReallocCall>{{0, 0, 2, 4, 16}}));
  EXPECT_EQ(l.at(16, 4), (Bytes{'a', 0, 0xE9, 0}));
  EXPECT_EQ(l.range.tagged_code_units, 2u);
  Lowered m = lower(UTF16, latin1({'a', 0xE9}));
  EXPECT_EQ(m.log, (std::vector<ReallocCall>{{0, 0, 2, 4, 16}}));
  EXPECT_EQ(m.at(16, 4), (Bytes{'a', 0, 0xE9, 0}));
  // A tagged latin1+utf16 source is plain UTF-16 to a utf16 destination.
  Lowered t = lower(UTF16, tagged_utf16({'a', 0, 0x00, 0x01}));
  EXPECT_EQ(t.at(16, 4), (Bytes{'a', 0, 0x00, 0x01}));
  EXPECT_EQ(t.range.tagged_code_units, 2u);
}

TEST(StoreString, Utf8ToLatin1Utf16ShrinksWhenEveryCodePointFitsInLatin1) {
  // "aé": 3 UTF-8 bytes, 2 Latin-1 bytes.
  Lowered l = lower(LATIN1_UTF16, utf8({'a', 0xC3, 0xA9}));
  EXPECT_EQ(l.log, (std::vector<ReallocCall>{{0, 0, 2, 3, 16}, {16, 3, 2, 2, 20}}));
  EXPECT_EQ(l.range.ptr, 20u);
  EXPECT_EQ(l.range.tagged_code_units, 2u);
  EXPECT_EQ(l.at(20, 2), (Bytes{'a', 0xE9}));
  // ASCII: exact, one call.
  EXPECT_EQ(lower(LATIN1_UTF16, utf8({'a', 'b'})).log, (std::vector<ReallocCall>{{0, 0, 2, 2, 16}}));
}

TEST(StoreString, Utf8ToLatin1Utf16InflatesInPlaceOnTheFirstWideCodePoint) {
  // "aĀ" (U+0100): 'a' as Latin-1, then grow to 2*3 bytes, inflate, UTF-16, shrink to 4.
  Lowered l = lower(LATIN1_UTF16, utf8({'a', 0xC4, 0x80}));
  EXPECT_EQ(l.log, (std::vector<ReallocCall>{{0, 0, 2, 3, 16}, {16, 3, 2, 6, 20}, {20, 6, 2, 4, 26}}));
  EXPECT_EQ(l.range.ptr, 26u);
  EXPECT_EQ(l.range.tagged_code_units, 2u | UTF16_TAG);
  EXPECT_EQ(l.at(16, 1), (Bytes{'a'}));
  EXPECT_EQ(l.at(20, 4), (Bytes{'a', 0, 0x00, 0x01}));
  EXPECT_EQ(l.at(26, 4), (Bytes{'a', 0, 0x00, 0x01}));
}

TEST(StoreString, InflationReadsBackWhatTheReallocLeft) {
  // With a realloc that does not copy, the spec inflates whatever is at the new pointer.
  Lowered l = lower(LATIN1_UTF16, utf8({'a', 'b', 0xC4, 0x80}), ReallocPolicy::NoCopy);
  EXPECT_EQ(l.log, (std::vector<ReallocCall>{{0, 0, 2, 4, 16}, {16, 4, 2, 8, 20}, {20, 8, 2, 6, 28}}));
  EXPECT_EQ(l.at(16, 2), (Bytes{'a', 'b'}));
  EXPECT_EQ(l.at(20, 8), (Bytes{0xEE, 0, 0xEE, 0, 0x00, 0x01, 0xEE, 0xEE}));
  EXPECT_EQ(l.range.tagged_code_units, 3u | UTF16_TAG);
}

TEST(StoreString, Utf16ToLatin1Utf16) {
  // Fits Latin-1 and the unit count is exact: no second call.
  Lowered l = lower(LATIN1_UTF16, utf16({'a', 0, 0xE9, 0}));
  EXPECT_EQ(l.log, (std::vector<ReallocCall>{{0, 0, 2, 2, 16}}));
  EXPECT_EQ(l.at(16, 2), (Bytes{'a', 0xE9}));
  EXPECT_EQ(l.range.tagged_code_units, 2u);
  // "a😀": 3 units; the worst case 6 bytes is exact: no shrink.
  Lowered m = lower(LATIN1_UTF16, utf16({'a', 0, 0x3D, 0xD8, 0x00, 0xDE}));
  EXPECT_EQ(m.log, (std::vector<ReallocCall>{{0, 0, 2, 3, 16}, {16, 3, 2, 6, 20}}));
  EXPECT_EQ(m.at(20, 6), (Bytes{'a', 0, 0x3D, 0xD8, 0x00, 0xDE}));
  EXPECT_EQ(m.range.tagged_code_units, 3u | UTF16_TAG);
}

TEST(StoreString, Latin1Utf16ToLatin1Utf16CopiesLatin1) {
  Lowered l = lower(LATIN1_UTF16, latin1({'a', 0xE9}));
  EXPECT_EQ(l.log, (std::vector<ReallocCall>{{0, 0, 2, 2, 16}}));
  EXPECT_EQ(l.at(16, 2), (Bytes{'a', 0xE9}));
  EXPECT_EQ(l.range.tagged_code_units, 2u);
}

TEST(StoreString, Latin1Utf16ToLatin1Utf16DeflatesUtf16ThatFitsLatin1) {
  Lowered l = lower(LATIN1_UTF16, tagged_utf16({'a', 0, 0xE9, 0}));
  EXPECT_EQ(l.log, (std::vector<ReallocCall>{{0, 0, 2, 4, 16}, {16, 4, 1, 2, 20}}));
  // In place: the first half now holds Latin-1, the second half the old UTF-16 bytes.
  EXPECT_EQ(l.at(16, 4), (Bytes{'a', 0xE9, 0xE9, 0}));
  EXPECT_EQ(l.at(20, 2), (Bytes{'a', 0xE9}));
  EXPECT_EQ(l.range.ptr, 20u);
  EXPECT_EQ(l.range.tagged_code_units, 2u);
  // A unit >= 256 keeps UTF-16.
  Lowered m = lower(LATIN1_UTF16, tagged_utf16({'a', 0, 0x00, 0x01}));
  EXPECT_EQ(m.log, (std::vector<ReallocCall>{{0, 0, 2, 4, 16}}));
  EXPECT_EQ(m.range.tagged_code_units, 2u | UTF16_TAG);
}

// --- Realloc results ---

TEST(StoreString, MisalignedReallocResultTrapsWhereAlignmentIsTwo) {
  expect_lower_traps(UTF16, utf8({'a'}), ReallocPolicy::Misaligned, "realloc return: result not aligned");
  expect_lower_traps(LATIN1_UTF16, utf8({'a'}), ReallocPolicy::Misaligned, "realloc return: result not aligned");
  // UTF-8 ranges have alignment 1.
  EXPECT_EQ(lower(UTF8, utf8({'a'}), ReallocPolicy::Misaligned).range.ptr, 17u);
}

TEST(StoreString, DeflationReallocIsNotAlignmentChecked) {
  TestHeap heap(64, 0xAA, 16);
  ComponentInstance inst;
  Realloc odd_on_shrink = [&](uint32_t old_ptr, uint32_t old_size, uint32_t align, uint32_t new_size) {
    heap.log.push_back({old_ptr, old_size, align, new_size, old_ptr ? 33u : 16u});
    return old_ptr ? 33u : 16u;
  };
  LiftLowerOptions opts{LATIN1_UTF16, &heap.memory, odd_on_shrink};
  LiftLowerContext cx(opts, inst);
  StringRange r = store_string_into_range(cx, tagged_utf16({'a', 0}));
  EXPECT_EQ(r.ptr, 33u);
  EXPECT_EQ(r.tagged_code_units, 1u);
}

TEST(StoreString, OutOfBoundsReallocResultTraps) {
  expect_lower_traps(UTF8, utf8({}), ReallocPolicy::OutOfBounds, "realloc return: beyond end of memory");
  expect_lower_traps(UTF16, utf16({'a', 0}), ReallocPolicy::OutOfBounds, "realloc return: beyond end of memory");
}

TEST(StoreString, WorstCaseThatDoesNotFitTrapsEvenIfTheResultWould) {
  // 20 Latin-1 units into a 48-byte memory from 16: 20 fits, 2*20 does not.
  Bytes b(20, 0xE9);
  expect_lower_traps(UTF8, latin1(b), ReallocPolicy::Bump, "realloc return: beyond end of memory");
}

TEST(StoreString, ReallocMayGrowMemory) {
  Bytes b(40, 'x');
  Lowered l = lower(UTF16, utf8(b), ReallocPolicy::Grow, 32);
  EXPECT_EQ(l.log, (std::vector<ReallocCall>{{0, 0, 2, 80, 16}}));
  EXPECT_EQ(l.memory.size(), 128u);
  EXPECT_EQ(l.at(16, 2), (Bytes{'x', 0}));
}

TEST(StoreString, ReallocRunsWithMayLeaveClearedAndSeesThePrefix) {
  TestHeap heap(64, 0xAA, 16);
  ComponentInstance inst;
  Realloc inner = heap.realloc();
  std::vector<Bytes> seen;
  std::vector<bool> may_leave;
  Realloc observing = [&](uint32_t old_ptr, uint32_t old_size, uint32_t align, uint32_t new_size) {
    may_leave.push_back(inst.may_leave);
    seen.push_back(Bytes(heap.memory.bytes.begin() + 16, heap.memory.bytes.begin() + 20));
    return inner(old_ptr, old_size, align, new_size);
  };
  LiftLowerOptions opts{UTF8, &heap.memory, observing};
  LiftLowerContext cx(opts, inst);
  store_string_into_range(cx, utf16({'a', 0, 'b', 0, 0xE9, 0}));
  EXPECT_EQ(may_leave, (std::vector<bool>{false, false, false}));
  EXPECT_TRUE(inst.may_leave);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[1], (Bytes{'a', 'b', 0xAA, 0xAA}));  // the prefix is in memory at the grow
}

TEST(StoreString, HostStringsRoundTripThroughEveryEncoding) {
  StringValue host = StringValue::from_utf8("a\xC3\xA9\xF0\x9F\x98\x80");
  for (StringEncoding dst : {UTF8, UTF16, LATIN1_UTF16}) {
    TestHeap heap(128, 0, 16);
    ComponentInstance inst;
    LiftLowerOptions opts{dst, &heap.memory, heap.realloc()};
    LiftLowerContext cx(opts, inst);
    StringRange r = store_string_into_range(cx, host);
    StringValue back = load_string_from_range(cx, r.ptr, r.tagged_code_units);
    EXPECT_EQ(back.to_utf8(), host.bytes) << int(dst);
  }
  EXPECT_EQ(StringValue::from_utf16(u"a\u00e9").to_utf8(), "a\xC3\xA9");
}

TEST(StoreString, MalformedHostStringTrapsInsteadOfMisencoding) {
  StringValue bad = StringValue::from_utf8("a\xFF");
  try {
    lower(UTF16, bad);
    ADD_FAILURE();
  } catch (const Trap& t) {
    EXPECT_EQ(std::string(t.what()), "invalid utf-8 sequence of 1 bytes from index 1");
  }
}

TEST(StoreString, ReadsAndWritesGoInBulk) {
  Bytes text(1000, 'z');
  TestHeap heap(4096, 0, 16);
  ComponentInstance inst;
  LiftLowerOptions opts{UTF16, &heap.memory, heap.realloc()};
  LiftLowerContext cx(opts, inst);
  store_string_into_range(cx, utf8(text));
  EXPECT_EQ(heap.memory.writes, 1u);
  load_string_from_range(cx, 16, 1000);
  EXPECT_EQ(heap.memory.reads, 1u);
}

}  // namespace
}  // namespace cm
