#include "binary/reader.h"

#include <cstring>

#include "binary/core_module.h"
#include "binary/decoder.h"

namespace cm::binary {

namespace {

constexpr uint8_t kMagic[] = {0x00, 0x61, 0x73, 0x6d};

bool is_primitive_code(uint8_t b) { return (b >= 0x73 && b <= 0x7f) || b == 0x64; }

class ComponentReader {
 public:
  Component read_component(Decoder& d) {
    Nest nest(*this, d);
    Component c;
    c.offset = d.offset();
    c.size = d.remaining();
    read_preamble(d);
    while (!d.at_end()) c.sections.push_back(read_section(d, c));
    return c;
  }

 private:
  // Bounds the recursion of nested components and types.
  struct Nest {
    Nest(ComponentReader& r, const Decoder& d) : r(r) {
      if (++r.depth_ > kMaxNestingDepth) d.fail("nesting too deep");
    }
    ~Nest() { --r.depth_; }
    ComponentReader& r;
  };

  // preamble ::= magic version layer; version 0x0d 0x00, layer 0x01 0x00.
  void read_preamble(Decoder& d) {
    size_t at = d.offset();
    if (std::memcmp(d.take(4).data(), kMagic, 4) != 0) Decoder::fail_at(at, "magic header not detected");
    size_t vat = d.offset();
    std::span<const uint8_t> v = d.take(4);
    if (v[0] == 0x0d && v[1] == 0x00 && v[2] == 0x01 && v[3] == 0x00) return;
    if (v[0] == 0x01 && v[1] == 0x00 && v[2] == 0x00 && v[3] == 0x00)
      Decoder::fail_at(vat,
                       "expected a version header for a component: this is a core WebAssembly "
                       "module (layer 0), not a component");
    Decoder::fail_at(vat, "unknown binary version");
  }

  Section read_section(Decoder& d, Component& c) {
    Section s;
    s.offset = d.offset();
    uint8_t id = d.u8();
    if (id > 12) Decoder::fail_at(s.offset, "malformed section id: " + std::to_string(id));
    uint32_t size = d.u32();
    if (size > d.remaining()) d.fail("unexpected end-of-file");
    s.id = static_cast<SectionId>(id);
    s.content_offset = d.offset();
    s.content_size = size;
    Decoder w = d.window(size);
    switch (s.id) {
      case SectionId::Custom:
        s.custom.name = w.name();
        s.custom.payload_offset = w.offset();
        s.custom.payload_size = w.remaining();
        if (s.custom.name == "component-name" && !c.names) c.names = read_name_section(w);
        w.skip(w.remaining());
        break;
      case SectionId::CoreModule:
        s.core_module.offset = w.offset();
        s.core_module.size = w.remaining();
        check_core_module_framing(w.take(w.remaining()), s.core_module.offset);
        break;
      case SectionId::CoreInstance:
        read_vec(w, s.core_instances, [&] { return read_core_instance(w); }, 2);
        break;
      case SectionId::CoreType:
        read_vec(w, s.core_types, [&] { return read_core_type(w); });
        break;
      case SectionId::Component:
        s.component = std::make_shared<Component>(read_component(w));
        break;
      case SectionId::Instance:
        read_vec(w, s.instances, [&] { return read_instance(w); }, 2);
        break;
      case SectionId::Alias:
        read_vec(w, s.aliases, [&] { return read_alias(w); }, 3);
        break;
      case SectionId::Type:
        read_vec(w, s.types, [&] { return read_type(w); });
        break;
      case SectionId::Canon:
        read_vec(w, s.canons, [&] { return read_canon(w); });
        break;
      case SectionId::Start:
        s.start = read_start(w);
        break;
      case SectionId::Import:
        read_vec(w, s.imports, [&] { return read_import(w); }, 3);
        break;
      case SectionId::Export:
        read_vec(w, s.exports, [&] { return read_export(w); }, 4);
        break;
      case SectionId::Value:
        read_vec(w, s.values, [&] { return read_value(w); }, 2);
        break;
    }
    if (!w.at_end()) w.fail("section size mismatch: unexpected content after the last entry");
    return s;
  }

