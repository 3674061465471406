// The component binary reader (abi/binary/reader.h): decoding of every section of
// Binary.md (plus what wasm-tools 0.259 emits) and every malformed-binary rule, with the
// byte offset each error names. Hand-built binaries; the expectations follow Binary.md's
// grammar and the spec's test/binary/binary.wast rule texts.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "binary/core_module.h"
#include "binary/reader.h"
#include "component_bytes.h"

namespace cm::binary {
namespace {

using cm::testing::Bytes;
using cm::testing::component;
using cm::testing::component_preamble;
using cm::testing::module_preamble;
using cm::testing::section;

Component read(const Bytes& b) { return read_component(b.bytes()); }

// Expects read_component to throw a CompileError whose rule contains `rule` at `offset`.
void expect_malformed(const Bytes& b, const std::string& rule, size_t offset) {
  try {
    read(b);
    ADD_FAILURE() << "expected CompileError containing \"" << rule << "\"";
  } catch (const CompileError& e) {
    EXPECT_NE(e.rule().find(rule), std::string::npos) << "rule was: " << e.rule();
    EXPECT_EQ(e.offset(), offset) << "rule was: " << e.rule();
  }
}

// A core module exporting one function "f" of type () -> ().
Bytes module_exporting_f() {
  Bytes m = module_preamble();
  m.section(1, Bytes{0x01, 0x60, 0x00, 0x00});          // type section: (func)
  m.section(3, Bytes{0x01, 0x00});                      // function section: 1 func of type 0
  m.section(7, Bytes().u8(1).name("f").raw({0x00, 0x00}));  // export "f" func 0
  m.section(10, Bytes{0x01, 0x02, 0x00, 0x0b});         // code: one empty body
  return m;
}

// ---- preamble --------------------------------------------------------------------------

TEST(BinaryReader, AcceptsTheBarePreamble) {
  Component c = read(component_preamble());
  EXPECT_EQ(c.offset, 0u);
  EXPECT_EQ(c.size, 8u);
  EXPECT_TRUE(c.sections.empty());
}

TEST(BinaryReader, RejectsTruncatedPreambles) {
  Bytes full = component_preamble();
  for (size_t n = 0; n < 8; ++n) {
    std::vector<uint8_t> cut(full.bytes().begin(), full.bytes().begin() + n);
    EXPECT_THROW(read_component(cut), CompileError) << n;
  }
}

TEST(BinaryReader, RejectsBadMagic) {
  expect_malformed(Bytes{'a', 's', 'm', 0, 0x0d, 0, 1, 0}, "magic header not detected", 0);
  expect_malformed(Bytes{0, 'A', 'S', 'M', 0x0d, 0, 1, 0}, "magic header not detected", 0);
}

TEST(BinaryReader, RejectsUnknownVersionsAndLayers) {
  // Binary.md: version ::= 0x0d 0x00, layer ::= 0x01 0x00.
  expect_malformed(Bytes{0, 'a', 's', 'm', 0x0c, 0, 1, 0}, "unknown binary version", 4);
  expect_malformed(Bytes{0, 'a', 's', 'm', 0x0e, 0, 1, 0}, "unknown binary version", 4);
  expect_malformed(Bytes{0, 'a', 's', 'm', 0x00, 0x0d, 1, 0}, "unknown binary version", 4);
  expect_malformed(Bytes{0, 'a', 's', 'm', 0x0d, 0, 2, 0}, "unknown binary version", 4);
  expect_malformed(Bytes{0, 'a', 's', 'm', 0x0d, 0, 1, 1}, "unknown binary version", 4);
  expect_malformed(Bytes{0, 'a', 's', 'm', 0x0d, 0, 0, 0}, "unknown binary version", 4);
}

TEST(BinaryReader, ACoreModuleIsNotAComponent) {
  // A core module has layer 0 (version 1 0 0 0): say so rather than "bad version".
  Bytes m = module_exporting_f();
  expect_malformed(m, "expected a version header for a component", 4);
  try {
    read(m);
  } catch (const CompileError& e) {
    EXPECT_NE(e.rule().find("core WebAssembly module"), std::string::npos);
  }
  EXPECT_FALSE(is_component_binary(m.bytes()));
  EXPECT_TRUE(is_component_binary(component_preamble().bytes()));
}

// ---- section framing -------------------------------------------------------------------

TEST(BinaryReader, DecodesCustomSectionsWithTheirPayloadRange) {
  Component c = read(component({section(0, Bytes().name("hi").raw({1, 2, 3}))}));
  ASSERT_EQ(c.sections.size(), 1u);
  const Section& s = c.sections[0];
  EXPECT_EQ(s.id, SectionId::Custom);
  EXPECT_EQ(s.offset, 8u);
  EXPECT_EQ(s.content_offset, 10u);
  EXPECT_EQ(s.content_size, 6u);
  EXPECT_EQ(s.custom.name, "hi");
  EXPECT_EQ(s.custom.payload_offset, 13u);
  EXPECT_EQ(s.custom.payload_size, 3u);
}

TEST(BinaryReader, RejectsCustomSectionNamesThatAreNotUtf8OrTooLong) {
  // name length 5 with 2 bytes in the section
  expect_malformed(component({section(0, Bytes{0x05, 'a', 'b'})}), "unexpected end-of-file", 10);
  // core:name must be UTF-8: 0xff 0xfe is not
  expect_malformed(component({section(0, Bytes{0x02, 0xff, 0xfe})}), "malformed UTF-8 encoding", 11);
  // Overlong encoding of '/' and an encoded surrogate are not UTF-8 either.
  expect_malformed(component({section(0, Bytes{0x02, 0xc0, 0xaf})}), "malformed UTF-8 encoding", 11);
  expect_malformed(component({section(0, Bytes{0x03, 0xed, 0xa0, 0x80})}), "malformed UTF-8 encoding", 11);
}

TEST(BinaryReader, AGarbageComponentNameSectionIsIgnored) {
  // Binary.md "Name Section": validity is not required.
  Component c = read(component({section(0, Bytes().name("component-name").raw({0xff, 0xfe, 0x01}))}));
  EXPECT_FALSE(c.names.has_value());
}

TEST(BinaryReader, DecodesTheComponentNameSection) {
  Bytes names = Bytes().name("component-name");
  names.u8(0).u32(4).name("abc");                            // component name "abc"
  Bytes map = Bytes().u8(0x01).u8(2).u32(0).name("f").u32(1).name("g");  // funcs 0:f 1:g
  names.u8(1).u32(map.size()).append(map);
  Component c = read(component({section(0, names)}));
  ASSERT_TRUE(c.names.has_value());
  EXPECT_EQ(c.names->component_name, "abc");
  ASSERT_EQ(c.names->sort_names.size(), 1u);
  EXPECT_EQ(c.names->sort_names[0].sort.sort, Sort::Func);
  ASSERT_EQ(c.names->sort_names[0].names.size(), 2u);
  EXPECT_EQ(c.names->sort_names[0].names[1].first, 1u);
  EXPECT_EQ(c.names->sort_names[0].names[1].second, "g");
}

TEST(BinaryReader, RejectsUnknownSectionIds) {
  expect_malformed(component({section(13, Bytes())}), "malformed section id", 8);
  expect_malformed(component({section(60, Bytes())}), "malformed section id", 8);
  expect_malformed(component({Bytes{0xff}}), "malformed section id", 8);
}

TEST(BinaryReader, RejectsSectionsThatRunPastTheEnd) {
  expect_malformed(component({Bytes{0x07, 0x03, 0x00}}), "unexpected end-of-file", 10);
  expect_malformed(component({Bytes{0x00, 0x80, 0x80}}), "unexpected end-of-file", 11);
  expect_malformed(component({Bytes{0x00}}), "unexpected end-of-file", 9);
}

TEST(BinaryReader, AnEntryMayNotRunPastItsSection) {
  // type section of size 1 holding "01 73": the type runs past the section's end.
  expect_malformed(component({Bytes{0x07, 0x01, 0x01, 0x73}}), "unexpected end-of-file", 10);
}

TEST(BinaryReader, ASectionMustEndWhereItsSizeSays) {
  // type section of size 3: one type (string) and a stray byte.
  expect_malformed(component({section(7, Bytes{0x01, 0x73, 0x73})}), "section size mismatch", 12);
}

TEST(BinaryReader, AcceptsZeroPaddedLeb128) {
  // 5-byte encoding of 1 is a valid u32.
  Component c = read(component({Bytes{0x07, 0x81, 0x80, 0x80, 0x80, 0x00, 0x00}}));
  ASSERT_EQ(c.sections.size(), 1u);
  EXPECT_EQ(c.sections[0].content_size, 1u);
}

TEST(BinaryReader, RejectsOverflowingAndOverlongLeb128) {
  // Core spec: the 5th byte of a u32 may only use its low 4 bits.
  expect_malformed(component({Bytes{0x07, 0x81, 0x80, 0x80, 0x80, 0x70, 0x00}}), "integer too large", 13);
  // ... and may not continue.
  expect_malformed(component({Bytes{0x07, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00}}),
                   "integer representation too long", 13);
}

TEST(BinaryReader, AHugeVectorCountFailsWithoutAllocating) {
  // count 2^32-1 in a 6-byte section: malformed at once, nothing reserved.
  expect_malformed(component({section(7, Bytes().u32(0xffffffff).u8(0x73))}), "unexpected end-of-file", 10);
  // 999999 types declared, 1 given.
  expect_malformed(component({section(7, Bytes{0xbf, 0x84, 0x3d, 0x73})}), "unexpected end-of-file", 10);
  // 2 types declared, 1 given.
  expect_malformed(component({section(7, Bytes{0x02, 0x73})}), "unexpected end-of-file", 10);
}

// ---- core modules and core instances ---------------------------------------------------

TEST(BinaryReader, CoreModulesAreByteRangesIntoTheInput) {
  Bytes m = module_exporting_f();
  Component c = read(component({section(1, m), section(1, module_preamble())}));
  ASSERT_EQ(c.sections.size(), 2u);
  EXPECT_EQ(c.sections[0].core_module.offset, 10u);
  EXPECT_EQ(c.sections[0].core_module.size, m.size());
  EXPECT_EQ(c.sections[1].core_module.offset, 10u + m.size() + 2);
  EXPECT_EQ(c.sections[1].core_module.size, 8u);
}

// Memory limits: a memory spans at most 2^32 bytes, 2^64 for memory64. A memory64 of
// 1-byte pages (the custom-page-sizes proposal) may state any u64 size; found by fuzzing,
// where the page limit 2^(64-0) was computed by an undefined 64-bit shift.
TEST(BinaryReader, MemoryLimitsFollowThePageSize) {
  auto memory_module = [](uint8_t flags, uint64_t min, int page_size_log2) {
    Bytes memory = Bytes().u8(1).u8(flags).u32(min);
    if (page_size_log2 >= 0) memory.u32(static_cast<uint64_t>(page_size_log2));
    Bytes m = module_preamble();
    m.section(5, memory);
    return m;
  };
  auto summarize = [](const Bytes& m) { return summarize_core_module(m.bytes(), 0); };
  EXPECT_NO_THROW(summarize(memory_module(0x0c, uint64_t{1} << 63, 0)));
  EXPECT_NO_THROW(summarize(memory_module(0x0c, ~uint64_t{0}, 0)));
  EXPECT_NO_THROW(summarize(memory_module(0x04, uint64_t{1} << 48, -1)));
  EXPECT_NO_THROW(summarize(memory_module(0x08, 0xffffffff, 0)));
  try {
    summarize(memory_module(0x04, (uint64_t{1} << 48) + 1, -1));
    ADD_FAILURE() << "a memory64 of 2^48 + 1 64-KiB pages was accepted";
  } catch (const CompileError& e) {
    EXPECT_NE(e.rule().find("memory size must be at most 281474976710656 pages"), std::string::npos) << e.rule();
  }
  EXPECT_THROW(summarize(memory_module(0x00, 65537, -1)), CompileError);
}

TEST(BinaryReader, ACoreModuleSectionMustHoldACoreModule) {
  expect_malformed(component({section(1, component_preamble())}), "expected a version header for a module", 14);
}

TEST(BinaryReader, CoreModuleSectionsMustBeInOrder) {
  Bytes m = module_preamble();
  m.section(1, Bytes{0x00}).section(11, Bytes{0x00}).section(1, Bytes{0x00});
  expect_malformed(component({section(1, m)}), "section out of order", 10 + 8 + 6);
}

TEST(BinaryReader, DecodesCoreInstances) {
  Bytes ci = Bytes().u8(3);
  ci.raw({0x00, 0x00, 0x00});                            // instantiate module 0, no args
  ci.raw({0x00, 0x01, 0x01}).name("i").raw({0x12, 0x00}); // instantiate module 1, with "i" = instance 0
  ci.raw({0x01, 0x01}).name("f2").raw({0x00, 0x05});      // inline exports: "f2" = core func 5
  Component c = read(component({section(2, ci)}));
  const auto& v = c.sections[0].core_instances;
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].kind, CoreInstance::Kind::Instantiate);
  EXPECT_EQ(v[0].offset, 11u);
  EXPECT_EQ(v[1].module, 1u);
  ASSERT_EQ(v[1].args.size(), 1u);
  EXPECT_EQ(v[1].args[0].name, "i");
  EXPECT_EQ(v[1].args[0].instance, 0u);
  EXPECT_EQ(v[2].kind, CoreInstance::Kind::FromExports);
  ASSERT_EQ(v[2].exports.size(), 1u);
  EXPECT_EQ(v[2].exports[0].name, "f2");
  EXPECT_EQ(v[2].exports[0].item.sort, CoreSort::Func);
  EXPECT_EQ(v[2].exports[0].item.index, 5u);
}

