#include "wit/lexer.h"

#include "validate/names.h"
#include "wit/identifiers.h"

namespace cm::wit {

namespace {

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_id_char(char c) { return is_letter(c) || is_digit(c) || c == '-'; }
bool is_version_char(char c) { return is_id_char(c) || c == '.' || c == '+'; }

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  std::vector<Token> run() {
    std::vector<Token> out;
    for (;;) {
      skip_space_and_comments();
      Token t;
      t.pos = pos_;
      if (i_ >= text_.size()) {
        out.push_back(t);
        return out;
      }
      char c = text_[i_];
      bool after_at = !out.empty() && out.back().is(Token::Kind::Punct, "@");
      if (after_at && is_digit(c)) {
        // A semver; it cannot end with `.`, which is left for `use a:b/c@1.0.0.{x}`.
        size_t start = i_;
        while (i_ < text_.size() && is_version_char(text_[i_])) advance();
        while (i_ > start + 1 && text_[i_ - 1] == '.') back();
        t.kind = Token::Kind::Version;
        t.text = std::string(text_.substr(start, i_ - start));
      } else if (c == '%' || is_letter(c) || c == '_') {
        bool escaped = c == '%';
        if (escaped) advance();
        size_t start = i_;
        if (c == '_' && !escaped) {
          advance();
        } else {
          if (i_ >= text_.size() || !is_letter(text_[i_])) fail_at(t.pos, "expected an identifier after `%`");
          while (i_ < text_.size() && is_id_char(text_[i_])) advance();
        }
        t.text = std::string(text_.substr(start, i_ - start));
        // Identifiers are kebab-case labels, as the component's names they become must be
        // (validate/names.h): `Gype` would turn into a name no component may have.
        if (t.text != "_" && !validate::is_kebab_label(t.text))
          fail_at(t.pos, "`" + t.text + "` is not a valid identifier (words of all-lowercase or all-uppercase letters and digits, joined by `-`)");
        t.kind = !escaped && is_keyword(t.text) ? Token::Kind::Keyword : Token::Kind::Id;
      } else if (is_digit(c)) {
        size_t start = i_;
        while (i_ < text_.size() && is_digit(text_[i_])) advance();
        t.kind = Token::Kind::Integer;
        t.text = std::string(text_.substr(start, i_ - start));
      } else if (c == '-' && i_ + 1 < text_.size() && text_[i_ + 1] == '>') {
        advance();
        advance();
        t.kind = Token::Kind::Punct;
        t.text = "->";
      } else if (std::string_view("{}()<>,;:.=/@*").find(c) != std::string_view::npos) {
        advance();
        t.kind = Token::Kind::Punct;
        t.text = std::string(1, c);
      } else {
        fail_at(t.pos, std::string("unexpected character `") + c + "`");
      }
      out.push_back(std::move(t));
    }
  }

 private:
  std::string_view text_;
  size_t i_ = 0;
  Position pos_;

  void advance() {
    if (text_[i_] == '\n') {
      ++pos_.line;
      pos_.column = 1;
    } else {
      ++pos_.column;
    }
    ++i_;
  }

  // Only ever steps back over a character of the current line.
  void back() {
    --i_;
    --pos_.column;
  }

  void skip_space_and_comments() {
    while (i_ < text_.size()) {
      char c = text_[i_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        advance();
      } else if (c == '/' && i_ + 1 < text_.size() && text_[i_ + 1] == '/') {
        while (i_ < text_.size() && text_[i_] != '\n') advance();
      } else if (c == '/' && i_ + 1 < text_.size() && text_[i_ + 1] == '*') {
        Position start = pos_;
        advance();
        advance();
        // Block comments nest in WIT.
        int depth = 1;
        while (depth > 0) {
          if (i_ + 1 >= text_.size()) fail_at(start, "unterminated `/*` comment");
          if (text_[i_] == '/' && text_[i_ + 1] == '*') {
            ++depth;
            advance();
          } else if (text_[i_] == '*' && text_[i_ + 1] == '/') {
            --depth;
            advance();
          }
          advance();
        }
      } else {
        return;
      }
    }
  }
};

}  // namespace

std::vector<Token> tokenize(std::string_view text) { return Lexer(text).run(); }

}  // namespace cm::wit
