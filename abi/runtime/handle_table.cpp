#include "runtime/handle_table.h"

#include <string>

namespace cm {

const char* handle_kind_name(HandleKind kind) {
  switch (kind) {
    case HandleKind::Resource: return "resource";
    case HandleKind::ErrorContext: return "error-context";
    case HandleKind::Subtask: return "subtask";
    case HandleKind::WaitableSet: return "waitable-set";
    case HandleKind::ReadableStreamEnd: return "readable stream end";
    case HandleKind::WritableStreamEnd: return "writable stream end";
    case HandleKind::ReadableFutureEnd: return "readable future end";
    case HandleKind::WritableFutureEnd: return "writable future end";
  }
  return "handle";
}

// Wasmtime's wording, which test/resources/handle-table.wast quotes.
void trap_unknown_handle(uint32_t index) {
  trap("unknown handle index " + std::to_string(index));
}

void trap_table_full() { trap("handle table full"); }

}  // namespace cm
