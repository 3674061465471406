// The instantiation plan: what the linker (planner.h) makes of a validated component, and
// what the JS side executes to instantiate it.
//
// A component is static: which core modules get instantiated, in what order, with which
// imports, and which core functions are lifted or lowered with which options is all
// decided by the binary, except for the host's imports. So the linker "inlines" the whole
// component tree once, at compile time — nested components, component instances, aliases
// and outer aliases disappear — and leaves a flat list of core instantiations plus three
// tables of functions the JS side must build: lifted functions (core -> component),
// lowered functions (component -> core) and canon built-ins. Everything refers to
// everything else by index into these tables, so the JS side needs no index-space logic.
//
// Runtime component instances (for the handle tables, `may_enter`/`may_leave` and
// lockdown after a trap) are numbered too: instance 0 is the root component, and every
// `(instance (instantiate $C ...))` inside it adds one, with its parent.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "binary/ast.h"
#include "types/value_type.h"

namespace cm::link {

// How to reach a core wasm item at run time.
struct CoreDef {
  enum class Kind : uint8_t {
    InstanceExport,  // core_instances[index].exports[name]
    Lowered,         // the JS function built for lowered[index]
    Builtin,         // the JS function built for builtins[index]
  };
  Kind kind = Kind::InstanceExport;
  uint32_t index = 0;
  std::string name;
};

struct CanonOptions {
  StringEncoding string_encoding = StringEncoding::Utf8;
  std::optional<CoreDef> memory;
  std::optional<CoreDef> realloc;
  std::optional<CoreDef> post_return;
  std::optional<CoreDef> callback;
  bool is_async = false;
};

// A path into the host's import object: the root import's name, then export names of
// nested instance types ("wasi:io/streams", "[method]output-stream.write").
using ImportPath = std::vector<std::string>;

// A component-level function, as the linker sees it: either implemented by a core
// function of this component (lifted) or by the host (an import).
struct ComponentFunc {
  enum class Kind : uint8_t { Lifted, Import };
  Kind kind = Kind::Lifted;
  uint32_t lifted = 0;  // Lifted: index into Plan::lifted
  ImportPath import;    // Import
  std::shared_ptr<const FuncType> type;
};

struct LiftedFunc {
  CoreDef core;
  std::shared_ptr<const FuncType> type;
  CanonOptions options;
  uint32_t instance = 0;  // the runtime component instance the callee runs in
};

struct LoweredFunc {
  ComponentFunc callee;
  CanonOptions options;
  uint32_t instance = 0;  // the runtime component instance of the caller
};

// A canon built-in other than lift/lower (resource.new, stream.read, ...).
struct Builtin {
  binary::CanonKind kind = binary::CanonKind::ResourceNew;
  uint32_t instance = 0;
  std::optional<uint32_t> resource;  // resource.*: the runtime resource type
  TypeRef value_type;                // stream.*/future.*: the stream/future type
  TypeRef result_type;               // task.return: the result type (null: none)
  CanonOptions options;
  bool async_ = false;
  bool cancellable = false;
  uint32_t memory_index = 0;
  std::optional<CoreDef> memory;     // waitable-set.wait/poll
  std::optional<CoreDef> table;      // thread.new-indirect: the table of thread functions
  uint32_t context_index = 0;        // context.get/set
};

// A resource type. Each instantiation of a component that defines a resource type
// creates a new one (the spec's identity rule); an imported resource type is the host's.
struct ResourceDef {
  std::string name;                         // as defined/imported, for messages and JS classes
  std::optional<uint32_t> defined_by;       // the runtime instance; nullopt: host resource
  std::optional<CoreDef> dtor;              // defined resources only
  ImportPath import;                        // host resources: where the JS class is found
};

struct CoreInstantiation {
  enum class Kind : uint8_t { Module, Exports };
  Kind kind = Kind::Module;
  uint32_t module = 0;  // Module: index into Plan::modules
  // Module: import module name -> core instance index (an earlier entry).
  std::vector<std::pair<std::string, uint32_t>> args;
  // Exports: name -> item (a synthetic core instance, `(core instance (export ...))`).
  std::vector<std::pair<std::string, CoreDef>> exports;
};

struct ModuleRange {
  size_t offset = 0;
  size_t size = 0;
};

struct RuntimeInstance {
  std::optional<uint32_t> parent;
  std::string name;  // how it was reached, for messages ("" for the root)
};

// What an export or import of a component is.
struct ExportItem;
using ExportMap = std::vector<std::pair<std::string, std::shared_ptr<ExportItem>>>;

struct ExportItem {
  enum class Kind : uint8_t { Func, Instance, Resource, Type, Other };
  Kind kind = Kind::Other;
  ComponentFunc func;                 // Func
  ExportMap instance;                 // Instance
  uint32_t resource = 0;              // Resource
  TypeRef type;                       // Type (a value type)
};

// What the host must provide: the root component's imports, as the items they declare.
// Functions carry their types; resources are host resource types (Plan::resources).
struct ImportDecl {
  std::string name;
  std::shared_ptr<ExportItem> item;
};

struct Plan {
  std::vector<ModuleRange> modules;
  std::vector<CoreInstantiation> core_instances;  // in instantiation order
  std::vector<LiftedFunc> lifted;
  std::vector<LoweredFunc> lowered;
  std::vector<Builtin> builtins;
  std::vector<ResourceDef> resources;
  std::vector<RuntimeInstance> instances;  // [0] is the root
  std::vector<ImportDecl> imports;
  ExportMap exports;
  // Set when the component is valid but cannot be instantiated by this host (it imports
  // a core module or a component); instantiation then fails with this LinkError message.
  std::string unlinkable;
};

}  // namespace cm::link
