// A minimal streaming JSON writer: the engine hands structured results (instantiation
// plans, type descriptions, WIT) to JS as one JSON string per call, which is cheaper than
// building JS objects field by field across the embind boundary.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cm {

class JsonWriter {
 public:
  JsonWriter& begin_object() { separate(); out_ += '{'; first_.push_back(true); return *this; }
  JsonWriter& end_object() { out_ += '}'; first_.pop_back(); return *this; }
  JsonWriter& begin_array() { separate(); out_ += '['; first_.push_back(true); return *this; }
  JsonWriter& end_array() { out_ += ']'; first_.pop_back(); return *this; }

  // The next value is the member `name` of the current object.
  JsonWriter& key(std::string_view name) {
    separate();
    write_string(name);
    out_ += ':';
    after_key_ = true;
    return *this;
  }

  JsonWriter& value(std::string_view s) { separate(); write_string(s); return *this; }
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b) { separate(); out_ += b ? "true" : "false"; return *this; }
  JsonWriter& value(uint64_t n) { separate(); out_ += std::to_string(n); return *this; }
  JsonWriter& value(uint32_t n) { return value(static_cast<uint64_t>(n)); }
  JsonWriter& value(int64_t n) { separate(); out_ += std::to_string(n); return *this; }
  JsonWriter& value(int n) { return value(static_cast<int64_t>(n)); }
  JsonWriter& null() { separate(); out_ += "null"; return *this; }

  template <class T>
  JsonWriter& member(std::string_view name, const T& v) { key(name); return value(v); }

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  std::vector<bool> first_;
  bool after_key_ = false;

  void separate() {
    if (after_key_) { after_key_ = false; return; }
    if (first_.empty()) return;
    if (first_.back()) first_.back() = false;
    else out_ += ',';
  }

  void write_string(std::string_view s) {
    static const char* hex = "0123456789abcdef";
    out_ += '"';
    for (unsigned char c : s) {
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default:
          if (c < 0x20) {
            out_ += "\\u00";
            out_ += hex[c >> 4];
            out_ += hex[c & 15];
          } else {
            out_ += static_cast<char>(c);  // UTF-8 passes through unchanged
          }
      }
    }
    out_ += '"';
  }
};

}  // namespace cm
