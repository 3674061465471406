// A component's imports and exports as JSON, with the names WIT gives its types: what
// JS needs to write TypeScript declarations for the component (js/tools/typescript.mjs),
// which maps these types to JS values the way the runtime does.
//
//   { "scopes":  [{kind: "world"|"interface"|"inline", name, exported, package, interface, version}],
//     "imports": [item], "exports": [item],
//     "types":   [type],              // referred to by index
//     "resources": [{id, scope, name, exported}]  // where each resource is defined
//   }
//   item: {name, kind: "func", func: {async, params: [{name, type}], result: type|null}}
//       | {name, kind: "interface", scope, items: [item]}
//       | {name, kind: "type", type} | {name, kind: "resource", resource}
//       | {name, kind: "other", what}
//   type: {kind (type_kind_name), definition?: {scope, name}, element?, length?,
//          fields?: [{name, type}], cases?: [{name, type|null}], labels?, resource?}
//
// `definition` is where a named type is defined (a `use` or a rename followed back to
// its definition), so that every reference to it can say one name.
#pragma once

#include <string>

#include "validate/component_types.h"

namespace cm::wit {

std::string world_to_json(const validate::ComponentTypeInfo& world);

}  // namespace cm::wit
