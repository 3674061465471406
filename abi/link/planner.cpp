// The linker. It walks the component's sections in order, keeping one index space per
// sort (Binary.md "Index spaces") in a Frame, and replaces every definition by what it is
// at run time: a core definition, a lifted/lowered/built-in function, a resource type, or
// an instance value (a map of names to items). Nested component instantiations are
// processed recursively in a new Frame, with their imports bound to the instantiation's
// arguments; the root's imports are bound to paths into the host's import object.
//
// Validation has already happened (validate/), so errors here are either unsupported
// features or "cannot happen" guards that keep hostile input from crashing the engine;
// both throw CompileError with the offending node's offset.
#include "link/planner.h"

#include <deque>
#include <functional>
#include <stdexcept>

#include "util/trap.h"
#include "validate/type_ops.h"

namespace cm::link {
namespace {

using binary::Sort;
using binary::CoreSort;

struct Frame;
struct InstanceValue;

// What the host cannot provide: thrown while planning, turned into Plan::unlinkable.
class Unlinkable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A component definition as a value: its AST and the frame it was defined in, which outer
// aliases inside it resolve against (lexical scoping).
struct ComponentValue {
  const binary::Component* ast = nullptr;
  Frame* scope = nullptr;
};

struct TypeEntry {
  enum class Kind : uint8_t { Value, Func, Resource, Instance, Component, Other };
  Kind kind = Kind::Other;
  TypeRef value;
  std::shared_ptr<const FuncType> func;
  uint32_t resource = 0;
  const binary::TypeDef* def = nullptr;  // Instance, Component: the declarators
  Frame* scope = nullptr;                // Instance, Component: where `def` resolves
};

// Anything that can sit in a component-level index space or be exported.
struct Item {
  Sort sort = Sort::Func;
  CoreSort core_sort = CoreSort::Func;  // sort == Core
  ComponentFunc func;
  TypeEntry type;
  std::shared_ptr<InstanceValue> instance;
  ComponentValue component;
  uint32_t module = 0;  // core module (plan.modules)
};

struct InstanceValue {
  std::vector<std::pair<std::string, Item>> exports;
  const Item* find(const std::string& name) const {
    for (auto& [n, item] : exports)
      if (n == name) return &item;
    return nullptr;
  }
};

struct Frame {
  Frame* outer = nullptr;
  uint32_t instance = 0;
  std::vector<CoreDef> core_funcs, core_tables, core_memories, core_globals, core_tags;
  size_t core_types = 0;
  std::vector<uint32_t> core_modules;
  std::vector<uint32_t> core_instances;
  std::vector<ComponentFunc> funcs;
  std::vector<TypeEntry> types;
  std::vector<ComponentValue> components;
  std::vector<std::shared_ptr<InstanceValue>> instances;
  std::vector<std::pair<std::string, Item>> exports;
};

// Bounds-checked index-space access: validation guarantees these, but a guard keeps a
// validator gap from becoming an out-of-bounds read.
template <class T>
const T& at(const std::vector<T>& space, uint32_t index, size_t offset, const char* what) {
  if (index >= space.size())
    throw CompileError(offset, std::string("unknown ") + what + " " + std::to_string(index));
  return space[index];
}

class Planner {
 public:
  Plan run(const binary::Component& root) {
    plan_.instances.push_back({std::nullopt, ""});
    Frame& frame = new_frame(nullptr, 0);
    try {
      process(&root, frame, nullptr);
    } catch (const Unlinkable& e) {
      // A valid component we cannot instantiate (e.g. it imports a core module): compiling
      // succeeds, instantiating fails with a LinkError that says why.
      Plan plan;
      plan.unlinkable = e.what();
      return plan;
    }
    for (auto& [name, item] : frame.exports) plan_.exports.push_back({name, to_export(item)});
    return std::move(plan_);
  }

 private:
  Plan plan_;
  std::deque<Frame> frames_;  // stable addresses: ComponentValues point into them
  // Synthetic core instances (`(core instance (export ...))`): their items, so that an
  // alias of one of their exports resolves to the underlying definition directly.
  std::map<uint32_t, std::map<std::string, CoreDef>> synthetic_exports_;

  Frame& new_frame(Frame* outer, uint32_t instance) {
    frames_.emplace_back();
    frames_.back().outer = outer;
    frames_.back().instance = instance;
    return frames_.back();
  }

  // ---- walking a component -----------------------------------------------------------

