#include "wit/parser.h"

#include <utility>

#include "validate/names.h"
#include "wit/lexer.h"

namespace cm::wit {

namespace {

using ast::TypeExpr;
using K = Token::Kind;

const std::pair<const char*, TypeKind> kPrimitives[] = {
    {"bool", TypeKind::Bool}, {"s8", TypeKind::S8},   {"u8", TypeKind::U8},   {"s16", TypeKind::S16},
    {"u16", TypeKind::U16},   {"s32", TypeKind::S32}, {"u32", TypeKind::U32}, {"s64", TypeKind::S64},
    {"u64", TypeKind::U64},   {"f32", TypeKind::F32}, {"f64", TypeKind::F64}, {"char", TypeKind::Char},
    {"string", TypeKind::String}, {"error-context", TypeKind::ErrorContext}};

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

  ast::Document document() {
    ast::Document doc;
    doc.packages.emplace_back();
    // The text's own package: `package ns:pkg@v;` before any item.
    if (peek().is(K::Keyword, "package") && !package_block_ahead()) {
      next();
      package_name(doc.packages[0]);
      expect(K::Punct, ";");
    }
    while (peek().kind != K::End) {
      if (peek().is(K::Keyword, "package")) {
        next();
        ast::Package nested;
        package_name(nested);
        expect(K::Punct, "{");
        while (!accept(K::Punct, "}")) top_item(nested);
        doc.packages.push_back(std::move(nested));
      } else {
        top_item(doc.packages[0]);
      }
    }
    return doc;
  }

 private:
  std::vector<Token> t_;
  size_t i_ = 0;

  const Token& peek(size_t ahead = 0) const { return t_[std::min(i_ + ahead, t_.size() - 1)]; }
  const Token& next() {
    const Token& t = t_[i_];
    if (i_ + 1 < t_.size()) ++i_;
    return t;
  }
  bool accept(K kind, std::string_view text) {
    if (!peek().is(kind, text)) return false;
    next();
    return true;
  }

  static std::string describe(const Token& t) {
    switch (t.kind) {
      case K::End: return "the end of the text";
      case K::Id: return "identifier `" + t.text + "`";
      default: return "`" + t.text + "`";
    }
  }

  [[noreturn]] void unexpected(const std::string& wanted) const {
    fail_at(peek().pos, "expected " + wanted + ", found " + describe(peek()));
  }

  void expect(K kind, std::string_view text) {
    if (!accept(kind, text)) unexpected("`" + std::string(text) + "`");
  }

  std::string id() {
    if (peek().kind != K::Id) unexpected("an identifier");
    return next().text;
  }

  // After `package`: whether `ns:pkg@v` is followed by `{` (a nested package block).
  bool package_block_ahead() const {
    for (size_t k = 1; i_ + k < t_.size(); ++k) {
      const Token& t = peek(k);
      if (t.is(K::Punct, "{")) return true;
      if (t.is(K::Punct, ";") || t.kind == K::End) return false;
    }
    return false;
  }

  void package_name(ast::Package& p) {
    std::string ns = id();
    expect(K::Punct, ":");
    p.name = ns + ":" + id();
    // 🪺 nested namespaces and packages: `ns:a:b`, `ns:pkg/sub`.
    while (peek().is(K::Punct, ":") || peek().is(K::Punct, "/")) {
      std::string separator = next().text;  // before id(): the operands of + are unsequenced
      p.name += separator + id();
    }
    if (accept(K::Punct, "@")) p.version = version();
  }

  // A semver version, as a component's names require (validate/names.h): a text that
  // reads `1.2.y` as a version would print back as a name no reader accepts.
  std::string version() {
    if (peek().kind != K::Version) unexpected("a version");
    Position pos = peek().pos;
    std::string v = next().text;
    std::string error = validate::semver_error(v);
    if (!error.empty()) fail_at(pos, "invalid version `" + v + "`: " + error);
    return v;
  }

