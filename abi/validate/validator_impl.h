// The validator's private parts, shared by validator.cpp (the entry, sections, core items,
// type shapes, resources), validator_types.cpp (component types), validator_visibility.cpp
// (names, visibility, imports and exports), validator_instances.cpp (instances and
// aliases) and validator_canon.cpp (canonical definitions): the Validator class, its limits
// and the helpers they share. Not for use outside abi/validate/.
#pragma once

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include "binary/core_module.h"
#include "types/layout.h"
#include "validate/names.h"
#include "validate/type_ops.h"

#include "validate/validator.h"

namespace cm::validate::detail {

namespace bin = cm::binary;


// Limits that keep hostile binaries from demanding unbounded memory or time.
constexpr size_t kMaxIndexSpace = 1'000'000;      // entries per index space (as wasm-tools)
constexpr size_t kMaxResources = 1'000'000;       // distinct resource types
// Type nodes visited (and, for substitution, possibly copied) by substitution and
// subtyping; bounds the memory instantiation-heavy binaries can make us allocate.
constexpr uint64_t kWorkLimit = 2'000'000;
constexpr uint64_t kMaxValueSize = uint64_t{1} << 28;  // elem_size(t, 'i64') < 2^28
// Value types are DAGs that the rest of the engine walks as trees, recursively: bound
// their nesting depth and their size as a tree (as wasm-tools does).
constexpr uint32_t kMaxTypeDepth = 100;
constexpr uint32_t kMaxTypeSize = 1'000'000;

inline std::string q(std::string_view s) { return "`" + std::string(s) + "`"; }
[[noreturn]] inline void fail(size_t offset, const std::string& rule) { throw CompileError(offset, rule); }

inline const char* sort_name(bin::SortKind k) {
  switch (k.sort) {
    case bin::Sort::Core:
      switch (k.core_sort) {
        case bin::CoreSort::Func: return "core func";
        case bin::CoreSort::Table: return "core table";
        case bin::CoreSort::Memory: return "core memory";
        case bin::CoreSort::Global: return "core global";
        case bin::CoreSort::Tag: return "core tag";
        case bin::CoreSort::Type: return "core type";
        case bin::CoreSort::Module: return "module";
        case bin::CoreSort::Instance: return "core instance";
      }
      return "core item";
    case bin::Sort::Func: return "func";
    case bin::Sort::Value: return "value";
    case bin::Sort::Type: return "type";
    case bin::Sort::Component: return "component";
    case bin::Sort::Instance: return "instance";
  }
  return "item";
}


inline ExternInfo::Kind extern_kind_of(bin::SortKind k) {
  switch (k.sort) {
    case bin::Sort::Core: return ExternInfo::Kind::CoreModule;
    case bin::Sort::Func: return ExternInfo::Kind::Func;
    case bin::Sort::Value: return ExternInfo::Kind::Value;
    case bin::Sort::Type: return ExternInfo::Kind::Type;
    case bin::Sort::Component: return ExternInfo::Kind::Component;
    case bin::Sort::Instance: return ExternInfo::Kind::Instance;
  }
  return ExternInfo::Kind::Func;
}

inline bin::CoreValType core_val(CoreType t) {
  bin::CoreValType v;
  switch (t) {
    case CoreType::I32: v.kind = bin::CoreValType::Kind::I32; break;
    case CoreType::I64: v.kind = bin::CoreValType::Kind::I64; break;
    case CoreType::F32: v.kind = bin::CoreValType::Kind::F32; break;
    case CoreType::F64: v.kind = bin::CoreValType::Kind::F64; break;
  }
  return v;
}

const bin::CoreValType kI32 = core_val(CoreType::I32);
const bin::CoreValType kI64 = core_val(CoreType::I64);

inline CoreFuncType sig(std::vector<bin::CoreValType> params, std::vector<bin::CoreValType> results) {
  return CoreFuncType{std::move(params), std::move(results)};
}

inline CoreFuncType to_core_func_type(const CoreSignature& s) {
  CoreFuncType f;
  for (CoreType t : s.params) f.params.push_back(core_val(t));
  for (CoreType t : s.results) f.results.push_back(core_val(t));
  return f;
}

// "[I32, I64]", as wasm-tools prints core type lists.
inline std::string core_types_string(const std::vector<bin::CoreValType>& ts) {
  std::string s = "[";
  for (size_t i = 0; i < ts.size(); ++i) {
    if (i) s += ", ";
    switch (ts[i].kind) {
      case bin::CoreValType::Kind::I32: s += "I32"; break;
      case bin::CoreValType::Kind::I64: s += "I64"; break;
      case bin::CoreValType::Kind::F32: s += "F32"; break;
      case bin::CoreValType::Kind::F64: s += "F64"; break;
      case bin::CoreValType::Kind::V128: s += "V128"; break;
      case bin::CoreValType::Kind::Ref: s += "Ref"; break;
    }
  }
  return s + "]";
}

template <typename T>
inline void push_limited(std::vector<T>& space, T value, size_t offset, const char* what) {
  if (space.size() >= kMaxIndexSpace) fail(offset, std::string(what) + " index space is too large");
  space.push_back(std::move(value));
}

// The names an import or export namespace gives to resource types and to the nominal
// value types (record, variant, enum, flags). Both go by type index, not by type: an
// import or export names the new type index it introduces (ResourceAlias, or for value
// types a node of its own), never the index it was given.
struct Namespace {
  // Direct type imports/exports only (annotated-name rules: [constructor]R etc.). Every
  // import or export introduces its own type index, so each has exactly one name.
  std::map<ResourceAlias, std::string> resource_names;
  std::unordered_set<std::string> resources_by_name;
  // Everything made externally visible, also through instance imports/exports
  // (external-visibility rules).
  std::set<ResourceAlias> visible_resources;
  std::unordered_set<const ValType*> visible_nominal;
};

// A component, component type or instance type being validated, with its index spaces.
struct Scope {
  enum class Kind : uint8_t { Component, ComponentType, InstanceType };
  Scope(Kind kind, Scope* parent) : kind(kind), parent(parent) {}
  Kind kind;
  Scope* parent;
  ValidatedComponent sp;
  std::vector<NamedExtern> imports, exports;
  std::unordered_map<std::string, std::string> import_keys, export_keys;  // key -> name
  Namespace import_ns, export_ns;
  ResourceTypeId first_resource = 0;
  std::vector<ResourceTypeId> import_resources;
  std::unordered_set<ResourceTypeId> local_resources;  // defined by this component
};

struct ParsedOpts {
  CanonOptionsInfo info;
  bool has_encoding = false;
  size_t offset = 0;
};

class Validator {
 public:
  Validator(std::span<const uint8_t> bytes, const ValidateOptions& options)
      : bytes_(bytes), options_(options), budget_(kWorkLimit),
        resources_(std::make_shared<std::vector<ResourceInfo>>()) {}

