#include "wit/printer.h"

#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "util/trap.h"
#include "validate/names.h"
#include "wit/identifiers.h"
#include "wit/world_names.h"

namespace cm::wit {

namespace {

using validate::ExternInfo;
using validate::ExternNameInfo;
using validate::NamedExtern;
using validate::TypeInfo;

using Lines = std::vector<std::string>;

// One printed item and the group it belongs to; groups (uses, types, functions) are
// separated by a blank line, and so is every item of more than one line.
struct Item {
  enum class Group : uint8_t { Use, Type, Func, Other };
  Group group;
  Lines lines;
};

Lines join(const std::vector<Item>& items) {
  Lines out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) {
      const Item& prev = items[i - 1];
      if (prev.group != items[i].group || prev.lines.size() > 1 || items[i].lines.size() > 1) out.emplace_back();
    }
    out.insert(out.end(), items[i].lines.begin(), items[i].lines.end());
  }
  return out;
}

void append_indented(Lines& out, const Lines& in, const char* prefix = "  ") {
  for (const std::string& l : in) out.push_back(l.empty() ? l : prefix + l);
}

std::optional<ExternNameInfo> parse_name(const std::string& name) {
  try {
    return validate::parse_extern_name(name, 0);
  } catch (const CompileError&) {
    return std::nullopt;
  }
}

const char* extern_kind_word(ExternInfo::Kind k) {
  switch (k) {
    case ExternInfo::Kind::CoreModule: return "a core module";
    case ExternInfo::Kind::Func: return "a function";
    case ExternInfo::Kind::Value: return "a value";
    case ExternInfo::Kind::Type: return "a type";
    case ExternInfo::Kind::Component: return "a component";
    case ExternInfo::Kind::Instance: return "an instance";
  }
  return "an item";
}

// Prints the types and functions of one scope, collecting the `use` items that its
// references to other scopes' types need.
class ScopePrinter {
 public:
  ScopePrinter(const WorldNames& names, uint32_t scope) : names_(names), scope_(scope) {}

  // The names the scope defines itself, which a `use` must not take.
  void reserve(const std::string& name) { taken_.insert(name); }

  // A type item that renames a type of another scope: `use path.{from as local}`.
  void use_as(const Name& from, const std::string& local) {
    if (from.scope == WorldNames::kWorld) throw_world_type_in_interface(from);
    taken_.insert(local);
    add_use(from, local);
  }

  // A type where it is used: its name, or its structure when it has none.
  std::string type(const TypeRef& t) {
    if (!t) return "_";
    if (t->kind == TypeKind::Own || t->kind == TypeKind::Borrow) {
      const Name* n = names_.resource_name(t->resource, t->resource_alias, scope_);
      if (!n) throw_unnamed_resource();
      std::string r = local_name(*n);
      return t->kind == TypeKind::Own ? r : "borrow<" + r + ">";
    }
    if (const Name* n = names_.value_name(t.get(), scope_)) return local_name(*n);
    return structure(*t);
  }

  // A type's own structure, ignoring any name the node has (the right side of `type a = ...`).
  std::string structure(const ValType& t) {
    switch (t.kind) {
      case TypeKind::List: return "list<" + type(t.element) + ">";
      case TypeKind::FixedList: return "list<" + type(t.element) + ", " + std::to_string(t.length) + ">";
      case TypeKind::Option: return "option<" + type(t.cases[1].type) + ">";
      case TypeKind::Result: {
        const TypeRef& ok = t.cases[0].type;
        const TypeRef& err = t.cases[1].type;
        if (!ok && !err) return "result";
        if (!err) return "result<" + type(ok) + ">";
        return "result<" + type(ok) + ", " + type(err) + ">";
      }
      case TypeKind::Tuple: {
        std::string s = "tuple<";
        for (size_t i = 0; i < t.fields.size(); ++i) s += (i ? ", " : "") + type(t.fields[i].type);
        return s + ">";
      }
      case TypeKind::Stream:
      case TypeKind::Future: {
        std::string s = t.kind == TypeKind::Stream ? "stream" : "future";
        return t.element ? s + "<" + type(t.element) + ">" : s;
      }
      case TypeKind::Own:
      case TypeKind::Borrow: {
        auto handle = std::make_shared<const ValType>(t);
        return type(handle);
      }
      case TypeKind::Record:
      case TypeKind::Variant:
      case TypeKind::Enum:
      case TypeKind::Flags:
        // Valid components name these (external visibility); a hand-built type may not.
        return std::string("/* unnamed ") + type_kind_name(t.kind) + " */ " + type_kind_name(t.kind);
      default:
        return type_kind_name(t.kind);
    }
  }

