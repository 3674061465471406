#include "types/value_type.h"

namespace cm {
namespace types {

static TypeRef make(ValType t) { return std::make_shared<const ValType>(std::move(t)); }

TypeRef primitive(TypeKind kind) {
  static const TypeRef cache[] = {
      make({TypeKind::Bool}), make({TypeKind::S8}),  make({TypeKind::U8}),
      make({TypeKind::S16}),  make({TypeKind::U16}), make({TypeKind::S32}),
      make({TypeKind::U32}),  make({TypeKind::S64}), make({TypeKind::U64}),
      make({TypeKind::F32}),  make({TypeKind::F64}), make({TypeKind::Char}),
      make({TypeKind::String}), make({TypeKind::ErrorContext})};
  return cache[static_cast<size_t>(kind)];
}

TypeRef list(TypeRef element) { return make({.kind = TypeKind::List, .element = std::move(element)}); }

TypeRef fixed_list(TypeRef element, uint32_t length) {
  return make({.kind = TypeKind::FixedList, .element = std::move(element), .length = length});
}

TypeRef record(std::vector<Field> fields) {
  return make({.kind = TypeKind::Record, .fields = std::move(fields)});
}

TypeRef tuple(std::vector<TypeRef> elements) {
  std::vector<Field> fields;
  for (size_t i = 0; i < elements.size(); ++i) fields.push_back({std::to_string(i), elements[i]});
  return make({.kind = TypeKind::Tuple, .fields = std::move(fields)});
}

TypeRef variant(std::vector<Case> cases) {
  return make({.kind = TypeKind::Variant, .cases = std::move(cases)});
}

TypeRef enumeration(std::vector<std::string> labels) {
  std::vector<Case> cases;
  for (auto& l : labels) cases.push_back({l, nullptr});
  return make({.kind = TypeKind::Enum, .cases = std::move(cases), .labels = std::move(labels)});
}

TypeRef option(TypeRef payload) {
  return make({.kind = TypeKind::Option, .cases = {{"none", nullptr}, {"some", std::move(payload)}}});
}

TypeRef result(TypeRef ok, TypeRef error) {
  return make({.kind = TypeKind::Result, .cases = {{"ok", std::move(ok)}, {"error", std::move(error)}}});
}

TypeRef flags(std::vector<std::string> labels) {
  return make({.kind = TypeKind::Flags, .labels = std::move(labels)});
}

TypeRef own(ResourceTypeId resource) { return make({.kind = TypeKind::Own, .resource = resource}); }
TypeRef borrow(ResourceTypeId resource) { return make({.kind = TypeKind::Borrow, .resource = resource}); }
TypeRef stream(TypeRef element) { return make({.kind = TypeKind::Stream, .element = std::move(element)}); }
TypeRef future(TypeRef element) { return make({.kind = TypeKind::Future, .element = std::move(element)}); }

}  // namespace types

const char* type_kind_name(TypeKind kind) {
  switch (kind) {
    case TypeKind::Bool: return "bool";
    case TypeKind::S8: return "s8";
    case TypeKind::U8: return "u8";
    case TypeKind::S16: return "s16";
    case TypeKind::U16: return "u16";
    case TypeKind::S32: return "s32";
    case TypeKind::U32: return "u32";
    case TypeKind::S64: return "s64";
    case TypeKind::U64: return "u64";
    case TypeKind::F32: return "f32";
    case TypeKind::F64: return "f64";
    case TypeKind::Char: return "char";
    case TypeKind::String: return "string";
    case TypeKind::ErrorContext: return "error-context";
    case TypeKind::List: return "list";
    case TypeKind::FixedList: return "fixed-list";
    case TypeKind::Record: return "record";
    case TypeKind::Tuple: return "tuple";
    case TypeKind::Variant: return "variant";
    case TypeKind::Enum: return "enum";
    case TypeKind::Option: return "option";
    case TypeKind::Result: return "result";
    case TypeKind::Flags: return "flags";
    case TypeKind::Own: return "own";
    case TypeKind::Borrow: return "borrow";
    case TypeKind::Stream: return "stream";
    case TypeKind::Future: return "future";
  }
  return "?";
}

bool is_primitive(TypeKind kind) { return kind <= TypeKind::String; }
bool is_record_like(TypeKind kind) { return kind == TypeKind::Record || kind == TypeKind::Tuple; }
bool is_variant_like(TypeKind kind) {
  return kind == TypeKind::Variant || kind == TypeKind::Enum || kind == TypeKind::Option ||
         kind == TypeKind::Result;
}

}  // namespace cm
