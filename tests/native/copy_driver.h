// A tiny stand-in for the JS driver of stream/future copies: it carries out the engine's
// CopyInstructions with memcpy between VectorMemory buffers (guest memories, by memory id)
// and byte vectors (host chunks, by host id). Only none-or-number element types are plain
// byte copies; anything else would need lift/lower and fails the test.
#pragma once

#include <cstring>
#include <map>
#include <vector>

#include <gtest/gtest.h>

#include "async/canon_streams.h"
#include "types/layout.h"
#include "values/memory.h"

namespace cm::async::testing {

struct CopyDriver {
  std::map<uint32_t, VectorMemory*> memories;
  std::map<uint32_t, std::vector<uint8_t>*> host_chunks;

  uint8_t* at(const CopySite& site, uint32_t size, uint32_t bytes) {
    if (site.is_host()) {
      std::vector<uint8_t>& chunk = *host_chunks.at(site.memory_id);
      EXPECT_LE(uint64_t{site.ptr} * size + bytes, chunk.size());
      return chunk.data() + site.ptr * size;
    }
    VectorMemory& mem = *memories.at(site.memory_id);
    EXPECT_LE(uint64_t{site.ptr} + bytes, mem.bytes.size());
    return mem.bytes.data() + site.ptr;
  }

  void run(const std::vector<CopyInstruction>& copies) {
    for (const CopyInstruction& c : copies) {
      ASSERT_TRUE(none_or_number_type(c.t)) << "the test driver copies bytes only";
      uint32_t size = elem_size(*c.t);
      uint32_t bytes = c.n * size;
      // memmove: within one memory the ranges may overlap (read all, then write).
      std::memmove(at(c.dst, size, bytes), at(c.src, size, bytes), bytes);
    }
  }

  // Runs the copies and hands back the guest's result, as JS would.
  uint32_t operator()(const CopyOutcome& out) {
    EXPECT_FALSE(out.block);
    run(out.copies);
    return out.result;
  }
};

inline uint32_t low(uint64_t packed) { return static_cast<uint32_t>(packed); }
inline uint32_t high(uint64_t packed) { return static_cast<uint32_t>(packed >> 32); }

inline uint32_t completed(uint32_t progress) { return pack_copy_result(CopyResult::Completed, progress); }
inline uint32_t dropped(uint32_t progress) { return pack_copy_result(CopyResult::Dropped, progress); }
inline uint32_t cancelled(uint32_t progress) { return pack_copy_result(CopyResult::Cancelled, progress); }

// Runs f and returns the trap's message ("" when it did not trap).
template <typename F>
std::string trap_message(F&& f) {
  try {
    f();
  } catch (const Trap& t) {
    return t.what();
  }
  return "";
}

}  // namespace cm::async::testing
