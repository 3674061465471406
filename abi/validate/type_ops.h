// Operations on resolved types that validation needs: structural queries (contains a
// borrow / a list or string, which resources it mentions), the value-size bound,
// substitution of resource types (instantiation, import), and the subtype check used
// when matching instantiation arguments and ascribed export types.
//
// Types are DAGs (a type index may be used many times), so every walk remembers the
// nodes it has visited: hostile binaries cannot make any of these exponential. A shared
// WorkBudget bounds the total effort of a validation run.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "binary/ast.h"
#include "util/trap.h"
#include "validate/component_types.h"

namespace cm::validate {

// Bounds the total number of type nodes the validator may visit in substitutions and
// subtype checks, so that a small binary cannot demand unbounded work (for instance by
// instantiating a component with a large type many times).
class WorkBudget {
 public:
  explicit WorkBudget(uint64_t limit) : left_(limit) {}
  void spend(size_t offset, uint64_t n = 1) {
    if (n > left_) throw CompileError(offset, "component is too complex to validate (type size limit)");
    left_ -= n;
  }

 private:
  uint64_t left_;
};

// Transitive queries; each visits every node once.
bool contains_borrow(const TypeRef& t);
// A list or string not inside a stream/future (whose values are handles): lifting or
// lowering the type needs memory.
bool contains_list_or_string(const TypeRef& t);
bool func_contains_list_or_string_params(const FuncType& f);
// Resource types and the record/variant/enum/flags nodes (the types that need an
// externally visible name) reachable from a type.
struct Mentions {
  std::set<ResourceTypeId> resources;
  std::set<ResourceAlias> resource_aliases;  // the same resources, by the type index used
  std::unordered_set<const ValType*> nominal;
};
void collect_mentions(const TypeRef& t, Mentions& out, bool include_root = true);
void collect_mentions(const FuncType& f, Mentions& out);

// elem_size(t, 'i64') of CanonicalABI.md (pointers are 8 bytes), saturating at 2^32.
uint64_t elem_size_i64(const TypeRef& t);

// "u32", "record", "own", ...: the name of a type's kind, for messages.
const char* kind_name(TypeKind kind);
// "func", "instance", ... for messages about imports and exports.
const char* extern_kind_name(ExternInfo::Kind k);
// The resolved type of a primitive value type as the binary encodes it.
TypeRef primitive_type(binary::PrimValType p);

// Replaces resource types by others throughout a type. Nodes that do not change are
// shared, and each node is rebuilt at most once per ResourceSubst (so that types which
// shared a node before still share its replacement).
class ResourceSubst {
 public:
  ResourceSubst(WorkBudget& budget, size_t offset) : budget_(budget), offset_(offset) {}
  std::unordered_map<ResourceTypeId, ResourceTypeId> map;
  // Whole value-type nodes to replace (a type import's placeholder by the argument's type,
  // so that the argument's name identity flows into the instance's exports).
  std::unordered_map<const ValType*, TypeRef> nodes;
  // Value-type nodes to give a new identity even where nothing inside them changes: the
  // type exports of an instance type, renamed for one import or export of that type (each
  // introduces type indices, and so names, of its own).
  std::unordered_set<const ValType*> renamed;
  // Type indices of resources to replace by other type indices: a resource type import
  // (or an imported instance's type export) by the argument's index, so that an
  // own/borrow written with the import's index is named outside exactly when the
  // argument is. `map` alone would keep the import's index, which no name outside the
  // nested component introduces (wasmparser's Remapping.types does the same).
  std::map<ResourceAlias, ResourceAlias> aliases;
  bool empty() const { return map.empty() && nodes.empty() && renamed.empty() && aliases.empty(); }

  TypeRef val(const TypeRef& t);
  FuncTypeRef func(const FuncTypeRef& f);
  TypeInfoRef type(const TypeInfoRef& t);
  InstanceTypeRef instance(const InstanceTypeRef& t);
  ComponentTypeRef component(const ComponentTypeRef& t);
  ExternInfo extern_info(const ExternInfo& e);
  ResourceTypeId resource(ResourceTypeId id) const {
    auto it = map.find(id);
    return it == map.end() ? id : it->second;
  }
  ResourceAlias alias(ResourceAlias r) const {
    auto it = aliases.find(r);
    return it == aliases.end() ? ResourceAlias{resource(r.resource), r.alias} : it->second;
  }

 private:
  WorkBudget& budget_;
  size_t offset_;
  std::unordered_map<const ValType*, TypeRef> vals_;
  std::unordered_map<const FuncType*, FuncTypeRef> funcs_;
  std::unordered_map<const TypeInfo*, TypeInfoRef> types_;
  std::unordered_map<const InstanceTypeInfo*, InstanceTypeRef> instances_;
  std::unordered_map<const ComponentTypeInfo*, ComponentTypeRef> components_;
};

// Checks that `actual` may be used where `expected` is required (instantiation
// arguments, ascribed export types, instance exports). Resource types that `expected`
// introduces itself (its `(sub resource)` imports/exports, listed in `bindable`) are
// bound to the actual ones on first use, in declaration order; the bindings are left in
// `bindings` for the caller (who substitutes them into the rest of the expected type).
class Subtyper {
 public:
  Subtyper(WorkBudget& budget, size_t offset) : budget_(budget), offset_(offset) {}
  std::unordered_set<ResourceTypeId> bindable;
  std::unordered_map<ResourceTypeId, ResourceTypeId> bindings;
  // Value types of expected type imports/exports `(eq T)`, mapped to the actual ones.
  std::unordered_map<const ValType*, TypeRef> node_bindings;
  // Likewise for resource types: the type index an expected resource type import/export
  // introduces, mapped to the actual one's.
  std::map<ResourceAlias, ResourceAlias> alias_bindings;

  // Throws CompileError(offset, "<context>: <reason>").
  void check_extern(const ExternInfo& actual, const ExternInfo& expected, const std::string& context);
  void check_val(const TypeRef& actual, const TypeRef& expected, const std::string& context);
  void check_func(const FuncType& actual, const FuncType& expected, const std::string& context);

 private:
  [[noreturn]] void fail(const std::string& context, const std::string& why) const;
  void val(const TypeRef& a, const TypeRef& e, const std::string& ctx);
  void resource(ResourceTypeId a, ResourceTypeId e, const std::string& ctx);
  void type_info(const TypeInfoRef& a, const TypeInfoRef& e, const std::string& ctx);
  void instance(const InstanceTypeInfo& a, const InstanceTypeInfo& e, const std::string& ctx);
  void component(const ComponentTypeInfo& a, const ComponentTypeInfo& e, const std::string& ctx);
  void core_module(const CoreModuleType& a, const CoreModuleType& e, const std::string& ctx);

  WorkBudget& budget_;
  size_t offset_;
  std::set<std::pair<const ValType*, const ValType*>> equal_;
};

// Core extern matching (core instantiation arguments): returns "" if `actual` can be used
// where `expected` is imported, else the reason.
std::string core_extern_mismatch(const CoreExternDesc& actual, const CoreExternDesc& expected);
std::string core_sig_string(const CoreFuncType& f);

}  // namespace cm::validate
