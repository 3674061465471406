#include "values/store_buffer.h"

#include <algorithm>
#include <cassert>

namespace cm {

StoreBuffer::StoreBuffer(LiftLowerContext& cx, uint32_t base, uint32_t size, bool prefill)
    : cx_(cx), outer_(cx.open_buffers), base_(base), bytes_(size), epoch_(cx.realloc_epoch) {
  if (prefill && size > 0) {
    cx_.memory().read(base_, bytes_.data(), size);
    stale_from_ = size;
  } else {
    stale_from_ = 0;  // nothing mirrored: a gap, should one occur, is read when it appears
  }
  cx_.open_buffers = this;
}

StoreBuffer::~StoreBuffer() {
  assert(cx_.open_buffers == this);
  cx_.open_buffers = outer_;
}

void StoreBuffer::put(uint32_t offset, const void* src, uint32_t len) {
  assert(open_);
  assert(offset >= written_end_ && uint64_t{offset} + len <= bytes_.size());
  if (epoch_ != cx_.realloc_epoch) {
    // A realloc ran since the last store: it may have written anywhere we have not.
    stale_from_ = std::min(stale_from_, written_end_);
    epoch_ = cx_.realloc_epoch;
  }
  uint32_t gap_begin = std::max(written_end_, stale_from_);
  if (gap_begin < offset) {
    cx_.memory().read(base_ + gap_begin, bytes_.data() + gap_begin, offset - gap_begin);
  }
  if (len) std::memcpy(bytes_.data() + offset, src, len);
  written_end_ = offset + len;
  stale_from_ = std::max(stale_from_, written_end_);
}

void StoreBuffer::flush() {
  if (written_end_ > flushed_) {
    cx_.memory().write(base_ + flushed_, bytes_.data() + flushed_, written_end_ - flushed_);
    flushed_ = written_end_;
  }
}

void StoreBuffer::finish() {
  flush();
  open_ = false;
}

}  // namespace cm
