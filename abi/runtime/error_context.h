// An error-context (📝): an immutable value that several instances may hold handles to at
// once (CanonicalABI.md "canon error-context.new"; definitions.py class ErrorContext).
// Lifting one does not remove the sender's handle; lowering adds the same object under a
// fresh index in the receiver's table.
#pragma once

#include <string>

#include "runtime/handle_table.h"

namespace cm {

struct ErrorContext final : HandleElement {
  ErrorContext() : HandleElement(HandleKind::ErrorContext) {}
  explicit ErrorContext(std::string message)
      : HandleElement(HandleKind::ErrorContext), debug_message(std::move(message)) {}
  // Host-defined; the deterministic profile always keeps it empty.
  std::string debug_message;
};

}  // namespace cm
