#include "wit/type_text.h"

#include "wit/identifiers.h"

namespace cm::wit {

namespace {

// Deeply nested types would make messages unreadable (and a hostile type huge): past
// this depth, `...`.
constexpr int kMaxDepth = 6;

std::string text(const TypeRef& t, int depth) {
  if (!t) return "_";
  if (depth > kMaxDepth) return "...";
  auto sub = [&](const TypeRef& c) { return text(c, depth + 1); };
  switch (t->kind) {
    case TypeKind::List: return "list<" + sub(t->element) + ">";
    case TypeKind::FixedList: return "list<" + sub(t->element) + ", " + std::to_string(t->length) + ">";
    case TypeKind::Option: return "option<" + sub(t->cases[1].type) + ">";
    case TypeKind::Result:
      if (!t->cases[0].type && !t->cases[1].type) return "result";
      if (!t->cases[1].type) return "result<" + sub(t->cases[0].type) + ">";
      return "result<" + sub(t->cases[0].type) + ", " + sub(t->cases[1].type) + ">";
    case TypeKind::Tuple: {
      std::string s = "tuple<";
      for (size_t i = 0; i < t->fields.size(); ++i) s += (i ? ", " : "") + sub(t->fields[i].type);
      return s + ">";
    }
    case TypeKind::Record: {
      std::string s = "record { ";
      for (size_t i = 0; i < t->fields.size(); ++i)
        s += (i ? ", " : "") + identifier(t->fields[i].name) + ": " + sub(t->fields[i].type);
      return s + " }";
    }
    case TypeKind::Variant: {
      std::string s = "variant { ";
      for (size_t i = 0; i < t->cases.size(); ++i)
        s += (i ? ", " : "") + identifier(t->cases[i].name) + (t->cases[i].type ? "(" + sub(t->cases[i].type) + ")" : "");
      return s + " }";
    }
    case TypeKind::Enum:
    case TypeKind::Flags: {
      std::string s = t->kind == TypeKind::Enum ? "enum { " : "flags { ";
      const auto& labels = t->labels;
      for (size_t i = 0; i < labels.size(); ++i) s += (i ? ", " : "") + identifier(labels[i]);
      return s + " }";
    }
    case TypeKind::Own: return "own<resource>";
    case TypeKind::Borrow: return "borrow<resource>";
    case TypeKind::Stream: return t->element ? "stream<" + sub(t->element) + ">" : "stream";
    case TypeKind::Future: return t->element ? "future<" + sub(t->element) + ">" : "future";
    default: return type_kind_name(t->kind);
  }
}

}  // namespace

std::string type_text(const TypeRef& t) { return text(t, 0); }

}  // namespace cm::wit
