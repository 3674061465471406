// WAVE (js/wave.mjs): call parsing, typed value parsing into jco's JS mapping, and
// formatting as Wasmtime prints. Expected texts follow the wasm-wave README / EBNF and
// its writer.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  F32_FORMAT,
  F64_FORMAT,
  WaveError,
  decimalToFloat,
  formatFloat,
  formatValue,
  parseArguments,
  parseCall,
  parseValue,
} from '../../js/wave.mjs';

// Type descriptors in the engine's shape (js/runtime/signature.mjs describeFuncType).
const T = {
  bool: { kind: 'bool' },
  u8: { kind: 'u8' },
  s8: { kind: 's8' },
  u32: { kind: 'u32' },
  s32: { kind: 's32' },
  u64: { kind: 'u64' },
  s64: { kind: 's64' },
  f32: { kind: 'f32' },
  f64: { kind: 'f64' },
  char: { kind: 'char' },
  string: { kind: 'string' },
  list: (element) => ({ kind: 'list', element }),
  fixedList: (element, length) => ({ kind: 'fixed-list', element, length }),
  tuple: (...types) => ({ kind: 'tuple', fields: types.map((type, i) => ({ name: String(i), type })) }),
  record: (fields) => ({ kind: 'record', fields: Object.entries(fields).map(([name, type]) => ({ name, type })) }),
  variant: (cases) => ({ kind: 'variant', cases: Object.entries(cases).map(([name, type]) => ({ name, type })) }),
  enum: (...names) => ({ kind: 'enum', cases: names.map((name) => ({ name, type: null })) }),
  option: (type) => ({ kind: 'option', cases: [{ name: 'none', type: null }, { name: 'some', type }] }),
  result: (ok, err) => ({ kind: 'result', cases: [{ name: 'ok', type: ok }, { name: 'error', type: err }] }),
  flags: (...labels) => ({ kind: 'flags', labels }),
};

describe('parseCall', () => {
  test('splits a call into the name and argument texts', () => {
    assert.deepEqual(parseCall('add(1, 2)'), { name: 'add', args: ['1', '2'] });
    assert.deepEqual(parseCall('echo("hi")'), { name: 'echo', args: ['"hi"'] });
  });

  test('keeps commas and brackets inside strings, chars and nested values', () => {
    assert.deepEqual(parseCall(`f("a, b)", ',', [1, 2], {x: (1, 2)}, some([3]))`), {
      name: 'f',
      args: ['"a, b)"', "','", '[1, 2]', '{x: (1, 2)}', 'some([3])'],
    });
  });

  test('accepts no arguments, a trailing comma, spaces and comments', () => {
    assert.deepEqual(parseCall('run()'), { name: 'run', args: [] });
    assert.deepEqual(parseCall(' go ( 1 , ) // done'), { name: 'go', args: ['1'] });
  });

  test('keeps interface-qualified and annotated export names whole', () => {
    assert.equal(parseCall('local:demo/api#do-thing(1)').name, 'local:demo/api#do-thing');
    assert.equal(parseCall('[method]r.get()').name, '[method]r.get');
  });

  test('rejects a missing argument list, an empty argument, unclosed or trailing text', () => {
    assert.throws(() => parseCall('add'), WaveError);
    assert.throws(() => parseCall('add(1,,2)'), WaveError);
    assert.throws(() => parseCall('add(1, 2'), WaveError);
    assert.throws(() => parseCall('add(1) 2'), WaveError);
    assert.throws(() => parseCall('(1)'), WaveError);
  });
});

