// The name rules of Explainer.md "Import and Export Definitions": kebab-case labels,
// plain names with [constructor]/[method]/[static] annotations, interface names with
// semver versions, the 🔗 version-suffix attribute, and strong uniqueness.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cm::validate {

// label ::= first-fragment ('-' fragment)*; a fragment is all-lowercase or all-uppercase
// letters and digits; the first starts with a letter.
bool is_kebab_label(std::string_view s);

// A valid semver (semver.org 2.0): major.minor.patch(-pre)?(+build)?. Returns "" if valid,
// else a short description of the first problem ("unexpected character 'x'", ...).
std::string semver_error(std::string_view s);

// A parsed externname.
struct ExternNameInfo {
  enum class Kind : uint8_t { Label, Constructor, Method, Static, Interface };
  Kind kind = Kind::Label;
  std::string resource;  // Constructor, Method, Static: the resource label
  std::string label;     // Label: the name; Method, Static: the function label
  // Interface: namespace:package/interface[@version]
  std::string interface_without_version;
  std::string version;  // empty: none
};

// Parses an externname. Throws CompileError(offset, rule) if it is not a valid plainname
// or interfacename.
ExternNameInfo parse_extern_name(std::string_view name, size_t offset);

// Checks that `name` is an interfacename (for the 🏷️ `implements` attribute).
void check_interface_name(std::string_view name, size_t offset);

// Checks a 🔗 `versionsuffix` attribute: the name must carry a canonversion and the
// version + suffix must be a valid semver.
void check_version_suffix(const ExternNameInfo& name, std::string_view suffix, size_t offset);

// The strong-uniqueness key of a name (Explainer.md "Name Uniqueness"): lowercase, then
// `[method]l.l`/`[static]l.l` become `l`, and annotations other than [constructor] are
// dropped. Two names conflict iff their keys are equal.
std::string strongly_unique_key(std::string_view name, const ExternNameInfo& info);

// A label of a record field, variant case, flag, enum case or parameter: non-empty and
// kebab case. `what` is e.g. "record field", used in the rule text.
void check_label(std::string_view label, const char* what, size_t offset);

}  // namespace cm::validate
