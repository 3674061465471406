// Turning the engine's exceptions into JS exceptions. Emscripten 3.1.6 cannot hand a C++
// exception's message to JS, so every bridge entry point that can fail runs its body
// through `guarded`, which catches cm::Trap / cm::CompileError, leaves the C++ catch block
// (so the exception object is freed), and then throws a JS error built by the JS side
// (Module.makeTrap / Module.makeCompileError, set by js/engine-loader.mjs).
#pragma once

#include <emscripten.h>

#include <exception>
#include <string>
#include <utility>

#include "util/trap.h"

namespace bridge {

[[noreturn]] void throw_js_error(int kind, const std::string& message);

enum ErrorKind : int { kTrap = 0, kCompileError = 1, kInternal = 2 };

template <class F>
auto guarded(F&& body) -> decltype(body()) {
  int kind;
  std::string message;
  try {
    return body();
  } catch (const cm::Trap& e) {
    kind = kTrap;
    message = e.what();
  } catch (const cm::CompileError& e) {
    kind = kCompileError;
    message = e.what();
  } catch (const std::exception& e) {
    kind = kInternal;
    message = e.what();
  }
  throw_js_error(kind, message);
}

}  // namespace bridge
