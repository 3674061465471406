// String transcoding between two guests, through the engine's implementation of the
// spec's store_string (abi/values/strings.cpp): the exact realloc call sequence for the
// source's encoding, and memory written at the same points as the spec writes it.
//
// The source string's bytes arrive in the engine's memory (JS copied them out of the
// caller's memory when it lifted the argument). The destination is a guest memory the
// engine reaches through JS: reads and writes of whole ranges, and the guest's realloc,
// by ids the JS side registered (js/values/guest-strings.mjs; bridge/js_guest_memory.h).
#include <emscripten/bind.h>

#include <cstdint>
#include <string>

#include "js_errors.h"
#include "js_guest_memory.h"
#include "runtime/component_instance.h"
#include "values/context.h"
#include "values/memory.h"
#include "values/strings.h"

namespace {

using bridge::JsGuestMemory;

uint32_t last_tagged_code_units = 0;

// Stores the string whose bytes are at [src, src + length) in the engine's memory, encoded
// as `src_encoding` with `src_tagged_code_units`, into guest memory `memory` with
// `dst_encoding`. Returns the pointer; lastTaggedCodeUnits() the tagged length.
uint32_t store_guest_string(uintptr_t src, uint32_t length, int src_encoding, uint32_t src_tagged_code_units,
                            int memory, int dst_encoding) {
  return bridge::guarded([&] {
    cm::StringValue value;
    value.bytes.assign(reinterpret_cast<const char*>(src), length);
    value.encoding = static_cast<cm::StringEncoding>(src_encoding);
    value.tagged_code_units = src_tagged_code_units;
    JsGuestMemory mem(memory);
    cm::LiftLowerOptions options;
    options.string_encoding = static_cast<cm::StringEncoding>(dst_encoding);
    options.memory = &mem;
    options.realloc = [memory](uint32_t old_ptr, uint32_t old_size, uint32_t align, uint32_t new_size) {
      return bridge::guest_realloc(memory, old_ptr, old_size, align, new_size);
    };
    // The instance flags that matter (may_leave around realloc) are JS's; this one only
    // satisfies the context's interface.
    cm::ComponentInstance instance;
    cm::LiftLowerContext cx(options, instance);
    cm::StringRange range = cm::store_string_into_range(cx, value);
    last_tagged_code_units = range.tagged_code_units;
    return range.ptr;
  });
}

uint32_t last_tagged_code_units_of_store() { return last_tagged_code_units; }

}  // namespace

EMSCRIPTEN_BINDINGS(cmbridge_transcode) {
  emscripten::function("storeGuestString", &store_guest_string);
  emscripten::function("lastTaggedCodeUnits", &last_tagged_code_units_of_store);
}
