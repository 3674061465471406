// What the conformance run demands. The one place to change when a part of the engine
// becomes ready: move its scripts into REQUIRED.

// Scripts that must pass (a failed command fails the test). A prefix ending in `/` is a
// whole directory of the suite; anything else is one file. All other scripts are
// informational: they run and report, but do not fail the test.
export const REQUIRED = [
  'values/', 'resources/', 'linking/unit.wast', 'binary/', 'validation/',
  // async/ scripts that need no guest stack to block (those that do: REQUIRED_BLOCKING)
  'async/builtin-trap-poisons-instance.wast', 'async/cancel-stream.wast', 'async/cancellable.wast',
  'async/closed-stream.wast', 'async/cross-abi-calls.wast', 'async/cross-task-future.wast',
  'async/dont-block-start.wast', 'async/drop-stream.wast', 'async/drop-waitable-set.wast',
  'async/futures-must-write.wast', 'async/passing-resources.wast', 'async/same-component-stream-future.wast',
  'async/trap-if-done.wast', 'async/trap-if-transfer-in-waitable-set.wast', 'async/trap-on-reenter.wast',
  'async/validate-no-async-abi-for-sync-type.wast', 'async/validate-no-stream-char.wast',
  'async/wait-during-callback.wast',
];

// Scripts that block guest stacks: they pass with JSPI (Chromium, Firefox, Node 26) and,
// where the engine lacks it, with Asyncify (Node 20, WebKit; js/runtime/async/asyncify.mjs).
export const REQUIRED_BLOCKING = [
  'async/async-calls-sync.wast', 'async/big-interleaving-test.wast', 'async/cancel-subtask.wast',
  'async/deadlock.wast', 'async/drop-cross-task-borrow.wast', 'async/drop-subtask.wast',
  'async/empty-wait.wast', 'async/partial-stream-copies.wast', 'async/sync-barges-in.wast', 'async/zero-length.wast',
  'async/trap-if-block-and-sync.wast', 'async/trap-if-sync-and-waitable-set.wast', 'async/sync-streams.wast',
];

export function isRequired(file) {
  return [REQUIRED, REQUIRED_BLOCKING].some((list) => list.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p)));
}

// Scripts holding component text that our text-to-binary tool (jco 1.35.0, which
// bundles wasm-tools 0.259) cannot parse. Their text components are reported as
// skipped with this reason instead of failed; any other parse failure is a failure.
export const JCO_UNPARSEABLE = {
  'async/cancellable.wast':
    'jco 1.35 (wasm-tools 0.259) does not know the `cancellable` immediate of waitable-set.wait/poll and thread.yield',
};

// Core wasm features some scripts use that Node 20's V8 lacks but Chromium's has. Only a
// component that fails to compile because V8 refuses one of its *core modules* with the
// error text below counts; anything else fails as usual.
const CORE_MODULE_ERROR = /^core module \d+ \(at byte offset \d+\): /;
const MULTI_MEMORY = {
  feature: 'multiMemory',
  reason: "needs multi-memory: Node 20's V8 lacks it; runs in Chromium",
  error: /At most one memory is supported|memory count of \d+ exceeds internal limit of 1/,
};
const EXCEPTION_HANDLING = {
  feature: 'exceptionHandling',
  reason: "needs exception handling (try_table/exnref): Node 20's V8 lacks it; runs in Chromium",
  // 0x1f is try_table; 0x0a is throw_ref.
  error: /Invalid opcode 0x(1f|a)\b|invalid value type 0x69|exnref/i,
};

// Per script: the lines of the components that need a feature Node's engine lacks. When
// such a component fails for that reason, the Node run reports it (and the commands that
// use it) as skipped with the reason; the Chromium run holds it to the usual rule.
export const NODE_ENGINE_GAPS = {
  'linking/unit.wast': [{ lines: [261, 308, 355], ...MULTI_MEMORY }],
  'linking/tags.wast': [{ lines: [7, 36, 64, 93], ...EXCEPTION_HANDLING }],
  'validation/instantiation.wast': [{ lines: [342], ...MULTI_MEMORY }],
};

/** The reason to skip `error` at `line` of `file` on Node, or undefined (a real failure). */
export function nodeEngineGap(file, line, error) {
  if (!(error instanceof WebAssembly.CompileError) || !CORE_MODULE_ERROR.test(error.message)) return undefined;
  const gap = (NODE_ENGINE_GAPS[file] ?? []).find((g) => g.lines.includes(line) && g.error.test(error.message));
  return gap?.reason;
}

/**
 * In a browser: the reason to skip `error` at `line` of `file` because the page's engine
 * lacks the core wasm feature the component needs (`features`: what the page found by
 * validating a module that uses each, browser-page.mjs), or undefined. The engine's wording
 * is not read: only that the component's core module failed to compile.
 */
export function browserEngineGap(file, line, error, features) {
  if (!(error instanceof WebAssembly.CompileError) || !CORE_MODULE_ERROR.test(error.message)) return undefined;
  const gap = (NODE_ENGINE_GAPS[file] ?? []).find((g) => g.lines.includes(line) && features[g.feature] === false);
  return gap && `needs ${gap.feature === 'multiMemory' ? 'multi-memory' : 'exception handling'}, which this browser's engine lacks`;
}

// Commands of required scripts that need a part of the engine that is not built yet. Each
// entry names the exact line and the failure text it covers; a command that passes, or
// fails in any other way, is judged as usual, so an entry stops applying by itself once
// the engine handles the case. Listed in README.md ("Conformance") with the reason.
export const PENDING = {};

/** Turns the failures PENDING covers into skips with the reason; updates the counts. */
export function applyPending(file, outcome) {
  const entries = PENDING[file] ?? [];
  for (const r of outcome.results) {
    if (r.status !== 'failed') continue;
    const entry = entries.find((e) => e.line === r.line && e.failure.test(r.reason ?? ''));
    if (!entry) continue;
    r.status = 'skipped';
    r.reason = `pending: ${entry.reason} (was: ${r.reason})`;
    outcome.counts.failed--;
    outcome.counts.skipped++;
  }
  return outcome;
}
