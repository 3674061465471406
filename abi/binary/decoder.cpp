#include "binary/decoder.h"

#include <cstdio>

namespace cm::binary {

std::string invalid_leading_byte(uint8_t byte, const char* what) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", static_cast<unsigned>(byte));
  return std::string("invalid leading byte (") + buf + ") for " + what;
}

bool is_valid_utf8(std::span<const uint8_t> b) {
  size_t i = 0;
  while (i < b.size()) {
    uint8_t c = b[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) {
      n = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;  // continuation byte or 0xf8.. as a leading byte
    }
    if (n > b.size() - i - 1) return false;
    for (size_t k = 1; k <= n; ++k) {
      if ((b[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (b[i + k] & 0x3f);
    }
    // Reject overlong encodings, surrogates and code points past U+10FFFF.
    static const uint32_t min_for_len[] = {0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n + 1;
  }
  return true;
}

// LEB128 with the core spec's limits: at most ceil(bits/7) bytes; in the last byte the
// bits beyond `bits` must be zero.
uint64_t Decoder::unsigned_leb(unsigned bits) {
  const unsigned max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  for (unsigned i = 0;; ++i) {
    uint8_t byte = u8();
    if (i + 1 == max_bytes) {
      if (byte & 0x80) fail_at(offset() - 1, "integer representation too long");
      unsigned used = bits - 7 * i;  // payload bits of this byte that fit
      if (used < 7 && (byte >> used) != 0) fail_at(offset() - 1, "integer too large");
      return result | (static_cast<uint64_t>(byte) << (7 * i));
    }
    result |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
    if (!(byte & 0x80)) return result;
  }
}

// Signed LEB128: in the last allowed byte the unused bits must all equal the sign bit.
int64_t Decoder::signed_leb(unsigned bits) {
  const unsigned max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  unsigned shift = 0;
  uint8_t byte;
  for (unsigned i = 0;; ++i) {
    byte = u8();
    if (i + 1 == max_bytes) {
      if (byte & 0x80) fail_at(offset() - 1, "integer representation too long");
      unsigned used = bits - 7 * i;
      if (used < 7) {
        // Bits [used-1, 7) of the payload must be all zeros or all ones.
        uint8_t top = static_cast<uint8_t>((byte & 0x7f) >> (used - 1));
        uint8_t all = static_cast<uint8_t>((1u << (8 - used)) - 1);
        if (top != 0 && top != all) fail_at(offset() - 1, "integer too large");
      }
      result |= static_cast<uint64_t>(byte & 0x7f) << shift;
      shift += 7;
      break;
    }
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    shift += 7;
    if (!(byte & 0x80)) break;
  }
  // Sign-extend from `shift` bits (shift <= 70; only extend when it is inside 64 bits).
  if (shift < 64 && (byte & 0x40)) result |= ~uint64_t{0} << shift;
  return static_cast<int64_t>(result);
}

}  // namespace cm::binary