TEST(BinaryReader, RejectsBadCoreInstanceBytes) {
  expect_malformed(component({section(2, Bytes{0x01, 0x02, 0x00, 0x00})}),
                   "invalid leading byte (0x2) for core instance", 11);
  // Binary.md: core:instantiatearg ::= n 0x12 i
  expect_malformed(component({section(2, Bytes().raw({0x01, 0x00, 0x00, 0x01}).name("i").raw({0x00, 0x00}))}),
                   "invalid leading byte (0x0) for instantiation arg kind", 16);
}

// ---- aliases ---------------------------------------------------------------------------

TEST(BinaryReader, DecodesTheThreeAliasForms) {
  Bytes a = Bytes().u8(4);
  a.raw({0x01, 0x00, 0x02}).name("g");        // func, export alias of instance 2
  a.raw({0x00, 0x02, 0x01, 0x00}).name("mem"); // core memory, core export alias of core instance 0
  a.raw({0x03, 0x02, 0x01, 0x07});             // type, outer ct=1 idx=7
  a.raw({0x00, 0x11, 0x02, 0x00, 0x00});       // core module, outer ct=0 idx=0
  Component c = read(component({section(6, a)}));
  const auto& v = c.sections[0].aliases;
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[0].kind, Alias::Kind::InstanceExport);
  EXPECT_EQ(v[0].sort.sort, Sort::Func);
  EXPECT_EQ(v[0].instance, 2u);
  EXPECT_EQ(v[0].name, "g");
  EXPECT_EQ(v[1].kind, Alias::Kind::CoreInstanceExport);
  EXPECT_EQ(v[1].sort, (SortKind{Sort::Core, CoreSort::Memory}));
  EXPECT_EQ(v[2].kind, Alias::Kind::Outer);
  EXPECT_EQ(v[2].sort.sort, Sort::Type);
  EXPECT_EQ(v[2].outer_count, 1u);
  EXPECT_EQ(v[2].outer_index, 7u);
  EXPECT_EQ(v[3].sort, (SortKind{Sort::Core, CoreSort::Module}));
}

