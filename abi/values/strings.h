// Strings: lifting from and lowering into linear memory in each of the three string
// encodings, with the spec's exact transcoding between them (CanonicalABI.md "Loading"
// load_string_from_range, "Storing" store_string_into_range and the store_* helpers).
//
// Lowering reproduces the spec's realloc call sequence argument for argument (the first
// allocation is sized from the source's code-unit count; it then grows to the worst case
// or shrinks to the exact size), and writes to memory at the same points: whatever the spec
// has written before a realloc call is in memory when the guest's realloc runs, and where
// the spec reads back what the realloc copied (in-place inflation and deflation), so do we.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "values/context.h"
#include "values/value.h"

namespace cm {

inline constexpr uint32_t MAX_STRING_BYTE_LENGTH = (uint32_t{1} << 28) - 1;

// Lifting: (ptr, tagged_code_units) in cx's memory and string encoding. Traps: byte length
// over 2^28-1, unaligned pointer (2 for utf16 and latin1+utf16, either representation),
// out-of-bounds range, invalid UTF-8 or UTF-16 (unpaired surrogate).
StringValue load_string_from_range(LiftLowerContext& cx, uint32_t ptr, uint32_t tagged_code_units);

struct StringRange {
  uint32_t ptr;
  uint32_t tagged_code_units;
};

// Lowering into cx's memory and string encoding, allocating with cx's realloc. Traps when a
// realloc result is unaligned or out of bounds.
StringRange store_string_into_range(LiftLowerContext& cx, const StringValue& v);

// Validation with the error wording of Rust's std::str::from_utf8 (what Wasmtime reports):
// "invalid utf-8 sequence of N bytes from index I" / "incomplete utf-8 byte sequence from
// index I". Traps on the first error.
void validate_utf8(std::string_view bytes);
// UTF-16LE (an even number of bytes); traps "invalid utf-16: lone surrogate found".
void validate_utf16le(std::string_view bytes);

}  // namespace cm
