// The plan as JSON. Types are written once each into a table ("types") and referred to by
// index, so that a WASI-sized component does not repeat its record types at every use.
#include "link/plan_json.h"

#include <map>

#include "types/layout.h"
#include "util/json_writer.h"

namespace cm::link {

namespace {

class PlanWriter {
 public:
  explicit PlanWriter(const Plan& plan) : plan_(plan) {}

  std::string write() {
    // Types are collected while writing everything else, then written last.
    JsonWriter body;
    body.begin_object();
    if (!plan_.unlinkable.empty()) body.member("unlinkable", plan_.unlinkable);
    body.key("modules").begin_array();
    for (auto& m : plan_.modules) body.begin_object().member("offset", uint64_t(m.offset)).member("size", uint64_t(m.size)).end_object();
    body.end_array();

    body.key("instances").begin_array();
    for (auto& inst : plan_.instances) {
      body.begin_object().key("parent");
      if (inst.parent) body.value(*inst.parent); else body.null();
      body.member("name", inst.name).end_object();
    }
    body.end_array();

    body.key("coreInstances").begin_array();
    for (auto& ci : plan_.core_instances) {
      body.begin_object();
      if (ci.kind == CoreInstantiation::Kind::Module) {
        body.member("module", ci.module).key("args").begin_array();
        for (auto& [name, index] : ci.args) body.begin_object().member("name", name).member("instance", index).end_object();
        body.end_array();
      } else {
        body.key("exports").begin_array();
        for (auto& [name, def] : ci.exports) { body.begin_object().member("name", name).key("def"); core_def(body, def); body.end_object(); }
        body.end_array();
      }
      body.end_object();
    }
    body.end_array();

    body.key("lifted").begin_array();
    for (auto& f : plan_.lifted) {
      body.begin_object().key("core");
      core_def(body, f.core);
      body.member("type", func_type(*f.type)).member("instance", f.instance).key("options");
      options(body, f.options);
      body.key("coreSignature");
      core_signature(body, flatten_functype(*f.type, FlattenContext::Lift, f.options.is_async, f.options.callback.has_value()));
      body.end_object();
    }
    body.end_array();

    body.key("lowered").begin_array();
    for (auto& f : plan_.lowered) {
      body.begin_object().key("callee");
      component_func(body, f.callee);
      body.member("instance", f.instance).key("options");
      options(body, f.options);
      body.key("coreSignature");
      core_signature(body, flatten_functype(*f.callee.type, FlattenContext::Lower, f.options.is_async, false));
      body.end_object();
    }
    body.end_array();

    body.key("builtins").begin_array();
    for (auto& b : plan_.builtins) builtin(body, b);
    body.end_array();

    body.key("resources").begin_array();
    for (auto& r : plan_.resources) {
      body.begin_object().member("name", r.name).key("definedBy");
      if (r.defined_by) body.value(*r.defined_by); else body.null();
      body.key("dtor");
      if (r.dtor) core_def(body, *r.dtor); else body.null();
      body.key("import");
      path(body, r.import);
      body.end_object();
    }
    body.end_array();

    body.key("imports").begin_array();
    for (auto& imp : plan_.imports) {
      body.begin_object().member("name", imp.name).key("item");
      export_item(body, *imp.item);
      body.end_object();
    }
    body.end_array();

    body.key("exports");
    export_map(body, plan_.exports);

    body.key("funcTypes").begin_array();
    for (size_t i = 0; i < func_types_.size(); ++i) {
      const FuncType& ft = *func_types_[i];
      body.begin_object().member("async", ft.is_async).key("params").begin_array();
      for (auto& p : ft.params) body.begin_object().member("name", p.name).member("type", type_index(p.type)).end_object();
      body.end_array().key("result");
      if (ft.result) body.value(type_index(ft.result)); else body.null();
      // The parameters as the tuple they form in memory when spilled.
      std::vector<TypeRef> param_types;
      for (auto& p : ft.params) param_types.push_back(p.type);
      body.key("paramTuple").begin_object().key("offsets").begin_array();
      for (uint32_t o : offsets_of_tuple(param_types)) body.value(o);
      body.end_array().member("size", elem_size_of_tuple(param_types)).member("align", alignment_of_tuple(param_types));
      body.end_object();
      body.end_object();
    }
    body.end_array();

    // Writing a type may discover more types (its children): iterate until done.
    body.key("types").begin_array();
    for (size_t i = 0; i < types_.size(); ++i) type_entry(body, *types_[i]);
    body.end_array();
    body.end_object();
    return body.take();
  }