  template <typename T, typename F>
  static void read_vec(Decoder& d, std::vector<T>& out, F read_one, size_t min_entry_size = 1) {
    uint32_t n = d.count(min_entry_size);
    out.reserve(n);
    for (uint32_t i = 0; i < n; ++i) out.push_back(read_one());
  }

  // ---- sorts ---------------------------------------------------------------------------

  // core:sort as used in core:sortidx (core instance inline exports): func, table,
  // memory, global, tag.
  static CoreSort read_core_extern_sort(Decoder& d) {
    uint8_t b = d.u8();
    if (b > 0x04) d.fail_leading_byte(b, "external kind");
    return static_cast<CoreSort>(b);
  }

  // sort in a sortidx or export alias: the component external kinds (core module, func,
  // value, type, component, instance). Other core sorts are not externs.
  static SortKind read_extern_sort(Decoder& d) {
    size_t at = d.offset();
    uint8_t b = d.u8();
    SortKind k;
    if (b == 0x00) {
      uint8_t b2 = d.u8();
      if (b2 != 0x11) Decoder::fail_at(at + 1, invalid_leading_byte(b2, "component external kind"));
      k.sort = Sort::Core;
      k.core_sort = CoreSort::Module;
      return k;
    }
    if (b > 0x05) Decoder::fail_at(at, invalid_leading_byte(b, "component external kind"));
    k.sort = static_cast<Sort>(b);
    return k;
  }

  SortIdx read_sort_idx(Decoder& d) {
    SortIdx s;
    s.sort = read_extern_sort(d);
    s.index = d.u32();
    return s;
  }

  // ---- core instances and core types ---------------------------------------------------

  CoreInstance read_core_instance(Decoder& d) {
    CoreInstance ci;
    ci.offset = d.offset();
    uint8_t b = d.u8();
    if (b == 0x00) {
      ci.kind = CoreInstance::Kind::Instantiate;
      ci.module = d.u32();
      read_vec(d, ci.args, [&] {
        CoreInstantiateArg a;
        a.offset = d.offset();
        a.name = d.name();
        uint8_t sort = d.u8();
        if (sort != 0x12) d.fail_leading_byte(sort, "instantiation arg kind");
        a.instance = d.u32();
        return a;
      }, 3);
    } else if (b == 0x01) {
      ci.kind = CoreInstance::Kind::FromExports;
      read_vec(d, ci.exports, [&] {
        CoreInlineExport e;
        e.offset = d.offset();
        e.name = d.name();
        e.item.sort = read_core_extern_sort(d);
        e.item.index = d.u32();
        return e;
      }, 3);
    } else {
      d.fail_leading_byte(b, "core instance");
    }
    return ci;
  }

  // core:type in a component (core type section or a component/instance type
  // declarator): a rec group, a 0x00-prefixed non-final sub type, or (0x50) a module type.
  CoreTypeDef read_core_type(Decoder& d) {
    Nest nest(*this, d);
    CoreTypeDef t;
    t.offset = d.offset();
    uint8_t b = d.peek();
    if (b == 0x00) {
      d.u8();
      uint8_t b2 = d.u8();
      if (b2 != 0x50) d.fail_leading_byte(b2, "non-final sub type");
      CoreSubType st;
      st.offset = d.offset() - 2;
      st.is_final = false;
      uint32_t n = d.count();
      st.supertypes.reserve(n);
      for (uint32_t i = 0; i < n; ++i) st.supertypes.push_back(d.u32());
      st.composite = read_core_composite_type(d);
      t.kind = CoreTypeDef::Kind::Rec;
      t.rec.push_back(std::move(st));
      return t;
    }
    if (b == 0x50) {
      d.u8();
      t.kind = CoreTypeDef::Kind::Module;
      read_vec(d, t.module_decls, [&] { return read_module_decl(d); });
      return t;
    }
    t.kind = CoreTypeDef::Kind::Rec;
    t.rec = read_core_rec_group(d);
    return t;
  }

