// A guest memory the engine reaches through JS: the registry in js/values/guest-strings.mjs
// names a lowering context (a guest's WebAssembly.Memory, its realloc and string encoding)
// by a small id. Reads and writes move whole ranges; nothing here holds a JS object.
#pragma once

#include <cstdint>

#include "types/value_type.h"
#include "values/memory.h"

namespace bridge {

class JsGuestMemory final : public cm::GuestMemory {
 public:
  explicit JsGuestMemory(int id) : id_(id) {}
  uint64_t size() const override;
  void read(uint32_t ptr, void* dst, uint32_t len) const override;
  void write(uint32_t ptr, const void* src, uint32_t len) override;

 private:
  int id_;
};

// The guest's realloc of the context registered under `memory` (may_leave cleared by JS).
uint32_t guest_realloc(int memory, uint32_t old_ptr, uint32_t old_size, uint32_t align, uint32_t new_size);

// The `string-encoding` option of the context registered under `memory`.
cm::StringEncoding guest_string_encoding(int memory);

}  // namespace bridge