  // After write(): the plan's types, in the order of its "types" array.
  std::vector<TypeRef> take_types() { return std::move(type_refs_); }

 private:
  const Plan& plan_;
  std::vector<const ValType*> types_;
  std::vector<TypeRef> type_refs_;  // the same, owned (take_types)
  std::map<const ValType*, uint32_t> type_ids_;
  std::vector<const FuncType*> func_types_;
  std::map<const FuncType*, uint32_t> func_type_ids_;

  uint32_t type_index(const TypeRef& t) {
    auto [it, inserted] = type_ids_.emplace(t.get(), static_cast<uint32_t>(types_.size()));
    if (inserted) {
      types_.push_back(t.get());
      type_refs_.push_back(t);
    }
    return it->second;
  }

  uint32_t func_type(const FuncType& ft) {
    auto [it, inserted] = func_type_ids_.emplace(&ft, static_cast<uint32_t>(func_types_.size()));
    if (inserted) func_types_.push_back(&ft);
    return it->second;
  }

  // A lifted or lowered function's core signature (flatten_functype), so that the JS side
  // never recomputes which values go flat and which through memory.
  static void core_signature(JsonWriter& w, const CoreSignature& sig) {
    w.begin_object().key("params").begin_array();
    for (CoreType c : sig.params) w.value(core_type_name(c));
    w.end_array().key("results").begin_array();
    for (CoreType c : sig.results) w.value(core_type_name(c));
    w.end_array().member("paramsSpilled", sig.params_spilled).member("resultsSpilled", sig.results_spilled).end_object();
  }

  static const char* core_type_name(CoreType c) {
    switch (c) {
      case CoreType::I32: return "i32";
      case CoreType::I64: return "i64";
      case CoreType::F32: return "f32";
      case CoreType::F64: return "f64";
    }
    return "i32";
  }

  // A type with its layout, so that the JS side never recomputes the ABI's arithmetic.
  void type_entry(JsonWriter& w, const ValType& t) {
    w.begin_object().member("kind", type_kind_name(t.kind));
    w.member("size", elem_size(t)).member("align", alignment(t));
    w.key("flat").begin_array();
    for (CoreType c : flatten_type(t)) w.value(core_type_name(c));
    w.end_array();
    if (is_variant_like(t.kind)) {
      w.member("discSize", discriminant_size(t.cases.size())).member("payloadOffset", variant_payload_offset(t));
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
        if (t.element) w.value(type_index(t.element)); else w.null();
        break;
      case TypeKind::Record:
      case TypeKind::Tuple: {
        std::vector<uint32_t> offsets = field_offsets(t);
        w.key("fields").begin_array();
        for (size_t i = 0; i < t.fields.size(); ++i)
          w.begin_object().member("name", t.fields[i].name).member("type", type_index(t.fields[i].type)).member("offset", offsets[i]).end_object();
        w.end_array();
        break;
      }
      case TypeKind::Variant:
      case TypeKind::Enum:
      case TypeKind::Option:
      case TypeKind::Result:
        w.key("cases").begin_array();
        for (auto& c : t.cases) {
          w.begin_object().member("name", c.name).key("type");
          if (c.type) w.value(type_index(c.type)); else w.null();
          w.end_object();
        }
        w.end_array();
        break;
      case TypeKind::Flags:
        w.key("labels").begin_array();
        for (auto& l : t.labels) w.value(l);
        w.end_array();
        break;
      case TypeKind::Own:
      case TypeKind::Borrow:
        w.member("resource", t.resource);
        break;
      default:
        break;
    }
    w.end_object();
  }

