// wit-bindgen's runtime test components (jco's fixtures: jco-transpile/runtime/, the adder,
// and jco/'s WASI commands). Each imports a test interface that the host implements here
// and exports one that `run` calls. What the hosts provide and what the calls must return
// follows the tests that drive these binaries upstream: jco's packages/jco-transpile/test/
// (runtime TS hosts, jspi.ts, memory.ts) and packages/jco/test/ (cli.js, transcoding.js),
// and wit-bindgen's tests/runtime/<name>/ (guests and Wasmtime hosts, around 2025-01);
// WASI-Virt's test cases for the composed jco/ components.
import assert from 'node:assert/strict';
import { ComponentError } from '../../../js/index.mjs';
// Symbol.dispose, or Symbol.for('dispose') where the engine has none (WebKit).
import { DISPOSE } from '../../../js/platform.mjs';

const RT = 'jco-transpile/runtime';

/** Asserts that `fn()` throws a ComponentError (an `err` result) whose payload is `payload`. */
function assertErr(fn, payload) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof ComponentError, `expected a ComponentError, got ${e?.name}: ${e?.message}`);
    assert.deepEqual(e.payload, payload);
    return true;
  });
}

/** A flags value of `count` flags b0, b1, ..., those numbered in `set` true. */
function bits(count, ...set) {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`b${i}`, set.includes(i)]));
}

const u64s = (n) => Array.from({ length: n }, (_, i) => BigInt(i + 1));

// ---- numbers, records, variants, flavorful, lists, strings, options, results -----------

const numbersHost = (host) => {
  let scalar = 0;
  const id = (x) => x;
  return {
    'test:numbers/test': {
      roundtripU8: id, roundtripS8: id, roundtripU16: id, roundtripS16: id,
      roundtripU32: id, roundtripS32: id, roundtripU64: id, roundtripS64: id,
      roundtripF32: id, roundtripF64: id, roundtripChar: id,
      setScalar(x) { host.calls.push(['setScalar', x]); scalar = x; },
      getScalar() { return scalar; },
    },
  };
};

async function numbersRun({ exports, host }) {
  exports.testImports();
  assert.deepEqual(host.calls, [['setScalar', 2], ['setScalar', 4]]);
  const t = exports['test:numbers/test'];
  assert.equal(t.roundtripU8(1), 1);
  assert.equal(t.roundtripU8(0), 0);
  assert.equal(t.roundtripU8(255), 255);
  assert.equal(t.roundtripS8(1), 1);
  assert.equal(t.roundtripS8(-128), -128);
  assert.equal(t.roundtripS8(127), 127);
  assert.equal(t.roundtripU16(1), 1);
  assert.equal(t.roundtripU16(65535), 65535);
  assert.equal(t.roundtripS16(1), 1);
  assert.equal(t.roundtripS16(-32768), -32768);
  assert.equal(t.roundtripS16(32767), 32767);
  assert.equal(t.roundtripU32(1), 1);
  assert.equal(t.roundtripU32(0xffffffff), 0xffffffff);
  assert.equal(t.roundtripS32(1), 1);
  assert.equal(t.roundtripS32(0x7fffffff), 0x7fffffff);
  assert.equal(t.roundtripS32(-0x80000000), -0x80000000);
  assert.equal(t.roundtripU64(1n), 1n);
  assert.equal(t.roundtripU64(0n), 0n);
  assert.equal(t.roundtripU64(2n ** 64n - 1n), 2n ** 64n - 1n);
  assert.equal(t.roundtripS64(1n), 1n);
  assert.equal(t.roundtripS64(2n ** 63n - 1n), 2n ** 63n - 1n);
  assert.equal(t.roundtripS64(-(2n ** 63n)), -(2n ** 63n));
  assert.equal(t.roundtripF32(1), 1);
  assert.equal(t.roundtripF32(Infinity), Infinity);
  assert.equal(t.roundtripF32(-Infinity), -Infinity);
  assert.ok(Number.isNaN(t.roundtripF32(NaN)));
  assert.equal(t.roundtripF64(1), 1);
  assert.equal(t.roundtripF64(Infinity), Infinity);
  assert.equal(t.roundtripF64(-Infinity), -Infinity);
  assert.ok(Number.isNaN(t.roundtripF64(NaN)));
  assert.equal(t.roundtripChar('a'), 'a');
  assert.equal(t.roundtripChar(' '), ' ');
  assert.equal(t.roundtripChar('🚩'), '🚩');
  t.setScalar(2);
  assert.equal(t.getScalar(), 2);
  t.setScalar(4);
  assert.equal(t.getScalar(), 4);
}

const recordsHost = () => ({
  'test:records/test': {
    multipleResults: () => [4, 5],
    swapTuple: ([a, b]) => [b, a],
    roundtripFlags1: (x) => x,
    roundtripFlags2: (x) => x,
    roundtripFlags3: (a, b, c) => [a, b, c],
    roundtripRecord1: (x) => x,
    tuple1: ([x]) => [x],
  },
});

async function recordsRun({ exports }) {
  exports.testImports();
  const t = exports['test:records/test'];
  assert.deepEqual(t.multipleResults(), [100, 200]);
  assert.deepEqual(t.swapTuple([1, 2]), [2, 1]);
  assert.deepEqual(t.roundtripFlags1({ a: true }), { a: true, b: false });
  assert.deepEqual(t.roundtripFlags1({}), { a: false, b: false });
  assert.deepEqual(t.roundtripFlags1({ a: true, b: true }), { a: true, b: true });
  assert.deepEqual(t.roundtripFlags2({ c: true }), { c: true, d: false, e: false });
  assert.deepEqual(t.roundtripFlags2({}), { c: false, d: false, e: false });
  assert.deepEqual(t.roundtripFlags2({ d: true }), { c: false, d: true, e: false });
  assert.deepEqual(t.roundtripFlags2({ c: true, e: true }), { c: true, d: false, e: true });
  assert.deepEqual(t.roundtripFlags3(bits(8, 0), bits(16, 1), bits(32, 2)), [bits(8, 0), bits(16, 1), bits(32, 2)]);
  assert.deepEqual(t.roundtripFlags3(bits(8, 7), bits(16, 15), bits(32, 31)), [bits(8, 7), bits(16, 15), bits(32, 31)]);
  assert.deepEqual(t.roundtripRecord1({ a: 8, b: {} }), { a: 8, b: { a: false, b: false } });
  assert.deepEqual(t.roundtripRecord1({ a: 0, b: { a: true, b: true } }), { a: 0, b: { a: true, b: true } });
  assert.deepEqual(t.tuple1([1]), [1]);
}