  // `args` is null for the root (imports come from the host).
  void process(const binary::Component* component, Frame& frame,
               const std::map<std::string, Item>* args) {
    for (const binary::Section& section : component->sections) {
      switch (section.id) {
        case binary::SectionId::Custom:
          break;
        case binary::SectionId::CoreModule:
          frame.core_modules.push_back(static_cast<uint32_t>(plan_.modules.size()));
          plan_.modules.push_back({section.core_module.offset, section.core_module.size});
          break;
        case binary::SectionId::CoreInstance:
          for (auto& ci : section.core_instances) core_instance(frame, ci);
          break;
        case binary::SectionId::CoreType:
          for (auto& t : section.core_types) frame.core_types += t.num_defined();
          break;
        case binary::SectionId::Component:
          frame.components.push_back({section.component.get(), &frame});
          break;
        case binary::SectionId::Instance:
          for (auto& inst : section.instances) instance(frame, inst);
          break;
        case binary::SectionId::Alias:
          for (auto& alias : section.aliases) add_alias(frame, alias);
          break;
        case binary::SectionId::Type:
          for (auto& t : section.types) frame.types.push_back(define_type(frame, t));
          break;
        case binary::SectionId::Canon:
          for (auto& c : section.canons) canon(frame, c);
          break;
        case binary::SectionId::Start:
          throw CompileError(section.offset, "component start functions are not supported yet");
        case binary::SectionId::Import:
          for (auto& imp : section.imports) import(frame, imp, args);
          break;
        case binary::SectionId::Export:
          for (auto& exp : section.exports) {
            Item item = lookup(frame, exp.item, exp.offset);
            name_resource(item, exp.name.name);
            frame.exports.push_back({exp.name.name, item});
            push(frame, item);  // an export adds a new index to its sort's index space
          }
          break;
        case binary::SectionId::Value:
          throw CompileError(section.offset, "component values are not supported yet");
      }
    }
  }

  // A resource type is known by the first name it is exported under (its JS class name).
  void name_resource(const Item& item, const std::string& name) {
    if (item.sort == Sort::Type && item.type.kind == TypeEntry::Kind::Resource &&
        plan_.resources[item.type.resource].name.empty())
      plan_.resources[item.type.resource].name = name;
  }

  // ---- index spaces ------------------------------------------------------------------

  void push(Frame& frame, const Item& item) {
    switch (item.sort) {
      case Sort::Func: frame.funcs.push_back(item.func); break;
      case Sort::Type: frame.types.push_back(item.type); break;
      case Sort::Instance: frame.instances.push_back(item.instance); break;
      case Sort::Component: frame.components.push_back(item.component); break;
      case Sort::Value: throw CompileError(0, "component values are not supported yet");
      case Sort::Core:
        if (item.core_sort == CoreSort::Module) frame.core_modules.push_back(item.module);
        else if (item.core_sort == CoreSort::Type) frame.core_types++;
        else throw CompileError(0, "only core modules and types can be component-level items");
        break;
    }
  }

  Item lookup(Frame& frame, const binary::SortIdx& idx, size_t offset) {
    Item item;
    item.sort = idx.sort.sort;
    item.core_sort = idx.sort.core_sort;
    switch (idx.sort.sort) {
      case Sort::Func: item.func = at(frame.funcs, idx.index, offset, "func"); break;
      case Sort::Type: item.type = at(frame.types, idx.index, offset, "type"); break;
      case Sort::Instance: item.instance = at(frame.instances, idx.index, offset, "instance"); break;
      case Sort::Component: item.component = at(frame.components, idx.index, offset, "component"); break;
      case Sort::Value: throw CompileError(offset, "component values are not supported yet");
      case Sort::Core:
        if (idx.sort.core_sort == CoreSort::Module) {
          item.module = at(frame.core_modules, idx.index, offset, "core module");
        } else if (idx.sort.core_sort == CoreSort::Type) {
          if (idx.index >= frame.core_types) throw CompileError(offset, "unknown core type");
        } else {
          throw CompileError(offset, "only core modules and types can be component-level items");
        }
        break;
    }
    return item;
  }

  CoreDef core_item(Frame& frame, CoreSort sort, uint32_t index, size_t offset) {
    switch (sort) {
      case CoreSort::Func: return at(frame.core_funcs, index, offset, "core func");
      case CoreSort::Table: return at(frame.core_tables, index, offset, "core table");
      case CoreSort::Memory: return at(frame.core_memories, index, offset, "core memory");
      case CoreSort::Global: return at(frame.core_globals, index, offset, "core global");
      case CoreSort::Tag: return at(frame.core_tags, index, offset, "core tag");
      default: throw CompileError(offset, "this core sort cannot be a core instance export");
    }
  }