describe('parseValue: scalars', () => {
  test('bools are the keywords true and false', () => {
    assert.equal(parseValue('true', T.bool), true);
    assert.equal(parseValue(' false ', T.bool), false);
    assert.throws(() => parseValue('1', T.bool), WaveError);
  });

  test('integers are base-10 and range-checked; 64-bit ones are bigints', () => {
    assert.equal(parseValue('255', T.u8), 255);
    assert.equal(parseValue('-128', T.s8), -128);
    assert.equal(parseValue('4294967295', T.u32), 4294967295);
    assert.equal(parseValue('18446744073709551615', T.u64), 18446744073709551615n);
    assert.equal(parseValue('-9223372036854775808', T.s64), -9223372036854775808n);
    assert.throws(() => parseValue('256', T.u8), /out of range/);
    assert.throws(() => parseValue('-1', T.u32), /out of range/);
    assert.throws(() => parseValue('1.5', T.u32), WaveError);
    assert.throws(() => parseValue('1e3', T.u32), WaveError);
    assert.throws(() => parseValue('007', T.u32), WaveError);
  });

  test('floats take JSON numbers and nan, inf, -inf', () => {
    assert.equal(parseValue('3.5', T.f64), 3.5);
    assert.equal(parseValue('6.022e+23', T.f64), 6.022e23);
    assert.equal(parseValue('-inf', T.f64), -Infinity);
    assert.equal(parseValue('inf', T.f32), Infinity);
    assert.ok(Number.isNaN(parseValue('nan', T.f32)));
    assert.ok(Object.is(parseValue('-0', T.f64), -0));
    assert.equal(parseValue('0.1', T.f32), Math.fround(0.1));
    assert.equal(parseValue('1e39', T.f32), Infinity);
  });

  test('f32 text is rounded once, not through f64 first', () => {
    // 1 + 2^-24 (the midpoint between the f32s 1 and 1 + 2^-23) plus a hair: f64
    // rounding lands on the midpoint and a second rounding would go down to 1.
    assert.equal(decimalToFloat('1.000000059604644775390625000001', F32_FORMAT), 1 + 2 ** -23);
    assert.equal(Math.fround(Number('1.000000059604644775390625000001')), 1);
    // f32 subnormals and the smallest one
    assert.equal(decimalToFloat('1.401298464324817e-45', F32_FORMAT), 2 ** -149);
    assert.equal(decimalToFloat('5e-324', F64_FORMAT), 5e-324);
    assert.equal(decimalToFloat('3.4028235677973366e38', F32_FORMAT), 3.4028234663852886e38);
  });

  test('chars are one scalar value in single quotes, with escapes', () => {
    assert.equal(parseValue("'x'", T.char), 'x');
    assert.equal(parseValue("'☃'", T.char), '☃');
    assert.equal(parseValue("'🍰'", T.char), '🍰');
    assert.equal(parseValue("'\\''", T.char), "'");
    assert.equal(parseValue("'\\u{0}'", T.char), '\0');
    assert.equal(parseValue("'\\u{1F370}'", T.char), '🍰');
    assert.throws(() => parseValue("'ab'", T.char), WaveError);
    assert.throws(() => parseValue("'\\u{D800}'", T.char), WaveError);
    assert.throws(() => parseValue('"x"', T.char), WaveError);
  });

  test('strings decode every escape and refuse raw newlines', () => {
    assert.equal(parseValue('"abc\\t123"', T.string), 'abc\t123');
    assert.equal(parseValue(`"\\"\\\\\\n\\r'\\u{2603}"`, T.string), '"\\\n\r\'☃');
    assert.equal(parseValue('""', T.string), '');
    assert.throws(() => parseValue('"a\nb"', T.string), WaveError);
    assert.throws(() => parseValue('"\\q"', T.string), WaveError);
  });

  test('multiline strings are dedented by the closing delimiter', () => {
    assert.equal(parseValue('"""\nA single line\n"""', T.string), 'A single line');
    assert.equal(
      parseValue('"""\n    Indentation determined\n      by ending delimiter\n  """', T.string),
      '  Indentation determined\n    by ending delimiter',
    );
    assert.equal(parseValue('"""\n  a \\r\n  ""\\""\n  """', T.string), 'a \r\n""""');
    assert.throws(() => parseValue('"""x"""', T.string), WaveError);
  });
});

