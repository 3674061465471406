// Runs one WAST script against our public JS API (js/index.mjs):
//   Component.compile(bytes) -> component; component.instantiate(imports) -> instance;
//   instance.exports[lowerCamel(name)](...args).
// Every command yields one result { line, command, status, reason?, note? } with status
// 'passed' | 'failed' | 'skipped'. A command the runner cannot carry out is 'skipped'
// with its reason, never passed.
//
// Dry run (no engine): parse the script, turn every component text into a binary with
// `jco parse`, convert every argument and expected value; each command that gets that
// far counts as passed. This keeps the harness honest while the engine is being built.

import { parseScript } from './wast-parser.mjs';
import { inferType, matchValue, toJs } from './wast-values.mjs';
import { lowerCamelCase } from '../../js/names.mjs';

export const TYPE_SYMBOL = Symbol.for('cmbridge.type');

// ---------------------------------------------------------------------------
// Error messages: Wasmtime's (quoted by the scripts) against ours

// Lower case, camelCase split into words (jco reports `InvalidStringEscape`), the
// "wasm trap:" prefix dropped, punctuation to single spaces.
export function normalizeMessage(text) {
  return String(text)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/^\s*(runtime ?error|error|wasm trap)\s*:\s*/g, '')
    .replace(/wasm trap\s*:\s*/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

// Expected text (normalised, as Wasmtime words it) -> other wordings that mean the same.
// Extend this when the engine's reasons are settled; keep each entry to one meaning.
export const MESSAGE_SYNONYMS = [
  ['wasm unreachable instruction executed', ['unreachable']],
  ['unreachable', ['unreachable']],
  ['unaligned pointer', ['misaligned pointer', 'pointer not aligned', 'unaligned']],
  ['realloc return result not aligned', ['realloc result not aligned', 'realloc misaligned', 'unaligned pointer']],
  ['realloc return beyond end of memory', ['realloc result out of bounds', 'realloc out of bounds']],
  ['string content out of bounds', ['string out of bounds']],
  ['string pointer length out of bounds of memory', ['string out of bounds']],
  ['list content out of bounds', ['list out of bounds']],
  ['invalid char bit pattern', ['invalid char', 'invalid code point', 'not a unicode scalar value']],
  ['invalid variant discriminant', ['invalid discriminant', 'discriminant out of range']],
  ['invalid utf 8', ['invalid utf8', 'malformed utf 8']],
  ['incomplete utf 8 byte sequence', ['invalid utf 8', 'incomplete utf 8']],
  ['deadlock detected event loop cannot make further progress', ['deadlock']],
  ['cannot enter component instance', ['may not enter', 'instance is poisoned', 'may enter']],
  ['cannot leave component instance', ['may not leave', 'may leave']],
  ['unknown handle index', ['invalid handle index', 'unknown handle']],
];

export function messageMatches(actual, expected) {
  const a = normalizeMessage(actual);
  const e = normalizeMessage(expected);
  // "cannot enter component instance: it trapped earlier (<first reason>)" quotes the
  // first trap; it must not pass for a script that expects that first reason again.
  if (a.startsWith('cannot enter component instance') && !e.includes('cannot enter component instance')) return false;
  if (e === '' || a.includes(e)) return true;
  return MESSAGE_SYNONYMS.some(([key, alternatives]) => e.startsWith(key) && alternatives.some((alt) => a.includes(alt)));
}

// ---------------------------------------------------------------------------

function errorText(e) {
  if (e === undefined || e === null) return String(e);
  const name = e.constructor?.name ?? e.name ?? 'Error';
  return `${name}: ${e.message ?? String(e)}`.replace(/\s+/g, ' ').slice(0, 400);
}

function isError(e, cls) {
  return cls !== undefined && e instanceof cls;
}

const { CompileError, LinkError, RuntimeError } = WebAssembly;

class Skip extends Error {}
class Fail extends Error {}

// A script's host never calls in while an invoke is pending, so a call that is still
// pending once the event loop has gone idle can only be waiting on itself: the API's
// detectDeadlocks() (where it has one) rejects it with the spec's trap.
const IDLE_MS = 25;
async function settleOrDeadlock(promise, api) {
  if (typeof api?.detectDeadlocks !== 'function') return promise;
  let settled = false;
  const done = promise.then(() => { settled = true; }, () => { settled = true; });
  let timer;
  await Promise.race([done, new Promise((resolve) => { timer = setTimeout(resolve, IDLE_MS); })]);
  clearTimeout(timer);
  if (!settled) await api.detectDeadlocks();
  return promise;
}

async function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Fail(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describeCommand(c) {
  const action = c.action ? ` (invoke ${JSON.stringify(c.action.name)})` : '';
  const mod = c.module ? ` (component${c.module.definition ? ' definition' : ''}${c.module.id ? ' ' + c.module.id : ''}${c.module.format !== 'text' ? ' ' + c.module.format : ''})` : '';
  const inst = c.kind === 'instance' ? ` ${c.id} ${c.definition}` : '';
  return `${c.kind}${action}${mod}${inst}`;
}

// Runs the commands of one script. Options:
//   dryRun          only parse and convert (no engine needed)
//   api             { Component } from js/index.mjs (ignored in a dry run); when null,
//                   every command that needs the engine fails with `apiError`
//   apiError        why the API could not be loaded
//   textToBinary    async (text) => Uint8Array; default: jco parse
//   jcoUnparseable  reason string when this file is known to hold text jco cannot
//                   parse: such components become 'skipped' instead of 'failed'
//   timeoutMs       per compile / instantiate / call (default 10000)
//   engineGap       (line, error) => reason | undefined: when a component the script
//                   expects to work fails to compile with `error`, a reason makes the
//                   command 'skipped' instead of 'failed' (a core wasm feature this host's
//                   engine lacks; see expectations.mjs)
export async function runScript(source, options = {}) {
  const { dryRun = false, api = null, apiError = 'js/index.mjs is not loaded', jcoUnparseable, timeoutMs = 10000, engineGap } = options;
  const textToBinary = options.textToBinary ?? (await defaultTextToBinary());
  let commands;
  try {
    commands = parseScript(source);
  } catch (e) {
    return summarize([{ line: e.line ?? 0, command: 'script', status: 'failed', reason: errorText(e) }]);
  }

  // Script state. An "entry" is { component } or { instance }, or { unusable: reason }
  // when the thing it names could not be built (later users are skipped, not failed
  // again: the failure is already counted where it happened).
  const definitions = new Map();
  const instances = new Map();
  let current = null;
  const imports = {};

  const engine = () => {
    if (!api) throw new Fail(`engine unavailable: ${apiError}`);
    return api;
  };

  async function binaryOf(module) {
    if (module.format === 'binary') return module.bytes;
    try {
      return await textToBinary(module.text);
    } catch (e) {
      if (jcoUnparseable) throw new Skip(`${jcoUnparseable} (jco: ${errorText(e).slice(0, 160)})`);
      throw new Fail(`jco parse failed: ${errorText(e)}`);
    }
  }

  // A component a command needs compiled in order to instantiate it (a dry run only
  // parses it); failing to compile fails the command.
  async function compileExpectingSuccess(module) {
    const bytes = await binaryOf(module);
    if (dryRun) return undefined;
    return compile(bytes).catch((e) => {
      throw e instanceof Fail || e instanceof Skip ? e : new Fail(`compile failed: ${errorText(e)}`);
    });
  }

  // The line of the command being carried out, for engineGap.
  let currentLine = 0;

  // `expectError`: the command wants a CompileError, so no error is an engine gap.
  async function compile(bytes, { expectError = false } = {}) {
    if (dryRun) return { dry: true };
    try {
      return await withTimeout(Promise.resolve().then(() => engine().Component.compile(bytes)), timeoutMs, 'compile');
    } catch (e) {
      const gap = !expectError && !(e instanceof Fail) && engineGap?.(currentLine, e);
      if (gap) throw new Skip(`${gap} (${errorText(e).slice(0, 200)})`);
      throw e;
    }
  }

  async function instantiate(component) {
    if (dryRun) return { dry: true, exports: {} };
    return withTimeout(Promise.resolve().then(() => component.instantiate(imports)), timeoutMs, 'instantiate');
  }

  function instanceFor(action) {
    const entry = action.instance ? instances.get(action.instance) : current;
    if (!entry) throw new Fail(action.instance ? `no instance ${action.instance}` : 'no component instance to invoke');
    if (entry.unusable) throw new Skip(entry.unusable);
    return entry.instance;
  }

  // Calls the export; returns { value } or { error }, with a returned result<T, E>
  // turned back into { tag, val } (jco: ok -> the value, err -> thrown `.payload`).
  async function invoke(action, expected) {
    const instance = instanceFor(action);
    const argTypes = action.args.map(inferType);
    if (dryRun) {
      action.args.forEach((arg, i) => toJs(arg, argTypes[i]));
      return null;
    }
    const exports = instance.exports ?? {};
    const fn = exports[lowerCamelCase(action.name)] ?? exports[action.name];
    if (typeof fn !== 'function') throw new Fail(`no exported function ${JSON.stringify(action.name)}`);
    const type = fn[TYPE_SYMBOL];
    if (type && type.params.length !== action.args.length) {
      throw new Fail(`${action.name} takes ${type.params.length} arguments, the script passes ${action.args.length}`);
    }
    const args = action.args.map((arg, i) => toJs(arg, type ? type.params[i].type : argTypes[i]));
    const resultType = type ? type.result ?? null : expected?.length === 1 ? inferType(expected[0]) : null;
    const returnsResult = resultType?.kind === 'result';
    try {
      const value = await withTimeout(settleOrDeadlock(Promise.resolve().then(() => fn(...args)), api), timeoutMs, `invoke ${action.name}`);
      return { value: returnsResult ? { tag: 'ok', val: value } : value, resultType };
    } catch (error) {
      if (error instanceof Fail) throw error;
      if (returnsResult && !isError(error, RuntimeError) && error && 'payload' in error) {
        return { value: { tag: 'err', val: error.payload }, resultType };
      }
      return { error, resultType };
    }
  }

  async function buildInstance(module) {
    const bytes = await binaryOf(module);
    let component;
    try {
      component = await compile(bytes);
    } catch (e) {
      if (e instanceof Fail || e instanceof Skip) throw e;
      throw new Fail(`compile failed: ${errorText(e)}`);
    }
    try {
      return await instantiate(component);
    } catch (e) {
      if (e instanceof Fail) throw e;
      throw new Fail(`instantiate failed: ${errorText(e)}`);
    }
  }

  // Each handler returns undefined (passed) or a note string (passed, with a remark),
  // or throws Skip / Fail.
  const handlers = {
    async component(c) {
      const label = `component at line ${c.line}`;
      if (c.module.definition) {
        try {
          const bytes = await binaryOf(c.module);
          const component = await compile(bytes).catch((e) => {
            throw e instanceof Fail || e instanceof Skip ? e : new Fail(`compile failed: ${errorText(e)}`);
          });
          if (c.module.id) definitions.set(c.module.id, { component });
        } catch (e) {
          if (c.module.id) definitions.set(c.module.id, { unusable: `depends on ${label}, which ${e instanceof Skip ? 'was skipped' : 'failed'}` });
          throw e;
        }
        return undefined;
      }
      try {
        const instance = await buildInstance(c.module);
        current = { instance };
      } catch (e) {
        current = { unusable: `depends on ${label}, which ${e instanceof Skip ? 'was skipped' : 'failed'}` };
        throw e;
      } finally {
        if (c.module.id) instances.set(c.module.id, current);
      }
      return undefined;
    },

    async module() {
      throw new Skip('core modules at top level are not part of the component API');
    },

    async instance(c) {
      const def = definitions.get(c.definition);
      try {
        if (!def) throw new Fail(`no component definition ${c.definition}`);
        if (def.unusable) throw new Skip(def.unusable);
        const instance = await instantiate(def.component).catch((e) => {
          throw e instanceof Fail ? e : new Fail(`instantiate failed: ${errorText(e)}`);
        });
        current = { instance };
      } catch (e) {
        current = { unusable: `depends on component instance at line ${c.line}, which ${e instanceof Skip ? 'was skipped' : 'failed'}` };
        throw e;
      } finally {
        instances.set(c.id, current);
      }
      return undefined;
    },

    async invoke(c) {
      const outcome = await invoke(c.action, null);
      if (outcome?.error !== undefined) throw new Fail(`invoke failed: ${errorText(outcome.error)}`);
      return undefined;
    },

    async assert_return(c) {
      const outcome = await invoke(c.action, c.expected);
      if (dryRun) {
        c.expected.forEach((w) => matchValue(undefined, w));
        return undefined;
      }
      if (outcome.error !== undefined) throw new Fail(`expected a return, got ${errorText(outcome.error)}`);
      const { value, resultType } = outcome;
      if (c.expected.length === 0) {
        if (value !== undefined) throw new Fail(`expected no result, got ${describeJs(value)}`);
        return undefined;
      }
      if (c.expected.length > 1) throw new Skip('more than one expected result (multi-value results are not in the component model)');
      const bad = matchValue(value, c.expected[0], resultType ?? inferType(c.expected[0]));
      if (bad) throw new Fail(bad);
      return undefined;
    },

    async assert_trap(c) {
      if (c.module) {
        const component = await compileExpectingSuccess(c.module);
        if (dryRun) return undefined;
        try {
          await instantiate(component);
        } catch (e) {
          return checkTrap(e, c.message);
        }
        throw new Fail(`expected instantiation to trap with "${c.message}", it succeeded`);
      }
      const outcome = await invoke(c.action, null);
      if (dryRun) return undefined;
      if (outcome.error === undefined) throw new Fail(`expected a trap "${c.message}", got ${describeJs(outcome.value)}`);
      return checkTrap(outcome.error, c.message);
    },

    async assert_invalid(c) {
      return expectCompileError(c, 'invalid');
    },

    async assert_malformed(c) {
      return expectCompileError(c, 'malformed');
    },

    async assert_unlinkable(c) {
      const component = await compileExpectingSuccess(c.module);
      if (dryRun) return undefined;
      try {
        await instantiate(component);
      } catch (e) {
        if (e instanceof Fail) throw e;
        if (!isError(e, LinkError)) throw new Fail(`expected a LinkError, got ${errorText(e)}`);
        return messageMatches(e.message, c.message) ? undefined : `message differs: expected "${c.message}", got "${e.message}"`;
      }
      throw new Fail(`expected a LinkError "${c.message}", instantiation succeeded`);
    },

    async register(c) {
      const entry = c.instance ? instances.get(c.instance) : current;
      if (!entry) throw new Fail(`no instance to register as ${JSON.stringify(c.name)}`);
      if (entry.unusable) throw new Skip(entry.unusable);
      if (!dryRun) imports[c.name] = entry.instance.exports;
      return undefined;
    },

    async unreadable(c) {
      throw new Fail(`cannot read \`${c.head}\` command: ${c.reason}`);
    },
  };

  function checkTrap(error, expected) {
    if (error instanceof Fail || error instanceof Skip) throw error;
    if (!isError(error, RuntimeError)) throw new Fail(`expected a trap "${expected}", got ${errorText(error)}`);
    if (!messageMatches(error.message, expected)) {
      throw new Fail(`trap message differs: expected "${expected}", got "${error.message}"`);
    }
    return undefined;
  }

  // assert_invalid / assert_malformed: the engine must refuse the binary with a
  // CompileError. A quoted text the text parser itself refuses never reaches the
  // engine: that is a test of the text format, so it is skipped (with the match noted).
  async function expectCompileError(c, what) {
    let bytes;
    try {
      bytes = c.module.format === 'binary' ? c.module.bytes : await textToBinary(c.module.text);
    } catch (e) {
      if (c.module.format === 'quote' || what === 'invalid') {
        const same = messageMatches(e.message ?? String(e), c.message);
        if (!same && !jcoUnparseable) {
          throw new Fail(`jco rejects the text with a different message: expected "${c.message}", got ${errorText(e).slice(0, 200)}`);
        }
        throw new Skip(`text-format error caught by jco (${same ? 'same message' : jcoUnparseable}), the engine is not involved`);
      }
      if (jcoUnparseable) throw new Skip(`${jcoUnparseable} (jco: ${errorText(e).slice(0, 160)})`);
      throw new Fail(`jco parse failed: ${errorText(e)}`);
    }
    if (dryRun) return undefined;
    try {
      await compile(bytes, { expectError: true });
    } catch (e) {
      if (e instanceof Fail) throw e;
      if (!isError(e, CompileError)) throw new Fail(`expected a CompileError, got ${errorText(e)}`);
      // The rule matters more than the wording; a differing message is a note only.
      return messageMatches(e.message, c.message) ? undefined : `message differs: expected "${c.message}", got "${e.message}"`;
    }
    throw new Fail(`expected a CompileError ("${c.message}"), compile succeeded`);
  }

  const results = [];
  for (const c of commands) {
    const entry = { line: c.line, command: describeCommand(c) };
    currentLine = c.line;
    try {
      const note = await handlers[c.kind](c);
      entry.status = 'passed';
      if (note) entry.note = note;
    } catch (e) {
      if (e instanceof Skip) {
        entry.status = 'skipped';
        entry.reason = e.message;
      } else {
        entry.status = 'failed';
        entry.reason = e instanceof Fail ? e.message : `runner error: ${errorText(e)}`;
      }
    }
    results.push(entry);
  }
  return summarize(results);
}

function describeJs(value) {
  try {
    return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))?.slice(0, 200) ?? String(value);
  } catch {
    return String(value);
  }
}

function summarize(results) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const r of results) counts[r.status]++;
  return { results, counts };
}

let jcoParse;
async function defaultTextToBinary() {
  if (!jcoParse) ({ parse: jcoParse } = await import('@bytecodealliance/jco'));
  return (text) => jcoParse(text);
}