  std::vector<CoreDef>& core_space(Frame& frame, CoreSort sort, size_t offset) {
    switch (sort) {
      case CoreSort::Func: return frame.core_funcs;
      case CoreSort::Table: return frame.core_tables;
      case CoreSort::Memory: return frame.core_memories;
      case CoreSort::Global: return frame.core_globals;
      case CoreSort::Tag: return frame.core_tags;
      default: throw CompileError(offset, "this core sort cannot be a core instance export");
    }
  }

  // ---- core instances ----------------------------------------------------------------

  void core_instance(Frame& frame, const binary::CoreInstance& ci) {
    CoreInstantiation out;
    uint32_t id = static_cast<uint32_t>(plan_.core_instances.size());
    if (ci.kind == binary::CoreInstance::Kind::Instantiate) {
      out.kind = CoreInstantiation::Kind::Module;
      out.module = at(frame.core_modules, ci.module, ci.offset, "core module");
      for (auto& arg : ci.args)
        out.args.push_back({arg.name, at(frame.core_instances, arg.instance, arg.offset, "core instance")});
    } else {
      out.kind = CoreInstantiation::Kind::Exports;
      auto& exports = synthetic_exports_[id];
      for (auto& e : ci.exports) {
        CoreDef def = core_item(frame, e.item.sort, e.item.index, e.offset);
        out.exports.push_back({e.name, def});
        exports[e.name] = def;
      }
    }
    plan_.core_instances.push_back(std::move(out));
    frame.core_instances.push_back(id);
  }

  // ---- aliases -----------------------------------------------------------------------

  void add_alias(Frame& frame, const binary::Alias& alias) {
    switch (alias.kind) {
      case binary::Alias::Kind::CoreInstanceExport: {
        uint32_t id = at(frame.core_instances, alias.instance, alias.offset, "core instance");
        CoreDef def{CoreDef::Kind::InstanceExport, id, alias.name};
        auto synthetic = synthetic_exports_.find(id);
        if (synthetic != synthetic_exports_.end()) {
          auto it = synthetic->second.find(alias.name);
          if (it == synthetic->second.end())
            throw CompileError(alias.offset, "core instance has no export named `" + alias.name + "`");
          def = it->second;
        }
        core_space(frame, alias.sort.core_sort, alias.offset).push_back(def);
        return;
      }
      case binary::Alias::Kind::InstanceExport: {
        auto& inst = at(frame.instances, alias.instance, alias.offset, "instance");
        const Item* item = inst->find(alias.name);
        if (!item) throw CompileError(alias.offset, "instance has no export named `" + alias.name + "`");
        if (item->sort != alias.sort.sort ||
            (item->sort == Sort::Core && item->core_sort != alias.sort.core_sort))
          throw CompileError(alias.offset, "export `" + alias.name + "` is not of the aliased sort");
        push(frame, *item);
        return;
      }
      case binary::Alias::Kind::Outer: {
        Frame* target = &frame;
        for (uint32_t i = 0; i < alias.outer_count; ++i) {
          if (!target->outer) throw CompileError(alias.offset, "outer alias count out of range");
          target = target->outer;
        }
        binary::SortIdx idx{alias.sort, alias.outer_index};
        push(frame, lookup(*target, idx, alias.offset));
        return;
      }
    }
  }

  // ---- types -------------------------------------------------------------------------

  TypeRef valtype(Frame& frame, const binary::ValTypeUse& use, size_t offset) {
    if (use.is_primitive) return validate::primitive_type(use.primitive);
    const TypeEntry& entry = at(frame.types, use.type_index, offset, "type");
    if (entry.kind != TypeEntry::Kind::Value)
      throw CompileError(offset, "type " + std::to_string(use.type_index) + " is not a value type");
    return entry.value;
  }

  TypeRef optional_valtype(Frame& frame, const std::optional<binary::ValTypeUse>& use, size_t offset) {
    return use ? valtype(frame, *use, offset) : nullptr;
  }


  uint32_t resource_of(Frame& frame, uint32_t type_index, size_t offset) {
    const TypeEntry& entry = at(frame.types, type_index, offset, "type");
    if (entry.kind != TypeEntry::Kind::Resource)
      throw CompileError(offset, "type " + std::to_string(type_index) + " is not a resource type");
    return entry.resource;
  }

