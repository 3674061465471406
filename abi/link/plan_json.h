// Serializes an instantiation plan for the JS side (js/plan.mjs documents the shape).
#pragma once

#include <string>

#include "link/plan.h"

namespace cm::link {

std::string plan_to_json(const Plan& plan);

}  // namespace cm::link
