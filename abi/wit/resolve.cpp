#include "wit/resolve.h"

#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "util/trap.h"
#include "validate/names.h"

namespace cm::wit {

namespace {

using validate::ExternInfo;
using validate::FuncTypeRef;
using validate::NamedExtern;
using validate::TypeInfo;
using validate::TypeInfoRef;

// The names one interface (or the world) defines, while it is being resolved.
struct Scope {
  const ast::Package* package = nullptr;
  std::map<std::string, TypeInfoRef> types;                // resolved type names
  std::map<std::string, const ast::TypeDef*> pending;      // typedefs not resolved yet
  std::set<std::string> resolving;                         // for cycles
  bool is_world = false;
  // The world's names for types of an interface the world itself exports inline (what
  // the printer writes when an exported function uses such an interface's type): they
  // stand for that interface's own types and import nothing (the component has no such
  // import, and as an import the type would come before the export that defines it).
  std::set<std::string> name_only;
};

ExternInfo type_extern(TypeInfoRef t) {
  ExternInfo e;
  e.kind = ExternInfo::Kind::Type;
  e.type = std::move(t);
  return e;
}

ExternInfo func_extern(FuncTypeRef f) {
  ExternInfo e;
  e.kind = ExternInfo::Kind::Func;
  e.func = std::move(f);
  return e;
}

class Resolver {
 public:
  explicit Resolver(const ast::Document& doc) : doc_(doc) {}

  validate::ComponentTypeInfo world(std::string_view name) {
    const ast::World* found = nullptr;
    const ast::Package* package = nullptr;
    size_t count = 0;
    for (const ast::Package& p : doc_.packages) {
      for (const auto& w : p.worlds) {
        ++count;
        if (name.empty() || w->name == name) {
          if (found && name.empty()) fail_at(w->pos, "the text declares several worlds; name the one to use");
          if (!found) {
            found = w.get();
            package = &p;
          }
        }
      }
    }
    if (!found) {
      if (count == 0) fail_at(Position{}, "the text declares no world");
      fail_at(Position{}, "the text declares no world named `" + std::string(name) + "`");
    }
    return world(*found, *package);
  }

 private:
  const ast::Document& doc_;
  const ast::World* world_ = nullptr;  // the world being resolved
  ResourceTypeId next_resource_ = 0;
  uint32_t next_alias_ = 0;
  std::map<const ast::Interface*, validate::InstanceTypeRef> interfaces_;
  std::map<const ast::Interface*, std::map<std::string, TypeInfoRef>> interface_types_;
  std::set<const ast::Interface*> in_progress_;

  // ---- worlds and interfaces -------------------------------------------------------------