const variantsHost = () => ({
  'test:variants/test': {
    roundtripOption: (x) => x,
    roundtripResult(x) {
      if (x.tag === 'ok') return x.val;
      throw Object.assign(new Error('err'), { payload: Math.round(x.val) });
    },
    roundtripEnum: (x) => x,
    invertBool: (x) => !x,
    variantCasts: (x) => x,
    variantZeros: (x) => x,
    variantTypedefs(a, b, c) {
      assert.equal(a, undefined);
      assert.equal(b, false);
      assert.deepStrictEqual(c, { tag: 'err', val: undefined });
    },
    variantEnums(a, b, c) {
      assert.equal(a, true);
      assert.deepStrictEqual(b, { tag: 'ok', val: undefined });
      assert.equal(c, 'success');
      return [false, { tag: 'err', val: undefined }, 'a'];
    },
  },
});

async function variantsRun({ exports }) {
  exports.testImports();
  const t = exports['test:variants/test'];
  assert.equal(t.roundtripOption(1), 1);
  assert.equal(t.roundtripOption(undefined), undefined);
  assert.equal(t.roundtripOption(), undefined);  // an omitted option<T> is none
  assert.equal(t.roundtripOption(2), 2);
  assert.equal(t.roundtripResult({ tag: 'ok', val: 2 }), 2);
  assert.equal(t.roundtripResult({ tag: 'ok', val: 4 }), 4);
  assertErr(() => t.roundtripResult({ tag: 'err', val: Math.fround(5.2) }), 5);
  assert.equal(t.roundtripEnum('a'), 'a');
  assert.equal(t.roundtripEnum('b'), 'b');
  assert.equal(t.invertBool(true), false);
  assert.equal(t.invertBool(false), true);
  const casts = [
    { tag: 'a', val: 1 }, { tag: 'a', val: 2 }, { tag: 'a', val: 3 },
    { tag: 'a', val: 4n }, { tag: 'a', val: 5n }, { tag: 'a', val: 6 },
  ];
  assert.deepStrictEqual(t.variantCasts(casts), casts);
  const castsB = [
    { tag: 'b', val: 1n }, { tag: 'b', val: 2 }, { tag: 'b', val: 3 },
    { tag: 'b', val: 4 }, { tag: 'b', val: 5 }, { tag: 'b', val: 6 },
  ];
  assert.deepStrictEqual(t.variantCasts(castsB), castsB);
  const zeros = [{ tag: 'a', val: 1 }, { tag: 'a', val: 2n }, { tag: 'a', val: 3 }, { tag: 'a', val: 4 }];
  assert.deepStrictEqual(t.variantZeros(zeros), zeros);
  t.variantTypedefs(undefined, false, { tag: 'err', val: undefined });
}

function flavorfulHost() {
  let firstErrno = true;
  return {
    'test:flavorful/test': {
      fListInRecord1(x) { assert.equal(x.a, 'list_in_record1'); },
      fListInRecord2: () => ({ a: 'list_in_record2' }),
      fListInRecord3(x) {
        assert.equal(x.a, 'list_in_record3 input');
        return { a: 'list_in_record3 output' };
      },
      fListInRecord4(x) {
        assert.equal(x.a, 'input4');
        return { a: 'result4' };
      },
      fListInVariant1(a, b) {
        assert.equal(a, 'foo');
        assert.deepStrictEqual(b, { tag: 'err', val: 'bar' });
      },
      fListInVariant2: () => 'list_in_variant2',
      fListInVariant3(x) {
        assert.equal(x, 'input3');
        return 'output3';
      },
      errnoResult() {
        if (firstErrno) {
          firstErrno = false;
          throw 'b';  // a thrown non-Error is the payload itself
        }
      },
      listTypedefs(x, y) {
        assert.equal(x, 'typedef1');
        assert.deepEqual(y, ['typedef2']);
        return [new TextEncoder().encode('typedef3'), ['typedef4']];
      },
      listOfVariants(bools, results, enums) {
        assert.deepStrictEqual(bools, [true, false]);
        assert.deepStrictEqual(results, [{ tag: 'ok', val: undefined }, { tag: 'err', val: undefined }]);
        assert.deepStrictEqual(enums, ['success', 'a']);
        return [[false, true], [{ tag: 'err', val: undefined }, { tag: 'ok', val: undefined }], ['a', 'b']];
      },
    },
  };
}

async function flavorfulRun({ exports }) {
  exports.testImports();
  const t = exports['test:flavorful/test'];
  t.fListInRecord1({ a: 'list_in_record1' });
  assert.deepEqual(t.fListInRecord2(), { a: 'list_in_record2' });
  assert.deepEqual(t.fListInRecord3({ a: 'list_in_record3 input' }), { a: 'list_in_record3 output' });
  assert.deepEqual(t.fListInRecord4({ a: 'input4' }), { a: 'result4' });
  // jco's test passes a third argument left over from an older WIT: extra arguments are ignored
  t.fListInVariant1('foo', { tag: 'err', val: 'bar' }, { tag: 0, val: 'baz' });
  assert.equal(t.fListInVariant2(), 'list_in_variant2');
  assert.equal(t.fListInVariant3('input3'), 'output3');
  assertErr(() => t.errnoResult(), 'b');
  const [r1, r2] = t.listTypedefs('typedef1', ['typedef2']);
  assert.deepEqual(r1, new TextEncoder().encode('typedef3'));
  assert.deepEqual(r2, ['typedef4']);
}