  TypeRef defval(Frame& frame, const binary::DefValType& d, size_t offset) {
    using K = binary::DefValType::Kind;
    switch (d.kind) {
      case K::Primitive: return validate::primitive_type(d.primitive);
      case K::Record: {
        std::vector<Field> fields;
        for (auto& f : d.fields) fields.push_back({f.label, valtype(frame, f.type, offset)});
        return types::record(std::move(fields));
      }
      case K::Variant: {
        std::vector<Case> cases;
        for (auto& c : d.cases) cases.push_back({c.label, optional_valtype(frame, c.type, offset)});
        return types::variant(std::move(cases));
      }
      case K::List: return types::list(valtype(frame, *d.element, offset));
      case K::FixedList: return types::fixed_list(valtype(frame, *d.element, offset), d.length);
      case K::Tuple: {
        std::vector<TypeRef> elements;
        for (auto& e : d.elements) elements.push_back(valtype(frame, e, offset));
        return types::tuple(std::move(elements));
      }
      case K::Flags: return types::flags(d.labels);
      case K::Enum: return types::enumeration(d.labels);
      case K::Option: return types::option(valtype(frame, *d.element, offset));
      case K::Result:
        return types::result(optional_valtype(frame, d.element, offset), optional_valtype(frame, d.error, offset));
      case K::Own: return types::own(resource_of(frame, d.type_index, offset));
      case K::Borrow: return types::borrow(resource_of(frame, d.type_index, offset));
      case K::Stream: return types::stream(optional_valtype(frame, d.element, offset));
      case K::Future: return types::future(optional_valtype(frame, d.element, offset));
      case K::Map:
        // map<K, V> has the ABI of list<tuple<K, V>> (spec-digest §1.1).
        return types::list(types::tuple({valtype(frame, *d.element, offset), valtype(frame, *d.error, offset)}));
    }
    throw CompileError(offset, "unknown value type");
  }

  std::shared_ptr<const FuncType> functype(Frame& frame, const binary::FuncTypeDef& f, size_t offset) {
    auto out = std::make_shared<FuncType>();
    out->is_async = f.is_async;
    for (auto& p : f.params) out->params.push_back({p.label, valtype(frame, p.type, offset)});
    out->result = optional_valtype(frame, f.result, offset);
    return out;
  }

  TypeEntry define_type(Frame& frame, const binary::TypeDef& t) {
    TypeEntry entry;
    switch (t.kind) {
      case binary::TypeDef::Kind::DefVal:
        entry.kind = TypeEntry::Kind::Value;
        entry.value = defval(frame, t.defval, t.offset);
        break;
      case binary::TypeDef::Kind::Func:
        entry.kind = TypeEntry::Kind::Func;
        entry.func = functype(frame, t.func, t.offset);
        break;
      case binary::TypeDef::Kind::Resource: {
        entry.kind = TypeEntry::Kind::Resource;
        entry.resource = static_cast<uint32_t>(plan_.resources.size());
        ResourceDef def;
        def.defined_by = frame.instance;
        if (t.resource.dtor) def.dtor = at(frame.core_funcs, *t.resource.dtor, t.offset, "core func");
        plan_.resources.push_back(std::move(def));
        break;
      }
      case binary::TypeDef::Kind::Instance:
      case binary::TypeDef::Kind::Component:
        entry.kind = t.kind == binary::TypeDef::Kind::Instance ? TypeEntry::Kind::Instance
                                                               : TypeEntry::Kind::Component;
        entry.def = &t;
        entry.scope = &frame;
        break;
    }
    return entry;
  }

  // ---- imports -----------------------------------------------------------------------

  void import(Frame& frame, const binary::Import& imp, const std::map<std::string, Item>* args) {
    const std::string& name = imp.name.name;
    if (args) {  // a nested component: the instantiation's argument of that name
      auto it = args->find(name);
      if (it == args->end())
        throw CompileError(imp.offset, "missing instantiation argument `" + name + "`");
      push(frame, it->second);
      return;
    }
    Item item = host_item(frame, imp.type, {name}, imp.offset);
    plan_.imports.push_back({name, to_export(item)});
    push(frame, item);
  }