  // Feature gates and other attributes: `@name(...)`, skipped.
  void gates() {
    while (peek().is(K::Punct, "@")) {
      next();
      std::string name = id();
      if (name == "external-id") fail_at(peek().pos, "`@external-id` is not supported");
      expect(K::Punct, "(");
      int depth = 1;
      while (depth > 0) {
        if (peek().kind == K::End) unexpected("`)`");
        if (peek().is(K::Punct, "(")) ++depth;
        if (peek().is(K::Punct, ")")) --depth;
        next();
      }
    }
  }

  void top_item(ast::Package& p) {
    gates();
    if (peek().is(K::Keyword, "interface")) {
      p.interfaces.push_back(interface());
    } else if (peek().is(K::Keyword, "world")) {
      p.worlds.push_back(world());
    } else if (peek().is(K::Keyword, "use")) {
      fail_at(peek().pos, "a top-level `use` is not supported");
    } else {
      unexpected("`interface`, `world` or `package`");
    }
  }

  std::shared_ptr<ast::Interface> interface() {
    auto out = std::make_shared<ast::Interface>();
    out->pos = peek().pos;
    expect(K::Keyword, "interface");
    out->name = id();
    interface_body(*out);
    return out;
  }

  void interface_body(ast::Interface& iface) {
    expect(K::Punct, "{");
    while (!accept(K::Punct, "}")) {
      gates();
      ast::Item item;
      item.pos = peek().pos;
      if (peek().is(K::Keyword, "use")) {
        item.kind = ast::Item::Kind::Use;
        item.use = use();
      } else if (typedef_ahead()) {
        item.kind = ast::Item::Kind::Type;
        item.type = typedef_item();
      } else {
        item.kind = ast::Item::Kind::Func;
        item.name = id();
        expect(K::Punct, ":");
        item.func = func_type(item.name);
        expect(K::Punct, ";");
      }
      iface.items.push_back(std::move(item));
    }
  }

  std::shared_ptr<ast::World> world() {
    auto out = std::make_shared<ast::World>();
    out->pos = peek().pos;
    expect(K::Keyword, "world");
    out->name = id();
    expect(K::Punct, "{");
    while (!accept(K::Punct, "}")) {
      gates();
      ast::Item item;
      item.pos = peek().pos;
      if (peek().is(K::Keyword, "import") || peek().is(K::Keyword, "export")) {
        item.exported = next().text == "export";
        bool named = peek().kind == K::Id && peek(1).is(K::Punct, ":") &&
                     (peek(2).is(K::Keyword, "func") || peek(2).is(K::Keyword, "async") ||
                      peek(2).is(K::Keyword, "interface"));
        if (named) {
          item.name = id();
          expect(K::Punct, ":");
          if (peek().is(K::Keyword, "interface")) {
            item.kind = ast::Item::Kind::Inline;
            item.inline_interface = std::make_shared<ast::Interface>();
            item.inline_interface->pos = peek().pos;
            item.inline_interface->name = item.name;
            next();
            interface_body(*item.inline_interface);
          } else {
            item.kind = ast::Item::Kind::Func;
            item.func = func_type(item.name);
            expect(K::Punct, ";");
          }
        } else {
          item.kind = ast::Item::Kind::Path;
          item.path = use_path();
          if (peek().is(K::Punct, ":")) fail_at(peek().pos, "importing a named interface under a plain name is not supported");
          expect(K::Punct, ";");
        }
      } else if (peek().is(K::Keyword, "use")) {
        item.kind = ast::Item::Kind::Use;
        item.use = use();
      } else if (peek().is(K::Keyword, "include")) {
        fail_at(peek().pos, "`include` is not supported");
      } else if (typedef_ahead()) {
        item.kind = ast::Item::Kind::Type;
        item.type = typedef_item();
      } else {
        unexpected("`import`, `export`, `use` or a type definition");
      }
      out->items.push_back(std::move(item));
    }
    return out;
  }

  bool typedef_ahead() const {
    const Token& t = peek();
    return t.kind == K::Keyword && (t.text == "resource" || t.text == "record" || t.text == "variant" ||
                                    t.text == "enum" || t.text == "flags" || t.text == "type");
  }

