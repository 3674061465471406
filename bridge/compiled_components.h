// What the engine keeps of each compiled component after compileComponent, by id, until
// JS releases it (its Component is garbage): the validated world, to print its WIT on
// demand (engine_bindings.cpp), and the plan's types, so that an instantiation names a
// type by its index in the plan instead of describing it again (store_bindings.cpp).
#pragma once

#include <cstdint>
#include <vector>

#include "types/value_type.h"
#include "validate/component_types.h"

namespace bridge {

struct CompiledComponent {
  cm::validate::ComponentTypeRef world;
  std::vector<cm::TypeRef> types;  // the plan's "types", in order
};

// The compiled component `id`, or null when it was released (or never was).
const CompiledComponent* compiled_component(uint32_t id);

}  // namespace bridge