  // `func(a: t) -> r`, `async func(...)`; without the `self` parameter of a method.
  std::string func(const FuncType& f, bool drop_self = false, bool is_static = false) {
    std::string s = is_static ? "static " : "";
    if (f.is_async) s += "async ";
    s += "func" + params(f, drop_self);
    if (f.result) s += " -> " + type(f.result);
    return s;
  }

  std::string params(const FuncType& f, bool drop_self = false) {
    std::string s = "(";
    bool first = true;
    for (size_t i = drop_self ? 1 : 0; i < f.params.size(); ++i) {
      if (!first) s += ", ";
      first = false;
      s += identifier(f.params[i].name) + ": " + type(f.params[i].type);
    }
    return s + ")";
  }

  // The scope's `use` items, one per scope used from, in order of first use.
  std::vector<Item> uses() const {
    std::vector<Item> out;
    for (const UseGroup& g : uses_) {
      std::string s = "use " + use_path(g.from) + ".{";
      for (size_t i = 0; i < g.names.size(); ++i) {
        if (i) s += ", ";
        s += identifier(g.names[i].first);
        if (g.names[i].second != g.names[i].first) s += " as " + identifier(g.names[i].second);
      }
      out.push_back({Item::Group::Use, {s + "};"}});
    }
    return out;
  }

  uint32_t scope() const { return scope_; }
  const WorldNames& names() const { return names_; }

 private:
  struct UseGroup {
    uint32_t from;
    std::vector<std::pair<std::string, std::string>> names;  // (name there, name here)
  };

  const WorldNames& names_;
  uint32_t scope_;
  std::set<std::string> taken_;
  std::vector<UseGroup> uses_;
  std::map<std::pair<uint32_t, std::string>, std::string> used_;  // (scope, name) -> local

  // How this scope refers to a name: as it is, when it lives here, else through a `use`.
  std::string local_name(const Name& n) {
    if (n.scope == scope_) return identifier(n.name);
    if (n.scope == WorldNames::kWorld) throw_world_type_in_interface(n);
    auto it = used_.find({n.scope, n.name});
    if (it != used_.end()) return identifier(it->second);
    std::string local = n.name;
    if (taken_.count(local)) {
      const Scope& from = names_.scopes()[n.scope];
      std::string base = (from.kind == Scope::Kind::Interface ? from.interface : from.name) + "-" + n.name;
      local = base;
      for (int i = 2; taken_.count(local); ++i) local = base + std::to_string(i);
    }
    taken_.insert(local);
    add_use(n, local);
    return identifier(local);
  }

  [[noreturn]] void throw_world_type_in_interface(const Name& n) const {
    const Scope& here = names_.scopes()[scope_];
    throw NoWitForm("this component has no WIT form: its interface `" + here.name + "` refers to `" + n.name +
                    "`, a type of the world itself, which a WIT interface cannot `use`");
  }

  // A handle to a resource that no world or interface names: one defined in an instance
  // nested in an interface (printed as a comment), which no WIT text can reach.
  [[noreturn]] void throw_unnamed_resource() const {
    const Scope& here = names_.scopes()[scope_];
    std::string where = scope_ == WorldNames::kWorld ? "the world" : "interface `" + here.name + "`";
    throw NoWitForm("this component has no WIT form: " + where +
                    " refers to a resource that no WIT name reaches (one of an instance nested in an instance)");
  }

