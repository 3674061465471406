// Who names what in a component's type, as WIT sees it.
//
// A component's imports and exports give names to types: `(export "point" (type (eq
// $t)))` inside an instance type names the record `$t` in that interface, `(import
// "color" (type (eq $c)))` names a type in the world. WIT calls the places that hold
// names the world and its interfaces; this pass walks the component's type once, in
// binary order, and records every name a value type node or a resource type has, and
// where. The WIT printer and the type description for JS then refer to a type by one of
// its names: the one in the scope they print, if there is one, else where it was first
// named (which WIT spells `use iface.{name}`).
//
// Identity follows the validator: a value type is named by its node (every name gets a
// node of its own, TypeInfo::named_from says which node it renames), a resource by its
// ResourceTypeId (and the type index it is used through, ResourceAlias).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "validate/component_types.h"

namespace cm::wit {

// A place that holds names: the world, or an interface imported or exported by it.
struct Scope {
  enum class Kind : uint8_t {
    World,
    Interface,        // an instance named `ns:pkg/iface@version`: printed in a package block
    InlineInterface,  // an instance with a plain name: `import name: interface { ... }`
  };
  Kind kind = Kind::World;
  std::string name;        // the import/export name ("" for the world)
  bool exported = false;
  std::string package;     // Interface: "ns:pkg"
  std::string interface;   // Interface: "iface"
  std::string version;     // Interface: "1.2.0", or "" when unversioned
  const validate::InstanceTypeInfo* type = nullptr;  // Interface, InlineInterface
};

// A name given in a scope.
struct Name {
  uint32_t scope = 0;
  std::string name;
  bool operator==(const Name& o) const { return scope == o.scope && name == o.name; }
};

class WorldNames {
 public:
  static constexpr uint32_t kWorld = 0;
  static constexpr uint32_t kNoScope = UINT32_MAX;

  explicit WorldNames(const validate::ComponentTypeInfo& world);

  const std::vector<Scope>& scopes() const { return scopes_; }
  // The interface scope an instance import (exported = false) or export of the world
  // introduced, by the item's index in the world's imports/exports; kNoScope otherwise.
  uint32_t item_scope(bool exported, size_t index) const;

  // The name of a value type node: the one it has in `scope` if any, else the first one
  // it was given; null if it has none.
  const Name* value_name(const ValType* node, uint32_t scope) const;
  // The name of a resource used through a handle type (own/borrow): by the type index it
  // is used through, else by any name the resource has, preferring `scope`.
  const Name* resource_name(ResourceTypeId resource, uint32_t alias, uint32_t scope) const;

  // Whether a type item `self` only renames a type named before it (WIT: `use i.{t}` or
  // `type a = b`): the earlier name, or null when `self` is the type's definition.
  const Name* earlier_name(const validate::TypeInfo& type, const Name& self) const;

  // Where a type is defined: its name after following renames back to the first name.
  const Name* value_definition(const ValType* node) const;
  const Name* resource_definition(ResourceTypeId resource) const;

 private:
  void add_items(uint32_t scope, const std::vector<validate::NamedExtern>& items, bool exported, bool root);
  void add_type(uint32_t scope, const std::string& name, const validate::TypeInfo& type);

  std::vector<Scope> scopes_;
  std::vector<uint32_t> import_scopes_, export_scopes_;
  std::unordered_map<const ValType*, std::vector<Name>> values_;
  std::unordered_map<const ValType*, const ValType*> renames_;  // node -> named_from
  std::map<validate::ResourceAlias, std::vector<Name>> resource_aliases_;
  std::unordered_map<ResourceTypeId, std::vector<Name>> resources_;
};

}  // namespace cm::wit