  std::shared_ptr<ValidatedComponent> component(const bin::Component& c, Scope* parent);

 private:
  // ---- type size and depth -------------------------------------------------------------

  struct Shape {
    uint32_t depth = 1;
    uint32_t size = 1;  // as a tree, saturating
  };

  // Depth and tree size of a value type; children are usually memoized already (types
  // are built bottom-up), so the recursion is shallow.
  Shape shape(const TypeRef& t);

  void check_shape(const TypeRef& t, size_t offset);

  void check_shape(const FuncType& f, size_t offset);

  // ---- resources -----------------------------------------------------------------------

  ResourceTypeId next_resource() const { return static_cast<ResourceTypeId>(resources_->size()); }

  ResourceTypeId new_resource(ResourceInfo info, size_t offset);

  // Resources created while validating `s` that are not introduced by its imports are
  // the ones each instantiation (or import of the type) must make fresh.
  void finish_resources(const Scope& s, ComponentTypeInfo& type);

  // An instance type as one import/export declaration of it sees it: fresh copies of the
  // resources the type defines, and new nodes for the value types it exports, so that
  // every declaration introduces type indices (names) of its own. Two imports of one
  // instance type are two sets of names: instantiation binds each to its own argument,
  // and external visibility tells them apart.
  InstanceTypeRef freshen_instance(const InstanceTypeRef& t, ResourceInfo::Origin origin,
                                   const std::string& name, size_t offset);

  // The value-type nodes an instance type exports as types, also through its instance
  // exports.
  static void collect_value_type_exports(const InstanceTypeInfo& t, std::unordered_set<const ValType*>& out);

  // ---- sections ------------------------------------------------------------------------

  void section(Scope& s, const bin::Section& sec);

  // ---- core modules, instances, types --------------------------------------------------

  void core_module(Scope& s, const bin::CoreModule& m, size_t offset);

  CoreExternDesc core_item(Scope& s, bin::CoreSort sort, uint32_t index, size_t offset);

  void push_core_item(Scope& s, const CoreExternDesc& d, size_t offset);

  void core_instance(Scope& s, const bin::CoreInstance& ci);

  static CoreTypeInfo sub_type_info(const bin::CoreSubType& st);

  // A scope `count` levels out from `s` (0 = s itself), or null.
  static Scope* outer(Scope& s, uint32_t count);

  void core_type(Scope& s, const bin::CoreTypeDef& t);

  // A core module type: validated with its own, initially empty, core type index space.
  CoreModuleTypeRef module_type(Scope& s, const bin::CoreTypeDef& t);

  // ---- component types -----------------------------------------------------------------

  TypeRef valtype(Scope& s, const bin::ValTypeUse& use, size_t offset);

  TypeRef optional_valtype(Scope& s, const std::optional<bin::ValTypeUse>& use, size_t offset);


  // Labels of one record/variant/flags/enum/param list: kebab case and strongly unique.
  static void check_labels(const std::vector<std::string>& labels, const char* what, const char* previous,
                           size_t offset);

  const TypeInfo& resource_type_at(Scope& s, uint32_t index, size_t offset);

  ResourceTypeId resource_at(Scope& s, uint32_t index, size_t offset);