  void add_use(const Name& from, const std::string& local) {
    used_[{from.scope, from.name}] = local;
    for (UseGroup& g : uses_) {
      if (g.from == from.scope) {
        g.names.emplace_back(from.name, local);
        return;
      }
    }
    uses_.push_back({from.scope, {{from.name, local}}});
  }

  // `iface` from an interface of the same package, else the full interface name.
  std::string use_path(uint32_t from) const {
    const Scope& s = names_.scopes()[from];
    const Scope& here = names_.scopes()[scope_];
    if (s.kind != Scope::Kind::Interface) return identifier(s.name);
    if (here.kind == Scope::Kind::Interface && here.package == s.package && here.version == s.version)
      return identifier(s.interface);
    return qualified_identifier(s.name);
  }
};

// The functions of a list of items that belong to resource `resource`, as the lines of
// its block.
Lines resource_members(ScopePrinter& p, const std::vector<NamedExtern>& items, const std::string& resource) {
  Lines out;
  for (const auto& [name, e] : items) {
    if (e.kind != ExternInfo::Kind::Func) continue;
    auto info = parse_name(name);
    if (!info || info->resource != resource) continue;
    const FuncType& f = *e.func;
    switch (info->kind) {
      case ExternNameInfo::Kind::Constructor: {
        std::string s = "constructor" + p.params(f);
        // A fallible constructor returns result<r, e>; the plain one returns r, implied.
        if (f.result && f.result->kind == TypeKind::Result) s += " -> " + p.type(f.result);
        out.push_back(s + ";");
        break;
      }
      case ExternNameInfo::Kind::Method:
        out.push_back(identifier(info->label) + ": " + p.func(f, /*drop_self=*/true) + ";");
        break;
      case ExternNameInfo::Kind::Static:
        out.push_back(identifier(info->label) + ": " + p.func(f, false, /*is_static=*/true) + ";");
        break;
      default:
        break;
    }
  }
  return out;
}

// A type item of a scope: its definition, or the `use`/alias that renames an earlier type.
std::optional<Item> type_item(ScopePrinter& p, const std::vector<NamedExtern>& items, const std::string& name,
                              const TypeInfo& t) {
  const std::string id = identifier(name);
  Name self{p.scope(), name};
  if (const Name* earlier = p.names().earlier_name(t, self)) {
    if (earlier->scope == p.scope() || (earlier->scope == WorldNames::kWorld && p.scope() == WorldNames::kWorld))
      return Item{Item::Group::Type, {"type " + id + " = " + identifier(earlier->name) + ";"}};
    p.use_as(*earlier, name);
    return std::nullopt;
  }
  if (t.kind == TypeInfo::Kind::Resource) {
    Lines members = resource_members(p, items, name);
    if (members.empty()) return Item{Item::Group::Type, {"resource " + id + ";"}};
    Lines lines{"resource " + id + " {"};
    append_indented(lines, members);
    lines.push_back("}");
    return Item{Item::Group::Type, lines};
  }
  if (t.kind != TypeInfo::Kind::Value || !t.value) return std::nullopt;
  const ValType& v = *t.value;
  auto block = [&](const char* keyword, const Lines& body) {
    Lines lines{std::string(keyword) + " " + id + " {"};
    append_indented(lines, body);
    lines.push_back("}");
    return Item{Item::Group::Type, lines};
  };
  Lines body;
  switch (v.kind) {
    case TypeKind::Record:
      for (const Field& f : v.fields) body.push_back(identifier(f.name) + ": " + p.type(f.type) + ",");
      return block("record", body);
    case TypeKind::Variant:
      for (const Case& c : v.cases)
        body.push_back(identifier(c.name) + (c.type ? "(" + p.type(c.type) + ")" : "") + ",");
      return block("variant", body);
    case TypeKind::Enum:
      for (const Case& c : v.cases) body.push_back(identifier(c.name) + ",");
      return block("enum", body);
    case TypeKind::Flags:
      for (const std::string& l : v.labels) body.push_back(identifier(l) + ",");
      return block("flags", body);
    default:
      return Item{Item::Group::Type, {"type " + id + " = " + p.structure(v) + ";"}};
  }
}

