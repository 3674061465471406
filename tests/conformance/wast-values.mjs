// WAST component values (`u32.const 1`, `record.const (field "a" u8.const 1)`, ...):
//   parseWastValue(node)          s-expression -> WastValue (a plain tagged tree)
//   toJs(value, type)             WastValue + type descriptor -> our JS argument value
//   matchValue(actual, value, type) -> null when the JS result equals the WAST value,
//                                    else a sentence saying where and how it differs
//   inferType(value)              a type descriptor guessed from the value itself, for
//                                 functions that do not (yet) describe their type
// The forms are those of wasm-tools' `wast` crate (crates/wast/src/component/wast.rs);
// the JS side is jco's mapping, shared with js/wave.mjs.

import { inspect } from 'node:util';
import {
  F32_FORMAT,
  F64_FORMAT,
  INTEGER_RANGES,
  decimalToFloat,
  elementType,
  errType,
  labelNames,
  okType,
  ratioToFloat,
  recordFields,
  tupleTypes,
  typedArrayFor,
  variantCases,
} from '../../js/wave.mjs';
import { lowerCamelCase } from '../../js/names.mjs';

// WastValue:
//   { kind: 'bool', value }                  { kind: 'u8'..'s64', value: number|bigint }
//   { kind: 'f32'|'f64', value, nanPayload? } { kind: 'char'|'string', value }
//   { kind: 'list'|'tuple', items }          { kind: 'record', fields: [{name, value}] }
//   { kind: 'variant', name, payload|null }  { kind: 'enum', name }
//   { kind: 'option', payload|null }         { kind: 'result', ok: bool, payload|null }
//   { kind: 'flags', labels }
// u64/s64 values are bigints, every other integer a number.

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function atomText(node, what) {
  if (node?.kind !== 'atom') throw new TypeError(`expected ${what}`);
  return node.text;
}

function stringValue(node, what) {
  if (node?.kind !== 'string') throw new TypeError(`expected ${what} (a string literal)`);
  try {
    return utf8Strict.decode(node.bytes);
  } catch {
    throw new TypeError(`${what} is not valid UTF-8`);
  }
}

function noMore(items, from, form) {
  if (items.length > from) throw new TypeError(`unexpected operand after ${form}`);
}

// Wasm text integer: sign? (digits | 0x hexdigits), `_` allowed between digits.
export function parseIntegerLiteral(text, kind) {
  const m = /^([+-]?)(?:0x([0-9a-fA-F]+(?:_[0-9a-fA-F]+)*)|([0-9]+(?:_[0-9]+)*))$/.exec(text);
  if (!m) throw new TypeError(`malformed ${kind} literal \`${text}\``);
  const magnitude = m[2] !== undefined ? BigInt('0x' + m[2].replace(/_/g, '')) : BigInt(m[3].replace(/_/g, ''));
  const value = m[1] === '-' ? -magnitude : magnitude;
  const [lo, hi] = INTEGER_RANGES[kind];
  if (value < lo || value > hi) throw new RangeError(`${kind} literal \`${text}\` is out of range`);
  return kind === 'u64' || kind === 's64' ? value : Number(value);
}

const FLOAT_BITS = {
  f32: { format: F32_FORMAT, payloadBits: 23n },
  f64: { format: F64_FORMAT, payloadBits: 52n },
};

