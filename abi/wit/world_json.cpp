#include "wit/world_json.h"

#include <set>
#include <unordered_map>
#include <vector>

#include "util/json_writer.h"
#include "wit/world_names.h"

namespace cm::wit {

namespace {

using validate::ExternInfo;
using validate::NamedExtern;
using validate::TypeInfo;

class WorldWriter {
 public:
  explicit WorldWriter(const validate::ComponentTypeInfo& world) : world_(world), names_(world) {}

  std::string write() {
    JsonWriter body;
    body.begin_object().key("scopes").begin_array();
    for (const Scope& s : names_.scopes()) {
      body.begin_object();
      switch (s.kind) {
        case Scope::Kind::World: body.member("kind", "world"); break;
        case Scope::Kind::Interface:
          body.member("kind", "interface").member("package", s.package).member("interface", s.interface)
              .member("version", s.version);
          break;
        case Scope::Kind::InlineInterface: body.member("kind", "inline"); break;
      }
      body.member("name", s.name).member("exported", s.exported).end_object();
    }
    body.end_array();
    body.key("imports");
    items(body, world_.imports, false, true);
    body.key("exports");
    items(body, world_.exports, true, true);
    // Writing a type may discover more (its children): iterate until done.
    body.key("types").begin_array();
    for (size_t i = 0; i < types_.size(); ++i) type_entry(body, *types_[i]);
    body.end_array();
    body.key("resources").begin_array();
    for (ResourceTypeId r : resources_) {
      body.begin_object().member("id", r);
      if (const Name* n = names_.resource_definition(r)) {
        body.member("scope", n->scope).member("name", n->name).member("exported", defined_by_export(*n, r));
      }
      body.end_object();
    }
    body.end_array();
    body.end_object();
    return body.take();
  }

 private:
  const validate::ComponentTypeInfo& world_;
  WorldNames names_;
  std::vector<const ValType*> types_;
  std::unordered_map<const ValType*, uint32_t> type_ids_;
  std::set<ResourceTypeId> resources_;

  // Whether the component defines the resource for its exports (JS sees a class it
  // made) rather than taking it from its imports (the host's class).
  bool defined_by_export(const Name& n, ResourceTypeId r) const {
    if (n.scope != WorldNames::kWorld) return names_.scopes()[n.scope].exported;
    for (const auto& [name, e] : world_.exports)
      if (name == n.name && e.kind == ExternInfo::Kind::Type && e.type->kind == TypeInfo::Kind::Resource &&
          e.type->resource == r)
        return true;
    return false;
  }

  uint32_t type_index(const TypeRef& t) {
    auto [it, inserted] = type_ids_.emplace(t.get(), static_cast<uint32_t>(types_.size()));
    if (inserted) types_.push_back(t.get());
    return it->second;
  }

  void optional_type(JsonWriter& w, const TypeRef& t) {
    if (t) w.value(type_index(t)); else w.null();
  }

  void items(JsonWriter& w, const std::vector<NamedExtern>& list, bool exported, bool root) {
    w.begin_array();
    for (size_t i = 0; i < list.size(); ++i) {
      const auto& [name, e] = list[i];
      w.begin_object().member("name", name);
      switch (e.kind) {
        case ExternInfo::Kind::Func:
          w.member("kind", "func").key("func");
          func(w, *e.func);
          break;
        case ExternInfo::Kind::Instance:
          if (root) {
            w.member("kind", "interface").member("scope", names_.item_scope(exported, i)).key("items");
            items(w, e.instance->exports, exported, false);
          } else {
            w.member("kind", "other").member("what", "instance");
          }
          break;
        case ExternInfo::Kind::Type:
          if (e.type->kind == TypeInfo::Kind::Resource) {
            resources_.insert(e.type->resource);
            w.member("kind", "resource").member("resource", e.type->resource);
          } else if (e.type->kind == TypeInfo::Kind::Value) {
            w.member("kind", "type").member("type", type_index(e.type->value));
          } else {
            w.member("kind", "other").member("what", "type");
          }
          break;
        case ExternInfo::Kind::Component: w.member("kind", "other").member("what", "component"); break;
        case ExternInfo::Kind::CoreModule: w.member("kind", "other").member("what", "core module"); break;
        case ExternInfo::Kind::Value: w.member("kind", "other").member("what", "value"); break;
      }
      w.end_object();
    }
    w.end_array();
  }

  void func(JsonWriter& w, const FuncType& f) {
    w.begin_object().member("async", f.is_async).key("params").begin_array();
    for (const Field& p : f.params) w.begin_object().member("name", p.name).member("type", type_index(p.type)).end_object();
    w.end_array().key("result");
    optional_type(w, f.result);
    w.end_object();
  }

  void type_entry(JsonWriter& w, const ValType& t) {
    w.begin_object().member("kind", type_kind_name(t.kind));
    if (const Name* n = names_.value_definition(&t)) {
      w.key("definition").begin_object().member("scope", n->scope).member("name", n->name).end_object();
    }
    switch (t.kind) {
      case TypeKind::List:
        w.member("element", type_index(t.element));
        break;
      case TypeKind::FixedList:
        w.member("element", type_index(t.element)).member("length", t.length);
        break;
      case TypeKind::Stream:
      case TypeKind::Future:
        w.key("element");
        optional_type(w, t.element);
        break;
      case TypeKind::Record:
      case TypeKind::Tuple:
        w.key("fields").begin_array();
        for (const Field& f : t.fields) w.begin_object().member("name", f.name).member("type", type_index(f.type)).end_object();
        w.end_array();
        break;
      case TypeKind::Variant:
      case TypeKind::Enum:
      case TypeKind::Option:
      case TypeKind::Result:
        w.key("cases").begin_array();
        for (const Case& c : t.cases) {
          w.begin_object().member("name", c.name).key("type");
          optional_type(w, c.type);
          w.end_object();
        }
        w.end_array();
        break;
      case TypeKind::Flags:
        w.key("labels").begin_array();
        for (const std::string& l : t.labels) w.value(l);
        w.end_array();
        break;
      case TypeKind::Own:
      case TypeKind::Borrow:
        resources_.insert(t.resource);
        w.member("resource", t.resource);
        break;
      default:
        break;
    }
    w.end_object();
  }
};

}  // namespace

std::string world_to_json(const validate::ComponentTypeInfo& world) { return WorldWriter(world).write(); }

}  // namespace cm::wit
