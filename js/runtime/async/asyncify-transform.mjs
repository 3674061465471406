// Where the JavaScript engine has no JSPI (WebKit, Node 20-24 without a flag), a guest
// stack that must wait is unwound and later rewound instead of suspended: the core modules
// that can be on such a stack are rewritten in Binaryen's Asyncify form when the component
// is compiled (asyncify.mjs drives the result at run time). Binaryen (the npm `binaryen`
// package, 15 MB of JS and wasm) is loaded only when a component needs it.
//
// Which modules: those that import a built-in that may block, a sync lower of an async
// function, or a function exported by another such module (a stack may cross core modules
// of one component: an adapter's export calls the main module, whose import blocks), and
// those whose tables may be given such functions (see unwindingImports). Only those imports
// count as ones that may unwind, so Asyncify instruments only the functions that can reach
// them (and those with indirect calls, which it must assume can).
//
// Each rewritten module imports the unwind state and data pointer as globals
// (`asyncify-import-globals`), so that one state is seen by every module on a stack. The
// buffers are kept in its memory 0, which it exports as MEMORY_EXPORT where it defines
// memories (where it only imports one, asyncify.mjs finds it among its imports); a module
// without memory gets one.
import { blocksInPlan, uleb } from './jspi.mjs';

/** The import module name of the globals the rewritten modules import. */
export const ASYNCIFY_IMPORT_MODULE = 'env';
export const STATE_GLOBAL = '__asyncify_state';
export const DATA_GLOBAL = '__asyncify_data';
export const MEMORY_EXPORT = 'cmbridge:asyncify-memory';

/**
 * For each core module of the plan, the imports (as `module.name`) through which a stack
 * may unwind, or null where the module needs no rewriting. `loweredBlocks(index)`: whether
 * lowered function `index` may block beyond what the plan says (instantiate's
 * suspendingImports).
 */
export function unwindingImports(plan, loweredBlocks = () => false) {
  const blocks = (def) => blocksInPlan(plan, def) || (def.lowered !== undefined && loweredBlocks(def.lowered));
  const perModule = plan.modules.map(() => null);
  let changed = true;
  const mark = (instance) => {
    const ci = plan.coreInstances[instance];
    if (ci.exports || perModule[ci.module] !== null) return;
    perModule[ci.module] = [];
    changed = true;
  };
  // A core instance made of definitions (the plan's `exports` bags): which of its names
  // block. A real instance: whether its module is rewritten (then every function it
  // exports may unwind).
  const blockingNames = plan.coreInstances.map((ci) => {
    if (!ci.exports) return null;
    return new Set(ci.exports.filter(({ def }) => def.instance === undefined && blocks(def)).map(({ name }) => name));
  });
  const forwarded = plan.coreInstances.map((ci) => (ci.exports ? ci.exports.filter(({ def }) => def.instance !== undefined) : []));
  while (changed) {
    changed = false;
    for (const ci of plan.coreInstances) {
      if (ci.exports) continue;
      const list = new Set(perModule[ci.module] ?? []);
      const before = list.size;
      let importsBlocking = false;
      for (const arg of ci.args) {
        const from = plan.coreInstances[arg.instance];
        if (from.exports) {
          for (const name of blockingNames[arg.instance]) list.add(`${arg.name}.${name}`);
          if (blockingNames[arg.instance].size > 0) importsBlocking = true;
          // A bag entry naming another real instance's export: blocking if that one is rewritten.
          for (const { name, def } of forwarded[arg.instance]) {
            const source = plan.coreInstances[def.instance];
            if (!source.exports && perModule[source.module] !== null) list.add(`${arg.name}.${name}`);
          }
        } else if (perModule[from.module] !== null) {
          list.add(`${arg.name}.*`);
        }
      }
      if (list.size > before || (list.size > 0 && perModule[ci.module] === null)) {
        perModule[ci.module] = [...list];
        changed = true;
      }
      // A module given blocking functions may store them in a table of another instance it
      // imports from (wit-component's fixup module fills the shim module's table, which the
      // main module calls through): that instance's indirect calls may unwind, so its module
      // is rewritten too (Asyncify instruments every function with an indirect call).
      if (importsBlocking) {
        for (const arg of ci.args) {
          const from = plan.coreInstances[arg.instance];
          if (!from.exports) mark(arg.instance);
          else for (const { def } of forwarded[arg.instance]) mark(def.instance);
        }
      }
    }
  }
  return perModule;
}

