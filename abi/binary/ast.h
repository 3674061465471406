// The decoded form of a component binary (Binary.md): plain structs that mirror the
// binary's sections and productions one to one, in binary order, with no index resolution
// and no validation beyond what decoding itself requires. The reader (reader.h) builds
// this; the validator (validate/validator.h) walks it and builds the index spaces.
//
// Conventions:
// * Every node has `offset`: the absolute byte offset, in the buffer given to
//   read_component, at which the node's encoding starts. Errors and the JS side use it.
// * Indices (`uint32_t`) are raw indices into the index space named by the field; nothing
//   here checks that they are in bounds (the validator does).
// * Names are UTF-8 strings exactly as encoded. Import/export names are not parsed here:
//   an interface name with a version ("wasi:http/types@0.2.0"), an annotated plain name
//   ("[method]r.m", "[async]f") and a plain label are all just `ExternName::name`.
// * Nodes whose binary form is "one of N alternatives" are a struct with a `kind` enum
//   plus the members every alternative may use; members an alternative does not use keep
//   their default value. (Recursive types rule out std::variant here.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cm::binary {

// ---------------------------------------------------------------------------------------
// Sorts (Binary.md "Instance Definitions")

// core:sort. The values are the binary codes.
enum class CoreSort : uint8_t {
  Func = 0x00,
  Table = 0x01,
  Memory = 0x02,
  Global = 0x03,
  Tag = 0x04,
  Type = 0x10,
  Module = 0x11,
  Instance = 0x12,
};

// sort ::= 0x00 core:sort | 0x01 func | 0x02 value | 0x03 type | 0x04 component
//        | 0x05 instance. The values are the binary codes.
enum class Sort : uint8_t {
  Core = 0x00,  // see `core_sort`
  Func = 0x01,
  Value = 0x02,  // 🪙
  Type = 0x03,
  Component = 0x04,
  Instance = 0x05,
};

// A sort as it appears in aliases and sortidx: the component sort, plus the core sort
// when `sort == Sort::Core`.
struct SortKind {
  Sort sort = Sort::Func;
  CoreSort core_sort = CoreSort::Func;  // meaningful only when sort == Sort::Core
  bool operator==(const SortKind&) const = default;
};

struct CoreSortIdx {
  CoreSort sort = CoreSort::Func;
  uint32_t index = 0;
};

struct SortIdx {
  SortKind sort;
  uint32_t index = 0;
};

// ---------------------------------------------------------------------------------------
// Core types (Binary.md "Type Definitions", core:type; core spec types)

// A core value type: a number/vector type or a reference type.
struct CoreValType {
  enum class Kind : uint8_t { I32, I64, F32, F64, V128, Ref };
  Kind kind = Kind::I32;
  // Ref only. `heap_type >= 0` is a core type index; otherwise it is the abstract heap
  // type's binary code as a negative s33 (e.g. func = 0x70 -> -0x10, extern = 0x6f -> -0x11).
  bool nullable = true;
  int64_t heap_type = 0;
  bool operator==(const CoreValType&) const = default;
};

// Core limits (tables and memories).
struct CoreLimits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool shared = false;    // memories (threads proposal)
  bool is_64 = false;     // memory64 / table64
  std::optional<uint32_t> page_size_log2;  // custom-page-sizes
};

// core:externtype: what a core import/export declares.
struct CoreExternType {
  enum class Kind : uint8_t { Func = 0x00, Table = 0x01, Memory = 0x02, Global = 0x03, Tag = 0x04 };
  Kind kind = Kind::Func;
  uint32_t type_index = 0;  // Func, Tag: core type index (in the enclosing module type)
  CoreValType value_type;   // Table: element reftype; Global: the value type
  CoreLimits limits;        // Table, Memory
  bool mutable_ = false;    // Global
  bool shared = false;      // Global (shared-everything threads)
};

// A core composite type (func/struct/array). Components only need func types; struct and
// array types are decoded so that rec groups round-trip, but carry no detail beyond
// their field types.
struct CoreCompositeType {
  enum class Kind : uint8_t { Func = 0x60, Struct = 0x5f, Array = 0x5e };
  Kind kind = Kind::Func;
  bool shared = false;
  std::vector<CoreValType> params;   // Func
  std::vector<CoreValType> results;  // Func
  struct FieldType {
    CoreValType type;  // packed i8/i16 storage types are recorded as I32 with `packed` set
    uint8_t packed = 0;  // 0, or 0x78 (i8) / 0x77 (i16)
    bool mutable_ = false;
  };
  std::vector<FieldType> fields;     // Struct (all fields), Array (one field)
};

