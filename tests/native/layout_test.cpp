// Layout and flattening (abi/types/layout.h) against CanonicalABI.md "Alignment", "Element
// Size", "Flattening" (definitions.py alignment, elem_size, discriminant_type,
// flatten_variant, join, flatten_functype). 32-bit memories.
#include <gtest/gtest.h>

#include <limits>

#include "types/layout.h"

namespace cm {
namespace {

using types::primitive;
using K = TypeKind;
using C = CoreType;

TypeRef p(K k) { return primitive(k); }

std::vector<Case> n_cases(size_t n, TypeRef payload = nullptr) {
  std::vector<Case> cases;
  cases.reserve(n);
  for (size_t i = 0; i < n; ++i) cases.push_back({"c" + std::to_string(i), i == 0 ? payload : nullptr});
  return cases;
}

std::vector<std::string> labels(size_t n) {
  std::vector<std::string> l;
  for (size_t i = 0; i < n; ++i) l.push_back("f" + std::to_string(i));
  return l;
}

TEST(Layout, PrimitivesHaveTheSpecsAlignmentAndSize) {
  struct Row { K kind; uint32_t align, size; };
  const Row rows[] = {{K::Bool, 1, 1}, {K::S8, 1, 1},   {K::U8, 1, 1},   {K::S16, 2, 2},
                      {K::U16, 2, 2},  {K::S32, 4, 4},  {K::U32, 4, 4},  {K::S64, 8, 8},
                      {K::U64, 8, 8},  {K::F32, 4, 4},  {K::F64, 8, 8},  {K::Char, 4, 4},
                      {K::String, 4, 8}, {K::ErrorContext, 4, 4}};
  for (const Row& r : rows) {
    EXPECT_EQ(alignment(*p(r.kind)), r.align) << int(r.kind);
    EXPECT_EQ(elem_size(*p(r.kind)), r.size) << int(r.kind);
  }
}

TEST(Layout, HandlesAndListsArePointerSized) {
  EXPECT_EQ(alignment(*types::list(p(K::U64))), 4u);  // list alignment is the pointer's, not T's
  EXPECT_EQ(elem_size(*types::list(p(K::U64))), 8u);
  for (TypeRef t : {types::own(0), types::borrow(0), types::stream(p(K::U64)), types::future(nullptr)}) {
    EXPECT_EQ(alignment(*t), 4u);
    EXPECT_EQ(elem_size(*t), 4u);
  }
}

TEST(Layout, FixedLengthListIsItsElementRepeated) {
  TypeRef t = types::fixed_list(p(K::U16), 3);
  EXPECT_EQ(alignment(*t), 2u);
  EXPECT_EQ(elem_size(*t), 6u);
  EXPECT_EQ(flatten_type(*t), (std::vector<C>{C::I32, C::I32, C::I32}));
}

TEST(Layout, RecordFieldsAreAlignedAndTheSizeRoundedToTheRecordAlignment) {
  TypeRef t = types::record({{"a", p(K::U8)}, {"b", p(K::U32)}, {"c", p(K::U8)}});
  EXPECT_EQ(field_offsets(*t), (std::vector<uint32_t>{0, 4, 8}));
  EXPECT_EQ(alignment(*t), 4u);
  EXPECT_EQ(elem_size(*t), 12u);

  TypeRef u = types::tuple({p(K::U64), p(K::U8)});
  EXPECT_EQ(field_offsets(*u), (std::vector<uint32_t>{0, 8}));
  EXPECT_EQ(elem_size(*u), 16u);

  TypeRef w = types::tuple({p(K::U8), p(K::U16), p(K::U8)});
  EXPECT_EQ(field_offsets(*w), (std::vector<uint32_t>{0, 2, 4}));
  EXPECT_EQ(elem_size(*w), 6u);
}

TEST(Layout, DiscriminantWidthFollowsTheCaseCount) {
  EXPECT_EQ(discriminant_type(1), K::U8);
  EXPECT_EQ(discriminant_type(256), K::U8);
  EXPECT_EQ(discriminant_type(257), K::U16);
  EXPECT_EQ(discriminant_type(65536), K::U16);
  EXPECT_EQ(discriminant_type(65537), K::U32);
  EXPECT_EQ(discriminant_size(65537), 4u);
}

TEST(Layout, VariantPayloadFollowsTheDiscriminantAtTheStrictestCaseAlignment) {
  TypeRef opt = types::option(p(K::U64));
  EXPECT_EQ(variant_payload_offset(*opt), 8u);
  EXPECT_EQ(alignment(*opt), 8u);
  EXPECT_EQ(elem_size(*opt), 16u);

  TypeRef res = types::result(p(K::U8), p(K::U32));
  EXPECT_EQ(variant_payload_offset(*res), 4u);
  EXPECT_EQ(elem_size(*res), 8u);

  TypeRef empty_result = types::result(nullptr, nullptr);
  EXPECT_EQ(variant_payload_offset(*empty_result), 1u);
  EXPECT_EQ(elem_size(*empty_result), 1u);

  // 257 cases: u16 discriminant, u8 payload at 2, size 3 rounded to the u16 alignment.
  TypeRef wide = types::variant(n_cases(257, p(K::U8)));
  EXPECT_EQ(variant_payload_offset(*wide), 2u);
  EXPECT_EQ(alignment(*wide), 2u);
  EXPECT_EQ(elem_size(*wide), 4u);

  TypeRef e = types::enumeration({"a", "b", "c"});
  EXPECT_EQ(alignment(*e), 1u);
  EXPECT_EQ(elem_size(*e), 1u);
}

TEST(Layout, FlagsTakeOneTwoOrFourBytes) {
  for (size_t n : {1, 8}) EXPECT_EQ(elem_size(*types::flags(labels(n))), 1u) << n;
  for (size_t n : {9, 16}) EXPECT_EQ(elem_size(*types::flags(labels(n))), 2u) << n;
  for (size_t n : {17, 32}) {
    EXPECT_EQ(elem_size(*types::flags(labels(n))), 4u) << n;
    EXPECT_EQ(alignment(*types::flags(labels(n))), 4u) << n;
  }
  EXPECT_EQ(flatten_type(*types::flags(labels(32))), (std::vector<C>{C::I32}));
}

TEST(Layout, ElemSizeSaturatesInsteadOfWrapping) {
  TypeRef inner = types::fixed_list(p(K::U64), 1u << 20);
  EXPECT_EQ(elem_size(*inner), 8u << 20);
  TypeRef outer = types::fixed_list(inner, 1u << 20);
  EXPECT_EQ(elem_size(*outer), std::numeric_limits<uint32_t>::max());
  EXPECT_EQ(flat_count(*outer), std::numeric_limits<uint32_t>::max());
}

TEST(Flatten, JoinWidensToI32OrI64) {
  EXPECT_EQ(join(C::I32, C::I32), C::I32);
  EXPECT_EQ(join(C::F32, C::F32), C::F32);
  EXPECT_EQ(join(C::F64, C::F64), C::F64);
  EXPECT_EQ(join(C::I32, C::F32), C::I32);
  EXPECT_EQ(join(C::F32, C::I32), C::I32);
  EXPECT_EQ(join(C::I32, C::I64), C::I64);
  EXPECT_EQ(join(C::F32, C::F64), C::I64);
  EXPECT_EQ(join(C::F64, C::I32), C::I64);
}

TEST(Flatten, VariantIsTheDiscriminantThenThePositionwiseJoinOfPayloads) {
  EXPECT_EQ(flatten_type(*types::variant({{"a", p(K::F32)}, {"b", p(K::U32)}})),
            (std::vector<C>{C::I32, C::I32}));
  EXPECT_EQ(flatten_type(*types::variant({{"a", p(K::F32)}, {"b", p(K::U64)}})),
            (std::vector<C>{C::I32, C::I64}));
  EXPECT_EQ(flatten_type(*types::variant({{"a", p(K::F64)}, {"b", p(K::F32)}, {"c", nullptr}})),
            (std::vector<C>{C::I32, C::I64}));
  EXPECT_EQ(flatten_type(*types::variant({{"a", types::tuple({p(K::U8), p(K::F32)})}, {"b", p(K::F32)}})),
            (std::vector<C>{C::I32, C::I32, C::F32}));
  EXPECT_EQ(flatten_type(*types::option(p(K::F64))), (std::vector<C>{C::I32, C::F64}));
  EXPECT_EQ(flatten_type(*types::result(p(K::F32), p(K::F32))), (std::vector<C>{C::I32, C::F32}));
  EXPECT_EQ(flatten_type(*types::result(nullptr, nullptr)), (std::vector<C>{C::I32}));
  EXPECT_EQ(flatten_type(*types::enumeration({"a", "b"})), (std::vector<C>{C::I32}));
  EXPECT_EQ(flat_count(*types::variant({{"a", types::tuple({p(K::U8), p(K::U8), p(K::U8)})}, {"b", p(K::F32)}})),
            4u);
}

TEST(Flatten, StringsAndListsArePointerAndLength) {
  EXPECT_EQ(flatten_type(*p(K::String)), (std::vector<C>{C::I32, C::I32}));
  EXPECT_EQ(flatten_type(*types::list(p(K::F64))), (std::vector<C>{C::I32, C::I32}));
  EXPECT_EQ(flatten_type(*types::record({{"a", p(K::U8)}, {"b", p(K::F32)}, {"c", p(K::F64)}})),
            (std::vector<C>{C::I32, C::F32, C::F64}));
}

FuncType func(std::vector<TypeRef> params, TypeRef result, bool is_async = false) {
  FuncType ft;
  ft.is_async = is_async;
  for (size_t i = 0; i < params.size(); ++i) ft.params.push_back({"p" + std::to_string(i), params[i]});
  ft.result = std::move(result);
  return ft;
}

// run_tests.py test_flatten, i32 memory.
TEST(FlattenFunctype, SyncLiftAndLowerMatchTheReferenceCases) {
  std::vector<TypeRef> ps = {p(K::U8), p(K::F32), p(K::F64)};
  FuncType f1 = func(ps, nullptr);
  CoreSignature lift = flatten_functype(f1, FlattenContext::Lift, false, false);
  EXPECT_EQ(lift.params, (std::vector<C>{C::I32, C::F32, C::F64}));
  EXPECT_TRUE(lift.results.empty());

  FuncType f2 = func(ps, types::tuple({p(K::F32)}));
  EXPECT_EQ(flatten_functype(f2, FlattenContext::Lift, false, false).results, (std::vector<C>{C::F32}));

  FuncType f3 = func(ps, types::tuple({p(K::F32), p(K::F32)}));
  CoreSignature l3 = flatten_functype(f3, FlattenContext::Lift, false, false);
  EXPECT_EQ(l3.results, (std::vector<C>{C::I32}));
  EXPECT_TRUE(l3.results_spilled);
  CoreSignature w3 = flatten_functype(f3, FlattenContext::Lower, false, false);
  EXPECT_EQ(w3.params, (std::vector<C>{C::I32, C::F32, C::F64, C::I32}));
  EXPECT_TRUE(w3.results.empty());
  EXPECT_TRUE(w3.results_spilled);

  FuncType f4 = func(std::vector<TypeRef>(17, p(K::U8)), types::tuple({p(K::U8), p(K::U8)}));
  CoreSignature l4 = flatten_functype(f4, FlattenContext::Lift, false, false);
  EXPECT_EQ(l4.params, (std::vector<C>{C::I32}));
  EXPECT_TRUE(l4.params_spilled);
  EXPECT_EQ(l4.results, (std::vector<C>{C::I32}));
  CoreSignature w4 = flatten_functype(f4, FlattenContext::Lower, false, false);
  EXPECT_EQ(w4.params, (std::vector<C>{C::I32, C::I32}));
  EXPECT_TRUE(w4.results.empty());
}

TEST(FlattenFunctype, SixteenFlatParamsStayFlat) {
  FuncType f = func(std::vector<TypeRef>(16, p(K::U8)), nullptr);
  CoreSignature s = flatten_functype(f, FlattenContext::Lift, false, false);
  EXPECT_EQ(s.params.size(), 16u);
  EXPECT_FALSE(s.params_spilled);
}

// Concurrency.md "Async Import ABI" examples.
TEST(FlattenFunctype, AsyncLowerUsesFourFlatParamsAndAnOutPointer) {
  FuncType f = func({p(K::String)}, p(K::U32), true);
  CoreSignature sync = flatten_functype(f, FlattenContext::Lower, false, false);
  EXPECT_EQ(sync.params, (std::vector<C>{C::I32, C::I32}));
  EXPECT_EQ(sync.results, (std::vector<C>{C::I32}));
  CoreSignature async = flatten_functype(f, FlattenContext::Lower, true, false);
  EXPECT_EQ(async.params, (std::vector<C>{C::I32, C::I32, C::I32}));
  EXPECT_EQ(async.results, (std::vector<C>{C::I32}));
  EXPECT_TRUE(async.results_spilled);

  FuncType g = func({types::fixed_list(p(K::U64), 5)}, p(K::String), true);
  CoreSignature gsync = flatten_functype(g, FlattenContext::Lower, false, false);
  EXPECT_EQ(gsync.params, (std::vector<C>{C::I64, C::I64, C::I64, C::I64, C::I64, C::I32}));
  EXPECT_TRUE(gsync.results.empty());
  CoreSignature gasync = flatten_functype(g, FlattenContext::Lower, true, false);
  EXPECT_EQ(gasync.params, (std::vector<C>{C::I32, C::I32}));
  EXPECT_TRUE(gasync.params_spilled);
  EXPECT_EQ(gasync.results, (std::vector<C>{C::I32}));

  FuncType h = func({p(K::U32), p(K::U32), p(K::U32), p(K::U32)}, nullptr, true);
  CoreSignature hasync = flatten_functype(h, FlattenContext::Lower, true, false);
  EXPECT_EQ(hasync.params.size(), 4u);  // no out-pointer without a result
  EXPECT_EQ(hasync.results, (std::vector<C>{C::I32}));
}

TEST(FlattenFunctype, AsyncLiftReturnsTheCallbackCodeOrNothing) {
  FuncType f = func(std::vector<TypeRef>(5, p(K::U32)), p(K::String), true);
  CoreSignature cb = flatten_functype(f, FlattenContext::Lift, true, true);
  EXPECT_EQ(cb.params.size(), 5u);  // lifts keep 16 flat params even when async
  EXPECT_EQ(cb.results, (std::vector<C>{C::I32}));
  CoreSignature stackful = flatten_functype(f, FlattenContext::Lift, true, false);
  EXPECT_TRUE(stackful.results.empty());
  EXPECT_FALSE(stackful.results_spilled);
}

TEST(Layout, SpilledTupleLayoutMatchesTheTupleType) {
  std::vector<TypeRef> ts = {p(K::U8), p(K::U64), p(K::U16)};
  TypeRef t = types::tuple(ts);
  EXPECT_EQ(alignment_of_tuple(ts), alignment(*t));
  EXPECT_EQ(elem_size_of_tuple(ts), elem_size(*t));
  EXPECT_EQ(elem_size_of_tuple(ts), 24u);
}

TEST(Layout, DenseTypesHaveNoBytesThatStoreSkips) {
  EXPECT_TRUE(is_dense(*p(K::U32)));
  EXPECT_TRUE(is_dense(*p(K::String)));
  EXPECT_TRUE(is_dense(*types::tuple({p(K::U32), p(K::U32)})));
  EXPECT_TRUE(is_dense(*types::enumeration({"a", "b"})));
  EXPECT_FALSE(is_dense(*types::tuple({p(K::U8), p(K::U32)})));   // padding after the u8
  EXPECT_FALSE(is_dense(*types::tuple({p(K::U32), p(K::U8)})));   // tail padding
  EXPECT_FALSE(is_dense(*types::option(p(K::U8))));               // none leaves the payload
}

}  // namespace
}  // namespace cm
