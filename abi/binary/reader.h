// Decodes a component binary (Binary.md, plus what wasm-tools 0.259 emits) into the AST of
// ast.h. Decoding only: indices are not resolved and types are not checked (see
// validate/validator.h). Anything malformed throws cm::CompileError(offset, rule) with the
// absolute byte offset and a short rule text; the texts follow wasm-tools' wording where
// the spec's tests quote it ("unexpected end-of-file", "invalid leading byte (0x62) for
// component defined type", ...).
//
// Safe on hostile input: every read is bounds-checked, vector counts are checked against
// the bytes left before anything is reserved, and nesting (components in components,
// types in types) is limited to kMaxNestingDepth.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "binary/ast.h"
#include "util/trap.h"

namespace cm::binary {

// Nested components, component/instance types and module types deeper than this are
// rejected ("nesting too deep"); wasm-tools uses the same depth for component types.
inline constexpr size_t kMaxNestingDepth = 100;

// Decodes `bytes` (a whole component binary, preamble first). All offsets in the result
// are offsets into `bytes`.
Component read_component(std::span<const uint8_t> bytes);

// True if `bytes` starts with a component preamble (magic, version 0x0d 0x00, layer 1).
bool is_component_binary(std::span<const uint8_t> bytes);

}  // namespace cm::binary
