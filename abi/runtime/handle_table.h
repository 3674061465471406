// The spec's Table (CanonicalABI.md "Table State"; definitions.py class Table): the
// per-instance array that core code names handles by. Index 0 is never valid, freed slots
// are reused last-freed-first (LIFO; test/resources/handle-table.wast asserts the exact
// indices), and the length stays below 2^28 so that the top 4 bits of every index are free
// for packing (async-lower status, callback codes, stream progress).
//
// One table holds every kind of handle an instance has: resource handles now; error
// contexts; and with async (issue 3) subtasks, stream/future ends and waitable sets. Each
// element says which kind it is, so operations can check "index i names a ... " and trap
// otherwise. Elements are shared_ptr because some are referenced from elsewhere too (a lent
// handle from its borrow scope, an error-context from several tables).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "util/trap.h"

namespace cm {

enum class HandleKind : uint8_t {
  Resource,
  ErrorContext,
  // Async (issue 3):
  Subtask,
  WaitableSet,
  ReadableStreamEnd,
  WritableStreamEnd,
  ReadableFutureEnd,
  WritableFutureEnd,
};

const char* handle_kind_name(HandleKind kind);

// Base of everything a component instance's handle table can hold.
class HandleElement {
 public:
  explicit HandleElement(HandleKind kind) : kind_(kind) {}
  virtual ~HandleElement() = default;
  HandleKind kind() const { return kind_; }

 private:
  HandleKind kind_;
};

[[noreturn]] void trap_unknown_handle(uint32_t index);
[[noreturn]] void trap_table_full();

template <typename T>
class Table {
 public:
  static constexpr uint32_t MAX_LENGTH = (uint32_t{1} << 28) - 1;

  Table() : array_(1) {}

  // Traps "unknown handle index i" for 0, out-of-range and freed indices.
  const std::shared_ptr<T>& get(uint32_t i) const {
    if (i >= array_.size() || !array_[i]) trap_unknown_handle(i);
    return array_[i];
  }

  uint32_t add(std::shared_ptr<T> e) {
    uint32_t i;
    if (!free_.empty()) {
      i = free_.back();
      free_.pop_back();
    } else {
      i = static_cast<uint32_t>(array_.size());
      if (i > MAX_LENGTH) trap_table_full();
      array_.emplace_back();
    }
    array_[i] = std::move(e);
    return i;
  }

  std::shared_ptr<T> remove(uint32_t i) {
    std::shared_ptr<T> e = get(i);
    array_[i].reset();
    free_.push_back(i);
    return e;
  }

  // Number of slots including index 0 and free slots (the spec's len(array)).
  size_t capacity() const { return array_.size(); }
  // Number of live elements.
  size_t live() const { return array_.size() - 1 - free_.size(); }

  template <typename F>
  void for_each(F&& f) const {
    for (size_t i = 1; i < array_.size(); ++i) {
      if (array_[i]) f(static_cast<uint32_t>(i), *array_[i]);
    }
  }

 private:
  std::vector<std::shared_ptr<T>> array_;
  std::vector<uint32_t> free_;
};

using HandleTable = Table<HandleElement>;

}  // namespace cm
