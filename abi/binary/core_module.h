// Just enough of a core wasm module to validate the component around it: its imports and
// exports with their core types. The module is not validated here (function bodies,
// element and data segments are never read): the JS side compiles it with
// WebAssembly.compile, which does that. What is checked is what decoding the summary
// needs: the preamble, section framing and order, and the type/import/function/table/
// memory/tag/global/export sections.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "binary/ast.h"
#include "binary/decoder.h"

namespace cm::binary {

struct CoreFuncType {
  std::vector<CoreValType> params;
  std::vector<CoreValType> results;
  bool operator==(const CoreFuncType&) const = default;
};

// The type of a core extern as seen from outside a module (or a core instance): func and
// tag types are resolved to their signatures, so that externs of different modules can be
// compared without the modules' type index spaces.
struct CoreExternDesc {
  CoreExternType::Kind kind = CoreExternType::Kind::Func;
  CoreFuncType func;    // Func, Tag
  CoreExternType type;  // Table, Memory, Global (limits, element/value type, mutability)
  // False when the module's type could not be determined from the summary (a func type
  // index naming a struct/array type, or a global after a constant expression this
  // summary does not understand). Such externs match anything of the same kind.
  bool known = true;
};

struct CoreImportDesc {
  std::string module;
  std::string name;
  CoreExternDesc desc;
};

struct CoreExportDesc {
  std::string name;
  CoreExternDesc desc;
  uint32_t index = 0;  // index in the module's own index space of that kind
};

struct CoreModuleSummary {
  std::vector<CoreImportDesc> imports;
  std::vector<CoreExportDesc> exports;
};

// Checks the preamble ("\0asm" 01 00 00 00), the section framing and the order of the
// known sections. Throws CompileError with absolute offsets (`base` is the offset of
// module[0] in the top-level binary).
void check_core_module_framing(std::span<const uint8_t> module, size_t base);

// Checks the framing as above, then decodes the imports and exports with their types.
CoreModuleSummary summarize_core_module(std::span<const uint8_t> module, size_t base);

// Decoders for core type grammar shared with the component reader (core:type in a
// component's core type section and in module types).
CoreValType read_core_val_type(Decoder& d);
CoreLimits read_core_limits(Decoder& d, bool is_table);
CoreExternType read_core_extern_type(Decoder& d);
CoreCompositeType read_core_composite_type(Decoder& d);
// Core validation of limits: min <= max, and a memory no larger than the address space
// allows (65536 pages of 64 KiB for a 32-bit memory). Throws CompileError at `offset`.
void check_core_limits(const CoreExternType& t, size_t offset);
// A rec group (or a single sub type / composite type).
std::vector<CoreSubType> read_core_rec_group(Decoder& d);

}  // namespace cm::binary
