#include "js_errors.h"

// Builds and throws the JS error. The JS side installs the constructors; without them (a
// bare engine in a test) a plain Error carries the message.
EM_JS(void, cm_throw_js_error, (int kind, const char* message), {
  const text = UTF8ToString(message);
  const make = kind === 0 ? Module["makeTrap"] : kind === 1 ? Module["makeCompileError"] : undefined;
  throw make ? make(text) : new Error(text);
});

namespace bridge {

void throw_js_error(int kind, const std::string& message) {
  cm_throw_js_error(kind, message.c_str());
  __builtin_unreachable();
}

}  // namespace bridge
