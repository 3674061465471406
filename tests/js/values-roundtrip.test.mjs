// Every value type on a round trip JS -> guest -> host import -> guest -> JS (see
// tests/helpers/roundtrip.mjs). Checks the JS value mapping (jco's) and that lifting and
// lowering agree with the spec's layouts in both directions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component } from '../../js/index.mjs';
import { roundtripComponent } from '../helpers/roundtrip.mjs';

const I32 = 'i32';
const I64 = 'i64';
const F32 = 'f32';
const F64 = 'f64';

// name, component type, flat core types (spec flattening), typedef, values [input, expected?]
const CASES = [
  { name: 'bool', type: 'bool', flat: [I32], values: [[true], [false]] },
  { name: 'u8', type: 'u8', flat: [I32], values: [[0], [255]] },
  { name: 's8', type: 's8', flat: [I32], values: [[-128], [127], [-1]] },
  { name: 'u16', type: 'u16', flat: [I32], values: [[65535]] },
  { name: 's16', type: 's16', flat: [I32], values: [[-32768]] },
  { name: 'u32', type: 'u32', flat: [I32], values: [[0xffffffff], [0x80000000]] },
  { name: 's32', type: 's32', flat: [I32], values: [[-0x80000000], [0x7fffffff]] },
  { name: 'u64', type: 'u64', flat: [I64], values: [[2n ** 64n - 1n], [5, 5n]] },
  { name: 's64', type: 's64', flat: [I64], values: [[-(2n ** 63n)], [-1n]] },
  { name: 'f32', type: 'f32', flat: [F32], values: [[1.5], [NaN], [-Infinity], [0.1, Math.fround(0.1)]] },
  { name: 'f64', type: 'f64', flat: [F64], values: [[0.1], [NaN], [-0]] },
  { name: 'char', type: 'char', flat: [I32], values: [['a'], ['é'], ['😀'], ['\u{10ffff}']] },
  { name: 'string', type: 'string', flat: [I32, I32], values: [[''], ['hello'], ['héllo wörld ✓ 😀'], ['x'.repeat(100000)]] },
  { name: 'bytes', type: '(list u8)', flat: [I32, I32], values: [[new Uint8Array([1, 2, 3])], [[1, 2, 255], new Uint8Array([1, 2, 255])], [new Uint8Array(0)]] },
  { name: 'u32s', type: '(list u32)', flat: [I32, I32], values: [[new Uint32Array([1, 0xffffffff])], [[7, 8], new Uint32Array([7, 8])]] },
  { name: 's64s', type: '(list s64)', flat: [I32, I32], values: [[new BigInt64Array([-1n, 2n])]] },
  { name: 'f64s', type: '(list f64)', flat: [I32, I32], values: [[new Float64Array([1.5, -2])]] },
  { name: 'strings', type: '(list string)', flat: [I32, I32], values: [[['a', 'bc', '']], [[]]] },
  { name: 'bools', type: '(list bool)', flat: [I32, I32], values: [[[true, false, true]]] },
  { name: 'point', type: '$point', typedef: '(record (field "x" s32) (field "y-pos" s32))', flat: [I32, I32], values: [[{ x: 1, yPos: -2 }]] },
  { name: 'mixed', type: '$mixed', typedef: '(record (field "a" u8) (field "b" u64) (field "c" string) (field "d" f32))', flat: [I32, I64, I32, I32, F32],
    values: [[{ a: 7, b: 1n << 40n, c: 'hi', d: 2.5 }]] },
  { name: 'pair', type: '(tuple u8 string)', flat: [I32, I32, I32], values: [[[1, 'x']]] },
  { name: 'color', type: '$color', typedef: '(enum "red" "green" "blue-ish")', flat: [I32], values: [['red'], ['blue-ish']] },
  { name: 'perms', type: '$perms', typedef: '(flags "read" "write" "exec-all")', flat: [I32],
    values: [[{ read: true, write: false, execAll: true }], [{ read: false, write: false, execAll: false }], [{ write: true }, { read: false, write: true, execAll: false }]] },
  { name: 'shape', type: '$shape', typedef: '(variant (case "none") (case "circle" f32) (case "count" u64) (case "label" string))', flat: [I32, I64, I32],
    values: [[{ tag: 'none' }], [{ tag: 'circle', val: 1.25 }], [{ tag: 'count', val: 1n << 60n }], [{ tag: 'label', val: 'hey' }]] },
  { name: 'maybe', type: '(option u32)', flat: [I32, I32], values: [[undefined], [5], [null, undefined]] },
  { name: 'maybe-maybe', type: '(option (option u32))', flat: [I32, I32, I32],
    values: [[{ tag: 'none' }], [{ tag: 'some', val: undefined }], [{ tag: 'some', val: 7 }]] },
  { name: 'outcome', type: '(list (result u32 (error string)))', flat: [I32, I32],
    values: [[[{ tag: 'ok', val: 1 }, { tag: 'err', val: 'bad' }]]] },
  { name: 'unit-result', type: '(list (result))', flat: [I32, I32], values: [[[{ tag: 'ok', val: undefined }, { tag: 'err', val: undefined }]]] },
  { name: 'nested', type: '(list (list (tuple string u16)))', flat: [I32, I32], values: [[[[['a', 1]], [], [['b', 2], ['c', 3]]]]] },
  { name: 'many', type: '(tuple u32 u32 u32 u32 u32 u32 u32 u32 u32 u32 u32 u32 u32 u32 u32 u32 u32)', flat: Array(17).fill(I32),
    values: [[Array.from({ length: 17 }, (_, i) => i * 1000)]] },
];

const component = await Component.compile(roundtripComponent(CASES));

test('every value type survives a round trip JS -> guest -> host -> guest -> JS', async (t) => {
  const seenByHost = [];
  const host = {};
  for (const c of CASES) host[`echo-${c.name}`] = (x) => { seenByHost.push(x); return x; };
  const { exports } = await component.instantiate({ host });
  for (const c of CASES) {
    await t.test(c.name, () => {
      const fn = exports[`roundtrip-${c.name}`];
      for (const pair of c.values) {
        const [input] = pair;
        const expected = pair.length > 1 ? pair[1] : input;
        seenByHost.length = 0;
        const output = fn(input);
        assert.deepStrictEqual(output, expected);
        assert.deepStrictEqual(seenByHost, [expected], 'the host import received the lifted value');
      }
    });
  }
});

test('exports are reachable by lowerCamelCase and by their exact name', async () => {
  const host = Object.fromEntries(CASES.map((c) => [`echo-${c.name}`, (x) => x]));
  const { exports } = await component.instantiate({ host });
  assert.equal(exports.roundtripU32, exports['roundtrip-u32']);
  assert.ok(Object.keys(exports).includes('roundtripU32'));
  assert.ok(!Object.keys(exports).includes('roundtrip-u32'), 'the exact name is not enumerated twice');
});

test('host imports may be named in lowerCamelCase', async () => {
  const host = Object.fromEntries(CASES.map((c) => [`echo-${c.name}`.replace(/-([a-z])/g, (_, ch) => ch.toUpperCase()), (x) => x]));
  const { exports } = await component.instantiate({ host });
  assert.equal(exports.roundtripString('ok'), 'ok');
});
