// The WAST harness itself: reader, value forms, comparison, message matching, and the
// runner's bookkeeping against a stand-in engine (so it is known to work before the
// real engine is).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WastSyntaxError, parseScript, readSExpressions } from './wast-parser.mjs';
import { inferType, matchValue, parseFloatLiteral, parseWastValue, toJs } from './wast-values.mjs';
import { TYPE_SYMBOL, messageMatches, runScript } from './wast-runner.mjs';
import { nodeEngineGap } from './expectations.mjs';

const value = (text) => parseWastValue(readSExpressions(text)[0]);

describe('readSExpressions', () => {
  test('drops line comments and nested block comments', () => {
    const nodes = readSExpressions('(a ;; one\n (; x (; y ;) z ;) b) ;; tail');
    assert.equal(nodes.length, 1);
    assert.deepEqual(nodes[0].items.map((n) => n.text), ['a', 'b']);
  });

  test('decodes string escapes to bytes: \\hh raw, \\u{..} as UTF-8', () => {
    const [s] = readSExpressions('"\\00asm\\t\\n\\"\\\\\\u{2603}\\ff"');
    assert.deepEqual([...s.bytes], [0, 0x61, 0x73, 0x6d, 9, 10, 0x22, 0x5c, 0xe2, 0x98, 0x83, 0xff]);
  });

  test('keeps source spans and reads annotations and quoted ids as ordinary nodes', () => {
    const src = '(component $"a b" (@name "x") (core module))';
    const [c] = readSExpressions(src);
    assert.equal(src.slice(c.start, c.end), src);
    assert.equal(c.items[1].text, '$a b');
    assert.equal(c.items[2].items[0].text, '@name');
  });

  test('reports unbalanced input with its line', () => {
    assert.throws(() => readSExpressions('(a\n(b)'), WastSyntaxError);
    assert.throws(() => readSExpressions('a)'), /line 1/);
    assert.throws(() => readSExpressions('\n"abc'), /line 2/);
  });
});

describe('parseScript', () => {
  test('splits the command forms and keeps component text for jco', () => {
    const cmds = parseScript(`
      (component definition $D (core module $m))
      (component instance $i $D)
      (component $C binary "\\00asm" "\\0d\\00\\01\\00")
      (component quote "(core module)")
      (assert_return (invoke "f" (u32.const 1)) (str.const "x"))
      (invoke $i "g")
      (assert_trap (invoke "t") "unreachable")
      (assert_trap (component) "boom")
      (assert_invalid (component (bad)) "nope")
      (assert_malformed (component binary "") "eof")
      (assert_unlinkable (component) "link")
      (register "r" $i)
      (frobnicate)
    `);
    assert.deepEqual(cmds.map((c) => c.kind), [
      'component', 'instance', 'component', 'component', 'assert_return', 'invoke', 'assert_trap', 'assert_trap',
      'assert_invalid', 'assert_malformed', 'assert_unlinkable', 'register', 'unreadable',
    ]);
    assert.equal(cmds[0].module.text, '(component  $D (core module $m))');
    assert.equal(cmds[0].module.definition, true);
    assert.deepEqual([...cmds[2].module.bytes], [0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]);
    assert.equal(cmds[3].module.text, '(component (core module))');
    assert.equal(cmds[4].action.name, 'f');
    assert.equal(cmds[5].action.instance, '$i');
    assert.equal(cmds[7].message, 'boom');
    assert.equal(cmds[12].line, 14);
  });
});