  CoreModuleDecl read_module_decl(Decoder& d) {
    CoreModuleDecl m;
    m.offset = d.offset();
    uint8_t b = d.u8();
    switch (b) {
      case 0x00:
        m.kind = CoreModuleDecl::Kind::Import;
        m.module = d.name();
        m.name = d.name();
        m.extern_type = read_core_extern_type(d);
        break;
      case 0x01: {
        // Inside a module type a core:type is a plain rec group: 0x50 is a non-final sub
        // type there, never a nested module type.
        m.kind = CoreModuleDecl::Kind::Type;
        auto t = std::make_shared<CoreTypeDef>();
        t->offset = d.offset();
        t->kind = CoreTypeDef::Kind::Rec;
        t->rec = read_core_rec_group(d);
        m.type = std::move(t);
        break;
      }
      case 0x02: {
        m.kind = CoreModuleDecl::Kind::Alias;
        uint8_t sort = d.u8();
        if (sort != 0x10) d.fail_leading_byte(sort, "outer alias kind");
        uint8_t target = d.u8();
        if (target != 0x01) d.fail_leading_byte(target, "outer alias target");
        m.outer_count = d.u32();
        m.outer_index = d.u32();
        break;
      }
      case 0x03:
        m.kind = CoreModuleDecl::Kind::Export;
        m.name = d.name();
        m.extern_type = read_core_extern_type(d);
        break;
      default:
        d.fail_leading_byte(b, "type definition");
    }
    return m;
  }

  // ---- component instances and aliases -------------------------------------------------

  Instance read_instance(Decoder& d) {
    Instance in;
    in.offset = d.offset();
    uint8_t b = d.u8();
    if (b == 0x00) {
      in.kind = Instance::Kind::Instantiate;
      in.component = d.u32();
      read_vec(d, in.args, [&] {
        InstantiateArg a;
        a.offset = d.offset();
        a.name = d.name();
        a.item = read_sort_idx(d);
        return a;
      }, 3);
    } else if (b == 0x01) {
      in.kind = Instance::Kind::FromExports;
      read_vec(d, in.exports, [&] {
        InlineExport e;
        e.offset = d.offset();
        e.name = read_extern_name(d);
        e.item = read_sort_idx(d);
        return e;
      }, 4);
    } else {
      d.fail_leading_byte(b, "instance");
    }
    return in;
  }

  Alias read_alias(Decoder& d) {
    Alias a;
    a.offset = d.offset();
    // The sort comes first but which sorts are allowed depends on the alias target that
    // follows it, so read the raw sort bytes first.
    uint8_t b1 = d.u8();
    uint8_t b2 = 0;
    if (b1 == 0x00) b2 = d.u8();
    uint8_t target = d.u8();
    auto fail_sort = [&](const char* what) {
      if (b1 == 0x00) Decoder::fail_at(a.offset + 1, invalid_leading_byte(b2, what));
      Decoder::fail_at(a.offset, invalid_leading_byte(b1, what));
    };
    switch (target) {
      case 0x00:  // export of a component instance
        a.kind = Alias::Kind::InstanceExport;
        if (b1 == 0x00) {
          if (b2 != 0x11) fail_sort("component external kind");
          a.sort = {Sort::Core, CoreSort::Module};
        } else {
          if (b1 > 0x05) fail_sort("component external kind");
          a.sort.sort = static_cast<Sort>(b1);
        }
        a.instance = d.u32();
        a.name = d.name();
        break;
      case 0x01:  // export of a core instance
        a.kind = Alias::Kind::CoreInstanceExport;
        if (b1 != 0x00) fail_sort("core instance export kind");
        if (b2 > 0x04) fail_sort("external kind");
        a.sort = {Sort::Core, static_cast<CoreSort>(b2)};
        a.instance = d.u32();
        a.name = d.name();
        break;
      case 0x02:  // outer: outeraliassort = core type, core module, type, component
        a.kind = Alias::Kind::Outer;
        if (b1 == 0x00) {
          if (b2 != 0x10 && b2 != 0x11) fail_sort("component outer alias kind");
          a.sort = {Sort::Core, static_cast<CoreSort>(b2)};
        } else {
          if (b1 != 0x03 && b1 != 0x04) fail_sort("component outer alias kind");
          a.sort.sort = static_cast<Sort>(b1);
        }
        a.outer_count = d.u32();
        a.outer_index = d.u32();
        break;
      default:
        d.fail_leading_byte(target, "alias");
    }
    return a;
  }

