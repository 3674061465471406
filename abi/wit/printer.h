// The WIT printer: a component's imports and exports as a WIT world, from the types the
// validator resolved (validate::ComponentTypeInfo), not from any WIT the producer may
// have embedded.
//
// The output reads like `wasm-tools component wit`: a `package root:component;` with one
// `world root { ... }` of `import`/`export` items, followed by one nested `package ns:pkg
// { interface iface { ... } }` block per package of the named interfaces it imports or
// exports, so that every type's definition is printed (wasm-tools prints only the world).
// Instances with plain names are printed inline (`import clock: interface { ... }`).
// What WIT cannot say is printed as a `//` comment: a component or core module import or
// export, an instance nested in an interface, and types or resource functions exported at
// the top level of a component (WIT worlds export only functions and interfaces; the
// types are printed where a world's items would declare them, under a comment).
// Two shapes have no WIT form at all, not even as a comment, because the items that
// follow would name a type the text cannot reach: an interface whose types refer to a
// type the world itself defines (WIT interfaces cannot `use` a world's types), and an
// item that refers to a resource of an instance nested in an instance (the nested
// instance is only a comment). Such a component is valid and runs; printing its WIT
// throws NoWitForm, which says why.
#pragma once

#include <stdexcept>
#include <string>

#include "validate/component_types.h"

namespace cm::wit {

class NoWitForm : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PrintOptions {
  std::string package = "root:component";
  std::string world = "root";
};

std::string print_world(const validate::ComponentTypeInfo& world, const PrintOptions& options = {});

}  // namespace cm::wit