// Whether a function item is a member of a resource ([constructor]r, [method]r.m,
// [static]r.m) that the same list of items defines; such functions are printed inside
// the resource's block.
bool is_resource_member(const std::string& name, const std::vector<NamedExtern>& items) {
  auto info = parse_name(name);
  if (!info || info->resource.empty()) return false;
  for (const auto& [n, e] : items)
    if (n == info->resource && e.kind == ExternInfo::Kind::Type && e.type->kind == TypeInfo::Kind::Resource)
      return true;
  return false;
}

Lines interface_body(const WorldNames& names, uint32_t scope) {
  const Scope& s = names.scopes()[scope];
  ScopePrinter p(names, scope);
  const auto& items = s.type->exports;
  for (const auto& [name, e] : items)
    if (e.kind == ExternInfo::Kind::Type) p.reserve(name);
  std::vector<Item> body;
  for (const auto& [name, e] : items) {
    switch (e.kind) {
      case ExternInfo::Kind::Type:
        if (auto item = type_item(p, items, name, *e.type)) body.push_back(std::move(*item));
        break;
      case ExternInfo::Kind::Func:
        if (is_resource_member(name, items)) break;
        if (parse_name(name) && parse_name(name)->kind != ExternNameInfo::Kind::Label) {
          body.push_back({Item::Group::Other, {"// " + name + ": " + p.func(*e.func) + " (its resource is not defined here)"}});
          break;
        }
        body.push_back({Item::Group::Func, {identifier(name) + ": " + p.func(*e.func) + ";"}});
        break;
      default:
        body.push_back({Item::Group::Other, {"// \"" + name + "\": " + extern_kind_word(e.kind) + " (WIT cannot express it)"}});
        break;
    }
  }
  std::vector<Item> all = p.uses();
  all.insert(all.end(), body.begin(), body.end());
  return join(all);
}

bool names_an_import(const validate::ComponentTypeInfo& world, const std::string& name) {
  for (const auto& [n, e] : world.imports)
    if (n == name) return true;
  return false;
}

