// WIT text -> ast::Document (WIT.md "Lexical structure" and the item grammars): the
// text's `package` declaration, interfaces, worlds and nested `package ... { }` blocks,
// with `use`, every typedef, functions (sync and async), resources with their members,
// and `import`/`export` of functions, inline interfaces and named interfaces. Feature
// gates (`@since(...)`, `@unstable(...)`, `@deprecated(...)`) are accepted and ignored.
// Not supported (a WitError says so): `include`, top-level `use`, `@external-id`, and a
// named interface imported under a plain name (`import a: b:c/d;`).
#pragma once

#include <string_view>

#include "wit/ast.h"

namespace cm::wit {

// Throws WitError (line:column) on a syntax error.
ast::Document parse_wit(std::string_view text);

}  // namespace cm::wit