const NO_IMPORT = 'cmbridge:none.none';
// What tidies Asyncify's output cheaply: its saved locals and the branches it added.
const CLEAN_UP = ['simplify-locals-nostructure', 'vacuum', 'reorder-locals', 'remove-unused-brs', 'merge-blocks', 'vacuum'];

// Modules up to this size are rewritten the quick way (Asyncify at optimize level 0, then
// CLEAN_UP: an 81 KB Rust module in 0.3 s). Larger ones are rewritten with Asyncify's own
// optimizations (level 1): the quick way leaves the huge functions of a language runtime
// with so many locals that V8's optimizing tier gives them frames larger than the stack
// (QuickJS, 1.3 MB: "Maximum call stack size exceeded" once a function tiered up), and
// the local coalescing that would fix it took minutes there. Level 1 took 28 s on it.
const QUICK_REWRITE_LIMIT = 512 * 1024;

// The largest module `suspendWith: 'auto'` rewrites: beyond it (a language runtime's
// 1.3-12 MB) the rewrite would cost seconds to minutes on every load, so a component with
// such a module to rewrite is left to `suspendWith: 'asyncify'`.
const AUTO_REWRITE_LIMIT = QUICK_REWRITE_LIMIT;

let binaryenLoading = null;

async function loadBinaryen() {
  binaryenLoading ??= import('binaryen').then((m) => m.default, (e) => {
    binaryenLoading = null;
    throw new Error(`this component can block a guest stack, which needs JSPI (WebAssembly.Suspending) or, where the engine lacks it, the npm package \`binaryen\` to rewrite its core modules (Asyncify); loading it failed: ${e.message}`, { cause: e });
  });
  return binaryenLoading;
}

/**
 * Rewrites the modules that need it: Map<module index, Uint8Array of the rewritten module>.
 * `moduleBytes(index)` gives a module's original bytes; `loweredBlocks` as for
 * unwindingImports.
 */
export async function asyncifyModules(plan, moduleBytes, loweredBlocks, { auto = false } = {}) {
  const imports = unwindingImports(plan, loweredBlocks);
  const out = new Map();
  if (imports.every((list) => list === null)) return out;
  if (auto && imports.some((list, i) => list !== null && plan.modules[i].size > AUTO_REWRITE_LIMIT)) return out;
  const binaryen = await loadBinaryen();
  for (const [index, list] of imports.entries()) {
    if (list === null) continue;
    out.set(index, rewrite(binaryen, moduleBytes(index), list, index));
  }
  return out;
}

function rewrite(binaryen, bytes, importList, index) {
  const module = binaryen.readBinary(withMemoryExport(withKnownNames(bytes)));
  try {
    module.setFeatures(features(binaryen));
    // Asyncify keeps its buffers in memory 0; a module without memory gets one of its own.
    if (!module.hasMemory()) module.setMemory(1, -1, MEMORY_EXPORT);
    binaryen.clearPassArguments();
    // Names are matched whole (`module.name`, `*` as a wildcard); a comma would split one.
    // (An empty list would mean "every import"; a name no import has means none.)
    const names = importList.length > 0 ? importList.map((n) => n.replaceAll(',', '*')) : [NO_IMPORT];
    binaryen.setPassArgument('asyncify-imports', names.join(','));
    binaryen.setPassArgument('asyncify-import-globals', '1');
    // Measured on an 81 KB Rust module (Node 20): at Binaryen's default optimize level the
    // pass alone took 2.6 s (it flattens and re-optimizes every function it touches); at
    // level 0, 0.1 s, and the few clean-up passes after it 0.2 s, for an output of 108 KB
    // (153 KB without them; the full -O1 pipeline gets 98 KB in 0.7 s).
    const [level, shrink] = [binaryen.getOptimizeLevel(), binaryen.getShrinkLevel()];
    const quick = bytes.length <= QUICK_REWRITE_LIMIT;
    binaryen.setOptimizeLevel(quick ? 0 : 1);
    binaryen.setShrinkLevel(0);
    try {
      module.runPasses(['asyncify']);
      if (quick) module.runPasses(CLEAN_UP);
    } finally {
      binaryen.setOptimizeLevel(level);
      binaryen.setShrinkLevel(shrink);
    }
    binaryen.clearPassArguments();
    return module.emitBinary();
  } catch (e) {
    throw new WebAssembly.CompileError(`core module ${index}: rewriting it for Asyncify failed: ${e.message}`);
  } finally {
    module.dispose();
  }
}

