// TypeScript declarations for one component: its exports, and the shape of the imports
// object it needs, in cmbridge's value mapping (README "Values").
//
// Why here and not in the engine: the mapping from component types to JS values belongs
// to the JS runtime (js/values/codec.mjs, js/values/stream-codec.mjs, js/runtime/), so its
// TypeScript statement sits beside it, where a change to one is seen next to the other.
// The engine contributes what JS cannot know cheaply: which name each record, variant,
// enum, flags, alias and resource has, and in which interface it is defined (the world
// description of abi/wit/world_json.h, the same names the WIT printer uses).
//
// Layout of the output: the world's own named types at the top level; one namespace per
// interface (`wasi:io/streams@0.2.0` -> `WasiIoStreams`) holding its named types and its
// `Imports` or `Exports` interface; then `Imports` and `Exports` for the whole component,
// and `Component` = cmbridge's Component typed with both, for `Component.compile<...>()`.
//
// Direction matters where the runtime is lenient: an argument the host passes in may be a
// `number` for u64, any array-like for a list, any ReadableStream/iterable for a stream, any
// thenable for a future; what the runtime hands out is exactly a bigint, a TypedArray or an
// Array, a ReadableStream, a Promise. A named type is declared once, in the exact form
// the runtime hands out (so it is also a valid argument), and used by that name both ways.
import { interfaceShortNames, lowerCamelCase, upperCamelCase } from '../names.mjs';

const TYPED_ARRAYS = {
  u8: 'Uint8Array', s8: 'Int8Array', u16: 'Uint16Array', s16: 'Int16Array', u32: 'Uint32Array',
  s32: 'Int32Array', u64: 'BigUint64Array', s64: 'BigInt64Array', f32: 'Float32Array', f64: 'Float64Array',
};
const NUMBERS = new Set(['u8', 's8', 'u16', 's16', 'u32', 's32', 'f32', 'f64']);
// What the file itself declares at the top level; a world-level type of the same name
// gets a `Type` suffix, an interface's namespace a version or a number.
const TOP_LEVEL = new Set(['Imports', 'Exports', 'Component', 'GenericComponent', 'CallOptions', 'ErrorContext', 'StreamSource']);

// Words a parameter may not be called in TypeScript (strict mode reserved words).
const RESERVED = new Set(`break case catch class const continue debugger default delete do else enum export extends
  false finally for function if import in instanceof new null return super switch this throw true try typeof var void
  while with implements interface let package private protected public static yield await arguments eval`.split(/\s+/));

const IN = 'in';    // a value the host gives the runtime (lenient)
const OUT = 'out';  // a value the runtime gives the host (exact)

/**
 * The .d.ts text for a component described by the engine (`describeComponent`'s `world`).
 * `source`: the file name, for the header comment.
 */
export function typescriptDeclarations(world, { source } = {}) {
  return new Declarations(world).write(source);
}

class Declarations {
  constructor(world) {
    this.world = world;
    this.types = world.types;
    this.resources = new Map(world.resources.map((r) => [r.id, r]));
    this.namespaces = namespaceNames(world);
    this.usesErrorContext = false;
    this.usesCallOptions = false;
    this.usesStreamSource = false;
    this.usesDispose = false;
  }

