// Component types: value types, resources and handles, function, component and instance
// types, extern types and the items an index names (CanonicalABI.md and Binary.md "type").
#include "validate/validator_impl.h"

namespace cm::validate::detail {

// ---- component types -----------------------------------------------------------------------

TypeRef Validator::valtype(Scope& s, const bin::ValTypeUse& use, size_t offset) {
  if (use.is_primitive) return primitive_type(use.primitive);
  if (use.type_index >= s.sp.types.size()) fail(offset, "type index out of bounds");
  const TypeInfo& t = *s.sp.types[use.type_index];
  if (t.kind != TypeInfo::Kind::Value)
    fail(offset, "type index " + std::to_string(use.type_index) + " is not a defined type");
  return t.value;
}

TypeRef Validator::optional_valtype(Scope& s, const std::optional<bin::ValTypeUse>& use, size_t offset) {
  return use ? valtype(s, *use, offset) : nullptr;
}

void Validator::check_labels(const std::vector<std::string>& labels, const char* what, const char* previous,
                             size_t offset) {
  std::unordered_map<std::string, std::string> seen;
  for (const std::string& l : labels) {
    check_label(l, what, offset);
    std::string key = strongly_unique_key(l, ExternNameInfo{});
    auto [it, inserted] = seen.emplace(key, l);
    if (!inserted)
      fail(offset, std::string(what) + " name " + q(l) + " conflicts with previous " + previous + " name " + q(it->second));
  }
}

const TypeInfo& Validator::resource_type_at(Scope& s, uint32_t index, size_t offset) {
  if (index >= s.sp.types.size()) fail(offset, "type index out of bounds");
  const TypeInfo& t = *s.sp.types[index];
  if (t.kind != TypeInfo::Kind::Resource)
    fail(offset, "type index " + std::to_string(index) + " is not a resource type");
  return t;
}

ResourceTypeId Validator::resource_at(Scope& s, uint32_t index, size_t offset) {
  return resource_type_at(s, index, offset).resource;
}

TypeRef Validator::handle(Scope& s, TypeKind kind, uint32_t index, size_t offset) {
  const TypeInfo& r = resource_type_at(s, index, offset);
  auto v = std::make_shared<ValType>();
  v->kind = kind;
  v->resource = r.resource;
  v->resource_alias = r.resource_alias;
  return v;
}

TypeInfoRef Validator::new_resource_alias(const TypeInfoRef& t, size_t offset) {
  if (t->kind != TypeInfo::Kind::Resource) return t;
  if (resource_aliases_ == UINT32_MAX) fail(offset, "too many resource type indices");
  auto named = std::make_shared<TypeInfo>(*t);
  named->resource_alias = ++resource_aliases_;
  return named;
}

TypeRef Validator::defval(Scope& s, const bin::DefValType& d, size_t offset) {
  using K = bin::DefValType::Kind;
  switch (d.kind) {
    case K::Primitive:
      return primitive_type(d.primitive);
    case K::Record: {
      if (d.fields.empty()) fail(offset, "record type must have at least one field");
      std::vector<std::string> labels;
      std::vector<Field> fields;
      for (const auto& f : d.fields) {
        labels.push_back(f.label);
        fields.push_back({f.label, valtype(s, f.type, offset)});
      }
      check_labels(labels, "record field", "field", offset);
      return types::record(std::move(fields));
    }
    case K::Variant: {
      if (d.cases.empty()) fail(offset, "variant type must have at least one case");
      std::vector<std::string> labels;
      std::vector<Case> cases;
      for (const auto& c : d.cases) {
        labels.push_back(c.label);
        cases.push_back({c.label, optional_valtype(s, c.type, offset)});
      }
      check_labels(labels, "variant case", "case", offset);
      return types::variant(std::move(cases));
    }
    case K::List:
      return types::list(valtype(s, *d.element, offset));
    case K::FixedList:
      if (d.length == 0) fail(offset, "fixed-length list must have at least one element");
      return types::fixed_list(valtype(s, *d.element, offset), d.length);
    case K::Tuple: {
      if (d.elements.empty()) fail(offset, "tuple type must have at least one type");
      std::vector<TypeRef> elems;
      for (const auto& e : d.elements) elems.push_back(valtype(s, e, offset));
      return types::tuple(std::move(elems));
    }
    case K::Flags:
      if (d.labels.empty()) fail(offset, "flags must have at least one entry");
      if (d.labels.size() > 32) fail(offset, "cannot have more than 32 flags");
      check_labels(d.labels, "flag", "flag", offset);
      return types::flags(d.labels);
    case K::Enum:
      if (d.labels.empty()) fail(offset, "enum type must have at least one variant");
      check_labels(d.labels, "enum tag", "tag", offset);
      return types::enumeration(d.labels);
    case K::Option:
      return types::option(valtype(s, *d.element, offset));
    case K::Result:
      return types::result(optional_valtype(s, d.element, offset), optional_valtype(s, d.error, offset));
    case K::Own:
      return handle(s, TypeKind::Own, d.type_index, offset);
    case K::Borrow:
      return handle(s, TypeKind::Borrow, d.type_index, offset);
    case K::Stream: {
      TypeRef e = optional_valtype(s, d.element, offset);
      if (e && contains_borrow(e)) fail(offset, "stream element type cannot contain a `borrow` type");
      if (e && e->kind == TypeKind::Char) fail(offset, "`stream<char>` is not valid at this time");
      return types::stream(e);
    }
    case K::Future: {
      TypeRef e = optional_valtype(s, d.element, offset);
      if (e && contains_borrow(e)) fail(offset, "future payload type cannot contain a `borrow` type");
      return types::future(e);
    }
    case K::Map: {
      // 🗺️ map<K, V> is list<tuple<K, V>> in the Canonical ABI; cm::TypeKind has no map.
      TypeRef k = valtype(s, *d.element, offset);
      TypeRef v = valtype(s, *d.error, offset);
      switch (k->kind) {
        case TypeKind::Bool: case TypeKind::S8: case TypeKind::U8: case TypeKind::S16:
        case TypeKind::U16: case TypeKind::S32: case TypeKind::U32: case TypeKind::S64:
        case TypeKind::U64: case TypeKind::Char: case TypeKind::String:
          break;
        default:
          fail(offset, std::string("map key type must be a boolean, integer, char or string, found ") + kind_name(k->kind));
      }
      return types::list(types::tuple({k, v}));
    }
  }
  fail(offset, "unknown defined type");
}

FuncTypeRef Validator::functype(Scope& s, const bin::FuncTypeDef& f, size_t offset) {
  auto out = std::make_shared<FuncType>();
  out->is_async = f.is_async;
  std::vector<std::string> labels;
  for (const auto& p : f.params) {
    labels.push_back(p.label);
    out->params.push_back({p.label, valtype(s, p.type, offset)});
  }
  check_labels(labels, "function parameter", "parameter", offset);
  out->result = optional_valtype(s, f.result, offset);
  if (out->result && contains_borrow(out->result))
    fail(offset, "function result cannot contain a `borrow` type");
  return out;
}

TypeInfoRef Validator::define_type(Scope& s, const bin::TypeDef& t) {
  auto info = std::make_shared<TypeInfo>();
  switch (t.kind) {
    case bin::TypeDef::Kind::DefVal:
      info->kind = TypeInfo::Kind::Value;
      info->value = defval(s, t.defval, t.offset);
      check_shape(info->value, t.offset);
      if (options_.check_max_value_size && elem_size_i64(info->value) >= kMaxValueSize)
        fail(t.offset, "value type exceeds maximum byte size (elem_size must be below 2^28)");
      break;
    case bin::TypeDef::Kind::Func:
      info->kind = TypeInfo::Kind::Func;
      info->func = functype(s, t.func, t.offset);
      check_shape(*info->func, t.offset);
      break;
    case bin::TypeDef::Kind::Component:
      info->kind = TypeInfo::Kind::Component;
      info->component = component_type(s, t);
      break;
    case bin::TypeDef::Kind::Instance:
      info->kind = TypeInfo::Kind::Instance;
      info->instance = instance_type(s, t);
      break;
    case bin::TypeDef::Kind::Resource: {
      if (s.kind != Scope::Kind::Component)
        fail(t.offset, "resources can only be defined within a concrete component");
      if (t.resource.rep.kind != bin::CoreValType::Kind::I32)
        fail(t.offset, "resources can only be represented by `i32`");
      if (t.resource.dtor) {
        uint32_t f = *t.resource.dtor;
        if (f >= s.sp.core_funcs.size())
          fail(t.offset, "unknown function " + std::to_string(f) + ": function index out of bounds");
        const CoreExternDesc& d = s.sp.core_funcs[f];
        if (d.known && !(d.func == sig({kI32}, {})))
          fail(t.offset, "wrong signature for a destructor: expected (func (param i32)), found " + core_sig_string(d.func));
      }
      ResourceInfo r;
      r.origin = ResourceInfo::Origin::Defined;
      r.rep = t.resource.rep;
      r.dtor = t.resource.dtor;
      info->kind = TypeInfo::Kind::Resource;
      info->resource = new_resource(std::move(r), t.offset);
      s.local_resources.insert(info->resource);
      break;
    }
  }
  return info;
}

void Validator::type_decls(Scope& ts, const bin::TypeDef& t) {
  for (const bin::TypeDecl& d : t.decls) {
    switch (d.kind) {
      case bin::TypeDecl::Kind::CoreType:
        core_type(ts, *d.core_type);
        break;
      case bin::TypeDecl::Kind::Type:
        push_limited(ts.sp.types, define_type(ts, *d.type), d.offset, "type");
        break;
      case bin::TypeDecl::Kind::Alias:
        alias(ts, *d.alias);
        break;
      case bin::TypeDecl::Kind::Import:
        import_decl(ts, d.name, d.extern_type, d.offset);
        break;
      case bin::TypeDecl::Kind::Export:
        export_decl(ts, d.name, d.extern_type, d.offset);
        break;
    }
  }
}

ComponentTypeRef Validator::component_type(Scope& s, const bin::TypeDef& t) {
  Scope ts(Scope::Kind::ComponentType, &s);
  ts.first_resource = next_resource();
  type_decls(ts, t);
  auto out = std::make_shared<ComponentTypeInfo>();
  out->imports = ts.imports;
  out->exports = ts.exports;
  finish_resources(ts, *out);
  return out;
}

InstanceTypeRef Validator::instance_type(Scope& s, const bin::TypeDef& t) {
  Scope ts(Scope::Kind::InstanceType, &s);
  ts.first_resource = next_resource();
  type_decls(ts, t);
  auto out = std::make_shared<InstanceTypeInfo>();
  out->exports = ts.exports;
  for (ResourceTypeId r = ts.first_resource; r < next_resource(); ++r) out->defined_resources.push_back(r);
  return out;
}

ExternInfo Validator::extern_type(Scope& s, const bin::ExternType& et, bool fresh, const std::string& name) {
  ExternInfo e;
  auto type_at = [&](uint32_t i) -> const TypeInfoRef& {
    if (i >= s.sp.types.size()) fail(et.offset, "type index out of bounds");
    return s.sp.types[i];
  };
  ResourceInfo::Origin origin =
      s.kind == Scope::Kind::Component ? ResourceInfo::Origin::Imported : ResourceInfo::Origin::Abstract;
  switch (et.kind) {
    case bin::ExternType::Kind::CoreModule: {
      if (et.type_index >= s.sp.core_types.size()) fail(et.offset, "core type index out of bounds");
      const CoreTypeInfo& ct = s.sp.core_types[et.type_index];
      if (ct.kind != CoreTypeInfo::Kind::Module)
        fail(et.offset, "core type index " + std::to_string(et.type_index) + " is not a module type");
      e.kind = ExternInfo::Kind::CoreModule;
      e.module = ct.module;
      break;
    }
    case bin::ExternType::Kind::Func: {
      const TypeInfoRef& t = type_at(et.type_index);
      if (t->kind != TypeInfo::Kind::Func)
        fail(et.offset, "type index " + std::to_string(et.type_index) + " is not a function type");
      e.kind = ExternInfo::Kind::Func;
      e.func = t->func;
      break;
    }
    case bin::ExternType::Kind::Value:
      fail(et.offset, "value imports and exports (🪙) are not supported");
    case bin::ExternType::Kind::Type: {
      e.kind = ExternInfo::Kind::Type;
      if (et.type_bound.kind == bin::TypeBound::Kind::SubResource) {
        ResourceInfo r;
        r.origin = origin;
        r.name = name;
        auto t = std::make_shared<TypeInfo>();
        t->kind = TypeInfo::Kind::Resource;
        t->resource = new_resource(std::move(r), et.offset);
        e.type = t;
      } else {
        const TypeInfoRef& t = type_at(et.type_bound.type_index);
        e.type = new_resource_alias(t, et.offset);
        if (t->kind == TypeInfo::Kind::Value) {
          // A new name for a value type: a node of its own, so that uses through this
          // name are told apart from uses of the unnamed type (external visibility).
          auto named = std::make_shared<TypeInfo>(*t);
          named->value = std::make_shared<const ValType>(*t->value);
          named->named_from = t->value;
          e.type = named;
        }
      }
      break;
    }
    case bin::ExternType::Kind::Component: {
      const TypeInfoRef& t = type_at(et.type_index);
      if (t->kind != TypeInfo::Kind::Component)
        fail(et.offset, "type index " + std::to_string(et.type_index) + " is not a component type");
      e.kind = ExternInfo::Kind::Component;
      e.component = t->component;
      break;
    }
    case bin::ExternType::Kind::Instance: {
      const TypeInfoRef& t = type_at(et.type_index);
      if (t->kind != TypeInfo::Kind::Instance)
        fail(et.offset, "type index " + std::to_string(et.type_index) + " is not an instance type");
      e.kind = ExternInfo::Kind::Instance;
      e.instance = fresh ? freshen_instance(t->instance, origin, name, et.offset) : t->instance;
      break;
    }
  }
  return e;
}

void Validator::push_extern(Scope& s, const ExternInfo& e, size_t offset) {
  switch (e.kind) {
    case ExternInfo::Kind::CoreModule: push_limited(s.sp.core_modules, e.module, offset, "module"); break;
    case ExternInfo::Kind::Func: push_limited(s.sp.funcs, e.func, offset, "func"); break;
    case ExternInfo::Kind::Value: fail(offset, "value definitions (🪙) are not supported");
    case ExternInfo::Kind::Type: push_limited(s.sp.types, e.type, offset, "type"); break;
    case ExternInfo::Kind::Component: push_limited(s.sp.components, e.component, offset, "component"); break;
    case ExternInfo::Kind::Instance: push_limited(s.sp.instances, e.instance, offset, "instance"); break;
  }
}

ExternInfo Validator::sort_item(Scope& s, const bin::SortIdx& idx, size_t offset) {
  ExternInfo e;
  e.kind = extern_kind_of(idx.sort);
  auto check = [&](size_t size, const char* what) {
    if (idx.index >= size)
      fail(offset, std::string("unknown ") + what + " " + std::to_string(idx.index) + ": " + what + " index out of bounds");
  };
  switch (e.kind) {
    case ExternInfo::Kind::CoreModule:
      check(s.sp.core_modules.size(), "module");
      e.module = s.sp.core_modules[idx.index];
      break;
    case ExternInfo::Kind::Func:
      check(s.sp.funcs.size(), "function");
      e.func = s.sp.funcs[idx.index];
      break;
    case ExternInfo::Kind::Value:
      fail(offset, "value definitions (🪙) are not supported");
    case ExternInfo::Kind::Type:
      check(s.sp.types.size(), "type");
      e.type = s.sp.types[idx.index];
      break;
    case ExternInfo::Kind::Component:
      check(s.sp.components.size(), "component");
      e.component = s.sp.components[idx.index];
      break;
    case ExternInfo::Kind::Instance:
      check(s.sp.instances.size(), "instance");
      e.instance = s.sp.instances[idx.index];
      break;
  }
  return e;
}

}  // namespace cm::validate::detail