  // own<R> / borrow<R>, remembering which type index of R it was written with.
  TypeRef handle(Scope& s, TypeKind kind, uint32_t index, size_t offset);

  // A new type index for a resource type (an import or export of it): the same resource
  // under a new name, which is what becomes externally visible.
  TypeInfoRef new_resource_alias(const TypeInfoRef& t, size_t offset);

  TypeRef defval(Scope& s, const bin::DefValType& d, size_t offset);

  FuncTypeRef functype(Scope& s, const bin::FuncTypeDef& f, size_t offset);

  TypeInfoRef define_type(Scope& s, const bin::TypeDef& t);

  // Validates the declarators of a component or instance type in a new scope.
  void type_decls(Scope& ts, const bin::TypeDef& t);

  ComponentTypeRef component_type(Scope& s, const bin::TypeDef& t);

  InstanceTypeRef instance_type(Scope& s, const bin::TypeDef& t);

  // The type an externtype describes. `fresh`: this is an import/export declaration, so a
  // `(sub resource)` and the resources of an instance type are new resource types.
  ExternInfo extern_type(Scope& s, const bin::ExternType& et, bool fresh, const std::string& name);

  // Adds an item to the index space of its sort (imports, exports and aliases all do).
  void push_extern(Scope& s, const ExternInfo& e, size_t offset);

  ExternInfo sort_item(Scope& s, const bin::SortIdx& idx, size_t offset);

  // ---- names, visibility ---------------------------------------------------------------

  // What an item makes visible by being imported/exported under a name: a resource type
  // or nominal value type exported as a type, recursively through instances.
  static void add_visible(Namespace& ns, const ExternInfo& e);

  // Types an item's type needs visible names for.
  static void mentions_of(const ExternInfo& e, Mentions& m, Namespace& own);

  // An instance's own type exports name the types its functions use.
  static void instance_mentions(const InstanceTypeInfo& t, Mentions& m, Namespace& own);

  // External visibility (Explainer.md): every resource and record/variant/enum/flags
  // type used by an import's (export's) type has a name among the imports (imports and
  // exports).
  void check_visible(const ExternInfo& e, const Namespace& a, const Namespace* b, bool is_import, size_t offset);

  static ResourceAlias alias_of(const TypeInfo& t) { return {t.resource, t.resource_alias}; }

  std::string describe_resource(ResourceTypeId r) const;

  // The rules of annotated names: [constructor]R, [method]R.m, [static]R.m.
  void check_annotated(const ExternNameInfo& info, const std::string& name, const ExternInfo& e,
                       const Namespace& ns, size_t offset);

  // Name rules shared by imports, exports and inline exports. Returns the parsed name.
  ExternNameInfo check_extern_name(const bin::ExternName& n, const ExternInfo& e,
                                   std::unordered_map<std::string, std::string>& keys, const char* role);

  // Records a type import/export in a namespace (for annotated-name resolution).
  static void name_resource(Namespace& ns, const std::string& name, const ExternInfo& e);

  // ---- imports and exports -------------------------------------------------------------

  void import(Scope& s, const bin::Import& imp) { import_decl(s, imp.name, imp.type, imp.offset); }

  void import_decl(Scope& s, const bin::ExternName& name, const bin::ExternType& et, size_t offset);

  // An exportdecl of a component or instance type.
  void export_decl(Scope& s, const bin::ExternName& name, const bin::ExternType& et, size_t offset);

  void export_(Scope& s, const bin::Export& ex);

  // ---- component instances and aliases -------------------------------------------------

  void instance(Scope& s, const bin::Instance& in);

  // Whether a type (reached by an outer alias) uses resource types from outside itself.
  static bool refers_to_resources(const TypeInfo& t);

  static void extern_mentions(const ExternInfo& e, Mentions& m);

  void alias(Scope& s, const bin::Alias& a);

  // ---- canonical definitions -----------------------------------------------------------

  const CoreExternDesc& core_func_at(Scope& s, uint32_t index, size_t offset);

  // The memory must be a 32-bit memory (memory64 🐘 is not supported).
  void check_memory(Scope& s, uint32_t index, size_t offset);

  ParsedOpts parse_opts(Scope& s, const std::vector<bin::CanonOpt>& opts, size_t offset);

  static void require_memory(const ParsedOpts& p);
  static void require_realloc(const ParsedOpts& p);
  // Options only `canon lift` may have.
  static void check_lower_opts(const ParsedOpts& p);
  static void require_sync(const ParsedOpts& p, const char* where);

  TypeRef stream_or_future_at(Scope& s, uint32_t index, TypeKind kind, const char* builtin, size_t offset);

  void check_cancellable(const bin::Canon& c);

  void canon(Scope& s, const bin::Canon& c);

  std::span<const uint8_t> bytes_;
  ValidateOptions options_;
  std::unordered_map<const ValType*, std::pair<TypeRef, Shape>> shapes_;
  WorkBudget budget_;
  std::shared_ptr<std::vector<ResourceInfo>> resources_;
  uint32_t resource_aliases_ = 0;  // the last ResourceAlias::alias handed out
};

}  // namespace cm::validate::detail
