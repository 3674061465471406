// Checks a component's imports against the imports a host declared in WIT: every
// function the component imports (at the top level, or in an imported interface) must be
// declared with the same type: sync or async, parameter names and types, result. Types
// compare by structure (record fields, variant cases, enum and flags labels, in order);
// resources by identity, each resource of the component standing for one declared
// resource throughout. Types named by imports are checked where functions use them. The
// WIT may declare more than the component imports.
#pragma once

#include <string>

#include "validate/component_types.h"

namespace cm::wit {

// "" when the component's imports match the declared ones, else the first mismatch as a
// sentence naming the import ("import `log`: parameter 1 is named `message` in the
// component but `msg` in the WIT").
std::string check_imports(const validate::ComponentTypeInfo& component, const validate::ComponentTypeInfo& declared);

}  // namespace cm::wit