TEST(BinaryReader, RejectsBadAliasBytes) {
  expect_malformed(component({section(6, Bytes{0x01, 0x03, 0x03, 0x00, 0x00})}),
                   "invalid leading byte (0x3) for alias", 12);
  // Binary.md: outer aliases only of outeraliassort (core type, core module, type, component).
  expect_malformed(component({section(6, Bytes{0x01, 0x06, 0x02, 0x00, 0x00})}),
                   "invalid leading byte (0x6) for component outer alias kind", 11);
  expect_malformed(component({section(6, Bytes{0x01, 0x00, 0x05, 0x02, 0x00, 0x00})}),
                   "invalid leading byte (0x5) for component outer alias kind", 12);
  expect_malformed(component({section(6, Bytes{0x01, 0x05, 0x02, 0x00, 0x00})}),
                   "invalid leading byte (0x5) for component outer alias kind", 11);
  expect_malformed(component({section(6, Bytes{0x01, 0x01, 0x02, 0x00, 0x00})}),
                   "invalid leading byte (0x1) for component outer alias kind", 11);
}

// ---- types -----------------------------------------------------------------------------

TEST(BinaryReader, DecodesEveryDefinedValueType) {
  Bytes t = Bytes().u8(19);
  t.raw({0x3f, 0x7f, 0x00});                                   // 0 (resource (rep i32))
  t.raw({0x72, 0x02}).name("a").u8(0x7f).name("b").u8(0x7d);   // 1 record
  t.raw({0x71, 0x02}).name("x").raw({0x01, 0x7e, 0x00}).name("y").raw({0x00, 0x00});  // 2 variant
  t.raw({0x70, 0x7b});                                         // 3 list u16
  t.raw({0x6f, 0x02, 0x7c, 0x79});                             // 4 tuple
  t.raw({0x6e, 0x02}).name("f1").name("f2");                   // 5 flags
  t.raw({0x6d, 0x02}).name("e1").name("e2");                   // 6 enum
  t.raw({0x6b, 0x7a});                                         // 7 option s32
  t.raw({0x6a, 0x00, 0x00});                                   // 8 result
  t.raw({0x6a, 0x01, 0x76, 0x01, 0x75});                       // 9 result f32 (error f64)
  t.raw({0x69, 0x00});                                         // 10 own 0
  t.raw({0x68, 0x00});                                         // 11 borrow 0
  t.raw({0x66, 0x01, 0x7d});                                   // 12 stream u8
  t.raw({0x66, 0x00});                                         // 13 stream
  t.raw({0x65, 0x01, 0x73});                                   // 14 future string
  t.raw({0x67, 0x7d, 0x03});                                   // 15 list u8 3
  t.raw({0x63, 0x73, 0x79});                                   // 16 map string u32
  t.raw({0x70, 0x02});                                         // 17 list <type 2>
  t.u8(0x64);                                                  // 18 error-context
  Component c = read(component({section(7, t)}));
  const auto& v = c.sections[0].types;
  ASSERT_EQ(v.size(), 19u);
  using K = DefValType::Kind;
  EXPECT_EQ(v[0].kind, TypeDef::Kind::Resource);
  EXPECT_EQ(v[0].resource.rep.kind, CoreValType::Kind::I32);
  EXPECT_FALSE(v[0].resource.dtor.has_value());
  EXPECT_EQ(v[1].defval.kind, K::Record);
  ASSERT_EQ(v[1].defval.fields.size(), 2u);
  EXPECT_EQ(v[1].defval.fields[1].label, "b");
  EXPECT_EQ(v[1].defval.fields[1].type.primitive, PrimValType::U8);
  EXPECT_EQ(v[2].defval.kind, K::Variant);
  EXPECT_TRUE(v[2].defval.cases[0].type.has_value());
  EXPECT_FALSE(v[2].defval.cases[1].type.has_value());
  EXPECT_EQ(v[3].defval.element->primitive, PrimValType::U16);
  EXPECT_EQ(v[4].defval.elements.size(), 2u);
  EXPECT_EQ(v[5].defval.labels, (std::vector<std::string>{"f1", "f2"}));
  EXPECT_EQ(v[6].defval.kind, K::Enum);
  EXPECT_EQ(v[7].defval.kind, K::Option);
  EXPECT_FALSE(v[8].defval.element.has_value());
  EXPECT_FALSE(v[8].defval.error.has_value());
  EXPECT_EQ(v[9].defval.error->primitive, PrimValType::F64);
  EXPECT_EQ(v[10].defval.kind, K::Own);
  EXPECT_EQ(v[11].defval.kind, K::Borrow);
  EXPECT_EQ(v[12].defval.kind, K::Stream);
  EXPECT_FALSE(v[13].defval.element.has_value());
  EXPECT_EQ(v[14].defval.kind, K::Future);
  EXPECT_EQ(v[15].defval.kind, K::FixedList);
  EXPECT_EQ(v[15].defval.length, 3u);
  EXPECT_EQ(v[16].defval.kind, K::Map);
  EXPECT_EQ(v[16].defval.error->primitive, PrimValType::U32);
  EXPECT_FALSE(v[17].defval.element->is_primitive);
  EXPECT_EQ(v[17].defval.element->type_index, 2u);
  EXPECT_EQ(v[18].defval.primitive, PrimValType::ErrorContext);
}

