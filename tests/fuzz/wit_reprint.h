// The check both WIT fuzzers end with: WIT that our printer wrote must read back (parse,
// resolve) and print again to the same text. The printer is the only way a component's
// types reach WIT (component.wit(), the CLI's `wit`), and the bridge relies on printed
// imports reading back exactly (check_imports_against_wit), so a printed text that the
// parser refuses, or that means something else when read back, is a finding.
//
// The reprint must say what `printed` says: the same lines, blank lines aside, in any
// order. The order of items differs on purpose: the printer keeps the component's order
// (of its imports, of an instance's exports), the resolver uses wit-component's (in a
// world: interfaces, then types, then functions; in an interface: types, then functions;
// resolve.h), so a component that imports a function before an interface, or whose
// instance exports a type after a function, reads back with them swapped
// (docs/fuzzing.md). And the reprint must be a fixed point: printing it once more changes
// nothing at all, order included.
//
// When `printed` holds `//` lines, they say what WIT cannot express (a core module export,
// a function of a resource defined elsewhere, exported types); a text read back has lost
// them, so then only the fixed point is checked.
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "wit/parser.h"
#include "wit/printer.h"
#include "wit/resolve.h"
#include "wit/wit_error.h"

namespace cm::fuzz {

[[noreturn]] inline void wit_failure(const char* what, const std::string& a, const std::string& b) {
  std::fprintf(stderr, "FUZZ CHECK FAILED: %s\n--- printed:\n%s\n--- then:\n%s\n", what, a.c_str(), b.c_str());
  std::abort();
}

// Parses, resolves (the text's only world, as printed) and prints `text`.
inline std::string reprint(const std::string& text) {
  try {
    return wit::print_world(wit::resolve_world(wit::parse_wit(text)));
  } catch (const wit::WitError& e) {
    wit_failure("printed WIT does not read back", text, e.what());
  } catch (const wit::NoWitForm& e) {
    wit_failure("printed WIT reads back to a world with no WIT form", text, e.what());
  }
}

inline bool has_comment_lines(const std::string& text) {
  return text.rfind("//", 0) == 0 || text.find("\n//") != std::string::npos || text.find(" //") != std::string::npos;
}

// The non-blank lines of a text, sorted.
inline std::vector<std::string> comparable_lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline void check_reprint(const std::string& printed) {
  std::string second = reprint(printed);
  if (!has_comment_lines(printed) && comparable_lines(second) != comparable_lines(printed)) {
    wit_failure("printed WIT prints differently once read back", printed, second);
  }
  std::string third = reprint(second);
  if (third != second) wit_failure("printed WIT (read back once) prints differently when read back again", second, third);
}

}  // namespace cm::fuzz
