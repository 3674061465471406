#include "wit/import_check.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "wit/type_text.h"

namespace cm::wit {

namespace {

using validate::ExternInfo;
using validate::NamedExtern;

const ExternInfo* find(const std::vector<NamedExtern>& items, const std::string& name) {
  for (const auto& [n, e] : items)
    if (n == name) return &e;
  return nullptr;
}

std::string tick(const std::string& s) { return "`" + s + "`"; }

const char* kind_word(ExternInfo::Kind k) {
  switch (k) {
    case ExternInfo::Kind::Func: return "a function";
    case ExternInfo::Kind::Instance: return "an interface";
    case ExternInfo::Kind::Type: return "a type";
    case ExternInfo::Kind::Component: return "a component";
    case ExternInfo::Kind::CoreModule: return "a core module";
    case ExternInfo::Kind::Value: return "a value";
  }
  return "an item";
}

// "function `f`", "method `r.m`", "static function `r.s`", "constructor of `r`".
std::string member_words(const std::string& name) {
  auto after = [&](const char* prefix) { return name.substr(std::string(prefix).size()); };
  if (name.rfind("[method]", 0) == 0) return "method " + tick(after("[method]"));
  if (name.rfind("[static]", 0) == 0) return "static function " + tick(after("[static]"));
  if (name.rfind("[constructor]", 0) == 0) return "constructor of " + tick(after("[constructor]"));
  return "function " + tick(name);
}

class Matcher {
 public:
  std::string imports(const validate::ComponentTypeInfo& component, const validate::ComponentTypeInfo& declared) {
    for (const auto& [name, e] : component.imports) {
      if (e.kind == ExternInfo::Kind::Type) continue;
      const ExternInfo* d = find(declared.imports, name);
      if (!d) return "the component imports " + tick(name) + ", which the WIT does not declare";
      if (d->kind != e.kind)
        return "import " + tick(name) + " is " + kind_word(e.kind) + " in the component but " + kind_word(d->kind) + " in the WIT";
      std::string why;
      if (e.kind == ExternInfo::Kind::Func) {
        why = func("import " + tick(name), *e.func, *d->func);
      } else if (e.kind == ExternInfo::Kind::Instance) {
        for (const auto& [member, x] : e.instance->exports) {
          if (x.kind != ExternInfo::Kind::Func) continue;
          const ExternInfo* y = find(d->instance->exports, member);
          if (!y || y->kind != ExternInfo::Kind::Func)
            return "import " + tick(name) + ": the component imports function " + tick(member) +
                   ", which the WIT does not declare";
          why = func("import " + tick(name) + " " + member_words(member), *x.func, *y->func,
                     member.rfind("[method]", 0) == 0 ? 1 : 0);
          if (!why.empty()) break;
        }
      }
      if (!why.empty()) return why;
    }
    return "";
  }

 private:
  // Resources of the component -> the declared ones they stand for, and back.
  std::map<ResourceTypeId, ResourceTypeId> to_declared_, to_component_;

  // `self` (1 for a method) is not counted when naming a parameter by its position.
  std::string func(const std::string& where, const FuncType& c, const FuncType& d, size_t self = 0) {
    if (c.is_async != d.is_async)
      return where + " is " + (c.is_async ? "async" : "sync") + " in the component but " + (d.is_async ? "async" : "sync") +
             " in the WIT";
    if (c.params.size() != d.params.size())
      return where + " takes " + std::to_string(c.params.size()) + " parameters in the component but " +
             std::to_string(d.params.size()) + " in the WIT";
    for (size_t i = 0; i < c.params.size(); ++i) {
      if (c.params[i].name != d.params[i].name)
        return where + ": parameter " + std::to_string(i + 1 - std::min(i, self)) + " is named " + tick(c.params[i].name) +
               " in the component but " + tick(d.params[i].name) + " in the WIT";
      if (!same(c.params[i].type, d.params[i].type)) {
        if (resource_conflict_)
          return where + ": parameter " + tick(c.params[i].name) + " " + kResourceConflict;
        return where + ": parameter " + tick(c.params[i].name) + " is " + tick(type_text(c.params[i].type)) +
               " in the component but " + tick(type_text(d.params[i].type)) + " in the WIT";
      }
    }
    if (!c.result != !d.result || (c.result && !same(c.result, d.result))) {
      if (resource_conflict_) return where + ": the result " + kResourceConflict;
      auto returns = [](const TypeRef& t) { return t ? "returns " + tick(type_text(t)) : std::string("returns nothing"); };
      return where + " " + returns(c.result) + " in the component but " + returns(d.result).substr(8) + " in the WIT";
    }
    return "";
  }

  bool resource(ResourceTypeId c, ResourceTypeId d) {
    auto a = to_declared_.find(c);
    auto b = to_component_.find(d);
    if (a == to_declared_.end() && b == to_component_.end()) {
      to_declared_[c] = d;
      to_component_[d] = c;
      return true;
    }
    bool ok = a != to_declared_.end() && a->second == d && b != to_component_.end() && b->second == c;
    resource_conflict_ |= !ok;
    return ok;
  }

  static constexpr const char* kResourceConflict =
      "uses a resource that is not the one the WIT has there (each resource of the component stands for one "
      "declared resource)";
  bool resource_conflict_ = false;

  bool same(const TypeRef& c, const TypeRef& d) {
    if (!c || !d) return !c && !d;
    if (c->kind != d->kind) return false;
    if (!seen_.insert({c.get(), d.get()}).second) return true;  // compared already (or in progress)
    switch (c->kind) {
      case TypeKind::Own:
      case TypeKind::Borrow:
        return resource(c->resource, d->resource);
      case TypeKind::FixedList:
        if (c->length != d->length) return false;
        return same(c->element, d->element);
      case TypeKind::List:
      case TypeKind::Stream:
      case TypeKind::Future:
        return same(c->element, d->element);
      case TypeKind::Flags:
        return c->labels == d->labels;
      default:
        break;
    }
    if (c->fields.size() != d->fields.size() || c->cases.size() != d->cases.size()) return false;
    for (size_t i = 0; i < c->fields.size(); ++i)
      if (c->fields[i].name != d->fields[i].name || !same(c->fields[i].type, d->fields[i].type)) return false;
    for (size_t i = 0; i < c->cases.size(); ++i)
      if (c->cases[i].name != d->cases[i].name || !same(c->cases[i].type, d->cases[i].type)) return false;
    return true;
  }

  std::set<std::pair<const ValType*, const ValType*>> seen_;
};

}  // namespace

std::string check_imports(const validate::ComponentTypeInfo& component, const validate::ComponentTypeInfo& declared) {
  return Matcher().imports(component, declared);
}

}  // namespace cm::wit