  write(source) {
    const scopes = this.world.scopes.map(() => []);  // declarations per scope
    this.declareNamedTypes(scopes);
    this.declareResources(scopes);
    // Each interface's own Imports/Exports object.
    for (const [exported, items] of [[false, this.world.imports], [true, this.world.exports]]) {
      for (const item of items) {
        if (item.kind !== 'interface') continue;
        const members = this.members(item.items, exported, item.scope);
        const what = exported ? 'Exports' : 'Imports';
        scopes[item.scope].push(docLine(`What ${exported ? 'the component exports as' : 'the host provides for the import'} \`${item.name}\`.`) +
          `export interface ${what} {\n${indent(members.join('\n'))}\n}`);
      }
    }
    const importMembers = this.members(this.world.imports, false, 0);
    const exportMembers = this.members(this.world.exports, true, 0);
    // The exported interfaces' short names (runtime/linker.mjs buildExports gives them too).
    const shortNames = interfaceShortNames(this.world.exports.map((item) => [item.name, item.kind === 'interface']));
    for (const item of this.world.exports) {
      const short = shortNames.get(item.name);
      if (short !== undefined) exportMembers.push(`${docLine(`\`${item.name}\` by its short name.`)}${propertyKey(short)}: ${this.namespaces[item.scope]}.Exports;`);
    }

    const out = [];
    out.push(`// TypeScript declarations for the component${source ? ` ${source}` : ''}, written by \`cmbridge types\`.`);
    out.push('// Values follow cmbridge\'s mapping (README "Values"); a function returning result<T, E>');
    out.push('// returns T and throws a ComponentError whose .payload is the E.');
    const imported = ['Component as GenericComponent'];
    if (this.usesCallOptions) imported.push('CallOptions');
    if (this.usesErrorContext) imported.push('ErrorContext');
    if (this.usesStreamSource) imported.push('StreamSource');
    out.push(`import type { ${imported.join(', ')} } from 'cmbridge';`);
    if (this.usesDispose) {
      // Resources have [Symbol.dispose]. A project whose lib predates it (the README's
      // es2022) would not know the symbol; this is the declaration TypeScript's own
      // esnext.disposable makes, which it merges with where that lib is there too.
      out.push('', 'declare global {\n  interface SymbolConstructor { readonly dispose: unique symbol; }\n}');
    }
    for (const decl of scopes[0]) out.push('', decl);
    for (let s = 1; s < scopes.length; s++) {
      const scope = this.world.scopes[s];
      if (!scopes[s].length) continue;
      out.push('');
      out.push(`/** The interface \`${scope.name}\`${scope.exported ? ' (exported)' : ''}. */`);
      out.push(`export namespace ${this.namespaces[s]} {\n${indent(scopes[s].join('\n\n'))}\n}`);
    }
    out.push('', '/** The imports object the component needs (keys as named; lowerCamelCase for plain names). */');
    out.push(`export interface Imports {\n${indent(importMembers.join('\n'))}\n}`);
    out.push('', '/** The exports of an instance of the component. */');
    out.push(`export interface Exports {\n${indent(exportMembers.join('\n'))}\n}`);
    out.push('', '/** The component, typed: `await Component.compile<Exports, Imports>(bytes)`. */');
    out.push('export type Component = GenericComponent<Exports, Imports>;');
    return out.join('\n') + '\n';
  }

  // ---- names -----------------------------------------------------------------------------

  // The name a type defined in `scope` is declared by: UpperCamelCase, unless that is
  // one of the names this file declares at the top level.
  declaredName(scope, name) {
    const local = upperCamelCase(name);
    return scope === 0 && TOP_LEVEL.has(local) ? `${local}Type` : local;
  }

  // How a type defined in `scope` is referred to: qualified by its namespace.
  qualified(scope, name) {
    const local = this.declaredName(scope, name);
    return scope === 0 ? local : `${this.namespaces[scope]}.${local}`;
  }

  resourceType(id) {
    const r = this.resources.get(id);
    return r?.name === undefined ? 'object' : this.qualified(r.scope, r.name);
  }

  // ---- named types -------------------------------------------------------------------------

  declareNamedTypes(scopes) {
    const done = new Set();
    this.types.forEach((t) => {
      const def = t.definition;
      if (!def) return;
      const key = `${def.scope}/${def.name}`;
      if (done.has(key)) return;
      done.add(key);
      scopes[def.scope].push(`export type ${this.declaredName(def.scope, def.name)} = ${this.structure(t, OUT)};`);
    });
  }