describe('parseValue: compound values in the jco mapping', () => {
  test('list<u8> is a Uint8Array, list<s64> a BigInt64Array, list<string> an Array', () => {
    const bytes = parseValue('[1, 2, 255,]', T.list(T.u8));
    assert.ok(bytes instanceof Uint8Array);
    assert.deepEqual([...bytes], [1, 2, 255]);
    const wide = parseValue('[-1, 2]', T.list(T.s64));
    assert.ok(wide instanceof BigInt64Array);
    assert.deepEqual([...wide], [-1n, 2n]);
    assert.deepEqual(parseValue('["a", "b"]', T.list(T.string)), ['a', 'b']);
    assert.deepEqual(parseValue('[]', T.list(T.char)), []);
  });

  test('fixed-list checks its length', () => {
    assert.deepEqual([...parseValue('[1, 2]', T.fixedList(T.u32, 2))], [1, 2]);
    assert.throws(() => parseValue('[1]', T.fixedList(T.u32, 2)), /expected 2 elements/);
  });

  test('tuples are Arrays; the empty tuple is refused', () => {
    assert.deepEqual(parseValue('("abc", 123)', T.tuple(T.string, T.u8)), ['abc', 123]);
    assert.throws(() => parseValue('("abc")', T.tuple(T.string, T.u8)), /2-tuple/);
    assert.throws(() => parseValue('()', T.tuple(T.u8)), /empty tuple/);
  });

  test('records have lowerCamelCase keys; option fields may be left out', () => {
    const rec = T.record({ 'must-have': T.u8, optional: T.option(T.u8) });
    assert.deepEqual(parseValue('{must-have: 123}', rec), { mustHave: 123, optional: undefined });
    assert.deepEqual(parseValue('{optional: 1, %must-have: 2,}', rec), { mustHave: 2, optional: 1 });
    const allOptional = T.record({ optional: T.option(T.u8) });
    assert.deepEqual(parseValue('{:}', allOptional), { optional: undefined });
    assert.throws(() => parseValue('{optional: 1}', rec), /missing field `must-have`/);
    assert.throws(() => parseValue('{must-have: 1, other: 2}', rec), /unknown field `other`/);
    assert.throws(() => parseValue('{must-have: 1, must-have: 2}', rec), /duplicate field/);
  });

  test('variants are {tag, val}; keyword cases need %', () => {
    const response = T.variant({ empty: null, body: T.list(T.u8), err: T.string });
    assert.deepEqual(parseValue('empty', response), { tag: 'empty' });
    const body = parseValue('body([79, 75])', response);
    assert.equal(body.tag, 'body');
    assert.deepEqual([...body.val], [79, 75]);
    assert.deepEqual(parseValue('%err("oops")', response), { tag: 'err', val: 'oops' });
    assert.throws(() => parseValue('err("oops")', response), WaveError);
    assert.throws(() => parseValue('empty(1)', response), /takes no payload/);
    assert.throws(() => parseValue('body', response), /needs payload/);
    assert.throws(() => parseValue('other', response), /unknown variant case/);
  });

  test('enums are their case name', () => {
    const status = T.enum('ok', 'not-found');
    assert.equal(parseValue('%ok', status), 'ok');
    assert.equal(parseValue('not-found', status), 'not-found');
    assert.throws(() => parseValue('ok', status), WaveError);
    assert.throws(() => parseValue('gone', status), /unknown enum case/);
  });

  test('option<T> is the value or undefined, and may be written flat', () => {
    const opt = T.option(T.u8);
    assert.equal(parseValue('some(123)', opt), 123);
    assert.equal(parseValue('123', opt), 123);
    assert.equal(parseValue('none', opt), undefined);
  });

  test('option<option<T>> is tagged on the outside and never flat', () => {
    const opt = T.option(T.option(T.u8));
    assert.deepEqual(parseValue('none', opt), { tag: 'none' });
    assert.deepEqual(parseValue('some(none)', opt), { tag: 'some', val: undefined });
    assert.deepEqual(parseValue('some(some(1))', opt), { tag: 'some', val: 1 });
    assert.throws(() => parseValue('1', opt), WaveError);
  });

  test('results are {tag, val}; ok may be flat when it has a payload', () => {
    const r = T.result(T.u8, T.string);
    assert.deepEqual(parseValue('ok(1)', r), { tag: 'ok', val: 1 });
    assert.deepEqual(parseValue('1', r), { tag: 'ok', val: 1 });
    assert.deepEqual(parseValue('err("oops")', r), { tag: 'err', val: 'oops' });
    const bare = T.result(null, null);
    assert.deepEqual(parseValue('ok', bare), { tag: 'ok', val: undefined });
    assert.deepEqual(parseValue('err', bare), { tag: 'err', val: undefined });
    assert.throws(() => parseValue('ok(1)', bare), /takes no payload/);
    assert.throws(() => parseValue('err', r), /needs payload/);
  });

  test('flags are an object of every flag, lowerCamelCase', () => {
    const perms = T.flags('read', 'write', 'exec-all');
    assert.deepEqual(parseValue('{write, read,}', perms), { read: true, write: true, execAll: false });
    assert.deepEqual(parseValue('{}', perms), { read: false, write: false, execAll: false });
    assert.throws(() => parseValue('{read, read}', perms), /duplicate flag/);
    assert.throws(() => parseValue('{delete}', perms), /unknown flag/);
  });

  test('trailing input and over-deep nesting are refused', () => {
    assert.throws(() => parseValue('1 2', T.u8), /trailing/);
    let deep = T.u8;
    for (let i = 0; i < 120; i++) deep = T.list(deep);
    assert.throws(() => parseValue('['.repeat(120) + ']'.repeat(120), deep), /nesting too deep/);
  });

  test('resource handles have no WAVE syntax', () => {
    assert.throws(() => parseValue('1', { kind: 'own', resource: 0 }), /no WAVE syntax/);
  });
});

