#include "values/strings.h"

#include <cassert>
#include <cstring>
#include <string>

#include "types/layout.h"

namespace cm {

namespace {

// The encoding a string's bytes are actually in: latin1+utf16 resolves to one of the others
// by the tag of its length.
enum class Simple : uint8_t { Utf8, Utf16, Latin1 };

// A string's bytes, decoded one code point at a time. The bytes of a lifted string were
// validated; a host-made string that is malformed traps here rather than being misread.
class CodePoints {
 public:
  CodePoints(std::string_view bytes, Simple enc) : bytes_(bytes), enc_(enc) {}

  bool next(char32_t& cp) {
    if (pos_ >= bytes_.size()) return false;
    const auto* p = reinterpret_cast<const uint8_t*>(bytes_.data());
    switch (enc_) {
      case Simple::Latin1: cp = p[pos_++]; return true;
      case Simple::Utf16: {
        trap_if(pos_ + 2 > bytes_.size(), "invalid utf-16: lone surrogate found");
        char32_t u = p[pos_] | (p[pos_ + 1] << 8);
        pos_ += 2;
        if (u >= 0xD800 && u <= 0xDBFF && pos_ + 2 <= bytes_.size()) {
          char32_t l = p[pos_] | (p[pos_ + 1] << 8);
          if (l >= 0xDC00 && l <= 0xDFFF) {
            pos_ += 2;
            cp = 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00);
            return true;
          }
        }
        trap_if(u >= 0xD800 && u <= 0xDFFF, "invalid utf-16: lone surrogate found");
        cp = u;
        return true;
      }
      case Simple::Utf8: {
        size_t len = decode_utf8(p, bytes_.size(), pos_, cp);
        pos_ += len;
        return true;
      }
    }
    return false;
  }

  // Decodes the code point at `pos`, trapping with Rust's wording on malformed input.
  static size_t decode_utf8(const uint8_t* p, size_t n, size_t pos, char32_t& cp) {
    uint8_t b0 = p[pos];
    if (b0 < 0x80) {
      cp = b0;
      return 1;
    }
    size_t need;
    uint8_t lo = 0x80, hi = 0xBF;  // the range of the second byte (Unicode Table 3-7)
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      need = 2;
      cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      need = 3;
      cp = b0 & 0x0F;
      if (b0 == 0xE0) lo = 0xA0;
      if (b0 == 0xED) hi = 0x9F;  // no surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      need = 4;
      cp = b0 & 0x07;
      if (b0 == 0xF0) lo = 0x90;
      if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
      utf8_error(pos, 1);
    }
    for (size_t k = 1; k < need; ++k) {
      if (pos + k >= n) utf8_error(pos, 0);
      uint8_t b = p[pos + k];
      uint8_t min = k == 1 ? lo : 0x80, max = k == 1 ? hi : 0xBF;
      if (b < min || b > max) utf8_error(pos, k);
      cp = (cp << 6) | (b & 0x3F);
    }
    return need;
  }

  // error_len 0 means the input ended inside a sequence that was valid so far.
  [[noreturn]] static void utf8_error(size_t index, size_t error_len) {
    if (error_len == 0) trap("incomplete utf-8 byte sequence from index " + std::to_string(index));
    trap("invalid utf-8 sequence of " + std::to_string(error_len) + " bytes from index " +
         std::to_string(index));
  }

 private:
  std::string_view bytes_;
  Simple enc_;
  size_t pos_ = 0;
};

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

void append_utf16le(std::string& out, char32_t cp) {
  auto unit = [&](uint32_t u) {
    out.push_back(static_cast<char>(u & 0xFF));
    out.push_back(static_cast<char>(u >> 8));
  };
  if (cp < 0x10000) {
    unit(cp);
  } else {
    cp -= 0x10000;
    unit(0xD800 + (cp >> 10));
    unit(0xDC00 + (cp & 0x3FF));
  }
}

