// External visibility of types through nested components (Explainer.md "External
// Visibility of Types"): a record used in the type of an export needs an externally
// visible name, which is the type index an import or export introduces, or an alias of
// one. These cases put a record through a nested component that imports it with a type
// bound `(type (eq ...))` and exports an instance using it, which the outer component
// then exports. Each case states its component text; wasm-tools 0.259 gives the same
// verdicts (except where noted).
#include <gtest/gtest.h>

#include "validator_builders.h"

namespace cm::validate {
namespace {

using namespace builders;

constexpr uint8_t FUNC = 0x01, TYPE = 0x03, INSTANCE = 0x05;
const char* const kUnnamedInstance = "instance not valid to be used as export: a record type has no externally visible name";

// One `sort index` pair with a name: an instantiation argument or an inline export.
struct Item {
  std::string name;
  uint8_t sort;
  uint32_t index;
};

Bytes record_type() { return Bytes{0x72, 0x01}.name("a").u8(U32); }
// (func (param "x" T) (result u32))
Bytes takes(uint32_t type) { return functype({{"x", idx(type)}}, vt(U32)); }

Bytes alias_outer_type(uint32_t count, uint32_t index) {
  return section(6, Bytes{0x01, TYPE, 0x02}.u32(count).u32(index));
}
Bytes alias_export(uint8_t sort, uint32_t instance, const std::string& name) {
  return section(6, Bytes{0x01, sort, 0x00}.u32(instance).name(name));
}
// (import "name" (type (eq T)))
Bytes import_type_eq(const std::string& name, uint32_t type) {
  return section(10, Bytes{0x01, 0x00}.name(name).raw({0x03, 0x00}).u32(type));
}
Bytes import_instance(const std::string& name, uint32_t type) {
  return section(10, Bytes{0x01, 0x00}.name(name).u8(INSTANCE).u32(type));
}
// (export "name" (sort index) <externdesc>)
Bytes export_ascribed(const std::string& name, uint8_t sort, uint32_t index, const Bytes& externdesc) {
  return section(11, Bytes{0x01, 0x00}.name(name).u8(sort).u32(index).u8(0x01).append(externdesc));
}
// (instance (export "name" (sort index))*)
Bytes bag(std::initializer_list<Item> exports) {
  Bytes b = Bytes{0x01, 0x01}.u32(exports.size());
  for (const Item& e : exports) b.u8(0x00).name(e.name).u8(e.sort).u32(e.index);
  return section(5, b);
}
// (instance (instantiate component (with "name" (sort index))*))
Bytes instantiate(uint32_t component, std::initializer_list<Item> args) {
  Bytes b = Bytes{0x01, 0x00}.u32(component).u32(args.size());
  for (const Item& a : args) b.name(a.name).u8(a.sort).u32(a.index);
  return section(5, b);
}
Bytes nested(std::initializer_list<Bytes> sections) { return section(4, cm::testing::component(sections)); }
// core func 0 = "f": (i32) -> (i32), from an instance of a module (no memory).
Bytes core_f() { return prelude({{{I32}, {I32}, "f"}}, /*memory=*/false); }

// The nested component of the bug report:
//   (component
//     (alias outer <levels> 0 (type))          ;; type 0: the outer record
//     (import "r" (type (eq 0)))               ;; type 1: the name the import introduces
//     (export "r" (type 1))                    ;; type 2, if `export_name`: a name of its own
//     (type (func (param "x" T) (result u32))) ;; T: 2 with `export_name`, else 1
//     (func (canon lift (core func "f") (type ...)))          ;; func 0
//     (instance (export "r" (type T))? (export "f" (func 0))) ;; instance 0
//     (export "i" (instance 0)))
struct InnerShape {
  uint32_t levels = 1;       // how far out the record is defined
  bool export_name = false;  // export the record by name and type the function with that
  bool bag_names = false;    // the instance exports the record beside the function
};
Bytes inner(InnerShape shape) {
  uint32_t named = shape.export_name ? 2 : 1;
  Bytes type_export = shape.export_name ? export_item("r", TYPE, 1) : Bytes();
  Bytes instance = shape.bag_names ? bag({{"r", TYPE, named}, {"f", FUNC, 0}}) : bag({{"f", FUNC, 0}});
  return nested({alias_outer_type(shape.levels, 0), import_type_eq("r", 0), type_export, types({takes(named)}),
                 core_f(), canons({lift(0, opts({}), named + 1)}), instance, export_item("i", INSTANCE, 0)});
}

// Where the outer component's argument for "r" comes from (type 0 is its record).
enum class Argument {
  Unnamed,   // the definition itself: no name outside
  Imported,  // (import "r" (type (eq 0))): type 1
  Exported,  // (export "r" (type 0)): type 1
};
Bytes argument_source(Argument a) {
  switch (a) {
    case Argument::Unnamed: return Bytes();
    case Argument::Imported: return import_type_eq("r", 0);
    case Argument::Exported: return export_item("r", TYPE, 0);
  }
  return Bytes();
}
uint32_t argument_index(Argument a) { return a == Argument::Unnamed ? 0 : 1; }

// (component (type (record ...)) <argument> <inner> (instance (instantiate 0 (with "r"
// (type A)))) <exports...>): instance 0 is the inner component's instance.
Bytes outer(Argument a, const Bytes& inner_component, std::initializer_list<Bytes> exports) {
  Bytes b = with({types({record_type()}), argument_source(a), inner_component,
                  instantiate(0, {{"r", TYPE, argument_index(a)}})});
  for (const Bytes& e : exports) b.append(e);
  return b;
}

// (alias export 0 "i" (instance)) = instance 1, (export "i" (instance 1))
Bytes reexport_i() { return Bytes().append(alias_export(INSTANCE, 0, "i")).append(export_item("i", INSTANCE, 1)); }

TEST(ValidatorVisibility, AnInstanceUsingAnEqImportedRecordIsExportableWhereTheArgumentHasAName) {
  // The inner component's function uses the name its import introduced; instantiation
  // binds that name to the argument, so outside the record is named iff the argument is.
  EXPECT_NO_THROW(validate(outer(Argument::Imported, inner({}), {reexport_i()})));
  EXPECT_NO_THROW(validate(outer(Argument::Exported, inner({}), {reexport_i()})));
  // The outer component's own definition has no name: the rejection still fires.
  expect_invalid(outer(Argument::Unnamed, inner({}), {reexport_i()}), kUnnamedInstance);
  // Exporting the whole instance of the inner component is the same: it exports only "i".
  expect_invalid(outer(Argument::Unnamed, inner({}), {export_item("inner", INSTANCE, 0)}), kUnnamedInstance);
}

TEST(ValidatorVisibility, AnInstanceThatExportsTheRecordNamesIt) {
  // (instance (export "r" (type 1)) (export "f" (func 0))): exporting the instance exports
  // "r" too, so the record has a name even when the argument had none.
  EXPECT_NO_THROW(validate(outer(Argument::Unnamed, inner({.bag_names = true}), {reexport_i()})));
}

TEST(ValidatorVisibility, ARecordTheInnerComponentExportsByName) {
  // The inner component exports "r" (its type 2) and types its function with it.
  Bytes by_name = inner({.export_name = true});
  // Exporting the whole instance exports "r" with it: named.
  EXPECT_NO_THROW(validate(outer(Argument::Unnamed, by_name, {export_item("inner", INSTANCE, 0)})));
  // Re-exporting "r" under a name of the outer component names a new type index, not the
  // one the functions of "i" use (type 1 = alias of "r", type 2 = its export "r2").
  expect_invalid(outer(Argument::Unnamed, by_name,
                       {alias_export(TYPE, 0, "r"), export_item("r2", TYPE, 1), reexport_i()}),
                 kUnnamedInstance);
  // A new instance holding the aliased "r" and the function names it again:
  // (alias export 0 "r" (type 1)) (alias export 0 "i" (instance 1)) (alias export 1 "f"
  // (func 0)) (instance (export "r" (type 1)) (export "f" (func 0))) = instance 2.
  EXPECT_NO_THROW(validate(outer(Argument::Unnamed, by_name,
                                 {alias_export(TYPE, 0, "r"), alias_export(INSTANCE, 0, "i"), alias_export(FUNC, 1, "f"),
                                  bag({{"r", TYPE, 1}, {"f", FUNC, 0}}), export_item("api", INSTANCE, 2)})));
}

TEST(ValidatorVisibility, NamesThreadThroughNestedInstances) {
  // (instance $j (export "f" (func 0))) (instance $i (export "r" (type 1)) (export "j"
  // (instance $j))) (export "i" (instance $i)): "r" names the record for "j"'s function.
  auto nested_bags = [](bool names) {
    Bytes i = names ? bag({{"r", TYPE, 1}, {"j", INSTANCE, 0}}) : bag({{"j", INSTANCE, 0}});
    return nested({alias_outer_type(1, 0), import_type_eq("r", 0), types({takes(1)}), core_f(),
                   canons({lift(0, opts({}), 2)}), bag({{"f", FUNC, 0}}), i, export_item("i", INSTANCE, 1)});
  };
  EXPECT_NO_THROW(validate(outer(Argument::Unnamed, nested_bags(true), {reexport_i()})));
  expect_invalid(outer(Argument::Unnamed, nested_bags(false), {reexport_i()}), kUnnamedInstance);
}

TEST(ValidatorVisibility, NamesThreadThroughAMiddleComponent) {
  // (component $middle (alias outer 1 0 (type)) (import "r" (type (eq 0))) <inner, whose
  //   record is two levels out> (instance (instantiate 0 (with "r" (type 1)))) <re-export "i">)
  Bytes middle = nested({alias_outer_type(1, 0), import_type_eq("r", 0), inner({.levels = 2}),
                         instantiate(0, {{"r", TYPE, 1}}), reexport_i()});
  EXPECT_NO_THROW(validate(outer(Argument::Imported, middle, {reexport_i()})));
  expect_invalid(outer(Argument::Unnamed, middle, {reexport_i()}), kUnnamedInstance);
}

TEST(ValidatorVisibility, TwoImportsOfOneInstanceTypeAreBoundSeparately) {
  // (component
  //   (type (instance (type (record ...)) (export "r" (type (eq 0)))))  ;; type 0
  //   (import "t1" (instance (type 0)))                                  ;; instance 0: named
  //   (type (record ...))                                                ;; type 1: unnamed
  //   (component                                                         ;; component 0
  //     (alias outer 1 0 (type)) (import "a" (instance (type 0))) (import "b" (instance (type 0)))
  //     (alias export 1 "r" (type))                                      ;; b's "r"
  //     ... (instance (export "f" (func 0))) (export "i" (instance 2)))
  //   (instance (export "r" (type 1)))                                   ;; instance 1
  //   (instance (instantiate 0 (with "a" ...) (with "b" ...)))           ;; instance 2
  //   (alias export 2 "i" (instance)) (export "i" (instance 3)))
  // Each import introduces its own names: "b"'s record is whatever "b" is given. (wasm-tools
  // 0.259 keeps one identity for both imports and stops at an internal assertion here.)
  Bytes shapes = Bytes{0x42, 0x02, 0x01}.append(record_type()).raw({0x04, 0x00}).name("r").raw({0x03, 0x00, 0x00});
  Bytes component = nested({alias_outer_type(1, 0), import_instance("a", 0), import_instance("b", 0),
                            alias_export(TYPE, 1, "r"), types({takes(1)}), core_f(), canons({lift(0, opts({}), 2)}),
                            bag({{"f", FUNC, 0}}), export_item("i", INSTANCE, 2)});
  auto with_args = [&](uint32_t a, uint32_t b) {
    return with({types({shapes}), import_instance("t1", 0), types({record_type()}), component, bag({{"r", TYPE, 1}}),
                 instantiate(0, {{"a", INSTANCE, a}, {"b", INSTANCE, b}}), alias_export(INSTANCE, 2, "i"),
                 export_item("i", INSTANCE, 3)});
  };
  EXPECT_NO_THROW(validate(with_args(/*a=*/1, /*b=*/0)));
  expect_invalid(with_args(/*a=*/0, /*b=*/1), kUnnamedInstance);
}

TEST(ValidatorVisibility, AnAscribedExportNamesOnlyTheTypeIndicesItIntroduces) {
  // (type (record ...)) (export "r" (type 0) (type (eq 0))) = type 1;
  // (type (func (param "x" T) (result u32))) = type 2; (export "f" (func (canon lift ...)))
  // Explainer.md: the type index passed into an export is not named retroactively.
  auto typed_with = [](uint32_t param) {
    return with({types({record_type()}), export_ascribed("r", TYPE, 0, Bytes{0x03, 0x00, 0x00}), types({takes(param)}),
                 core_f(), canons({lift(0, opts({}), 2)}), export_item("f", FUNC, 0)});
  };
  EXPECT_NO_THROW(validate(typed_with(1)));
  expect_invalid(typed_with(0), "func not valid to be used as export: a record type has no externally visible name");

  // An instance ascribed with its own type export: (instance (alias outer 1 0 (type))
  // (export "r" (type (eq 0))) (type (func (param "x" T) (result u32))) (export "f" (func
  // (type 2)))), where T is the ascription's "r" (1) or the component's record (0).
  auto ascribed_with = [](uint8_t param) {
    Bytes it = Bytes{0x42, 0x04, 0x02, TYPE, 0x02, 0x01, 0x00};
    it.raw({0x04, 0x00}).name("r").raw({0x03, 0x00, 0x00});
    it.u8(0x01).append(takes(param));
    it.raw({0x04, 0x00}).name("f").raw({0x01, 0x02});
    return with({types({record_type()}), types({takes(0)}), core_f(), canons({lift(0, opts({}), 1)}),
                 bag({{"r", TYPE, 0}, {"f", FUNC, 0}}), types({it}), export_ascribed("api", INSTANCE, 0, Bytes{0x05, 0x02})});
  };
  EXPECT_NO_THROW(validate(ascribed_with(1)));
  expect_invalid(ascribed_with(0), kUnnamedInstance);
}

TEST(ValidatorVisibility, AResourceImportOfANestedComponentIsNamedByItsArgument) {
  // wit-bindgen's resource_alias fixtures, reduced:
  // (component
  //   (type $r (resource (rep i32)))                                   ;; type 0
  //   (component $c1
  //     (import "import-type-x" (type $x (sub resource)))
  //     (export $xe "x" (type $x))
  //     (type $rec1 (record (field "x" (own $xe))))
  //     (export "foo" (type $rec1)))
  //   (instance $i1 (instantiate $c1 (with "import-type-x" (type $r))))
  //   (export $e1 "e1" (instance $i1))?                                ;; if `export_e1`
  //   (alias export $e1 "x" (type $x1)) (alias export $e1 "foo" (type $foo1))
  //   (component $c2
  //     (import "import-type-x" (type $x (sub resource)))
  //     (type $rec2 (record (field "x" (own $x))))
  //     (import "import-type-bar" (type $bar (eq $rec2)))
  //     (export "bar" (type $bar)))
  //   (instance $i2 (instantiate $c2 (with "import-type-x" (type $x1))
  //                                  (with "import-type-bar" (type $foo1))))
  //   (export "e2" (instance $i2)))
  // "bar"'s own<$x> uses the index "import-type-x" introduced, which instantiation binds to
  // $x1, an alias of "e1"'s "x": named outside iff "e1" is exported.
  Bytes resource = Bytes{0x3f, I32, 0x00};
  auto own = [](uint32_t t) { return Bytes{0x69}.u32(t); };
  auto record_of = [](uint32_t t) { return Bytes{0x72, 0x01}.name("x").append(idx(t)); };
  auto import_sub_resource = [](const std::string& name) {
    return section(10, Bytes{0x01, 0x00}.name(name).raw({TYPE, 0x01}));
  };
  Bytes c1 = nested({import_sub_resource("import-type-x"), export_item("x", TYPE, 0), types({own(1), record_of(2)}),
                     export_item("foo", TYPE, 3)});
  Bytes c2 = nested({import_sub_resource("import-type-x"), types({own(0), record_of(1)}),
                     import_type_eq("import-type-bar", 2), export_item("bar", TYPE, 3)});
  auto with_e1 = [&](bool export_e1) {
    uint32_t e1 = export_e1 ? 1 : 0, i2 = e1 + 1;
    return with({types({resource}), c1, instantiate(0, {{"import-type-x", TYPE, 0}}),
                 export_e1 ? export_item("e1", INSTANCE, 0) : Bytes(), alias_export(TYPE, e1, "x"),
                 alias_export(TYPE, e1, "foo"),
                 c2, instantiate(1, {{"import-type-x", TYPE, 1}, {"import-type-bar", TYPE, 2}}),
                 export_item("e2", INSTANCE, i2)});
  };
  EXPECT_NO_THROW(validate(with_e1(true)));
  expect_invalid(with_e1(false), "instance not valid to be used as export: resource type #0 has no externally visible name");

  // The same through an instance import: (component $c2 (import "i" (instance (export "x"
  // (type (sub resource))))) (alias export 0 "x" (type $x)) (type $rec2 (record (field "x"
  // (own $x)))) (export "bar" (type $rec2))), instantiated (with "i" (instance $e1)) (or
  // $i1, when "e1" is not exported).
  Bytes x_instance = Bytes{0x42, 0x01, 0x04, 0x00}.name("x").raw({TYPE, 0x01});
  Bytes c2i = nested({types({x_instance}), import_instance("i", 0), alias_export(TYPE, 0, "x"),
                      types({own(1), record_of(2)}), export_item("bar", TYPE, 3)});
  auto instance_with_e1 = [&](bool export_e1) {
    uint32_t e1 = export_e1 ? 1 : 0, i2 = e1 + 1;
    return with({types({resource}), c1, instantiate(0, {{"import-type-x", TYPE, 0}}),
                 export_e1 ? export_item("e1", INSTANCE, 0) : Bytes(), c2i, instantiate(1, {{"i", INSTANCE, e1}}),
                 export_item("e2", INSTANCE, i2)});
  };
  EXPECT_NO_THROW(validate(instance_with_e1(true)));
  expect_invalid(instance_with_e1(false),
                 "instance not valid to be used as export: resource type #0 has no externally visible name");
}

}  // namespace
}  // namespace cm::validate