// One sub type of a rec group: `sub final? supertypes comptype`.
struct CoreSubType {
  size_t offset = 0;
  bool is_final = true;
  std::vector<uint32_t> supertypes;
  CoreCompositeType composite;
};

struct CoreModuleDecl;

// core:type ::= core:deftype. Either a rec group of sub types (a plain func type decodes
// as a rec group of one final sub type), or a module type.
struct CoreTypeDef {
  size_t offset = 0;
  enum class Kind : uint8_t { Rec, Module };
  Kind kind = Kind::Rec;
  std::vector<CoreSubType> rec;            // Rec: defines rec.size() type indices
  std::vector<CoreModuleDecl> module_decls;  // Module
  // A module type defines exactly one core type index; a rec group one per sub type.
  size_t num_defined() const { return kind == Kind::Module ? 1 : rec.size(); }
};

// core:moduledecl inside a core:moduletype.
struct CoreModuleDecl {
  size_t offset = 0;
  enum class Kind : uint8_t { Import = 0x00, Type = 0x01, Alias = 0x02, Export = 0x03 };
  Kind kind = Kind::Import;
  std::string module;  // Import: module name
  std::string name;    // Import: field name; Export: export name
  CoreExternType extern_type;  // Import, Export
  std::shared_ptr<CoreTypeDef> type;  // Type (shared_ptr: CoreTypeDef is recursive)
  uint32_t outer_count = 0;   // Alias (always `outer`, sort core type)
  uint32_t outer_index = 0;   // Alias
};

// ---------------------------------------------------------------------------------------
// Core modules and core instances (sections 1 and 2)

// A core module embedded in the component: the byte range of the whole module, preamble
// included, inside the buffer given to read_component. The JS side passes exactly these
// bytes to WebAssembly.compile; the validator summarizes its imports/exports with
// core_module.h.
struct CoreModule {
  size_t offset = 0;
  size_t size = 0;
};

struct CoreInstantiateArg {
  size_t offset = 0;
  std::string name;
  uint32_t instance = 0;  // core instance index (the only sort allowed by the binary)
};

struct CoreInlineExport {
  size_t offset = 0;
  std::string name;
  CoreSortIdx item;
};

struct CoreInstance {
  size_t offset = 0;
  enum class Kind : uint8_t { Instantiate = 0x00, FromExports = 0x01 };
  Kind kind = Kind::Instantiate;
  uint32_t module = 0;                       // Instantiate: core module index
  std::vector<CoreInstantiateArg> args;      // Instantiate
  std::vector<CoreInlineExport> exports;     // FromExports
};

// ---------------------------------------------------------------------------------------
// Component value and function types (section 7)

// primvaltype. The values are the binary codes.
enum class PrimValType : uint8_t {
  Bool = 0x7f,
  S8 = 0x7e,
  U8 = 0x7d,
  S16 = 0x7c,
  U16 = 0x7b,
  S32 = 0x7a,
  U32 = 0x79,
  S64 = 0x78,
  U64 = 0x77,
  F32 = 0x76,
  F64 = 0x75,
  Char = 0x74,
  String = 0x73,
  ErrorContext = 0x64,  // 📝
};

// valtype ::= typeidx | primvaltype.
struct ValTypeUse {
  bool is_primitive = true;
  PrimValType primitive = PrimValType::Bool;  // is_primitive
  uint32_t type_index = 0;                    // !is_primitive: component type index
  bool operator==(const ValTypeUse&) const = default;
};

struct LabelValType {
  std::string label;
  ValTypeUse type;
};

struct VariantCase {
  std::string label;
  std::optional<ValTypeUse> type;
};