  // ---- component types -----------------------------------------------------------------

  ValTypeUse read_val_type(Decoder& d) {
    ValTypeUse v;
    uint8_t b = d.peek();
    if (is_primitive_code(b)) {
      d.u8();
      v.is_primitive = true;
      v.primitive = static_cast<PrimValType>(b);
      return v;
    }
    size_t at = d.offset();
    int64_t idx = d.s33();
    if (idx < 0) Decoder::fail_at(at, invalid_leading_byte(b, "component value type"));
    if (idx > 0xffffffffLL) Decoder::fail_at(at, "type index out of bounds");
    v.is_primitive = false;
    v.type_index = static_cast<uint32_t>(idx);
    return v;
  }

  std::optional<ValTypeUse> read_optional_val_type(Decoder& d) {
    uint8_t b = d.u8();
    if (b == 0x00) return std::nullopt;
    if (b != 0x01) d.fail_leading_byte(b, "optional component value type");
    return read_val_type(d);
  }

  // labellit: a name; label syntax (kebab case) is checked by the validator.
  std::string read_label(Decoder& d) { return d.name(); }

  std::optional<ValTypeUse> read_result_list(Decoder& d) {
    uint8_t b = d.u8();
    if (b == 0x00) return read_val_type(d);
    if (b != 0x01) d.fail_leading_byte(b, "component function results");
    uint8_t z = d.u8();
    if (z != 0x00) d.fail_leading_byte(z, "number of results");
    return std::nullopt;
  }

  TypeDef read_type(Decoder& d) {
    Nest nest(*this, d);
    TypeDef t;
    t.offset = d.offset();
    uint8_t b = d.u8();
    switch (b) {
      case 0x3f: {
        t.kind = TypeDef::Kind::Resource;
        t.resource.rep = read_core_val_type(d);
        uint8_t has = d.u8();
        if (has == 0x01) t.resource.dtor = d.u32();
        else if (has != 0x00) d.fail_leading_byte(has, "resource destructor");
        return t;
      }
      case 0x40:
      case 0x43:
        t.kind = TypeDef::Kind::Func;
        t.func.is_async = b == 0x43;
        read_vec(d, t.func.params, [&] {
          LabelValType p;
          p.label = read_label(d);
          p.type = read_val_type(d);
          return p;
        }, 2);
        t.func.result = read_result_list(d);
        return t;
      case 0x41:
        t.kind = TypeDef::Kind::Component;
        read_vec(d, t.decls, [&] { return read_type_decl(d, /*component=*/true); });
        return t;
      case 0x42:
        t.kind = TypeDef::Kind::Instance;
        read_vec(d, t.decls, [&] { return read_type_decl(d, /*component=*/false); });
        return t;
      default:
        t.kind = TypeDef::Kind::DefVal;
        t.defval = read_def_val_type(d, b);
        return t;
    }
  }