// A lowering source: the string's bytes, the encoding they are in, and the code-unit count
// that sizes the first allocation.
struct Source {
  std::string_view bytes;
  Simple enc;
  uint32_t code_units;
};

std::string encode_utf8(const Source& src) {
  if (src.enc == Simple::Utf8) {
    validate_utf8(src.bytes);
    return std::string(src.bytes);
  }
  std::string out;
  out.reserve(src.bytes.size());
  CodePoints cps(src.bytes, src.enc);
  for (char32_t cp; cps.next(cp);) append_utf8(out, cp);
  return out;
}

std::string encode_utf16le(const Source& src) {
  if (src.enc == Simple::Utf16) {
    validate_utf16le(src.bytes);
    return std::string(src.bytes);
  }
  std::string out;
  out.reserve(2 * src.bytes.size());
  CodePoints cps(src.bytes, src.enc);
  for (char32_t cp; cps.next(cp);) append_utf16le(out, cp);
  return out;
}

uint32_t checked_size(uint64_t n) {
  // Lifted strings are at most 2^28-1 bytes, so every worst case fits in a u32 (the spec's
  // REALLOC_I32_MAX assertion); only an oversized host-made string can get here.
  trap_if(n > UINT32_MAX, "string too large to lower");
  return static_cast<uint32_t>(n);
}

// The checks after every realloc of a string range. Wasmtime's wording.
void check_realloc_result(LiftLowerContext& cx, uint32_t ptr, uint32_t alignment, uint32_t size) {
  trap_if(ptr != align_to(ptr, alignment), "realloc return: result not aligned");
  trap_if(uint64_t{ptr} + size > cx.memory().size(), "realloc return: beyond end of memory");
}

void write(LiftLowerContext& cx, uint32_t ptr, const void* data, size_t len) {
  if (len) cx.memory().write(ptr, data, static_cast<uint32_t>(len));
}

// store_string_copy: same code units on both sides, so the first allocation is exact.
StringRange store_string_copy(LiftLowerContext& cx, const Source& src, uint32_t dst_code_unit_size,
                              uint32_t dst_alignment, Simple dst_encoding) {
  uint32_t dst_byte_length = checked_size(uint64_t{dst_code_unit_size} * src.code_units);
  uint32_t ptr = cx.allocate(dst_alignment, dst_byte_length);
  check_realloc_result(cx, ptr, dst_alignment, dst_byte_length);
  std::string encoded;
  switch (dst_encoding) {
    case Simple::Utf8: encoded = encode_utf8(src); break;
    case Simple::Utf16: encoded = encode_utf16le(src); break;
    case Simple::Latin1: encoded = std::string(src.bytes); break;  // latin1 -> latin1
  }
  trap_if(encoded.size() != dst_byte_length, "internal error: string length does not match its bytes");
  write(cx, ptr, encoded.data(), encoded.size());
  return {ptr, src.code_units};
}

// store_string_to_utf8: optimistically one byte per code unit; on the first non-ASCII code
// point grow to the worst case, then shrink to the exact length.
StringRange store_string_to_utf8(LiftLowerContext& cx, const Source& src, uint64_t worst_case) {
  uint32_t ptr = cx.allocate(1, src.code_units);
  check_realloc_result(cx, ptr, 1, src.code_units);
  // The ASCII prefix: the spec stores it byte by byte before it reallocs.
  std::string ascii;
  CodePoints cps(src.bytes, src.enc);
  char32_t cp;
  bool non_ascii = false;
  while (cps.next(cp)) {
    if (cp >= 0x80) {
      non_ascii = true;
      break;
    }
    ascii.push_back(static_cast<char>(cp));
  }
  write(cx, ptr, ascii.data(), ascii.size());
  if (!non_ascii) return {ptr, src.code_units};

  uint32_t worst_case_size = checked_size(worst_case);
  ptr = cx.reallocate(ptr, src.code_units, 1, worst_case_size);
  check_realloc_result(cx, ptr, 1, worst_case_size);
  std::string encoded = encode_utf8(src);
  size_t i = ascii.size();
  // The prefix is not written again: the spec relies on realloc having kept it.
  write(cx, ptr + static_cast<uint32_t>(i), encoded.data() + i, encoded.size() - i);
  uint32_t len = static_cast<uint32_t>(encoded.size());
  if (worst_case_size > len) {
    ptr = cx.reallocate(ptr, worst_case_size, 1, len);
    check_realloc_result(cx, ptr, 1, len);
  }
  return {ptr, len};
}