describe('WAST values', () => {
  test('scalar forms, with 64-bit integers as bigints', () => {
    assert.deepEqual(value('(u32.const 0xffff_ffff)'), { kind: 'u32', value: 4294967295 });
    assert.deepEqual(value('(s64.const -1)'), { kind: 's64', value: -1n });
    assert.deepEqual(value('(bool.const true)'), { kind: 'bool', value: true });
    assert.deepEqual(value('(char.const "🍰")'), { kind: 'char', value: '🍰' });
    assert.throws(() => value('(u8.const 256)'), RangeError);
    assert.throws(() => value('(u32.const -1)'), RangeError);
    assert.throws(() => value('(char.const "ab")'), TypeError);
  });

  test('float literals: decimal, hex, inf, nan with payloads', () => {
    assert.equal(parseFloatLiteral('-3.3', 'f32').value, Math.fround(-3.3));
    assert.equal(parseFloatLiteral('0x1p-149', 'f32').value, 2 ** -149);
    assert.equal(parseFloatLiteral('0x1.8p1', 'f64').value, 3);
    assert.equal(parseFloatLiteral('1_000.5', 'f64').value, 1000.5);
    assert.equal(parseFloatLiteral('-inf', 'f64').value, -Infinity);
    assert.equal(parseFloatLiteral('nan:0x200000', 'f32').nanPayload, 0x200000n);
    assert.equal(parseFloatLiteral('nan', 'f64').nanPayload, 1n << 51n);
    assert.throws(() => parseFloatLiteral('nan:0x800000', 'f32'), RangeError);
  });

  test('compound forms, inline record fields and parenthesised payloads', () => {
    const rec = value('(record.const (field "a-b" u8.const 1) (field "c" list.const (u32.const 2)))');
    assert.deepEqual(toJs(rec, inferType(rec)), { aB: 1, c: Uint32Array.of(2) });
    const v = value('(variant.const "p" (tuple.const (f32.const 2) (f32.const 3)))');
    assert.deepEqual(toJs(v, inferType(v)), { tag: 'p', val: [2, 3] });
    assert.equal(toJs(value('(option.none)'), inferType(value('(option.none)'))), undefined);
    assert.deepEqual(toJs(value('(result.err (u32.const 4))'), inferType(value('(result.err (u32.const 4))'))), { tag: 'err', val: 4 });
  });

  test('a list infers one element type from all its elements', () => {
    const list = value('(list.const (variant.const "a" (u8.const 1)) (variant.const "b"))');
    assert.deepEqual(inferType(list).element.cases.map((c) => c.name), ['a', 'b']);
  });

  test('arguments follow the declared type: TypedArrays, tagged nested options', () => {
    const optOpt = { kind: 'option', cases: [{ name: 'none', type: null }, { name: 'some', type: { kind: 'option', cases: [{ name: 'none', type: null }, { name: 'some', type: { kind: 'u8' } }] } }] };
    assert.deepEqual(toJs(value('(option.some (option.none))'), optOpt), { tag: 'some', val: undefined });
    const bytes = toJs(value('(list.const)'), { kind: 'list', element: { kind: 'u8' } });
    assert.ok(bytes instanceof Uint8Array);
    assert.throws(() => toJs(value('(u32.const 1)'), { kind: 'string' }), /does not fit/);
  });

  test('matchValue: floats, NaN, -0, bigints and typed lists', () => {
    assert.equal(matchValue(NaN, value('(f64.const nan)')), null);
    assert.match(matchValue(0, value('(f64.const -0)')), /expected f64.const -0/);
    assert.match(matchValue(1, value('(u64.const 1)')), /bigint/);
    const listType = { kind: 'list', element: { kind: 'u8' } };
    assert.equal(matchValue(Uint8Array.of(1, 2), value('(list.const (u8.const 1) (u8.const 2))'), listType), null);
    assert.match(matchValue([1, 2], value('(list.const (u8.const 1) (u8.const 2))'), listType), /Uint8Array/);
    assert.match(matchValue({ a: 1, b: 3 }, value('(record.const (field "a" u8.const 1) (field "b" u8.const 2))')), /\.b/);
    const flags = { kind: 'flags', labels: ['f1', 'f5', 'f9'] };
    assert.equal(matchValue({ f1: true, f5: false, f9: true }, value('(flags.const "f1" "f9")'), flags), null);
    assert.match(matchValue({ f1: true, f5: true, f9: true }, value('(flags.const "f1" "f9")'), flags), /f5/);
  });
});