  static void path(JsonWriter& w, const ImportPath& p) {
    w.begin_array();
    for (auto& s : p) w.value(s);
    w.end_array();
  }

  static void core_def(JsonWriter& w, const CoreDef& d) {
    w.begin_object();
    switch (d.kind) {
      case CoreDef::Kind::InstanceExport: w.member("instance", d.index).member("name", d.name); break;
      case CoreDef::Kind::Lowered: w.member("lowered", d.index); break;
      case CoreDef::Kind::Builtin: w.member("builtin", d.index); break;
    }
    w.end_object();
  }

  static const char* encoding_name(StringEncoding e) {
    switch (e) {
      case StringEncoding::Utf8: return "utf8";
      case StringEncoding::Utf16: return "utf16";
      case StringEncoding::Latin1Utf16: return "latin1+utf16";
    }
    return "utf8";
  }

  static void options(JsonWriter& w, const CanonOptions& o) {
    w.begin_object().member("stringEncoding", encoding_name(o.string_encoding)).member("async", o.is_async);
    auto opt = [&](const char* name, const std::optional<CoreDef>& d) {
      if (d) { w.key(name); core_def(w, *d); }
    };
    opt("memory", o.memory);
    opt("realloc", o.realloc);
    opt("postReturn", o.post_return);
    opt("callback", o.callback);
    w.end_object();
  }

  void component_func(JsonWriter& w, const ComponentFunc& f) {
    w.begin_object();
    if (f.kind == ComponentFunc::Kind::Lifted) w.member("lifted", f.lifted);
    else { w.key("import"); path(w, f.import); }
    w.member("type", func_type(*f.type));
    w.end_object();
  }

  void builtin(JsonWriter& w, const Builtin& b) {
    w.begin_object().member("op", binary::canon_name(b.kind)).member("instance", b.instance);
    if (b.resource) w.member("resource", *b.resource);
    if (b.value_type) w.member("type", type_index(b.value_type));
    if (b.kind == binary::CanonKind::TaskReturn) {
      w.key("result");
      if (b.result_type) w.value(type_index(b.result_type)); else w.null();
      // The result arrives as the built-in's parameters: through memory past MAX_FLAT_PARAMS.
      w.member("resultSpilled", b.result_type && flat_count(*b.result_type) > MAX_FLAT_PARAMS);
    }
    if (b.memory) { w.key("memory"); core_def(w, *b.memory); }
    if (b.table) { w.key("table"); core_def(w, *b.table); }
    w.member("async", b.async_).member("cancellable", b.cancellable).member("contextIndex", b.context_index);
    w.key("options");
    options(w, b.options);
    w.end_object();
  }

  void export_item(JsonWriter& w, const ExportItem& item) {
    w.begin_object();
    switch (item.kind) {
      case ExportItem::Kind::Func:
        w.member("kind", "func").key("func");
        component_func(w, item.func);
        break;
      case ExportItem::Kind::Instance:
        w.member("kind", "instance").key("exports");
        export_map(w, item.instance);
        break;
      case ExportItem::Kind::Resource:
        w.member("kind", "resource").member("resource", item.resource);
        break;
      case ExportItem::Kind::Type:
        w.member("kind", "type").member("type", type_index(item.type));
        break;
      case ExportItem::Kind::Other:
        w.member("kind", "other");
        break;
    }
    w.end_object();
  }

  void export_map(JsonWriter& w, const ExportMap& map) {
    w.begin_array();
    for (auto& [name, item] : map) {
      w.begin_object().member("name", name).key("item");
      export_item(w, *item);
      w.end_object();
    }
    w.end_array();
  }
};

}  // namespace

std::string plan_to_json(const Plan& plan, std::vector<TypeRef>* types) {
  PlanWriter writer(plan);
  std::string json = writer.write();
  if (types) *types = writer.take_types();
  return json;
}

}  // namespace cm::link