  DefValType read_def_val_type(Decoder& d, uint8_t b) {
    using K = DefValType::Kind;
    DefValType v;
    if (is_primitive_code(b)) {
      v.kind = K::Primitive;
      v.primitive = static_cast<PrimValType>(b);
      return v;
    }
    switch (b) {
      case 0x72:
        v.kind = K::Record;
        read_vec(d, v.fields, [&] {
          LabelValType f;
          f.label = read_label(d);
          f.type = read_val_type(d);
          return f;
        }, 2);
        break;
      case 0x71:
        v.kind = K::Variant;
        read_vec(d, v.cases, [&] {
          VariantCase c;
          c.label = read_label(d);
          c.type = read_optional_val_type(d);
          uint8_t z = d.u8();
          if (z != 0x00) d.fail_leading_byte(z, "zero byte required");
          return c;
        }, 3);
        break;
      case 0x70:
        v.kind = K::List;
        v.element = read_val_type(d);
        break;
      case 0x67:
        v.kind = K::FixedList;
        v.element = read_val_type(d);
        v.length = d.u32();
        break;
      case 0x6f:
        v.kind = K::Tuple;
        read_vec(d, v.elements, [&] { return read_val_type(d); });
        break;
      case 0x6e:
        v.kind = K::Flags;
        read_vec(d, v.labels, [&] { return read_label(d); });
        break;
      case 0x6d:
        v.kind = K::Enum;
        read_vec(d, v.labels, [&] { return read_label(d); });
        break;
      case 0x6b:
        v.kind = K::Option;
        v.element = read_val_type(d);
        break;
      case 0x6a:
        v.kind = K::Result;
        v.element = read_optional_val_type(d);
        v.error = read_optional_val_type(d);
        break;
      case 0x69:
        v.kind = K::Own;
        v.type_index = d.u32();
        break;
      case 0x68:
        v.kind = K::Borrow;
        v.type_index = d.u32();
        break;
      case 0x66:
        v.kind = K::Stream;
        v.element = read_optional_val_type(d);
        break;
      case 0x65:
        v.kind = K::Future;
        v.element = read_optional_val_type(d);
        break;
      case 0x63:
        v.kind = K::Map;
        v.element = read_val_type(d);
        v.error = read_val_type(d);
        break;
      default:
        d.fail_leading_byte(b, "component defined type");
    }
    return v;
  }

  TypeDecl read_type_decl(Decoder& d, bool component) {
    TypeDecl t;
    t.offset = d.offset();
    uint8_t b = d.u8();
    switch (b) {
      case 0x00:
        t.kind = TypeDecl::Kind::CoreType;
        t.core_type = std::make_shared<CoreTypeDef>(read_core_type(d));
        break;
      case 0x01:
        t.kind = TypeDecl::Kind::Type;
        t.type = std::make_shared<TypeDef>(read_type(d));
        break;
      case 0x02:
        t.kind = TypeDecl::Kind::Alias;
        t.alias = std::make_shared<Alias>(read_alias(d));
        break;
      case 0x03:
        if (!component) d.fail_leading_byte(b, "component or instance type declaration");
        t.kind = TypeDecl::Kind::Import;
        t.name = read_extern_name(d);
        t.extern_type = read_extern_type(d);
        break;
      case 0x04:
        t.kind = TypeDecl::Kind::Export;
        t.name = read_extern_name(d);
        t.extern_type = read_extern_type(d);
        break;
      default:
        d.fail_leading_byte(b, "component or instance type declaration");
    }
    return t;
  }

  ExternType read_extern_type(Decoder& d) {
    ExternType e;
    e.offset = d.offset();
    SortKind k = read_extern_sort(d);
    switch (k.sort) {
      case Sort::Core:
        e.kind = ExternType::Kind::CoreModule;
        e.type_index = d.u32();
        break;
      case Sort::Func:
        e.kind = ExternType::Kind::Func;
        e.type_index = d.u32();
        break;
      case Sort::Value:
        // wasm-tools encodes a value extern type as a bare valtype (no valuebound byte).
        e.kind = ExternType::Kind::Value;
        e.value_bound.kind = ValueBound::Kind::Type;
        e.value_bound.type = read_val_type(d);
        break;
      case Sort::Type: {
        e.kind = ExternType::Kind::Type;
        uint8_t b = d.u8();
        if (b == 0x00) {
          e.type_bound.kind = TypeBound::Kind::Eq;
          e.type_bound.type_index = d.u32();
        } else if (b == 0x01) {
          e.type_bound.kind = TypeBound::Kind::SubResource;
        } else {
          d.fail_leading_byte(b, "type bound");
        }
        break;
      }
      case Sort::Component:
        e.kind = ExternType::Kind::Component;
        e.type_index = d.u32();
        break;
      case Sort::Instance:
        e.kind = ExternType::Kind::Instance;
        e.type_index = d.u32();
        break;
    }
    return e;
  }