// store_utf8_to_utf16: the worst case (two bytes per UTF-8 byte) first, then shrink.
StringRange store_utf8_to_utf16(LiftLowerContext& cx, const Source& src) {
  uint32_t worst_case_size = checked_size(2 * uint64_t{src.code_units});
  uint32_t ptr = cx.allocate(2, worst_case_size);
  check_realloc_result(cx, ptr, 2, worst_case_size);
  std::string encoded = encode_utf16le(src);
  write(cx, ptr, encoded.data(), encoded.size());
  uint32_t len = static_cast<uint32_t>(encoded.size());
  if (len < worst_case_size) {
    ptr = cx.reallocate(ptr, worst_case_size, 2, len);
    check_realloc_result(cx, ptr, 2, len);
  }
  return {ptr, len / 2};
}

// store_string_to_latin1_or_utf16: Latin-1 while every code point fits in a byte; on the
// first that does not, grow to UTF-16's worst case, inflate what was written in place, and
// go on in UTF-16.
StringRange store_string_to_latin1_or_utf16(LiftLowerContext& cx, const Source& src) {
  uint32_t ptr = cx.allocate(2, src.code_units);
  check_realloc_result(cx, ptr, 2, src.code_units);
  std::string latin1;
  CodePoints cps(src.bytes, src.enc);
  char32_t cp;
  bool wide = false;
  while (cps.next(cp)) {
    if (cp >= 0x100) {
      wide = true;
      break;
    }
    latin1.push_back(static_cast<char>(cp));
  }
  write(cx, ptr, latin1.data(), latin1.size());
  uint32_t dst_byte_length = static_cast<uint32_t>(latin1.size());
  if (!wide) {
    if (dst_byte_length < src.code_units) {
      ptr = cx.reallocate(ptr, src.code_units, 2, dst_byte_length);
      check_realloc_result(cx, ptr, 2, dst_byte_length);
    }
    return {ptr, dst_byte_length};
  }

  uint32_t worst_case_size = checked_size(2 * uint64_t{src.code_units});
  ptr = cx.reallocate(ptr, src.code_units, 2, worst_case_size);
  check_realloc_result(cx, ptr, 2, worst_case_size);
  std::string encoded = encode_utf16le(src);
  // Inflate the Latin-1 bytes the realloc moved, reading them back from memory as the
  // spec's in-place loop does, then continue with the rest of the UTF-16 encoding.
  std::string out(encoded.size(), '\0');
  std::string moved(dst_byte_length, '\0');
  if (dst_byte_length) cx.memory().read(ptr, moved.data(), dst_byte_length);
  for (uint32_t j = 0; j < dst_byte_length; ++j) out[2 * j] = moved[j];
  out.replace(2 * dst_byte_length, std::string::npos, encoded, 2 * dst_byte_length);
  write(cx, ptr, out.data(), out.size());
  uint32_t len = static_cast<uint32_t>(encoded.size());
  if (worst_case_size > len) {
    ptr = cx.reallocate(ptr, worst_case_size, 2, len);
    check_realloc_result(cx, ptr, 2, len);
  }
  return {ptr, (len / 2) | UTF16_TAG};
}