  declareResources(scopes) {
    for (const r of this.world.resources) {
      if (r.name === undefined) continue;
      const items = this.itemsOfScope(r.scope, r.exported);
      const members = resourceMembers(items, r.name);
      const name = this.declaredName(r.scope, r.name);
      if (r.exported) {
        // The component's own resource: JS gets a class the runtime made.
        const body = [];
        const ctor = members.find((m) => m.kind === 'constructor');
        body.push(ctor ? `constructor${this.params(ctor.func, IN)};` : 'private constructor();');
        for (const m of members) {
          if (m.kind === 'method') body.push(`${this.method(m.name, m.func, true, true)}`);
          if (m.kind === 'static') body.push(`static ${this.method(m.name, m.func, false, true)}`);
        }
        body.push('/** Drops the handle now (runs the destructor when this was the last one). */');
        body.push('[Symbol.dispose](): void;');
        this.usesDispose = true;
        scopes[r.scope].push(`export class ${name} {\n${indent(body.join('\n'))}\n}`);
      } else {
        // The host's resource: objects of a class the host provides in the imports.
        const instance = members.filter((m) => m.kind === 'method').map((m) => this.method(m.name, m.func, true, false));
        instance.push('[Symbol.dispose]?(): void;');
        this.usesDispose = true;
        scopes[r.scope].push(`/** An object of the host's resource \`${r.name}\`. */\n` +
          `export interface ${name} {\n${indent(instance.join('\n'))}\n}`);
        const statics = [`prototype: ${name};`];
        const ctor = members.find((m) => m.kind === 'constructor');
        if (ctor) statics.push(`new ${this.params(ctor.func, OUT)}: ${name};`);
        for (const m of members.filter((m) => m.kind === 'static')) statics.push(this.method(m.name, m.func, false, false));
        scopes[r.scope].push(`/** The class the host gives for \`${r.name}\` (its constructor and static functions). */\n` +
          `export interface ${name}Class {\n${indent(statics.join('\n'))}\n}`);
      }
    }
  }

  itemsOfScope(scope, exported) {
    if (scope !== 0) {
      const list = this.world.scopes[scope].exported ? this.world.exports : this.world.imports;
      return list.find((i) => i.kind === 'interface' && i.scope === scope)?.items ?? [];
    }
    return exported ? this.world.exports : this.world.imports;
  }

  // ---- members of an imports/exports object ------------------------------------------------

  // `exported`: the component exports these (the host calls them), else the host provides them.
  members(items, exported, scope) {
    const out = [];
    for (const item of items) {
      if (item.kind === 'func') {
        if (isResourceMember(item.name)) continue;  // on the resource's class
        out.push(this.method(item.name, item.func, false, exported));
      } else if (item.kind === 'interface') {
        const ns = this.namespaces[item.scope];
        // A WASI import is optional: cmbridge/wasi's wasiImports() provides it, under a key
        // of its own version ('…@0.2.12' serves an import of '…@0.2.0'), and is typed as
        // loose imports, so `{ ...wasiImports(), ...mine }` must type-check without it.
        const optional = !exported && item.name.startsWith('wasi:');
        if (optional) out.push(docLine(`Provided by cmbridge/wasi (wasiImports(), wasiImportsFor()) unless given here.`).trimEnd());
        out.push(`${propertyKey(item.name)}${optional ? '?' : ''}: ${ns}.${exported ? 'Exports' : 'Imports'};`);
      } else if (item.kind === 'resource') {
        const r = this.resources.get(item.resource);
        if (!r || r.scope !== scope || r.name !== item.name) continue;  // a `use` of another's
        const name = upperCamelCase(item.name);
        if (exported && r.exported) out.push(`${name}: typeof ${this.qualified(r.scope, r.name)};`);
        if (!exported && !r.exported) {
          // Without functions to call on it, the class is only used to check objects.
          const needed = resourceMembers(items, item.name).length > 0;
          out.push(`${name}${needed ? '' : '?'}: ${this.qualified(r.scope, r.name)}Class;`);
        }
      }
    }
    return out;
  }