TEST(BinaryReader, RejectsUnallocatedTypeOpcodes) {
  expect_malformed(component({section(7, Bytes{0x01, 0x62})}), "invalid leading byte (0x62) for component defined type", 11);
  expect_malformed(component({section(7, Bytes{0x01, 0x44})}), "invalid leading byte (0x44) for component defined type", 11);
  expect_malformed(component({section(7, Bytes{0x01, 0x3e})}), "invalid leading byte (0x3e) for component defined type", 11);
}

TEST(BinaryReader, AVariantCaseEndsWithAZeroByte) {
  expect_malformed(component({section(7, Bytes().raw({0x01, 0x71, 0x01}).name("c").raw({0x00, 0x01}))}),
                   "invalid leading byte (0x1) for zero byte required", 16);
}

TEST(BinaryReader, DecodesFunctionTypesIncludingAsync) {
  Bytes t = Bytes().u8(3);
  t.raw({0x40, 0x00, 0x01, 0x00});                        // (func)
  t.raw({0x40, 0x01}).name("p").u8(0x7f).raw({0x00, 0x79});  // (func (param "p" bool) (result u32))
  t.raw({0x43, 0x00, 0x01, 0x00});                        // (func async)
  Component c = read(component({section(7, t)}));
  const auto& v = c.sections[0].types;
  EXPECT_FALSE(v[0].func.is_async);
  EXPECT_FALSE(v[0].func.result.has_value());
  ASSERT_EQ(v[1].func.params.size(), 1u);
  EXPECT_EQ(v[1].func.params[0].label, "p");
  EXPECT_EQ(v[1].func.result->primitive, PrimValType::U32);
  EXPECT_TRUE(v[2].func.is_async);
}

TEST(BinaryReader, RejectsBadResultLists) {
  expect_malformed(component({section(7, Bytes{0x01, 0x40, 0x00, 0x01, 0x01})}),
                   "invalid leading byte (0x1) for number of results", 14);
  expect_malformed(component({section(7, Bytes{0x01, 0x40, 0x00, 0x02, 0x00})}),
                   "invalid leading byte (0x2) for component function results", 13);
}

TEST(BinaryReader, DecodesResourceTypesWithDestructors) {
  Component c = read(component({section(7, Bytes{0x01, 0x3f, 0x7f, 0x01, 0x04})}));
  const TypeDef& t = c.sections[0].types[0];
  EXPECT_EQ(t.kind, TypeDef::Kind::Resource);
  ASSERT_TRUE(t.resource.dtor.has_value());
  EXPECT_EQ(*t.resource.dtor, 4u);
  expect_malformed(component({section(7, Bytes{0x01, 0x3f, 0x7f, 0x02})}),
                   "invalid leading byte (0x2) for resource destructor", 13);
}