const listsHost = () => ({
  'test:lists/test': {
    emptyListParam(a) { assert.deepEqual(Array.from(a), []); },
    emptyStringParam(a) { assert.equal(a, ''); },
    emptyListResult: () => new Uint8Array([]),
    emptyStringResult: () => '',
    listParam(a) { assert.deepEqual(Array.from(a), [1, 2, 3, 4]); },
    listParam2(a) { assert.equal(a, 'foo'); },
    listParam3(a) { assert.deepEqual(a, ['foo', 'bar', 'baz']); },
    listParam4(a) { assert.deepEqual(a, [['foo', 'bar'], ['baz']]); },
    listParam5(a) { assert.deepEqual(a, [[1, 2, 3], [4, 5, 6]]); },
    listResult: () => new Uint8Array([1, 2, 3, 4, 5]),
    listResult2: () => 'hello!',
    listResult3: () => ['hello,', 'world!'],
    listRoundtrip: (x) => x,
    stringRoundtrip: (x) => x,
    listMinmax8(u, s) {
      assert.deepEqual(Array.from(u), [0, 255]);
      assert.deepEqual(Array.from(s), [-128, 127]);
      return [u, s];
    },
    listMinmax16(u, s) {
      assert.deepEqual(Array.from(u), [0, 65535]);
      assert.deepEqual(Array.from(s), [-32768, 32767]);
      return [u, s];
    },
    listMinmax32(u, s) {
      assert.deepEqual(Array.from(u), [0, 0xffffffff]);
      assert.deepEqual(Array.from(s), [-0x80000000, 0x7fffffff]);
      return [u, s];
    },
    listMinmax64(u, s) {
      assert.deepEqual(Array.from(u), [0n, 2n ** 64n - 1n]);
      assert.deepEqual(Array.from(s), [-(2n ** 63n), 2n ** 63n - 1n]);
      return [u, s];
    },
    listMinmaxFloat(f, d) {
      assert.deepEqual(Array.from(f), [-3.4028234663852886e38, 3.4028234663852886e38, -Infinity, Infinity]);
      assert.deepEqual(Array.from(d), [-Number.MAX_VALUE, Number.MAX_VALUE, -Infinity, Infinity]);
      return [f, d];
    },
  },
});

