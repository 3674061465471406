// WIT identifiers: the keywords of the WIT text format, and the `%` escape that lets a
// keyword be used as a name (WIT.md "Identifiers": `%variant: func(%enum: s32);`).
// Component names are already kebab case, so escaping is the only change a name needs
// to become a WIT identifier.
#pragma once

#include <string>
#include <string_view>

namespace cm::wit {

// Whether `word` is one of WIT's keywords (including type names such as `u32`, `list`,
// `error-context`, and `_`).
bool is_keyword(std::string_view word);

// `name` as a WIT identifier: `%name` for a keyword, `name` otherwise.
std::string identifier(std::string_view name);

// A package or interface name (`ns:pkg`, `ns:pkg/iface@1.0.0`, nested `ns:a:b/c`) with
// every name segment escaped as an identifier (`%bool:host/things`); the version after
// `@` is left as it is.
std::string qualified_identifier(std::string_view name);

}  // namespace cm::wit