// The core wasm features a module may use, as the engines here have them. Not `All`: with
// it, Binaryen writes encodings of proposals no engine ships yet (a new import kind).
function features(binaryen) {
  const f = binaryen.Features;
  return f.MutableGlobals | f.NontrappingFPToInt | f.SIMD128 | f.BulkMemory | f.SignExt | f.ExceptionHandling |
    f.TailCall | f.ReferenceTypes | f.Multivalue | f.Memory64 | f.ExtendedConst | f.MultiMemory | f.BulkMemoryOpt |
    f.Atomics | f.RelaxedSIMD | f.CallIndirectOverlong;
}

// ---- the export of memory 0 -----------------------------------------------------------------

const MEMORY_SECTION = 5;
const EXPORT_SECTION = 7;
// Sections that come after the export section (start, elem, data count, code, data).
const AFTER_EXPORTS = new Set([8, 9, 12, 10, 11]);

function readUleb(bytes, pos) {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = bytes[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, pos];
}

/**
 * `bytes` with `(export MEMORY_EXPORT (memory 0))` added where the module defines a memory
 * (Binaryen's API cannot name a memory by index); unchanged otherwise.
 */
export function withMemoryExport(bytes) {
  const sections = sectionsOf(bytes);
  const memories = sections.find((s) => s.id === MEMORY_SECTION);
  if (!memories || readUleb(bytes, memories.body)[0] === 0) return bytes;
  const name = [...new TextEncoder().encode(MEMORY_EXPORT)];
  const entry = [...uleb(name.length), ...name, 0x02, 0x00];
  const exports = sections.find((s) => s.id === EXPORT_SECTION);
  if (exports) {
    const [count, entries] = readUleb(bytes, exports.body);
    return replaceSection(bytes, exports, EXPORT_SECTION, [...uleb(count + 1), ...bytes.subarray(entries, exports.end), ...entry]);
  }
  const next = sections.find((s) => AFTER_EXPORTS.has(s.id));
  const at = next ? next.start : bytes.length;
  return replaceSection(bytes, { start: at, end: at }, EXPORT_SECTION, [1, ...entry]);
}

// The subsections of the `name` custom section Binaryen reads (module, function and local
// names); it warns on the console about any other (label names, say), so those are left out.
const KNOWN_NAME_SUBSECTIONS = new Set([0, 1, 2]);

/** `bytes` with the `name` section cut down to what Binaryen reads (names of functions and locals stay in traces). */
export function withKnownNames(bytes) {
  const names = sectionsOf(bytes).find((s) => s.id === 0 && customName(bytes, s) === 'name');
  if (!names) return bytes;
  let pos = names.body;
  let length;
  [length, pos] = readUleb(bytes, pos);
  pos += length;
  const kept = [...bytes.subarray(names.body, pos)];
  let dropped = false;
  while (pos < names.end) {
    const start = pos;
    const id = bytes[pos++];
    let size;
    [size, pos] = readUleb(bytes, pos);
    pos += size;
    if (KNOWN_NAME_SUBSECTIONS.has(id)) kept.push(...bytes.subarray(start, pos));
    else dropped = true;
  }
  return dropped ? replaceSection(bytes, names, 0, kept) : bytes;
}

function customName(bytes, section) {
  const [length, pos] = readUleb(bytes, section.body);
  return new TextDecoder().decode(bytes.subarray(pos, pos + length));
}

function sectionsOf(bytes) {
  const sections = [];  // { id, start (of the id byte), body, end }
  let pos = 8;
  while (pos < bytes.length) {
    const start = pos;
    const id = bytes[pos++];
    let size;
    [size, pos] = readUleb(bytes, pos);
    sections.push({ id, start, body: pos, end: pos + size });
    pos += size;
  }
  return sections;
}

// `bytes` with bytes[replaced.start, replaced.end) replaced by a section `id` holding `content`.
function replaceSection(bytes, replaced, id, content) {
  const section = [id, ...uleb(content.length), ...content];
  const out = new Uint8Array(bytes.length - (replaced.end - replaced.start) + section.length);
  out.set(bytes.subarray(0, replaced.start), 0);
  out.set(section, replaced.start);
  out.set(bytes.subarray(replaced.end), replaced.start + section.length);
  return out;
}
