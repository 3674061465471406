// The embind surface of the engine: a few coarse entry points, no logic. Results that are
// structures travel as one JSON string; failures are reported inside that JSON rather
// than as C++ exceptions, whose messages Emscripten 3.1.6 cannot hand to JS.
#include <emscripten/bind.h>

#include <cstdint>
#include <span>
#include <string>

#include "binary/reader.h"
#include "link/plan_json.h"
#include "link/planner.h"
#include "validate/validator.h"
#include "util/json_writer.h"
#include "wit/printer.h"
#include "wit/world_json.h"
#include "util/trap.h"

namespace {

std::string error_json(const char* kind, const std::string& message, int64_t offset) {
  cm::JsonWriter w;
  w.begin_object().key("error").begin_object().member("kind", kind).member("message", message);
  if (offset >= 0) w.member("offset", offset);
  w.end_object().end_object();
  return w.take();
}

cm::validate::ValidatedComponent validate(const cm::binary::Component& component, std::span<const uint8_t> bytes) {
  // The spec's own test suite (snapshot 6d28164) still sets the `cancellable` byte, and
  // stackful async lifts run where JSPI exists; both are accepted here and checked at
  // run time.
  cm::validate::ValidateOptions options;
  options.allow_legacy_cancellable = true;
  options.allow_async_stackful = true;
  return cm::validate::validate_component(component, bytes, options);
}

// The component's imports and exports as WIT (wit/printer.h), as a JSON member. Printing
// cannot fail on a valid component, but if it did, compiling still succeeds and only
// component.wit() reports it.
std::string wit_member(const cm::validate::ValidatedComponent& validated) {
  cm::JsonWriter w;
  try {
    w.value(cm::wit::print_world(*validated.type));
    return "\"wit\":" + w.take();
  } catch (const std::exception& e) {
    w.value(e.what());
    return "\"witError\":" + w.take();
  }
}

// Decodes, validates and links a component binary that JS has copied into the engine's
// memory at [ptr, ptr + length). Returns {"plan": the instantiation plan
// (link/plan_json.h), "wit": its WIT text} or {"error": {kind, message, offset}}.
std::string compile_component(uintptr_t ptr, size_t length) {
  std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(ptr), length);
  try {
    cm::binary::Component component = cm::binary::read_component(bytes);
    cm::validate::ValidatedComponent validated = validate(component, bytes);
    cm::link::Plan plan = cm::link::plan_component(component);
    return "{\"plan\":" + cm::link::plan_to_json(plan) + "," + wit_member(validated) + "}";
  } catch (const cm::CompileError& e) {
    return error_json("compile", e.what(), static_cast<int64_t>(e.offset()));
  } catch (const std::exception& e) {
    return error_json("internal", e.what(), -1);
  }
}

// What tools need to describe a component (the CLI's `wit` and `types`): {"wit": its
// WIT text, "world": its imports and exports with their type names (wit/world_json.h)},
// or {"error": ...} as compile_component.
std::string describe_component(uintptr_t ptr, size_t length) {
  std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(ptr), length);
  try {
    cm::binary::Component component = cm::binary::read_component(bytes);
    cm::validate::ValidatedComponent validated = validate(component, bytes);
    return "{\"world\":" + cm::wit::world_to_json(*validated.type) + "," + wit_member(validated) + "}";
  } catch (const cm::CompileError& e) {
    return error_json("compile", e.what(), static_cast<int64_t>(e.offset()));
  } catch (const std::exception& e) {
    return error_json("internal", e.what(), -1);
  }
}

std::string engine_version() { return "0.1.0"; }

}  // namespace

EMSCRIPTEN_BINDINGS(cmbridge_engine) {
  emscripten::function("engineVersion", &engine_version);
  emscripten::function("compileComponent", &compile_component);
  emscripten::function("describeComponent", &describe_component);
}