  // What the host provides for an import of type `type` found at `path` in its import
  // object. `scope` is where the type indices in `type` resolve.
  Item host_item(Frame& scope, const binary::ExternType& type, const ImportPath& path, size_t offset) {
    using K = binary::ExternType::Kind;
    Item item;
    switch (type.kind) {
      case K::Func: {
        const TypeEntry& entry = at(scope.types, type.type_index, offset, "type");
        if (entry.kind != TypeEntry::Kind::Func) throw CompileError(offset, "import is not of a function type");
        item.sort = Sort::Func;
        item.func = {ComponentFunc::Kind::Import, 0, path, entry.func};
        return item;
      }
      case K::Instance: {
        const TypeEntry& entry = at(scope.types, type.type_index, offset, "type");
        if (entry.kind != TypeEntry::Kind::Instance)
          throw CompileError(offset, "import is not of an instance type");
        item.sort = Sort::Instance;
        item.instance = host_instance(*entry.def, *entry.scope, path);
        return item;
      }
      case K::Type: {
        item.sort = Sort::Type;
        if (type.type_bound.kind == binary::TypeBound::Kind::SubResource) {
          item.type.kind = TypeEntry::Kind::Resource;
          item.type.resource = static_cast<uint32_t>(plan_.resources.size());
          ResourceDef def;
          def.name = path.back();
          def.import = path;
          plan_.resources.push_back(std::move(def));
        } else {
          item.type = at(scope.types, type.type_bound.type_index, offset, "type");
        }
        return item;
      }
      case K::CoreModule:
        throw Unlinkable("import `" + path.front() + "`: importing a core module from the host is not supported");
      case K::Component:
        throw Unlinkable("import `" + path.front() + "`: importing a component from the host is not supported");
      case K::Value:
        throw Unlinkable("import `" + path.front() + "`: component value imports are not supported yet");
    }
    throw CompileError(offset, "unknown import kind");
  }

  // An imported instance: walk its instance type's declarators in a scope of their own,
  // turning each export into a host item at path + [export name].
  std::shared_ptr<InstanceValue> host_instance(const binary::TypeDef& def, Frame& defined_in,
                                               const ImportPath& path) {
    Frame& scope = new_frame(&defined_in, defined_in.instance);
    auto value = std::make_shared<InstanceValue>();
    for (const binary::TypeDecl& decl : def.decls) {
      switch (decl.kind) {
        case binary::TypeDecl::Kind::CoreType:
          scope.core_types += decl.core_type ? decl.core_type->num_defined() : 1;
          break;
        case binary::TypeDecl::Kind::Type:
          scope.types.push_back(define_type(scope, *decl.type));
          break;
        case binary::TypeDecl::Kind::Alias:
          add_alias(scope, *decl.alias);
          break;
        case binary::TypeDecl::Kind::Export: {
          ImportPath member = path;
          member.push_back(decl.name.name);
          Item item = host_item(scope, decl.extern_type, member, decl.offset);
          value->exports.push_back({decl.name.name, item});
          push(scope, item);
          break;
        }
        case binary::TypeDecl::Kind::Import:
          throw CompileError(decl.offset, "imports are not allowed in instance types");
      }
    }
    return value;
  }

  // ---- component instances -----------------------------------------------------------

  void instance(Frame& frame, const binary::Instance& inst) {
    if (inst.kind == binary::Instance::Kind::FromExports) {
      auto value = std::make_shared<InstanceValue>();
      for (auto& e : inst.exports) value->exports.push_back({e.name.name, lookup(frame, e.item, e.offset)});
      frame.instances.push_back(value);
      return;
    }
    const ComponentValue& component = at(frame.components, inst.component, inst.offset, "component");
    std::map<std::string, Item> args;
    for (auto& arg : inst.args) args[arg.name] = lookup(frame, arg.item, arg.offset);
    uint32_t id = static_cast<uint32_t>(plan_.instances.size());
    plan_.instances.push_back({frame.instance, "instance " + std::to_string(frame.instances.size())});
    Frame& child = new_frame(component.scope, id);
    process(component.ast, child, &args);
    auto value = std::make_shared<InstanceValue>();
    value->exports = child.exports;
    frame.instances.push_back(value);
  }

  // ---- canonical definitions ---------------------------------------------------------