// Wasm text float: sign? (inf | nan | nan:0xN | decimal | 0x hex float). Returns
// { value, nanPayload? } where nanPayload is the mantissa bits the text asked for
// (`nan` means the canonical payload). The value is rounded once, to the target format.
export function parseFloatLiteral(text, kind) {
  const { format, payloadBits } = FLOAT_BITS[kind];
  const m = /^([+-]?)(.*)$/.exec(text);
  const sign = m[1] === '-' ? -1 : 1;
  const body = m[2];
  if (body === 'inf') return { value: sign * Infinity };
  if (body === 'nan') return { value: NaN, nanPayload: 1n << (payloadBits - 1n), negative: sign < 0 };
  const nan = /^nan:0x([0-9a-fA-F]+(?:_[0-9a-fA-F]+)*)$/.exec(body);
  if (nan) {
    const payload = BigInt('0x' + nan[1].replace(/_/g, ''));
    if (payload === 0n || payload >= 1n << payloadBits) throw new RangeError(`NaN payload out of range in \`${text}\``);
    return { value: NaN, nanPayload: payload, negative: sign < 0 };
  }
  const hex = /^0x([0-9a-fA-F]+(?:_[0-9a-fA-F]+)*)?(?:\.([0-9a-fA-F]+(?:_[0-9a-fA-F]+)*)?)?(?:[pP]([+-]?[0-9]+(?:_[0-9]+)*))?$/.exec(body);
  if (hex && (hex[1] !== undefined || hex[2] !== undefined)) {
    const intDigits = (hex[1] ?? '').replace(/_/g, '');
    const fracDigits = (hex[2] ?? '').replace(/_/g, '');
    const mantissa = BigInt('0x' + (intDigits + fracDigits || '0'));
    const exp2 = Number((hex[3] ?? '0').replace(/_/g, '')) - 4 * fracDigits.length;
    let value = 0;
    if (mantissa !== 0n) {
      if (exp2 > 2000) value = Infinity;
      else if (exp2 < -2000 - intDigits.length * 4 - fracDigits.length * 4) value = 0;
      else value = ratioToFloat(exp2 >= 0 ? mantissa << BigInt(exp2) : mantissa, exp2 >= 0 ? 1n : 1n << BigInt(-exp2), ...format);
    }
    if (value === Infinity) throw new RangeError(`\`${text}\` overflows ${kind}`);
    return { value: sign * value };
  }
  const dec = /^[0-9]+(?:_[0-9]+)*(?:\.(?:[0-9]+(?:_[0-9]+)*)?)?(?:[eE][+-]?[0-9]+(?:_[0-9]+)*)?$/.exec(body);
  if (!dec) throw new TypeError(`malformed ${kind} literal \`${text}\``);
  const value = decimalToFloat(body.replace(/_/g, ''), format);
  if (value === Infinity) throw new RangeError(`\`${text}\` overflows ${kind}`);
  return { value: sign * value };
}

// The value carried by what follows a keyword inside a form: either one parenthesised
// value `(u32.const 1)`, or the value written inline `u32.const 1` (record fields use
// the inline form). Returns null when nothing follows.
function payloadFrom(items, form) {
  if (items.length === 0) return null;
  if (items.length === 1 && items[0].kind === 'list') return parseWastValue(items[0]);
  if (items[0].kind === 'atom') return parseValueItems(items);
  throw new TypeError(`malformed payload in ${form}`);
}

const SCALAR_KINDS = ['u8', 's8', 'u16', 's16', 'u32', 's32', 'u64', 's64'];

