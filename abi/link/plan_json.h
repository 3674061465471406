// Serializes an instantiation plan for the JS side (js/plan.mjs documents the shape).
#pragma once

#include <string>
#include <vector>

#include "link/plan.h"

namespace cm::link {

// `types`, if given, receives the plan's types in the order of the JSON's "types" array (a
// host that keeps them can name a type by its index later, instead of describing it again).
std::string plan_to_json(const Plan& plan, std::vector<TypeRef>* types = nullptr);

}  // namespace cm::link