async function listsRun({ exports }) {
  const bytes = exports.allocatedBytes();
  exports.testImports();
  const t = exports['test:lists/test'];
  t.emptyListParam(new Uint8Array([]));
  t.emptyStringParam('');
  t.listParam(new Uint8Array([1, 2, 3, 4]));
  t.listParam2('foo');
  t.listParam3(['foo', 'bar', 'baz']);
  t.listParam4([['foo', 'bar'], ['baz']]);
  t.listParam5([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(Array.from(t.emptyListResult()), []);
  assert.equal(t.emptyStringResult(), '');
  const listResult = t.listResult();
  assert.ok(listResult instanceof Uint8Array);
  assert.deepEqual(Array.from(listResult), [1, 2, 3, 4, 5]);
  assert.equal(t.listResult2(), 'hello!');
  assert.deepEqual(t.listResult3(), ['hello,', 'world!']);
  // a view of the middle four bytes of a larger buffer
  const buffer = new ArrayBuffer(8);
  new Uint8Array(buffer).set([1, 2, 3, 4], 2);
  assert.deepEqual(Array.from(t.listRoundtrip(new Uint8Array(buffer, 2, 4))), [1, 2, 3, 4]);
  assert.equal(t.stringRoundtrip('x'), 'x');
  assert.equal(t.stringRoundtrip(''), '');
  assert.equal(t.stringRoundtrip('hello ⚑ world'), 'hello ⚑ world');
  assert.equal(exports.allocatedBytes(), bytes);  // the glue freed what it allocated
}

const stringsHost = (host) => ({
  'test:strings/imports': {
    takeBasic(s) { host.calls.push('takeBasic'); assert.equal(s, 'latin utf16'); },
    returnUnicode: () => '🚀🚀🚀 𠈄𓀀',
  },
});

async function stringsRun({ exports, host }) {
  exports.testImports();
  assert.deepEqual(host.calls, ['takeBasic']);
  assert.equal(exports.returnEmpty(), '');
  assert.equal(exports.roundtrip('str'), 'str');
  assert.equal(exports.roundtrip('🚀🚀🚀 𠈄𓀀'), '🚀🚀🚀 𠈄𓀀');
}

const optionsHost = () => ({
  'test:options/test': {
    optionNoneParam(a) { assert.equal(a, undefined); },
    optionSomeParam(a) { assert.equal(a, 'foo'); },
    optionNoneResult: () => undefined,
    optionSomeResult: () => 'foo',
    optionRoundtrip: (a) => a,
    doubleOptionRoundtrip: (a) => a,
  },
});

async function optionsRun({ exports }) {
  exports.testImports();
  const t = exports['test:options/test'];
  assert.equal(t.optionNoneResult(), undefined);
  assert.equal(t.optionSomeResult(), 'foo');
  t.optionNoneParam(undefined);
  t.optionNoneParam();  // an omitted option<T> is none
  t.optionSomeParam('foo');
  assert.equal(t.optionRoundtrip('foo'), 'foo');
  assert.equal(t.optionRoundtrip(undefined), undefined);
  // option<option<u32>>: the outer option is tagged, the inner one is the value or undefined
  assert.deepStrictEqual(t.doubleOptionRoundtrip({ tag: 'some', val: 42 }), { tag: 'some', val: 42 });
  assert.deepStrictEqual(t.doubleOptionRoundtrip({ tag: 'some', val: undefined }), { tag: 'some', val: undefined });
  assert.deepStrictEqual(t.doubleOptionRoundtrip({ tag: 'none' }), { tag: 'none' });
}

const resultsHost = () => ({
  'test:results/test': {
    stringError(a) {
      if (a === 0) throw 'zero';  // a thrown non-Error is the payload itself
      return a;
    },
    enumError(a) {
      if (a === 0) throw Object.assign(new Error('enum'), { payload: 'a' });
      return a;
    },
    recordError(a) {
      if (a === 0) throw Object.assign(new Error('record'), { payload: { line: 420, column: 0 } });
      if (a === 1) throw Object.assign(new Error('record'), { payload: { line: 77, column: 2 } });
      return a;
    },
    variantError(a) {
      if (a === 0) throw Object.assign(new Error('variant'), { payload: { tag: 'e2', val: { line: 420, column: 0 } } });
      if (a === 1) throw Object.assign(new Error('variant'), { payload: { tag: 'e1', val: 'b' } });
      if (a === 2) throw Object.assign(new Error('variant'), { payload: { tag: 'e1', val: 'c' } });
      return a;
    },
    emptyError(a) {
      if (a === 0) throw new Error('empty');
      if (a === 1) return 42;
      return a;
    },
    doubleError(a) {
      if (a === 0) return { tag: 'ok', val: undefined };
      if (a === 1) return { tag: 'err', val: 'one' };
      throw 'two';  // a thrown non-Error is the payload itself
    },
  },
});

async function resultsRun({ exports }) {
  const t = exports['test:results/test'];
  assertErr(() => t.stringError(0), 'zero');
  assert.equal(t.stringError(1), 1);
  assertErr(() => t.enumError(0), 'a');
  assert.equal(t.enumError(1), 1);
  assertErr(() => t.recordError(0), { line: 420, column: 0 });
  assertErr(() => t.recordError(1), { line: 77, column: 2 });
  assert.equal(t.recordError(2), 2);
  assertErr(() => t.variantError(0), { tag: 'e2', val: { line: 420, column: 0 } });
  assertErr(() => t.variantError(1), { tag: 'e1', val: 'b' });
  assertErr(() => t.variantError(2), { tag: 'e1', val: 'c' });
  assert.equal(t.variantError(3), 3);
  assertErr(() => t.emptyError(0), undefined);
  assert.equal(t.emptyError(1), 42);
  assert.equal(t.emptyError(2), 2);
  assert.deepStrictEqual(t.doubleError(0), { tag: 'ok', val: undefined });
  assert.deepStrictEqual(t.doubleError(1), { tag: 'err', val: 'one' });
  assertErr(() => t.doubleError(2), 'two');
}

// ---- arguments, smoke, versions, suffixes -------------------------------------------

const manyArgumentsHost = (host) => ({
  imports: {
    manyArguments(...args) {
      host.calls.push('manyArguments');
      assert.deepStrictEqual(args, u64s(16));
    },
  },
});

async function manyArgumentsRun({ exports, host }) {
  // the guest checks its arguments, then passes them on to the import
  exports.manyArguments(...u64s(16));
  assert.deepEqual(host.calls, ['manyArguments']);
}

const versionsHost = () => ({
  'test:dep/test@0.1.0': { x: () => 1, y: (a) => 1 + a },
  'test:dep/test@0.2.0': { x: () => 2, z: (a, b) => 2 + a + b },
});

async function versionsRun({ exports }) {
  const v1 = exports['test:dep/test@0.1.0'];
  const v2 = exports['test:dep/test@0.2.0'];
  assert.equal(v1.x(), 1);
  assert.equal(v1.y(1), 2);
  assert.equal(v2.x(), 2);
  assert.equal(v2.z(1, 1), 4);
  exports.testImports();
}

// ---- ownership: the same guest built three ways -------------------------------------

function ownershipHost(host) {
  host.made = [];
  host.disposed = 0;
  class TheResource {
    constructor(list) {
      assert.equal(host.made.length, 0, 'one the-resource is made');
      this.list = list;
      host.made.push(this);
    }

    [DISPOSE]() { host.disposed++; }
  }
  return {
    lists: { foo(a) { host.calls.push('foo'); return a; } },
    'thing-in': {
      bar(a) {
        host.calls.push('bar');
        assert.deepEqual(a, { name: 'thing 1', value: ['some value', 'another value'] });
      },
    },
    'thing-in-and-out': { baz(a) { host.calls.push('baz'); return a; } },
    'test:ownership/both-list-and-resource': {
      TheResource,
      listAndResource(value) {
        host.calls.push('listAndResource');
        assert.equal(value.b, host.made[0], 'the record carries the resource the guest made');
        assert.deepEqual(value.a, host.made[0].list);
      },
    },
  };
}

async function ownershipRun({ exports, host }) {
  exports.foo();
  assert.deepEqual(host.calls, ['foo', 'bar', 'baz', 'listAndResource']);
  assert.equal(host.made.length, 1);
  assert.deepEqual(host.made[0].list, ['foo', 'bar', 'baz']);
  assert.equal(host.disposed, 0, 'the resource was handed to the host, not dropped');
}

// ---- resources --------------------------------------------------------------------------

const resourcesHost = () => {
  class Y {
    constructor(a) { this.a = a; }
    getA() { return this.a; }
    setA(a) { this.a = a; }
    static add(y, a) { return new Y(y.a + a); }
  }
  return { imports: { Y } };
};

async function resourcesRun({ exports }) {
  const e = exports.exports;
  assert.equal(e.testImports(), undefined);
  const x = new e.X(5);
  assert.equal(x.getA(), 5);
  x.setA(10);
  assert.equal(x.getA(), 10);
  const z1 = new e.Z(10);
  assert.equal(z1.getA(), 10);
  const z2 = new e.Z(20);
  assert.equal(z2.getA(), 20);
  const xAdd = e.X.add(x, 5);
  assert.equal(xAdd.getA(), 15);
  const zAdd = e.add(z1, z2);
  assert.equal(zAdd.getA(), 30);
  const droppedBefore = e.Z.numDropped();
  z1[DISPOSE]();
  z2[DISPOSE]();
  e.consume(xAdd);
  const droppedAfter = e.Z.numDropped();
  if (droppedBefore !== 0) assert.equal(droppedAfter, droppedBefore + 2);
  const k = new e.KebabCase(3);
  assert.equal(k.getA(), 3);
  assert.equal(e.KebabCase.takeOwned(k), 3);
}

function aggregatesHost(host) {
  class Thing {
    constructor(v) { this.value = v + 2; }
  }
  return {
    'test:resource-aggregates/test': {
      Thing,
      foo(r1, r2, r3, t1, t2, v1, v2, l1, l2, o1, o2, result1, result2) {
        host.calls.push('foo');
        const v = (t) => {
          assert.ok(t instanceof Thing);
          return t.value;
        };
        return v(r1.thing) + v(r2.thing) + v(r3.thing1) + v(r3.thing2) + v(t1[0]) + v(t1[1].thing) + v(t2[0]) +
          v(v1.val) + v(v2.val) + l1.reduce((s, t) => s + v(t), 0) + l2.reduce((s, t) => s + v(t), 0) +
          (o1 ? v(o1) : 0) + (o2 ? v(o2) : 0) + (result1.tag === 'ok' ? v(result1.val) : 0) +
          (result2.tag === 'ok' ? v(result2.val) : 0) + 3;
      },
    },
  };
}

async function aggregatesRun({ exports, host }) {
  const t = exports['test:resource-aggregates/test'];
  const things = [];
  let expected = 0;
  for (let i = 1; i < 18; i++) {
    things.push(new t.Thing(i));
    expected += i + 1 + 2;
  }
  expected += 3 + 4;
  assert.equal(
    t.foo(
      { thing: things[0] },
      { thing: things[1] },
      { thing1: things[2], thing2: things[3] },
      [things[4], { thing: things[5] }],
      [things[6]],
      { tag: 'thing', val: things[7] },
      { tag: 'thing', val: things[8] },
      [things[9], things[10]],
      [things[11], things[12]],
      things[13],
      things[14],
      { tag: 'ok', val: things[15] },
      { tag: 'ok', val: things[16] },
    ),
    expected,
  );
  assert.deepEqual(host.calls, ['foo']);
}

async function aliasRun({ exports }) {
  const e1 = exports['test:resource-alias/e1'];
  const e2 = exports['test:resource-alias/e2'];
  const x42 = new e1.X(42);
  const r1 = e1.a({ x: x42 });
  assert.equal(r1.length, 1);
  assert.ok(r1[0] instanceof e1.X);
  const r2 = e2.a({ x: new e1.X(7) }, { x: new e1.X(8) }, new e1.X(8));
  assert.equal(r2.length, 2);
  for (const x of r2) assert.ok(x instanceof e1.X);
}

function aliasReduxHost(host) {
  class Thing {
    constructor(s) { this.value = `${s} HostThing`; }
    get() { return `${this.value} HostThing.get`; }
  }
  host.Thing = Thing;
  return {
    'test:resource-alias-redux/resource-alias1': { Thing, a: (f) => [f.thing] },
    'test:resource-alias-redux/resource-alias2': { b: (f, g) => [f.thing, g.thing] },
  };
}

async function aliasReduxRun({ exports, host }) {
  const a1 = exports['test:resource-alias-redux/resource-alias1'];
  const a2 = exports['test:resource-alias-redux/resource-alias2'];
  // the world's `test` takes and returns the host's (imported) things
  const mine = new host.Thing('Ni Hao');
  const back = exports.test([mine]);
  assert.equal(back.length, 1);
  assert.equal(back[0], mine);
  assert.equal(back[0].value, 'Ni Hao HostThing');
  const thing2 = new a1.Thing('Ciao');
  assert.deepEqual(a1.a({ thing: thing2 }).map((t) => t.get()), ['Ciao Thing HostThing HostThing.get Thing.get']);
  const thing3 = new a1.Thing('Ciao');
  const thing4 = new a1.Thing('Aloha');
  assert.deepEqual(a2.b({ thing: thing3 }, { thing: thing4 }).map((t) => t.get()), [
    'Ciao Thing HostThing HostThing.get Thing.get',
    'Aloha Thing HostThing HostThing.get Thing.get',
  ]);
}

function borrowImportHost(host) {
  class Thing {
    constructor(v) { this.value = v + 2; }
  }
  return {
    'test:resource-borrow-import/test': {
      Thing,
      foo(v) {
        host.calls.push('foo');
        assert.ok(v instanceof Thing);
        return v.value + 3;
      },
    },
  };
}

function borrowInRecordHost() {
  class Thing {
    constructor(s) { this.value = `${s} HostThing`; }
    get() { return `${this.value} HostThing.get`; }
  }
  return {
    'test:resource-borrow-in-record/test': {
      Thing,
      test: (a) => a.map((foo) => new Thing(`${foo.thing.value} test`)),
    },
  };
}

async function borrowInRecordRun({ exports }) {
  const t = exports['test:resource-borrow-in-record/test'];
  const thing1 = new t.Thing('Bonjour');
  const thing2 = new t.Thing('mon cher');
  assert.deepEqual(t.test([{ thing: thing1 }, { thing: thing2 }]).map((x) => x.get()), [
    'Bonjour Thing HostThing test HostThing HostThing.get Thing.get',
    'mon cher Thing HostThing test HostThing HostThing.get Thing.get',
  ]);
  // borrowed, so still ours
  assert.equal(thing1.get(), 'Bonjour Thing HostThing HostThing.get Thing.get');
}

// `resource r` imported at the world's top level, constructed by the guest and lent back
function borrowSimpleHost(host) {
  class R {
    constructor() { host.calls.push('new R'); }
  }
  return {
    R,
    test(r) {
      host.calls.push('test');
      assert.ok(r instanceof R);
    },
  };
}

async function borrowSimpleRun({ exports, host }) {
  exports.testImports();
  assert.deepEqual(host.calls, ['new R', 'test']);
}

function floatsHost(host) {
  class ImportsFloat {
    constructor(v) { this.value = v + 2; }
    get() { return this.value + 4; }
    static add(a, b) { return new ImportsFloat(a.value + b + 6); }
  }
  class TestFloat {
    constructor(v) { this.value = v + 1; }
    get() { return this.value + 3; }
  }
  host.TestFloat = TestFloat;
  return {
    imports: { Float: ImportsFloat },
    'test:resource-floats/test': { Float: TestFloat },
  };
}

async function floatsRun({ exports, host }) {
  const { Float } = exports.exports;
  const float3 = new Float(22);
  assert.equal(float3.get(), 22 + 1 + 2 + 4 + 3);
  const res = Float.add(float3, 7);
  assert.equal(res.get(), 59);
  // the world's `add` borrows two of the host's test floats and returns a new one
  const { TestFloat } = host;
  const sum = exports.add(new TestFloat(42), new TestFloat(55));
  assert.ok(sum instanceof TestFloat);
  assert.equal(sum.get(), (42 + 1 + 3) + (55 + 1 + 3) + 5 + 1 + 3);
}

function importAndExportHost(host) {
  class Thing {
    constructor(v) { this.value = v + 1; }
    foo() { return this.value + 2; }
    bar(v) { this.value = v + 3; }
    static baz(a, b) { return new Thing(a.foo() + b.foo() + 4); }
  }
  host.Thing = Thing;
  return {
    'test:resource-import-and-export/test': { Thing },
    'toplevel-import': (a) => {
      host.calls.push('toplevel-import');
      return a;
    },
  };
}

async function importAndExportRun({ exports, host }) {
  const { Thing } = exports['test:resource-import-and-export/test'];
  const thing1 = new Thing(42);
  assert.equal(thing1.foo(), 42 + 1 + 1 + 2 + 2);
  thing1.bar(33);
  assert.equal(thing1.foo(), 33 + 3 + 3 + 2 + 2);
  const thing2 = new Thing(81);
  const thing3 = Thing.baz(thing1, thing2);
  assert.equal(thing3.foo(), 33 + 3 + 3 + 81 + 1 + 1 + 2 + 2 + 4 + 1 + 2 + 4 + 1 + 1 + 2 + 2);
  // the world's toplevel-export passes the host's (imported) thing through toplevel-import
  const mine = new host.Thing(5);
  assert.equal(exports.toplevelExport(mine), mine);
  assert.deepEqual(host.calls, ['toplevel-import']);
}

function withListsHost() {
  const enc = (s) => new TextEncoder().encode(s);
  const cat = (l, s) => new Uint8Array([...l, ...enc(s)]);
  class Thing {
    constructor(l) { this.list = cat(l, ' HostThing'); }
    foo() { return cat(this.list, ' HostThing.foo'); }
    bar(l) { this.list = cat(l, ' HostThing.bar'); }
    static baz(l) { return cat(l, ' HostThing.baz'); }
  }
  return { 'test:resource-with-lists/test': { Thing } };
}

async function withListsRun({ exports }) {
  const { Thing } = exports['test:resource-with-lists/test'];
  const text = (bytes) => {
    assert.ok(bytes instanceof Uint8Array);
    return new TextDecoder().decode(bytes);
  };
  const enc = (s) => new TextEncoder().encode(s);
  const thing = new Thing(enc('Hi'));
  assert.equal(text(thing.foo()), 'Hi Thing HostThing HostThing.foo Thing.foo');
  thing.bar(enc('Hola'));
  assert.equal(text(thing.foo()), 'Hola Thing.bar HostThing.bar HostThing.foo Thing.foo');
  assert.equal(text(Thing.baz(enc('Ohayo Gozaimas'))), 'Ohayo Gozaimas Thing.baz HostThing.baz Thing.baz again');
}

function xcrateHost(host) {
  const make = (which) => class X {
    constructor() { host.calls.push(`${which}.new`); }
    foo() { host.calls.push(`${which}.foo`); }
    [DISPOSE]() { host.calls.push(`${which}.drop`); }
  };
  return {
    'test:xcrate/a-imports': { X: make('a'), a() { host.calls.push('a'); } },
    'test:xcrate/b-imports': { X: make('b'), b() { host.calls.push('b'); } },
  };
}

async function xcrateRun({ exports, host }) {
  exports.b();
  assert.deepEqual(host.calls, ['a', 'b', 'a.new', 'a.foo', 'a.drop', 'b.new', 'b.foo', 'b.drop']);
  const { X } = exports['an-exported-interface'];
  const x = new X();
  x.foo();
  x[DISPOSE]();
}

function guestImportHost(host) {
  let instance = 0;
  class Scalars {
    constructor() { this.instance = instance++; }
    getB() { return this.instance; }
  }
  host.Scalars = Scalars;
  host.received = [];
  return {
    'example2:component/backend@0.1.0': {
      Scalars,
      fetch(scalar) {
        host.received.push(scalar);
        return new Scalars();
      },
    },
  };
}

async function guestImportRun({ exports, host }) {
  const front = exports['example2:component/front@0.1.0'];
  const x = new host.Scalars();
  const y = new host.Scalars();
  assert.equal(front.handle(x), 2);
  assert.equal(front.handle(y), 4);
  // fetch borrowed our own objects: they are plain host objects again, and may be passed on
  assert.equal(host.received.length, 2);
  assert.equal(host.received[0], x);
  assert.equal(host.received[1], y);
  assert.equal(front.handle(host.received[0]), 4);
  assert.equal(front.handle(host.received[1]), 6);
}

// simple-nested: its hello-world import is async on the host in jco's JSPI mode
const HELLO = 'Hello from Async Function!';

// ---- the cases ----------------------------------------------------------------------

export default [
  // adder: jco's memory test (1,000,000 calls of add without the process growing)
  ...['jco-transpile/adder.component.wasm', `${RT}/adder.component.wasm`].map((fixture) => ({
    fixture,
    timeout: 60000,
    async run({ exports }) {
      const { add } = exports['docs:adder/add@0.1.0'];
      assert.equal(add(1, 3), 4);
      assert.equal(add(0xffffffff, 1), 0);  // u32 wraps in the guest's i32.add
      // (A page has no process memory figure: there the calls run without the RSS check.)
      const rss = () => globalThis.process?.memoryUsage().rss;
      const before = rss();
      let sum = 0;
      for (let i = 0; i < 1_000_000; i++) sum += add(1, 3);
      assert.equal(sum, 4_000_000);
      if (before !== undefined) {
        const grown = rss() - before;
        assert.ok(grown < 30e6, `1,000,000 calls grew RSS by ${(grown / 1e6).toFixed(1)} MB (< 30 MB)`);
      }
    },
  })),
  {
    fixture: `${RT}/asmjs_bigint.component.wasm`,
    async run({ exports }) {
      assert.equal(exports.add(1n, 2n), 3n);
      assert.equal(exports.add(1n << 33n, -(1n << 42n)), -4389456576512n);
    },
  },
  {
    fixture: `${RT}/async_call.component.wasm`,
    name: 'host answers at once',
    imports: (host) => ({
      'something:test/test-interface': {
        callAsync() { host.calls.push('callAsync'); return 'called async'; },
        callSync() { host.calls.push('callSync'); return 'called sync'; },
      },
    }),
    async run({ exports, host }) {
      assert.equal(exports.runSync(), 'called sync');
      assert.equal(exports.runAsync(), 'called async');
      assert.deepEqual(host.calls, ['callSync', 'callAsync']);
    },
  },
  {
    fixture: `${RT}/async_call.component.wasm`,
    name: 'host returns a Promise (suspendingImports)',
    blocks: true,
    options: { suspendingImports: ['something:test/test-interface#call-async'] },
    imports: () => ({
      'something:test/test-interface': {
        callAsync: async () => { await new Promise((r) => setTimeout(r, 1)); return 'called async'; },
        callSync: () => 'called sync',
      },
    }),
    async run({ exports }) {
      assert.equal(await exports.runSync(), 'called sync');
      assert.equal(await exports.runAsync(), 'called async');
    },
  },
  ...['borrowing', 'borrowing-duplicate-if-necessary', 'owning'].map((name) => ({
    fixture: `${RT}/${name}.component.wasm`,
    wasi: true,
    imports: ownershipHost,
    run: ownershipRun,
  })),
  {
    fixture: `${RT}/example_guest_export.wasm`,
    async run({ exports }) {
      const backend = exports['example:component/backend@0.1.0'];
      assert.equal(backend.Scalars.getA(), 5);
      const scalar = new backend.Scalars();
      assert.equal(scalar.getB(), 2);
      assert.equal(backend.scalarArg(scalar), 7);
    },
  },
  {
    fixture: `${RT}/example_guest_import.wasm`,
    imports: guestImportHost,
    run: guestImportRun,
  },
  { fixture: `${RT}/flavorful.component.wasm`, wasi: true, imports: flavorfulHost, run: flavorfulRun },
  { fixture: `${RT}/lists.component.wasm`, wasi: true, imports: listsHost, run: listsRun },
  ...['many-arguments', 'many_arguments'].map((name) => ({
    fixture: `${RT}/${name}.component.wasm`,
    wasi: true,
    imports: manyArgumentsHost,
    run: manyArgumentsRun,
  })),
  { fixture: `${RT}/numbers.component.wasm`, wasi: true, imports: numbersHost, run: numbersRun },
  { fixture: `${RT}/options.component.wasm`, wasi: true, imports: optionsHost, run: optionsRun },
  {
    fixture: `${RT}/other-dependencies.component.wasm`,
    wasi: true,
    async run({ exports }) {
      const iface = exports['other:test/test'];
      assert.equal(typeof iface, 'object');
      assert.deepEqual(Object.keys(iface), []);
    },
  },
  { fixture: `${RT}/records.component.wasm`, wasi: true, imports: recordsHost, run: recordsRun },
  ...['resource-borrow-simple', 'resource_borrow_simple'].map((name) => ({
    fixture: `${RT}/${name}.component.wasm`,
    wasi: true,
    imports: borrowSimpleHost,
    run: borrowSimpleRun,
  })),
  ...['resource-import-and-export', 'resource_import_and_export'].map((name) => ({
    fixture: `${RT}/${name}.component.wasm`,
    wasi: true,
    imports: importAndExportHost,
    run: importAndExportRun,
  })),
  { fixture: `${RT}/resource_aggregates.component.wasm`, wasi: true, imports: aggregatesHost, run: aggregatesRun },
  { fixture: `${RT}/resource_alias.component.wasm`, wasi: true, run: aliasRun },
  {
    fixture: `${RT}/resource_alias_redux.component.wasm`,
    wasi: true,
    imports: aliasReduxHost,
    run: aliasReduxRun,
  },
  {
    fixture: `${RT}/resource_borrow_export.component.wasm`,
    wasi: true,
    async run({ exports }) {
      const t = exports['test:resource-borrow-export/test'];
      const thing = new t.Thing(42);
      assert.equal(t.foo(thing), 42 + 1 + 2);
      assert.equal(t.foo(thing), 42 + 1 + 2);  // only lent
    },
  },
  {
    fixture: `${RT}/resource_borrow_import.component.wasm`,
    wasi: true,
    imports: borrowImportHost,
    async run({ exports, host }) {
      assert.equal(exports.test(42), 42 + 1 + 2 + 3 + 4);
      assert.deepEqual(host.calls, ['foo']);
    },
  },
  { fixture: `${RT}/resource_borrow_in_record.component.wasm`, wasi: true, imports: borrowInRecordHost, run: borrowInRecordRun },
  { fixture: `${RT}/resource_floats.component.wasm`, wasi: true, imports: floatsHost, run: floatsRun },
  {
    fixture: `${RT}/resource_into_inner.component.wasm`,
    wasi: true,
    async run({ exports }) {
      // the guest asserts that Resource::into_inner gives back what Resource::new took
      exports['test:resource-into-inner/test'].test();
      const thing = new exports['test:resource-into-inner/test'].Thing('Jabberwocky');
      thing[DISPOSE]();
    },
  },
  { fixture: `${RT}/resource_with_lists.component.wasm`, wasi: true, imports: withListsHost, run: withListsRun },
  { fixture: `${RT}/resources.component.wasm`, wasi: true, imports: resourcesHost, run: resourcesRun },
  { fixture: `${RT}/results.component.wasm`, wasi: true, imports: resultsHost, run: resultsRun },
  { fixture: `${RT}/rust_xcrate.component.wasm`, wasi: true, imports: xcrateHost, run: xcrateRun },
  ...['simple-nested', 'simple-nested-optimized'].flatMap((name) => [
    {
      fixture: `${RT}/${name}.component.wasm`,
      name: 'host answers at once',
      imports: () => ({ 'calvinrp:test-async-funcs/hello@0.1.0': { helloWorld: () => HELLO } }),
      async run({ exports }) {
        assert.equal(exports['calvinrp:test-async-funcs/hello@0.1.0'].helloWorld(), HELLO);
      },
    },
    {
      fixture: `${RT}/${name}.component.wasm`,
      name: 'host returns a Promise (suspendingImports)',
      blocks: true,
      options: { suspendingImports: ['calvinrp:test-async-funcs/hello#hello-world'] },
      imports: () => ({ 'calvinrp:test-async-funcs/hello@0.1.0': { helloWorld: async () => { await new Promise((r) => setTimeout(r, 1)); return HELLO; } } }),
      async run({ exports }) {
        assert.equal(await exports['calvinrp:test-async-funcs/hello@0.1.0'].helloWorld(), HELLO);
      },
    },
  ]),
  {
    fixture: `${RT}/smoke.component.wasm`,
    wasi: true,
    imports: (host) => ({ 'test:smoke/imports': { thunk() { host.calls.push('thunk'); } } }),
    async run({ exports, host }) {
      exports.thunk();  // the C guest also prints "howdy" to stdout
      assert.deepEqual(host.calls, ['thunk']);
    },
  },
  { fixture: `${RT}/strings.component.wasm`, wasi: true, imports: stringsHost, run: stringsRun },
  {
    fixture: `${RT}/type_section_suffix.component.wasm`,
    wasi: true,
    imports: (host) => ({
      'test:suffix/imports': { foo() { host.calls.push('imports.foo'); } },
      foo() { host.calls.push('foo'); },
      bar() { host.calls.push('bar'); },
    }),
    async run({ exports, host }) {
      exports.run();
      assert.deepEqual(host.calls, ['imports.foo', 'imports.foo', 'foo', 'bar']);
    },
  },
  { fixture: `${RT}/variants.component.wasm`, wasi: true, imports: variantsHost, run: variantsRun },
  { fixture: `${RT}/versions.component.wasm`, wasi: true, imports: versionsHost, run: versionsRun },

  // ---- jco/: WASI 0.2 commands and WASI-Virt compositions --------------------------------
  {
    // WASI-Virt: CUSTOM=VAL baked in, PUBLIC_VAR allowed through from the host
    fixture: 'jco/env-allow.composed.wasm',
    name: 'no host environment',
    wasi: true,
    async run({ exports }) {
      assert.deepEqual(exports.testGetEnv(), [['CUSTOM', 'VAL']]);
    },
  },
  {
    fixture: 'jco/env-allow.composed.wasm',
    name: 'host environment filtered',
    wasi: { env: { PRIVATE_TOKEN: 'PRIVATE', PUBLIC_VAR: 'VAL' } },
    async run({ exports }) {
      assert.deepEqual(exports.testGetEnv(), [['CUSTOM', 'VAL'], ['PUBLIC_VAR', 'VAL']]);
    },
  },
  {
    fixture: 'jco/hello_stdout.component.wasm',
    command: {
      stdout: 'writing to stdout: hello, world\n',
      stderr: 'writing to stderr: hello, world\n',
    },
  },
  {
    fixture: 'jco/stdio.composed.wasm',
    command: { args: ['--invoke', 'test-stdio()'], stdout: 'Hello world\n', stderr: '' },
  },
  {
    // flushes stdout, then blocks on its pollable: must finish (jco #550)
    fixture: 'jco/stdout-pollable-hang.component.wasm',
    timeout: 20000,
    command: { stdout: '', stderr: '' },
  },
  {
    // a UTF-8 guest composed with a UTF-16 one, through the preview1 adapter
    fixture: 'jco/utf8-utf16.composed.wasm',
    command: { args: ['asdf中文🀄️⏰'], stdout: 'ret: asdf中文🀄️⏰asdf中文🀄️⏰\n', stderr: '' },
  },
];