function parseValueItems(items) {
  const form = atomText(items[0], 'a value form such as `u32.const`');
  const rest = items.slice(1);
  const [prefix, suffix] = form.split('.');
  if (suffix === 'const' && SCALAR_KINDS.includes(prefix)) {
    noMore(rest, 1, form);
    return { kind: prefix, value: parseIntegerLiteral(atomText(rest[0], `a ${prefix} literal`), prefix) };
  }
  switch (form) {
    case 'bool.const': {
      noMore(rest, 1, form);
      const text = atomText(rest[0], '`true` or `false`');
      if (text !== 'true' && text !== 'false') throw new TypeError('expected `true` or `false`');
      return { kind: 'bool', value: text === 'true' };
    }
    case 'f32.const':
    case 'f64.const': {
      noMore(rest, 1, form);
      return { kind: prefix, ...parseFloatLiteral(atomText(rest[0], `a ${prefix} literal`), prefix) };
    }
    case 'char.const': {
      noMore(rest, 1, form);
      const text = stringValue(rest[0], 'the character');
      if ([...text].length !== 1) throw new TypeError('char.const takes exactly one character');
      return { kind: 'char', value: text };
    }
    case 'str.const':
      noMore(rest, 1, form);
      return { kind: 'string', value: stringValue(rest[0], 'the string') };
    case 'list.const':
    case 'tuple.const':
      return { kind: prefix, items: rest.map((item) => parseWastValue(item)) };
    case 'record.const':
      return {
        kind: 'record',
        fields: rest.map((field) => {
          if (field.kind !== 'list' || atomText(field.items[0], '`field`') !== 'field') {
            throw new TypeError('expected (field "name" value)');
          }
          const value = payloadFrom(field.items.slice(2), 'field');
          if (value === null) throw new TypeError('field without a value');
          return { name: stringValue(field.items[1], 'the field name'), value };
        }),
      };
    case 'variant.const':
      return { kind: 'variant', name: stringValue(rest[0], 'the case name'), payload: payloadFrom(rest.slice(1), form) };
    case 'enum.const':
      noMore(rest, 1, form);
      return { kind: 'enum', name: stringValue(rest[0], 'the case name') };
    case 'option.none':
      noMore(rest, 0, form);
      return { kind: 'option', payload: null };
    case 'option.some': {
      const payload = payloadFrom(rest, form);
      if (payload === null) throw new TypeError('option.some needs a value');
      return { kind: 'option', payload };
    }
    case 'result.ok':
    case 'result.err':
      return { kind: 'result', ok: suffix === 'ok', payload: payloadFrom(rest, form) };
    case 'flags.const':
      return { kind: 'flags', labels: rest.map((l) => stringValue(l, 'a flag name')) };
    default:
      throw new TypeError(`unknown value form \`${form}\``);
  }
}

// `(u32.const 1)` etc. -> WastValue. Throws TypeError/RangeError on a malformed value.
export function parseWastValue(node) {
  if (node?.kind !== 'list' || node.items.length === 0) throw new TypeError('expected a parenthesised value');
  return parseValueItems(node.items);
}

// ---------------------------------------------------------------------------
// Types guessed from values (fallback when a function does not describe itself)

const UNKNOWN = { kind: 'unknown' };

// Two guesses for the same type (e.g. two elements of one list) -> one guess that
// knows everything either knew: the union of variant cases, enum and flag labels.
function mergeTypes(a, b) {
  if (a.kind === 'unknown') return b;
  if (b.kind === 'unknown' || a.kind !== b.kind) return a;
  const byName = (xs, ys) => {
    const out = xs.map((x) => ({ ...x }));
    for (const y of ys) {
      const same = out.find((x) => x.name === y.name);
      if (!same) out.push(y);
      else if (same.type && y.type) same.type = mergeTypes(same.type, y.type);
      else same.type ??= y.type;
    }
    return out;
  };
  switch (a.kind) {
    case 'list':
    case 'option':
      return { ...a, element: mergeTypes(a.element, b.element) };
    case 'tuple':
      return { ...a, elements: a.elements.map((t, i) => (b.elements[i] ? mergeTypes(t, b.elements[i]) : t)) };
    case 'record':
      return { ...a, fields: byName(a.fields, b.fields) };
    case 'variant':
      return { ...a, cases: byName(a.cases, b.cases) };
    case 'enum':
    case 'flags':
      return { ...a, labels: [...new Set([...a.labels, ...b.labels])] };
    case 'result': {
      const merge = (x, y) => (x === null || y === null ? x ?? y : mergeTypes(x, y));
      return { ...a, ok: merge(a.ok, b.ok), err: merge(a.err, b.err) };
    }
    default:
      return a;
  }
}