// The items of the world: its imports, then its exports.
Lines world_body(const WorldNames& names, const validate::ComponentTypeInfo& world) {
  ScopePrinter p(names, WorldNames::kWorld);
  for (const auto* list : {&world.imports, &world.exports})
    for (const auto& [name, e] : *list)
      if (e.kind == ExternInfo::Kind::Type) p.reserve(name);
  std::vector<Item> sections[2];
  for (int exported = 0; exported < 2; ++exported) {
    const auto& items = exported ? world.exports : world.imports;
    const std::string keyword = exported ? "export " : "import ";
    std::vector<Item>& out = sections[exported];
    bool noted_exported_types = false;
    for (size_t i = 0; i < items.size(); ++i) {
      const auto& [name, e] = items[i];
      switch (e.kind) {
        case ExternInfo::Kind::Instance: {
          uint32_t scope = names.item_scope(exported, i);
          const Scope& s = names.scopes()[scope];
          if (s.kind == Scope::Kind::Interface) {
            out.push_back({Item::Group::Other, {keyword + qualified_identifier(name) + ";"}});
          } else {
            Lines lines{keyword + identifier(name) + ": interface {"};
            append_indented(lines, interface_body(names, scope));
            lines.push_back("}");
            out.push_back({Item::Group::Other, lines});
          }
          break;
        }
        case ExternInfo::Kind::Func:
          if (is_resource_member(name, items)) break;
          if (parse_name(name) && parse_name(name)->kind != ExternNameInfo::Kind::Label) {
            out.push_back({Item::Group::Other, {"// " + keyword + name + ": " + p.func(*e.func) + " (its resource is not defined here)"}});
            break;
          }
          out.push_back({Item::Group::Func, {keyword + identifier(name) + ": " + p.func(*e.func) + ";"}});
          break;
        case ExternInfo::Kind::Type: {
          // A type the world imports or exports under an interface's name (`ns:pkg/i@1.0.0`,
          // which a component may use for any import) has no WIT spelling.
          if (auto info = parse_name(name); !info || info->kind != ExternNameInfo::Kind::Label)
            throw NoWitForm("this component has no WIT form: it " + std::string(exported ? "exports" : "imports") +
                            " a type named `" + name + "`, which is not a name WIT can give a type");
          std::optional<Item> item = type_item(p, items, name, *e.type);
          // An exported type that renames another scope's type became a `use` at the top,
          // which reads back as an import (or, for an interface the world exports inline,
          // as nothing): say here that the component exports it.
          if (!item && exported)
            item = Item{Item::Group::Type, {"// " + identifier(name) + ": the type `use`d above"}};
          if (!item) break;
          // Imports and exports are separate namespaces in a component, in a WIT world
          // they are one: a type exported under an imported item's name can only be told.
          if (exported && names_an_import(world, name)) {
            for (std::string& l : item->lines) l = "// " + l;
            item->lines.push_back("// (" + identifier(name) + ": exported under the name of an import too)");
            item->group = Item::Group::Other;
          }
          if (exported && !noted_exported_types) {
            item->lines.insert(item->lines.begin(),
                               "// exported types (a WIT world cannot export a type; the component does):");
            noted_exported_types = true;
          }
          out.push_back(std::move(*item));
          break;
        }
        default:
          out.push_back({Item::Group::Other, {"// " + keyword + "\"" + name + "\": " + extern_kind_word(e.kind) +
                                              " (WIT cannot express it)"}});
          break;
      }
    }
  }
  // The uses are known only now; they go first.
  Lines out = join(p.uses());
  for (const auto& section : sections) {
    if (section.empty()) continue;
    if (!out.empty()) out.emplace_back();
    Lines lines = join(section);
    out.insert(out.end(), lines.begin(), lines.end());
  }
  return out;
}

}  // namespace

std::string print_world(const validate::ComponentTypeInfo& world, const PrintOptions& options) {
  WorldNames names(world);
  Lines lines{"package " + qualified_identifier(options.package) + ";", "", "world " + identifier(options.world) + " {"};
  append_indented(lines, world_body(names, world));
  lines.push_back("}");

  // One package block per package@version, in order of first appearance; an interface
  // both imported and exported is printed once.
  std::vector<std::pair<std::string, std::vector<uint32_t>>> packages;
  std::set<std::string> printed;
  for (uint32_t i = 0; i < names.scopes().size(); ++i) {
    const Scope& s = names.scopes()[i];
    if (s.kind != Scope::Kind::Interface || !printed.insert(s.name).second) continue;
    std::string key = s.package + (s.version.empty() ? "" : "@" + s.version);
    auto it = packages.begin();
    while (it != packages.end() && it->first != key) ++it;
    if (it == packages.end()) it = packages.insert(packages.end(), {key, {}});
    it->second.push_back(i);
  }
  for (const auto& [package, scopes] : packages) {
    lines.emplace_back();
    lines.push_back("package " + qualified_identifier(package) + " {");
    for (size_t k = 0; k < scopes.size(); ++k) {
      if (k) lines.emplace_back();
      const Scope& s = names.scopes()[scopes[k]];
      Lines body = interface_body(names, scopes[k]);
      if (body.empty()) {
        lines.push_back("  interface " + identifier(s.interface) + " {}");
        continue;
      }
      lines.push_back("  interface " + identifier(s.interface) + " {");
      append_indented(lines, body, "    ");
      lines.push_back("  }");
    }
    lines.push_back("}");
  }

  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

}  // namespace cm::wit
