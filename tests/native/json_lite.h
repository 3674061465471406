// A minimal JSON reader for the test vectors (tests/native/vectors/*.json): enough of JSON
// for data we generate ourselves. Numbers are kept as their text so that 64-bit values
// survive exactly.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cm::testing {

struct Json {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  bool boolean = false;
  std::string text;  // String contents, or a Number's digits
  std::vector<Json> array;
  // An object's members, as two parallel lists: a vector of pair<string, Json> inside Json
  // itself does not compile with clang and libstdc++ (the pair of an incomplete type).
  std::vector<std::string> keys;
  std::vector<Json> values;

  bool is_null() const { return kind == Kind::Null; }
  bool is_string() const { return kind == Kind::String; }
  bool is_object() const { return kind == Kind::Object; }
  bool has(std::string_view key) const {
    for (const std::string& k : keys) {
      if (k == key) return true;
    }
    return false;
  }
  const Json& operator[](std::string_view key) const;
  const Json& operator[](size_t i) const { return array.at(i); }
  size_t size() const { return kind == Kind::Array ? array.size() : keys.size(); }
  // A number, or a string of decimal digits.
  uint64_t u64() const { return std::stoull(text); }
  int64_t i64() const { return std::stoll(text); }
};

inline const Json& Json::operator[](std::string_view key) const {
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == key) return values[i];
  }
  static const Json null;
  return null;
}

class JsonParser {
 public:
  explicit JsonParser(std::string_view s) : s_(s) {}

  Json parse() {
    Json v = value();
    skip_ws();
    if (i_ != s_.size()) fail("trailing characters");
    return v;
  }

 private:
  std::string_view s_;
  size_t i_ = 0;

  [[noreturn]] void fail(const char* what) {
    throw std::runtime_error(std::string("json: ") + what + " at " + std::to_string(i_));
  }
  void skip_ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
  }
  bool eat(char c) {
    skip_ws();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!eat(c)) fail("unexpected character");
  }

  std::string string() {
    expect('"');
    std::string out;
    while (i_ < s_.size() && s_[i_] != '"') {
      char c = s_[i_++];
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      char e = s_[i_++];
      switch (e) {
        case 'n': out.push_back('\n'); break;
        case 't': out.push_back('\t'); break;
        case 'r': out.push_back('\r'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'u': {
          unsigned cp = std::stoul(std::string(s_.substr(i_, 4)), nullptr, 16);
          i_ += 4;
          if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
          } else if (cp < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          } else {
            out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          }
          break;
        }
        default: out.push_back(e); break;
      }
    }
    expect('"');
    return out;
  }

  Json value() {
    skip_ws();
    if (i_ >= s_.size()) fail("unexpected end");
    Json v;
    char c = s_[i_];
    if (c == '{') {
      ++i_;
      v.kind = Json::Kind::Object;
      if (eat('}')) return v;
      do {
        skip_ws();
        std::string k = string();
        expect(':');
        v.keys.push_back(std::move(k));
        v.values.push_back(value());
      } while (eat(','));
      expect('}');
    } else if (c == '[') {
      ++i_;
      v.kind = Json::Kind::Array;
      if (eat(']')) return v;
      do {
        v.array.push_back(value());
      } while (eat(','));
      expect(']');
    } else if (c == '"') {
      v.kind = Json::Kind::String;
      v.text = string();
    } else if (s_.substr(i_, 4) == "true") {
      i_ += 4;
      v.kind = Json::Kind::Bool;
      v.boolean = true;
    } else if (s_.substr(i_, 5) == "false") {
      i_ += 5;
      v.kind = Json::Kind::Bool;
    } else if (s_.substr(i_, 4) == "null") {
      i_ += 4;
    } else {
      v.kind = Json::Kind::Number;
      size_t start = i_;
      while (i_ < s_.size() && (isdigit(static_cast<unsigned char>(s_[i_])) || s_[i_] == '-' ||
                                s_[i_] == '+' || s_[i_] == '.' || s_[i_] == 'e' || s_[i_] == 'E')) {
        ++i_;
      }
      if (start == i_) fail("bad value");
      v.text = std::string(s_.substr(start, i_ - start));
    }
    return v;
  }
};

}  // namespace cm::testing