  CanonOptions options(Frame& frame, const std::vector<binary::CanonOpt>& opts) {
    CanonOptions out;
    for (auto& o : opts) {
      using K = binary::CanonOpt::Kind;
      switch (o.kind) {
        case K::Utf8: out.string_encoding = StringEncoding::Utf8; break;
        case K::Utf16: out.string_encoding = StringEncoding::Utf16; break;
        case K::Latin1Utf16: out.string_encoding = StringEncoding::Latin1Utf16; break;
        case K::Memory: out.memory = at(frame.core_memories, o.index, o.offset, "core memory"); break;
        case K::Realloc: out.realloc = at(frame.core_funcs, o.index, o.offset, "core func"); break;
        case K::PostReturn: out.post_return = at(frame.core_funcs, o.index, o.offset, "core func"); break;
        case K::Async: out.is_async = true; break;
        case K::Callback: out.callback = at(frame.core_funcs, o.index, o.offset, "core func"); break;
        default: break;  // options with no run-time effect here (validated elsewhere)
      }
    }
    return out;
  }

  void canon(Frame& frame, const binary::Canon& c) {
    using K = binary::CanonKind;
    if (c.kind == K::Lift) {
      const TypeEntry& type = at(frame.types, c.type_index, c.offset, "type");
      if (type.kind != TypeEntry::Kind::Func) throw CompileError(c.offset, "canon lift type is not a function type");
      uint32_t index = static_cast<uint32_t>(plan_.lifted.size());
      plan_.lifted.push_back({at(frame.core_funcs, c.func_index, c.offset, "core func"), type.func,
                              options(frame, c.opts), frame.instance});
      frame.funcs.push_back({ComponentFunc::Kind::Lifted, index, {}, type.func});
      return;
    }
    if (c.kind == K::Lower) {
      uint32_t index = static_cast<uint32_t>(plan_.lowered.size());
      plan_.lowered.push_back({at(frame.funcs, c.func_index, c.offset, "func"), options(frame, c.opts), frame.instance});
      frame.core_funcs.push_back({CoreDef::Kind::Lowered, index, ""});
      return;
    }
    Builtin b;
    b.kind = c.kind;
    b.instance = frame.instance;
    b.options = options(frame, c.opts);
    b.async_ = c.async_;
    b.cancellable = c.cancellable;
    b.context_index = c.context_index;
    switch (c.kind) {
      case K::ResourceNew:
      case K::ResourceDrop:
      case K::ResourceRep:
        b.resource = resource_of(frame, c.type_index, c.offset);
        break;
      case K::StreamNew: case K::StreamRead: case K::StreamWrite: case K::StreamCancelRead:
      case K::StreamCancelWrite: case K::StreamDropReadable: case K::StreamDropWritable:
      case K::FutureNew: case K::FutureRead: case K::FutureWrite: case K::FutureCancelRead:
      case K::FutureCancelWrite: case K::FutureDropReadable: case K::FutureDropWritable: {
        const TypeEntry& type = at(frame.types, c.type_index, c.offset, "type");
        if (type.kind != TypeEntry::Kind::Value) throw CompileError(c.offset, "not a stream or future type");
        b.value_type = type.value;
        break;
      }
      case K::TaskReturn:
        b.result_type = optional_valtype(frame, c.result, c.offset);
        break;
      case K::WaitableSetWait:
      case K::WaitableSetPoll:
        b.memory = at(frame.core_memories, c.memory_index, c.offset, "core memory");
        break;
      case K::ThreadNewIndirect:
        b.table = at(frame.core_tables, c.table_index, c.offset, "core table");
        break;
      default:
        break;
    }
    uint32_t index = static_cast<uint32_t>(plan_.builtins.size());
    plan_.builtins.push_back(std::move(b));
    frame.core_funcs.push_back({CoreDef::Kind::Builtin, index, ""});
  }

  // ---- exports -----------------------------------------------------------------------

  std::shared_ptr<ExportItem> to_export(const Item& item) {
    auto out = std::make_shared<ExportItem>();
    switch (item.sort) {
      case Sort::Func:
        out->kind = ExportItem::Kind::Func;
        out->func = item.func;
        break;
      case Sort::Instance:
        out->kind = ExportItem::Kind::Instance;
        for (auto& [name, member] : item.instance->exports) out->instance.push_back({name, to_export(member)});
        break;
      case Sort::Type:
        if (item.type.kind == TypeEntry::Kind::Resource) {
          out->kind = ExportItem::Kind::Resource;
          out->resource = item.type.resource;
        } else if (item.type.kind == TypeEntry::Kind::Value) {
          out->kind = ExportItem::Kind::Type;
          out->type = item.type.value;
        }
        break;
      default:
        break;
    }
    return out;
  }
};

}  // namespace

Plan plan_component(const binary::Component& root) { return Planner().run(root); }

}  // namespace cm::link
