#include "wit/identifiers.h"

namespace cm::wit {

namespace {

// The words wit-parser's lexer turns into keyword tokens (wasm-tools 0.259).
constexpr std::string_view kKeywords[] = {
    "use",      "type",     "func",     "u8",        "u16",         "u32",     "u64",
    "s8",       "s16",      "s32",      "s64",       "f32",         "f64",     "char",
    "resource", "own",      "borrow",   "record",    "flags",       "variant", "enum",
    "bool",     "string",   "option",   "result",    "future",      "stream",  "error-context",
    "list",     "map",      "_",        "as",        "from",        "static",  "interface",
    "tuple",    "world",    "import",   "export",    "package",     "constructor",
    "include",  "with",     "async"};

}  // namespace

bool is_keyword(std::string_view word) {
  for (std::string_view k : kKeywords)
    if (k == word) return true;
  return false;
}

std::string identifier(std::string_view name) {
  std::string out;
  if (is_keyword(name)) out += '%';
  out += name;
  return out;
}

std::string qualified_identifier(std::string_view name) {
  size_t at = name.find('@');
  std::string_view path = name.substr(0, at);
  std::string out;
  size_t start = 0;
  while (true) {
    size_t end = path.find_first_of(":/", start);
    out += identifier(path.substr(start, end == std::string_view::npos ? path.size() - start : end - start));
    if (end == std::string_view::npos) break;
    out += path[end];
    start = end + 1;
  }
  if (at != std::string_view::npos) out += name.substr(at);
  return out;
}

}  // namespace cm::wit
