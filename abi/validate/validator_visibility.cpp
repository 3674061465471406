// Names and visibility: which resource and nominal types an import or export may refer
// to (Explainer.md "external visibility"), annotated names, and the import and export
// declarations that check them.
#include "validate/validator_impl.h"

namespace cm::validate::detail {

// ---- names, visibility ---------------------------------------------------------------------

void Validator::add_visible(Namespace& ns, const ExternInfo& e) {
  if (e.kind == ExternInfo::Kind::Type) {
    if (e.type->kind == TypeInfo::Kind::Resource) ns.visible_resources.insert(alias_of(*e.type));
    if (e.type->kind == TypeInfo::Kind::Value) ns.visible_nominal.insert(e.type->value.get());
  } else if (e.kind == ExternInfo::Kind::Instance) {
    for (const NamedExtern& x : e.instance->exports) add_visible(ns, x.second);
  }
}

void Validator::mentions_of(const ExternInfo& e, Mentions& m, Namespace& own) {
  switch (e.kind) {
    case ExternInfo::Kind::Func:
      collect_mentions(*e.func, m);
      break;
    case ExternInfo::Kind::Type:
      if (e.type->kind == TypeInfo::Kind::Value) collect_mentions(e.type->value, m, /*include_root=*/false);
      if (e.type->kind == TypeInfo::Kind::Func) collect_mentions(*e.type->func, m);
      if (e.type->kind == TypeInfo::Kind::Instance) instance_mentions(*e.type->instance, m, own);
      break;
    case ExternInfo::Kind::Instance:
      instance_mentions(*e.instance, m, own);
      break;
    default:
      break;
  }
}

void Validator::instance_mentions(const InstanceTypeInfo& t, Mentions& m, Namespace& own) {
  for (const NamedExtern& x : t.exports) add_visible(own, x.second);
  for (const NamedExtern& x : t.exports) mentions_of(x.second, m, own);
}

void Validator::check_visible(const ExternInfo& e, const Namespace& a, const Namespace* b, bool is_import, size_t offset) {
  Mentions m;
  Namespace own;
  mentions_of(e, m, own);
  auto visible_r = [&](ResourceAlias r) {
    return a.visible_resources.count(r) || (b && b->visible_resources.count(r)) || own.visible_resources.count(r);
  };
  // Whether the resource has a visible name at all (through another type index).
  auto named_elsewhere = [&](ResourceTypeId r) {
    for (const Namespace* ns : {&a, b, static_cast<const Namespace*>(&own)}) {
      if (!ns) continue;
      auto it = ns->visible_resources.lower_bound({r, 0});
      if (it != ns->visible_resources.end() && it->resource == r) return true;
    }
    return false;
  };
  auto visible_n = [&](const ValType* v) {
    return a.visible_nominal.count(v) || (b && b->visible_nominal.count(v)) || own.visible_nominal.count(v);
  };
  std::string why;
  for (ResourceAlias r : m.resource_aliases) {
    if (!why.empty() || visible_r(r)) continue;
    why = "resource type " + describe_resource(r.resource) +
          (named_elsewhere(r.resource)
               ? " is used through a type index that has no externally visible name (an import or export "
                 "names only the type index it introduces)"
               : " has no externally visible name");
  }
  for (const ValType* v : m.nominal)
    if (why.empty() && !visible_n(v)) why = std::string("a ") + kind_name(v->kind) + " type has no externally visible name";
  if (!why.empty())
    fail(offset, std::string(extern_kind_name(e.kind)) + " not valid to be used as " + (is_import ? "import" : "export") +
                     ": " + why);
}

std::string Validator::describe_resource(ResourceTypeId r) const {
  const ResourceInfo& info = (*resources_)[r];
  return info.name.empty() ? "#" + std::to_string(r) : q(info.name);
}

void Validator::check_annotated(const ExternNameInfo& info, const std::string& name, const ExternInfo& e,
                                const Namespace& ns, size_t offset) {
  using K = ExternNameInfo::Kind;
  if (info.kind != K::Constructor && info.kind != K::Method && info.kind != K::Static) return;
  if (e.kind != ExternInfo::Kind::Func) fail(offset, "item " + q(name) + " is not a func");
  const FuncType& f = *e.func;
  // The type index the function names the resource by must be the one imported or
  // exported here under the name `expected`.
  auto check_name = [&](ResourceAlias r, const std::string& expected) {
    auto it = ns.resource_names.find(r);
    if (it == ns.resource_names.end())
      fail(offset, "resource used in function does not have a name in this context");
    if (it->second != expected) fail(offset, "function does not match expected resource name " + q(it->second));
  };
  if (info.kind == K::Constructor) {
    if (!f.result) fail(offset, "function should return one value");
    const ValType* r = f.result.get();
    if (r->kind == TypeKind::Result && r->cases[0].type) r = r->cases[0].type.get();
    if (r->kind != TypeKind::Own)
      fail(offset, "function should return `(own $T)` or `(result (own $T))`");
    check_name({r->resource, r->resource_alias}, info.resource);
  } else if (info.kind == K::Method) {
    if (f.params.empty()) fail(offset, "function should have at least one argument");
    if (f.params[0].name != "self") fail(offset, "function should have a first argument called `self`");
    if (f.params[0].type->kind != TypeKind::Borrow)
      fail(offset, "function should take a first argument of `(borrow $T)`");
    const ValType& self = *f.params[0].type;
    check_name({self.resource, self.resource_alias}, info.resource);
  } else {
    if (!ns.resources_by_name.count(info.resource))
      fail(offset, "static resource name is not known in this context");
  }
}

ExternNameInfo Validator::check_extern_name(const bin::ExternName& n, const ExternInfo& e,
                                            std::unordered_map<std::string, std::string>& keys, const char* role) {
  if (n.name.empty()) fail(n.offset, "`` is not a valid extern name: `` is not in kebab case");
  ExternNameInfo info = parse_extern_name(n.name, n.offset);
  if (n.implements) {
    if (e.kind != ExternInfo::Kind::Instance) fail(n.offset, "only instances can have an `implements` attribute");
    if (info.kind != ExternNameInfo::Kind::Label)
      fail(n.offset, "name " + q(n.name) + " is not valid with `implements`");
    check_interface_name(*n.implements, n.offset);
  }
  if (n.version_suffix) check_version_suffix(info, *n.version_suffix, n.offset);
  std::string key = strongly_unique_key(n.name, info);
  auto [it, inserted] = keys.emplace(key, n.name);
  if (!inserted)
    fail(n.offset, std::string(role) + " name " + q(n.name) + " conflicts with previous name " + q(it->second));
  return info;
}

void Validator::name_resource(Namespace& ns, const std::string& name, const ExternInfo& e) {
  if (e.kind == ExternInfo::Kind::Type && e.type->kind == TypeInfo::Kind::Resource) {
    ns.resource_names[alias_of(*e.type)] = name;
    ns.resources_by_name.insert(name);
  }
}

// ---- imports and exports -------------------------------------------------------------------

void Validator::import_decl(Scope& s, const bin::ExternName& name, const bin::ExternType& et, size_t offset) {
  ResourceTypeId before = next_resource();
  ExternInfo e = extern_type(s, et, /*fresh=*/true, name.name);
  for (ResourceTypeId r = before; r < next_resource(); ++r) s.import_resources.push_back(r);
  ExternNameInfo info = check_extern_name(name, e, s.import_keys, "import");
  check_visible(e, s.import_ns, nullptr, /*is_import=*/true, offset);
  check_annotated(info, name.name, e, s.import_ns, offset);
  name_resource(s.import_ns, name.name, e);
  add_visible(s.import_ns, e);
  push_extern(s, e, offset);
  s.imports.emplace_back(name.name, std::move(e));
}

void Validator::export_decl(Scope& s, const bin::ExternName& name, const bin::ExternType& et, size_t offset) {
  ExternInfo e = extern_type(s, et, /*fresh=*/true, name.name);
  ExternNameInfo info = check_extern_name(name, e, s.export_keys, "export");
  // Instance types defer visibility until they are attached to a concrete import or
  // export; component types validate eagerly.
  if (s.kind != Scope::Kind::InstanceType) check_visible(e, s.export_ns, &s.import_ns, /*is_import=*/false, offset);
  check_annotated(info, name.name, e, s.export_ns, offset);
  name_resource(s.export_ns, name.name, e);
  add_visible(s.export_ns, e);
  push_extern(s, e, offset);
  s.exports.emplace_back(name.name, std::move(e));
}

void Validator::export_(Scope& s, const bin::Export& ex) {
  ExternInfo item = sort_item(s, ex.item, ex.offset);
  ExternInfo e = item;
  if (ex.type) {
    // The ascribed type must be a supertype of the item's; the export then has the
    // ascribed type.
    ResourceTypeId before = next_resource();
    ExternInfo expected = extern_type(s, *ex.type, /*fresh=*/true, ex.name.name);
    Subtyper st(budget_, ex.offset);
    for (ResourceTypeId r = before; r < next_resource(); ++r) st.bindable.insert(r);
    st.check_extern(item, expected, "ascribed type of export is not compatible with item's type");
    // A `(sub resource)` in the ascription hides the resource's identity: the export
    // is a new abstract resource type (`from` records which resource it stands for).
    for (const auto& [abstract, actual] : st.bindings) (*resources_)[abstract].from = actual;
    // The export has the ascribed type as it is: its type exports `(type (eq T))` are
    // the new names the export introduces, and do not name the item's own type indices
    // retroactively (Explainer.md "External Visibility of Types").
    e = expected;
  } else if (e.kind == ExternInfo::Kind::Type && e.type->kind == TypeInfo::Kind::Value) {
    // The export introduces a new name (and type index) for the value type.
    auto named = std::make_shared<TypeInfo>(*e.type);
    named->value = std::make_shared<const ValType>(*e.type->value);
    named->named_from = e.type->value;
    e.type = named;
  } else if (e.kind == ExternInfo::Kind::Type) {
    // Likewise for a resource type: only the new index is externally visible.
    e.type = new_resource_alias(e.type, ex.offset);
  }
  ExternNameInfo info = check_extern_name(ex.name, e, s.export_keys, "export");
  check_visible(e, s.export_ns, &s.import_ns, /*is_import=*/false, ex.offset);
  check_annotated(info, ex.name.name, e, s.export_ns, ex.offset);
  name_resource(s.export_ns, ex.name.name, e);
  if (e.kind == ExternInfo::Kind::Type && e.type->kind == TypeInfo::Kind::Resource)
    (*resources_)[e.type->resource].name = ex.name.name;
  add_visible(s.export_ns, e);
  push_extern(s, e, ex.offset);
  s.exports.emplace_back(ex.name.name, std::move(e));
}

}  // namespace cm::validate::detail