  validate::ComponentTypeInfo world(const ast::World& w, const ast::Package& package) {
    world_ = &w;
    validate::ComponentTypeInfo out;
    Scope scope;
    scope.package = &package;
    std::set<std::string> import_names, export_names;
    auto add = [&](bool exported, const std::string& name, ExternInfo e, Position pos) {
      if (!(exported ? export_names : import_names).insert(name).second)
        fail_at(pos, std::string(exported ? "export" : "import") + " `" + name + "` is declared twice");
      (exported ? out.exports : out.imports).emplace_back(name, std::move(e));
    };
    // In wit-component's order: imported interfaces, then the world's own types and uses
    // (imports of types), then imported functions; exports in text order. A resource's
    // first name is its definition (world_names.h), so interfaces must come first.
    auto is_interface = [](const ast::Item& item) {
      return item.kind == ast::Item::Kind::Inline || item.kind == ast::Item::Kind::Path;
    };
    // wit-parser elaborates a world before encoding it: every interface that an imported
    // or exported interface (or the world's own `use`) refers to is imported too, ahead of
    // the interface that needs it, unless the world exports it. Without that, such a
    // component's types would point into an interface the world does not have.
    std::set<const ast::Interface*> imported, exported_by_path, visiting;
    for (const ast::Item& item : w.items)
      if (item.exported && item.kind == ast::Item::Kind::Path) exported_by_path.insert(find_interface(item.path, package).first);
    std::function<void(const ast::Interface&, const ast::Package&, Position)> import_with_dependencies =
        [&](const ast::Interface& iface, const ast::Package& pkg, Position pos) {
          // A cycle of `use`s stops here; resolving the interface reports it.
          if (imported.count(&iface) || !visiting.insert(&iface).second) return;
          import_dependencies(iface, pkg, pos, import_with_dependencies, [](const ast::Interface*) { return false; });
          imported.insert(&iface);
          auto [name, e] = interface_extern(iface, pkg, pos);
          add(false, name, std::move(e), pos);
        };
    for (const ast::Item& item : w.items) {
      if (item.exported || !is_interface(item)) continue;
      if (item.kind == ast::Item::Kind::Path) {
        auto [iface, pkg] = find_interface(item.path, package);
        if (imported.count(iface)) {
          // Already imported, as a dependency of an earlier import (fine) or by name (twice).
          if (explicitly_imported_before(w, item, package))
            fail_at(item.pos, "import `" + interface_name(*iface, *pkg) + "` is declared twice");
          continue;
        }
        import_with_dependencies(*iface, *pkg, item.pos);
      } else {
        import_dependencies(*item.inline_interface, package, item.pos, import_with_dependencies,
                            [](const ast::Interface*) { return false; });
        world_item(item, package, scope, add);
      }
    }
    for (const ast::Item& item : w.items) {
      if (item.kind != ast::Item::Kind::Use) continue;
      auto [iface, pkg] = find_interface(item.use.path, package);
      if (is_package_interface(*iface)) import_with_dependencies(*iface, *pkg, item.use.path.pos);
    }
    for (const ast::Item& item : w.items) {
      if (!item.exported || !is_interface(item)) continue;
      auto exported = [&](const ast::Interface* dep) { return exported_by_path.count(dep) > 0; };
      if (item.kind == ast::Item::Kind::Path) {
        auto [iface, pkg] = find_interface(item.path, package);
        import_dependencies(*iface, *pkg, item.pos, import_with_dependencies, exported);
      } else {
        import_dependencies(*item.inline_interface, package, item.pos, import_with_dependencies, exported);
      }
    }
    scope.is_world = true;
    std::vector<NamedExtern> types = items(w.items, scope);
    for (auto& [name, e] : types)
      if (!scope.name_only.count(name)) add(false, name, std::move(e), w.pos);
    for (const ast::Item& item : w.items)
      if (!item.exported && item.kind == ast::Item::Kind::Func) world_item(item, package, scope, add);
    for (const ast::Item& item : w.items)
      if (item.exported) world_item(item, package, scope, add);
    return out;
  }

  template <typename Add>
  void world_item(const ast::Item& item, const ast::Package& package, Scope& scope, Add& add) {
    {
      switch (item.kind) {
        case ast::Item::Kind::Func:
          add(item.exported, item.name, func_extern(func(item.func, scope)), item.pos);
          break;
        case ast::Item::Kind::Inline: {
          ExternInfo e;
          e.kind = ExternInfo::Kind::Instance;
          e.instance = interface(*item.inline_interface, package);
          add(item.exported, item.name, std::move(e), item.pos);
          break;
        }
        case ast::Item::Kind::Path: {
          auto [iface, pkg] = find_interface(item.path, package);
          auto [name, e] = interface_extern(*iface, *pkg, item.pos);
          add(item.exported, name, std::move(e), item.pos);
          break;
        }
        default:
          break;
      }
    }
  }

  // A world's import or export of a package's interface: its name and instance type.
  std::pair<std::string, ExternInfo> interface_extern(const ast::Interface& iface, const ast::Package& pkg,
                                                      Position pos) {
    std::string name = interface_name(iface, pkg);
    // The parser takes 🪺 nested packages (`ns:a:b`), but a component's import or
    // export cannot be named so (validate/names.h).
    try {
      validate::parse_extern_name(name, 0);
    } catch (const CompileError& e) {
      fail_at(pos, "`" + name + "` cannot name a component's import or export: " + e.rule());
    }
    ExternInfo e;
    e.kind = ExternInfo::Kind::Instance;
    e.instance = interface(iface, pkg);
    return {std::move(name), std::move(e)};
  }

