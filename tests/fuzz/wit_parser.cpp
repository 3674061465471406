// Fuzz target wit_parser: WIT text through the parser (wit/parser.h), name resolution
// (wit/resolve.h) and the printer (wit/printer.h), then the printed text read back and
// printed again, which must give the same text (wit_reprint.h). Hosts hand the engine
// WIT text of their own (the `wit` option of instantiate), so the parser and resolver see
// arbitrary input.
//
// Expected outcomes, not findings: wit::WitError (a text that does not parse or resolve)
// and wit::NoWitForm (a world the printer cannot write as WIT). Every world of the text is
// resolved by name, up to a few.
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "wit/ast.h"
#include "wit/parser.h"
#include "wit/printer.h"
#include "wit/resolve.h"
#include "wit/wit_error.h"
#include "wit_reprint.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  cm::wit::ast::Document document;
  try {
    document = cm::wit::parse_wit(text);
  } catch (const cm::wit::WitError&) {
    return 0;
  }
  std::set<std::string> worlds;
  for (const auto& package : document.packages)
    for (const auto& world : package.worlds)
      if (worlds.size() < 4) worlds.insert(world->name);
  for (const std::string& world : worlds) {
    std::string printed;
    try {
      printed = cm::wit::print_world(cm::wit::resolve_world(document, world));
    } catch (const cm::wit::WitError&) {
      continue;
    } catch (const cm::wit::NoWitForm&) {
      continue;
    }
    cm::fuzz::check_reprint(printed);
  }
  return 0;
}