// store_probably_utf16_to_latin1_or_utf16: a latin1+utf16 string that its source kept as
// UTF-16 is copied as UTF-16, then deflated in place if every code point turned out to fit
// in Latin-1.
StringRange store_probably_utf16_to_latin1_or_utf16(LiftLowerContext& cx, const Source& src) {
  uint32_t src_byte_length = checked_size(2 * uint64_t{src.code_units});
  uint32_t ptr = cx.allocate(2, src_byte_length);
  check_realloc_result(cx, ptr, 2, src_byte_length);
  std::string encoded = encode_utf16le(src);
  write(cx, ptr, encoded.data(), encoded.size());
  uint32_t units = static_cast<uint32_t>(encoded.size() / 2);
  const auto* e = reinterpret_cast<const uint8_t*>(encoded.data());
  for (uint32_t i = 0; i < units; ++i) {
    if (e[2 * i + 1] != 0) return {ptr, units | UTF16_TAG};  // a unit >= 256
  }
  // The spec's forward in-place loop reads only bytes it has not overwritten yet, so its
  // result is the low byte of every unit just written.
  std::string latin1(units, '\0');
  for (uint32_t i = 0; i < units; ++i) latin1[i] = static_cast<char>(e[2 * i]);
  write(cx, ptr, latin1.data(), latin1.size());
  ptr = cx.reallocate(ptr, src_byte_length, 1, units);
  check_realloc_result(cx, ptr, 1, units);  // alignment 1: only the bounds check applies
  return {ptr, units};
}

uint64_t expected_byte_length(Simple enc, uint32_t code_units) {
  return enc == Simple::Utf16 ? 2 * uint64_t{code_units} : code_units;
}

}  // namespace

void validate_utf8(std::string_view bytes) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  size_t n = bytes.size();
  size_t pos = 0;
  while (pos < n) {
    // Runs of ASCII, the common case, eight bytes at a time.
    while (pos + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + pos, 8);
      if (w & 0x8080808080808080ull) break;
      pos += 8;
    }
    if (pos >= n) break;
    char32_t cp;
    pos += CodePoints::decode_utf8(p, n, pos, cp);
  }
}

void validate_utf16le(std::string_view bytes) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  size_t n = bytes.size() / 2;
  for (size_t i = 0; i < n; ++i) {
    uint32_t u = p[2 * i] | (p[2 * i + 1] << 8);
    if (u < 0xD800 || u > 0xDFFF) continue;
    bool paired = u <= 0xDBFF && i + 1 < n;
    if (paired) {
      uint32_t l = p[2 * i + 2] | (p[2 * i + 3] << 8);
      paired = l >= 0xDC00 && l <= 0xDFFF;
    }
    trap_if(!paired, "invalid utf-16: lone surrogate found");
    ++i;
  }
  trap_if(bytes.size() % 2 != 0, "invalid utf-16: lone surrogate found");
}

StringValue load_string_from_range(LiftLowerContext& cx, uint32_t ptr, uint32_t tagged_code_units) {
  uint32_t alignment;
  uint64_t byte_length;
  Simple enc;
  switch (cx.opts.string_encoding) {
    case StringEncoding::Utf8:
      alignment = 1;
      byte_length = tagged_code_units;
      enc = Simple::Utf8;
      break;
    case StringEncoding::Utf16:
      // A set top bit is not a tag here: it just makes the length too large.
      alignment = 2;
      byte_length = 2 * uint64_t{tagged_code_units};
      enc = Simple::Utf16;
      break;
    case StringEncoding::Latin1Utf16:
    default:
      alignment = 2;
      if (tagged_code_units & UTF16_TAG) {
        byte_length = 2 * uint64_t{tagged_code_units ^ UTF16_TAG};
        enc = Simple::Utf16;
      } else {
        byte_length = tagged_code_units;
        enc = Simple::Latin1;
      }
      break;
  }
  trap_if(byte_length > MAX_STRING_BYTE_LENGTH,
          "string content out-of-bounds: length exceeds 2^28-1 bytes");
  trap_if(ptr != align_to(ptr, alignment), "unaligned pointer");
  GuestMemory& mem = cx.memory();
  trap_if(ptr + byte_length > mem.size(), "string content out-of-bounds");
  StringValue s;
  s.bytes.resize(byte_length);
  if (byte_length) mem.read(ptr, s.bytes.data(), static_cast<uint32_t>(byte_length));
  if (enc == Simple::Utf8) {
    validate_utf8(s.bytes);
  } else if (enc == Simple::Utf16) {
    validate_utf16le(s.bytes);
  }
  s.encoding = cx.opts.string_encoding;
  s.tagged_code_units = tagged_code_units;
  return s;
}

