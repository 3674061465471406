#include "binary/core_module.h"

#include <cstring>
#include <set>

namespace cm::binary {

// ---------------------------------------------------------------------------------------
// Core type grammar (core spec "Types"; GC proposal rec/sub types)

namespace {

// Abstract heap types have single-byte codes 0x68 (cont) .. 0x75 (nocont).
bool is_abstract_heap_code(uint8_t b) { return b >= 0x68 && b <= 0x75; }

int64_t read_heap_type(Decoder& d) {
  uint8_t b = d.peek();
  if (b == 0x65) {  // shared abstract heap type (shared-everything threads)
    d.u8();
    uint8_t code = d.u8();
    if (!is_abstract_heap_code(code)) d.fail_leading_byte(code, "heap type");
    return static_cast<int64_t>(code) - 0x80;
  }
  size_t at = d.offset();
  int64_t v = d.s33();
  if (v < 0) {
    uint8_t code = static_cast<uint8_t>(v + 0x80);
    if (v < -0x40 || !is_abstract_heap_code(code))
      Decoder::fail_at(at, invalid_leading_byte(static_cast<uint8_t>(v & 0x7f), "heap type"));
  } else if (v > 0xffffffffLL) {
    Decoder::fail_at(at, "type index out of bounds");
  }
  return v;
}

CoreCompositeType::FieldType read_field_type(Decoder& d) {
  CoreCompositeType::FieldType f;
  uint8_t b = d.peek();
  if (b == 0x78 || b == 0x77) {  // packed i8 / i16
    d.u8();
    f.packed = b;
    f.type.kind = CoreValType::Kind::I32;
  } else {
    f.type = read_core_val_type(d);
  }
  f.mutable_ = d.boolean();
  return f;
}

}  // namespace

CoreCompositeType read_core_composite_type(Decoder& d) {
  CoreCompositeType c;
  uint8_t b = d.u8();
  if (b == 0x65) {  // shared composite type
    c.shared = true;
    b = d.u8();
  }
  switch (b) {
    case 0x60: {
      uint32_t np = d.count();
      c.params.reserve(np);
      for (uint32_t i = 0; i < np; ++i) c.params.push_back(read_core_val_type(d));
      uint32_t nr = d.count();
      c.results.reserve(nr);
      for (uint32_t i = 0; i < nr; ++i) c.results.push_back(read_core_val_type(d));
      c.kind = CoreCompositeType::Kind::Func;
      break;
    }
    case 0x5f: {
      uint32_t n = d.count(2);
      c.fields.reserve(n);
      for (uint32_t i = 0; i < n; ++i) c.fields.push_back(read_field_type(d));
      c.kind = CoreCompositeType::Kind::Struct;
      break;
    }
    case 0x5e:
      c.fields.push_back(read_field_type(d));
      c.kind = CoreCompositeType::Kind::Array;
      break;
    default:
      d.fail_leading_byte(b, "composite type");
  }
  return c;
}

namespace {

CoreSubType read_sub_type(Decoder& d) {
  CoreSubType s;
  s.offset = d.offset();
  uint8_t b = d.peek();
  if (b == 0x50 || b == 0x4f) {
    d.u8();
    s.is_final = b == 0x4f;
    uint32_t n = d.count();
    s.supertypes.reserve(n);
    for (uint32_t i = 0; i < n; ++i) s.supertypes.push_back(d.u32());
  }
  s.composite = read_core_composite_type(d);
  return s;
}

}  // namespace

CoreValType read_core_val_type(Decoder& d) {
  CoreValType t;
  uint8_t b = d.u8();
  switch (b) {
    case 0x7f: t.kind = CoreValType::Kind::I32; return t;
    case 0x7e: t.kind = CoreValType::Kind::I64; return t;
    case 0x7d: t.kind = CoreValType::Kind::F32; return t;
    case 0x7c: t.kind = CoreValType::Kind::F64; return t;
    case 0x7b: t.kind = CoreValType::Kind::V128; return t;
    case 0x63:  // (ref null ht)
    case 0x64:  // (ref ht)
      t.kind = CoreValType::Kind::Ref;
      t.nullable = b == 0x63;
      t.heap_type = read_heap_type(d);
      return t;
    default:
      if (is_abstract_heap_code(b)) {  // shorthand: funcref, externref, ...
        t.kind = CoreValType::Kind::Ref;
        t.nullable = true;
        t.heap_type = static_cast<int64_t>(b) - 0x80;
        return t;
      }
      d.fail_leading_byte(b, "value type");
  }
}

CoreLimits read_core_limits(Decoder& d, bool is_table) {
  CoreLimits l;
  uint8_t flags = d.u8();
  // bit 0: has max; bit 1: shared; bit 2: 64-bit; bit 3: custom page size (memories only)
  uint8_t allowed = is_table ? 0x07 : 0x0f;
  if (flags & ~allowed) d.fail_leading_byte(flags, is_table ? "table type" : "memory type");
  l.shared = flags & 0x02;
  l.is_64 = flags & 0x04;
  l.min = l.is_64 ? d.u64() : d.u32();
  if (flags & 0x01) l.max = l.is_64 ? d.u64() : d.u32();
  if (flags & 0x08) l.page_size_log2 = d.u32();
  return l;
}

CoreExternType read_core_extern_type(Decoder& d) {
  CoreExternType t;
  uint8_t b = d.u8();
  switch (b) {
    case 0x00:
      t.kind = CoreExternType::Kind::Func;
      t.type_index = d.u32();
      break;
    case 0x01:
      t.kind = CoreExternType::Kind::Table;
      t.value_type = read_core_val_type(d);
      if (t.value_type.kind != CoreValType::Kind::Ref) Decoder::fail_at(d.offset() - 1, "malformed reference type");
      t.limits = read_core_limits(d, true);
      break;
    case 0x02:
      t.kind = CoreExternType::Kind::Memory;
      t.limits = read_core_limits(d, false);
      break;
    case 0x03: {
      t.kind = CoreExternType::Kind::Global;
      t.value_type = read_core_val_type(d);
      uint8_t m = d.u8();
      if (m > 3) d.fail_leading_byte(m, "global type");  // bit 0 mutable, bit 1 shared
      t.mutable_ = m & 1;
      t.shared = m & 2;
      break;
    }
    case 0x04: {
      t.kind = CoreExternType::Kind::Tag;
      uint8_t attr = d.u8();
      if (attr != 0) d.fail_leading_byte(attr, "tag attribute");
      t.type_index = d.u32();
      break;
    }
    default:
      d.fail_leading_byte(b, "external kind");
  }
  return t;
}

void check_core_limits(const CoreExternType& t, size_t offset) {
  if (t.kind != CoreExternType::Kind::Memory && t.kind != CoreExternType::Kind::Table) return;
  const CoreLimits& l = t.limits;
  if (l.max && *l.max < l.min) Decoder::fail_at(offset, "size minimum must not be greater than maximum");
  if (t.kind == CoreExternType::Kind::Memory) {
    uint32_t log2 = l.page_size_log2.value_or(16);
    if (log2 != 0 && log2 != 16) Decoder::fail_at(offset, "invalid custom page size");
    // A memory spans at most 2^32 (2^64 for memory64) bytes. A memory64 of 1-byte pages
    // may have 2^64 of them, one more than a u64 counts: every size it can state fits.
    uint32_t address_bits = l.is_64 ? 64 : 32;
    if (address_bits - log2 >= 64) return;
    uint64_t max_pages = uint64_t{1} << (address_bits - log2);
    if (l.min > max_pages || (l.max && *l.max > max_pages))
      Decoder::fail_at(offset, "memory size must be at most " + std::to_string(max_pages) + " pages");
  }
}

std::vector<CoreSubType> read_core_rec_group(Decoder& d) {
  std::vector<CoreSubType> group;
  if (d.peek() == 0x4e) {
    d.u8();
    uint32_t n = d.count();
    group.reserve(n);
    for (uint32_t i = 0; i < n; ++i) group.push_back(read_sub_type(d));
  } else {
    group.push_back(read_sub_type(d));
  }
  return group;
}

// ---------------------------------------------------------------------------------------
// Module framing and summary

namespace {

// The core spec's section order (type, import, function, table, memory, tag, global,
// export, start, element, datacount, code, data); 0 for custom sections, which may
// appear anywhere; -1 for unknown ids.
int section_rank(uint8_t id) {
  static const int rank[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};
  return id < sizeof rank / sizeof rank[0] ? rank[id] : -1;
}

void check_preamble(Decoder& d) {
  static const uint8_t magic[] = {0x00, 0x61, 0x73, 0x6d};
  std::span<const uint8_t> m = d.take(4);
  if (std::memcmp(m.data(), magic, 4) != 0) Decoder::fail_at(d.offset() - 4, "magic header not detected");
  size_t at = d.offset();
  std::span<const uint8_t> v = d.take(4);
  if (v[0] == 0x01 && v[1] == 0 && v[2] == 0 && v[3] == 0) return;
  if (v[2] == 0x01 && v[3] == 0x00) Decoder::fail_at(at, "expected a version header for a module");
  Decoder::fail_at(at, "unknown binary version");
}

// Skips a constant expression. Returns false (position unspecified) for an opcode this
// summary does not know; WebAssembly.compile is the judge of such modules.
bool skip_const_expr(Decoder& d) {
  for (int steps = 0; steps < 1 << 20; ++steps) {
    uint8_t op = d.u8();
    switch (op) {
      case 0x0b: return true;                          // end
      case 0x41: d.s32(); break;                       // i32.const
      case 0x42: d.s64(); break;                       // i64.const
      case 0x43: d.skip(4); break;                     // f32.const
      case 0x44: d.skip(8); break;                     // f64.const
      case 0x23: d.u32(); break;                       // global.get
      case 0xd0: read_heap_type(d); break;             // ref.null
      case 0xd2: d.u32(); break;                       // ref.func
      case 0x6a: case 0x6b: case 0x6c:                 // i32.add/sub/mul (extended-const)
      case 0x7c: case 0x7d: case 0x7e: break;          // i64.add/sub/mul
      case 0xfd:                                       // v128.const
        if (d.u32() != 12) return false;
        d.skip(16);
        break;
      case 0xfb: {                                     // GC constant instructions
        uint32_t sub = d.u32();
        switch (sub) {
          case 0: case 1: case 6: case 7: d.u32(); break;       // struct.new(_default), array.new(_default)
          case 8: d.u32(); d.u32(); break;                      // array.new_fixed
          case 26: case 27: case 28: break;                     // any.convert_extern, extern.convert_any, ref.i31
          default: return false;
        }
        break;
      }
      default: return false;
    }
  }
  return false;
}

struct ModuleIndexSpaces {
  std::vector<CoreSubType> types;
  std::vector<uint32_t> funcs;  // type index per function
  std::vector<CoreExternType> tables, memories, globals, tags;
  size_t known_globals = 0;     // globals[0..known_globals) have a decoded type
  bool globals_complete = true;
};

CoreExternDesc func_desc(const ModuleIndexSpaces& s, CoreExternType::Kind kind, uint32_t type_index) {
  CoreExternDesc desc;
  desc.kind = kind;
  if (type_index < s.types.size() && s.types[type_index].composite.kind == CoreCompositeType::Kind::Func) {
    desc.func.params = s.types[type_index].composite.params;
    desc.func.results = s.types[type_index].composite.results;
  } else {
    desc.known = false;
  }
  return desc;
}

CoreExternDesc import_desc(const ModuleIndexSpaces& s, const CoreExternType& t) {
  if (t.kind == CoreExternType::Kind::Func || t.kind == CoreExternType::Kind::Tag)
    return func_desc(s, t.kind, t.type_index);
  CoreExternDesc desc;
  desc.kind = t.kind;
  desc.type = t;
  return desc;
}

void summarize(Decoder& d, CoreModuleSummary* out) {
  check_preamble(d);
  ModuleIndexSpaces s;
  int last_rank = 0;
  std::vector<std::pair<std::string, std::pair<uint8_t, uint32_t>>> raw_exports;
  while (!d.at_end()) {
    size_t section_offset = d.offset();
    uint8_t id = d.u8();
    uint32_t size = d.u32();
    if (size > d.remaining()) d.fail("unexpected end-of-file");
    Decoder sec = d.window(size);
    int rank = section_rank(id);
    if (rank < 0) Decoder::fail_at(section_offset, "malformed section id");
    if (rank == 0) {
      sec.name();  // a custom section's name must be well-formed UTF-8
      continue;
    }
    if (rank <= last_rank) Decoder::fail_at(section_offset, "section out of order");
    last_rank = rank;
    if (!out) continue;
    switch (id) {
      case 1: {  // type
        uint32_t n = sec.count();
        for (uint32_t i = 0; i < n; ++i) {
          std::vector<CoreSubType> group = read_core_rec_group(sec);
          for (auto& t : group) s.types.push_back(std::move(t));
        }
        break;
      }
      case 2: {  // import
        uint32_t n = sec.count(3);
        std::set<std::pair<std::string, std::string>> seen;
        for (uint32_t i = 0; i < n; ++i) {
          size_t at = sec.offset();
          CoreImportDesc imp;
          imp.module = sec.name();
          imp.name = sec.name();
          // Two-level import names mangle to one component-level name: no duplicates.
          if (!seen.emplace(imp.module, imp.name).second)
            Decoder::fail_at(at, "duplicate import name `" + imp.module + ":" + imp.name + "`");
          CoreExternType t = read_core_extern_type(sec);
          check_core_limits(t, at);
          imp.desc = import_desc(s, t);
          switch (t.kind) {
            case CoreExternType::Kind::Func: s.funcs.push_back(t.type_index); break;
            case CoreExternType::Kind::Table: s.tables.push_back(t); break;
            case CoreExternType::Kind::Memory: s.memories.push_back(t); break;
            case CoreExternType::Kind::Global: s.globals.push_back(t); ++s.known_globals; break;
            case CoreExternType::Kind::Tag: s.tags.push_back(t); break;
          }
          out->imports.push_back(std::move(imp));
        }
        break;
      }
      case 3: {  // function
        uint32_t n = sec.count();
        for (uint32_t i = 0; i < n; ++i) s.funcs.push_back(sec.u32());
        break;
      }
      case 4: {  // table
        uint32_t n = sec.count();
        for (uint32_t i = 0; i < n; ++i) {
          CoreExternType t;
          t.kind = CoreExternType::Kind::Table;
          bool has_init = sec.peek() == 0x40;
          if (has_init) {
            sec.u8();
            uint8_t reserved = sec.u8();
            if (reserved != 0) sec.fail_leading_byte(reserved, "table type");
          }
          t.value_type = read_core_val_type(sec);
          t.limits = read_core_limits(sec, true);
          s.tables.push_back(t);
          if (has_init && !skip_const_expr(sec)) break;  // later tables unknown: stop here
        }
        break;
      }
      case 5: {  // memory
        uint32_t n = sec.count();
        for (uint32_t i = 0; i < n; ++i) {
          CoreExternType t;
          t.kind = CoreExternType::Kind::Memory;
          size_t at = sec.offset();
          t.limits = read_core_limits(sec, false);
          check_core_limits(t, at);
          s.memories.push_back(t);
        }
        break;
      }
      case 13: {  // tag
        uint32_t n = sec.count();
        for (uint32_t i = 0; i < n; ++i) {
          uint8_t attr = sec.u8();
          if (attr != 0) sec.fail_leading_byte(attr, "tag attribute");
          CoreExternType t;
          t.kind = CoreExternType::Kind::Tag;
          t.type_index = sec.u32();
          s.tags.push_back(t);
        }
        break;
      }
      case 6: {  // global
        uint32_t n = sec.count();
        for (uint32_t i = 0; i < n; ++i) {
          CoreExternType t;
          t.kind = CoreExternType::Kind::Global;
          t.value_type = read_core_val_type(sec);
          uint8_t m = sec.u8();
          if (m > 3) sec.fail_leading_byte(m, "global type");
          t.mutable_ = m & 1;
          t.shared = m & 2;
          s.globals.push_back(t);
          ++s.known_globals;
          if (!skip_const_expr(sec)) {
            s.globals_complete = false;
            break;
          }
        }
        break;
      }
      case 7: {  // export
        uint32_t n = sec.count(3);
        for (uint32_t i = 0; i < n; ++i) {
          std::string name = sec.name();
          uint8_t kind = sec.u8();
          if (kind > 4) sec.fail_leading_byte(kind, "external kind");
          uint32_t index = sec.u32();
          raw_exports.push_back({std::move(name), {kind, index}});
        }
        break;
      }
      default:
        break;  // start, element, datacount, code, data: not needed for the summary
    }
  }
  if (!out) return;
  for (auto& raw : raw_exports) {
    const std::string& name = raw.first;
    uint8_t kind = raw.second.first;
    uint32_t index = raw.second.second;
    CoreExportDesc e;
    e.name = name;
    e.index = index;
    auto k = static_cast<CoreExternType::Kind>(kind);
    auto pick = [&](const std::vector<CoreExternType>& space, size_t known) {
      e.desc.kind = k;
      if (index < known) e.desc.type = space[index];
      else e.desc.known = false;
    };
    switch (k) {
      case CoreExternType::Kind::Func:
        if (index < s.funcs.size()) e.desc = func_desc(s, k, s.funcs[index]);
        else { e.desc.kind = k; e.desc.known = false; }
        break;
      case CoreExternType::Kind::Tag:
        if (index < s.tags.size()) e.desc = func_desc(s, k, s.tags[index].type_index);
        else { e.desc.kind = k; e.desc.known = false; }
        break;
      case CoreExternType::Kind::Table: pick(s.tables, s.tables.size()); break;
      case CoreExternType::Kind::Memory: pick(s.memories, s.memories.size()); break;
      case CoreExternType::Kind::Global: pick(s.globals, s.known_globals); break;
    }
    out->exports.push_back(std::move(e));
  }
}

}  // namespace

void check_core_module_framing(std::span<const uint8_t> module, size_t base) {
  Decoder d(module, base);
  summarize(d, nullptr);
}

CoreModuleSummary summarize_core_module(std::span<const uint8_t> module, size_t base) {
  Decoder d(module, base);
  CoreModuleSummary out;
  summarize(d, &out);
  return out;
}

}  // namespace cm::binary