// defvaltype. `kind` names the binary production.
struct DefValType {
  enum class Kind : uint8_t {
    Primitive,  // pvt
    Record,     // 0x72 fields
    Variant,    // 0x71 cases
    List,       // 0x70 element
    FixedList,  // 0x67 element length 🔧
    Tuple,      // 0x6f elements
    Flags,      // 0x6e labels
    Enum,       // 0x6d labels
    Option,     // 0x6b element
    Result,     // 0x6a element? (ok), error?
    Own,        // 0x69 type_index (resource)
    Borrow,     // 0x68 type_index (resource)
    Stream,     // 0x66 element? 🔀
    Future,     // 0x65 element? 🔀
    Map,        // 0x63 element (key), value 🗺️
  };
  Kind kind = Kind::Primitive;
  PrimValType primitive = PrimValType::Bool;  // Primitive
  std::vector<LabelValType> fields;           // Record
  std::vector<VariantCase> cases;             // Variant
  std::vector<ValTypeUse> elements;           // Tuple
  std::vector<std::string> labels;            // Flags, Enum
  std::optional<ValTypeUse> element;          // List, FixedList, Option, Result ok, Stream, Future, Map key
  std::optional<ValTypeUse> error;            // Result error, Map value
  uint32_t length = 0;                        // FixedList
  uint32_t type_index = 0;                    // Own, Borrow
};

// functype ::= 0x40 | 0x43 (async) paramlist resultlist.
struct FuncTypeDef {
  bool is_async = false;
  std::vector<LabelValType> params;
  std::optional<ValTypeUse> result;
};

// resourcetype ::= 0x3f rep dtor?.
struct ResourceTypeDef {
  CoreValType rep;                // i32 (or i64 with 🐘)
  std::optional<uint32_t> dtor;   // core func index
};

// typebound ::= 0x00 eq typeidx | 0x01 sub resource.
struct TypeBound {
  enum class Kind : uint8_t { Eq = 0x00, SubResource = 0x01 };
  Kind kind = Kind::Eq;
  uint32_t type_index = 0;  // Eq
};

// valuebound ::= 0x00 eq valueidx | 0x01 valtype. 🪙
// wasm-tools encodes a value extern type as a bare valtype (no bound byte); the reader
// follows wasm-tools, so a decoded ValueBound is always Kind::Type.
struct ValueBound {
  enum class Kind : uint8_t { Eq = 0x00, Type = 0x01 };
  Kind kind = Kind::Type;
  uint32_t value_index = 0;  // Eq
  ValTypeUse type;           // Type
};

// externtype: the type of an import, export, or instance/component type declaration.
struct ExternType {
  size_t offset = 0;
  enum class Kind : uint8_t {
    CoreModule = 0x00,  // 0x00 0x11 core type index
    Func = 0x01,        // type index
    Value = 0x02,       // value bound 🪙
    Type = 0x03,        // type bound
    Component = 0x04,   // type index
    Instance = 0x05,    // type index
  };
  Kind kind = Kind::Func;
  uint32_t type_index = 0;  // CoreModule (core type), Func, Component, Instance
  TypeBound type_bound;     // Type
  ValueBound value_bound;   // Value
};

// nameattributes + externname. `name` is the externname exactly as encoded.
struct ExternName {
  size_t offset = 0;
  uint8_t form = 0x00;  // 0x00, 0x01 (legacy, same meaning), or 0x02 (with attributes)
  std::string name;
  std::optional<std::string> implements;      // attribute 0x00 🏷️
  std::optional<std::string> version_suffix;  // attribute 0x01 🔗
  std::optional<std::string> external_id;     // attribute 0x02 🏷️
};

struct Alias;
struct TypeDef;

// componentdecl / instancedecl inside a component or instance type.
struct TypeDecl {
  size_t offset = 0;
  enum class Kind : uint8_t {
    CoreType = 0x00,  // core_type
    Type = 0x01,      // type
    Alias = 0x02,     // alias
    Import = 0x03,    // name + extern_type (component types only)
    Export = 0x04,    // name + extern_type
  };
  Kind kind = Kind::Type;
  std::shared_ptr<CoreTypeDef> core_type;
  std::shared_ptr<TypeDef> type;
  std::shared_ptr<Alias> alias;
  ExternName name;
  ExternType extern_type;
};

// type ::= deftype. One entry of the type section (or a `Type` declarator).
struct TypeDef {
  size_t offset = 0;
  enum class Kind : uint8_t { DefVal, Func, Component, Instance, Resource };
  Kind kind = Kind::DefVal;
  DefValType defval;            // DefVal
  FuncTypeDef func;             // Func
  std::vector<TypeDecl> decls;  // Component (componentdecl*), Instance (instancedecl*)
  ResourceTypeDef resource;     // Resource
};

// ---------------------------------------------------------------------------------------
// Component instances and aliases (sections 5 and 6)