TEST(BinaryReader, DecodesComponentAndInstanceTypes) {
  Bytes ct = Bytes().raw({0x01, 0x41, 0x04});
  ct.raw({0x01, 0x73});                              // type: string
  ct.raw({0x03, 0x00}).name("a").raw({0x03, 0x00, 0x00});  // import "a" (type (eq 0))
  ct.raw({0x01, 0x40, 0x00, 0x01, 0x00});            // type: (func)
  ct.raw({0x04, 0x00}).name("b").raw({0x01, 0x02});  // export "b" (func (type 2))
  Bytes it = Bytes().raw({0x01, 0x42, 0x03});
  it.raw({0x00, 0x60, 0x00, 0x00});                  // core type: func
  it.raw({0x02, 0x03, 0x02, 0x01, 0x00});            // alias outer type ct=1 idx=0
  it.raw({0x04, 0x00}).name("t").raw({0x03, 0x01});  // export "t" (type (sub resource))
  Component c = read(component({section(7, ct), section(7, it)}));
  const TypeDef& a = c.sections[0].types[0];
  EXPECT_EQ(a.kind, TypeDef::Kind::Component);
  ASSERT_EQ(a.decls.size(), 4u);
  EXPECT_EQ(a.decls[0].kind, TypeDecl::Kind::Type);
  EXPECT_EQ(a.decls[1].kind, TypeDecl::Kind::Import);
  EXPECT_EQ(a.decls[1].name.name, "a");
  EXPECT_EQ(a.decls[1].extern_type.kind, ExternType::Kind::Type);
  EXPECT_EQ(a.decls[1].extern_type.type_bound.kind, TypeBound::Kind::Eq);
  EXPECT_EQ(a.decls[3].kind, TypeDecl::Kind::Export);
  EXPECT_EQ(a.decls[3].extern_type.kind, ExternType::Kind::Func);
  EXPECT_EQ(a.decls[3].extern_type.type_index, 2u);
  const TypeDef& b = c.sections[1].types[0];
  EXPECT_EQ(b.kind, TypeDef::Kind::Instance);
  ASSERT_EQ(b.decls.size(), 3u);
  EXPECT_EQ(b.decls[0].kind, TypeDecl::Kind::CoreType);
  EXPECT_EQ(b.decls[0].core_type->rec[0].composite.kind, CoreCompositeType::Kind::Func);
  EXPECT_EQ(b.decls[1].alias->outer_count, 1u);
  EXPECT_EQ(b.decls[2].extern_type.type_bound.kind, TypeBound::Kind::SubResource);
}

TEST(BinaryReader, InstanceTypesHaveNoImports) {
  expect_malformed(component({section(7, Bytes{0x01, 0x41, 0x01, 0x05, 0x73})}),
                   "invalid leading byte (0x5) for component or instance type declaration", 13);
  expect_malformed(component({section(7, Bytes().raw({0x01, 0x42, 0x01, 0x03, 0x00}).name("a").raw({0x03, 0x01}))}),
                   "invalid leading byte (0x3) for component or instance type declaration", 13);
}

TEST(BinaryReader, DecodesCoreTypesAndModuleTypes) {
  Bytes mt = Bytes().raw({0x01, 0x50, 0x04});
  mt.raw({0x01, 0x60, 0x00, 0x00});                        // type: func
  mt.u8(0x00).name("a").name("b").raw({0x00, 0x00});       // import "a" "b" (func (type 0))
  mt.raw({0x02, 0x10, 0x01, 0x01, 0x00});                  // alias outer core type ct=1 idx=0
  mt.u8(0x03).name("e").raw({0x00, 0x00});                 // export "e" (func (type 0))
  Component c = read(component({section(3, Bytes{0x01, 0x60, 0x01, 0x7f, 0x01, 0x7e}),
                                section(3, Bytes{0x01, 0x00, 0x50, 0x00, 0x60, 0x00, 0x00}),
                                section(3, mt)}));
  const CoreTypeDef& f = c.sections[0].core_types[0];
  EXPECT_EQ(f.kind, CoreTypeDef::Kind::Rec);
  ASSERT_EQ(f.rec.size(), 1u);
  EXPECT_TRUE(f.rec[0].is_final);
  EXPECT_EQ(f.rec[0].composite.params.size(), 1u);
  EXPECT_EQ(f.rec[0].composite.results[0].kind, CoreValType::Kind::I64);
  const CoreTypeDef& sub = c.sections[1].core_types[0];
  EXPECT_FALSE(sub.rec[0].is_final);  // the 0x00-prefixed non-final sub type
  const CoreTypeDef& m = c.sections[2].core_types[0];
  EXPECT_EQ(m.kind, CoreTypeDef::Kind::Module);
  ASSERT_EQ(m.module_decls.size(), 4u);
  EXPECT_EQ(m.module_decls[1].module, "a");
  EXPECT_EQ(m.module_decls[1].name, "b");
  EXPECT_EQ(m.module_decls[2].kind, CoreModuleDecl::Kind::Alias);
  EXPECT_EQ(m.module_decls[3].name, "e");
}

TEST(BinaryReader, RejectsBadModuleTypeDeclarations) {
  expect_malformed(component({section(3, Bytes{0x01, 0x50, 0x01, 0x04, 0x60, 0x00, 0x00})}),
                   "invalid leading byte (0x4) for type definition", 13);
  expect_malformed(component({section(3, Bytes{0x01, 0x50, 0x01, 0x02, 0x00, 0x01, 0x01, 0x00})}),
                   "invalid leading byte (0x0) for outer alias kind", 14);
  expect_malformed(component({section(3, Bytes{0x01, 0x50, 0x01, 0x02, 0x10, 0x00, 0x01, 0x00})}),
                   "invalid leading byte (0x0) for outer alias target", 15);
  // Inside a module type 0x50 is a non-final sub type, never a nested module type.
  EXPECT_THROW(read(component({section(3, Bytes{0x01, 0x50, 0x02, 0x01, 0x50, 0x00, 0x01, 0x60, 0x00, 0x00})})),
               CompileError);
}

// ---- canonical definitions -------------------------------------------------------------