  // Imports (through `import`) every package interface that `iface`'s `use`s name, except
  // those `skip` says the world provides otherwise. The dependency's `use`s are followed by
  // `import`, which imports its own dependencies first.
  template <typename Import, typename Skip>
  void import_dependencies(const ast::Interface& iface, const ast::Package& pkg, Position pos, Import& import,
                           Skip skip) {
    for (const ast::Item& item : iface.items) {
      if (item.kind != ast::Item::Kind::Use) continue;
      auto [dep, dep_pkg] = find_interface(item.use.path, pkg);
      if (dep == &iface || !is_package_interface(*dep) || skip(dep)) continue;
      import(*dep, *dep_pkg, pos);
    }
  }

  // Whether `iface` is declared in a package (not inline in the world), so that a world
  // can import it by name.
  bool is_package_interface(const ast::Interface& iface) const {
    for (const ast::Package& p : doc_.packages)
      for (const auto& i : p.interfaces)
        if (i.get() == &iface) return true;
    return false;
  }

  // Whether an `import` of the interface `item` names comes earlier in the world by name.
  bool explicitly_imported_before(const ast::World& w, const ast::Item& item, const ast::Package& package) {
    const ast::Interface* iface = find_interface(item.path, package).first;
    for (const ast::Item& other : w.items) {
      if (&other == &item) return false;
      if (!other.exported && other.kind == ast::Item::Kind::Path && find_interface(other.path, package).first == iface)
        return true;
    }
    return false;
  }

  validate::InstanceTypeRef interface(const ast::Interface& iface, const ast::Package& package) {
    auto done = interfaces_.find(&iface);
    if (done != interfaces_.end()) return done->second;
    if (!in_progress_.insert(&iface).second) fail_at(iface.pos, "interface `" + iface.name + "` uses itself");
    Scope scope;
    scope.package = &package;
    auto out = std::make_shared<validate::InstanceTypeInfo>();
    out->exports = items(iface.items, scope);
    for (const ast::Item& item : iface.items)
      if (item.kind == ast::Item::Kind::Func) out->exports.emplace_back(item.name, func_extern(func(item.func, scope)));
    // Types and functions are exports of one instance: their names are one namespace.
    std::set<std::string> names;
    for (const auto& [name, e] : out->exports)
      if (!names.insert(name).second) fail_at(iface.pos, "`" + name + "` is declared twice in interface `" + iface.name + "`");
    in_progress_.erase(&iface);
    interface_types_[&iface] = scope.types;
    interfaces_[&iface] = out;
    return out;
  }

  // The type items (uses and typedefs, resource members after their resource) of an
  // interface or world, in text order.
  std::vector<NamedExtern> items(const std::vector<ast::Item>& list, Scope& scope) {
    // Every name first, so that types may be used before their definition.
    for (const ast::Item& item : list) {
      if (item.kind == ast::Item::Kind::Use) {
        use(item.use, scope);
      } else if (item.kind == ast::Item::Kind::Type) {
        const ast::TypeDef& d = item.type;
        if (scope.types.count(d.name) || scope.pending.count(d.name))
          fail_at(d.pos, "type `" + d.name + "` is defined twice");
        if (d.kind == ast::TypeDef::Kind::Resource) {
          auto t = std::make_shared<TypeInfo>();
          t->kind = TypeInfo::Kind::Resource;
          t->resource = next_resource_++;
          scope.types[d.name] = t;
        } else {
          scope.pending[d.name] = &d;
        }
      }
    }
    std::vector<NamedExtern> out;
    for (const ast::Item& item : list) {
      if (item.kind == ast::Item::Kind::Use) {
        for (const auto& [name, local] : item.use.names) out.emplace_back(local, type_extern(scope.types.at(local)));
      } else if (item.kind == ast::Item::Kind::Type) {
        out.emplace_back(item.type.name, type_extern(named_type(item.type.name, scope, item.type.pos)));
        if (item.type.kind == ast::TypeDef::Kind::Resource) resource_members(item.type, scope, out);
      }
    }
    return out;
  }

  void use(const ast::Use& u, Scope& scope) {
    auto [iface, pkg] = find_interface(u.path, *scope.package);
    interface(*iface, *pkg);
    const auto& theirs = interface_types_.at(iface);
    const bool name_only = scope.is_world && exported_inline(iface);
    for (const auto& [name, local] : u.names) {
      auto it = theirs.find(name);
      if (it == theirs.end())
        fail_at(u.path.pos, "interface `" + iface->name + "` has no type `" + name + "`");
      if (scope.types.count(local)) fail_at(u.path.pos, "type `" + local + "` is defined twice");
      scope.types[local] = name_only ? it->second : rename(it->second);
      if (name_only) scope.name_only.insert(local);
    }
  }