  // A function as a method signature. `exported`: the host calls it (arguments IN, result
  // OUT); otherwise the host implements it (arguments OUT, result IN).
  method(name, func, dropSelf, exported) {
    const key = propertyKey(lowerCamelCase(name));
    const paramDir = exported ? IN : OUT;
    const resultDir = exported ? OUT : IN;
    const params = this.params(func, paramDir, dropSelf);
    let result = func.result === null ? 'void' : this.returned(this.types[func.result], resultDir);
    if (func.async) {
      if (exported) {
        // An async export returning a future settles with the future's value (Promises
        // flatten), so Promise<Promise<T>> is Promise<T>.
        const resultType = func.result === null ? null : this.types[func.result];
        if (resultType?.kind === 'future') result = resultType.element === null ? 'void' : this.type(resultType.element, OUT);
        this.usesCallOptions = true;
        const withOptions = params === '()' ? '(options?: CallOptions)' : `${params.slice(0, -1)}, options?: CallOptions)`;
        result = `Promise<${result}>`;
        if (this.isStreamTransform(func)) {
          return `${key}: ((${withOptions.slice(1, -1)}) => ${result}) & {\n` +
            `  /** A { writable, readable } pair for ReadableStream.pipeThrough. */\n` +
            `  asTransform(): { writable: WritableStream<${this.streamChunk(this.types[func.params[0].type])}>; ` +
            `readable: ${this.type(func.result, OUT)} };\n};`;
        }
        return `${key}${withOptions}: ${result};`;
      }
      result = `${result} | Promise<${result}>`;
    }
    return `${key}${params}: ${result};`;
  }

  params(func, dir, dropSelf = false) {
    const list = dropSelf ? func.params.slice(1) : func.params;
    return `(${list.map((p) => `${parameterName(p.name)}: ${this.type(p.type, dir)}`).join(', ')})`;
  }

  // A function result: result<T, E> becomes T (E is thrown), a missing T void.
  returned(t, dir) {
    if (t.kind === 'result') return t.cases[0].type === null ? 'void' : this.type(t.cases[0].type, dir);
    return this.structureOrName(t, dir);
  }

  isStreamTransform(func) {
    return func.params.length === 1 && this.types[func.params[0].type].kind === 'stream' &&
      func.result !== null && this.types[func.result].kind === 'stream';
  }

  // ---- value types -------------------------------------------------------------------------

  type(index, dir) {
    return this.structureOrName(this.types[index], dir);
  }

  structureOrName(t, dir) {
    if (t.definition) return this.qualified(t.definition.scope, t.definition.name);
    return this.structure(t, dir);
  }

