// Fuzz target component_binary: a component binary through everything the engine does
// with one at compile time, in the order bridge/engine_bindings.cpp (compile_component,
// describe_component) chains it: decode (binary/reader.h), validate (with the bridge's
// options), plan the instantiation (link/planner.h) and write the plan as JSON, describe
// the world as JSON (wit/world_json.h), and print its WIT (wit/printer.h), the whole world
// and its imports alone.
//
// Expected outcomes, not findings: cm::CompileError (a malformed or invalid binary, or one
// the planner cannot express), and wit::NoWitForm from the printer (a valid component
// whose interface refers to a type of the world: it has no WIT text). Anything else that
// escapes is a finding, as is every sanitizer report and any printed WIT that does not
// read back to the same text (wit_reprint.h).
#include <cstdint>
#include <span>
#include <string>

#include "binary/reader.h"
#include "link/plan_json.h"
#include "link/planner.h"
#include "util/trap.h"
#include "validate/validator.h"
#include "wit/printer.h"
#include "wit/world_json.h"
#include "wit_reprint.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  cm::validate::ValidatedComponent validated;
  try {
    cm::binary::Component component = cm::binary::read_component(bytes);
    // As the bridge: the spec suite's legacy `cancellable` byte and stackful async lifts
    // are accepted at compile time.
    cm::validate::ValidateOptions options;
    options.allow_legacy_cancellable = true;
    options.allow_async_stackful = true;
    validated = cm::validate::validate_component(component, bytes, options);
    cm::link::Plan plan = cm::link::plan_component(component);
    cm::link::plan_to_json(plan);
  } catch (const cm::CompileError&) {
    return 0;
  }
  cm::wit::world_to_json(*validated.type);

  std::string wit;
  try {
    wit = cm::wit::print_world(*validated.type);
  } catch (const cm::wit::NoWitForm&) {
    return 0;
  }
  cm::fuzz::check_reprint(wit);

  // The imports alone, as the bridge prints them for check_imports_against_wit: a world of
  // imports only must read back exactly.
  cm::validate::ComponentTypeInfo imports;
  imports.imports = validated.type->imports;
  std::string imports_wit = cm::wit::print_world(imports);
  cm::fuzz::check_reprint(imports_wit);
  return 0;
}