describe('messageMatches', () => {
  test('ignores case, punctuation and the "wasm trap:" prefix', () => {
    assert.ok(messageMatches('Cannot enter component instance (poisoned)', 'wasm trap: cannot enter component instance'));
    assert.ok(messageMatches('RuntimeError: invalid `char` bit pattern 0xd800', 'invalid `char` bit pattern'));
    assert.ok(messageMatches("Lex(InvalidStringEscape('z'))", 'invalid string escape'));
  });

  test('knows synonyms for the same rule and refuses other rules', () => {
    assert.ok(messageMatches('unreachable', 'wasm trap: wasm `unreachable` instruction executed'));
    assert.ok(messageMatches('deadlock: no task can make progress', 'deadlock detected: event loop cannot make further progress'));
    assert.ok(!messageMatches('unaligned pointer', 'invalid variant discriminant'));
    assert.ok(!messageMatches('cannot enter component instance: it trapped earlier (unreachable)', 'unreachable'));
  });
});

// A stand-in engine: a "binary" is the component text itself; the text names its
// exports with (@fake "key"), looked up in `behaviours`.
function fakeApi(behaviours) {
  const decode = (bytes) => new TextDecoder().decode(bytes);
  return {
    Component: {
      async compile(bytes) {
        const text = decode(bytes);
        if (text.includes('invalid')) throw new WebAssembly.CompileError('type mismatch: invalid');
        if (text.includes('two-memories')) {
          throw new WebAssembly.CompileError('core module 0 (at byte offset 10): WebAssembly.compile(): At most one memory is supported @+20');
        }
        const key = /\(@fake "([^"]*)"\)/.exec(text)?.[1];
        return {
          async instantiate() {
            if (key === 'trap-on-start') throw new WebAssembly.RuntimeError('unreachable');
            return { exports: behaviours[key] ?? {} };
          },
        };
      },
    },
  };
}

const typed = (fn, type) => Object.defineProperty(fn, TYPE_SYMBOL, { value: type });

