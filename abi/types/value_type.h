// The component-level value types of the Canonical ABI, resolved: no type indices, no
// aliases, just trees. Everything downstream of the validator (layout, flattening,
// lift/lower, the JS value mapping) works on these.
//
// Specialized types (tuple, enum, option, result) keep their own kind so that the JS
// mapping can treat them specially (an option is `undefined` or a value, a result returned
// from a function throws), but they also carry their despecialized form in `fields` /
// `cases`, so the ABI code only distinguishes "record-like" and "variant-like" shapes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cm {

enum class TypeKind : uint8_t {
  Bool, S8, U8, S16, U16, S32, U32, S64, U64, F32, F64, Char, String,
  ErrorContext,
  List,       // list<T>           (element)
  FixedList,  // list<T, N>        (element, length)
  Record,     // record { fields }
  Tuple,      // tuple<T...>       fields named "0", "1", ...
  Variant,    // variant { cases } (case payload may be null)
  Enum,       // enum { cases }    every payload null
  Option,     // option<T>         cases: none, some(T)
  Result,     // result<T?, E?>    cases: ok(T?), error(E?)
  Flags,      // flags { labels }  1..32 labels
  Own,        // own<R>            (resource)
  Borrow,     // borrow<R>         (resource)
  Stream,     // stream<T?>        (element, may be null)
  Future,     // future<T?>        (element, may be null)
};

struct ValType;
using TypeRef = std::shared_ptr<const ValType>;

struct Field {
  std::string name;
  TypeRef type;
};

struct Case {
  std::string name;
  TypeRef type;  // null: the case has no payload
};

// Identifies a resource type inside one component: the index of the resource in the
// component's flattened list of resource types (see link/). At run time each instantiation
// creates a fresh runtime resource type per index, which is what the spec's identity
// checks (`h.rt is not t.rt`) compare.
using ResourceTypeId = uint32_t;

struct ValType {
  TypeKind kind;
  TypeRef element;                  // List, FixedList, Stream, Future
  uint32_t length = 0;              // FixedList
  std::vector<Field> fields;        // Record, Tuple
  std::vector<Case> cases;          // Variant, Enum, Option, Result
  std::vector<std::string> labels;  // Flags
  ResourceTypeId resource = 0;      // Own, Borrow
  // Own, Borrow: which type index of the resource the handle type was written with. Each
  // import or export of a resource type introduces a new type index for the same
  // resource, and only those are externally visible names (Explainer.md "External
  // Visibility of Types"); 0 is the index that introduced the resource. Only validation
  // reads it: the resource's identity is `resource`.
  uint32_t resource_alias = 0;
};

struct FuncType {
  bool is_async = false;
  std::vector<Field> params;
  TypeRef result;  // null: no result
};

enum class CoreType : uint8_t { I32, I64, F32, F64 };

// The `string-encoding` canonical option.
enum class StringEncoding : uint8_t { Utf8, Utf16, Latin1Utf16 };

// Constructors, so that tests and the validator build types in one line each.
namespace types {
TypeRef primitive(TypeKind kind);
TypeRef list(TypeRef element);
TypeRef fixed_list(TypeRef element, uint32_t length);
TypeRef record(std::vector<Field> fields);
TypeRef tuple(std::vector<TypeRef> elements);
TypeRef variant(std::vector<Case> cases);
TypeRef enumeration(std::vector<std::string> labels);
TypeRef option(TypeRef payload);
TypeRef result(TypeRef ok, TypeRef error);
TypeRef flags(std::vector<std::string> labels);
TypeRef own(ResourceTypeId resource);
TypeRef borrow(ResourceTypeId resource);
TypeRef stream(TypeRef element);
TypeRef future(TypeRef element);
}  // namespace types

bool is_primitive(TypeKind kind);
// The spec's name of a kind ("u32", "list", "fixed-list", "error-context", ...), used in
// messages and in the plan the JS side reads.
const char* type_kind_name(TypeKind kind);
bool is_record_like(TypeKind kind);   // Record, Tuple
bool is_variant_like(TypeKind kind);  // Variant, Enum, Option, Result

}  // namespace cm
