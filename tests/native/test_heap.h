// A guest memory with a scripted realloc that records every call, for the lift/lower tests.
// The policies are mirrored exactly by tests/native/oracle/gen_vectors.py, so that replayed
// test vectors see the same allocator the spec's reference saw.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <ostream>
#include <string>
#include <vector>

#include "types/layout.h"
#include "values/memory.h"

namespace cm::testing {

struct ReallocCall {
  uint32_t old_ptr, old_size, alignment, new_size, result;
  bool operator==(const ReallocCall&) const = default;
};

inline std::ostream& operator<<(std::ostream& os, const ReallocCall& c) {
  return os << "realloc(" << c.old_ptr << ", " << c.old_size << ", " << c.alignment << ", "
            << c.new_size << ") -> " << c.result;
}

enum class ReallocPolicy {
  Bump,        // fresh aligned block after the last one, old contents copied over
  NoCopy,      // fresh block filled with 0xEE; the old contents are NOT copied
  InPlace,     // shrinking keeps the old pointer; growing is Bump
  Misaligned,  // Bump, then one byte off
  OutOfBounds, // always 0xFFFFFFF0
  Grow,        // Bump, growing the memory (zero-filled) when the block does not fit
};

inline ReallocPolicy policy_from_name(const std::string& n) {
  if (n == "bump") return ReallocPolicy::Bump;
  if (n == "nocopy") return ReallocPolicy::NoCopy;
  if (n == "inplace") return ReallocPolicy::InPlace;
  if (n == "misaligned") return ReallocPolicy::Misaligned;
  if (n == "oob") return ReallocPolicy::OutOfBounds;
  return ReallocPolicy::Grow;
}

class TestHeap {
 public:
  TestHeap(size_t size, uint8_t fill, uint32_t heap_start, ReallocPolicy policy = ReallocPolicy::Bump)
      : memory(size, fill), next(heap_start), policy(policy) {}

  Realloc realloc() {
    return [this](uint32_t old_ptr, uint32_t old_size, uint32_t alignment, uint32_t new_size) {
      uint32_t r = allocate(old_ptr, old_size, alignment, new_size);
      log.push_back({old_ptr, old_size, alignment, new_size, r});
      return r;
    };
  }

  VectorMemory memory;
  std::vector<ReallocCall> log;
  uint32_t next;
  ReallocPolicy policy;

 private:
  void copy(uint32_t from, uint32_t to, uint32_t n) {
    auto& b = memory.bytes;
    if (from >= b.size() || to >= b.size()) return;
    n = std::min<uint64_t>({n, b.size() - from, b.size() - to});
    std::memmove(b.data() + to, b.data() + from, n);
  }

  uint32_t bump(uint32_t alignment, uint32_t new_size) {
    uint32_t r = static_cast<uint32_t>(align_to(next, alignment));
    next = r + new_size;
    return r;
  }

  uint32_t allocate(uint32_t old_ptr, uint32_t old_size, uint32_t alignment, uint32_t new_size) {
    auto& b = memory.bytes;
    switch (policy) {
      case ReallocPolicy::OutOfBounds: return 0xFFFFFFF0u;
      case ReallocPolicy::Misaligned: return bump(alignment, new_size + 1) + 1;
      case ReallocPolicy::InPlace:
        if (old_ptr != 0 && new_size <= old_size) return old_ptr;
        [[fallthrough]];
      case ReallocPolicy::Bump: {
        uint32_t r = bump(alignment, new_size);
        if (old_ptr != 0) copy(old_ptr, r, std::min(old_size, new_size));
        return r;
      }
      case ReallocPolicy::NoCopy: {
        uint32_t r = bump(alignment, new_size);
        for (uint64_t i = r; i < uint64_t{r} + new_size && i < b.size(); ++i) b[i] = 0xEE;
        return r;
      }
      case ReallocPolicy::Grow: {
        uint32_t r = bump(alignment, new_size);
        if (uint64_t{r} + new_size > b.size()) b.resize(align_to(uint64_t{r} + new_size, 64), 0);
        if (old_ptr != 0) copy(old_ptr, r, std::min(old_size, new_size));
        return r;
      }
    }
    return 0;
  }
};

inline std::vector<uint8_t> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

}  // namespace cm::testing
