// A WIT text that does not parse or does not resolve (an unknown name, a duplicate, a
// type that refers to itself): the message says where, as line:column.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace cm::wit {

class WitError : public std::runtime_error {
 public:
  WitError(size_t line, size_t column, const std::string& message)
      : std::runtime_error("WIT " + std::to_string(line) + ":" + std::to_string(column) + ": " + message),
        line_(line),
        column_(column) {}
  size_t line() const { return line_; }
  size_t column() const { return column_; }

 private:
  size_t line_;
  size_t column_;
};

// Where a token or node starts in the text.
struct Position {
  size_t line = 1;
  size_t column = 1;
};

[[noreturn]] inline void fail_at(Position p, const std::string& message) { throw WitError(p.line, p.column, message); }

}  // namespace cm::wit