struct InstantiateArg {
  size_t offset = 0;
  std::string name;
  SortIdx item;
};

struct InlineExport {
  size_t offset = 0;
  ExternName name;
  SortIdx item;
};

struct Instance {
  size_t offset = 0;
  enum class Kind : uint8_t { Instantiate = 0x00, FromExports = 0x01 };
  Kind kind = Kind::Instantiate;
  uint32_t component = 0;              // Instantiate: component index
  std::vector<InstantiateArg> args;    // Instantiate
  std::vector<InlineExport> exports;   // FromExports
};

struct Alias {
  size_t offset = 0;
  SortKind sort;
  enum class Kind : uint8_t {
    InstanceExport = 0x00,      // instance + name
    CoreInstanceExport = 0x01,  // instance (core) + name
    Outer = 0x02,               // outer_count + outer_index
  };
  Kind kind = Kind::InstanceExport;
  uint32_t instance = 0;
  std::string name;
  uint32_t outer_count = 0;
  uint32_t outer_index = 0;
};

// ---------------------------------------------------------------------------------------
// Canonical definitions (section 8)

// canonopt. The values are the binary codes.
struct CanonOpt {
  size_t offset = 0;
  enum class Kind : uint8_t {
    Utf8 = 0x00,
    Utf16 = 0x01,
    Latin1Utf16 = 0x02,
    Memory = 0x03,      // index: core memory
    Realloc = 0x04,     // index: core func
    PostReturn = 0x05,  // index: core func
    Async = 0x06,       // 🔀
    Callback = 0x07,    // index: core func 🔀
    CoreType = 0x08,    // index: core type (wasm-tools GC-ABI extension; never valid here)
    Gc = 0x09,          // (wasm-tools GC-ABI extension; never valid here)
  };
  Kind kind = Kind::Utf8;
  uint32_t index = 0;
};

// The canon opcodes (first byte of `canon`). The values are the binary codes.
enum class CanonKind : uint8_t {
  Lift = 0x00,
  Lower = 0x01,
  ResourceNew = 0x02,
  ResourceDrop = 0x03,
  ResourceRep = 0x04,
  TaskCancel = 0x05,
  SubtaskCancel = 0x06,
  // 0x07 and 0x08 are unallocated (0x08 was backpressure.set, removed by #683).
  TaskReturn = 0x09,
  ContextGet = 0x0a,
  ContextSet = 0x0b,
  ThreadYield = 0x0c,
  SubtaskDrop = 0x0d,
  StreamNew = 0x0e,
  StreamRead = 0x0f,
  StreamWrite = 0x10,
  StreamCancelRead = 0x11,
  StreamCancelWrite = 0x12,
  StreamDropReadable = 0x13,
  StreamDropWritable = 0x14,
  FutureNew = 0x15,
  FutureRead = 0x16,
  FutureWrite = 0x17,
  FutureCancelRead = 0x18,
  FutureCancelWrite = 0x19,
  FutureDropReadable = 0x1a,
  FutureDropWritable = 0x1b,
  ErrorContextNew = 0x1c,
  ErrorContextDebugMessage = 0x1d,
  ErrorContextDrop = 0x1e,
  WaitableSetNew = 0x1f,
  WaitableSetWait = 0x20,
  WaitableSetPoll = 0x21,
  WaitableSetDrop = 0x22,
  WaitableJoin = 0x23,
  BackpressureInc = 0x24,
  BackpressureDec = 0x25,
  ThreadIndex = 0x26,
  ThreadNewIndirect = 0x27,
  ThreadResumeLater = 0x28,
  ThreadSuspend = 0x29,
  ThreadSuspendThenResume = 0x2a,
  ThreadYieldThenResume = 0x2b,
  ThreadSuspendThenPromote = 0x2c,
  ThreadYieldThenPromote = 0x2d,
  ThreadSpawnRef = 0x40,
  ThreadSpawnIndirect = 0x41,
  ThreadAvailableParallelism = 0x42,
};

// The spec's text name of a canon built-in ("stream.read", "lift", ...), for messages.
const char* canon_name(CanonKind kind);

