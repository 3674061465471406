// Serializes an instantiation plan for the JS side (js/plan.mjs documents the shape).
#pragma once

#include <string>

#include "link/plan.h"

namespace cm::link {

std::string plan_to_json(const Plan& plan);

// The spec's name of a value type kind as the JS side spells it ("u32", "list", ...).
const char* type_kind_name(TypeKind kind);

}  // namespace cm::link
