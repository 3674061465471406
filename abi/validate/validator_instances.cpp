// Component instances (instantiate with arguments, subtyped) and aliases (export, core
// export, outer).
#include "validate/validator_impl.h"

namespace cm::validate::detail {

// ---- component instances and aliases -------------------------------------------------------

void Validator::instance(Scope& s, const bin::Instance& in) {
  InstanceTypeRef out;
  if (in.kind == bin::Instance::Kind::Instantiate) {
    if (in.component >= s.sp.components.size())
      fail(in.offset, "unknown component " + std::to_string(in.component) + ": component index out of bounds");
    const ComponentTypeRef& ct = s.sp.components[in.component];
    std::map<std::string, ExternInfo> args;
    for (const auto& a : in.args) {
      ExternInfo item = sort_item(s, a.item, a.offset);
      if (!args.emplace(a.name, std::move(item)).second)
        fail(a.offset, "instantiation argument " + q(a.name) + " conflicts with previous argument " + q(a.name));
    }
    Subtyper st(budget_, in.offset);
    st.bindable.insert(ct->import_resources.begin(), ct->import_resources.end());
    for (const NamedExtern& imp : ct->imports) {
      auto it = args.find(imp.first);
      if (it == args.end()) fail(in.offset, "missing import named " + q(imp.first));
      st.check_extern(it->second, imp.second, "type mismatch in import " + q(imp.first));
    }
    // The instance's exports: imported resources replaced by the arguments', and
    // fresh resources for those the component defines.
    ResourceSubst sub(budget_, in.offset);
    sub.map = st.bindings;
    sub.nodes = st.node_bindings;
    sub.aliases = st.alias_bindings;
    auto inst = std::make_shared<InstanceTypeInfo>();
    for (ResourceTypeId r : ct->defined_resources) {
      ResourceInfo info = (*resources_)[r];
      info.origin = ResourceInfo::Origin::Instantiated;
      info.from = r;
      ResourceTypeId fresh = new_resource(std::move(info), in.offset);
      sub.map[r] = fresh;
      inst->defined_resources.push_back(fresh);
    }
    for (const NamedExtern& ex : ct->exports) inst->exports.emplace_back(ex.first, sub.extern_info(ex.second));
    out = inst;
  } else {
    auto inst = std::make_shared<InstanceTypeInfo>();
    std::unordered_map<std::string, std::string> keys;
    // A bag of exports introduces no type indices, so it names no resource type: its
    // [constructor]/[method]/[static] exports find no resource in it (Binary.md: the
    // resource must be imported or exported in the same component, component type or
    // instance type). The same items in an instance *type*, or exported one by one from
    // the component, are fine.
    const Namespace no_names;
    for (const auto& ex : in.exports) {
      ExternInfo e = sort_item(s, ex.item, ex.offset);
      ExternNameInfo info = check_extern_name(ex.name, e, keys, "export");
      check_annotated(info, ex.name.name, e, no_names, ex.offset);
      inst->exports.emplace_back(ex.name.name, std::move(e));
    }
    out = inst;
  }
  push_limited(s.sp.instances, out, in.offset, "instance");
}

bool Validator::refers_to_resources(const TypeInfo& t) {
  Mentions m;
  std::unordered_set<ResourceTypeId> own;
  switch (t.kind) {
    case TypeInfo::Kind::Resource: return true;
    case TypeInfo::Kind::Value: collect_mentions(t.value, m); break;
    case TypeInfo::Kind::Func: collect_mentions(*t.func, m); break;
    case TypeInfo::Kind::Instance:
      own.insert(t.instance->defined_resources.begin(), t.instance->defined_resources.end());
      for (const auto& e : t.instance->exports) extern_mentions(e.second, m);
      break;
    case TypeInfo::Kind::Component:
      own.insert(t.component->defined_resources.begin(), t.component->defined_resources.end());
      own.insert(t.component->import_resources.begin(), t.component->import_resources.end());
      for (const auto& e : t.component->imports) extern_mentions(e.second, m);
      for (const auto& e : t.component->exports) extern_mentions(e.second, m);
      break;
  }
  for (ResourceTypeId r : m.resources)
    if (!own.count(r)) return true;
  return false;
}

void Validator::extern_mentions(const ExternInfo& e, Mentions& m) {
  switch (e.kind) {
    case ExternInfo::Kind::Func: collect_mentions(*e.func, m); break;
    case ExternInfo::Kind::Type:
      if (e.type->kind == TypeInfo::Kind::Resource) m.resources.insert(e.type->resource);
      if (e.type->kind == TypeInfo::Kind::Value) collect_mentions(e.type->value, m);
      if (e.type->kind == TypeInfo::Kind::Func) collect_mentions(*e.type->func, m);
      break;
    case ExternInfo::Kind::Instance:
      for (const auto& x : e.instance->exports) extern_mentions(x.second, m);
      break;
    default:
      break;
  }
}

void Validator::alias(Scope& s, const bin::Alias& a) {
  if (s.kind != Scope::Kind::Component) {
    bool ok = (a.kind == bin::Alias::Kind::InstanceExport &&
               (a.sort.sort == bin::Sort::Type || a.sort.sort == bin::Sort::Instance)) ||
              (a.kind == bin::Alias::Kind::Outer &&
               (a.sort.sort == bin::Sort::Type ||
                (a.sort.sort == bin::Sort::Core && a.sort.core_sort == bin::CoreSort::Type)));
    if (!ok) fail(a.offset, "aliases in a component or instance type may only refer to types or instances");
  }
  switch (a.kind) {
    case bin::Alias::Kind::InstanceExport: {
      if (a.instance >= s.sp.instances.size())
        fail(a.offset, "unknown instance " + std::to_string(a.instance) + ": instance index out of bounds");
      const ExternInfo* e = s.sp.instances[a.instance]->find(a.name);
      if (!e) fail(a.offset, "instance " + std::to_string(a.instance) + " has no export named " + q(a.name));
      if (e->kind != extern_kind_of(a.sort))
        fail(a.offset, "export " + q(a.name) + " for instance " + std::to_string(a.instance) + " is not a " + sort_name(a.sort));
      push_extern(s, *e, a.offset);
      break;
    }
    case bin::Alias::Kind::CoreInstanceExport: {
      if (a.instance >= s.sp.core_instances.size())
        fail(a.offset, "unknown core instance " + std::to_string(a.instance) + ": instance index out of bounds");
      const CoreExternDesc* e = s.sp.core_instances[a.instance]->find(a.name);
      if (!e) fail(a.offset, "core instance " + std::to_string(a.instance) + " has no export named " + q(a.name));
      if (static_cast<uint8_t>(e->kind) != static_cast<uint8_t>(a.sort.core_sort))
        fail(a.offset, "export " + q(a.name) + " for core instance " + std::to_string(a.instance) + " is not a " +
                           std::string(sort_name(a.sort)).substr(5));
      push_core_item(s, *e, a.offset);
      break;
    }
    case bin::Alias::Kind::Outer: {
      Scope* target = outer(s, a.outer_count);
      if (!target) fail(a.offset, "invalid outer alias count of " + std::to_string(a.outer_count));
      // Crossing a component boundary (not just type boundaries)?
      bool crosses_component = false;
      for (Scope* t = &s; t != target; t = t->parent)
        if (t->kind == Scope::Kind::Component) crosses_component = true;
      auto bound = [&](size_t size, const char* what) {
        if (a.outer_index >= size)
          fail(a.offset, std::string("unknown ") + what + " " + std::to_string(a.outer_index) + ": " + what +
                             " index out of bounds");
      };
      if (a.sort.sort == bin::Sort::Core && a.sort.core_sort == bin::CoreSort::Type) {
        bound(target->sp.core_types.size(), "core type");
        push_limited(s.sp.core_types, CoreTypeInfo(target->sp.core_types[a.outer_index]), a.offset, "core type");
      } else if (a.sort.sort == bin::Sort::Core && a.sort.core_sort == bin::CoreSort::Module) {
        bound(target->sp.core_modules.size(), "module");
        push_limited(s.sp.core_modules, target->sp.core_modules[a.outer_index], a.offset, "module");
      } else if (a.sort.sort == bin::Sort::Type) {
        bound(target->sp.types.size(), "type");
        const TypeInfoRef& t = target->sp.types[a.outer_index];
        if (crosses_component && refers_to_resources(*t))
          fail(a.offset, "type index " + std::to_string(a.outer_index) +
                             " transitively refers to resources not defined in the current component");
        push_limited(s.sp.types, t, a.offset, "type");
      } else if (a.sort.sort == bin::Sort::Component) {
        bound(target->sp.components.size(), "component");
        push_limited(s.sp.components, target->sp.components[a.outer_index], a.offset, "component");
      } else {
        fail(a.offset, "invalid outer alias sort");
      }
      break;
    }
  }
}

}  // namespace cm::validate::detail
