// JSPI (WebAssembly.Suspending / WebAssembly.promising) lets a guest stack suspend while
// the event loop runs. Stackful async lifts (async without a callback) run under
// `promising`; built-ins that may block (waitable-set.wait, thread.yield, a sync
// subtask.cancel, a sync lower of an async function, ...) suspend that stack when the
// engine says they must wait. Without JSPI (WebKit, Node 20-24) Asyncify does this job
// instead (asyncify.mjs); only a component compiled with suspendWith: 'jspi' there fails
// such a block with an error that names JSPI.
//
// Two facts about JSPI shape this file (measured in Chromium 156):
// - calling a Suspending import always suspends, even when it returns a plain value, and
//   throws a SuspendError outside `promising`;
// - a suspension may only cross wasm frames between the `promising` entry and the import.
// So a blocking built-in is a tiny wasm function per core signature (`blockable`): it calls
// the plain JS built-in first, which does the work and, only when the calling stack must
// wait and can, raises the module's `blocked` global; then it calls the Suspending `wait`
// import, whose Promise settles with the built-in's result when the engine resumes the
// thread. And a stackful task enters through a wasm trampoline (`stackEntry`) that calls a
// plain `done` import when the core function returns, so the driver learns synchronously
// whether the stack finished or suspended.
export const hasJspi = () => typeof WebAssembly.Suspending === 'function' && typeof WebAssembly.promising === 'function';

export function jspiMissing() {
  return "blocking a guest stack needs JSPI (WebAssembly.Suspending), which this JavaScript engine does not have, or Asyncify, which this component was compiled without (automatic where the core modules to rewrite are at most 512 KiB; compile with { suspendWith: 'asyncify' } for larger ones)";
}

const VALTYPE = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };

// ---- a minimal wasm encoder ----------------------------------------------------------------

/** n as an unsigned LEB128 (the wasm binary's integers); asyncify-transform.mjs edits sections with it too. */
export function uleb(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

const str = (s) => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
const vec = (items) => [...uleb(items.length), ...items.flat()];
const section = (id, bytes) => [id, ...uleb(bytes.length), ...bytes];
const funcType = (params, results) => [0x60, ...vec(params.map((t) => [VALTYPE[t]])), ...vec(results.map((t) => [VALTYPE[t]]))];

function moduleBytes({ types, imports, funcs, exports, bodies }) {
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(funcs.map((t) => uleb(t)))),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies.map((b) => [...uleb(b.length), ...b]))),
  ]);
}

const importFunc = (name, type) => [...str(''), ...str(name), 0x00, ...uleb(type)];
const exportFunc = (name, index) => [...str(name), 0x00, ...uleb(index)];

// ---- blockable built-ins -------------------------------------------------------------------

const blockableModules = new Map();

// (func (export "f") (param P...) (result R?)
//   [local.set $r] (call $try (local.get 0) ...)
//   (if (global.get $blocked) (then
//     (global.set $blocked (i32.const 0))
//     [local.set $r] (call $resumed (call $wait))))
//   [local.get $r])
// $wait suspends and gives back a ticket; $resumed runs when the stack really runs again
// (not when the Promise settled: other microtasks may run in between) and returns the
// built-in's result.
function blockableModule(params, result) {
  const key = `${params.join(',')}->${result ?? ''}`;
  let module = blockableModules.get(key);
  if (module) return module;
  const results = result ? [result] : [];
  const r = params.length;  // the result local
  const body = [
    ...(result ? vec([[1, VALTYPE[result]]]) : [0]),
    ...params.flatMap((_, i) => [0x20, ...uleb(i)]),
    0x10, 0,
    ...(result ? [0x21, ...uleb(r)] : []),
    0x23, 0,
    0x04, 0x40,
    0x41, 0, 0x24, 0,
    0x10, 1,
    0x10, 2,
    ...(result ? [0x21, ...uleb(r)] : []),
    0x0b,
    ...(result ? [0x20, ...uleb(r)] : []),
    0x0b,
  ];
  const bytes = moduleBytes({
    types: [funcType(params, results), funcType([], ['i32']), funcType(['i32'], results)],
    imports: [
      importFunc('try', 0),
      importFunc('wait', 1),
      importFunc('resumed', 2),
      [...str(''), ...str('blocked'), 0x03, VALTYPE.i32, 0x01],
    ],
    funcs: [0],
    exports: [exportFunc('f', 3)],
    bodies: [body],
  });
  module = new WebAssembly.Module(bytes);
  blockableModules.set(key, module);
  return module;
}