  ast::UsePath use_path() {
    ast::UsePath p;
    p.pos = peek().pos;
    std::string first = id();
    if (accept(K::Punct, ":")) {
      p.package = first + ":" + id();
      expect(K::Punct, "/");
      p.interface = id();
    } else {
      p.interface = first;
    }
    if (accept(K::Punct, "@")) p.version = version();
    return p;
  }

  ast::Use use() {
    ast::Use u;
    expect(K::Keyword, "use");
    u.path = use_path();
    expect(K::Punct, ".");
    expect(K::Punct, "{");
    do {
      if (peek().is(K::Punct, "}")) break;  // a trailing comma
      std::string name = id();
      std::string local = accept(K::Keyword, "as") ? id() : name;
      u.names.emplace_back(name, local);
    } while (accept(K::Punct, ","));
    expect(K::Punct, "}");
    expect(K::Punct, ";");
    return u;
  }

  ast::TypeDef typedef_item() {
    ast::TypeDef d;
    d.pos = peek().pos;
    std::string keyword = next().text;
    d.name = id();
    if (keyword == "type") {
      d.kind = ast::TypeDef::Kind::Alias;
      expect(K::Punct, "=");
      d.alias = type();
      expect(K::Punct, ";");
    } else if (keyword == "resource") {
      d.kind = ast::TypeDef::Kind::Resource;
      if (!accept(K::Punct, ";")) {
        expect(K::Punct, "{");
        while (!accept(K::Punct, "}")) {
          gates();
          d.members.push_back(resource_member());
        }
      }
    } else if (keyword == "record") {
      d.kind = ast::TypeDef::Kind::Record;
      list_body([&] {
        std::string name = id();
        expect(K::Punct, ":");
        d.fields.push_back({name, type()});
      });
    } else if (keyword == "variant") {
      d.kind = ast::TypeDef::Kind::Variant;
      list_body([&] {
        std::string name = id();
        ast::TypePtr payload;
        if (accept(K::Punct, "(")) {
          payload = type();
          expect(K::Punct, ")");
        }
        d.cases.emplace_back(name, payload);
      });
    } else {
      d.kind = keyword == "enum" ? ast::TypeDef::Kind::Enum : ast::TypeDef::Kind::Flags;
      list_body([&] { d.labels.push_back(id()); });
    }
    return d;
  }

  // `{ item, item, }`: comma-separated, trailing comma allowed.
  template <typename F>
  void list_body(F&& item) {
    expect(K::Punct, "{");
    while (!accept(K::Punct, "}")) {
      item();
      if (!accept(K::Punct, ",")) {
        expect(K::Punct, "}");
        return;
      }
    }
  }

  ast::ResourceMember resource_member() {
    ast::ResourceMember m;
    if (peek().is(K::Keyword, "constructor")) {
      m.kind = ast::ResourceMember::Kind::Constructor;
      m.func.pos = next().pos;
      m.func.params = params();
      if (accept(K::Punct, "->")) m.func.result = type();
      expect(K::Punct, ";");
      return m;
    }
    std::string name = id();
    expect(K::Punct, ":");
    m.kind = accept(K::Keyword, "static") ? ast::ResourceMember::Kind::Static : ast::ResourceMember::Kind::Method;
    m.func = func_type(name);
    expect(K::Punct, ";");
    return m;
  }

  ast::Func func_type(const std::string& name) {
    ast::Func f;
    f.pos = peek().pos;
    f.name = name;
    f.is_async = accept(K::Keyword, "async");
    expect(K::Keyword, "func");
    f.params = params();
    if (accept(K::Punct, "->")) f.result = type();
    return f;
  }

  std::vector<ast::Param> params() {
    std::vector<ast::Param> out;
    expect(K::Punct, "(");
    while (!accept(K::Punct, ")")) {
      std::string name = id();
      expect(K::Punct, ":");
      out.push_back({name, type()});
      if (!accept(K::Punct, ",")) {
        expect(K::Punct, ")");
        break;
      }
    }
    return out;
  }