  bool exported_inline(const ast::Interface* iface) const {
    for (const ast::Item& item : world_->items)
      if (item.kind == ast::Item::Kind::Inline && item.exported && item.inline_interface.get() == iface) return true;
    return false;
  }

  // A new name for a type (a `use`, `type a = b`): a resource under a new type index, a
  // value type as a node of its own that renames the other (as the validator has names).
  TypeInfoRef rename(const TypeInfoRef& t) {
    auto out = std::make_shared<TypeInfo>(*t);
    if (t->kind == TypeInfo::Kind::Resource) {
      out->resource_alias = ++next_alias_;
    } else {
      out->value = std::make_shared<const ValType>(*t->value);
      out->named_from = t->value;
    }
    return out;
  }

  std::pair<const ast::Interface*, const ast::Package*> find_interface(const ast::UsePath& path, const ast::Package& here) {
    for (const ast::Package& p : doc_.packages) {
      bool same = path.package.empty() ? &p == &here : p.name == path.package;
      if (!same || (!path.version.empty() && p.version != path.version)) continue;
      for (const auto& iface : p.interfaces)
        if (iface->name == path.interface) return {iface.get(), &p};
    }
    // Not WIT proper, but what the printer writes for a world whose own items use types
    // of an interface it defines inline: `use name.{t}` naming that inline interface.
    if (path.package.empty() && path.version.empty() && world_) {
      for (const ast::Item& item : world_->items)
        if (item.kind == ast::Item::Kind::Inline && item.name == path.interface) return {item.inline_interface.get(), &here};
    }
    std::string full = path.package.empty() ? path.interface : path.package + "/" + path.interface;
    if (!path.version.empty()) full += "@" + path.version;
    fail_at(path.pos, "unknown interface `" + full + "`");
  }

  static std::string interface_name(const ast::Interface& iface, const ast::Package& p) {
    if (p.name.empty()) return iface.name;
    return p.name + "/" + iface.name + (p.version.empty() ? "" : "@" + p.version);
  }

  // ---- types -----------------------------------------------------------------------------

  TypeInfoRef named_type(const std::string& name, Scope& scope, Position pos) {
    auto done = scope.types.find(name);
    if (done != scope.types.end()) return done->second;
    auto pending = scope.pending.find(name);
    if (pending == scope.pending.end()) fail_at(pos, "unknown type `" + name + "`");
    const ast::TypeDef& d = *pending->second;
    if (!scope.resolving.insert(name).second) fail_at(d.pos, "type `" + name + "` refers to itself");
    TypeInfoRef out;
    if (d.kind == ast::TypeDef::Kind::Alias) {
      if (d.alias->kind == ast::TypeExpr::Kind::Named) {
        out = rename(named_type(d.alias->name, scope, d.alias->pos));
      } else {
        TypeRef target = type(*d.alias, scope);
        auto t = std::make_shared<TypeInfo>();
        t->kind = TypeInfo::Kind::Value;
        t->value = std::make_shared<const ValType>(*target);
        t->named_from = target;
        out = t;
      }
    } else {
      auto t = std::make_shared<TypeInfo>();
      t->kind = TypeInfo::Kind::Value;
      t->value = definition(d, scope);
      out = t;
    }
    scope.resolving.erase(name);
    scope.pending.erase(name);
    scope.types[name] = out;
    return out;
  }