describe('runScript against a stand-in engine', () => {
  const options = (behaviours) => ({
    api: fakeApi(behaviours),
    textToBinary: async (text) => new TextEncoder().encode(text),
  });

  test('passes, fails and skips commands with reasons', async () => {
    let calls = 0;
    const behaviours = {
      main: {
        addOne: typed((x) => x + 1, { params: [{ name: 'x', type: { kind: 'u32' } }], result: { kind: 'u32' } }),
        boom: () => { throw new WebAssembly.RuntimeError('unreachable executed'); },
        count: () => ++calls,
        parse: typed((s) => { if (s === 'bad') throw Object.assign(new Error('err'), { payload: 7 }); return 1; }, {
          params: [{ name: 's', type: { kind: 'string' } }],
          result: { kind: 'result', cases: [{ name: 'ok', type: { kind: 'u8' } }, { name: 'error', type: { kind: 'u32' } }] },
        }),
        echo: async (s) => s,
      },
    };
    const { results, counts } = await runScript(`
      (component (@fake "main"))
      (assert_return (invoke "add-one" (u32.const 41)) (u32.const 42))
      (assert_return (invoke "add-one" (u32.const 1)) (u32.const 3))
      (assert_trap (invoke "boom") "wasm trap: wasm \`unreachable\` instruction executed")
      (assert_trap (invoke "count") "unreachable")
      (invoke "count")
      (assert_return (invoke "parse" (str.const "ok")) (result.ok (u8.const 1)))
      (assert_return (invoke "parse" (str.const "bad")) (result.err (u32.const 7)))
      (assert_return (invoke "echo" (str.const "hi")) (str.const "hi"))
      (assert_return (invoke "missing"))
      (assert_invalid (component (@fake "invalid")) "type mismatch")
      (assert_invalid (component (@fake "main")) "type mismatch")
      (assert_malformed (component quote "(\\"") "unexpected")
      (assert_trap (component (@fake "trap-on-start")) "unreachable")
      (component definition $D (@fake "main"))
      (component instance $i $D)
      (assert_return (invoke "count") (u32.const 3))
    `, {
      ...options(behaviours),
      textToBinary: async (text) => {
        if (text.includes('(\\"') || text.includes('("')) throw new Error('unexpected token');
        return new TextEncoder().encode(text);
      },
    });
    const statuses = results.map((r) => r.status);
    assert.deepEqual(statuses, [
      'passed', 'passed', 'failed', 'passed', 'failed', 'passed', 'passed', 'passed', 'passed', 'failed',
      'passed', 'failed', 'skipped', 'passed', 'passed', 'passed', 'passed',
    ]);
    assert.match(results[2].reason, /expected u32.const 3, got 2/);
    assert.match(results[4].reason, /expected a trap/);
    assert.match(results[9].reason, /no exported function "missing"/);
    assert.match(results[11].reason, /compile succeeded/);
    assert.match(results[12].reason, /text-format error caught by jco/);
    assert.deepEqual(counts, { passed: 12, failed: 4, skipped: 1 });
  });

  test('a component that fails makes its users skipped, not failed again', async () => {
    const { results } = await runScript(`
      (component definition $D (@fake "invalid"))
      (component instance $i $D)
      (assert_return (invoke "f"))
    `, options({}));
    assert.deepEqual(results.map((r) => r.status), ['failed', 'skipped', 'skipped']);
    assert.match(results[1].reason, /depends on component at line 2/);
  });

  test('without an engine every engine command fails and says why', async () => {
    const { results } = await runScript('(component)', { api: null, apiError: 'not built', textToBinary: async () => new Uint8Array() });
    assert.equal(results[0].status, 'failed');
    assert.match(results[0].reason, /engine unavailable: not built/);
  });

  test('a call that never settles fails after the timeout', async () => {
    const { results } = await runScript(`
      (component (@fake "hang"))
      (assert_return (invoke "wait"))
    `, { ...options({ hang: { wait: () => new Promise(() => {}) } }), timeoutMs: 50 });
    assert.equal(results[1].status, 'failed');
    assert.match(results[1].reason, /did not settle within 50 ms/);
  });

  test('a component the host engine cannot compile for a missing feature is skipped where engineGap says so', async () => {
    const { results } = await runScript(`
      (component (@fake "two-memories"))
      (assert_return (invoke "f"))
      (assert_invalid (component (@fake "two-memories")) "at most one memory")
      (component (@fake "two-memories"))
    `, {
      ...options({}),
      engineGap: (line, error) => (line === 2 && /one memory/.test(error.message) ? 'needs multi-memory' : undefined),
    });
    assert.deepEqual(results.map((r) => r.status), ['skipped', 'skipped', 'passed', 'failed']);
    assert.match(results[0].reason, /^needs multi-memory \(CompileError: core module 0/);
    assert.match(results[1].reason, /depends on component at line 2, which was skipped/);
    assert.match(results[3].reason, /compile failed: CompileError/);
  });

  test('a dry run passes every readable command without an engine', async () => {
    const { counts } = await runScript(`
      (component (core module))
      (assert_return (invoke "f" (list.const (u8.const 1))) (u32.const 1))
    `, { dryRun: true });
    assert.deepEqual(counts, { passed: 2, failed: 0, skipped: 0 });
  });
});

describe('nodeEngineGap', () => {
  const multiMemory = 'core module 0 (at byte offset 22): WebAssembly.compile(): memory count of 2 exceeds internal limit of 1 @+30';

  test('names the missing feature for a listed component refused for that reason', () => {
    assert.match(nodeEngineGap('linking/unit.wast', 261, new WebAssembly.CompileError(multiMemory)), /needs multi-memory.*runs in Chromium/);
    const tryTable = 'core module 2 (at byte offset 138): WebAssembly.compile(): Compiling function #1 failed: Invalid opcode 0x1f @+71';
    assert.match(nodeEngineGap('linking/tags.wast', 7, new WebAssembly.CompileError(tryTable)), /exception handling/);
  });

  test('is undefined for any other line, file, error text or error class', () => {
    assert.equal(nodeEngineGap('linking/unit.wast', 262, new WebAssembly.CompileError(multiMemory)), undefined);
    assert.equal(nodeEngineGap('values/strings.wast', 261, new WebAssembly.CompileError(multiMemory)), undefined);
    assert.equal(nodeEngineGap('linking/unit.wast', 261, new WebAssembly.CompileError('core module 0 (at byte offset 22): type mismatch')), undefined);
    assert.equal(nodeEngineGap('linking/unit.wast', 261, new WebAssembly.LinkError(multiMemory)), undefined);
    assert.equal(nodeEngineGap('linking/unit.wast', 261, new WebAssembly.CompileError('At most one memory is supported')), undefined,
      'only a core module\'s refusal counts, not the component validator\'s');
  });
});