  ast::TypePtr make(TypeExpr::Kind kind, Position pos) {
    auto t = std::make_shared<TypeExpr>();
    t->kind = kind;
    t->pos = pos;
    return t;
  }

  ast::TypePtr type() {
    const Token& tok = peek();
    Position pos = tok.pos;
    if (tok.kind == K::Id) {
      auto t = make(TypeExpr::Kind::Named, pos);
      t->name = next().text;
      return t;
    }
    if (tok.kind != K::Keyword) unexpected("a type");
    for (const auto& [name, kind] : kPrimitives) {
      if (tok.text == name) {
        next();
        auto t = make(TypeExpr::Kind::Primitive, pos);
        t->primitive = kind;
        return t;
      }
    }
    std::string word = next().text;
    if (word == "list") {
      expect(K::Punct, "<");
      ast::TypePtr element = type();
      if (accept(K::Punct, ",")) {
        auto t = make(TypeExpr::Kind::FixedList, pos);
        if (peek().kind != K::Integer) unexpected("a length");
        t->length = length(next());
        t->args.push_back(element);
        expect(K::Punct, ">");
        return t;
      }
      expect(K::Punct, ">");
      auto t = make(TypeExpr::Kind::List, pos);
      t->args.push_back(element);
      return t;
    }
    if (word == "map") {
      // 🗺️ map<K, V> is list<tuple<K, V>> to the Canonical ABI (as the validator has it).
      expect(K::Punct, "<");
      auto tuple = make(TypeExpr::Kind::Tuple, pos);
      tuple->args.push_back(type());
      expect(K::Punct, ",");
      tuple->args.push_back(type());
      expect(K::Punct, ">");
      auto t = make(TypeExpr::Kind::List, pos);
      t->args.push_back(tuple);
      return t;
    }
    if (word == "option") return one_arg(TypeExpr::Kind::Option, pos);
    if (word == "borrow" || word == "own") {
      expect(K::Punct, "<");
      auto t = make(word == "borrow" ? TypeExpr::Kind::Borrow : TypeExpr::Kind::Named, pos);
      t->name = id();
      expect(K::Punct, ">");
      return t;
    }
    if (word == "stream" || word == "future") {
      auto t = make(word == "stream" ? TypeExpr::Kind::Stream : TypeExpr::Kind::Future, pos);
      if (accept(K::Punct, "<")) {
        t->args.push_back(type());
        expect(K::Punct, ">");
      }
      return t;
    }
    if (word == "tuple") {
      auto t = make(TypeExpr::Kind::Tuple, pos);
      expect(K::Punct, "<");
      do {
        if (peek().is(K::Punct, ">") && !t->args.empty()) break;
        t->args.push_back(type());
      } while (accept(K::Punct, ","));
      expect(K::Punct, ">");
      return t;
    }
    if (word == "result") {
      auto t = make(TypeExpr::Kind::Result, pos);
      t->args = {nullptr, nullptr};
      if (accept(K::Punct, "<")) {
        if (!accept(K::Keyword, "_")) t->args[0] = type();
        if (accept(K::Punct, ",")) t->args[1] = type();
        else if (!t->args[0]) unexpected("`,` after `_`");
        expect(K::Punct, ">");
      }
      return t;
    }
    fail_at(pos, "expected a type, found `" + word + "`");
  }

  ast::TypePtr one_arg(TypeExpr::Kind kind, Position pos) {
    auto t = make(kind, pos);
    expect(K::Punct, "<");
    t->args.push_back(type());
    expect(K::Punct, ">");
    return t;
  }

  static uint32_t length(const Token& t) {
    if (t.text.size() > 9) fail_at(t.pos, "list length too large");
    uint32_t n = static_cast<uint32_t>(std::stoul(t.text));
    if (n == 0) fail_at(t.pos, "a fixed-length list has at least one element");
    return n;
  }
};

}  // namespace

ast::Document parse_wit(std::string_view text) { return Parser(tokenize(text)).document(); }

}  // namespace cm::wit
