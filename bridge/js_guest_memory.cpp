#include "js_guest_memory.h"

#include <emscripten.h>

EM_JS(double, cm_guest_memory_size, (int memory), { return Module["guestMemories"].size(memory); });
EM_JS(void, cm_guest_memory_read, (int memory, uint32_t ptr, void* dst, uint32_t len), {
  Module["guestMemories"].read(memory, ptr >>> 0, dst, len >>> 0);
});
EM_JS(void, cm_guest_memory_write, (int memory, uint32_t ptr, const void* src, uint32_t len), {
  Module["guestMemories"].write(memory, ptr >>> 0, src, len >>> 0);
});
EM_JS(uint32_t, cm_guest_realloc, (int memory, uint32_t old_ptr, uint32_t old_size, uint32_t align, uint32_t new_size), {
  return Module["guestMemories"].realloc(memory, old_ptr >>> 0, old_size >>> 0, align >>> 0, new_size >>> 0);
});
EM_JS(int, cm_guest_string_encoding, (int memory), { return Module["guestMemories"].encoding(memory); });

namespace bridge {

uint64_t JsGuestMemory::size() const { return static_cast<uint64_t>(cm_guest_memory_size(id_)); }
void JsGuestMemory::read(uint32_t ptr, void* dst, uint32_t len) const { cm_guest_memory_read(id_, ptr, dst, len); }
void JsGuestMemory::write(uint32_t ptr, const void* src, uint32_t len) { cm_guest_memory_write(id_, ptr, src, len); }

uint32_t guest_realloc(int memory, uint32_t old_ptr, uint32_t old_size, uint32_t align, uint32_t new_size) {
  return cm_guest_realloc(memory, old_ptr, old_size, align, new_size);
}

cm::StringEncoding guest_string_encoding(int memory) {
  return static_cast<cm::StringEncoding>(cm_guest_string_encoding(memory));
}

}  // namespace bridge