TEST(BinaryReader, DecodesEveryCanonicalBuiltin) {
  Bytes c = Bytes().u8(47);
  c.raw({0x00, 0x00, 0x00, 0x00, 0x00});                     // lift f0, no opts, type 0
  c.raw({0x00, 0x00, 0x01, 0x03, 0x00, 0x03, 0x00, 0x04, 0x05, 0x01});  // lift f1 utf8 memory0 realloc5, type1
  c.raw({0x00, 0x00, 0x02, 0x02, 0x06, 0x07, 0x03, 0x02});   // lift f2 async callback3, type 2
  c.raw({0x00, 0x00, 0x00, 0x01, 0x05, 0x00, 0x00});         // lift post-return
  c.raw({0x01, 0x00, 0x00, 0x01, 0x01});                     // lower utf16
  c.raw({0x01, 0x00, 0x00, 0x01, 0x02});                     // lower latin1+utf16
  c.raw({0x02, 0x05, 0x03, 0x05, 0x04, 0x05});               // resource.new/drop/rep 5
  c.raw({0x24, 0x25});                                       // backpressure.inc/dec
  c.raw({0x09, 0x01, 0x00, 0x00});                           // task.return, no result
  c.raw({0x09, 0x00, 0x79, 0x00});                           // task.return u32
  c.raw({0x05});                                             // task.cancel
  c.raw({0x0a, 0x7f, 0x00, 0x0b, 0x7f, 0x01});               // context.get i32 0, context.set i32 1
  c.raw({0x06, 0x00, 0x06, 0x01});                           // subtask.cancel, subtask.cancel async
  c.raw({0x0d});                                             // subtask.drop
  c.raw({0x0e, 0x03});                                       // stream.new 3
  c.raw({0x0f, 0x03, 0x02, 0x03, 0x00, 0x04, 0x05});         // stream.read
  c.raw({0x10, 0x03, 0x02, 0x03, 0x00, 0x04, 0x05});         // stream.write
  c.raw({0x11, 0x03, 0x00, 0x12, 0x03, 0x01});               // stream.cancel-read, cancel-write async
  c.raw({0x13, 0x03, 0x14, 0x03});                           // stream.drop-readable/writable
  c.raw({0x15, 0x04});                                       // future.new
  c.raw({0x16, 0x04, 0x02, 0x03, 0x00, 0x04, 0x05});         // future.read
  c.raw({0x17, 0x04, 0x02, 0x03, 0x00, 0x04, 0x05});         // future.write
  c.raw({0x18, 0x04, 0x00, 0x19, 0x04, 0x01});               // future.cancel-read/write
  c.raw({0x1a, 0x04, 0x1b, 0x04});                           // future.drop-readable/writable
  c.raw({0x1f, 0x20, 0x00, 0x00, 0x21, 0x01, 0x00, 0x22, 0x23});  // waitable-set.*, waitable.join
  c.raw({0x26, 0x27, 0x00, 0x00, 0x28, 0x29, 0x00, 0x0c, 0x01});  // thread.index/new-indirect/resume-later/suspend/yield
  c.raw({0x2a, 0x00, 0x2b, 0x00, 0x2c, 0x00, 0x2d, 0x01});   // thread.*-then-*
  Component comp = read(component({section(8, c)}));
  const auto& v = comp.sections[0].canons;
  ASSERT_EQ(v.size(), 47u);
  EXPECT_EQ(v[0].kind, CanonKind::Lift);
  EXPECT_EQ(v[1].func_index, 1u);
  EXPECT_EQ(v[1].type_index, 1u);
  ASSERT_EQ(v[1].opts.size(), 3u);
  EXPECT_EQ(v[1].opts[1].kind, CanonOpt::Kind::Memory);
  EXPECT_EQ(v[1].opts[2].kind, CanonOpt::Kind::Realloc);
  EXPECT_EQ(v[1].opts[2].index, 5u);
  EXPECT_EQ(v[2].opts[0].kind, CanonOpt::Kind::Async);
  EXPECT_EQ(v[2].opts[1].kind, CanonOpt::Kind::Callback);
  EXPECT_EQ(v[3].opts[0].kind, CanonOpt::Kind::PostReturn);
  EXPECT_EQ(v[4].kind, CanonKind::Lower);
  EXPECT_EQ(v[5].opts[0].kind, CanonOpt::Kind::Latin1Utf16);
  EXPECT_EQ(v[6].kind, CanonKind::ResourceNew);
  EXPECT_EQ(v[6].type_index, 5u);
  EXPECT_EQ(v[9].kind, CanonKind::BackpressureInc);
  EXPECT_FALSE(v[11].result.has_value());
  EXPECT_EQ(v[12].result->primitive, PrimValType::U32);
  EXPECT_EQ(v[13].kind, CanonKind::TaskCancel);
  EXPECT_EQ(v[15].kind, CanonKind::ContextSet);
  EXPECT_EQ(v[15].context_index, 1u);
  EXPECT_FALSE(v[16].async_);
  EXPECT_TRUE(v[17].async_);
  EXPECT_EQ(v[20].kind, CanonKind::StreamRead);
  EXPECT_EQ(v[20].type_index, 3u);
  EXPECT_EQ(v[20].opts.size(), 2u);
  EXPECT_TRUE(v[23].async_);
  EXPECT_EQ(v[32].kind, CanonKind::FutureDropWritable);
  EXPECT_EQ(v[34].kind, CanonKind::WaitableSetWait);
  EXPECT_FALSE(v[34].cancellable);
  EXPECT_TRUE(v[35].cancellable);
  EXPECT_EQ(v[35].memory_index, 0u);
  EXPECT_EQ(v[39].kind, CanonKind::ThreadNewIndirect);
  EXPECT_EQ(v[42].kind, CanonKind::ThreadYield);
  EXPECT_TRUE(v[42].cancellable);
  EXPECT_EQ(v[46].kind, CanonKind::ThreadYieldThenPromote);
  EXPECT_STREQ(canon_name(v[46].kind), "thread.yield-then-promote");
}

TEST(BinaryReader, DecodesSharedEverythingThreadBuiltins) {
  Component c = read(component({section(8, Bytes{0x03, 0x40, 0x01, 0x02, 0x41, 0x00, 0x02, 0x03, 0x42, 0x00})}));
  const auto& v = c.sections[0].canons;
  EXPECT_EQ(v[0].kind, CanonKind::ThreadSpawnRef);
  EXPECT_TRUE(v[0].shared);
  EXPECT_EQ(v[0].type_index, 2u);
  EXPECT_EQ(v[1].table_index, 3u);
  EXPECT_EQ(v[2].kind, CanonKind::ThreadAvailableParallelism);
}