export function inferType(w) {
  switch (w.kind) {
    case 'list':
      return { kind: 'list', element: w.items.map(inferType).reduce(mergeTypes, UNKNOWN), inferred: true };
    case 'tuple':
      return { kind: 'tuple', elements: w.items.map(inferType), inferred: true };
    case 'record':
      return { kind: 'record', fields: w.fields.map((f) => ({ name: f.name, type: inferType(f.value) })), inferred: true };
    case 'variant':
      return { kind: 'variant', cases: [{ name: w.name, type: w.payload ? inferType(w.payload) : null }], inferred: true };
    case 'enum':
      return { kind: 'enum', labels: [w.name], inferred: true };
    case 'option':
      return { kind: 'option', element: w.payload ? inferType(w.payload) : UNKNOWN, inferred: true };
    case 'result': {
      const payload = w.payload ? inferType(w.payload) : null;
      return { kind: 'result', ok: w.ok ? payload : UNKNOWN, err: w.ok ? UNKNOWN : payload, inferred: true };
    }
    case 'flags':
      return { kind: 'flags', labels: w.labels, inferred: true };
    default:
      return { kind: w.kind, inferred: true };
  }
}

// ---------------------------------------------------------------------------
// WastValue -> JS argument

function fits(w, type) {
  if (type.kind === 'unknown') return true;
  if (type.kind === 'fixed-list') return w.kind === 'list';
  return w.kind === type.kind;
}

function listToJs(items, elem) {
  const values = items.map((item) => toJs(item, elem));
  const Typed = typedArrayFor(elem.kind);
  return Typed ? Typed.from(values) : values;
}

// Whether an option of this type is tagged ({tag:'none'} / {tag:'some', val}) in JS.
function isTaggedOption(type) {
  return elementType(type)?.kind === 'option';
}

export function toJs(w, type) {
  if (!fits(w, type)) throw new TypeError(`WAST ${describeWast(w)} does not fit type ${type.kind}`);
  switch (w.kind) {
    case 'bool': case 'char': case 'string':
    case 'u8': case 's8': case 'u16': case 's16': case 'u32': case 's32': case 'u64': case 's64':
    case 'f32': case 'f64':
      return w.value;
    case 'list': {
      if (type.kind === 'fixed-list' && type.length !== undefined && w.items.length !== type.length) {
        throw new TypeError(`fixed-list of ${type.length} given ${w.items.length} elements`);
      }
      return listToJs(w.items, elementType(type) ?? UNKNOWN);
    }
    case 'tuple': {
      const types = tupleTypes(type);
      if (types.length !== w.items.length) throw new TypeError(`tuple of ${types.length} given ${w.items.length} values`);
      return w.items.map((item, i) => toJs(item, types[i]));
    }
    case 'record': {
      const fields = recordFields(type);
      const out = {};
      for (const field of fields) {
        const given = w.fields.find((f) => f.name === field.name);
        if (!given) throw new TypeError(`record value lacks field \`${field.name}\``);
        out[lowerCamelCase(field.name)] = toJs(given.value, field.type);
      }
      for (const f of w.fields) {
        if (!fields.some((x) => x.name === f.name)) throw new TypeError(`record has no field \`${f.name}\``);
      }
      return out;
    }
    case 'variant': {
      const c = variantCases(type).find((x) => x.name === w.name);
      if (!c) throw new TypeError(`variant has no case \`${w.name}\``);
      if ((c.type === null) !== (w.payload === null)) throw new TypeError(`case \`${w.name}\`: payload mismatch`);
      return c.type ? { tag: w.name, val: toJs(w.payload, c.type) } : { tag: w.name };
    }
    case 'enum':
      if (!labelNames(type).includes(w.name)) throw new TypeError(`enum has no case \`${w.name}\``);
      return w.name;
    case 'option': {
      const tagged = isTaggedOption(type);
      if (w.payload === null) return tagged ? { tag: 'none' } : undefined;
      const val = toJs(w.payload, elementType(type));
      return tagged ? { tag: 'some', val } : val;
    }
    case 'result': {
      const payloadType = w.ok ? okType(type) : errType(type);
      if ((payloadType === null) !== (w.payload === null)) throw new TypeError('result payload mismatch');
      return { tag: w.ok ? 'ok' : 'err', val: payloadType ? toJs(w.payload, payloadType) : undefined };
    }
    case 'flags': {
      const labels = labelNames(type);
      for (const l of w.labels) if (!labels.includes(l)) throw new TypeError(`flags have no \`${l}\``);
      return Object.fromEntries(labels.map((l) => [lowerCamelCase(l), w.labels.includes(l)]));
    }
    default:
      throw new TypeError(`cannot pass a ${w.kind}`);
  }
}

