// Stages the stores into one guest memory range (a list's elements, a spilled tuple, a
// value stored at a pointer) so that they reach GuestMemory as a few bulk writes instead of
// one call per field, while every byte a guest can observe stays what the spec's
// field-by-field stores produce:
//  - before any realloc call, everything stored so far is written out (a guest realloc sees
//    the same memory as in the spec);
//  - bytes the spec never writes (alignment padding, the unused tail of a short variant
//    payload) are written back with the value memory holds at that moment: the range is read
//    once up front unless the type covers every byte, and a gap left after a realloc (which
//    may have written anywhere) is re-read before it is written back;
//  - bytes after the last store are never written.
// This relies on the spec storing into a range in increasing address order, which
// store_record / store_variant / store_list all do.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "values/context.h"

namespace cm {

class StoreBuffer {
 public:
  // `prefill`: read the range's current bytes now (needed when the stores leave gaps).
  StoreBuffer(LiftLowerContext& cx, uint32_t base, uint32_t size, bool prefill);
  ~StoreBuffer();
  StoreBuffer(const StoreBuffer&) = delete;
  StoreBuffer& operator=(const StoreBuffer&) = delete;

  // Stages `len` bytes at `offset` within the range.
  void put(uint32_t offset, const void* src, uint32_t len);
  template <typename T>
  void put_int(uint32_t offset, T v) {
    put(offset, &v, sizeof(T));  // little-endian host (x86-64 and wasm32)
  }
  // Writes what is staged but not yet written.
  void flush();
  // Flushes and closes the buffer (the normal end; the destructor alone, after a trap,
  // writes nothing more).
  void finish();

  uint32_t base() const { return base_; }

 private:
  LiftLowerContext& cx_;
  StoreBuffer* outer_;
  uint32_t base_;
  std::vector<uint8_t> bytes_;
  uint32_t written_end_ = 0;  // every store so far lies below this offset
  uint32_t flushed_ = 0;      // [0, flushed_) is in memory
  uint32_t stale_from_;       // bytes in [written_end_, stale_from_) mirror memory
  uint64_t epoch_;
  bool open_ = true;

  friend class LiftLowerContext;
};

}  // namespace cm