  // nameattributes: 0x00/0x01 name, or 0x02 name + attributes (each kind at most once).
  ExternName read_extern_name(Decoder& d) {
    ExternName n;
    n.offset = d.offset();
    uint8_t b = d.u8();
    if (b > 0x02) d.fail_leading_byte(b, "component name");
    n.form = b;
    n.name = d.name();
    if (b != 0x02) return n;
    uint32_t count = d.count(2);
    for (uint32_t i = 0; i < count; ++i) {
      size_t at = d.offset();
      uint8_t kind = d.u8();
      std::optional<std::string>* slot = nullptr;
      const char* what = nullptr;
      switch (kind) {
        case 0x00: slot = &n.implements; what = "implements"; break;
        case 0x01: slot = &n.version_suffix; what = "versionsuffix"; break;
        case 0x02: slot = &n.external_id; what = "external-id"; break;
        default: d.fail_leading_byte(kind, "name option");
      }
      std::string value = d.name();
      if (slot->has_value()) Decoder::fail_at(at, std::string("duplicate '") + what + "' option in name");
      *slot = std::move(value);
    }
    return n;
  }

  // ---- canonical definitions -----------------------------------------------------------

  std::vector<CanonOpt> read_opts(Decoder& d) {
    std::vector<CanonOpt> opts;
    read_vec(d, opts, [&] {
      CanonOpt o;
      o.offset = d.offset();
      uint8_t b = d.u8();
      if (b > 0x09) d.fail_leading_byte(b, "canonical option");
      o.kind = static_cast<CanonOpt::Kind>(b);
      switch (o.kind) {
        case CanonOpt::Kind::Memory:
        case CanonOpt::Kind::Realloc:
        case CanonOpt::Kind::PostReturn:
        case CanonOpt::Kind::Callback:
        case CanonOpt::Kind::CoreType:
          o.index = d.u32();
          break;
        default:
          break;
      }
      return o;
    });
    return opts;
  }

