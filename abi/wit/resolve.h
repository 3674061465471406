// Name resolution of parsed WIT (ast.h): one world of a document becomes the component
// type it describes, in the validator's terms (validate::ComponentTypeInfo), so that the
// rest of the engine can compare it with a component's own type (import_check.h) or
// print it (printer.h).
//
// It is built as wit-component would encode the world: an interface is an instance
// type whose exports are its types (a `use`d type is a name of its own that renames the
// used one: TypeInfo::named_from; a used resource keeps its ResourceTypeId under a new
// type index) and its functions, resource members desugared to `[constructor]r`,
// `[method]r.m` (with `self: borrow<r>`) and `[static]r.m`. The world's own types and
// uses are type imports. As wit-parser elaborates a world, an interface that the world's
// interfaces (or its own `use`s) refer to is imported even when the text does not say so,
// ahead of the interface that needs it, unless the world exports it. Resources are numbered from 0 in the order they are defined.
// Beyond WIT, a world's `use name.{t}` may name an interface the world defines inline (the
// printer writes that when a world's function uses such an interface's type).
#pragma once

#include <string_view>

#include "validate/component_types.h"
#include "wit/ast.h"

namespace cm::wit {

// The world named `world` (or, when `world` is empty, the document's only world).
// Throws WitError on an unknown or duplicate name, a type that refers to itself, or a
// world that is missing or ambiguous.
validate::ComponentTypeInfo resolve_world(const ast::Document& document, std::string_view world = {});

}  // namespace cm::wit
