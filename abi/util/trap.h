// The two ways the engine reports failure. A Trap is the spec's trap(): a guest did
// something the Canonical ABI forbids, the current call fails and its instance is locked
// down. A CompileError is a component binary that is malformed or invalid; it carries the
// byte offset at which the problem was found. Both derive from std::runtime_error so that
// callers which do not care about the difference can catch one type.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace cm {

class Trap : public std::runtime_error {
 public:
  explicit Trap(const std::string& reason) : std::runtime_error(reason) {}
};

class CompileError : public std::runtime_error {
 public:
  CompileError(size_t offset, const std::string& rule)
      : std::runtime_error(rule + " (at byte offset " + std::to_string(offset) + ")"),
        offset_(offset),
        rule_(rule) {}
  size_t offset() const { return offset_; }
  const std::string& rule() const { return rule_; }

 private:
  size_t offset_;
  std::string rule_;
};

// trap_if(cond, reason): the guard line at the top of every spec operation.
inline void trap_if(bool condition, const char* reason) {
  if (condition) throw Trap(reason);
}
[[noreturn]] inline void trap(const std::string& reason) { throw Trap(reason); }

}  // namespace cm
