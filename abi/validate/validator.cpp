// Component validation (validate_component): the entry, sections, core modules,
// instances and types, type shapes and resources. The rest of the Validator is in
// validator_types.cpp, validator_visibility.cpp, validator_instances.cpp and
// validator_canon.cpp; its declaration, limits and shared helpers in validator_impl.h.
#include "validate/validator.h"

#include "validate/validator_impl.h"

namespace cm::validate {

using detail::Validator;

namespace detail {

// ---- the entry -----------------------------------------------------------------------------

std::shared_ptr<ValidatedComponent> Validator::component(const bin::Component& c, Scope* parent) {
  Scope s(Scope::Kind::Component, parent);
  s.first_resource = next_resource();
  for (const bin::Section& sec : c.sections) section(s, sec);
  auto type = std::make_shared<ComponentTypeInfo>();
  type->imports = s.imports;
  type->exports = s.exports;
  finish_resources(s, *type);
  s.sp.type = type;
  s.sp.resources = resources_;
  return std::make_shared<ValidatedComponent>(std::move(s.sp));
}

// ---- type size and depth -------------------------------------------------------------------

Validator::Shape Validator::shape(const TypeRef& t) {
  auto it = shapes_.find(t.get());
  if (it != shapes_.end()) return it->second.second;
  Shape s;
  auto add = [&](const TypeRef& c) {
    if (!c) return;
    Shape cs = shape(c);
    s.depth = std::max(s.depth, cs.depth + 1);
    s.size = static_cast<uint32_t>(std::min<uint64_t>(uint64_t{s.size} + cs.size, kMaxTypeSize + 1));
  };
  add(t->element);
  for (const Field& f : t->fields) add(f.type);
  for (const Case& c : t->cases) add(c.type);
  shapes_.emplace(t.get(), std::make_pair(t, s));
  return s;
}

void Validator::check_shape(const TypeRef& t, size_t offset) {
  Shape s = shape(t);
  if (s.depth > kMaxTypeDepth) fail(offset, "type nesting is too deep");
  if (s.size > kMaxTypeSize)
    fail(offset, "effective type size exceeds the limit of " + std::to_string(kMaxTypeSize));
}

void Validator::check_shape(const FuncType& f, size_t offset) {
  uint64_t size = 1;
  for (const Field& p : f.params) {
    check_shape(p.type, offset);
    size += shape(p.type).size;
  }
  if (f.result) {
    check_shape(f.result, offset);
    size += shape(f.result).size;
  }
  if (size > kMaxTypeSize) fail(offset, "effective type size exceeds the limit of " + std::to_string(kMaxTypeSize));
}

// ---- resources -----------------------------------------------------------------------------

ResourceTypeId Validator::new_resource(ResourceInfo info, size_t offset) {
  if (resources_->size() >= kMaxResources) fail(offset, "too many resource types");
  resources_->push_back(std::move(info));
  return static_cast<ResourceTypeId>(resources_->size() - 1);
}

void Validator::finish_resources(const Scope& s, ComponentTypeInfo& type) {
  std::unordered_set<ResourceTypeId> imported(s.import_resources.begin(), s.import_resources.end());
  type.import_resources = s.import_resources;
  for (ResourceTypeId r = s.first_resource; r < next_resource(); ++r)
    if (!imported.count(r)) type.defined_resources.push_back(r);
}

InstanceTypeRef Validator::freshen_instance(const InstanceTypeRef& t, ResourceInfo::Origin origin,
                                            const std::string& name, size_t offset) {
  ResourceSubst sub(budget_, offset);
  for (ResourceTypeId r : t->defined_resources) {
    ResourceInfo info = (*resources_)[r];
    info.origin = origin;
    info.from = r;
    if (info.name.empty() || origin == ResourceInfo::Origin::Imported) info.name = name + "/" + info.name;
    sub.map[r] = new_resource(std::move(info), offset);
  }
  collect_value_type_exports(*t, sub.renamed);
  return sub.empty() ? t : sub.instance(t);
}

void Validator::collect_value_type_exports(const InstanceTypeInfo& t, std::unordered_set<const ValType*>& out) {
  for (const NamedExtern& x : t.exports) {
    if (x.second.kind == ExternInfo::Kind::Type && x.second.type->kind == TypeInfo::Kind::Value)
      out.insert(x.second.type->value.get());
    else if (x.second.kind == ExternInfo::Kind::Instance)
      collect_value_type_exports(*x.second.instance, out);
  }
}

// ---- sections ------------------------------------------------------------------------------

void Validator::section(Scope& s, const bin::Section& sec) {
  switch (sec.id) {
    case bin::SectionId::Custom:
      break;
    case bin::SectionId::CoreModule:
      core_module(s, sec.core_module, sec.offset);
      break;
    case bin::SectionId::CoreInstance:
      for (const auto& ci : sec.core_instances) core_instance(s, ci);
      break;
    case bin::SectionId::CoreType:
      for (const auto& t : sec.core_types) core_type(s, t);
      break;
    case bin::SectionId::Component: {
      if (!sec.component) fail(sec.offset, "missing nested component");
      auto nested = component(*sec.component, &s);
      push_limited(s.sp.components, ComponentTypeRef(nested->type), sec.offset, "component");
      s.sp.nested.push_back(nested);
      break;
    }
    case bin::SectionId::Instance:
      for (const auto& in : sec.instances) instance(s, in);
      break;
    case bin::SectionId::Alias:
      for (const auto& a : sec.aliases) alias(s, a);
      break;
    case bin::SectionId::Type:
      for (const auto& t : sec.types) push_limited(s.sp.types, define_type(s, t), t.offset, "type");
      break;
    case bin::SectionId::Canon:
      for (const auto& c : sec.canons) canon(s, c);
      break;
    case bin::SectionId::Start:
      fail(sec.start.offset, "component start functions (🪙 value definitions) are not supported");
    case bin::SectionId::Import:
      for (const auto& i : sec.imports) import(s, i);
      break;
    case bin::SectionId::Export:
      for (const auto& e : sec.exports) export_(s, e);
      break;
    case bin::SectionId::Value:
      fail(sec.offset, "value definitions (🪙) are not supported");
  }
}

// ---- core modules, instances, types --------------------------------------------------------

void Validator::core_module(Scope& s, const bin::CoreModule& m, size_t offset) {
  if (m.offset > bytes_.size() || m.size > bytes_.size() - m.offset)
    fail(offset, "core module lies outside the binary");
  bin::CoreModuleSummary summary = bin::summarize_core_module(bytes_.subspan(m.offset, m.size), m.offset);
  auto t = std::make_shared<CoreModuleType>();
  t->imports = std::move(summary.imports);
  t->exports = std::move(summary.exports);
  push_limited(s.sp.core_modules, CoreModuleTypeRef(t), offset, "module");
}

CoreExternDesc Validator::core_item(Scope& s, bin::CoreSort sort, uint32_t index, size_t offset) {
  auto pick = [&](const std::vector<CoreExternDesc>& space, const char* what) {
    if (index >= space.size())
      fail(offset, std::string("unknown ") + what + " " + std::to_string(index) + ": " + what + " index out of bounds");
    return space[index];
  };
  switch (sort) {
    case bin::CoreSort::Func: return pick(s.sp.core_funcs, "function");
    case bin::CoreSort::Table: return pick(s.sp.core_tables, "table");
    case bin::CoreSort::Memory: return pick(s.sp.core_memories, "memory");
    case bin::CoreSort::Global: return pick(s.sp.core_globals, "global");
    case bin::CoreSort::Tag: return pick(s.sp.core_tags, "tag");
    default: fail(offset, "core instances may only export functions, tables, memories, globals and tags");
  }
}

void Validator::push_core_item(Scope& s, const CoreExternDesc& d, size_t offset) {
  switch (d.kind) {
    case bin::CoreExternType::Kind::Func: push_limited(s.sp.core_funcs, d, offset, "core func"); break;
    case bin::CoreExternType::Kind::Table: push_limited(s.sp.core_tables, d, offset, "core table"); break;
    case bin::CoreExternType::Kind::Memory: push_limited(s.sp.core_memories, d, offset, "core memory"); break;
    case bin::CoreExternType::Kind::Global: push_limited(s.sp.core_globals, d, offset, "core global"); break;
    case bin::CoreExternType::Kind::Tag: push_limited(s.sp.core_tags, d, offset, "core tag"); break;
  }
}

void Validator::core_instance(Scope& s, const bin::CoreInstance& ci) {
  auto out = std::make_shared<CoreInstanceType>();
  if (ci.kind == bin::CoreInstance::Kind::Instantiate) {
    if (ci.module >= s.sp.core_modules.size())
      fail(ci.offset, "unknown module " + std::to_string(ci.module) + ": module index out of bounds");
    const CoreModuleType& m = *s.sp.core_modules[ci.module];
    std::map<std::string, const CoreInstanceType*> args;
    for (const auto& a : ci.args) {
      if (a.instance >= s.sp.core_instances.size())
        fail(a.offset, "unknown core instance " + std::to_string(a.instance) + ": instance index out of bounds");
      if (!args.emplace(a.name, s.sp.core_instances[a.instance].get()).second)
        fail(a.offset, "duplicate module instantiation argument named " + q(a.name));
    }
    for (const auto& imp : m.imports) {
      auto it = args.find(imp.module);
      if (it == args.end()) fail(ci.offset, "missing module instantiation argument named " + q(imp.module));
      const CoreExternDesc* item = it->second->find(imp.name);
      if (!item)
        fail(ci.offset, "module instantiation argument " + q(imp.module) + " does not export an item named " + q(imp.name));
      std::string why = core_extern_mismatch(*item, imp.desc);
      if (!why.empty())
        fail(ci.offset, "type mismatch for export " + q(imp.name) + " of module instantiation argument " +
                            q(imp.module) + ": " + why);
    }
    for (const auto& e : m.exports) out->exports.emplace_back(e.name, e.desc);
  } else {
    std::unordered_set<std::string> names;
    for (const auto& e : ci.exports) {
      if (!names.insert(e.name).second) fail(e.offset, "export name " + q(e.name) + " already defined");
      out->exports.emplace_back(e.name, core_item(s, e.item.sort, e.item.index, e.offset));
    }
  }
  push_limited(s.sp.core_instances, CoreInstanceTypeRef(out), ci.offset, "core instance");
}

CoreTypeInfo Validator::sub_type_info(const bin::CoreSubType& st) {
  CoreTypeInfo info;
  if (st.composite.kind == bin::CoreCompositeType::Kind::Func) {
    info.kind = CoreTypeInfo::Kind::Func;
    info.func.params = st.composite.params;
    info.func.results = st.composite.results;
    info.shared = st.composite.shared;
  } else {
    info.kind = CoreTypeInfo::Kind::Other;
  }
  return info;
}

Scope* Validator::outer(Scope& s, uint32_t count) {
  Scope* t = &s;
  for (uint32_t i = 0; i < count && t; ++i) t = t->parent;
  return t;
}

void Validator::core_type(Scope& s, const bin::CoreTypeDef& t) {
  if (t.kind == bin::CoreTypeDef::Kind::Rec) {
    for (const auto& st : t.rec) push_limited(s.sp.core_types, sub_type_info(st), st.offset, "core type");
    return;
  }
  CoreTypeInfo info;
  info.kind = CoreTypeInfo::Kind::Module;
  info.module = module_type(s, t);
  push_limited(s.sp.core_types, std::move(info), t.offset, "core type");
}

CoreModuleTypeRef Validator::module_type(Scope& s, const bin::CoreTypeDef& t) {
  std::vector<CoreTypeInfo> types;
  auto out = std::make_shared<CoreModuleType>();
  std::set<std::pair<std::string, std::string>> import_names;
  std::unordered_set<std::string> export_names;
  auto desc_of = [&](const bin::CoreExternType& et, size_t offset) {
    CoreExternDesc d;
    d.kind = et.kind;
    if (et.kind == bin::CoreExternType::Kind::Func || et.kind == bin::CoreExternType::Kind::Tag) {
      if (et.type_index >= types.size()) fail(offset, "type index out of bounds");
      if (types[et.type_index].kind != CoreTypeInfo::Kind::Func)
        fail(offset, "type index " + std::to_string(et.type_index) + " is not a function type");
      d.func = types[et.type_index].func;
    } else {
      d.type = et;
    }
    return d;
  };
  for (const auto& decl : t.module_decls) {
    switch (decl.kind) {
      case bin::CoreModuleDecl::Kind::Import: {
        bin::check_core_limits(decl.extern_type, decl.offset);
        if (!import_names.emplace(decl.module, decl.name).second)
          fail(decl.offset, "duplicate import name " + q(decl.module + ":" + decl.name));
        out->imports.push_back({decl.module, decl.name, desc_of(decl.extern_type, decl.offset)});
        break;
      }
      case bin::CoreModuleDecl::Kind::Type:
        for (const auto& st : decl.type->rec) push_limited(types, sub_type_info(st), st.offset, "core type");
        break;
      case bin::CoreModuleDecl::Kind::Alias: {
        if (decl.outer_count == 0) {
          if (decl.outer_index >= types.size()) fail(decl.offset, "type index out of bounds");
          push_limited(types, CoreTypeInfo(types[decl.outer_index]), decl.offset, "core type");
          break;
        }
        Scope* target = outer(s, decl.outer_count - 1);
        if (!target) fail(decl.offset, "invalid outer alias count of " + std::to_string(decl.outer_count));
        if (decl.outer_index >= target->sp.core_types.size()) fail(decl.offset, "type index out of bounds");
        const CoreTypeInfo& ti = target->sp.core_types[decl.outer_index];
        if (ti.kind == CoreTypeInfo::Kind::Module)
          fail(decl.offset, "module types may not alias outer module types");
        push_limited(types, CoreTypeInfo(ti), decl.offset, "core type");
        break;
      }
      case bin::CoreModuleDecl::Kind::Export: {
        bin::check_core_limits(decl.extern_type, decl.offset);
        if (!export_names.insert(decl.name).second) fail(decl.offset, "export name " + q(decl.name) + " already defined");
        bin::CoreExportDesc e;
        e.name = decl.name;
        e.desc = desc_of(decl.extern_type, decl.offset);
        out->exports.push_back(std::move(e));
        break;
      }
    }
  }
  return out;
}

}  // namespace detail

ValidatedComponent validate_component(const binary::Component& component, std::span<const uint8_t> bytes,
                                      const ValidateOptions& options) {
  Validator v(bytes, options);
  std::shared_ptr<ValidatedComponent> out = v.component(component, nullptr);
  return std::move(*out);
}

}  // namespace cm::validate
