// The linker: turns a decoded (and validated) component into a flat instantiation plan
// (plan.h) by inlining every nested component instantiation.
#pragma once

#include "binary/ast.h"
#include "link/plan.h"

namespace cm::link {

// Throws cm::CompileError for what the plan cannot express (for instance a component
// that imports a core module or a component from the host, or uses value imports).
Plan plan_component(const binary::Component& root);

}  // namespace cm::link
