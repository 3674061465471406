#include "wit/world_names.h"

#include "util/trap.h"
#include "validate/names.h"

namespace cm::wit {

using validate::ExternInfo;
using validate::NamedExtern;
using validate::TypeInfo;

WorldNames::WorldNames(const validate::ComponentTypeInfo& world) {
  scopes_.push_back(Scope{});
  import_scopes_.assign(world.imports.size(), kNoScope);
  export_scopes_.assign(world.exports.size(), kNoScope);
  add_items(kWorld, world.imports, /*exported=*/false, /*root=*/true);
  add_items(kWorld, world.exports, /*exported=*/true, /*root=*/true);
}

uint32_t WorldNames::item_scope(bool exported, size_t index) const {
  const auto& v = exported ? export_scopes_ : import_scopes_;
  return index < v.size() ? v[index] : kNoScope;
}

void WorldNames::add_items(uint32_t scope, const std::vector<NamedExtern>& items, bool exported, bool root) {
  for (size_t i = 0; i < items.size(); ++i) {
    const auto& [name, e] = items[i];
    if (e.kind == ExternInfo::Kind::Type) {
      add_type(scope, name, *e.type);
    } else if (e.kind == ExternInfo::Kind::Instance && root) {
      Scope s;
      s.kind = Scope::Kind::InlineInterface;
      s.name = name;
      s.exported = exported;
      s.type = e.instance.get();
      try {
        validate::ExternNameInfo info = validate::parse_extern_name(name, 0);
        if (info.kind == validate::ExternNameInfo::Kind::Interface) {
          size_t slash = info.interface_without_version.find('/');
          s.kind = Scope::Kind::Interface;
          s.package = info.interface_without_version.substr(0, slash);
          s.interface = info.interface_without_version.substr(slash + 1);
          s.version = info.version;
        }
      } catch (const CompileError&) {
        // Not a valid name (a type built by hand): print the interface inline.
      }
      uint32_t index = static_cast<uint32_t>(scopes_.size());
      scopes_.push_back(std::move(s));
      (exported ? export_scopes_ : import_scopes_)[i] = index;
      add_items(index, e.instance->exports, exported, /*root=*/false);
    }
    // Functions name no types; components, modules and instances nested in an interface
    // have no WIT form (the printer says so).
  }
}

void WorldNames::add_type(uint32_t scope, const std::string& name, const TypeInfo& type) {
  Name n{scope, name};
  if (type.kind == TypeInfo::Kind::Resource) {
    resource_aliases_[{type.resource, type.resource_alias}].push_back(n);
    resources_[type.resource].push_back(n);
  } else if (type.kind == TypeInfo::Kind::Value && type.value) {
    values_[type.value.get()].push_back(n);
    if (type.named_from) renames_.emplace(type.value.get(), type.named_from.get());
  }
}

namespace {

const Name* prefer_scope(const std::vector<Name>& names, uint32_t scope) {
  for (const Name& n : names)
    if (n.scope == scope) return &n;
  return names.empty() ? nullptr : &names.front();
}

}  // namespace

const Name* WorldNames::value_name(const ValType* node, uint32_t scope) const {
  auto it = values_.find(node);
  return it == values_.end() ? nullptr : prefer_scope(it->second, scope);
}

const Name* WorldNames::resource_name(ResourceTypeId resource, uint32_t alias, uint32_t scope) const {
  auto by_alias = resource_aliases_.find({resource, alias});
  if (by_alias != resource_aliases_.end())
    for (const Name& n : by_alias->second)
      if (n.scope == scope) return &n;
  auto by_id = resources_.find(resource);
  if (by_id != resources_.end())
    for (const Name& n : by_id->second)
      if (n.scope == scope) return &n;
  if (by_alias != resource_aliases_.end()) return &by_alias->second.front();
  return by_id == resources_.end() ? nullptr : &by_id->second.front();
}

const Name* WorldNames::earlier_name(const TypeInfo& type, const Name& self) const {
  if (type.kind == TypeInfo::Kind::Resource) {
    const Name* first = resource_definition(type.resource);
    return first && !(*first == self) ? first : nullptr;
  }
  if (type.kind != TypeInfo::Kind::Value || !type.named_from) return nullptr;
  return value_name(type.named_from.get(), self.scope);
}

const Name* WorldNames::value_definition(const ValType* node) const {
  // Renames form chains (an interface's `use` of a `use`); each link points to a node
  // named before, so the chain ends, but a hand-built type could loop: bound the walk.
  for (size_t steps = 0; steps < 64; ++steps) {
    auto from = renames_.find(node);
    if (from == renames_.end() || !values_.count(from->second)) break;
    node = from->second;
  }
  auto it = values_.find(node);
  return it == values_.end() ? nullptr : &it->second.front();
}

const Name* WorldNames::resource_definition(ResourceTypeId resource) const {
  auto it = resources_.find(resource);
  return it == resources_.end() ? nullptr : &it->second.front();
}

}  // namespace cm::wit