describe('parseArguments', () => {
  const params = [
    { name: 'a', type: T.option(T.u8) },
    { name: 'b', type: T.option(T.u8) },
  ];

  test('types each argument by its parameter and fills omitted trailing options', () => {
    assert.deepEqual(parseArguments(['some(1)'], params), [1, undefined]);
    assert.deepEqual(parseArguments(['some(1)', 'none'], params), [1, undefined]);
    assert.deepEqual(parseArguments([], params), [undefined, undefined]);
  });

  test('names the argument that does not parse, and refuses too many or missing', () => {
    assert.throws(() => parseArguments(['x'], params), /argument `a`/);
    assert.throws(() => parseArguments(['1', '2', '3'], params), /at most 2/);
    assert.throws(() => parseArguments([], [{ name: 'n', type: T.u32 }]), /missing argument `n`/);
  });

  test('works on the pieces parseCall returns', () => {
    const { args } = parseCall('add(1, 2)');
    assert.deepEqual(parseArguments(args, [{ name: 'a', type: T.u32 }, { name: 'b', type: T.u32 }]), [1, 2]);
  });
});

describe('formatValue', () => {
  test('scalars print as Wasmtime prints them', () => {
    assert.equal(formatValue(true, T.bool), 'true');
    assert.equal(formatValue(-5, T.s32), '-5');
    assert.equal(formatValue(18446744073709551615n, T.u64), '18446744073709551615');
    assert.equal(formatValue("'", T.char), "'\\''");
    assert.equal(formatValue('"', T.char), "'\\\"'");
    assert.equal(formatValue('☃', T.char), "'☃'");
    assert.equal(formatValue('a"b\\c\n\t\r\'\u0007\u009f☃', T.string), '"a\\"b\\\\c\\n\\t\\r\\\'\\u{7}\\u{9f}☃"');
  });

  test('floats: shortest round-trip digits, no exponent, nan/inf/-inf, -0', () => {
    assert.equal(formatFloat(Math.fround(0.1), 'f32'), '0.1');
    assert.equal(formatFloat(0.1, 'f64'), '0.1');
    assert.equal(formatFloat(Math.fround(3.3), 'f32'), '3.3');
    assert.equal(formatFloat(5, 'f32'), '5');
    assert.equal(formatFloat(1e21, 'f64'), '1000000000000000000000');
    assert.equal(formatFloat(1.5e-7, 'f64'), '0.00000015');
    assert.equal(formatFloat(Math.fround(1e-7), 'f32'), '0.0000001');
    assert.equal(formatFloat(16777216, 'f32'), '16777216');
    assert.equal(formatFloat(-0, 'f64'), '-0');
    assert.equal(formatFloat(NaN, 'f32'), 'nan');
    assert.equal(formatFloat(Infinity, 'f64'), 'inf');
    assert.equal(formatFloat(-Infinity, 'f32'), '-inf');
  });

  test('compound values', () => {
    assert.equal(formatValue(new Uint8Array([1, 2]), T.list(T.u8)), '[1, 2]');
    assert.equal(formatValue([], T.list(T.string)), '[]');
    assert.equal(formatValue(['abc', 1], T.tuple(T.string, T.u8)), '("abc", 1)');
    const rec = T.record({ 'field-a': T.u8, 'field-b': T.option(T.string) });
    assert.equal(formatValue({ fieldA: 1, fieldB: 'two' }, rec), '{field-a: 1, field-b: some("two")}');
    assert.equal(formatValue({ fieldA: 1, fieldB: undefined }, rec), '{field-a: 1}');
    assert.equal(formatValue({ optional: undefined }, T.record({ optional: T.option(T.u8) })), '{:}');
    const v = T.variant({ days: T.u32, forever: null, none: null });
    assert.equal(formatValue({ tag: 'days', val: 30 }, v), 'days(30)');
    assert.equal(formatValue({ tag: 'forever' }, v), 'forever');
    assert.equal(formatValue({ tag: 'none' }, v), '%none');
    assert.equal(formatValue('south', T.enum('north', 'south')), 'south');
    assert.equal(formatValue('inf', T.enum('inf')), '%inf');
    assert.equal(formatValue(7, T.option(T.u8)), 'some(7)');
    assert.equal(formatValue(undefined, T.option(T.u8)), 'none');
    assert.equal(formatValue({ tag: 'some', val: undefined }, T.option(T.option(T.u8))), 'some(none)');
    assert.equal(formatValue({ tag: 'none' }, T.option(T.option(T.u8))), 'none');
    assert.equal(formatValue({ tag: 'ok', val: 1 }, T.result(T.u8, T.string)), 'ok(1)');
    assert.equal(formatValue({ tag: 'err', val: 'oops' }, T.result(T.u8, T.string)), 'err("oops")');
    assert.equal(formatValue({ tag: 'ok' }, T.result(null, null)), 'ok');
    assert.equal(formatValue({ read: true, write: false, execAll: true }, T.flags('read', 'write', 'exec-all')), '{read, exec-all}');
    assert.equal(formatValue({ read: false }, T.flags('read')), '{}');
  });

  test('what formatValue prints, parseValue reads back to the same value', () => {
    const type = T.record({
      name: T.string,
      scores: T.list(T.f32),
      tags: T.flags('a', 'b'),
      kind: T.variant({ x: T.tuple(T.char, T.s64), y: null }),
      maybe: T.option(T.option(T.u8)),
      outcome: T.result(T.enum('ok', 'bad'), null),
    });
    const value = {
      name: 'q"\n☃',
      scores: new Float32Array([0.1, -0, NaN, Infinity]),
      tags: { a: false, b: true },
      kind: { tag: 'x', val: ['🍰', -9007199254740993n] },
      maybe: { tag: 'some', val: undefined },
      outcome: { tag: 'ok', val: 'ok' },
    };
    const text = formatValue(value, type);
    assert.equal(text, '{name: "q\\"\\n☃", scores: [0.1, -0, nan, inf], tags: {b}, kind: x((\'🍰\', -9007199254740993)), maybe: some(none), outcome: ok(%ok)}');
    const back = parseValue(text, type);
    assert.equal(formatValue(back, type), text);
    assert.ok(Object.is(back.scores[1], -0));
    assert.ok(Number.isNaN(back.scores[2]));
  });
});