// ---------------------------------------------------------------------------
// Comparing a JS result with the expected WastValue

function show(actual) {
  return inspect(actual, { depth: 4, breakLength: Infinity, maxArrayLength: 16, maxStringLength: 80 });
}

export function describeWast(w) {
  switch (w.kind) {
    case 'bool': case 'u8': case 's8': case 'u16': case 's16': case 'u32': case 's32': case 'u64': case 's64':
      return `${w.kind === 'bool' ? 'bool' : w.kind}.const ${w.value}`;
    case 'f32': case 'f64':
      return `${w.kind}.const ${Number.isNaN(w.value) ? 'nan' : Object.is(w.value, -0) ? '-0' : w.value}`;
    case 'char': return `char.const ${JSON.stringify(w.value)}`;
    case 'string': return `str.const ${JSON.stringify(w.value.length > 40 ? w.value.slice(0, 40) + '…' : w.value)}`;
    case 'list': case 'tuple': return `${w.kind}.const (${w.items.length} items)`;
    case 'record': return `record.const {${w.fields.map((f) => f.name).join(', ')}}`;
    case 'variant': return `variant.const "${w.name}"${w.payload ? ' …' : ''}`;
    case 'enum': return `enum.const "${w.name}"`;
    case 'option': return w.payload ? 'option.some …' : 'option.none';
    case 'result': return `result.${w.ok ? 'ok' : 'err'}${w.payload ? ' …' : ''}`;
    case 'flags': return `flags.const ${w.labels.map((l) => `"${l}"`).join(' ')}`;
    default: return w.kind;
  }
}

function differ(path, w, actual, detail) {
  return `${path || 'result'}: expected ${describeWast(w)}, got ${show(actual)}${detail ? ` (${detail})` : ''}`;
}

