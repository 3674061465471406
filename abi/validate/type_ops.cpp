#include "validate/type_ops.h"

#include <algorithm>

namespace cm::validate {

namespace {

template <typename F>
void for_each_child(const ValType& t, F&& f) {
  if (t.element) f(t.element);
  for (const Field& field : t.fields) f(field.type);
  for (const Case& c : t.cases)
    if (c.type) f(c.type);
}

// Depth-first search over a type DAG, visiting each node once; `stop(node)` returning
// true ends the search with result true.
template <typename Pred>
bool any_node(const TypeRef& root, Pred&& pred) {
  std::unordered_set<const ValType*> seen;
  std::vector<const ValType*> stack{root.get()};
  while (!stack.empty()) {
    const ValType* t = stack.back();
    stack.pop_back();
    if (!t || !seen.insert(t).second) continue;
    if (pred(*t)) return true;
    for_each_child(*t, [&](const TypeRef& c) { stack.push_back(c.get()); });
  }
  return false;
}

constexpr uint64_t kSaturate = uint64_t{1} << 32;
uint64_t sat(uint64_t v) { return std::min(v, kSaturate); }
uint64_t align_up(uint64_t v, uint64_t a) { return sat((v + a - 1) / a * a); }

struct SizeAlign {
  uint64_t size = 0;
  uint64_t align = 1;
};

uint64_t discriminant_bytes(size_t n) { return n <= 256 ? 1 : n <= 65536 ? 2 : 4; }

SizeAlign size_align_i64(const ValType* t, std::unordered_map<const ValType*, SizeAlign>& memo) {
  auto it = memo.find(t);
  if (it != memo.end()) return it->second;
  SizeAlign r;
  switch (t->kind) {
    case TypeKind::Bool: case TypeKind::S8: case TypeKind::U8: r = {1, 1}; break;
    case TypeKind::S16: case TypeKind::U16: r = {2, 2}; break;
    case TypeKind::S32: case TypeKind::U32: case TypeKind::F32: case TypeKind::Char:
    case TypeKind::ErrorContext: case TypeKind::Own: case TypeKind::Borrow:
    case TypeKind::Stream: case TypeKind::Future:
      r = {4, 4};
      break;
    case TypeKind::S64: case TypeKind::U64: case TypeKind::F64: r = {8, 8}; break;
    case TypeKind::String: case TypeKind::List: r = {16, 8}; break;
    case TypeKind::FixedList: {
      SizeAlign e = size_align_i64(t->element.get(), memo);
      r = {sat(e.size * t->length), e.align};
      break;
    }
    case TypeKind::Record: case TypeKind::Tuple: {
      uint64_t s = 0, a = 1;
      for (const Field& f : t->fields) {
        SizeAlign fa = size_align_i64(f.type.get(), memo);
        s = sat(align_up(s, fa.align) + fa.size);
        a = std::max(a, fa.align);
      }
      r = {align_up(s, a), a};
      break;
    }
    case TypeKind::Variant: case TypeKind::Enum: case TypeKind::Option: case TypeKind::Result: {
      uint64_t disc = discriminant_bytes(t->cases.size());
      uint64_t case_align = 1, case_size = 0;
      for (const Case& c : t->cases) {
        if (!c.type) continue;
        SizeAlign ca = size_align_i64(c.type.get(), memo);
        case_align = std::max(case_align, ca.align);
        case_size = std::max(case_size, ca.size);
      }
      uint64_t a = std::max(disc, case_align);
      r = {align_up(sat(align_up(disc, case_align) + case_size), a), a};
      break;
    }
    case TypeKind::Flags: {
      size_t n = t->labels.size();
      uint64_t b = n <= 8 ? 1 : n <= 16 ? 2 : 4;
      r = {b, b};
      break;
    }
  }
  memo[t] = r;
  return r;
}

}  // namespace

bool contains_borrow(const TypeRef& t) {
  return t && any_node(t, [](const ValType& v) { return v.kind == TypeKind::Borrow; });
}

bool contains_list_or_string(const TypeRef& t) {
  // A stream or future value is a handle: its element type is lifted and lowered by the
  // stream/future built-ins (with their own options), not by the function that passes it
  // (as wasmparser's `contains_ptr` has it).
  std::unordered_set<const ValType*> seen;
  std::vector<const ValType*> stack{t.get()};
  while (!stack.empty()) {
    const ValType* v = stack.back();
    stack.pop_back();
    if (!v || !seen.insert(v).second) continue;
    if (v->kind == TypeKind::List || v->kind == TypeKind::String) return true;
    if (v->kind == TypeKind::Stream || v->kind == TypeKind::Future) continue;
    for_each_child(*v, [&](const TypeRef& c) { stack.push_back(c.get()); });
  }
  return false;
}

bool func_contains_list_or_string_params(const FuncType& f) {
  for (const Field& p : f.params)
    if (contains_list_or_string(p.type)) return true;
  return false;
}

void collect_mentions(const TypeRef& t, Mentions& out, bool include_root) {
  if (!t) return;
  std::unordered_set<const ValType*> seen;
  std::vector<const ValType*> stack{t.get()};
  while (!stack.empty()) {
    const ValType* v = stack.back();
    stack.pop_back();
    if (!seen.insert(v).second) continue;
    if (v->kind == TypeKind::Own || v->kind == TypeKind::Borrow) {
      out.resources.insert(v->resource);
      out.resource_aliases.insert({v->resource, v->resource_alias});
    }
    bool nominal = v->kind == TypeKind::Record || v->kind == TypeKind::Variant ||
                   v->kind == TypeKind::Enum || v->kind == TypeKind::Flags;
    if (nominal && (include_root || v != t.get())) out.nominal.insert(v);
    for_each_child(*v, [&](const TypeRef& c) { stack.push_back(c.get()); });
  }
}

void collect_mentions(const FuncType& f, Mentions& out) {
  for (const Field& p : f.params) collect_mentions(p.type, out);
  collect_mentions(f.result, out);
}

uint64_t elem_size_i64(const TypeRef& t) {
  std::unordered_map<const ValType*, SizeAlign> memo;
  return size_align_i64(t.get(), memo).size;
}

TypeRef primitive_type(binary::PrimValType p) {
  using P = binary::PrimValType;
  switch (p) {
    case P::Bool: return types::primitive(TypeKind::Bool);
    case P::S8: return types::primitive(TypeKind::S8);
    case P::U8: return types::primitive(TypeKind::U8);
    case P::S16: return types::primitive(TypeKind::S16);
    case P::U16: return types::primitive(TypeKind::U16);
    case P::S32: return types::primitive(TypeKind::S32);
    case P::U32: return types::primitive(TypeKind::U32);
    case P::S64: return types::primitive(TypeKind::S64);
    case P::U64: return types::primitive(TypeKind::U64);
    case P::F32: return types::primitive(TypeKind::F32);
    case P::F64: return types::primitive(TypeKind::F64);
    case P::Char: return types::primitive(TypeKind::Char);
    case P::String: return types::primitive(TypeKind::String);
    case P::ErrorContext: return types::primitive(TypeKind::ErrorContext);
  }
  return types::primitive(TypeKind::Bool);
}

// Messages name kinds as the spec does; a fixed-length list reads better spelled out.
const char* kind_name(TypeKind kind) {
  return kind == TypeKind::FixedList ? "fixed-length list" : type_kind_name(kind);
}

// ---- substitution ----------------------------------------------------------------------

TypeRef ResourceSubst::val(const TypeRef& t) {
  if (!t || empty()) return t;
  auto node = nodes.find(t.get());
  if (node != nodes.end()) return node->second;
  auto it = vals_.find(t.get());
  if (it != vals_.end()) return it->second;
  budget_.spend(offset_);
  ValType copy = *t;
  bool changed = renamed.count(t.get()) > 0;
  if (t->kind == TypeKind::Own || t->kind == TypeKind::Borrow) {
    ResourceAlias to = alias({t->resource, t->resource_alias});
    copy.resource = to.resource;
    copy.resource_alias = to.alias;
    changed |= !(to == ResourceAlias{t->resource, t->resource_alias});
  } else {
    auto sub = [&](TypeRef& child) {
      if (!child) return;
      TypeRef n = val(child);
      if (n != child) {
        child = n;
        changed = true;
      }
    };
    sub(copy.element);
    for (Field& f : copy.fields) sub(f.type);
    for (Case& c : copy.cases) sub(c.type);
  }
  TypeRef out = changed ? std::make_shared<const ValType>(std::move(copy)) : t;
  vals_.emplace(t.get(), out);
  return out;
}

FuncTypeRef ResourceSubst::func(const FuncTypeRef& f) {
  if (!f || empty()) return f;
  auto it = funcs_.find(f.get());
  if (it != funcs_.end()) return it->second;
  budget_.spend(offset_);
  FuncType copy = *f;
  bool changed = false;
  for (Field& p : copy.params) {
    TypeRef n = val(p.type);
    changed |= n != p.type;
    p.type = n;
  }
  TypeRef r = val(copy.result);
  changed |= r != copy.result;
  copy.result = r;
  FuncTypeRef out = changed ? std::make_shared<const FuncType>(std::move(copy)) : f;
  funcs_.emplace(f.get(), out);
  return out;
}

TypeInfoRef ResourceSubst::type(const TypeInfoRef& t) {
  if (!t || empty()) return t;
  auto it = types_.find(t.get());
  if (it != types_.end()) return it->second;
  budget_.spend(offset_);
  TypeInfo copy = *t;
  bool changed = false;
  switch (t->kind) {
    case TypeInfo::Kind::Value:
      copy.value = val(t->value);
      copy.named_from = val(t->named_from);
      changed = copy.value != t->value || copy.named_from != t->named_from;
      break;
    case TypeInfo::Kind::Func: copy.func = func(t->func); changed = copy.func != t->func; break;
    case TypeInfo::Kind::Component:
      copy.component = component(t->component);
      changed = copy.component != t->component;
      break;
    case TypeInfo::Kind::Instance:
      copy.instance = instance(t->instance);
      changed = copy.instance != t->instance;
      break;
    case TypeInfo::Kind::Resource: {
      ResourceAlias to = alias({t->resource, t->resource_alias});
      copy.resource = to.resource;
      copy.resource_alias = to.alias;
      changed = !(to == ResourceAlias{t->resource, t->resource_alias});
      break;
    }
  }
  TypeInfoRef out = changed ? std::make_shared<const TypeInfo>(std::move(copy)) : t;
  types_.emplace(t.get(), out);
  return out;
}

ExternInfo ResourceSubst::extern_info(const ExternInfo& e) {
  ExternInfo out = e;
  out.func = func(e.func);
  out.value = val(e.value);
  out.type = type(e.type);
  out.component = component(e.component);
  out.instance = instance(e.instance);
  return out;
}

InstanceTypeRef ResourceSubst::instance(const InstanceTypeRef& t) {
  if (!t || empty()) return t;
  auto it = instances_.find(t.get());
  if (it != instances_.end()) return it->second;
  budget_.spend(offset_, 1 + t->exports.size());
  auto copy = std::make_shared<InstanceTypeInfo>();
  for (const NamedExtern& e : t->exports) copy->exports.emplace_back(e.first, extern_info(e.second));
  for (ResourceTypeId r : t->defined_resources) copy->defined_resources.push_back(resource(r));
  instances_.emplace(t.get(), copy);
  return copy;
}

ComponentTypeRef ResourceSubst::component(const ComponentTypeRef& t) {
  if (!t || empty()) return t;
  auto it = components_.find(t.get());
  if (it != components_.end()) return it->second;
  budget_.spend(offset_, 1 + t->imports.size() + t->exports.size());
  auto copy = std::make_shared<ComponentTypeInfo>();
  for (const NamedExtern& e : t->imports) copy->imports.emplace_back(e.first, extern_info(e.second));
  for (const NamedExtern& e : t->exports) copy->exports.emplace_back(e.first, extern_info(e.second));
  for (ResourceTypeId r : t->import_resources) copy->import_resources.push_back(resource(r));
  for (ResourceTypeId r : t->defined_resources) copy->defined_resources.push_back(resource(r));
  components_.emplace(t.get(), copy);
  return copy;
}

// ---- subtyping -------------------------------------------------------------------------

const char* extern_kind_name(ExternInfo::Kind k) {
  switch (k) {
    case ExternInfo::Kind::CoreModule: return "module";
    case ExternInfo::Kind::Func: return "func";
    case ExternInfo::Kind::Value: return "value";
    case ExternInfo::Kind::Type: return "type";
    case ExternInfo::Kind::Component: return "component";
    case ExternInfo::Kind::Instance: return "instance";
  }
  return "item";
}

namespace {

std::string q(const std::string& s) { return "`" + s + "`"; }

}  // namespace

void Subtyper::fail(const std::string& context, const std::string& why) const {
  throw CompileError(offset_, context.empty() ? why : context + ": " + why);
}

void Subtyper::check_extern(const ExternInfo& a, const ExternInfo& e, const std::string& ctx) {
  budget_.spend(offset_);
  if (a.kind != e.kind)
    fail(ctx, std::string("expected ") + extern_kind_name(e.kind) + ", found " + extern_kind_name(a.kind));
  switch (e.kind) {
    case ExternInfo::Kind::CoreModule: core_module(*a.module, *e.module, ctx); break;
    case ExternInfo::Kind::Func: check_func(*a.func, *e.func, ctx); break;
    case ExternInfo::Kind::Value: val(a.value, e.value, ctx); break;
    case ExternInfo::Kind::Type: type_info(a.type, e.type, ctx); break;
    case ExternInfo::Kind::Component: component(*a.component, *e.component, ctx); break;
    case ExternInfo::Kind::Instance: instance(*a.instance, *e.instance, ctx); break;
  }
}

void Subtyper::check_val(const TypeRef& a, const TypeRef& e, const std::string& ctx) { val(a, e, ctx); }

void Subtyper::resource(ResourceTypeId a, ResourceTypeId e, const std::string& ctx) {
  if (bindable.count(e)) {
    auto it = bindings.find(e);
    if (it == bindings.end()) {
      bindings.emplace(e, a);
      return;
    }
    e = it->second;
  }
  if (a != e) fail(ctx, "resource types are not the same");
}

void Subtyper::type_info(const TypeInfoRef& a, const TypeInfoRef& e, const std::string& ctx) {
  using K = TypeInfo::Kind;
  if (e->kind == K::Resource) {
    if (a->kind != K::Resource) fail(ctx, "expected resource, found defined type");
    resource(a->resource, e->resource, ctx);
    alias_bindings.emplace(ResourceAlias{e->resource, e->resource_alias}, ResourceAlias{a->resource, a->resource_alias});
    return;
  }
  if (a->kind == K::Resource) fail(ctx, "expected defined type, found resource");
  if (a->kind != e->kind) fail(ctx, "type mismatch");
  switch (e->kind) {
    case K::Value:
      val(a->value, e->value, ctx);
      node_bindings.emplace(e->value.get(), a->value);
      break;
    case K::Func: check_func(*a->func, *e->func, ctx); break;
    case K::Instance: instance(*a->instance, *e->instance, ctx); break;
    case K::Component: component(*a->component, *e->component, ctx); break;
    case K::Resource: break;
  }
}

void Subtyper::check_func(const FuncType& a, const FuncType& e, const std::string& ctx) {
  if (a.is_async != e.is_async)
    fail(ctx, e.is_async ? "expected an async function, found a sync one" : "expected a sync function, found an async one");
  if (a.params.size() != e.params.size())
    fail(ctx, "expected " + std::to_string(e.params.size()) + " parameters, found " + std::to_string(a.params.size()));
  for (size_t i = 0; i < e.params.size(); ++i) {
    if (a.params[i].name != e.params[i].name)
      fail(ctx, "expected parameter named " + q(e.params[i].name) + ", found " + q(a.params[i].name));
    val(a.params[i].type, e.params[i].type, ctx.empty() ? "type mismatch in function parameter " + q(e.params[i].name)
                                                       : ctx + ": type mismatch in function parameter " + q(e.params[i].name));
  }
  if (!a.result && e.result) fail(ctx, "expected a result, found none");
  if (a.result && !e.result) fail(ctx, "expected no result, found one");
  if (e.result) val(a.result, e.result, ctx.empty() ? "type mismatch with result type" : ctx + ": type mismatch with result type");
}

void Subtyper::val(const TypeRef& a, const TypeRef& e, const std::string& ctx) {
  if (!a && !e) return;
  if (!a || !e) fail(ctx, !e ? "expected no type, found one" : "expected a type, found none");
  if (a == e && bindings.empty() && bindable.empty()) return;
  if (!equal_.insert({a.get(), e.get()}).second) return;
  budget_.spend(offset_);
  if (a->kind != e->kind) {
    if (is_primitive(a->kind) && is_primitive(e->kind))
      fail(ctx, std::string("expected primitive `") + kind_name(e->kind) + "` found primitive `" + kind_name(a->kind) + "`");
    if (is_primitive(e->kind)) fail(ctx, std::string("expected primitive, found ") + kind_name(a->kind));
    fail(ctx, std::string("expected ") + kind_name(e->kind) + ", found " + kind_name(a->kind));
  }
  switch (e->kind) {
    case TypeKind::List:
    case TypeKind::Option:
    case TypeKind::Stream:
    case TypeKind::Future:
      if (e->kind == TypeKind::Option) {
        val(a->cases[1].type, e->cases[1].type, ctx);
      } else {
        val(a->element, e->element, ctx);
      }
      break;
    case TypeKind::FixedList:
      if (a->length != e->length) fail(ctx, "mismatch in fixed-length list length");
      val(a->element, e->element, ctx);
      break;
    case TypeKind::Record:
      if (a->fields.size() != e->fields.size())
        fail(ctx, "expected " + std::to_string(e->fields.size()) + " fields, found " + std::to_string(a->fields.size()));
      for (size_t i = 0; i < e->fields.size(); ++i) {
        if (a->fields[i].name != e->fields[i].name)
          fail(ctx, "expected field name " + q(e->fields[i].name) + ", found " + q(a->fields[i].name));
        val(a->fields[i].type, e->fields[i].type, "type mismatch in record field " + q(e->fields[i].name));
      }
      break;
    case TypeKind::Tuple:
      if (a->fields.size() != e->fields.size())
        fail(ctx, "expected " + std::to_string(e->fields.size()) + " types, found " + std::to_string(a->fields.size()));
      for (size_t i = 0; i < e->fields.size(); ++i)
        val(a->fields[i].type, e->fields[i].type, "type mismatch in tuple field " + std::to_string(i));
      break;
    case TypeKind::Variant:
      if (a->cases.size() != e->cases.size())
        fail(ctx, "expected " + std::to_string(e->cases.size()) + " cases, found " + std::to_string(a->cases.size()));
      for (size_t i = 0; i < e->cases.size(); ++i) {
        const Case& ac = a->cases[i];
        const Case& ec = e->cases[i];
        if (ac.name != ec.name) fail(ctx, "expected case named " + q(ec.name) + ", found " + q(ac.name));
        if (ec.type && !ac.type) fail(ctx, "expected case " + q(ec.name) + " to have a type, found none");
        if (!ec.type && ac.type) fail(ctx, "expected case " + q(ec.name) + " to have no type");
        if (ec.type) val(ac.type, ec.type, "type mismatch in variant case " + q(ec.name));
      }
      break;
    case TypeKind::Enum:
      if (a->labels != e->labels) fail(ctx, "mismatch in enum elements");
      break;
    case TypeKind::Flags:
      if (a->labels != e->labels) fail(ctx, "mismatch in flags elements");
      break;
    case TypeKind::Result: {
      const TypeRef& aok = a->cases[0].type;
      const TypeRef& eok = e->cases[0].type;
      if (eok && !aok) fail(ctx, "expected ok type, but found none");
      if (!eok && aok) fail(ctx, "expected ok type to not be present");
      if (eok) val(aok, eok, "type mismatch in ok variant");
      const TypeRef& aerr = a->cases[1].type;
      const TypeRef& eerr = e->cases[1].type;
      if (eerr && !aerr) fail(ctx, "expected err type, but found none");
      if (!eerr && aerr) fail(ctx, "expected err type to not be present");
      if (eerr) val(aerr, eerr, "type mismatch in err variant");
      break;
    }
    case TypeKind::Own:
    case TypeKind::Borrow:
      resource(a->resource, e->resource, ctx);
      break;
    default:
      break;  // primitives: equal kinds are equal types
  }
}

void Subtyper::instance(const InstanceTypeInfo& a, const InstanceTypeInfo& e, const std::string& ctx) {
  for (const NamedExtern& ex : e.exports) {
    const ExternInfo* found = a.find(ex.first);
    if (!found) fail(ctx, "missing expected export " + q(ex.first));
    check_extern(*found, ex.second, "type mismatch in instance export " + q(ex.first));
  }
}

void Subtyper::component(const ComponentTypeInfo& a, const ComponentTypeInfo& e, const std::string& ctx) {
  // Contravariant imports: everything `a` imports must be something `e` promises to
  // supply; covariant exports. Resources are compared by name only here (component-typed
  // values are rare: imports of whole components).
  for (const NamedExtern& ai : a.imports) {
    const ExternInfo* found = nullptr;
    for (const NamedExtern& ei : e.imports)
      if (ei.first == ai.first) found = &ei.second;
    if (!found) fail(ctx, "missing expected import " + q(ai.first));
    if (found->kind != ai.second.kind) fail(ctx, "type mismatch in import " + q(ai.first));
  }
  for (const NamedExtern& ex : e.exports) {
    const ExternInfo* found = nullptr;
    for (const NamedExtern& ax : a.exports)
      if (ax.first == ex.first) found = &ax.second;
    if (!found) fail(ctx, "missing expected export " + q(ex.first));
    if (found->kind != ex.second.kind) fail(ctx, "type mismatch in export " + q(ex.first));
  }
}

void Subtyper::core_module(const CoreModuleType& a, const CoreModuleType& e, const std::string& ctx) {
  for (const auto& ai : a.imports) {
    const binary::CoreImportDesc* found = nullptr;
    for (const auto& ei : e.imports)
      if (ei.module == ai.module && ei.name == ai.name) found = &ei;
    if (!found) fail(ctx, "missing expected import " + q(ai.module + "::" + ai.name));
    std::string why = core_extern_mismatch(found->desc, ai.desc);
    if (!why.empty()) fail(ctx, "type mismatch in import " + q(ai.module + "::" + ai.name) + ": " + why);
  }
  for (const auto& ex : e.exports) {
    const binary::CoreExportDesc* found = nullptr;
    for (const auto& ax : a.exports)
      if (ax.name == ex.name) found = &ax;
    if (!found) fail(ctx, "missing expected export " + q(ex.name));
    std::string why = core_extern_mismatch(found->desc, ex.desc);
    if (!why.empty()) fail(ctx, "type mismatch in export " + q(ex.name) + ": " + why);
  }
}

// ---- core externs ----------------------------------------------------------------------

namespace {

std::string core_val_string(const binary::CoreValType& t) {
  using K = binary::CoreValType::Kind;
  switch (t.kind) {
    case K::I32: return "i32";
    case K::I64: return "i64";
    case K::F32: return "f32";
    case K::F64: return "f64";
    case K::V128: return "v128";
    case K::Ref:
      if (t.heap_type == -0x10) return t.nullable ? "funcref" : "(ref func)";
      if (t.heap_type == -0x11) return t.nullable ? "externref" : "(ref extern)";
      return std::string(t.nullable ? "(ref null " : "(ref ") + std::to_string(t.heap_type) + ")";
  }
  return "?";
}

const char* core_kind_name(binary::CoreExternType::Kind k) {
  switch (k) {
    case binary::CoreExternType::Kind::Func: return "func";
    case binary::CoreExternType::Kind::Table: return "table";
    case binary::CoreExternType::Kind::Memory: return "memory";
    case binary::CoreExternType::Kind::Global: return "global";
    case binary::CoreExternType::Kind::Tag: return "tag";
  }
  return "?";
}

bool limits_match(const binary::CoreLimits& a, const binary::CoreLimits& e) {
  if (a.is_64 != e.is_64) return false;
  if (a.min < e.min) return false;
  if (e.max) {
    if (!a.max || *a.max > *e.max) return false;
  }
  return a.page_size_log2 == e.page_size_log2;
}

}  // namespace

std::string core_sig_string(const CoreFuncType& f) {
  std::string s = "(func";
  if (!f.params.empty()) {
    s += " (param";
    for (const auto& p : f.params) s += " " + core_val_string(p);
    s += ")";
  }
  if (!f.results.empty()) {
    s += " (result";
    for (const auto& r : f.results) s += " " + core_val_string(r);
    s += ")";
  }
  return s + ")";
}

std::string core_extern_mismatch(const CoreExternDesc& a, const CoreExternDesc& e) {
  using K = binary::CoreExternType::Kind;
  if (a.kind != e.kind) return std::string("expected ") + core_kind_name(e.kind) + ", found " + core_kind_name(a.kind);
  if (!a.known || !e.known) return "";
  switch (e.kind) {
    case K::Func:
    case K::Tag:
      if (!(a.func == e.func)) return "expected: " + core_sig_string(e.func) + ", found: " + core_sig_string(a.func);
      return "";
    case K::Table:
      if (!(a.type.value_type == e.type.value_type))
        return "expected table element type " + core_val_string(e.type.value_type) + ", found " +
               core_val_string(a.type.value_type);
      if (!limits_match(a.type.limits, e.type.limits)) return "mismatch in table limits";
      return "";
    case K::Memory:
      if (a.type.limits.shared != e.type.limits.shared) return "mismatch in the shared flag for memories";
      if (!limits_match(a.type.limits, e.type.limits)) return "mismatch in memory limits";
      return "";
    case K::Global:
      if (!(a.type.value_type == e.type.value_type))
        return "expected global type " + core_val_string(e.type.value_type) + ", found " +
               core_val_string(a.type.value_type);
      if (a.type.mutable_ != e.type.mutable_) return "global types differ in mutability";
      return "";
  }
  return "";
}

}  // namespace cm::validate