TEST(BinaryReader, RejectsUnallocatedCanonOpcodes) {
  // 0x07 and 0x08 are unallocated (0x08 was backpressure.set).
  expect_malformed(component({section(8, Bytes{0x01, 0x07})}), "invalid leading byte (0x7) for canonical function", 11);
  expect_malformed(component({section(8, Bytes{0x01, 0x08})}), "invalid leading byte (0x8) for canonical function", 11);
  expect_malformed(component({section(8, Bytes{0x01, 0x2e})}), "invalid leading byte (0x2e) for canonical function", 11);
  expect_malformed(component({section(8, Bytes{0x01, 0x43})}), "invalid leading byte (0x43) for canonical function", 11);
  expect_malformed(component({section(8, Bytes{0x01, 0x00, 0x01, 0x00, 0x00, 0x00})}),
                   "invalid leading byte (0x1) for canonical function lift", 12);
  expect_malformed(component({section(8, Bytes{0x01, 0x01, 0x01, 0x00, 0x00})}),
                   "invalid leading byte (0x1) for canonical function lower", 12);
  expect_malformed(component({section(8, Bytes{0x01, 0x01, 0x00, 0x00, 0x01, 0x0a})}),
                   "invalid leading byte (0xa) for canonical option", 15);
}

TEST(BinaryReader, FlagImmediatesAreBooleans) {
  expect_malformed(component({section(8, Bytes{0x01, 0x0c, 0x02})}), "invalid boolean value", 12);
  expect_malformed(component({section(8, Bytes{0x01, 0x20, 0x02, 0x00})}), "invalid boolean value", 12);
  expect_malformed(component({section(8, Bytes{0x01, 0x06, 0x02})}), "invalid boolean value", 12);
}

// ---- imports, exports, start -----------------------------------------------------------

TEST(BinaryReader, DecodesImportsWithEveryExternTypeAndNameForm) {
  Bytes i = Bytes().u8(6);
  i.u8(0x00).name("m").raw({0x00, 0x11, 0x00});    // core module (core type 0)
  i.u8(0x01).name("f").raw({0x01, 0x00});          // legacy 0x01 name prefix: same meaning
  i.u8(0x00).name("t1").raw({0x03, 0x00, 0x02});   // type (eq 2)
  i.u8(0x00).name("t2").raw({0x03, 0x01});         // type (sub resource)
  i.u8(0x02).name("i").u8(3).u8(0x00).name("my:dep/iface").u8(0x01).name("1.2.3").u8(0x02).name("x-id")
      .raw({0x05, 0x01});                          // instance (type 1) with all three attributes
  i.u8(0x00).name("c").raw({0x04, 0x07});          // component (type 7)
  Component c = read(component({section(10, i)}));
  const auto& v = c.sections[0].imports;
  ASSERT_EQ(v.size(), 6u);
  EXPECT_EQ(v[0].type.kind, ExternType::Kind::CoreModule);
  EXPECT_EQ(v[1].name.form, 0x01);
  EXPECT_EQ(v[1].name.name, "f");
  EXPECT_EQ(v[2].type.type_bound.type_index, 2u);
  EXPECT_EQ(v[3].type.type_bound.kind, TypeBound::Kind::SubResource);
  EXPECT_EQ(v[4].name.implements, "my:dep/iface");
  EXPECT_EQ(v[4].name.version_suffix, "1.2.3");
  EXPECT_EQ(v[4].name.external_id, "x-id");
  EXPECT_EQ(v[4].type.kind, ExternType::Kind::Instance);
  EXPECT_EQ(v[5].type.kind, ExternType::Kind::Component);
  EXPECT_EQ(v[5].type.type_index, 7u);
}

TEST(BinaryReader, RejectsBadImportBytes) {
  expect_malformed(component({section(10, Bytes().raw({0x01, 0x03}).name("a").raw({0x01, 0x00}))}),
                   "invalid leading byte (0x3) for component name", 11);
  expect_malformed(component({section(10, Bytes().raw({0x01, 0x02}).name("a").raw({0x01, 0x03}).name("x").raw({0x01, 0x00}))}),
                   "invalid leading byte (0x3) for name option", 15);
  expect_malformed(component({section(10, Bytes().raw({0x01, 0x02}).name("i").u8(2).u8(0).name("a:b/x").u8(0).name("a:b/y").raw({0x05, 0x00}))}),
                   "duplicate 'implements' option in name", 22);
  expect_malformed(component({section(10, Bytes().raw({0x01, 0x00}).name("t").raw({0x03, 0x02}))}),
                   "invalid leading byte (0x2) for type bound", 15);
  expect_malformed(component({section(10, Bytes().raw({0x01, 0x00}).name("x").raw({0x06, 0x00}))}),
                   "invalid leading byte (0x6) for component external kind", 14);
  expect_malformed(component({section(10, Bytes().raw({0x01, 0x00}).name("m").raw({0x00, 0x00}))}),
                   "invalid leading byte (0x0) for component external kind", 15);
  expect_malformed(component({section(10, Bytes{0x01, 0x00, 0x7f, 'a', 'b'})}), "unexpected end-of-file", 12);
  expect_malformed(component({section(10, Bytes{0x01, 0x00, 0x02, 0xff, 0xfe, 0x01, 0x00})}),
                   "malformed UTF-8 encoding", 13);
}

TEST(BinaryReader, DecodesExportsWithOptionalAscribedTypes) {
  Bytes e = Bytes().u8(2);
  e.u8(0x00).name("e1").raw({0x01, 0x00}).u8(0x00);               // func 0
  e.u8(0x00).name("e2").raw({0x01, 0x00}).raw({0x01, 0x01, 0x00}); // func 0, ascribed (func (type 0))
  Component c = read(component({section(11, e)}));
  const auto& v = c.sections[0].exports;
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].item.sort.sort, Sort::Func);
  EXPECT_FALSE(v[0].type.has_value());
  ASSERT_TRUE(v[1].type.has_value());
  EXPECT_EQ(v[1].type->kind, ExternType::Kind::Func);
  expect_malformed(component({section(11, Bytes().raw({0x01, 0x00}).name("e").raw({0x01, 0x00, 0x02}))}),
                   "invalid leading byte (0x2) for optional component export type", 16);
  expect_malformed(component({section(11, Bytes().raw({0x01, 0x00}).name("e").raw({0x06, 0x00, 0x00}))}),
                   "invalid leading byte (0x6) for component external kind", 14);
}