  TypeRef definition(const ast::TypeDef& d, Scope& scope) {
    switch (d.kind) {
      case ast::TypeDef::Kind::Record: {
        if (d.fields.empty()) fail_at(d.pos, "record `" + d.name + "` has no fields");
        std::vector<Field> fields;
        for (const ast::Param& f : d.fields) fields.push_back({f.name, type(*f.type, scope)});
        return types::record(std::move(fields));
      }
      case ast::TypeDef::Kind::Variant: {
        if (d.cases.empty()) fail_at(d.pos, "variant `" + d.name + "` has no cases");
        std::vector<Case> cases;
        for (const auto& [name, payload] : d.cases) cases.push_back({name, payload ? type(*payload, scope) : nullptr});
        return types::variant(std::move(cases));
      }
      case ast::TypeDef::Kind::Enum:
        if (d.labels.empty()) fail_at(d.pos, "enum `" + d.name + "` has no cases");
        return types::enumeration(d.labels);
      case ast::TypeDef::Kind::Flags:
        if (d.labels.empty()) fail_at(d.pos, "flags `" + d.name + "` has no flags");
        if (d.labels.size() > 32) fail_at(d.pos, "flags `" + d.name + "` has more than 32 flags");
        return types::flags(d.labels);
      default:
        fail_at(d.pos, "not a value type definition");
    }
  }

  TypeRef handle(TypeKind kind, const std::string& name, Scope& scope, Position pos) {
    const TypeInfoRef& t = named_type(name, scope, pos);
    if (t->kind != TypeInfo::Kind::Resource) fail_at(pos, "`" + name + "` is not a resource");
    ValType v{.kind = kind, .resource = t->resource, .resource_alias = t->resource_alias};
    return std::make_shared<const ValType>(v);
  }

  TypeRef type(const ast::TypeExpr& e, Scope& scope) {
    using EK = ast::TypeExpr::Kind;
    auto arg = [&](size_t i) { return e.args.size() > i && e.args[i] ? type(*e.args[i], scope) : nullptr; };
    switch (e.kind) {
      case EK::Primitive: return types::primitive(e.primitive);
      case EK::Named: {
        const TypeInfoRef& t = named_type(e.name, scope, e.pos);
        if (t->kind == TypeInfo::Kind::Resource) return handle(TypeKind::Own, e.name, scope, e.pos);
        return t->value;
      }
      case EK::Borrow: return handle(TypeKind::Borrow, e.name, scope, e.pos);
      case EK::List: return types::list(arg(0));
      case EK::FixedList: return types::fixed_list(arg(0), e.length);
      case EK::Option: return types::option(arg(0));
      case EK::Result: return types::result(arg(0), arg(1));
      case EK::Tuple: {
        std::vector<TypeRef> elements;
        for (const auto& a : e.args) elements.push_back(type(*a, scope));
        return types::tuple(std::move(elements));
      }
      case EK::Stream: return types::stream(arg(0));
      case EK::Future: return types::future(arg(0));
    }
    fail_at(e.pos, "unknown type");
  }

  FuncTypeRef func(const ast::Func& f, Scope& scope, TypeRef self = nullptr) {
    auto out = std::make_shared<FuncType>();
    out->is_async = f.is_async;
    std::set<std::string> names;
    if (self) out->params.push_back({"self", self});
    for (const ast::Param& p : f.params) {
      if (!names.insert(p.name).second) fail_at(f.pos, "parameter `" + p.name + "` is declared twice");
      out->params.push_back({p.name, type(*p.type, scope)});
    }
    if (f.result) out->result = type(*f.result, scope);
    return out;
  }

  void resource_members(const ast::TypeDef& d, Scope& scope, std::vector<NamedExtern>& out) {
    for (const ast::ResourceMember& m : d.members) {
      switch (m.kind) {
        case ast::ResourceMember::Kind::Constructor: {
          FuncTypeRef f = func(m.func, scope);
          if (!m.func.result) {
            auto with_result = std::make_shared<FuncType>(*f);
            with_result->result = handle(TypeKind::Own, d.name, scope, d.pos);
            f = with_result;
          }
          out.emplace_back("[constructor]" + d.name, func_extern(f));
          break;
        }
        case ast::ResourceMember::Kind::Method:
          out.emplace_back("[method]" + d.name + "." + m.func.name,
                           func_extern(func(m.func, scope, handle(TypeKind::Borrow, d.name, scope, d.pos))));
          break;
        case ast::ResourceMember::Kind::Static:
          out.emplace_back("[static]" + d.name + "." + m.func.name, func_extern(func(m.func, scope)));
          break;
      }
    }
  }
};

}  // namespace

validate::ComponentTypeInfo resolve_world(const ast::Document& document, std::string_view world) {
  return Resolver(document).world(world);
}

}  // namespace cm::wit
