// A bounded cursor over a byte window of a binary, shared by the component reader and
// the core-module summary reader. Every read is bounds-checked against the window (a
// section's declared size, or the whole input); running past it is malformed
// ("unexpected end-of-file"). Integers follow the core spec's LEB128 rules: at most
// ceil(N/7) bytes, and unused bits of the last byte must be zero (or, for signed
// encodings, a sign extension); anything else is malformed.
//
// Offsets reported in errors are absolute: the position in the buffer given to the
// top-level reader, so nested windows (sections, nested components, core modules) report
// the same offsets as the outermost binary.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "util/trap.h"

namespace cm::binary {

// The rule text of a wrong discriminant byte: "invalid leading byte (0x2) for alias".
std::string invalid_leading_byte(uint8_t byte, const char* what);

// True if `bytes` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::span<const uint8_t> bytes);

class Decoder {
 public:
  // `bytes` is the window; `base` is the absolute offset of bytes[0].
  Decoder(std::span<const uint8_t> bytes, size_t base) : bytes_(bytes), base_(base) {}

  size_t offset() const { return base_ + pos_; }  // absolute offset of the next byte
  size_t remaining() const { return bytes_.size() - pos_; }
  bool at_end() const { return pos_ == bytes_.size(); }

  [[noreturn]] void fail(const std::string& rule) const { throw CompileError(offset(), rule); }
  [[noreturn]] static void fail_at(size_t offset, const std::string& rule) {
    throw CompileError(offset, rule);
  }
  // Throws "invalid leading byte (0xNN) for <what>" at the offset of `byte`, which must be
  // the byte just read.
  [[noreturn]] void fail_leading_byte(uint8_t byte, const char* what) const {
    throw CompileError(offset() - 1, invalid_leading_byte(byte, what));
  }

  uint8_t u8() {
    if (pos_ >= bytes_.size()) fail("unexpected end-of-file");
    return bytes_[pos_++];
  }
  uint8_t peek() const {
    if (pos_ >= bytes_.size()) fail("unexpected end-of-file");
    return bytes_[pos_];
  }
  // A 0x00/0x01 flag byte; anything else is malformed.
  bool boolean() {
    uint8_t b = u8();
    if (b > 1) fail_at(offset() - 1, "invalid boolean value");
    return b == 1;
  }

  uint32_t u32() { return static_cast<uint32_t>(unsigned_leb(32)); }
  uint64_t u64() { return unsigned_leb(64); }
  int32_t s32() { return static_cast<int32_t>(signed_leb(32)); }
  int64_t s33() { return signed_leb(33); }
  int64_t s64() { return signed_leb(64); }

  // A vector count. Every entry takes at least `min_entry_size` bytes, so a count that
  // cannot fit in the rest of the window is malformed right away: callers may then
  // reserve `count` entries without risking an absurd allocation.
  uint32_t count(size_t min_entry_size = 1) {
    size_t at = offset();
    uint32_t n = u32();
    if (min_entry_size > 0 && n > remaining() / min_entry_size)
      fail_at(at, "unexpected end-of-file");
    return n;
  }

  // core:name: a u32 length and that many bytes of UTF-8.
  std::string name() {
    size_t len_at = offset();
    uint32_t len = u32();
    if (len > remaining()) fail_at(len_at, "unexpected end-of-file");
    size_t at = offset();
    std::span<const uint8_t> b = bytes_.subspan(pos_, len);
    if (!is_valid_utf8(b)) fail_at(at, "malformed UTF-8 encoding");
    pos_ += len;
    return std::string(reinterpret_cast<const char*>(b.data()), b.size());
  }

  // The next `n` bytes, consumed.
  std::span<const uint8_t> take(size_t n) {
    if (n > remaining()) fail("unexpected end-of-file");
    std::span<const uint8_t> b = bytes_.subspan(pos_, n);
    pos_ += n;
    return b;
  }
  void skip(size_t n) { take(n); }

  // A decoder over the next `n` bytes (consumed from this one).
  Decoder window(size_t n) {
    size_t at = offset();
    return Decoder(take(n), at);
  }

 private:
  uint64_t unsigned_leb(unsigned bits);
  int64_t signed_leb(unsigned bits);

  std::span<const uint8_t> bytes_;
  size_t base_;
  size_t pos_ = 0;
};

}  // namespace cm::binary
