// Validation of a decoded component (binary/ast.h): builds every index space (core func,
// table, memory, global, tag, type, module, instance; component func, type, instance,
// component) in definition order, including aliases, outer aliases and nested components
// with their own index spaces, resolves every type to cm::TypeRef / cm::FuncType, and
// checks the rules the Canonical ABI relies on (Binary.md, Explainer.md, CanonicalABI.md
// "canonopt Validation" and each built-in's validation). Any violation throws
// cm::CompileError(offset, rule); rule texts follow wasm-tools' wording where the spec's
// tests quote it.
//
// The result keeps, per component (root and every nested component definition), the
// resolved entry of every index, so that the linker can walk the AST in the same order
// and find the type of everything it meets without re-deriving it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "binary/ast.h"
#include "util/trap.h"
#include "validate/component_types.h"

namespace cm::validate {

struct ValidateOptions {
  // Accept the `cancellable` immediate (byte 0x01) of waitable-set.wait/poll and
  // thread.*. Binaries of the spec snapshot use it; component-model#716 removed it and the
  // byte must now be 0, which is what wasm-tools 0.259 emits.
  bool allow_legacy_cancellable = false;
  // Accept `async` lifts without a `callback` (the stackful ABI, 🚟). The spec's tests use
  // it; running it needs stack switching (JSPI), which not every engine has.
  bool allow_async_stackful = false;
  // Validate `elem_size(t, 'i64') < 2^28` for every defined value type (Binary.md).
  bool check_max_value_size = true;
};

// The canonical options of a lift/lower/built-in, resolved.
struct CanonOptionsInfo {
  StringEncoding string_encoding = StringEncoding::Utf8;
  std::optional<uint32_t> memory;       // core memory index
  std::optional<uint32_t> realloc;      // core func index
  std::optional<uint32_t> post_return;  // core func index
  std::optional<uint32_t> callback;     // core func index
  bool async_ = false;
};

// One canonical definition, resolved (parallel to the component's canon entries in
// binary order).
struct CanonInfo {
  binary::CanonKind kind = binary::CanonKind::Lift;
  size_t offset = 0;
  // Lift: the lifted type. Lower: the callee's type. task.return: (func (param "v" T)?).
  FuncTypeRef func_type;
  CanonOptionsInfo options;
  // The core signature of the core function this definition involves: for lift, the one
  // the lifted core function has; for every other kind, the one of the core func it
  // defines.
  CoreFuncType core_type;
  // Lift: index of the new component func. Others: index of the new core func.
  uint32_t defined_index = 0;
  std::optional<ResourceTypeId> resource;  // resource.new/drop/rep
  TypeRef stream_or_future;                // stream.* / future.*: the stream/future type
};

struct ValidatedComponent {
  // Component-level index spaces, in index order.
  std::vector<FuncTypeRef> funcs;
  std::vector<TypeInfoRef> types;
  std::vector<InstanceTypeRef> instances;
  std::vector<ComponentTypeRef> components;
  // Core index spaces, in index order.
  std::vector<CoreExternDesc> core_funcs;  // kind Func; `func` is the signature
  std::vector<CoreExternDesc> core_tables;
  std::vector<CoreExternDesc> core_memories;
  std::vector<CoreExternDesc> core_globals;
  std::vector<CoreExternDesc> core_tags;
  std::vector<CoreTypeInfo> core_types;
  std::vector<CoreModuleTypeRef> core_modules;
  std::vector<CoreInstanceTypeRef> core_instances;
  // Every canonical definition, in binary order.
  std::vector<CanonInfo> canons;
  // Every nested component definition (component sections), in binary order.
  std::vector<std::shared_ptr<const ValidatedComponent>> nested;
  // This component's own type: its imports and exports.
  ComponentTypeRef type;
  // All resource types met while validating the root component (shared by nested ones),
  // indexed by ResourceTypeId.
  std::shared_ptr<const std::vector<ResourceInfo>> resources;
};

// Validates `component`, decoded from `bytes` (needed to summarize the embedded core
// modules). Throws CompileError.
ValidatedComponent validate_component(const binary::Component& component,
                                      std::span<const uint8_t> bytes,
                                      const ValidateOptions& options = {});

}  // namespace cm::validate