  Canon read_canon(Decoder& d) {
    Canon c;
    c.offset = d.offset();
    uint8_t b = d.u8();
    auto flag = [&](bool& out) {
      c.flag_offset = d.offset();
      out = d.boolean();
    };
    switch (b) {
      case 0x00: {
        uint8_t s = d.u8();
        if (s != 0x00) d.fail_leading_byte(s, "canonical function lift");
        c.func_index = d.u32();
        c.opts = read_opts(d);
        c.type_index = d.u32();
        break;
      }
      case 0x01: {
        uint8_t s = d.u8();
        if (s != 0x00) d.fail_leading_byte(s, "canonical function lower");
        c.func_index = d.u32();
        c.opts = read_opts(d);
        break;
      }
      case 0x02: case 0x03: case 0x04:              // resource.new/drop/rep rt
      case 0x0e: case 0x13: case 0x14:              // stream.new/drop-readable/drop-writable t
      case 0x15: case 0x1a: case 0x1b:              // future.new/drop-readable/drop-writable t
        c.type_index = d.u32();
        break;
      case 0x05: case 0x0d: case 0x1e: case 0x1f: case 0x22: case 0x23:
      case 0x24: case 0x25: case 0x26: case 0x28:
        break;  // no immediates
      case 0x06:  // subtask.cancel async?
        flag(c.async_);
        break;
      case 0x09:  // task.return resultlist opts
        c.result = read_result_list(d);
        c.opts = read_opts(d);
        break;
      case 0x0a: case 0x0b:  // context.get/set t i
        c.context_type = read_core_val_type(d);
        c.context_index = d.u32();
        break;
      case 0x0c: case 0x29: case 0x2a: case 0x2b: case 0x2c: case 0x2d:  // thread.* cancel?
        flag(c.cancellable);
        break;
      case 0x0f: case 0x10: case 0x16: case 0x17:  // stream/future read/write t opts
        c.type_index = d.u32();
        c.opts = read_opts(d);
        break;
      case 0x11: case 0x12: case 0x18: case 0x19:  // cancel-read/write t async?
        c.type_index = d.u32();
        flag(c.async_);
        break;
      case 0x1c: case 0x1d:  // error-context.new/debug-message opts
        c.opts = read_opts(d);
        break;
      case 0x20: case 0x21:  // waitable-set.wait/poll cancel? m
        flag(c.cancellable);
        c.memory_index = d.u32();
        break;
      case 0x27:  // thread.new-indirect ft tbl
        c.type_index = d.u32();
        c.table_index = d.u32();
        break;
      case 0x40:  // thread.spawn-ref sh? ft
        flag(c.shared);
        c.type_index = d.u32();
        break;
      case 0x41:  // thread.spawn-indirect sh? ft tbl
        flag(c.shared);
        c.type_index = d.u32();
        c.table_index = d.u32();
        break;
      case 0x42:  // thread.available-parallelism sh?
        flag(c.shared);
        break;
      default:
        d.fail_leading_byte(b, "canonical function");
    }
    c.kind = static_cast<CanonKind>(b);
    return c;
  }

  // ---- start, imports, exports, values -------------------------------------------------

  Start read_start(Decoder& d) {
    Start s;
    s.offset = d.offset();
    s.func = d.u32();
    read_vec(d, s.args, [&] { return d.u32(); });
    s.num_results = d.u32();
    return s;
  }

  Import read_import(Decoder& d) {
    Import i;
    i.offset = d.offset();
    i.name = read_extern_name(d);
    i.type = read_extern_type(d);
    return i;
  }

  Export read_export(Decoder& d) {
    Export e;
    e.offset = d.offset();
    e.name = read_extern_name(d);
    e.item = read_sort_idx(d);
    uint8_t b = d.u8();
    if (b == 0x01) e.type = read_extern_type(d);
    else if (b != 0x00) d.fail_leading_byte(b, "optional component export type");
    return e;
  }

  Value read_value(Decoder& d) {
    Value v;
    v.offset = d.offset();
    v.type = read_val_type(d);
    uint32_t len = d.u32();
    v.value_offset = d.offset();
    v.value_size = len;
    d.skip(len);
    return v;
  }

  // ---- name section (best effort) ------------------------------------------------------

  // Binary.md "Name Section". Validity is not required: any decoding error makes the
  // whole section ignored.
  static std::optional<NameSection> read_name_section(Decoder d) {
    try {
      NameSection ns;
      while (!d.at_end()) {
        uint8_t id = d.u8();
        uint32_t size = d.u32();
        Decoder sub = d.window(size);
        if (id == 0) {
          ns.component_name = sub.name();
        } else if (id == 1) {
          NameMap map;
          map.sort = read_extern_sort_lenient(sub);
          uint32_t n = sub.count(2);
          map.names.reserve(n);
          for (uint32_t i = 0; i < n; ++i) {
            uint32_t idx = sub.u32();
            map.names.emplace_back(idx, sub.name());
          }
          ns.sort_names.push_back(std::move(map));
        }
      }
      return ns;
    } catch (const CompileError&) {
      return std::nullopt;
    }
  }

  // Any sort (name maps name core funcs, tables, ... too).
  static SortKind read_extern_sort_lenient(Decoder& d) {
    SortKind k;
    uint8_t b = d.u8();
    if (b == 0x00) {
      k.sort = Sort::Core;
      k.core_sort = static_cast<CoreSort>(d.u8());
    } else {
      if (b > 0x05) d.fail_leading_byte(b, "sort");
      k.sort = static_cast<Sort>(b);
    }
    return k;
  }