// One canonical definition. Lift defines a component func; every other kind defines a
// core func.
struct Canon {
  size_t offset = 0;
  CanonKind kind = CanonKind::Lift;
  // Lift: the core func lifted. Lower: the component func lowered.
  uint32_t func_index = 0;
  // Lift: the component func type. resource.*: the resource type. stream.*/future.*: the
  // stream/future type. thread.new-indirect / thread.spawn-*: the core func type.
  uint32_t type_index = 0;
  uint32_t table_index = 0;  // thread.new-indirect, thread.spawn-indirect: core table
  // Lift, Lower, task.return, stream/future read/write, error-context.new/debug-message.
  std::vector<CanonOpt> opts;
  // The one-byte flag immediates; each kind uses at most one:
  bool async_ = false;       // async?: subtask.cancel, {stream,future}.cancel-{read,write}
  // cancel?: waitable-set.wait/poll, thread.yield/suspend*/... Decoded as a boolean; since
  // component-model#716 the byte must be 0, which the validator checks.
  bool cancellable = false;
  bool shared = false;       // sh?: thread.spawn-*/available-parallelism 🧵②
  // Immediates byte offsets, so that the validator can point at a rejected byte
  // (e.g. a `cancellable` byte that must now be 0).
  size_t flag_offset = 0;
  // waitable-set.wait/poll: the memory. (Also recorded as `memory_index`, not as an opt.)
  uint32_t memory_index = 0;
  // context.get/set: the slot type (i32; i64 with 🐘) and slot index.
  CoreValType context_type;
  uint32_t context_index = 0;
  // task.return: resultlist (nullopt: no result).
  std::optional<ValTypeUse> result;
};

// ---------------------------------------------------------------------------------------
// Start, imports, exports, values, custom sections (sections 9-12, 0)

struct Start {  // 🪙
  size_t offset = 0;
  uint32_t func = 0;
  std::vector<uint32_t> args;  // value indices
  uint32_t num_results = 0;
};

struct Import {
  size_t offset = 0;
  ExternName name;
  ExternType type;
};

struct Export {
  size_t offset = 0;
  ExternName name;
  SortIdx item;
  std::optional<ExternType> type;  // the optional ascribed type
};

// A value definition 🪙: its type and the byte range of its encoded value (decoded lazily
// by whoever supports value definitions; the reader only checks the length).
struct Value {
  size_t offset = 0;
  ValTypeUse type;
  size_t value_offset = 0;
  size_t value_size = 0;
};

// A custom section: its name and the byte range of the payload after the name.
struct Custom {
  std::string name;
  size_t payload_offset = 0;
  size_t payload_size = 0;
};

// ---------------------------------------------------------------------------------------
// Sections and the component

enum class SectionId : uint8_t {
  Custom = 0,
  CoreModule = 1,
  CoreInstance = 2,
  CoreType = 3,
  Component = 4,
  Instance = 5,
  Alias = 6,
  Type = 7,
  Canon = 8,
  Start = 9,
  Import = 10,
  Export = 11,
  Value = 12,
};

struct Component;

// One section, in binary order. Exactly the member(s) named after `id` are used; a
// vector section holds its entries in order (each entry is one definition).
struct Section {
  SectionId id = SectionId::Custom;
  size_t offset = 0;          // of the section id byte
  size_t content_offset = 0;  // first byte after the size
  size_t content_size = 0;

  Custom custom;                               // Custom
  CoreModule core_module;                      // CoreModule
  std::vector<CoreInstance> core_instances;    // CoreInstance
  std::vector<CoreTypeDef> core_types;         // CoreType
  std::shared_ptr<Component> component;        // Component (nested, same buffer offsets)
  std::vector<Instance> instances;             // Instance
  std::vector<Alias> aliases;                  // Alias
  std::vector<TypeDef> types;                  // Type
  std::vector<Canon> canons;                   // Canon
  Start start;                                 // Start
  std::vector<Import> imports;                 // Import
  std::vector<Export> exports;                 // Export
  std::vector<Value> values;                   // Value
};

// The component-name custom section (Binary.md "Name Section"), decoded best-effort:
// a malformed name section is ignored, never an error.
struct NameMap {
  SortKind sort;
  std::vector<std::pair<uint32_t, std::string>> names;  // (index, name) in binary order
};

struct NameSection {
  std::optional<std::string> component_name;
  std::vector<NameMap> sort_names;
};

struct Component {
  size_t offset = 0;  // of the preamble
  size_t size = 0;    // preamble + all sections
  std::vector<Section> sections;
  std::optional<NameSection> names;  // from a "component-name" custom section, if valid
};

}  // namespace cm::binary