function matchAt(actual, w, type, path) {
  switch (w.kind) {
    case 'bool':
      return actual === w.value ? null : differ(path, w, actual);
    case 'u64': case 's64':
      return typeof actual === 'bigint' && actual === w.value ? null : differ(path, w, actual, typeof actual === 'bigint' ? '' : 'a bigint was expected');
    case 'u8': case 's8': case 'u16': case 's16': case 'u32': case 's32':
      return typeof actual === 'number' && actual === w.value ? null : differ(path, w, actual);
    case 'f32': case 'f64':
      if (typeof actual !== 'number') return differ(path, w, actual);
      // Any NaN matches a NaN: JS numbers do not reliably carry NaN payload bits.
      if (Number.isNaN(w.value)) return Number.isNaN(actual) ? null : differ(path, w, actual);
      return Object.is(actual, w.value) ? null : differ(path, w, actual);
    case 'char': case 'string':
      return actual === w.value ? null : differ(path, w, actual);
    case 'list': {
      const elem = elementType(type) ?? UNKNOWN;
      const Typed = typedArrayFor(elem.kind);
      if (Typed && !type.inferred) {
        if (!(actual instanceof Typed)) return differ(path, w, actual, `a ${Typed.name} was expected`);
      } else if (!Array.isArray(actual) && !(type.inferred && ArrayBuffer.isView(actual))) {
        return differ(path, w, actual, 'an Array was expected');
      }
      if (actual.length !== w.items.length) return differ(path, w, actual, `length ${actual.length}`);
      for (let i = 0; i < w.items.length; i++) {
        const bad = matchAt(actual[i], w.items[i], elem, `${path}[${i}]`);
        if (bad) return bad;
      }
      return null;
    }
    case 'tuple': {
      const types = tupleTypes(type);
      if (!Array.isArray(actual) || actual.length !== w.items.length) return differ(path, w, actual, 'an Array of that length was expected');
      for (let i = 0; i < w.items.length; i++) {
        const bad = matchAt(actual[i], w.items[i], types[i] ?? UNKNOWN, `${path}[${i}]`);
        if (bad) return bad;
      }
      return null;
    }
    case 'record': {
      if (actual === null || typeof actual !== 'object') return differ(path, w, actual);
      const fields = recordFields(type);
      for (const f of w.fields) {
        const key = lowerCamelCase(f.name);
        const fieldType = fields.find((x) => x.name === f.name)?.type ?? UNKNOWN;
        const bad = matchAt(actual[key], f.value, fieldType, `${path}.${key}`);
        if (bad) return bad;
      }
      return null;
    }
    case 'variant': {
      if (actual?.tag !== w.name) return differ(path, w, actual, `tag ${show(actual?.tag)}`);
      const c = variantCases(type).find((x) => x.name === w.name);
      if (w.payload === null) return actual.val === undefined ? null : differ(path, w, actual, 'no payload was expected');
      return matchAt(actual.val, w.payload, c?.type ?? UNKNOWN, `${path}.val`);
    }
    case 'enum':
      return actual === w.name ? null : differ(path, w, actual);
    case 'option': {
      const inner = elementType(type) ?? UNKNOWN;
      const tagged = isTaggedOption(type) || (type.inferred && w.payload?.kind === 'option');
      if (tagged) {
        if (actual?.tag !== (w.payload ? 'some' : 'none')) return differ(path, w, actual, 'a tagged option was expected');
        return w.payload ? matchAt(actual.val, w.payload, inner, `${path}.val`) : null;
      }
      if (w.payload === null) return actual === undefined ? null : differ(path, w, actual, 'undefined was expected');
      if (actual === undefined) return differ(path, w, actual);
      return matchAt(actual, w.payload, inner, path);
    }
    case 'result': {
      if (actual?.tag !== (w.ok ? 'ok' : 'err')) return differ(path, w, actual, `tag ${show(actual?.tag)}`);
      const payloadType = (w.ok ? okType(type) : errType(type)) ?? UNKNOWN;
      if (w.payload === null) return actual.val === undefined ? null : differ(path, w, actual, 'no payload was expected');
      return matchAt(actual.val, w.payload, payloadType, `${path}.val`);
    }
    case 'flags': {
      if (actual === null || typeof actual !== 'object') return differ(path, w, actual);
      const labels = type.inferred ? w.labels : labelNames(type);
      const expectedSet = new Set(w.labels.map(lowerCamelCase));
      for (const l of labels) {
        const key = lowerCamelCase(l);
        if (Boolean(actual[key]) !== expectedSet.has(key)) return differ(path, w, actual, `flag ${key}`);
      }
      // With an inferred type the clear flags are unknown: no other flag may be set.
      for (const [key, on] of Object.entries(actual)) {
        if (on && !expectedSet.has(key)) return differ(path, w, actual, `flag ${key} is set`);
      }
      return null;
    }
    default:
      return `${path || 'result'}: cannot compare a ${w.kind}`;
  }
}

// null when `actual` (a JS value as our API returns it) equals the expected WAST value
// under `type` (a descriptor, or inferType(expected)); else the first difference.
// A result<T, E> *returned* by a function is not a tagged object in JS (it is the value
// or a thrown error): the runner turns it into { tag, val } before calling this.
export function matchValue(actual, expected, type = inferType(expected)) {
  return matchAt(actual, expected, type, '');
}
