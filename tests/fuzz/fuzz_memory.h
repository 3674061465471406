// A fake guest memory for the value fuzzers, with a realloc that checks how the engine
// calls it. Everything here is a guard against the engine, not part of it:
//
//  - The engine bounds-checks every range before it calls GuestMemory::read/write
//    (values/memory.h). So an out-of-range read or write here is an engine bug: it aborts
//    (a libFuzzer finding) instead of throwing the cm::Trap that a guest's mistake gives.
//  - realloc hands out fresh, 8-aligned ranges from a bump pointer, grows the memory as a
//    guest's memory.grow would, copies the old contents on a resize, and fills the old
//    range with kStale afterwards, so that an engine reading a range it has already
//    reallocated away sees garbage and the round trip fails. It aborts on a call the
//    spec never makes: an alignment other than 1, 2, 4 or 8, or a resize whose
//    (old_ptr, old_size) is not a block it handed out.
//  - Reads are counted against a budget: a lift of hostile memory can legally build far
//    more values than it reads bytes (a list of lists that all point at the same range),
//    which the JS side caps with maxLiftedBytes. Past the budget, read() throws Budget,
//    which the fuzzers treat as "input not interesting", never as a finding.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <vector>

#include "types/layout.h"
#include "values/memory.h"

namespace cm::fuzz {

// Thrown when an input would take more memory or reads than the fuzzer allows.
struct Budget {
  const char* what;
};

[[noreturn]] inline void fail(const char* what, uint64_t a = 0, uint64_t b = 0) {
  std::fprintf(stderr, "FUZZ CHECK FAILED: %s (%llu, %llu)\n", what, static_cast<unsigned long long>(a),
               static_cast<unsigned long long>(b));
  std::abort();
}

inline constexpr uint8_t kFresh = 0xEE;  // what a freshly allocated block holds
inline constexpr uint8_t kStale = 0xDD;  // what a block holds once realloc moved it

class CheckedMemory final : public GuestMemory {
 public:
  explicit CheckedMemory(std::vector<uint8_t> initial, uint64_t read_budget = 1u << 20)
      : bytes(std::move(initial)), read_budget_(read_budget) {}

  uint64_t size() const override { return bytes.size(); }
  void read(uint32_t ptr, void* dst, uint32_t len) const override {
    if (uint64_t{ptr} + len > bytes.size()) fail("engine read outside guest memory", ptr, len);
    if (len > read_budget_) throw Budget{"read budget"};
    read_budget_ -= len;
    if (len) std::memcpy(dst, bytes.data() + ptr, len);
  }
  void write(uint32_t ptr, const void* src, uint32_t len) override {
    if (uint64_t{ptr} + len > bytes.size()) fail("engine write outside guest memory", ptr, len);
    if (len) std::memcpy(bytes.data() + ptr, src, len);
  }

  std::vector<uint8_t> bytes;

 private:
  mutable uint64_t read_budget_;
};

class CheckedHeap {
 public:
  // Allocations start at `heap_start` (above any bytes the caller placed) and the memory
  // may grow up to `max_size` bytes.
  CheckedHeap(CheckedMemory& memory, uint32_t heap_start, uint64_t max_size = 4u << 20)
      : memory_(memory), next_(heap_start), max_size_(max_size) {}

  Realloc realloc() {
    return [this](uint32_t old_ptr, uint32_t old_size, uint32_t alignment, uint32_t new_size) {
      return allocate(old_ptr, old_size, alignment, new_size);
    };
  }
  uint32_t calls() const { return calls_; }

 private:
  uint32_t allocate(uint32_t old_ptr, uint32_t old_size, uint32_t alignment, uint32_t new_size) {
    ++calls_;
    if (alignment != 1 && alignment != 2 && alignment != 4 && alignment != 8) fail("realloc alignment", alignment);
    if (old_ptr != 0 || old_size != 0) {
      auto it = live_.find(old_ptr);
      if (it == live_.end() || it->second != old_size) fail("realloc of a block never handed out", old_ptr, old_size);
      live_.erase(it);
    }
    // Like malloc, every block is 8-aligned whatever the request: the spec itself shrinks a
    // deflated latin1+utf16 string with alignment 1 and does not check the result, while
    // lifting latin1+utf16 requires 2 (docs/fuzzing.md, "Findings"). The differential
    // compares the alignments the engine asks for with the spec's.
    uint64_t at = align_to(next_, std::max<uint32_t>(alignment, 8));
    if (at + new_size > max_size_) throw Budget{"heap budget"};
    auto& b = memory_.bytes;
    if (at + new_size > b.size()) b.resize(align_to(at + new_size, 64), kFresh);
    std::memset(b.data() + at, kFresh, new_size);
    if (old_ptr != 0) {
      std::memcpy(b.data() + at, b.data() + old_ptr, std::min(old_size, new_size));
      std::memset(b.data() + old_ptr, kStale, old_size);
    }
    next_ = at + new_size;
    // Zero-sized blocks are distinct too (an empty list still gets a pointer of its own).
    if (new_size == 0) ++next_;
    uint32_t ptr = static_cast<uint32_t>(at);
    live_[ptr] = new_size;
    return ptr;
  }

  CheckedMemory& memory_;
  uint64_t next_;
  uint64_t max_size_;
  uint32_t calls_ = 0;
  std::map<uint32_t, uint32_t> live_;  // block start -> size
};

}  // namespace cm::fuzz
