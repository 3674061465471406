// The WIT printer (abi/wit/printer.h) on component types built by hand: every kind of
// type, functions sync and async, interfaces in package blocks and inline, resources with
// their members, `use` between interfaces and from the world, and keyword escaping.
#include <gtest/gtest.h>

#include "validate/component_types.h"
#include "wit/identifiers.h"
#include "wit/printer.h"

namespace cm::wit {
namespace {

using validate::ComponentTypeInfo;
using validate::ExternInfo;
using validate::InstanceTypeInfo;
using validate::NamedExtern;
using validate::TypeInfo;

TypeRef prim(TypeKind k) { return types::primitive(k); }

ExternInfo func(std::vector<Field> params, TypeRef result = nullptr, bool is_async = false) {
  auto f = std::make_shared<FuncType>();
  f->is_async = is_async;
  f->params = std::move(params);
  f->result = std::move(result);
  ExternInfo e;
  e.kind = ExternInfo::Kind::Func;
  e.func = f;
  return e;
}

// A name for a value type node; `from`: the node it renames (TypeInfo::named_from).
ExternInfo named(TypeRef value, TypeRef from = nullptr) {
  auto t = std::make_shared<TypeInfo>();
  t->kind = TypeInfo::Kind::Value;
  t->value = std::move(value);
  t->named_from = std::move(from);
  ExternInfo e;
  e.kind = ExternInfo::Kind::Type;
  e.type = t;
  return e;
}

ExternInfo resource(ResourceTypeId id, uint32_t alias = 0) {
  auto t = std::make_shared<TypeInfo>();
  t->kind = TypeInfo::Kind::Resource;
  t->resource = id;
  t->resource_alias = alias;
  ExternInfo e;
  e.kind = ExternInfo::Kind::Type;
  e.type = t;
  return e;
}

TypeRef own(ResourceTypeId id, uint32_t alias = 0) {
  ValType v{.kind = TypeKind::Own, .resource = id, .resource_alias = alias};
  return std::make_shared<const ValType>(v);
}

TypeRef borrow(ResourceTypeId id, uint32_t alias = 0) {
  ValType v{.kind = TypeKind::Borrow, .resource = id, .resource_alias = alias};
  return std::make_shared<const ValType>(v);
}

ExternInfo instance(std::vector<NamedExtern> exports) {
  auto t = std::make_shared<InstanceTypeInfo>();
  t->exports = std::move(exports);
  ExternInfo e;
  e.kind = ExternInfo::Kind::Instance;
  e.instance = t;
  return e;
}

TEST(WitIdentifiers, KeywordsAreEscapedWithPercent) {
  EXPECT_EQ(identifier("type"), "%type");
  EXPECT_EQ(identifier("error-context"), "%error-context");
  EXPECT_EQ(identifier("flags"), "%flags");
  EXPECT_EQ(identifier("async"), "%async");
  EXPECT_EQ(identifier("types"), "types");
  EXPECT_EQ(identifier("my-list"), "my-list");
  EXPECT_TRUE(is_keyword("constructor"));
  EXPECT_FALSE(is_keyword("float32"));
}

TEST(WitIdentifiers, PackageAndInterfaceNamesAreEscapedSegmentBySegment) {
  EXPECT_EQ(qualified_identifier("bool:host/things"), "%bool:host/things");
  EXPECT_EQ(qualified_identifier("wasi:io/streams@0.2.0"), "wasi:io/streams@0.2.0");
  EXPECT_EQ(qualified_identifier("list:type/own@1.0.0-rc.1"), "%list:%type/%own@1.0.0-rc.1");
  EXPECT_EQ(qualified_identifier("a:b:flags/c"), "a:b:%flags/c");
  EXPECT_EQ(qualified_identifier("root:component"), "root:component");
}

TEST(WitPrinter, WorldFunctionsWithEveryAnonymousType) {
  ComponentTypeInfo world;
  world.imports.emplace_back("log", func({{"msg", prim(TypeKind::String)}}));
  world.exports.emplace_back(
      "scalars", func({{"a", prim(TypeKind::Bool)}, {"b", prim(TypeKind::S8)}, {"c", prim(TypeKind::U8)},
                       {"d", prim(TypeKind::S16)}, {"e", prim(TypeKind::U16)}, {"f", prim(TypeKind::S32)},
                       {"g", prim(TypeKind::U32)}, {"h", prim(TypeKind::S64)}, {"i", prim(TypeKind::U64)},
                       {"j", prim(TypeKind::F32)}, {"k", prim(TypeKind::F64)}, {"l", prim(TypeKind::Char)}},
                      types::tuple({prim(TypeKind::U8), prim(TypeKind::String)})));
  world.exports.emplace_back(
      "containers",
      func({{"a", types::list(prim(TypeKind::U8))},
            {"b", types::fixed_list(prim(TypeKind::F32), 4)},
            {"c", types::option(types::option(prim(TypeKind::U32)))},
            {"d", types::result(nullptr, nullptr)},
            {"e", types::result(prim(TypeKind::U32), nullptr)},
            {"f", types::result(nullptr, prim(TypeKind::String))},
            {"g", types::result(prim(TypeKind::U32), prim(TypeKind::ErrorContext))}}));
  world.exports.emplace_back("pipe", func({{"in", types::stream(prim(TypeKind::U8))}, {"done", types::future(nullptr)}},
                                          types::stream(nullptr), /*is_async=*/true));
  world.exports.emplace_back("later", func({}, types::future(prim(TypeKind::String)), /*is_async=*/true));
  // a keyword as a function and a parameter name
  world.exports.emplace_back("list", func({{"type", prim(TypeKind::U32)}}));
  EXPECT_EQ(print_world(world),
            "package root:component;\n"
            "\n"
            "world root {\n"
            "  import log: func(msg: string);\n"
            "\n"
            "  export scalars: func(a: bool, b: s8, c: u8, d: s16, e: u16, f: s32, g: u32, h: s64, i: u64, "
            "j: f32, k: f64, l: char) -> tuple<u8, string>;\n"
            "  export containers: func(a: list<u8>, b: list<f32, 4>, c: option<option<u32>>, d: result, "
            "e: result<u32>, f: result<_, string>, g: result<u32, error-context>);\n"
            "  export pipe: async func(in: stream<u8>, done: future) -> stream;\n"
            "  export later: async func() -> future<string>;\n"
            "  export %list: func(%type: u32);\n"
            "}\n");
}

TEST(WitPrinter, NamedInterfaceWithTypeDefinitionsAndAResource) {
  TypeRef point = types::record({{"x", prim(TypeKind::S32)}, {"y", prim(TypeKind::S32)}});
  TypeRef shape = types::variant({{"circle", prim(TypeKind::F64)}, {"rect", types::tuple({point, point})}, {"none", nullptr}});
  TypeRef color = types::enumeration({"red", "green", "blue"});
  TypeRef perms = types::flags({"read", "write", "exec"});
  ValType id_node = *prim(TypeKind::U64);  // `type id = u64`: a node of its own
  TypeRef id = std::make_shared<const ValType>(id_node);
  TypeRef entry = types::record({{"flags", perms}, {"id", id}});

  ComponentTypeInfo world;
  world.imports.emplace_back(
      "test:shapes/types@1.2.0",
      instance({{"point", named(point)},
                {"shape", named(shape)},
                {"color", named(color)},
                {"perms", named(perms)},
                {"id", named(id, prim(TypeKind::U64))},
                {"entry", named(entry)},
                {"blob", resource(7)},
                {"[constructor]blob", func({{"data", types::list(prim(TypeKind::U8))}}, own(7))},
                {"[method]blob.size", func({{"self", borrow(7)}}, prim(TypeKind::U32))},
                {"[method]blob.type", func({{"self", borrow(7)}}, prim(TypeKind::String), true)},
                {"[static]blob.merge", func({{"a", own(7)}, {"b", borrow(7)}}, own(7))},
                {"[static]blob.open", func({{"name", prim(TypeKind::String)}},
                                           types::result(own(7), prim(TypeKind::String)), true)},
                {"area", func({{"s", shape}}, prim(TypeKind::F64))},
                {"first", func({{"p", types::list(point)}}, types::option(point))}}));
  EXPECT_EQ(print_world(world),
            "package root:component;\n"
            "\n"
            "world root {\n"
            "  import test:shapes/types@1.2.0;\n"
            "}\n"
            "\n"
            "package test:shapes@1.2.0 {\n"
            "  interface types {\n"
            "    record point {\n"
            "      x: s32,\n"
            "      y: s32,\n"
            "    }\n"
            "\n"
            "    variant shape {\n"
            "      circle(f64),\n"
            "      rect(tuple<point, point>),\n"
            "      none,\n"
            "    }\n"
            "\n"
            "    enum color {\n"
            "      red,\n"
            "      green,\n"
            "      blue,\n"
            "    }\n"
            "\n"
            "    flags perms {\n"
            "      read,\n"
            "      write,\n"
            "      exec,\n"
            "    }\n"
            "\n"
            "    type id = u64;\n"
            "\n"
            "    record entry {\n"
            "      %flags: perms,\n"
            "      id: id,\n"
            "    }\n"
            "\n"
            "    resource blob {\n"
            "      constructor(data: list<u8>);\n"
            "      size: func() -> u32;\n"
            "      %type: async func() -> string;\n"
            "      merge: static func(a: blob, b: borrow<blob>) -> blob;\n"
            "      open: static async func(name: string) -> result<blob, string>;\n"
            "    }\n"
            "\n"
            "    area: func(s: shape) -> f64;\n"
            "    first: func(p: list<point>) -> option<point>;\n"
            "  }\n"
            "}\n");
}

// Interfaces that use each other's types, as wit-component encodes them: the using
// interface exports a name of its own for the type (`(export "t" (type (eq $outer)))`),
// whose node TypeInfo::named_from links to the used one; resources keep their id.
TEST(WitPrinter, UsesBetweenInterfacesAndFromTheWorld) {
  TypeRef error_code = types::enumeration({"denied", "busy"});
  TypeRef code_in_streams = std::make_shared<const ValType>(*error_code);
  TypeRef code_in_world = std::make_shared<const ValType>(*error_code);
  TypeRef other_code = types::enumeration({"other"});
  ComponentTypeInfo world;
  world.imports.emplace_back("wasi:io/error@0.2.0", instance({{"error", resource(1)}, {"code", named(error_code)}}));
  world.imports.emplace_back(
      "wasi:io/streams@0.2.0",
      instance({{"error", resource(1, 5)},
                {"code", named(code_in_streams, error_code)},
                {"output-stream", resource(2)},
                {"[method]output-stream.check", func({{"self", borrow(2)}}, types::result(nullptr, own(1, 5)))},
                {"last", func({}, code_in_streams)}}));
  world.imports.emplace_back("wasi:cli/stdout@0.2.0",
                             instance({{"output-stream", resource(2, 6)}, {"get-stdout", func({}, own(2, 6))}}));
  // a world-level use under another name (the world's own `code` is another type); a
  // direct reference to the used type goes through that same use
  world.imports.emplace_back("code", named(other_code));
  world.imports.emplace_back("io-code", named(code_in_world, error_code));
  world.imports.emplace_back("check", func({{"c", code_in_world}, {"d", other_code}, {"e", error_code}}));
  EXPECT_EQ(print_world(world),
            "package root:component;\n"
            "\n"
            "world root {\n"
            "  use wasi:io/error@0.2.0.{code as io-code};\n"
            "\n"
            "  import wasi:io/error@0.2.0;\n"
            "  import wasi:io/streams@0.2.0;\n"
            "  import wasi:cli/stdout@0.2.0;\n"
            "\n"
            "  enum code {\n"
            "    other,\n"
            "  }\n"
            "\n"
            "  import check: func(c: io-code, d: code, e: io-code);\n"
            "}\n"
            "\n"
            "package wasi:io@0.2.0 {\n"
            "  interface error {\n"
            "    resource error;\n"
            "\n"
            "    enum code {\n"
            "      denied,\n"
            "      busy,\n"
            "    }\n"
            "  }\n"
            "\n"
            "  interface streams {\n"
            "    use error.{error, code};\n"
            "\n"
            "    resource output-stream {\n"
            "      check: func() -> result<_, error>;\n"
            "    }\n"
            "\n"
            "    last: func() -> code;\n"
            "  }\n"
            "}\n"
            "\n"
            "package wasi:cli@0.2.0 {\n"
            "  interface stdout {\n"
            "    use wasi:io/streams@0.2.0.{output-stream};\n"
            "\n"
            "    get-stdout: func() -> output-stream;\n"
            "  }\n"
            "}\n");
}

// A type used from another scope whose name is taken here gets a `use ... as`.
TEST(WitPrinter, UsedNamesThatClashAreRenamed) {
  TypeRef their_code = types::enumeration({"denied"});
  TypeRef our_code = types::enumeration({"other"});
  ComponentTypeInfo world;
  world.imports.emplace_back("wasi:io/error@0.2.0", instance({{"code", named(their_code)}}));
  world.imports.emplace_back("code", named(our_code));
  world.imports.emplace_back("check", func({{"a", their_code}, {"b", our_code}}));
  EXPECT_EQ(print_world(world),
            "package root:component;\n"
            "\n"
            "world root {\n"
            "  use wasi:io/error@0.2.0.{code as error-code};\n"
            "\n"
            "  import wasi:io/error@0.2.0;\n"
            "\n"
            "  enum code {\n"
            "    other,\n"
            "  }\n"
            "\n"
            "  import check: func(a: error-code, b: code);\n"
            "}\n"
            "\n"
            "package wasi:io@0.2.0 {\n"
            "  interface error {\n"
            "    enum code {\n"
            "      denied,\n"
            "    }\n"
            "  }\n"
            "}\n");
}

TEST(WitPrinter, PlainNamedInstancesAreInlineInterfaces) {
  ComponentTypeInfo world;
  world.imports.emplace_back("clock", instance({{"now", func({}, prim(TypeKind::U64))}}));
  world.exports.emplace_back("api", instance({{"greet", func({{"name", prim(TypeKind::String)}}, prim(TypeKind::String))},
                                              {"calls", func({}, prim(TypeKind::U32))}}));
  EXPECT_EQ(print_world(world),
            "package root:component;\n"
            "\n"
            "world root {\n"
            "  import clock: interface {\n"
            "    now: func() -> u64;\n"
            "  }\n"
            "\n"
            "  export api: interface {\n"
            "    greet: func(name: string) -> string;\n"
            "    calls: func() -> u32;\n"
            "  }\n"
            "}\n");
}

TEST(WitPrinter, WhatWitCannotSayIsAComment) {
  ComponentTypeInfo world;
  ExternInfo component;
  component.kind = ExternInfo::Kind::Component;
  component.component = std::make_shared<ComponentTypeInfo>();
  world.imports.emplace_back("plugin", component);
  // a resource exported at the top level of the component, with its members
  world.exports.emplace_back("counter", resource(3, 1));
  world.exports.emplace_back("[constructor]counter", func({{"start", prim(TypeKind::U32)}}, own(3, 1)));
  world.exports.emplace_back("[method]counter.get", func({{"self", borrow(3, 1)}}, prim(TypeKind::U32)));
  world.exports.emplace_back("keep", func({{"c", own(3, 1)}}, prim(TypeKind::U32)));
  EXPECT_EQ(print_world(world),
            "package root:component;\n"
            "\n"
            "world root {\n"
            "  // import \"plugin\": a component (WIT cannot express it)\n"
            "\n"
            "  // exported types (a WIT world cannot export a type; the component does):\n"
            "  resource counter {\n"
            "    constructor(start: u32);\n"
            "    get: func() -> u32;\n"
            "  }\n"
            "\n"
            "  export keep: func(c: counter) -> u32;\n"
            "}\n");
}

// Found by tests/fuzz component_binary: a component exporting, at its top level, a type
// that renames a record of an instance it exports. The printer wrote only `use api.{point};`,
// which reads back as nothing (the world's use of an interface it exports inline imports
// nothing), so the text lost the export without saying so.
TEST(WitPrinter, AnExportedTypeThatIsAUseSaysSo) {
  ComponentTypeInfo world;
  TypeRef point = types::record({{"x", prim(TypeKind::U32)}, {"y", prim(TypeKind::U32)}});
  world.exports.emplace_back("api", instance({{"point", named(point)}}));
  world.exports.emplace_back("point", named(std::make_shared<const ValType>(*point), point));
  EXPECT_EQ(print_world(world),
            "package root:component;\n"
            "\n"
            "world root {\n"
            "  use api.{point};\n"
            "\n"
            "  export api: interface {\n"
            "    record point {\n"
            "      x: u32,\n"
            "      y: u32,\n"
            "    }\n"
            "  }\n"
            "\n"
            "  // exported types (a WIT world cannot export a type; the component does):\n"
            "  // point: the type `use`d above\n"
            "}\n");
}

// Found by tests/fuzz component_binary (finding #12): a component imports a resource `x`
// and exports a type `x` of its own. A component keeps imports and exports apart, a WIT
// world does not, so the printer wrote `resource x;` twice and the text read back said
// "type x is defined twice". The exported one is told in comments instead.
TEST(WitPrinter, AnExportedTypeNamedLikeAnImportIsToldInComments) {
  ComponentTypeInfo world;
  world.imports.emplace_back("x", resource(1));
  world.exports.emplace_back("x", resource(2));
  EXPECT_EQ(print_world(world),
            "package root:component;\n"
            "\n"
            "world root {\n"
            "  resource x;\n"
            "\n"
            "  // exported types (a WIT world cannot export a type; the component does):\n"
            "  // resource x;\n"
            "  // (x: exported under the name of an import too)\n"
            "}\n");
}

// Found by tests/fuzz component_binary: a resource type imported under an interface's
// name (`wasi:http/types@1.0.0`; a component may name any import so). The printer wrote
// `resource wasi:http/types@1.0.0;`, which does not parse.
TEST(WitPrinter, ATypeNamedLikeAnInterfaceHasNoWitForm) {
  ComponentTypeInfo world;
  world.imports.emplace_back("wasi:http/types@1.0.0", resource(0));
  try {
    std::string text = print_world(world);
    ADD_FAILURE() << "expected NoWitForm, got:\n" << text;
  } catch (const NoWitForm& e) {
    EXPECT_NE(std::string(e.what()).find("imports a type named `wasi:http/types@1.0.0`"), std::string::npos) << e.what();
  }
}

// A WIT interface cannot `use` a world's own types, so an interface that refers to one
// (a type the component imports at its top level, aliased or used inside an imported
// instance) has no WIT text that reads back; the printer says so rather than print a
// name the reader cannot resolve.
TEST(WitPrinter, AnInterfaceReferringToAWorldTypeHasNoWitForm) {
  for (int shape = 0; shape < 3; ++shape) {
    ComponentTypeInfo world;
    world.imports.emplace_back("r", resource(5));
    if (shape == 0) world.imports.emplace_back("x:y/i", instance({{"r", resource(5)}}));
    if (shape == 1) world.imports.emplace_back("x:y/i", instance({{"f", func({}, own(5))}}));
    if (shape == 2) world.imports.emplace_back("api", instance({{"f", func({{"x", borrow(5)}})}}));
    try {
      print_world(world);
      ADD_FAILURE() << "shape " << shape << ": expected NoWitForm";
    } catch (const NoWitForm& e) {
      EXPECT_NE(std::string(e.what()).find("refers to `r`, a type of the world itself"), std::string::npos) << e.what();
    }
  }
}

// Found by tests/fuzz component_binary (the suite's validation/external-visibility.wast,
// line 520): a resource defined in an instance nested in an exported instance, used by
// an exported function. The nested instance is only a comment, so the printer used to
// write `resource-0`, a name no reader resolves.
TEST(WitPrinter, AResourceOfANestedInstanceHasNoWitForm) {
  ComponentTypeInfo world;
  world.exports.emplace_back("i2", instance({{"i", instance({{"r", resource(0)}})}}));
  world.exports.emplace_back("f", func({{"x", own(0)}}));
  try {
    std::string text = print_world(world);
    ADD_FAILURE() << "expected NoWitForm, got:\n" << text;
  } catch (const NoWitForm& e) {
    EXPECT_NE(std::string(e.what()).find("the world refers to a resource that no WIT name reaches"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace cm::wit