StringRange store_string_into_range(LiftLowerContext& cx, const StringValue& v) {
  Source src;
  src.bytes = v.bytes;
  switch (v.encoding) {
    case StringEncoding::Utf8:
      src.enc = Simple::Utf8;
      src.code_units = v.tagged_code_units;
      break;
    case StringEncoding::Utf16:
      src.enc = Simple::Utf16;
      src.code_units = v.tagged_code_units;
      break;
    case StringEncoding::Latin1Utf16:
    default:
      if (v.tagged_code_units & UTF16_TAG) {
        src.enc = Simple::Utf16;
        src.code_units = v.tagged_code_units ^ UTF16_TAG;
      } else {
        src.enc = Simple::Latin1;
        src.code_units = v.tagged_code_units;
      }
      break;
  }
  trap_if(expected_byte_length(src.enc, src.code_units) != v.bytes.size(),
          "internal error: string length does not match its bytes");

  switch (cx.opts.string_encoding) {
    case StringEncoding::Utf8:
      switch (src.enc) {
        case Simple::Utf8: return store_string_copy(cx, src, 1, 1, Simple::Utf8);
        case Simple::Utf16: return store_string_to_utf8(cx, src, 3 * uint64_t{src.code_units});
        case Simple::Latin1: return store_string_to_utf8(cx, src, 2 * uint64_t{src.code_units});
      }
      break;
    case StringEncoding::Utf16:
      switch (src.enc) {
        case Simple::Utf8: return store_utf8_to_utf16(cx, src);
        case Simple::Utf16:
        case Simple::Latin1: return store_string_copy(cx, src, 2, 2, Simple::Utf16);
      }
      break;
    case StringEncoding::Latin1Utf16:
      if (v.encoding != StringEncoding::Latin1Utf16) return store_string_to_latin1_or_utf16(cx, src);
      if (src.enc == Simple::Latin1) return store_string_copy(cx, src, 1, 2, Simple::Latin1);
      return store_probably_utf16_to_latin1_or_utf16(cx, src);
  }
  assert(false);
  return {0, 0};
}

// Host-made strings (value.h).

StringValue StringValue::from_utf8(std::string utf8) {
  StringValue s;
  s.tagged_code_units = checked_size(utf8.size());
  s.bytes = std::move(utf8);
  s.encoding = StringEncoding::Utf8;
  return s;
}

StringValue StringValue::from_utf16(std::u16string_view utf16) {
  StringValue s;
  s.tagged_code_units = checked_size(utf16.size());
  s.bytes.resize(2 * utf16.size());
  for (size_t i = 0; i < utf16.size(); ++i) {
    s.bytes[2 * i] = static_cast<char>(utf16[i] & 0xFF);
    s.bytes[2 * i + 1] = static_cast<char>(utf16[i] >> 8);
  }
  s.encoding = StringEncoding::Utf16;
  return s;
}

std::string StringValue::to_utf8() const {
  Source src;
  src.bytes = bytes;
  if (encoding == StringEncoding::Utf8) {
    src.enc = Simple::Utf8;
  } else if (encoding == StringEncoding::Utf16 || (tagged_code_units & UTF16_TAG)) {
    src.enc = Simple::Utf16;
  } else {
    src.enc = Simple::Latin1;
  }
  src.code_units = 0;  // unused by encode_utf8
  return encode_utf8(src);
}

}  // namespace cm