  // The TypeScript form of a type's structure (not its name).
  structure(t, dir) {
    const k = t.kind;
    if (k === 'bool') return 'boolean';
    if (NUMBERS.has(k)) return 'number';
    if (k === 'u64' || k === 's64') return dir === IN ? 'bigint | number' : 'bigint';
    if (k === 'char' || k === 'string') return 'string';
    if (k === 'error-context') {
      this.usesErrorContext = true;
      return dir === IN ? 'ErrorContext | Error | string' : 'ErrorContext';
    }
    if (k === 'list') {
      const elem = this.types[t.element];
      const typed = TYPED_ARRAYS[elem.kind];  // by kind, named or not, as the runtime does
      if (typed) {
        const item = elem.kind === 'u64' || elem.kind === 's64' ? 'bigint' : 'number';
        return dir === IN ? `${typed} | ArrayLike<${item}>` : typed;
      }
      return dir === IN ? `ArrayLike<${this.type(t.element, dir)}>` : `Array<${this.type(t.element, dir)}>`;
    }
    if (k === 'fixed-list') return dir === IN ? `ArrayLike<${this.type(t.element, dir)}>` : `Array<${this.type(t.element, dir)}>`;
    if (k === 'tuple') return `[${t.fields.map((f) => this.type(f.type, dir)).join(', ')}]`;
    if (k === 'record') {
      return `{ ${t.fields.map((f) => `${propertyKey(lowerCamelCase(f.name))}: ${this.type(f.type, dir)};`).join(' ')} }`;
    }
    if (k === 'flags') {
      const opt = dir === IN ? '?' : '';
      return `{ ${t.labels.map((l) => `${propertyKey(lowerCamelCase(l))}${opt}: boolean;`).join(' ')} }`;
    }
    if (k === 'enum') return t.cases.map((c) => quote(c.name)).join(' | ');
    if (k === 'variant' || k === 'result') {
      return t.cases.map((c) => {
        const tag = k === 'result' && c.name === 'error' ? 'err' : c.name;
        return c.type === null ? `{ tag: ${quote(tag)} }` : `{ tag: ${quote(tag)}; val: ${this.type(c.type, dir)} }`;
      }).join(' | ');
    }
    if (k === 'option') {
      const payload = this.types[t.cases[1].type];
      // option<option<T>> is tagged (js/values/codec.mjs optionForm).
      if (payload.kind === 'option') return `{ tag: 'none' } | { tag: 'some'; val: ${this.type(t.cases[1].type, dir)} }`;
      return `${this.type(t.cases[1].type, dir)} | undefined`;
    }
    if (k === 'own' || k === 'borrow') return this.resourceType(t.resource);
    if (k === 'stream') {
      const chunk = this.streamChunk(t);
      if (dir === OUT) return `ReadableStream<${chunk}>`;
      this.usesStreamSource = true;
      return chunk === 'Uint8Array' ? 'StreamSource<Uint8Array | number> | Uint8Array' : `StreamSource<${chunk}>`;
    }
    if (k === 'future') {
      const value = t.element === null ? 'void' : this.type(t.element, dir);
      return dir === IN ? `PromiseLike<${value}>` : `Promise<${value}>`;
    }
    return 'unknown';
  }

  // What a ReadableStream of a stream<T> carries: byte chunks for stream<u8>, else T's values.
  streamChunk(t) {
    if (t.element === null) return 'void';
    const elem = this.types[t.element];
    if (elem.kind === 'u8') return 'Uint8Array';
    return this.type(t.element, OUT);
  }
}

// ---- helpers -------------------------------------------------------------------------------

// A namespace name per interface scope (index 0, the world, has none), unique in the file.
function namespaceNames(world) {
  const taken = new Set(TOP_LEVEL);
  for (const t of world.types) if (t.definition?.scope === 0) taken.add(upperCamelCase(t.definition.name));
  for (const r of world.resources) if (r.scope === 0 && r.name !== undefined) taken.add(upperCamelCase(r.name));
  return world.scopes.map((s, i) => {
    if (i === 0) return '';
    const base = s.kind === 'interface'
      ? upperCamelCase(`${s.package.replace(/[:/]/g, '-')}-${s.interface}`)
      : upperCamelCase(s.name);
    let name = base;
    if (taken.has(name) && s.version) name = `${base}${s.version.replace(/[^0-9A-Za-z]/g, '')}`;
    for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
    taken.add(name);
    return name;
  });
}

function isResourceMember(name) {
  return /^\[(constructor|method|static)\]/.test(name);
}

// The [constructor]/[method]/[static] functions of resource `resource` among `items`.
function resourceMembers(items, resource) {
  const out = [];
  for (const item of items) {
    if (item.kind !== 'func') continue;
    const m = /^\[(constructor|method|static)\]([^.]*)(?:\.(.*))?$/.exec(item.name);
    if (!m || m[2] !== resource) continue;
    out.push({ kind: m[1], name: m[3] ?? '', func: item.func });
  }
  return out;
}

function parameterName(name) {
  const camel = lowerCamelCase(name);
  return RESERVED.has(camel) ? `${camel}_` : camel;
}

function propertyKey(name) {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : quote(name);
}

function quote(s) {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function indent(text) {
  return text.split('\n').map((l) => (l ? `  ${l}` : l)).join('\n');
}

function docLine(text) {
  return `/** ${text} */\n`;
}
