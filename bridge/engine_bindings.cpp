// The embind surface of the engine: a few coarse entry points, no logic. Results that are
// structures travel as one JSON string; failures are reported inside that JSON rather
// than as C++ exceptions, whose messages Emscripten 3.1.6 cannot hand to JS.
#include <emscripten/bind.h>

#include <malloc.h>

#include <cstdint>
#include <map>
#include <span>
#include <string>

#include "binary/reader.h"
#include "compiled_components.h"
#include "link/plan_json.h"
#include "link/planner.h"
#include "validate/validator.h"
#include "util/json_writer.h"
#include "wit/import_check.h"
#include "wit/parser.h"
#include "wit/printer.h"
#include "wit/resolve.h"
#include "wit/wit_error.h"
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

// The component's imports and exports as WIT (wit/printer.h), as JSON members: "wit",
// all of it, for component.wit(); "importsWit", its imports alone, which
// check_imports_against_wit reads back (a world of imports only has no item WIT cannot
// say, so it reads back to exactly the component's import types). Printing fails only for
// a component that has no WIT form (wit::NoWitForm: an interface that refers to a type of
// the world itself); compiling still succeeds and only component.wit() (or a `wit` option
// of instantiate) reports it.
std::string wit_members(const cm::validate::ComponentTypeInfo& type) {
  cm::JsonWriter w;
  try {
    cm::validate::ComponentTypeInfo imports;
    imports.imports = type.imports;
    w.begin_object()
        .member("wit", cm::wit::print_world(type))
        .member("importsWit", cm::wit::print_world(imports))
        .end_object();
  } catch (const std::exception& e) {
    w = cm::JsonWriter();
    w.begin_object().member("witError", e.what()).end_object();
  }
  std::string members = w.take();
  return members.substr(1, members.size() - 2);  // without the braces
}

// Checks a component's imports (its "importsWit") against the imports a host declared
// in WIT text, in world `world` (or the text's only world). Returns {} when they match,
// {"mismatch": sentence} when they do not, {"error": {kind: "wit", message}} when the
// declared text does not parse or resolve, {"error": {kind: "unreadable", message}} when
// the component's imports have no WIT form to compare.
std::string check_imports_against_wit(const std::string& imports_wit, const std::string& declared_wit,
                                      const std::string& world) {
  cm::validate::ComponentTypeInfo component;
  try {
    component = cm::wit::resolve_world(cm::wit::parse_wit(imports_wit));
  } catch (const std::exception& e) {
    // An import WIT cannot express (a resource of an instance nested in an instance):
    // such a component's imports cannot be checked against WIT at all.
    return error_json("unreadable", e.what(), -1);
  }
  cm::validate::ComponentTypeInfo declared;
  try {
    declared = cm::wit::resolve_world(cm::wit::parse_wit(declared_wit), world);
  } catch (const cm::wit::WitError& e) {
    return error_json("wit", e.what(), -1);
  }
  std::string mismatch = cm::wit::check_imports(component, declared);
  cm::JsonWriter w;
  w.begin_object();
  if (!mismatch.empty()) w.member("mismatch", mismatch);
  w.end_object();
  return w.take();
}

// Decodes, validates and links a component binary that JS has copied into the engine's
// memory at [ptr, ptr + length). Returns {"plan": the instantiation plan
// (link/plan_json.h), "wit", "importsWit": its WIT text} or {"error": {kind, message,
// offset}}.
// The compiled components (compiled_components.h). Printing WIT is a fifth of compiling a
// component that imports WASI, and most users never ask: compile_component keeps the
// validated world instead, and component_wit prints it on demand. A ComponentTypeInfo and
// the types own everything they refer to (no views into the component's bytes), so they
// outlive them.
std::map<uint32_t, bridge::CompiledComponent> compiled;
uint32_t next_compiled = 1;

std::string compile_component(uintptr_t ptr, size_t length) {
  std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(ptr), length);
  try {
    cm::binary::Component component = cm::binary::read_component(bytes);
    cm::validate::ValidatedComponent validated = validate(component, bytes);
    cm::link::Plan plan = cm::link::plan_component(component);
    bridge::CompiledComponent kept{validated.type, {}};
    std::string plan_json = cm::link::plan_to_json(plan, &kept.types);
    uint32_t id = next_compiled++;
    compiled.emplace(id, std::move(kept));
    return "{\"plan\":" + plan_json + ",\"world\":" + std::to_string(id) + "}";
  } catch (const cm::CompileError& e) {
    return error_json("compile", e.what(), static_cast<int64_t>(e.offset()));
  } catch (const std::exception& e) {
    return error_json("internal", e.what(), -1);
  }
}

// {"wit": ..., "importsWit": ...} or {"witError": ...} of a compiled component.
std::string component_wit(uint32_t id) {
  auto it = compiled.find(id);
  if (it == compiled.end()) return "{\"witError\":\"internal error: the compiled component was released\"}";
  return "{" + wit_members(*it->second.world) + "}";
}

void release_world(uint32_t id) { compiled.erase(id); }

// How many compiled components are kept (for tests: none leaks).
uint32_t kept_worlds() { return static_cast<uint32_t>(compiled.size()); }

// What tools need to describe a component (the CLI's `wit` and `types`): {"wit": its
// WIT text, "world": its imports and exports with their type names (wit/world_json.h)},
// or {"error": ...} as compile_component.
std::string describe_component(uintptr_t ptr, size_t length) {
  std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(ptr), length);
  try {
    cm::binary::Component component = cm::binary::read_component(bytes);
    cm::validate::ValidatedComponent validated = validate(component, bytes);
    return "{\"world\":" + cm::wit::world_to_json(*validated.type) + "," + wit_members(*validated.type) + "}";
  } catch (const cm::CompileError& e) {
    return error_json("compile", e.what(), static_cast<int64_t>(e.offset()));
  } catch (const std::exception& e) {
    return error_json("internal", e.what(), -1);
  }
}

std::string engine_version() { return "0.1.0"; }

// Bytes the engine's allocator has handed out and not yet had back (dlmalloc's
// uordblks): what the soak benchmark (tests/soak) watches for leaks per operation.
double heap_in_use() { return static_cast<double>(mallinfo().uordblks); }

}  // namespace

namespace bridge {

const CompiledComponent* compiled_component(uint32_t id) {
  auto it = compiled.find(id);
  return it == compiled.end() ? nullptr : &it->second;
}

}  // namespace bridge

EMSCRIPTEN_BINDINGS(cmbridge_engine) {
  emscripten::function("engineVersion", &engine_version);
  emscripten::function("heapInUse", &heap_in_use);
  emscripten::function("compileComponent", &compile_component);
  emscripten::function("componentWit", &component_wit);
  emscripten::function("releaseWorld", &release_world);
  emscripten::function("keptWorlds", &kept_worlds);
  emscripten::function("describeComponent", &describe_component);
  emscripten::function("checkImportsAgainstWit", &check_imports_against_wit);
}