  size_t depth_ = 0;
};

}  // namespace

Component read_component(std::span<const uint8_t> bytes) {
  Decoder d(bytes, 0);
  ComponentReader r;
  return r.read_component(d);
}

bool is_component_binary(std::span<const uint8_t> bytes) {
  return bytes.size() >= 8 && std::memcmp(bytes.data(), kMagic, 4) == 0 && bytes[4] == 0x0d &&
         bytes[5] == 0x00 && bytes[6] == 0x01 && bytes[7] == 0x00;
}

const char* canon_name(CanonKind kind) {
  switch (kind) {
    case CanonKind::Lift: return "lift";
    case CanonKind::Lower: return "lower";
    case CanonKind::ResourceNew: return "resource.new";
    case CanonKind::ResourceDrop: return "resource.drop";
    case CanonKind::ResourceRep: return "resource.rep";
    case CanonKind::TaskCancel: return "task.cancel";
    case CanonKind::SubtaskCancel: return "subtask.cancel";
    case CanonKind::TaskReturn: return "task.return";
    case CanonKind::ContextGet: return "context.get";
    case CanonKind::ContextSet: return "context.set";
    case CanonKind::ThreadYield: return "thread.yield";
    case CanonKind::SubtaskDrop: return "subtask.drop";
    case CanonKind::StreamNew: return "stream.new";
    case CanonKind::StreamRead: return "stream.read";
    case CanonKind::StreamWrite: return "stream.write";
    case CanonKind::StreamCancelRead: return "stream.cancel-read";
    case CanonKind::StreamCancelWrite: return "stream.cancel-write";
    case CanonKind::StreamDropReadable: return "stream.drop-readable";
    case CanonKind::StreamDropWritable: return "stream.drop-writable";
    case CanonKind::FutureNew: return "future.new";
    case CanonKind::FutureRead: return "future.read";
    case CanonKind::FutureWrite: return "future.write";
    case CanonKind::FutureCancelRead: return "future.cancel-read";
    case CanonKind::FutureCancelWrite: return "future.cancel-write";
    case CanonKind::FutureDropReadable: return "future.drop-readable";
    case CanonKind::FutureDropWritable: return "future.drop-writable";
    case CanonKind::ErrorContextNew: return "error-context.new";
    case CanonKind::ErrorContextDebugMessage: return "error-context.debug-message";
    case CanonKind::ErrorContextDrop: return "error-context.drop";
    case CanonKind::WaitableSetNew: return "waitable-set.new";
    case CanonKind::WaitableSetWait: return "waitable-set.wait";
    case CanonKind::WaitableSetPoll: return "waitable-set.poll";
    case CanonKind::WaitableSetDrop: return "waitable-set.drop";
    case CanonKind::WaitableJoin: return "waitable.join";
    case CanonKind::BackpressureInc: return "backpressure.inc";
    case CanonKind::BackpressureDec: return "backpressure.dec";
    case CanonKind::ThreadIndex: return "thread.index";
    case CanonKind::ThreadNewIndirect: return "thread.new-indirect";
    case CanonKind::ThreadResumeLater: return "thread.resume-later";
    case CanonKind::ThreadSuspend: return "thread.suspend";
    case CanonKind::ThreadSuspendThenResume: return "thread.suspend-then-resume";
    case CanonKind::ThreadYieldThenResume: return "thread.yield-then-resume";
    case CanonKind::ThreadSuspendThenPromote: return "thread.suspend-then-promote";
    case CanonKind::ThreadYieldThenPromote: return "thread.yield-then-promote";
    case CanonKind::ThreadSpawnRef: return "thread.spawn-ref";
    case CanonKind::ThreadSpawnIndirect: return "thread.spawn-indirect";
    case CanonKind::ThreadAvailableParallelism: return "thread.available-parallelism";
  }
  return "?";
}

}  // namespace cm::binary
