// The WIT parser (abi/wit/parser.h), name resolution (resolve.h) and the import check
// (import_check.h). Parsing what the printer prints and printing it again gives the same
// text; errors say line:column; the import check names the first mismatch.
#include <gtest/gtest.h>

#include "wit/import_check.h"
#include "wit/parser.h"
#include "wit/printer.h"
#include "wit/resolve.h"

namespace cm::wit {
namespace {

validate::ComponentTypeInfo world_of(const std::string& text, const std::string& world = "") {
  return resolve_world(parse_wit(text), world);
}

std::string reprinted(const std::string& text) { return print_world(world_of(text)); }

void expect_error(const std::string& text, const std::string& message) {
  try {
    world_of(text);
    ADD_FAILURE() << "expected a WitError containing \"" << message << "\"";
  } catch (const WitError& e) {
    EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
  }
}

TEST(WitParser, ReadsBackWhatThePrinterPrints) {
  const std::string texts[] = {
      "package root:component;\n"
      "\n"
      "world root {\n"
      "  import log: func(msg: string);\n"
      "\n"
      "  export containers: func(a: list<u8>, b: list<f32, 4>, c: option<option<u32>>, d: result, "
      "e: result<u32>, f: result<_, string>, g: result<u32, error-context>) -> tuple<u8, string, char>;\n"
      "  export pipe: async func(in: stream<u8>, done: future) -> stream;\n"
      "  export later: async func() -> future<string>;\n"
      "  export %list: func(%type: u32, x: s8, y: u16, z: s64, w: f64, v: bool);\n"
      "}\n",

      "package root:component;\n"
      "\n"
      "world root {\n"
      "  use wasi:io/error@0.2.0.{code as io-code};\n"
      "\n"
      "  import wasi:io/error@0.2.0;\n"
      "  import wasi:io/streams@0.2.0;\n"
      "\n"
      "  import clock: interface {\n"
      "    now: func() -> u64;\n"
      "  }\n"
      "\n"
      "  enum code {\n"
      "    other,\n"
      "  }\n"
      "\n"
      "  import check: func(c: io-code, d: code);\n"
      "\n"
      "  export wasi:cli/run@0.2.0;\n"
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
      "    use error.{error, code, error as failure};\n"
      "\n"
      "    record entry {\n"
      "      %flags: perms,\n"
      "      id: id,\n"
      "      data: list<u8>,\n"
      "    }\n"
      "\n"
      "    flags perms {\n"
      "      read,\n"
      "      write,\n"
      "    }\n"
      "\n"
      "    type id = u64;\n"
      "\n"
      "    variant stream-error {\n"
      "      last-operation-failed(error),\n"
      "      closed,\n"
      "    }\n"
      "\n"
      "    resource output-stream {\n"
      "      constructor(name: string);\n"
      "      check: func() -> result<_, stream-error>;\n"
      "      %type: async func() -> string;\n"
      "      open: static func(name: string) -> result<output-stream, failure>;\n"
      "      merge: static async func(a: output-stream, b: borrow<output-stream>) -> output-stream;\n"
      "    }\n"
      "\n"
      "    last: func() -> code;\n"
      "    entries: func() -> list<entry>;\n"
      "  }\n"
      "}\n"
      "\n"
      "package wasi:cli@0.2.0 {\n"
      "  interface run {\n"
      "    run: func() -> result;\n"
      "  }\n"
      "}\n",

      // Package and interface names that are keywords are escaped segment by segment.
      "package root:component;\n"
      "\n"
      "world root {\n"
      "  import %bool:host/%type@1.0.0;\n"
      "  import %bool:host/things;\n"
      "}\n"
      "\n"
      "package %bool:host@1.0.0 {\n"
      "  interface %type {\n"
      "    f: func();\n"
      "  }\n"
      "}\n"
      "\n"
      "package %bool:host {\n"
      "  interface things {\n"
      "    g: func();\n"
      "  }\n"
      "}\n",
  };
  for (const std::string& text : texts) EXPECT_EQ(reprinted(text), text);
}

TEST(WitParser, AcceptsCommentsGatesForwardReferencesAndAPackageOfItsOwn) {
  validate::ComponentTypeInfo w = world_of(R"(
    /// docs
    package my:host@1.0.0;
    /* a block /* nested */ comment */
    world host {
      @since(version = 1.0.0)
      import logging;
      import log: func(msg: string, level: level);  // `level` is defined below
      enum level { info, warn, }
      export run: func() -> result<_, string>;
    }
    interface logging {
      use types.{pt};
      draw: func(p: pt) -> tuple<pt, pt,>;
    }
    interface types { record pt { x: u32, y: u32 } }
  )");
  // `types` too, ahead of `logging`, which uses it (as wit-parser elaborates a world)
  ASSERT_EQ(w.imports.size(), 4u);
  EXPECT_EQ(w.imports[0].first, "my:host/types@1.0.0");
  EXPECT_EQ(w.imports[1].first, "my:host/logging@1.0.0");
  EXPECT_EQ(w.imports[2].first, "level");
  EXPECT_EQ(w.imports[3].first, "log");
  ASSERT_EQ(w.exports.size(), 1u);
  EXPECT_EQ(w.exports[0].first, "run");
  const FuncType& log = *w.imports[3].second.func;
  ASSERT_EQ(log.params.size(), 2u);
  EXPECT_EQ(log.params[1].type->kind, TypeKind::Enum);
}

// What the printer writes when a world's function uses a type of an interface the world
// defines inline (a hand-made component can do that; WIT itself cannot).
TEST(WitParser, AWorldMayUseAnInterfaceItDefinesInline) {
  validate::ComponentTypeInfo w = world_of("world w { use c.{y}; export c: interface { resource y; } export f: func(x: y); }");
  ASSERT_EQ(w.exports.size(), 2u);
  const FuncType& f = *w.exports[1].second.func;
  EXPECT_EQ(f.params[0].type->kind, TypeKind::Own);
  EXPECT_EQ(f.params[0].type->resource, w.exports[0].second.instance->exports[0].second.type->resource);
}

// Found by tests/fuzz component_binary (the suite's validation/external-visibility.wast,
// lines 410 and 511): such a `use` of an *exported* interface imported the type, before
// the export that defines it, so the text read back to a world with no WIT form (a
// resource) or to a function whose record had lost its name. It only names the type.
TEST(WitParser, AWorldsUseOfAnInterfaceItExportsImportsNothing) {
  const std::string texts[] = {
      "package root:component;\n"
      "\n"
      "world root {\n"
      "  use i.{r};\n"
      "\n"
      "  export i: interface {\n"
      "    resource r;\n"
      "  }\n"
      "\n"
      "  export f: func(x: r);\n"
      "}\n",
      "package root:component;\n"
      "\n"
      "world root {\n"
      "  use i.{t};\n"
      "\n"
      "  export i: interface {\n"
      "    record t {\n"
      "      x: u32,\n"
      "    }\n"
      "  }\n"
      "\n"
      "  export f: func(r: t);\n"
      "}\n",
  };
  for (const std::string& printed : texts) {
    validate::ComponentTypeInfo w = world_of(printed);
    EXPECT_TRUE(w.imports.empty());
    ASSERT_EQ(w.exports.size(), 2u);
    EXPECT_EQ(reprinted(printed), printed);
  }
}

TEST(WitParser, SyntaxErrorsSayLineAndColumn) {
  expect_error("world w {\n  import log: func(msg: string)\n}", "WIT 3:1: expected `;`, found `}`");
  expect_error("world w { import log: func(msg: strin); }", "unknown type `strin`");
  expect_error("world w { import log: func(msg: list<u8); }", "expected `>`");
  expect_error("world w { import x: func() -> list<u8, 0>; }", "at least one element");
  expect_error("world w { import x: func(); } $", "unexpected character `$`");
  expect_error("world w { /* open", "unterminated `/*` comment");
  expect_error("world w { include other; }", "`include` is not supported");
}

// Found by tests/fuzz wit_parser (tests/components/shapes.wit with its version mutated
// to `1.2.y`): the parser took any version-like token, and the printer then wrote the
// interface's name, which no component may have, as an inline interface that does not
// parse. Versions are semver, as in a component's names.
TEST(WitParser, VersionsAreSemver) {
  expect_error("package a:b@1.2.y; world w {}", "WIT 1:13: invalid version `1.2.y`");
  expect_error("world w { import a:b/c@1.0; }", "invalid version `1.0`");
  expect_error("package a:b; world w { use a:b/c@01.0.0.{t}; }", "invalid version `01.0.0`");
  EXPECT_NO_THROW(parse_wit("package a:b@1.2.3-rc.1+build.5; world w {}"));
}

// Found by tests/fuzz wit_parser (shapes.wit with a method renamed `%Gype`): the lexer
// took any letters and digits as an identifier; `[method]blob.Gype` is no valid name, so
// the printer wrote it as a plain function named so, which does not parse.
TEST(WitParser, IdentifiersAreKebabCase) {
  expect_error("world w { import Gype: func(); }", "WIT 1:18: `Gype` is not a valid identifier");
  expect_error("world w { import f: func(%aB: u8); }", "`aB` is not a valid identifier");
  expect_error("world w { import a--b: func(); }", "`a--b` is not a valid identifier");
  expect_error("world w { import a-: func(); }", "`a-` is not a valid identifier");
  EXPECT_NO_THROW(world_of("world w { import get-URL: func(%type: u8, x2: result<_, u8>); }"));
}

// Found by tests/fuzz wit_parser (shapes.wit with its package renamed
// `test:worldsh:apes`): a world imported an interface of a nested package (🪺), whose name
// no component may have; the printer wrote it as an inline interface that does not parse.
// And built with g++, `package a:b:c` did not parse at all (`next().text + id()` called
// id() first; clang, which builds the wasm engine and the fuzzers, went left to right).
TEST(WitParser, AWorldImportsOnlyInterfacesAComponentCanName) {
  expect_error("package a:b:c; interface i {} world w { import i; }",
               "WIT 1:41: `a:b:c/i` cannot name a component's import or export: `a:b:c/i` is not a valid extern name");
  EXPECT_NO_THROW(world_of("package a:b:c; interface i {} world w { import f: func(); }"));
}

// Found by tests/fuzz wit_parser (tests/components/shapes.wit without `import types;`): an
// interface the world exports `use`s one the world does not import. wit-parser imports it
// (world elaboration); the resolver did not, so the exported interface's types pointed
// into an interface the world did not have and printed as `/* unnamed record */ record`.
TEST(WitParser, InterfacesThatAWorldsInterfacesUseAreImported) {
  const std::string text =
      "package a:b@1.0.0;\n"
      "interface base { record point { x: s32 } }\n"
      "interface mid { use base.{point}; record pair { a: point, b: point } }\n"
      "interface api { use mid.{pair}; variant shape { line(pair), none } area: func(s: shape) -> f64; }\n"
      "world w { use base.{point as p}; import log: func(at: p); export api; }\n";
  validate::ComponentTypeInfo w = world_of(text);
  std::vector<std::string> imports;
  for (const auto& [name, e] : w.imports) imports.push_back(name);
  // dependencies first, then the world's own types and functions
  EXPECT_EQ(imports, (std::vector<std::string>{"a:b/base@1.0.0", "a:b/mid@1.0.0", "p", "log"}));
  ASSERT_EQ(w.exports.size(), 1u);
  std::string printed = print_world(w);
  EXPECT_EQ(printed.find("unnamed"), std::string::npos) << printed;
  EXPECT_NE(printed.find("import a:b/mid@1.0.0;"), std::string::npos) << printed;
  EXPECT_EQ(reprinted(printed), printed);

  // An interface that the world exports is not imported for another export's sake.
  validate::ComponentTypeInfo both = world_of(
      "package a:b; interface base { record point { x: s32 } } interface api { use base.{point}; f: func(p: point); }"
      "world w { export api; export base; }");
  EXPECT_TRUE(both.imports.empty());
  EXPECT_EQ(both.exports.size(), 2u);

  // Imported by name after being imported as a dependency: once. By name twice: an error.
  validate::ComponentTypeInfo once = world_of(
      "package a:b; interface base { type t = u8; } interface api { use base.{t}; } world w { import api; import base; }");
  ASSERT_EQ(once.imports.size(), 2u);
  EXPECT_EQ(once.imports[0].first, "a:b/base");
  expect_error("package a:b; interface base {} world w { import base; import base; }",
               "import `a:b/base` is declared twice");
  // A cycle of uses is an error, not a loop.
  expect_error("package a:b; interface x { use y.{t}; type u = u8; } interface y { use x.{u}; type t = u8; }"
               "world w { export x; }",
               "uses itself");
}

TEST(WitParser, NameErrors) {
  expect_error("world w { import missing; }", "unknown interface `missing`");
  expect_error("interface a { use b.{t}; } interface b { use a.{u}; } world w { import a; }", "uses itself");
  expect_error("interface a { use b.{nope}; } interface b { type t = u8; } world w { import a; }",
               "interface `b` has no type `nope`");
  expect_error("world w { type a = b; type b = a; import f: func(x: a); }", "refers to itself");
  expect_error("world w { record r { x: u8 } type r = u8; }", "defined twice");
  expect_error("world w { import f: func(x: u8, x: u8); }", "parameter `x` is declared twice");
  expect_error("world w { import f: func(); import f: func(); }", "import `f` is declared twice");
  expect_error("interface i { record f { x: u8 } f: func(); } world w { import i; }", "`f` is declared twice in interface `i`");
  expect_error("world w { type t = u8; import f: func(x: borrow<t>); }", "`t` is not a resource");
  expect_error("world a {} world b {}", "several worlds");
  expect_error("interface i {}", "declares no world");
  EXPECT_NO_THROW(world_of("world a {} world b {}", "b"));
}

// The component's imports (left) against the host's WIT (right).
std::string check(const std::string& component, const std::string& declared) {
  return check_imports(world_of(component), world_of(declared));
}

TEST(WitImportCheck, MatchingImportsPass) {
  const std::string wit = R"(
    package my:host;
    interface files {
      resource file { read: func(n: u32) -> result<list<u8>, string>; open: static func(p: string) -> file; }
      record stat { size: u64, kind: kind }
      enum kind { file, dir }
      stat-of: func(f: borrow<file>) -> stat;
    }
    world host { import files; import log: func(msg: string); import now: async func() -> u64; })";
  EXPECT_EQ(check(wit, wit), "");
  // The WIT may declare more than the component imports; type names do not matter.
  EXPECT_EQ(check("world c { import log: func(msg: string); }",
                  "world h { import log: func(msg: string); import more: func(); }"),
            "");
  EXPECT_EQ(check("world c { record a { x: u8 } import f: func(v: a); }",
                  "world h { record b { x: u8 } import f: func(v: b); }"),
            "");
}

TEST(WitImportCheck, MismatchesAreNamed) {
  const std::string log = "world c { import log: func(msg: string); }";
  EXPECT_EQ(check(log, "world h { import log: func(message: string); }"),
            "import `log`: parameter 1 is named `msg` in the component but `message` in the WIT");
  EXPECT_EQ(check(log, "world h { import log: func(msg: u32); }"),
            "import `log`: parameter `msg` is `string` in the component but `u32` in the WIT");
  EXPECT_EQ(check(log, "world h { import log: func(msg: string) -> bool; }"),
            "import `log` returns nothing in the component but `bool` in the WIT");
  EXPECT_EQ(check(log, "world h { import log: async func(msg: string); }"),
            "import `log` is sync in the component but async in the WIT");
  EXPECT_EQ(check(log, "world h { import log: func(); }"),
            "import `log` takes 1 parameters in the component but 0 in the WIT");
  EXPECT_EQ(check(log, "world h { import other: func(); }"),
            "the component imports `log`, which the WIT does not declare");
  EXPECT_EQ(check(log, "world h { import log: interface { f: func(); } }"),
            "import `log` is a function in the component but an interface in the WIT");
  EXPECT_EQ(check("world c { import i: interface { f: func(); g: func(x: u8); } }",
                  "world h { import i: interface { f: func(); } }"),
            "import `i`: the component imports function `g`, which the WIT does not declare");
  EXPECT_EQ(check("world c { record r { x: u8, y: u8 } import f: func() -> r; }",
                  "world h { record r { x: u8, z: u8 } import f: func() -> r; }"),
            "import `f` returns `record { x: u8, y: u8 }` in the component but `record { x: u8, z: u8 }` in the WIT");
}

TEST(WitImportCheck, ResourceMembersAreNamedAsMethodsStaticsAndConstructors) {
  const std::string component = R"(world c {
    import i: interface {
      resource r { constructor(n: u32); get: func(key: string) -> u32; make: static func() -> r; }
    }
  })";
  EXPECT_EQ(check(component, "world h { import i: interface { resource r { constructor(n: u32); "
                             "get: func(name: string) -> u32; make: static func() -> r; } } }"),
            "import `i` method `r.get`: parameter 1 is named `key` in the component but `name` in the WIT");
  EXPECT_EQ(check(component, "world h { import i: interface { resource r { constructor(n: u64); "
                             "get: func(key: string) -> u32; make: static func() -> r; } } }"),
            "import `i` constructor of `r`: parameter `n` is `u32` in the component but `u64` in the WIT");
  EXPECT_EQ(check(component, "world h { import i: interface { resource r { constructor(n: u32); "
                             "get: func(key: string) -> u32; make: static async func() -> r; } } }"),
            "import `i` static function `r.make` is sync in the component but async in the WIT");
}

TEST(WitImportCheck, EachResourceStandsForOneDeclaredResource) {
  const std::string component = R"(world c {
    import i: interface {
      resource a; resource b;
      f: func(x: a, y: b);
    }
  })";
  EXPECT_EQ(check(component, "world h { import i: interface { resource a; resource b; f: func(x: a, y: b); } }"), "");
  EXPECT_EQ(check(component, "world h { import i: interface { resource a; f: func(x: a, y: a); } }"),
            "import `i` function `f`: parameter `y` uses a resource that is not the one the WIT has there (each "
            "resource of the component stands for one declared resource)");
  EXPECT_EQ(check(component, "world h { import i: interface { resource a; resource b; f: func(x: a, y: borrow<b>); } }"),
            "import `i` function `f`: parameter `y` is `own<resource>` in the component but `borrow<resource>` in the WIT");
}

}  // namespace
}  // namespace cm::wit