TEST(BinaryReader, DecodesComponentInstances) {
  Bytes in = Bytes().u8(2);
  in.raw({0x00, 0x00, 0x01}).name("x").raw({0x01, 0x00});  // instantiate component 0 with "x" = func 0
  in.raw({0x01, 0x01, 0x00}).name("g").raw({0x01, 0x00});  // inline export "g" = func 0
  Component c = read(component({section(5, in)}));
  const auto& v = c.sections[0].instances;
  EXPECT_EQ(v[0].kind, Instance::Kind::Instantiate);
  EXPECT_EQ(v[0].args[0].name, "x");
  EXPECT_EQ(v[0].args[0].item.sort.sort, Sort::Func);
  EXPECT_EQ(v[1].exports[0].name.name, "g");
  expect_malformed(component({section(5, Bytes{0x01, 0x02, 0x00, 0x00})}), "invalid leading byte (0x2) for instance", 11);
}

TEST(BinaryReader, DecodesStartAndValueSections) {
  Component c = read(component({section(9, Bytes{0x03, 0x02, 0x00, 0x01, 0x01}),
                                section(12, Bytes{0x01, 0x7f, 0x01, 0x01})}));
  EXPECT_EQ(c.sections[0].start.func, 3u);
  EXPECT_EQ(c.sections[0].start.args, (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(c.sections[0].start.num_results, 1u);
  ASSERT_EQ(c.sections[1].values.size(), 1u);
  EXPECT_EQ(c.sections[1].values[0].value_size, 1u);
}

// ---- nested components -----------------------------------------------------------------

TEST(BinaryReader, NestedComponentsUseOffsetsOfTheOuterBinary) {
  Bytes inner = component({section(7, Bytes{0x01, 0x73})});
  Bytes middle = component({section(4, inner)});
  Component c = read(component({section(4, middle)}));
  ASSERT_EQ(c.sections.size(), 1u);
  const Component& m = *c.sections[0].component;
  EXPECT_EQ(m.offset, 10u);
  const Component& i = *m.sections[0].component;
  EXPECT_EQ(i.offset, 20u);
  EXPECT_EQ(i.sections[0].types[0].offset, 31u);
  expect_malformed(component({section(4, Bytes{0, 'a', 's', 'm', 0x0c, 0, 1, 0})}), "unknown binary version", 14);
  expect_malformed(component({section(4, module_preamble())}), "expected a version header for a component", 14);
}

TEST(BinaryReader, DeepNestingIsRejectedNotACrash) {
  Bytes b = component_preamble();
  for (int i = 0; i < 300; ++i) b = component({section(4, b)});
  try {
    read(b);
    FAIL();
  } catch (const CompileError& e) {
    EXPECT_EQ(e.rule(), "nesting too deep");
  }
  // Deeply nested instance types inside one type section.
  Bytes t = Bytes{0x73};
  for (int i = 0; i < 300; ++i) t = Bytes().raw({0x42, 0x01, 0x01}).append(t);
  EXPECT_THROW(read(component({section(7, Bytes().u8(1).append(t))})), CompileError);
}

// ---- robustness ------------------------------------------------------------------------

Bytes kitchen_sink() {
  Bytes ct = Bytes().raw({0x02, 0x41, 0x02, 0x01, 0x73}).u8(0x03).u8(0).name("a").raw({0x03, 0x00, 0x00});
  ct.raw({0x42, 0x01, 0x04, 0x00}).name("r").raw({0x03, 0x01});
  return component({
      section(0, Bytes().name("x").raw({1, 2})),
      section(1, module_exporting_f()),
      section(2, Bytes{0x01, 0x00, 0x00, 0x00}),
      section(6, Bytes().u8(1).raw({0x00, 0x00, 0x01, 0x00}).name("f")),
      section(7, Bytes{0x02, 0x40, 0x00, 0x01, 0x00, 0x72, 0x01, 0x01, 'a', 0x79}),
      section(7, ct),
      section(8, Bytes{0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00}),
      section(10, Bytes().u8(1).u8(0).name("i").raw({0x05, 0x03})),
      section(11, Bytes().u8(1).u8(0).name("run").raw({0x01, 0x00, 0x00})),
      section(4, component({section(7, Bytes{0x01, 0x73})})),
  });
}

TEST(BinaryReader, EveryTruncationIsMalformedNotACrash) {
  Bytes full = kitchen_sink();
  ASSERT_NO_THROW(read(full));
  for (size_t n = 0; n < full.size(); ++n) {
    std::vector<uint8_t> cut(full.bytes().begin(), full.bytes().begin() + n);
    // A cut between sections is a valid (shorter) component; anything else must throw a
    // CompileError, never crash or read past the end (ASan builds check the latter).
    try {
      read_component(cut);
    } catch (const CompileError& e) {
      EXPECT_LE(e.offset(), n);
    }
  }
}

TEST(BinaryReader, ByteFlipsNeverEscapeAsAnythingButCompileError) {
  Bytes full = kitchen_sink();
  std::vector<uint8_t> b = full.bytes();
  for (size_t i = 8; i < b.size(); ++i) {
    for (uint8_t v : {uint8_t{0x00}, uint8_t{0x01}, uint8_t{0x7f}, uint8_t{0x80}, uint8_t{0xff}}) {
      std::vector<uint8_t> m = b;
      m[i] = v;
      try {
        read_component(m);
      } catch (const CompileError&) {
      }
    }
  }
}

// Reads every *.wasm component under $CM_TEST_WASM_DIR (e.g. binaries made with
// `jco parse`); core modules there are skipped.
TEST(BinaryReader, ReadsEveryComponentInTestWasmDir) {
  const char* dir = std::getenv("CM_TEST_WASM_DIR");
  if (!dir) GTEST_SKIP() << "CM_TEST_WASM_DIR not set";
  size_t count = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".wasm") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!is_component_binary(bytes)) continue;
    ++count;
    EXPECT_NO_THROW(read_component(bytes)) << entry.path();
  }
  std::cout << "read " << count << " components from " << dir << "\n";
}

}  // namespace
}  // namespace cm::binary
