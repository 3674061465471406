// WIT text as parsed (parser.h), before names are resolved (resolve.h): packages of
// interfaces and worlds, their items in text order, and type expressions that still
// refer to types by name.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "types/value_type.h"
#include "wit/wit_error.h"

namespace cm::wit::ast {

// A type as written: a primitive, a constructor of other types, or a name.
struct TypeExpr {
  enum class Kind : uint8_t { Primitive, Named, List, FixedList, Option, Result, Tuple, Stream, Future, Borrow };
  Kind kind = Kind::Primitive;
  Position pos;
  TypeKind primitive = TypeKind::Bool;  // Primitive
  std::string name;                     // Named, Borrow (the resource)
  // List, FixedList, Option, Stream, Future: args[0] (Stream/Future: none for `stream`);
  // Result: args[0] ok, args[1] err (either may be null: `_` or absent); Tuple: all.
  std::vector<std::shared_ptr<TypeExpr>> args;
  uint32_t length = 0;  // FixedList
};
using TypePtr = std::shared_ptr<TypeExpr>;

struct Param {
  std::string name;
  TypePtr type;
};

struct Func {
  Position pos;
  std::string name;  // "" for a constructor
  bool is_async = false;
  std::vector<Param> params;
  TypePtr result;  // may be null
};

struct ResourceMember {
  enum class Kind : uint8_t { Constructor, Method, Static };
  Kind kind = Kind::Method;
  Func func;
};

// A typedef item: record, variant, enum, flags, resource or `type a = t`.
struct TypeDef {
  enum class Kind : uint8_t { Alias, Record, Variant, Enum, Flags, Resource };
  Kind kind = Kind::Alias;
  Position pos;
  std::string name;
  TypePtr alias;                                    // Alias
  std::vector<Param> fields;                        // Record
  std::vector<std::pair<std::string, TypePtr>> cases;  // Variant (payload may be null)
  std::vector<std::string> labels;                  // Enum, Flags
  std::vector<ResourceMember> members;              // Resource
};

// `ns:pkg/iface@version`, or a bare `iface` of the current package.
struct UsePath {
  Position pos;
  std::string package;  // "ns:pkg", or "" for an interface of the current package
  std::string interface;
  std::string version;
};

struct Use {
  UsePath path;
  std::vector<std::pair<std::string, std::string>> names;  // (name there, name here)
};

struct Interface;

// One item of an interface or a world.
struct Item {
  enum class Kind : uint8_t {
    Use,        // use
    Type,       // typedef
    Func,       // func (interface item, or world import/export `name: func`)
    Inline,     // world import/export `name: interface { ... }`
    Path,       // world import/export of a named interface
  };
  Kind kind = Kind::Type;
  bool exported = false;  // world items: `export`
  Position pos;
  std::string name;  // Func, Inline: the item's name
  Use use;
  TypeDef type;
  Func func;
  std::shared_ptr<Interface> inline_interface;  // Inline
  UsePath path;                                 // Path
};

struct Interface {
  Position pos;
  std::string name;
  std::vector<Item> items;
};

struct World {
  Position pos;
  std::string name;
  std::vector<Item> items;
};

struct Package {
  std::string name;     // "ns:pkg", or "" when the text declares none
  std::string version;  // "" when none
  std::vector<std::shared_ptr<Interface>> interfaces;
  std::vector<std::shared_ptr<World>> worlds;
};

// A WIT text: its own package (possibly unnamed) and any nested `package ... { }` blocks.
struct Document {
  std::vector<Package> packages;  // [0] is the text's own package
};

}  // namespace cm::wit::ast
