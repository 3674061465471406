// The component validator (abi/validate/validator.h): index spaces and resolved types,
// and each validation rule the Canonical ABI relies on, on hand-built binaries. Every
// test names the spec rule it checks (Binary.md, Explainer.md, CanonicalABI.md
// "canonopt Validation" and the built-ins' validation sections).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "binary/reader.h"
#include "validator_builders.h"

namespace cm::validate {
namespace {

using namespace builders;

// ---- index spaces and resolved types ---------------------------------------------------

TEST(Validator, BuildsIndexSpacesInDefinitionOrder) {
  // core func 0 = "f": (i32) -> (i32); component func 0 = import "g"; func 1 = lift of f.
  Bytes b = with({prelude({{{I32}, {I32}, "f"}}),
                  types({functype({{"x", vt(U32)}}, vt(U32))}),
                  import_func("g", 0),
                  canons({lift(0, opts({}), 0), lower(0, opts({}))})});
  ValidatedComponent v = validate(b);
  ASSERT_EQ(v.funcs.size(), 2u);           // import + lift
  ASSERT_EQ(v.core_funcs.size(), 2u);      // alias + lower
  EXPECT_EQ(v.core_memories.size(), 1u);
  EXPECT_EQ(v.core_modules.size(), 1u);
  EXPECT_EQ(v.core_instances.size(), 1u);
  ASSERT_EQ(v.types.size(), 1u);
  EXPECT_EQ(v.types[0]->kind, TypeInfo::Kind::Func);
  ASSERT_EQ(v.funcs[1]->params.size(), 1u);
  EXPECT_EQ(v.funcs[1]->params[0].name, "x");
  EXPECT_EQ(v.funcs[1]->result->kind, TypeKind::U32);
  ASSERT_EQ(v.canons.size(), 2u);
  EXPECT_EQ(v.canons[0].kind, binary::CanonKind::Lift);
  EXPECT_EQ(v.canons[0].defined_index, 1u);
  EXPECT_EQ(v.canons[1].defined_index, 1u);  // the lowered core func
  // flatten_functype(lower, (func (param u32) (result u32))) = [i32] -> [i32]
  EXPECT_EQ(v.canons[1].core_type.params.size(), 1u);
  EXPECT_EQ(v.canons[1].core_type.results.size(), 1u);
  ASSERT_EQ(v.type->imports.size(), 1u);
  EXPECT_EQ(v.type->imports[0].first, "g");
}

TEST(Validator, ResolvesDefinedValueTypes) {
  Bytes rec = Bytes{0x72, 0x02}.name("a").u8(BOOL).name("b").append(idx(0));
  Bytes b = with({types({Bytes{0x70, U8},                              // 0 list<u8>
                         rec,                                            // 1 record {a: bool, b: list<u8>}
                         Bytes{0x6a, 0x01, STRING, 0x00},                // 2 result<string>
                         Bytes{0x6e, 0x02}.name("x").name("y"),          // 3 flags
                         Bytes{0x6d, 0x01}.name("e"),                    // 4 enum
                         Bytes{0x6b}.append(idx(1)),                     // 5 option<record>
                         Bytes{0x63, STRING, U32}})});                   // 6 map<string, u32>
  ValidatedComponent v = validate(b);
  ASSERT_EQ(v.types.size(), 7u);
  EXPECT_EQ(v.types[0]->value->kind, TypeKind::List);
  const ValType& r = *v.types[1]->value;
  EXPECT_EQ(r.kind, TypeKind::Record);
  ASSERT_EQ(r.fields.size(), 2u);
  EXPECT_EQ(r.fields[1].type.get(), v.types[0]->value.get());  // uses share the definition
  EXPECT_EQ(v.types[2]->value->kind, TypeKind::Result);
  EXPECT_EQ(v.types[2]->value->cases[0].type->kind, TypeKind::String);
  EXPECT_EQ(v.types[2]->value->cases[1].type, nullptr);
  EXPECT_EQ(v.types[3]->value->labels.size(), 2u);
  EXPECT_EQ(v.types[4]->value->kind, TypeKind::Enum);
  EXPECT_EQ(v.types[5]->value->cases[1].type.get(), v.types[1]->value.get());
  // 🗺️ map<K,V> despecializes to list<tuple<K,V>>.
  EXPECT_EQ(v.types[6]->value->kind, TypeKind::List);
  EXPECT_EQ(v.types[6]->value->element->kind, TypeKind::Tuple);
}

TEST(Validator, ResourceHandlesCarryTheResourceTypeId) {
  // (type $r (resource (rep i32))) (type (own $r)) (type (borrow $r))
  Bytes b = with({types({Bytes{0x3f, I32, 0x00}, Bytes{0x69, 0x00}, Bytes{0x68, 0x00}})});
  ValidatedComponent v = validate(b);
  ASSERT_EQ(v.types[0]->kind, TypeInfo::Kind::Resource);
  ResourceTypeId r = v.types[0]->resource;
  EXPECT_EQ(v.types[1]->value->kind, TypeKind::Own);
  EXPECT_EQ(v.types[1]->value->resource, r);
  EXPECT_EQ(v.types[2]->value->resource, r);
  ASSERT_GT(v.resources->size(), r);
  EXPECT_EQ((*v.resources)[r].origin, ResourceInfo::Origin::Defined);
  EXPECT_EQ(v.type->defined_resources, std::vector<ResourceTypeId>{r});
}

// Binary.md: "In the (sub resource) case, the new type index refers to a fresh abstract
// type", and each instantiation of a component that defines a resource creates a new one.
TEST(Validator, EachInstantiationDefinesFreshResourceTypes) {
  Bytes inner = component({types({Bytes{0x3f, I32, 0x00}}),
                           section(11, Bytes().u8(1).u8(0).name("r").raw({0x03, 0x00, 0x00}))});
  Bytes inst = Bytes().u8(2).raw({0x00, 0x00, 0x00}).raw({0x00, 0x00, 0x00});  // instantiate twice
  Bytes aliases = Bytes().u8(2).raw({0x03, 0x00, 0x00}).name("r").raw({0x03, 0x00, 0x01}).name("r");
  ValidatedComponent v = validate(with({section(4, inner), section(5, inst), section(6, aliases)}));
  ASSERT_EQ(v.types.size(), 2u);
  ASSERT_EQ(v.types[0]->kind, TypeInfo::Kind::Resource);
  EXPECT_NE(v.types[0]->resource, v.types[1]->resource);
  EXPECT_EQ((*v.resources)[v.types[0]->resource].origin, ResourceInfo::Origin::Instantiated);
  ASSERT_EQ(v.nested.size(), 1u);
  EXPECT_EQ(v.nested[0]->type->exports.size(), 1u);
}

TEST(Validator, ImportedSubResourcesAreDistinctPerImport) {
  Bytes imports = Bytes().u8(2);
  imports.u8(0).name("a").raw({0x03, 0x01});
  imports.u8(0).name("b").raw({0x03, 0x01});
  ValidatedComponent v = validate(with({section(10, imports)}));
  ASSERT_EQ(v.types.size(), 2u);
  EXPECT_NE(v.types[0]->resource, v.types[1]->resource);
  EXPECT_EQ((*v.resources)[v.types[0]->resource].origin, ResourceInfo::Origin::Imported);
  EXPECT_EQ((*v.resources)[v.types[0]->resource].name, "a");
  EXPECT_EQ(v.type->import_resources.size(), 2u);
}

// ---- value type rules (Binary.md "Type Definitions") -----------------------------------

TEST(Validator, RecordsVariantsTuplesFlagsAndEnumsMustNotBeEmpty) {
  expect_invalid(with({types({Bytes{0x72, 0x00}})}), "record type must have at least one field");
  expect_invalid(with({types({Bytes{0x71, 0x00}})}), "variant type must have at least one case");
  expect_invalid(with({types({Bytes{0x6f, 0x00}})}), "tuple type must have at least one type");
  expect_invalid(with({types({Bytes{0x6e, 0x00}})}), "flags must have at least one entry");
  expect_invalid(with({types({Bytes{0x6d, 0x00}})}), "enum type must have at least one variant");
  expect_invalid(with({types({Bytes{0x67, U8, 0x00}})}), "fixed-length list must have at least one element");
}

TEST(Validator, FlagsHaveAtMost32Labels) {
  Bytes f32 = Bytes{0x6e, 32};
  for (int i = 0; i < 32; ++i) f32.name("f" + std::to_string(i));
  EXPECT_NO_THROW(validate(with({types({f32})})));
  Bytes f33 = Bytes{0x6e, 33};
  for (int i = 0; i < 33; ++i) f33.name("f" + std::to_string(i));
  expect_invalid(with({types({f33})}), "cannot have more than 32 flags");
}

TEST(Validator, LabelsAreKebabCaseAndStronglyUnique) {
  expect_invalid(with({types({Bytes{0x72, 0x01}.name("Foo").u8(U8)})}), "record field name `Foo` is not in kebab case");
  expect_invalid(with({types({Bytes{0x72, 0x01}.name("").u8(U8)})}), "record field name cannot be empty");
  expect_invalid(with({types({Bytes{0x72, 0x02}.name("a").u8(U8).name("A").u8(U8)})}),
                 "record field name `A` conflicts with previous field name `a`");
  expect_invalid(with({types({Bytes{0x6d, 0x02}.name("x").name("x")})}), "enum tag name `x` conflicts");
  expect_invalid(with({types({functype({{"a", vt(U8)}, {"a", vt(U8)}})})}),
                 "function parameter name `a` conflicts with previous parameter name `a`");
  EXPECT_NO_THROW(validate(with({types({Bytes{0x72, 0x02}.name("is-XML").u8(U8).name("a1-2-3").u8(U8)})})));
}

TEST(Validator, TypeIndicesMustBeInBoundsAndOfTheRightKind) {
  expect_invalid(with({types({Bytes{0x70, 0x05}})}), "type index out of bounds");
  expect_invalid(with({types({Bytes{STRING}, Bytes{0x69, 0x00}})}), "type index 0 is not a resource type");
  expect_invalid(with({types({functype({}), Bytes{0x70, 0x00}})}), "type index 0 is not a defined type");
}

TEST(Validator, StreamsAndFuturesMayNotCarryBorrowsOrChars) {
  // Binary.md: stream/future element types may not transitively contain a borrow;
  // (stream char) is temporarily invalid; (future char) is fine.
  Bytes res = Bytes{0x3f, I32, 0x00};
  expect_invalid(with({types({res, Bytes{0x68, 0x00}, Bytes{0x66, 0x01, 0x01}})}), "cannot contain a `borrow`");
  expect_invalid(with({types({res, Bytes{0x68, 0x00}, Bytes{0x70, 0x01}, Bytes{0x65, 0x01, 0x02}})}),
                 "cannot contain a `borrow`");
  expect_invalid(with({types({Bytes{0x66, 0x01, CHAR}})}), "`stream<char>` is not valid at this time");
  EXPECT_NO_THROW(validate(with({types({Bytes{0x65, 0x01, CHAR}})})));
}

TEST(Validator, FunctionResultsMayNotContainBorrows) {
  Bytes res = Bytes{0x3f, I32, 0x00};
  expect_invalid(with({types({res, Bytes{0x68, 0x00}, functype({}, idx(1))})}),
                 "function result cannot contain a `borrow` type");
  EXPECT_NO_THROW(validate(with({types({res, Bytes{0x68, 0x00}, functype({{"self", idx(1)}})})})));
}

TEST(Validator, ValueTypesMustBeSmallerThan2To28Bytes) {
  // Binary.md: elem_size(t, 'i64') < 2^28. list<u8, 2^28> is exactly 2^28 bytes.
  expect_invalid(with({types({Bytes{0x67, U8}.u32(1u << 28)})}), "exceeds maximum byte size");
  EXPECT_NO_THROW(validate(with({types({Bytes{0x67, U8}.u32((1u << 28) - 1)})})));
  // string is 16 bytes with 64-bit pointers: list<string, 2^24> is 2^28 bytes.
  expect_invalid(with({types({Bytes{0x67, STRING}.u32(1u << 24)})}), "exceeds maximum byte size");
  ValidateOptions off;
  off.check_max_value_size = false;
  EXPECT_NO_THROW(validate(with({types({Bytes{0x67, U8}.u32(1u << 28)})}), off));
}

TEST(Validator, TypeNestingAndTreeSizeAreBounded) {
  // Types are DAGs: (type 0 u8) (type 1 (tuple 0 0)) (type 2 (tuple 1 1)) ... doubles the
  // tree size with each type; the engine walks types as trees, so the validator bounds
  // depth (100) and tree size (1M) as wasm-tools does.
  Bytes wide = Bytes().u32(25).u8(U8);
  for (uint32_t i = 1; i < 25; ++i) wide.raw({0x6f, 0x02}).append(idx(i - 1)).append(idx(i - 1));
  expect_invalid(with({section(7, wide)}), "effective type size exceeds the limit");
  Bytes deep = Bytes().u32(150).u8(U8);
  for (uint32_t i = 1; i < 150; ++i) deep.u8(0x70).append(idx(i - 1));
  expect_invalid(with({section(7, deep)}), "type nesting is too deep");
  Bytes ok = Bytes().u32(100).u8(U8);
  for (uint32_t i = 1; i < 100; ++i) ok.u8(0x70).append(idx(i - 1));
  EXPECT_NO_THROW(validate(with({section(7, ok)})));
}

TEST(Validator, ResourcesAreDefinedOnlyInConcreteComponents) {
  expect_invalid(with({types({Bytes{0x41, 0x01, 0x01, 0x3f, I32, 0x00}})}),
                 "resources can only be defined within a concrete component");
  expect_invalid(with({types({Bytes{0x3f, I64, 0x00}})}), "resources can only be represented by `i32`");
}

TEST(Validator, ResourceDestructorsTakeTheRep) {
  // Binary.md: the destructor has type [i32] -> [].
  Bytes ok = with({prelude({{{I32}, {}, "dtor"}}), types({Bytes{0x3f, I32, 0x01, 0x00}})});
  EXPECT_NO_THROW(validate(ok));
  expect_invalid(with({prelude({{{I32}, {I32}, "dtor"}}), types({Bytes{0x3f, I32, 0x01, 0x00}})}),
                 "wrong signature for a destructor");
  expect_invalid(with({types({Bytes{0x3f, I32, 0x01, 0x00}})}), "function index out of bounds");
}

// ---- canon lift / lower ----------------------------------------------------------------

TEST(Validator, LiftedCoreFunctionMustHaveTheFlattenedSignature) {
  // (func (param "s" string) (result u32)) lifts from (i32 i32) -> (i32).
  Bytes t = types({functype({{"s", vt(STRING)}}, vt(U32))});
  EXPECT_NO_THROW(validate(with({prelude({{{I32, I32}, {I32}, "f"}, kRealloc}), t,
                                 canons({lift(0, opts({memory_opt(), realloc_opt(1)}), 0)})})));
  expect_invalid(with({prelude({{{I32}, {I32}, "f"}, kRealloc}), t,
                       canons({lift(0, opts({memory_opt(), realloc_opt(1)}), 0)})}),
                 "lowered parameter types `[I32, I32]` do not match parameter types `[I32]`");
  expect_invalid(with({prelude({{{I32, I32}, {}, "f"}, kRealloc}), t,
                       canons({lift(0, opts({memory_opt(), realloc_opt(1)}), 0)})}),
                 "lowered result types `[I32]` do not match result types `[]`");
}

TEST(Validator, LiftRequiresReallocForListParamsAndMemoryForListResults) {
  // lift(T) requires realloc if T contains a list or string; lower(T) requires memory.
  Bytes tp = types({functype({{"s", vt(STRING)}})});
  expect_invalid(with({prelude({{{I32, I32}, {}, "f"}}), tp, canons({lift(0, opts({}), 0)})}),
                 "canonical option `memory` is required");
  expect_invalid(with({prelude({{{I32, I32}, {}, "f"}}), tp, canons({lift(0, opts({memory_opt()}), 0)})}),
                 "canonical option `realloc` is required");
  Bytes tr = types({functype({}, vt(STRING))});
  expect_invalid(with({prelude({{{}, {I32}, "f"}}), tr, canons({lift(0, opts({}), 0)})}),
                 "canonical option `memory` is required");
  EXPECT_NO_THROW(validate(with({prelude({{{}, {I32}, "f"}}), tr, canons({lift(0, opts({memory_opt()}), 0)})})));
}

TEST(Validator, StreamsAndFuturesOfStringsNeedNoMemoryInTheFunctionThatPassesThem) {
  // A stream or future is a handle (an i32); its elements are lifted and lowered by the
  // stream/future built-ins, so `() -> stream<string>` lifts without memory (wasmparser's
  // contains_ptr; wit-component emits such lifts).
  Bytes tr = types({Bytes{0x66, 0x01, STRING}, functype({}, Bytes().u8(0x00))});
  EXPECT_NO_THROW(validate(with({prelude({{{}, {I32}, "f"}}), tr, canons({lift(0, opts({}), 1)})})));
  Bytes tp = types({Bytes{0x65, 0x01, STRING}, functype({{"f", Bytes().u8(0x00)}})});
  EXPECT_NO_THROW(validate(with({prelude({{{I32}, {}, "f"}}), tp, canons({lift(0, opts({}), 1)})})));
}

TEST(Validator, SpilledParamsAndResultsNeedReallocAndMemory) {
  // 17 u32 params > MAX_FLAT_PARAMS: passed as one pointer, allocated with realloc.
  std::vector<std::pair<std::string, Bytes>> params;
  for (int i = 0; i < 17; ++i) params.push_back({"p" + std::to_string(i), vt(U32)});
  Bytes t = types({functype(params)});
  expect_invalid(with({prelude({{{I32}, {}, "f"}, kRealloc}), t, canons({lift(0, opts({memory_opt()}), 0)})}),
                 "canonical option `realloc` is required");
  EXPECT_NO_THROW(validate(with({prelude({{{I32}, {}, "f"}, kRealloc}), t,
                                 canons({lift(0, opts({memory_opt(), realloc_opt(1)}), 0)})})));
  // A tuple<u32, u32> result > MAX_FLAT_RESULTS: returned through memory.
  Bytes tt = types({Bytes{0x6f, 0x02, U32, U32}, functype({}, idx(0))});
  expect_invalid(with({prelude({{{}, {I32}, "f"}}), tt, canons({lift(0, opts({}), 1)})}),
                 "canonical option `memory` is required");
}

TEST(Validator, PostReturnTakesTheCoreResultsAndOnlyOnSyncLift) {
  Bytes t = types({functype({}, vt(U32))});
  EXPECT_NO_THROW(validate(with({prelude({{{}, {I32}, "f"}, {{I32}, {}, "post"}}), t,
                                 canons({lift(0, opts({post_return_opt(1)}), 0)})})));
  expect_invalid(with({prelude({{{}, {I32}, "f"}, {{}, {}, "post"}}), t, canons({lift(0, opts({post_return_opt(1)}), 0)})}),
                 "canonical option `post-return` uses a core function with an incorrect signature");
  expect_invalid(with({prelude({{{}, {}, "f"}}), types({functype({})}), import_func("g", 0),
                       canons({lower(0, opts({post_return_opt(0)}))})}),
                 "canonical option `post-return` cannot be specified for lowerings");
}

TEST(Validator, AsyncOptionOnlyWithAsyncFunctionTypes) {
  // test/async/validate-no-async-abi-for-sync-type.wast
  Bytes sync_t = types({functype({})});
  expect_invalid(with({prelude({{{}, {I32}, "f"}, {{I32, I32, I32}, {I32}, "cb"}}), sync_t,
                       canons({lift(0, opts({async_opt(), callback_opt(1)}), 0)})}),
                 "the `async` canonical option requires an async function type");
  expect_invalid(with({sync_t, import_func("g", 0), section(1, core_module({}, true)),
                       section(2, Bytes{0x01, 0x00, 0x00, 0x00}), section(6, Bytes().u8(1).raw({0x00, 0x02, 0x01, 0x00}).name("mem")),
                       canons({lower(0, opts({async_opt(), memory_opt()}))})}),
                 "the `async` canonical option requires an async function type");
}

TEST(Validator, AsyncLiftNeedsACallbackWithTheRightSignature) {
  Bytes async_t = types({functype({}, std::nullopt, /*is_async=*/true)});
  Bytes ok = with({prelude({{{}, {I32}, "f"}, {{I32, I32, I32}, {I32}, "cb"}}), async_t,
                   canons({lift(0, opts({async_opt(), callback_opt(1)}), 0)})});
  ValidatedComponent v = validate(ok);
  EXPECT_TRUE(v.funcs[0]->is_async);
  EXPECT_TRUE(v.canons[0].options.async_);
  EXPECT_EQ(v.canons[0].options.callback, 1u);
  expect_invalid(with({prelude({{{}, {}, "f"}}), async_t, canons({lift(0, opts({async_opt()}), 0)})}),
                 "canonical option `callback` is required");
  ValidateOptions stackful;
  stackful.allow_async_stackful = true;
  EXPECT_NO_THROW(validate(with({prelude({{{}, {}, "f"}}), async_t, canons({lift(0, opts({async_opt()}), 0)})}), stackful));
  expect_invalid(with({prelude({{{}, {I32}, "f"}, {{I32}, {I32}, "cb"}}), async_t,
                       canons({lift(0, opts({async_opt(), callback_opt(1)}), 0)})}),
                 "canonical option `callback` uses a core function with an incorrect signature");
  expect_invalid(with({prelude({{{}, {}, "f"}, {{I32, I32, I32}, {I32}, "cb"}}), types({functype({})}),
                       canons({lift(0, opts({callback_opt(1)}), 0)})}),
                 "cannot specify callback without async");
  expect_invalid(with({prelude({{{}, {I32}, "f"}, {{I32, I32, I32}, {I32}, "cb"}}), async_t,
                       canons({lift(0, opts({async_opt(), callback_opt(1), post_return_opt(1)}), 0)})}),
                 "cannot specify post-return function in async");
}

TEST(Validator, EachCanonOptionAtMostOnce) {
  Bytes t = types({functype({})});
  Bytes p = prelude({{{}, {}, "f"}, kRealloc});
  expect_invalid(with({p, t, canons({lift(0, opts({Bytes{0x00}, Bytes{0x01}}), 0)})}),
                 "canonical encoding option `utf8` conflicts with option `utf16`");
  expect_invalid(with({p, t, canons({lift(0, opts({Bytes{0x00}, Bytes{0x00}}), 0)})}),
                 "canonical encoding option `utf8` conflicts with option `utf8`");
  expect_invalid(with({p, t, canons({lift(0, opts({memory_opt(), memory_opt()}), 0)})}),
                 "canonical option `memory` is specified more than once");
  expect_invalid(with({p, t, canons({lift(0, opts({realloc_opt(1)}), 0)})}),
                 "canonical option `realloc` requires `memory` to also be specified");
  expect_invalid(with({p, t, canons({lift(0, opts({memory_opt(), realloc_opt(0)}), 0)})}),
                 "canonical option `realloc` uses a core function with an incorrect signature");
  expect_invalid(with({p, t, canons({lift(0, opts({memory_opt(3)}), 0)})}), "memory index out of bounds");
}

TEST(Validator, LowerComputesTheCoreSignatureAndRequiredOptions) {
  // (func (param "s" string) (result string)) lowers sync to (i32 i32 i32) -> ():
  // params flat, result through a caller-supplied out-pointer.
  Bytes base = with({prelude({kRealloc}), types({functype({{"s", vt(STRING)}}, vt(STRING))}), import_func("g", 0)});
  Bytes ok = base;
  ok.append(canons({lower(0, opts({memory_opt(), realloc_opt(0)}))}));
  ValidatedComponent v = validate(ok);
  ASSERT_EQ(v.canons.size(), 1u);
  EXPECT_EQ(v.canons[0].core_type.params.size(), 3u);
  EXPECT_EQ(v.canons[0].core_type.results.size(), 0u);
  EXPECT_EQ(v.canons[0].options.memory, 0u);
  Bytes no_realloc = base;
  no_realloc.append(canons({lower(0, opts({memory_opt()}))}));
  expect_invalid(no_realloc, "canonical option `realloc` is required");
  Bytes no_memory = base;
  no_memory.append(canons({lower(0, opts({}))}));
  expect_invalid(no_memory, "canonical option `memory` is required");
}

TEST(Validator, AsyncLowerSpillsParamsBeyondFourAndResultsAlways) {
  // MAX_FLAT_ASYNC_PARAMS = 4: five u32 params travel in memory.
  std::vector<std::pair<std::string, Bytes>> five;
  for (int i = 0; i < 5; ++i) five.push_back({"p" + std::to_string(i), vt(U32)});
  Bytes b = with({types({functype(five, std::nullopt, true)}), import_func("g", 0), canons({lower(0, opts({async_opt()}))})});
  expect_invalid(b, "canonical option `memory` is required");
  Bytes r = with({types({functype({}, vt(U32), true)}), import_func("g", 0), canons({lower(0, opts({async_opt()}))})});
  expect_invalid(r, "canonical option `memory` is required");
  // An async function with few params and no result lowers without memory (as the
  // spec's tests run on Wasmtime expect).
  Bytes ok = with({types({functype({{"a", vt(U32)}}, std::nullopt, true)}), import_func("g", 0),
                   canons({lower(0, opts({async_opt()}))})});
  ValidatedComponent v = validate(ok);
  // flatten_functype(async lower): [i32] -> [i32] (packed status).
  EXPECT_EQ(v.canons[0].core_type.params.size(), 1u);
  EXPECT_EQ(v.canons[0].core_type.results.size(), 1u);
}

// ---- resource and async built-ins ------------------------------------------------------

TEST(Validator, ResourceNewAndRepOnlyForLocallyDefinedResources) {
  Bytes local = with({types({Bytes{0x3f, I32, 0x00}}), canons({Bytes{0x02, 0x00}, Bytes{0x04, 0x00}, Bytes{0x03, 0x00}})});
  ValidatedComponent v = validate(local);
  ASSERT_EQ(v.core_funcs.size(), 3u);
  // resource.new: [i32] -> [i32]; resource.rep: [i32] -> [i32]; resource.drop: [i32] -> []
  EXPECT_EQ(v.core_funcs[0].func.params.size(), 1u);
  EXPECT_EQ(v.core_funcs[0].func.results.size(), 1u);
  EXPECT_EQ(v.core_funcs[2].func.results.size(), 0u);
  EXPECT_EQ(v.canons[0].resource, v.types[0]->resource);
  Bytes imported = with({section(10, Bytes().u8(1).u8(0).name("r").raw({0x03, 0x01})), canons({Bytes{0x02, 0x00}})});
  expect_invalid(imported, "is not a local resource");
  Bytes imported_rep = with({section(10, Bytes().u8(1).u8(0).name("r").raw({0x03, 0x01})), canons({Bytes{0x04, 0x00}})});
  expect_invalid(imported_rep, "is not a local resource");
  // resource.drop works on any resource.
  EXPECT_NO_THROW(validate(with({section(10, Bytes().u8(1).u8(0).name("r").raw({0x03, 0x01})), canons({Bytes{0x03, 0x00}})})));
  expect_invalid(with({types({Bytes{STRING}}), canons({Bytes{0x03, 0x00}})}), "is not a resource type");
}

TEST(Validator, TaskReturnTakesOnlyMemoryAndStringEncoding) {
  Bytes p = prelude({kRealloc});
  // task.return (result string): flat (i32 i32) -> [], needs memory to read the string.
  ValidatedComponent v = validate(with({p, canons({Bytes{0x09, 0x00, STRING}.append(opts({memory_opt()}))})}));
  EXPECT_EQ(v.canons[0].core_type.params.size(), 2u);
  EXPECT_EQ(v.canons[0].func_type->params.size(), 1u);
  expect_invalid(with({p, canons({Bytes{0x09, 0x00, STRING}.append(opts({}))})}), "canonical option `memory` is required");
  expect_invalid(with({p, canons({Bytes{0x09, 0x01, 0x00}.append(opts({memory_opt(), realloc_opt(0)}))})}),
                 "cannot specify `realloc` option on `task.return`");
  expect_invalid(with({p, canons({Bytes{0x09, 0x01, 0x00}.append(opts({async_opt()}))})}),
                 "cannot specify `async` option on `task.return`");
}

TEST(Validator, CancellableImmediateMustNowBeZero) {
  // component-model#716: the `cancellable` byte of waitable-set.wait/poll and thread.*
  // must be 0 (wasm-tools 0.259 rejects the text form).
  Bytes mem = prelude({});
  expect_invalid(with({mem, canons({Bytes{0x20, 0x01, 0x00}})}), "`cancellable` immediate");
  expect_invalid(with({canons({Bytes{0x0c, 0x01}})}), "`cancellable` immediate");
  EXPECT_NO_THROW(validate(with({mem, canons({Bytes{0x20, 0x00, 0x00}, Bytes{0x21, 0x00, 0x00}, Bytes{0x0c, 0x00}})})));
  ValidateOptions legacy;
  legacy.allow_legacy_cancellable = true;
  EXPECT_NO_THROW(validate(with({mem, canons({Bytes{0x20, 0x01, 0x00}, Bytes{0x0c, 0x01}})}), legacy));
  expect_invalid(with({canons({Bytes{0x20, 0x00, 0x00}})}), "memory index out of bounds");
}

TEST(Validator, ContextGetAndSetUseI32SlotsZeroAndOne) {
  ValidatedComponent v = validate(with({canons({Bytes{0x0a, I32, 0x01}, Bytes{0x0b, I32, 0x00}})}));
  EXPECT_EQ(v.core_funcs[0].func.results.size(), 1u);
  EXPECT_EQ(v.core_funcs[1].func.params.size(), 1u);
  expect_invalid(with({canons({Bytes{0x0a, I32, 0x02}})}), "must be less than 2");
  expect_invalid(with({canons({Bytes{0x0a, I64, 0x00}})}), "only supports the `i32` type");
}

TEST(Validator, StreamAndFutureBuiltinsCheckTheirTypeAndOptions) {
  Bytes p = prelude({kRealloc});
  Bytes t = types({Bytes{0x66, 0x01, U8}, Bytes{0x65, 0x00}, Bytes{0x66, 0x01, STRING}, Bytes{U32}});
  ValidatedComponent v = validate(with({p, t, canons({Bytes{0x0e, 0x00},
                                                       Bytes{0x0f, 0x00}.append(opts({async_opt(), memory_opt()})),
                                                       Bytes{0x16, 0x01}.append(opts({async_opt()})),
                                                       Bytes{0x11, 0x00, 0x01}, Bytes{0x1b, 0x01}})}));
  // stream.new: [] -> [i64]; stream.read: [i32 i32 i32] -> [i32]; future.read: [i32 i32] -> [i32]
  EXPECT_EQ(v.canons[0].core_type.results[0].kind, binary::CoreValType::Kind::I64);
  EXPECT_EQ(v.canons[1].core_type.params.size(), 3u);
  EXPECT_EQ(v.canons[2].core_type.params.size(), 2u);
  EXPECT_EQ(v.canons[1].stream_or_future->element->kind, TypeKind::U8);
  EXPECT_TRUE(v.canons[3].options.async_);
  // An element type needs a memory; reading strings needs realloc too (lift(T)).
  expect_invalid(with({p, t, canons({Bytes{0x0f, 0x00}.append(opts({async_opt()}))})}), "canonical option `memory` is required");
  expect_invalid(with({p, t, canons({Bytes{0x0f, 0x02}.append(opts({async_opt(), memory_opt()}))})}),
                 "canonical option `realloc` is required");
  EXPECT_NO_THROW(validate(with({p, t, canons({Bytes{0x10, 0x02}.append(opts({async_opt(), memory_opt()}))})})));
  expect_invalid(with({p, t, canons({Bytes{0x0e, 0x01}})}), "`stream.new` requires a stream type");
  expect_invalid(with({p, t, canons({Bytes{0x15, 0x03}})}), "`future.new` requires a future type");
}

TEST(Validator, ErrorContextBuiltinsNeedMemory) {
  Bytes p = prelude({kRealloc});
  EXPECT_NO_THROW(validate(with({p, canons({Bytes{0x1c}.append(opts({memory_opt()})),
                                            Bytes{0x1d}.append(opts({memory_opt(), realloc_opt(0)})), Bytes{0x1e}})})));
  expect_invalid(with({p, canons({Bytes{0x1c}.append(opts({}))})}), "canonical option `memory` is required");
  expect_invalid(with({p, canons({Bytes{0x1d}.append(opts({memory_opt()}))})}), "canonical option `realloc` is required");
}

TEST(Validator, SharedEverythingThreadBuiltinsAreRejected) {
  expect_invalid(with({canons({Bytes{0x42, 0x00}})}), "is not supported");
}

// ---- imports, exports and names --------------------------------------------------------

TEST(Validator, ImportNamesAreValidAndStronglyUnique) {
  Bytes t = types({functype({})});
  expect_invalid(with({t, import_func("Foo", 0)}), "is not a valid extern name");
  expect_invalid(with({t, import_func("", 0)}), "is not a valid extern name");
  expect_invalid(with({t, import_func("a:b/c@1.", 0)}), "unexpected end of input");
  expect_invalid(with({t, import_func("foo:bar/baz/qux", 0)}), "trailing characters found: `/qux`");
  Bytes two = Bytes().u8(2).u8(0).name("foo-bar").raw({0x01, 0x00}).u8(0).name("FOO-bar").raw({0x01, 0x00});
  expect_invalid(with({t, section(10, two)}), "import name `FOO-bar` conflicts with previous name `foo-bar`");
  Bytes versions = Bytes().u8(3);
  versions.u8(0).name("wasi:http/types").raw({0x01, 0x00});
  versions.u8(0).name("wasi:http/types@0.2.0").raw({0x01, 0x00});
  versions.u8(0).name("a:b/c@0.0.0-abcd.1.2+efg.4.ee.5").raw({0x01, 0x00});
  EXPECT_NO_THROW(validate(with({t, section(10, versions)})));
}

TEST(Validator, AnnotatedNamesFollowTheirResource) {
  // Explainer.md: [constructor]R returns (own R); [method]R.m takes (param "self" (borrow R)).
  Bytes imports = Bytes().u8(3);
  imports.u8(0).name("r").raw({0x03, 0x01});                 // type 0: (sub resource)
  Bytes t = types({Bytes{0x69, 0x00}, Bytes{0x68, 0x00}, functype({}, idx(1)), functype({{"self", idx(2)}})});
  imports.u8(0).name("[constructor]r").raw({0x01, 0x03});
  imports.u8(0).name("[method]r.m").raw({0x01, 0x04});
  // The type section must come after "r" is imported: split the imports.
  Bytes first = section(10, Bytes().u8(1).u8(0).name("r").raw({0x03, 0x01}));
  Bytes rest = section(10, Bytes().u8(2).u8(0).name("[constructor]r").raw({0x01, 0x03}).u8(0).name("[method]r.m").raw({0x01, 0x04}));
  EXPECT_NO_THROW(validate(with({first, t, rest})));
  Bytes bad_ctor = section(10, Bytes().u8(1).u8(0).name("[constructor]r").raw({0x01, 0x04}));
  expect_invalid(with({first, t, bad_ctor}), "should return");
  Bytes bad_method = section(10, Bytes().u8(1).u8(0).name("[method]r.m").raw({0x01, 0x03}));
  expect_invalid(with({first, t, bad_method}), "should have at least one argument");
  Bytes static_unknown = section(10, Bytes().u8(1).u8(0).name("[static]q.m").raw({0x01, 0x03}));
  expect_invalid(with({first, t, static_unknown}), "static resource name is not known in this context");
  expect_invalid(with({types({functype({})}), import_func("[method]a", 0)}), "failed to find `.` character");
  // [method]a.a has the strong-uniqueness key "a".
  Bytes clash = section(10, Bytes().u8(1).u8(0).name("[method]r.r").raw({0x01, 0x04}));
  expect_invalid(with({first, t, clash}), "import name `[method]r.r` conflicts with previous name `r`");
}

TEST(Validator, ImplementsIsOnlyForInstancesWithPlainNames) {
  Bytes it = types({Bytes{0x42, 0x00}, functype({})});
  auto imp = [](const std::string& name, const std::string& implements, uint8_t kind, uint8_t type) {
    return section(10, Bytes().u8(1).u8(0x02).name(name).u8(1).u8(0x00).name(implements).u8(kind).u8(type));
  };
  EXPECT_NO_THROW(validate(with({it, imp("a", "a:b/c", 0x05, 0)})));
  expect_invalid(with({it, imp("a", "a:b/c", 0x01, 1)}), "only instances can have an `implements`");
  expect_invalid(with({it, imp("a1:b/c", "a2:b/c", 0x05, 0)}), "name `a1:b/c` is not valid with `implements`");
  expect_invalid(with({it, imp("a", "not-valid", 0x05, 0)}), "must be an interface");
}

TEST(Validator, ExportedFunctionsMustNameTheirResources) {
  // Explainer.md "External Visibility of Types": a resource used by an export's type
  // needs an externally visible name.
  Bytes p = prelude({{{}, {I32}, "f"}});
  Bytes t = types({Bytes{0x3f, I32, 0x00}, Bytes{0x69, 0x00}, functype({}, idx(1))});
  Bytes bad = with({p, t, canons({lift(0, opts({}), 2)}), export_item("f", 0x01, 0)});
  expect_invalid(bad, "func not valid to be used as export");
  // Exporting the resource first makes it visible; exports may also use imports.
  Bytes ok = with({p, t, export_item("r", 0x03, 0), types({Bytes{0x69, 0x03}, functype({}, idx(4))}),
                   canons({lift(0, opts({}), 5)}), export_item("f", 0x01, 0)});
  EXPECT_NO_THROW(validate(ok));
}

TEST(Validator, ExportingAResourceNamesOnlyTheTypeIndexTheExportIntroduces) {
  // Explainer.md "External Visibility of Types": `(export $R' "r" (type $R))` makes $R'
  // visible, not $R; a function typed with $R still cannot be exported as it is.
  Bytes p = prelude({{{}, {I32}, "f"}});
  Bytes t = types({Bytes{0x3f, I32, 0x00}, Bytes{0x69, 0x00}, functype({}, idx(1))});  // $R, own $R, func
  Bytes lifted = canons({lift(0, opts({}), 2)});
  Bytes export_r = export_item("r", 0x03, 0);  // type 3: $R'
  Bytes bad = with({p, t, lifted, export_r, export_item("f", 0x01, 0)});
  expect_invalid(bad, "func not valid to be used as export");
  expect_invalid(bad, "is used through a type index that has no externally visible name");
  // Ascribing a type written with $R' makes the export valid.
  Bytes ascribed_t = types({Bytes{0x69, 0x03}, functype({}, idx(4))});  // own $R', func -> own $R'
  Bytes ascribed = section(11, Bytes().u8(1).u8(0).name("f").raw({0x01, 0x00}).raw({0x01, 0x01, 0x05}));
  EXPECT_NO_THROW(validate(with({p, t, lifted, export_r, ascribed_t, ascribed})));
}

TEST(Validator, AnImportOfAnEqualTypeIsANewNameForAnnotatedNames) {
  // `(import "b" (type $b (eq $a)))` introduces $b; `[constructor]b` must return (own $b),
  // and (own $a) belongs to the name "a".
  Bytes a_and_b = section(10, Bytes().u8(2).u8(0).name("a").raw({0x03, 0x01}).u8(0).name("b").raw({0x03, 0x00, 0x00}));
  Bytes t = types({Bytes{0x69, 0x00}, functype({}, idx(2)), Bytes{0x69, 0x01}, functype({}, idx(4))});
  expect_invalid(with({a_and_b, t, import_func("[constructor]b", 3)}), "function does not match expected resource name `a`");
  EXPECT_NO_THROW(validate(with({a_and_b, t, import_func("[constructor]b", 5)})));
}

TEST(Validator, ABagOfExportsNamesNoResourceForAnnotatedNames) {
  // Binary.md: the resource of [constructor]R must be imported or exported in the same
  // component, component type or instance type. An instance made of inline exports
  // introduces no type index, so it names none.
  Bytes p = prelude({{{}, {I32}, "f"}});
  Bytes t = types({Bytes{0x3f, I32, 0x00}, Bytes{0x69, 0x00}, functype({}, idx(1))});
  Bytes lifted = canons({lift(0, opts({}), 2)});
  auto bag = [](const std::string& annotated) {
    return section(5, Bytes().u8(1).u8(0x01).u8(2).u8(0).name("a").raw({0x03, 0x00}).u8(0).name(annotated).raw({0x01, 0x00}));
  };
  expect_invalid(with({p, t, lifted, bag("[constructor]a")}), "resource used in function does not have a name in this context");
  expect_invalid(with({p, t, lifted, bag("[static]a.make")}), "static resource name is not known in this context");
  // The same pair exported from the component itself is valid once the constructor uses
  // the type index the export of "a" introduced.
  Bytes named = types({Bytes{0x69, 0x03}, functype({}, idx(4))});
  EXPECT_NO_THROW(validate(with({p, t, export_item("a", 0x03, 0), named, canons({lift(0, opts({}), 5)}),
                                 export_item("[constructor]a", 0x01, 0)})));
}

TEST(Validator, ImportsCannotUseLocallyDefinedTypes) {
  Bytes b = with({types({Bytes{0x3f, I32, 0x00}, Bytes{0x69, 0x00}, functype({}, idx(1))}), import_func("f", 2)});
  expect_invalid(b, "func not valid to be used as import");
  Bytes rec = with({types({Bytes{0x72, 0x01}.name("x").u8(U32), functype({}, idx(0))}), import_func("f", 1)});
  expect_invalid(rec, "func not valid to be used as import");
}

TEST(Validator, ExportAscriptionMustBeASupertype) {
  Bytes p = prelude({{{}, {}, "f"}});
  Bytes t = types({functype({}), functype({{"x", vt(U32)}})});
  Bytes ok = with({p, t, canons({lift(0, opts({}), 0)}),
                   section(11, Bytes().u8(1).u8(0).name("f").raw({0x01, 0x00}).raw({0x01, 0x01, 0x00}))});
  EXPECT_NO_THROW(validate(ok));
  Bytes bad = with({p, t, canons({lift(0, opts({}), 0)}),
                    section(11, Bytes().u8(1).u8(0).name("f").raw({0x01, 0x00}).raw({0x01, 0x01, 0x01}))});
  expect_invalid(bad, "ascribed type of export is not compatible");
}

// ---- instances, aliases ----------------------------------------------------------------

TEST(Validator, InstantiationArgumentsMustMatchTheImports) {
  // (component $C (import "x" (func (param "a" u32))))
  Bytes inner = component({types({functype({{"a", vt(U32)}})}), import_func("x", 0)});
  Bytes p = prelude({{{I32}, {}, "f"}, {{}, {}, "g"}});
  Bytes t = types({functype({{"a", vt(U32)}}), functype({})});
  Bytes lifts = canons({lift(0, opts({}), 0), lift(1, opts({}), 1)});
  auto inst = [](uint32_t func) {
    return section(5, Bytes().u8(1).raw({0x00, 0x00, 0x01}).name("x").u8(0x01).u32(func));
  };
  EXPECT_NO_THROW(validate(with({p, t, lifts, section(4, inner), inst(0)})));
  expect_invalid(with({p, t, lifts, section(4, inner), inst(1)}), "type mismatch in import `x`: expected 1 parameters, found 0");
  expect_invalid(with({p, t, lifts, section(4, inner), section(5, Bytes{0x01, 0x00, 0x00, 0x00})}),
                 "missing import named `x`");
  expect_invalid(with({section(5, Bytes{0x01, 0x00, 0x00, 0x00})}), "component index out of bounds");
}

TEST(Validator, AliasesResolveExportsAndOuterScopes) {
  // instance 0 = (instance (export "t" (type 0))); alias its "t"; nested component
  // aliases the outer type.
  Bytes t = types({Bytes{STRING}});
  Bytes bag = section(5, Bytes().u8(1).raw({0x01, 0x01, 0x00}).name("t").raw({0x03, 0x00}));
  Bytes alias_t = section(6, Bytes().u8(1).raw({0x03, 0x00, 0x00}).name("t"));
  Bytes inner = component({section(6, Bytes{0x01, 0x03, 0x02, 0x01, 0x00})});
  ValidatedComponent v = validate(with({t, bag, alias_t, section(4, inner)}));
  ASSERT_EQ(v.types.size(), 2u);
  EXPECT_EQ(v.types[1]->value->kind, TypeKind::String);
  ASSERT_EQ(v.nested.size(), 1u);
  ASSERT_EQ(v.nested[0]->types.size(), 1u);
  EXPECT_EQ(v.nested[0]->types[0]->value->kind, TypeKind::String);
  expect_invalid(with({t, section(6, Bytes{0x01, 0x03, 0x02, 0x01, 0x00})}), "invalid outer alias count of 1");
  expect_invalid(with({t, bag, section(6, Bytes().u8(1).raw({0x03, 0x00, 0x00}).name("u"))}),
                 "instance 0 has no export named `u`");
  expect_invalid(with({t, bag, section(6, Bytes().u8(1).raw({0x01, 0x00, 0x00}).name("t"))}),
                 "export `t` for instance 0 is not a func");
}

TEST(Validator, OuterAliasesMayNotCarryResourcesIntoNestedComponents) {
  Bytes t = types({Bytes{0x3f, I32, 0x00}, Bytes{0x69, 0x00}});
  Bytes inner = component({section(6, Bytes{0x01, 0x03, 0x02, 0x01, 0x01})});
  expect_invalid(with({t, section(4, inner)}), "transitively refers to resources");
  // ... but types inside a type definition may (no component boundary is crossed).
  Bytes it = types({Bytes{0x42, 0x01, 0x02, 0x03, 0x02, 0x01, 0x01}});
  EXPECT_NO_THROW(validate(with({t, it})));
}

TEST(Validator, CoreInstantiationChecksImportsAgainstArguments) {
  // Module A exports "f": () -> (); module B imports "m" "f": () -> ().
  Bytes a = core_module({{{}, {}, "f"}}, false);
  Bytes b = module_preamble();
  b.section(1, Bytes{0x01, 0x60, 0x00, 0x00});
  b.section(2, Bytes().u8(1).name("m").name("f").raw({0x00, 0x00}));
  Bytes b_i32 = module_preamble();
  b_i32.section(1, Bytes{0x01, 0x60, 0x01, I32, 0x00});
  b_i32.section(2, Bytes().u8(1).name("m").name("f").raw({0x00, 0x00}));
  auto inst = [](const std::string& arg) {
    return section(2, Bytes().u8(2).raw({0x00, 0x00, 0x00}).raw({0x00, 0x01, 0x01}).name(arg).raw({0x12, 0x00}));
  };
  EXPECT_NO_THROW(validate(with({section(1, a), section(1, b), inst("m")})));
  expect_invalid(with({section(1, a), section(1, b), inst("x")}), "missing module instantiation argument named `m`");
  expect_invalid(with({section(1, a), section(1, b_i32), inst("m")}),
                 "type mismatch for export `f` of module instantiation argument `m`");
  expect_invalid(with({section(1, a), section(2, Bytes().u8(1).raw({0x00, 0x00, 0x00})),
                       section(6, Bytes().u8(1).raw({0x00, 0x00, 0x01, 0x00}).name("g"))}),
                 "core instance 0 has no export named `g`");
}

TEST(Validator, CoreModulesMayNotImportTheSameNameTwice) {
  Bytes m = module_preamble();
  m.section(1, Bytes{0x01, 0x60, 0x00, 0x00});
  m.section(2, Bytes().u8(2).name("").name("a").raw({0x00, 0x00}).name("").name("a").raw({0x00, 0x00}));
  expect_invalid(with({section(1, m)}), "duplicate import name `:a`");
}

TEST(Validator, ValuesAndStartAreNotSupported) {
  expect_invalid(with({section(9, Bytes{0x00, 0x00, 0x00})}), "not supported");
  expect_invalid(with({section(12, Bytes{0x01, BOOL, 0x01, 0x01})}), "not supported");
}

// ---- robustness ------------------------------------------------------------------------

TEST(Validator, ByteFlipsOnlyEverYieldCompileErrors) {
  Bytes inner = component({types({functype({{"a", vt(U32)}})}), import_func("x", 0)});
  Bytes b = with({prelude({{{I32}, {}, "f"}, kRealloc}), types({functype({{"a", vt(U32)}}), Bytes{0x3f, I32, 0x00}, Bytes{0x69, 0x01}}),
                  canons({lift(0, opts({memory_opt(), realloc_opt(1)}), 0), Bytes{0x02, 0x01}}),
                  section(4, inner), section(5, Bytes().u8(1).raw({0x00, 0x00, 0x01}).name("x").raw({0x01, 0x00})),
                  export_item("r", 0x03, 1)});
  ASSERT_NO_THROW(validate(b));
  std::vector<uint8_t> bytes = b.bytes();
  for (size_t i = 8; i < bytes.size(); ++i) {
    for (uint8_t v : {uint8_t{0x00}, uint8_t{0x01}, uint8_t{0x02}, uint8_t{0x7f}, uint8_t{0xff}}) {
      std::vector<uint8_t> m = bytes;
      m[i] = v;
      try {
        binary::Component c = binary::read_component(m);
        validate_component(c, m);
      } catch (const CompileError&) {
      }
    }
  }
}

TEST(Validator, ManyInstantiationsOfABigTypeHitTheWorkBudgetNotTheClock) {
  // A component with 1000 exported types that mention its resource, instantiated 5000
  // times: each instantiation copies the types (fresh resources), so the validator stops
  // at its work budget instead of allocating millions of nodes.
  // Type 0 is the resource, 1 the index its export "r" introduces, 2 `own` of that one.
  Bytes exports = Bytes().u32(1000);
  for (int i = 0; i < 1000; ++i) exports.u8(0).name("t" + std::to_string(i)).raw({0x03, 0x02, 0x00});
  Bytes inner = component({types({Bytes{0x3f, I32, 0x00}}), export_item("r", 0x03, 0), types({Bytes{0x69, 0x01}}),
                           section(11, exports)});
  EXPECT_NO_THROW(validate(with({section(4, inner), section(5, Bytes{0x01, 0x00, 0x00, 0x00})})));
  Bytes inst = Bytes().u32(5000);
  for (int i = 0; i < 5000; ++i) inst.raw({0x00, 0x00, 0x00});
  expect_invalid(with({section(4, inner), section(5, inst)}), "too complex");
}

// Validates every component under $CM_TEST_VALID_WASM_DIR (all must be valid; the spec's
// stackful-async tests need allow_async_stackful).
TEST(Validator, ValidatesEveryComponentInValidWasmDir) {
  const char* dir = std::getenv("CM_TEST_VALID_WASM_DIR");
  if (!dir) GTEST_SKIP() << "CM_TEST_VALID_WASM_DIR not set";
  ValidateOptions options;
  options.allow_async_stackful = true;
  size_t count = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".wasm") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!binary::is_component_binary(bytes)) continue;
    ++count;
    try {
      binary::Component c = binary::read_component(bytes);
      validate_component(c, bytes, options);
    } catch (const CompileError& e) {
      ADD_FAILURE() << entry.path() << ": " << e.what();
    }
  }
  std::cout << "validated " << count << " components from " << dir << "\n";
}

}  // namespace
}  // namespace cm::validate
