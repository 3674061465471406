// How the engine touches a guest's linear memory and allocates in it.
//
// In the browser build every GuestMemory call crosses into JS, so callers read and write
// whole ranges (a string, a list's elements, a spilled tuple) and never a byte at a time.
// Callers bounds-check every range against size() before calling read/write; the
// implementations may assume in-range arguments.
//
// 32-bit memories only (memory64 is out of scope): pointers and lengths are u32, but size()
// is u64 because a 32-bit memory may hold 65536 pages = 2^32 bytes.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <vector>

#include "util/trap.h"

namespace cm {

class GuestMemory {
 public:
  virtual ~GuestMemory() = default;
  // The current byte length; it can grow between calls (memory.grow inside realloc).
  virtual uint64_t size() const = 0;
  virtual void read(uint32_t ptr, void* dst, uint32_t len) const = 0;
  virtual void write(uint32_t ptr, const void* src, uint32_t len) = 0;
};

// A memory backed by a byte vector, for native tests.
class VectorMemory final : public GuestMemory {
 public:
  VectorMemory() = default;
  explicit VectorMemory(size_t size, uint8_t fill = 0) : bytes(size, fill) {}
  explicit VectorMemory(std::vector<uint8_t> b) : bytes(std::move(b)) {}

  uint64_t size() const override { return bytes.size(); }
  void read(uint32_t ptr, void* dst, uint32_t len) const override {
    check(ptr, len);
    if (len) std::memcpy(dst, bytes.data() + ptr, len);
    ++reads;
  }
  void write(uint32_t ptr, const void* src, uint32_t len) override {
    check(ptr, len);
    if (len) std::memcpy(bytes.data() + ptr, src, len);
    ++writes;
  }

  std::vector<uint8_t> bytes;
  // Counts of bulk calls, so tests can assert that no path goes byte by byte.
  mutable uint32_t reads = 0;
  uint32_t writes = 0;

 private:
  // Callers check bounds first; this is a second line of defence against an engine bug
  // turning into a native buffer overrun.
  void check(uint32_t ptr, uint32_t len) const {
    trap_if(uint64_t{ptr} + len > bytes.size(), "internal error: unchecked memory access");
  }
};

// The `realloc` canonopt: (old_ptr, old_size, alignment, new_size) -> new_ptr. The engine
// wraps the guest's core function in this; it may trap (throw cm::Trap), grow the memory or
// write to it.
using Realloc = std::function<uint32_t(uint32_t old_ptr, uint32_t old_size,
                                       uint32_t alignment, uint32_t new_size)>;

}  // namespace cm
