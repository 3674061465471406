// A tiny byte builder for hand-made component binaries in tests: LEB128 integers, names,
// sections with their sizes computed, and the two preambles.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace cm::testing {

class Bytes {
 public:
  Bytes() = default;
  Bytes(std::initializer_list<uint8_t> b) : b_(b) {}

  Bytes& u8(uint8_t v) {
    b_.push_back(v);
    return *this;
  }
  Bytes& raw(std::initializer_list<uint8_t> v) {
    b_.insert(b_.end(), v.begin(), v.end());
    return *this;
  }
  Bytes& raw(const std::string& s) {
    b_.insert(b_.end(), s.begin(), s.end());
    return *this;
  }
  Bytes& append(const Bytes& o) {
    b_.insert(b_.end(), o.b_.begin(), o.b_.end());
    return *this;
  }
  // Unsigned LEB128, shortest form.
  Bytes& u32(uint64_t v) {
    do {
      uint8_t byte = v & 0x7f;
      v >>= 7;
      if (v) byte |= 0x80;
      b_.push_back(byte);
    } while (v);
    return *this;
  }
  // Signed LEB128, shortest form.
  Bytes& s64(int64_t v) {
    bool more = true;
    while (more) {
      uint8_t byte = v & 0x7f;
      v >>= 7;
      more = !((v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40)));
      if (more) byte |= 0x80;
      b_.push_back(byte);
    }
    return *this;
  }
  // core:name: LEB length + bytes.
  Bytes& name(const std::string& s) {
    u32(s.size());
    return raw(s);
  }
  // A section: id, LEB size, content.
  Bytes& section(uint8_t id, const Bytes& content) {
    u8(id);
    u32(content.size());
    return append(content);
  }

  const std::vector<uint8_t>& bytes() const { return b_; }
  size_t size() const { return b_.size(); }
  operator const std::vector<uint8_t>&() const { return b_; }

 private:
  std::vector<uint8_t> b_;
};

inline Bytes component_preamble() { return Bytes{0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00}; }
inline Bytes module_preamble() { return Bytes{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}; }

// A component made of the given sections (each already framed with Bytes::section).
inline Bytes component(std::initializer_list<Bytes> sections) {
  Bytes b = component_preamble();
  for (const Bytes& s : sections) b.append(s);
  return b;
}

inline Bytes section(uint8_t id, const Bytes& content) { return Bytes().section(id, content); }

}  // namespace cm::testing