/**
 * The core function for a built-in that may block: `attempt(...args)` does the work and
 * returns its result, or raises `blocked.value` when the calling stack must wait (then its
 * return value is ignored); `wait()` returns a Promise of a ticket (an i32) that settles
 * when the stack may go on; `resumed(ticket)`, called once it does, returns the result.
 */
export function blockable(attempt, wait, resumed, blocked, params, result) {
  const instance = new WebAssembly.Instance(blockableModule(params, result), {
    '': { try: attempt, wait: new WebAssembly.Suspending(wait), resumed, blocked },
  });
  return instance.exports.f;
}

// ---- the entry of a stackful task --------------------------------------------------------

const entryModules = new Map();

// (func (export "enter") (param P...) (call $done (call $core (local.get 0) ...)))
// `result`: the core function's one result (a callback code), passed on to $done.
function entryModule(params, result) {
  const key = `${params.join(',')}->${result ?? ''}`;
  let module = entryModules.get(key);
  if (module) return module;
  const results = result ? [result] : [];
  const body = [0, ...params.flatMap((_, i) => [0x20, ...uleb(i)]), 0x10, 0, 0x10, 1, 0x0b];
  const bytes = moduleBytes({
    types: [funcType(params, results), funcType(results, []), funcType(params, [])],
    imports: [importFunc('core', 0), importFunc('done', 1)],
    funcs: [2],
    exports: [exportFunc('enter', 2)],
    bodies: [body],
  });
  module = new WebAssembly.Module(bytes);
  entryModules.set(key, module);
  return module;
}

/**
 * A core function entered so that its stack may suspend: calling the result runs `core`
 * under WebAssembly.promising and returns that Promise; `done(result)` is called
 * synchronously when `core` returns (whether at once or after suspensions).
 */
export function stackEntry(core, params, result, done) {
  const instance = new WebAssembly.Instance(entryModule(params, result), { '': { core, done } });
  return WebAssembly.promising(instance.exports.enter);
}

// Built-ins and lowers after which a guest stack may have to wait.
const BLOCKING_OPS = /^(waitable-set\.wait|thread\.(yield|suspend|new-indirect|resume-later|(suspend|yield)-then-(resume|promote))|subtask\.cancel|(stream|future)\.(read|write|cancel-read|cancel-write))$/;

/**
 * Whether built-in `b` was given `async`: an immediate of subtask.cancel and the
 * cancel-read/write built-ins, a canonical option (`options.async`) of stream and future
 * read and write.
 */
export const builtinIsAsync = (b) => !!(b.async || b.options?.async);

const builtinBlocks = (b) => BLOCKING_OPS.test(b.op) && !builtinIsAsync(b);
const lowerBlocks = (plan, l) => !l.options.async && plan.funcTypes[l.callee.type].async;

/**
 * Whether lowered function `l` of the plan, lowered without `async`, may make its caller's
 * stack wait: its callee is async, or, under instantiate's suspendingImports (`suspends`,
 * a predicate over import paths, or null), it is a suspending host import or another
 * component's function (which may reach one).
 */
export function syncLowerMayBlock(plan, l, suspends) {
  if (l.options.async) return false;
  return lowerBlocks(plan, l) || (suspends !== null && (l.callee.import === undefined || suspends(l.callee.import)));
}

/** Whether core definition `def` of the plan (a built-in or a lowered function) may block. */
export function blocksInPlan(plan, def) {
  if (def.builtin !== undefined) return builtinBlocks(plan.builtins[def.builtin]);
  if (def.lowered !== undefined) return lowerBlocks(plan, plan.lowered[def.lowered]);
  return false;
}

/**
 * Whether any guest stack of this component may have to suspend: then tasks run under
 * WebAssembly.promising (where JSPI exists; else asyncify.mjs). Components without such
 * built-ins never pay for it.
 */
export function mayNeedSuspension(plan) {
  return plan.lifted.some((l) => l.options.async && !l.options.callback) ||
    plan.builtins.some(builtinBlocks) ||
    plan.lowered.some((l) => lowerBlocks(plan, l));
}
