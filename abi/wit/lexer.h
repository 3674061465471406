// The tokens of WIT text (WIT.md "Lexical structure"): identifiers (a leading `%` makes
// a keyword an identifier), keywords, punctuation, integers and semver versions; `//`
// and `/* */` comments (doc comments included) and whitespace are skipped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "wit/wit_error.h"

namespace cm::wit {

struct Token {
  enum class Kind : uint8_t {
    Id,       // `text` is the name, without `%`
    Keyword,  // `text` is the keyword
    Punct,    // `text` is one of { } ( ) < > , ; : . = / @ * or ->
    Integer,  // `text` is the digits
    Version,  // after `@`: the semver text
    End,
  };
  Kind kind = Kind::End;
  std::string text;
  Position pos;
  bool is(Kind k, std::string_view t) const { return kind == k && text == t; }
};

// The whole text as tokens, ending with one End token. Throws WitError on a character
// that starts no token or an unterminated comment.
std::vector<Token> tokenize(std::string_view text);

}  // namespace cm::wit
