// The resolved types of a component's index spaces: what the validator knows about every
// func, type, instance, component, core module and core instance index, with no type
// indices left (value types are cm::TypeRef trees, function types cm::FuncType).
//
// Resource identity: every distinct resource type the validator meets gets a
// ResourceTypeId (an index into ValidatedComponent::resources), and own/borrow handles in
// TypeRefs carry that id. "Distinct" follows the spec: a resource defined by a component
// definition is a new type per instantiation of that definition, an imported resource
// `(sub resource)` is a new type per import, an abstract resource in a component/instance
// type is a placeholder that instantiation and import substitute.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "binary/ast.h"
#include "binary/core_module.h"
#include "types/value_type.h"

namespace cm::validate {

using binary::CoreExternDesc;
using binary::CoreFuncType;

// ---- core level ------------------------------------------------------------------------

// A core module's type: what it imports and exports (from the module's own sections, or
// from a core module type).
struct CoreModuleType {
  std::vector<binary::CoreImportDesc> imports;
  std::vector<binary::CoreExportDesc> exports;  // `index` is meaningful only for modules
};

// A core instance's type: its exports.
struct CoreInstanceType {
  std::vector<std::pair<std::string, CoreExternDesc>> exports;
  const CoreExternDesc* find(std::string_view name) const {
    for (const auto& e : exports)
      if (e.first == name) return &e.second;
    return nullptr;
  }
};

// An entry of the core type index space.
struct CoreTypeInfo {
  enum class Kind : uint8_t { Func, Module, Other /* struct, array */ };
  Kind kind = Kind::Func;
  CoreFuncType func;                                 // Func
  bool shared = false;                               // Func: a `shared` func type (🧵②)
  std::shared_ptr<const CoreModuleType> module;      // Module
};

// ---- component level -------------------------------------------------------------------

struct TypeInfo;
struct InstanceTypeInfo;
struct ComponentTypeInfo;
using TypeInfoRef = std::shared_ptr<const TypeInfo>;
using FuncTypeRef = std::shared_ptr<const FuncType>;
using InstanceTypeRef = std::shared_ptr<const InstanceTypeInfo>;
using ComponentTypeRef = std::shared_ptr<const ComponentTypeInfo>;
using CoreModuleTypeRef = std::shared_ptr<const CoreModuleType>;
using CoreInstanceTypeRef = std::shared_ptr<const CoreInstanceType>;

// The type of an import, an export, or an item of an instance: one per sort.
struct ExternInfo {
  enum class Kind : uint8_t { CoreModule, Func, Value, Type, Component, Instance };
  Kind kind = Kind::Func;
  CoreModuleTypeRef module;      // CoreModule
  FuncTypeRef func;              // Func
  TypeRef value;                 // Value (🪙; never produced, values are rejected)
  TypeInfoRef type;              // Type: the type the name stands for
  ComponentTypeRef component;    // Component
  InstanceTypeRef instance;      // Instance
};

using NamedExtern = std::pair<std::string, ExternInfo>;

struct InstanceTypeInfo {
  std::vector<NamedExtern> exports;
  // Resource types that this type introduces itself (its `(export "r" (type (sub
  // resource)))` declarations, also inside nested instance exports): each import of the
  // type gets fresh ones.
  std::vector<ResourceTypeId> defined_resources;
  const ExternInfo* find(std::string_view name) const {
    for (const auto& e : exports)
      if (e.first == name) return &e.second;
    return nullptr;
  }
};

struct ComponentTypeInfo {
  std::vector<NamedExtern> imports;
  std::vector<NamedExtern> exports;
  // Resources introduced by the imports: instantiation substitutes the arguments' ones.
  std::vector<ResourceTypeId> import_resources;
  // Resources defined (or made fresh) inside the component: each instantiation creates
  // new ones.
  std::vector<ResourceTypeId> defined_resources;
};

// An entry of the component type index space.
struct TypeInfo {
  enum class Kind : uint8_t { Value, Func, Component, Instance, Resource };
  Kind kind = Kind::Value;
  TypeRef value;                // Value (a defvaltype)
  // Value, when this entry is a new name for an existing type index (an import/export
  // `(type (eq T))`, or an export of a type): the node of T that `value` was copied from.
  // Only the WIT printer reads it, to print such a name as `use iface.{t}` / `type a = b`
  // rather than as a second definition.
  TypeRef named_from;
  FuncTypeRef func;             // Func
  ComponentTypeRef component;   // Component
  InstanceTypeRef instance;     // Instance
  ResourceTypeId resource = 0;  // Resource
  uint32_t resource_alias = 0;  // Resource: which type index of it (ValType::resource_alias)
};

// A resource type as one of its type indices names it. External visibility and annotated
// names ([constructor]R, [method]R.m) go by these, not by the resource alone: exporting
// `$R` as "r" makes the new index `$R'` visible, not `$R` itself.
struct ResourceAlias {
  ResourceTypeId resource = 0;
  uint32_t alias = 0;
  bool operator<(const ResourceAlias& o) const {
    return resource != o.resource ? resource < o.resource : alias < o.alias;
  }
  bool operator==(const ResourceAlias& o) const { return resource == o.resource && alias == o.alias; }
};

// Where a resource type comes from.
struct ResourceInfo {
  enum class Origin : uint8_t {
    Defined,       // a `(type (resource ...))` of a component definition
    Imported,      // an import of the root component (or of a nested component definition)
    Abstract,      // a `(sub resource)` declared inside a component/instance type, or in
                   // the ascribed type of an export (`from`: the resource it hides)
    Instantiated,  // made fresh by instantiating a nested component (see `from`)
  };
  Origin origin = Origin::Defined;
  std::string name;  // the import/export name it was last named by, if any, for messages
  // Defined: the representation and the destructor (a core func index in the defining
  // component's core func index space).
  binary::CoreValType rep;
  std::optional<uint32_t> dtor;
  // Instantiated: the resource of the component definition (or type) it instantiates.
  // Abstract from an export ascription: the actual resource behind it.
  ResourceTypeId from = 0;
};

}  // namespace cm::validate
