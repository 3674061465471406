// The check both WIT fuzzers end with: WIT that our printer wrote must read back (parse,
// resolve) and print again to the same text. The printer is the only way a component's
// types reach WIT (component.wit(), the CLI's `wit`), and the bridge relies on printed
// imports reading back exactly (check_imports_against_wit), so a printed text that the
// parser refuses, or that means something else when read back, is a finding.
//
// The reprint must say what `printed` says: the same lines, blank lines aside, in the
// same order except for the world's items. That order differs on purpose: the printer
// keeps the component's order of imports, the resolver uses wit-component's (interfaces,
// then types, then functions; resolve.h), so a component that imports a function before
// an interface reads back with the two swapped (docs/fuzzing.md). And the reprint must be
// a fixed point: printing it once more changes nothing at all.
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

// The non-blank lines of a text, those of its first `world` block sorted (the world's
// items, in whichever order), the rest in place.
inline std::vector<std::string> comparable_lines(const std::string& text) {
  std::vector<std::string> out, world;
  bool in_world = false;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    if (line.rfind("world ", 0) == 0) {
      in_world = true;
      out.push_back(line);
    } else if (in_world && line == "}") {
      in_world = false;
      std::sort(world.begin(), world.end());
      out.insert(out.end(), world.begin(), world.end());
      out.push_back(line);
    } else {
      (in_world ? world : out).push_back(line);
    }
  }
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
