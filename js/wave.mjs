// WAVE (WebAssembly Value Encoding): the text syntax for component values that
// `wasmtime run --invoke 'f(1, "x")'` uses and prints.
//
//   parseCall('add(1, 2)')                    -> { name: 'add', args: ['1', '2'] }
//   parseArguments(['1', '2'], fnType.params) -> [1, 2]        (our JS values)
//   parseValue('{a: 1}', recordType)          -> { a: 1 }
//   formatValue({ a: 1 }, recordType)         -> '{a: 1}'
//
// Types are the JSON descriptors the engine hands out
// (`fn[Symbol.for('cmbridge.type')]`); values follow jco's JS mapping (see toJs* below).
// Grammar: wasm-tools `crates/wasm-wave` README and wave_ebnf.md; the output format
// follows that crate's writer (Rust `Display` for numbers) so our CLI prints what
// Wasmtime prints.

import { lowerCamelCase } from './names.mjs';

export class WaveError extends SyntaxError {
  constructor(message, offset) {
    super(offset === undefined ? message : `${message} at offset ${offset}`);
    this.name = 'WaveError';
    this.offset = offset;
  }
}

// ---------------------------------------------------------------------------
// Names and type descriptors

export { lowerCamelCase };

// The descriptor shape is `{kind, element?, fields?, cases?, labels?, length?}`
// (js/runtime/signature.mjs describeFuncType). These accessors are the one place that
// knows how each kind spells its parts: an option is the variant none|some, a result the
// variant ok|error, an enum has payload-less cases, a tuple unnamed fields.
function findCase(type, ...names) {
  return (type.cases ?? []).find((c) => names.includes(c.name));
}

// list<T>, fixed-list<T>: T. option<T>: T.
export function elementType(type) {
  if (type.element) return type.element;
  if (type.kind === 'option') return findCase(type, 'some')?.type ?? null;
  return null;
}

// result<T, E>: ok/err payload types, or null when the case carries nothing.
export function okType(type) {
  if ('ok' in type) return type.ok ?? null;
  return findCase(type, 'ok')?.type ?? null;
}

export function errType(type) {
  if ('err' in type) return type.err ?? null;
  return findCase(type, 'err', 'error')?.type ?? null;
}

// tuple<...>: the element types in order.
export function tupleTypes(type) {
  if (type.elements) return type.elements;
  if (type.types) return type.types;
  return (type.fields ?? type.cases ?? []).map((f) => f.type);
}

// record: [{name, type}]
export function recordFields(type) {
  return type.fields ?? [];
}

// variant: [{name, type|null}]
export function variantCases(type) {
  return (type.cases ?? []).map((c) => ({ name: c.name, type: c.type ?? null }));
}

// enum and flags: the label names in order.
export function labelNames(type) {
  if (type.labels) return type.labels;
  return (type.cases ?? type.fields ?? []).map((c) => (typeof c === 'string' ? c : c.name));
}

const TYPED_ARRAYS = {
  u8: Uint8Array,
  s8: Int8Array,
  u16: Uint16Array,
  s16: Int16Array,
  u32: Uint32Array,
  s32: Int32Array,
  u64: BigUint64Array,
  s64: BigInt64Array,
  f32: Float32Array,
  f64: Float64Array,
};

// The TypedArray class a list of `kind` maps to in JS, or undefined (plain Array).
export function typedArrayFor(kind) {
  return TYPED_ARRAYS[kind];
}

export const INTEGER_RANGES = {
  u8: [0n, 0xffn],
  s8: [-0x80n, 0x7fn],
  u16: [0n, 0xffffn],
  s16: [-0x8000n, 0x7fffn],
  u32: [0n, 0xffffffffn],
  s32: [-0x80000000n, 0x7fffffffn],
  u64: [0n, 0xffffffffffffffffn],
  s64: [-0x8000000000000000n, 0x7fffffffffffffffn],
};

// ---------------------------------------------------------------------------
// Exact float rounding (f32 from decimal text must not round twice through f64).

function bitLength(n) {
  return n === 0n ? 0 : n.toString(2).length;
}

// The float nearest (ties to even) to num/den (both > 0n) in a binary format with
// `precision` significand bits and normal exponent range [emin, emax]; as a JS number.
export function ratioToFloat(num, den, precision, emin, emax) {
  if (num === 0n) return 0;
  const lsbMin = emin - precision + 1;
  const scaled = (e) => (e >= 0 ? [num, den << BigInt(e)] : [num << BigInt(-e), den]);
  let e = bitLength(num) - bitLength(den) - precision;
  let [n, d] = scaled(e);
  let q = n / d;
  if (q >= 1n << BigInt(precision)) e++;
  else if (q < 1n << BigInt(precision - 1)) e--;
  if (e < lsbMin) e = lsbMin;
  [n, d] = scaled(e);
  q = n / d;
  const twice = 2n * (n - q * d);
  if (twice > d || (twice === d && (q & 1n) === 1n)) q++;
  if (q === 1n << BigInt(precision)) {
    q >>= 1n;
    e++;
  }
  if (e + precision - 1 > emax) return Infinity;
  return Number(q) * 2 ** e;
}

export const F32_FORMAT = [24, -126, 127];
export const F64_FORMAT = [53, -1022, 1023];

// Decimal text (`-1.5e3`, `12.`, `.5` not required) to the nearest f32 or f64.
export function decimalToFloat(text, format) {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[2] === '' && !m[3])) throw new WaveError(`not a decimal number: ${text}`);
  const sign = m[1] === '-' ? -1 : 1;
  const digits = (m[2] + (m[3] ?? '')).replace(/^0+/, '') || '0';
  let exp10 = Number(m[4] ?? 0) - (m[3] ?? '').length;
  let value;
  if (digits === '0') value = 0;
  else if (exp10 + digits.length > 400) value = Infinity;
  else if (exp10 + digits.length < -400) value = 0;
  else {
    const big = BigInt(digits);
    const num = exp10 >= 0 ? big * 10n ** BigInt(exp10) : big;
    const den = exp10 >= 0 ? 1n : 10n ** BigInt(-exp10);
    value = ratioToFloat(num, den, ...format);
  }
  return sign * value;
}

// ---------------------------------------------------------------------------
// Lexer

const KEYWORDS = new Set(['true', 'false', 'some', 'none', 'ok', 'err', 'inf', 'nan']);
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;
const LABEL = /%?(?:[a-z][a-z0-9]*|[A-Z][A-Z0-9]*)(?:-(?:[a-z0-9]+|[A-Z0-9]+))*/y;
const PUNCT = new Set(['{', '}', '(', ')', '[', ']', ':', ',']);

// Decodes the escapes of a char or string body. `quote` is the delimiter that may not
// appear unescaped (null in multiline strings).
function decodeEscapes(body, offset, quote) {
  let out = '';
  for (let i = 0; i < body.length; ) {
    const c = body[i];
    if (c === '\\') {
      const e = body[i + 1];
      const simple = { "'": "'", '"': '"', '\\': '\\', t: '\t', n: '\n', r: '\r' }[e];
      if (simple !== undefined) {
        out += simple;
        i += 2;
        continue;
      }
      const m = /^u\{([0-9a-fA-F]{1,6})\}/.exec(body.slice(i + 1));
      if (!m) throw new WaveError('invalid character escape', offset + i);
      const cp = parseInt(m[1], 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) {
        throw new WaveError('escape is not a Unicode scalar value', offset + i);
      }
      out += String.fromCodePoint(cp);
      i += 1 + m[0].length;
      continue;
    }
    if (c === quote || c === '\n') throw new WaveError(`unescaped ${JSON.stringify(c)}`, offset + i);
    const cp = body.codePointAt(i);
    if (cp >= 0xd800 && cp < 0xe000) throw new WaveError('lone surrogate', offset + i);
    const ch = String.fromCodePoint(cp);
    out += ch;
    i += ch.length;
  }
  return out;
}

function decodeMultiline(raw, offset) {
  // raw is everything between the opening and closing `"""`.
  const first = /^\r?\n/.exec(raw);
  if (!first) throw new WaveError('multiline string must start with a line break', offset);
  const lastBreak = raw.lastIndexOf('\n');
  const indentText = raw.slice(lastBreak + 1);
  if (lastBreak < first[0].length - 1 || !/^ *$/.test(indentText)) {
    throw new WaveError('multiline string must end with a line break and indentation', offset);
  }
  const indent = indentText.length;
  const bodyEnd = raw[lastBreak - 1] === '\r' ? lastBreak - 1 : lastBreak;
  if (bodyEnd < first[0].length) return '';
  const lines = raw.slice(first[0].length, bodyEnd).split(/\r?\n/);
  return lines
    .map((line) => {
      if (line.length > 0 && !line.startsWith(' '.repeat(indent))) {
        throw new WaveError('multiline string line is indented less than its closing delimiter', offset);
      }
      return decodeEscapes(line.slice(indent), offset, null);
    })
    .join('\n');
}

// Tokens: { t: '{'|'}'|'('|')'|'['|']'|':'|',', at } | { t: 'number', text, at }
//         | { t: 'label', text (no %), escaped: bool, at } | { t: 'char'|'string', value, at }
function tokenize(text) {
  const tokens = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    if (c === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
      continue;
    }
    if (PUNCT.has(c)) { tokens.push({ t: c, at: i }); i++; continue; }
    if (text.startsWith('-inf', i) && !/[a-zA-Z0-9-]/.test(text[i + 4] ?? '')) {
      tokens.push({ t: 'number', text: '-inf', at: i });
      i += 4;
      continue;
    }
    NUMBER.lastIndex = i;
    let m = NUMBER.exec(text);
    if (m) {
      tokens.push({ t: 'number', text: m[0], at: i });
      i += m[0].length;
      continue;
    }
    LABEL.lastIndex = i;
    m = LABEL.exec(text);
    if (m) {
      const escaped = m[0].startsWith('%');
      tokens.push({ t: 'label', text: escaped ? m[0].slice(1) : m[0], escaped, at: i });
      i += m[0].length;
      continue;
    }
    if (text.startsWith('"""', i)) {
      const close = text.indexOf('"""', i + 3);
      if (close < 0) throw new WaveError('unterminated multiline string', i);
      tokens.push({ t: 'string', value: decodeMultiline(text.slice(i + 3, close), i), at: i });
      i = close + 3;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      if (text[j] !== c) throw new WaveError(`unterminated ${c === '"' ? 'string' : 'char'}`, i);
      const value = decodeEscapes(text.slice(i + 1, j), i + 1, c);
      if (c === "'" && [...value].length !== 1) throw new WaveError('a char literal holds exactly one character', i);
      tokens.push({ t: c === '"' ? 'string' : 'char', value, at: i });
      i = j + 1;
      continue;
    }
    throw new WaveError(`invalid token ${JSON.stringify(c)}`, i);
  }
  return tokens;
}

// ---------------------------------------------------------------------------
// Untyped parse (values cannot be told apart without their type: `a` is an enum case,
// a variant case or a flag, `{}` empty flags...)

// Nodes: { n: 'number', text } | { n: 'char'|'string', value } | { n: 'bool', value }
//        | { n: 'case', name, escaped, payload|null }  (labels, some/none/ok/err too)
//        | { n: 'tuple'|'list', items } | { n: 'record', fields: [{name, value}] }
//        | { n: 'flags', labels }
class Parser {
  constructor(text) {
    this.text = text;
    this.tokens = tokenize(text);
    this.pos = 0;
    this.depth = 0;
  }

  peek() {
    return this.tokens[this.pos];
  }

  next() {
    const tok = this.tokens[this.pos++];
    if (!tok) throw new WaveError('unexpected end of input', this.text.length);
    return tok;
  }

  expect(t) {
    const tok = this.next();
    if (tok.t !== t) throw new WaveError(`expected \`${t}\`, found ${describeToken(tok)}`, tok.at);
    return tok;
  }

  finish() {
    const tok = this.peek();
    if (tok) throw new WaveError(`unexpected trailing ${describeToken(tok)}`, tok.at);
  }

  value() {
    if (++this.depth > 100) throw new WaveError('nesting too deep', this.peek()?.at);
    try {
      return this.valueInner();
    } finally {
      this.depth--;
    }
  }

  valueInner() {
    const tok = this.next();
    const at = tok.at;
    switch (tok.t) {
      case 'number': return { n: 'number', text: tok.text, at };
      case 'char': return { n: 'char', value: tok.value, at };
      case 'string': return { n: 'string', value: tok.value, at };
      case '(': {
        const items = this.sequence(')');
        if (items.length === 0) throw new WaveError('empty tuple', at);
        return { n: 'tuple', items, at };
      }
      case '[': return { n: 'list', items: this.sequence(']'), at };
      case '{': return this.recordOrFlags(at);
      case 'label': {
        if (!tok.escaped && (tok.text === 'true' || tok.text === 'false')) {
          return { n: 'bool', value: tok.text === 'true', at };
        }
        if (!tok.escaped && (tok.text === 'inf' || tok.text === 'nan')) return { n: 'number', text: tok.text, at };
        let payload = null;
        if (this.peek()?.t === '(') {
          this.next();
          payload = this.value();
          this.expect(')');
        }
        if (!tok.escaped && tok.text === 'some' && !payload) throw new WaveError('`some` needs a payload', at);
        if (!tok.escaped && tok.text === 'none' && payload) throw new WaveError('`none` takes no payload', at);
        return { n: 'case', name: tok.text, escaped: tok.escaped, payload, at };
      }
      default:
        throw new WaveError(`unexpected ${describeToken(tok)}`, at);
    }
  }

  // value (',' value)* ','? close
  sequence(close) {
    const items = [];
    while (this.peek()?.t !== close) {
      items.push(this.value());
      if (this.peek()?.t === ',') this.next();
      else break;
    }
    this.expect(close);
    return items;
  }

  recordOrFlags(at) {
    if (this.peek()?.t === ':') {
      this.next();
      this.expect('}');
      return { n: 'record', fields: [], at };
    }
    if (this.peek()?.t === '}') {
      this.next();
      return { n: 'flags', labels: [], at };
    }
    const isRecord = this.tokens[this.pos + 1]?.t === ':';
    const seen = new Set();
    const fields = [];
    const labels = [];
    for (;;) {
      const label = this.expect('label');
      if (seen.has(label.text)) {
        throw new WaveError(`duplicate ${isRecord ? 'field' : 'flag'} \`${label.text}\``, label.at);
      }
      seen.add(label.text);
      if (isRecord) {
        this.expect(':');
        fields.push({ name: label.text, value: this.value() });
      } else {
        labels.push(label.text);
      }
      if (this.peek()?.t === ',') this.next();
      if (this.peek()?.t === '}') break;
    }
    this.next();
    return isRecord ? { n: 'record', fields, at } : { n: 'flags', labels, at };
  }
}

function describeToken(tok) {
  if (tok.t === 'number' || tok.t === 'label') return `\`${tok.text}\``;
  if (tok.t === 'string' || tok.t === 'char') return `${tok.t} literal`;
  return `\`${tok.t}\``;
}

// ---------------------------------------------------------------------------
// Typed conversion: untyped node + type descriptor -> JS value (jco's mapping)

function mismatch(node, type, what) {
  return new WaveError(`expected ${what ?? type.kind}`, node.at);
}

function toInteger(node, type) {
  if (node.n !== 'number' || !/^-?(0|[1-9][0-9]*)$/.test(node.text)) throw mismatch(node, type, `an integer (${type.kind})`);
  const value = BigInt(node.text);
  const [lo, hi] = INTEGER_RANGES[type.kind];
  if (value < lo || value > hi) throw new WaveError(`${node.text} is out of range for ${type.kind}`, node.at);
  return type.kind === 'u64' || type.kind === 's64' ? value : Number(value);
}

function toFloat(node, type) {
  if (node.n !== 'number') throw mismatch(node, type, `a number (${type.kind})`);
  if (node.text === 'nan') return NaN;
  if (node.text === 'inf') return Infinity;
  if (node.text === '-inf') return -Infinity;
  return decimalToFloat(node.text, type.kind === 'f32' ? F32_FORMAT : F64_FORMAT);
}

// Whether a `some`/`ok` payload of this type may be written "flat" (without some(...)).
function mayBeFlat(type) {
  return type !== null && type.kind !== 'option' && type.kind !== 'result';
}

function isKeywordCase(node, name) {
  return node.n === 'case' && !node.escaped && node.name === name;
}

function toList(nodeItems, elem) {
  const values = nodeItems.map((item) => nodeToJs(item, elem));
  const Typed = typedArrayFor(elem.kind);
  return Typed ? Typed.from(values) : values;
}

function nodeToJs(node, type) {
  switch (type.kind) {
    case 'bool':
      if (node.n !== 'bool') throw mismatch(node, type, '`true` or `false`');
      return node.value;
    case 'u8': case 's8': case 'u16': case 's16':
    case 'u32': case 's32': case 'u64': case 's64':
      return toInteger(node, type);
    case 'f32': case 'f64':
      return toFloat(node, type);
    case 'char':
      if (node.n !== 'char') throw mismatch(node, type, "a char literal ('x')");
      return node.value;
    case 'string':
      if (node.n !== 'string') throw mismatch(node, type, 'a string literal');
      return node.value;
    case 'list':
      if (node.n !== 'list') throw mismatch(node, type, 'a list ([...])');
      return toList(node.items, elementType(type));
    case 'fixed-list':
      if (node.n !== 'list') throw mismatch(node, type, 'a list ([...])');
      if (type.length !== undefined && node.items.length !== type.length) {
        throw new WaveError(`expected ${type.length} elements, found ${node.items.length}`, node.at);
      }
      return toList(node.items, elementType(type));
    case 'tuple': {
      const types = tupleTypes(type);
      if (node.n !== 'tuple') throw mismatch(node, type, 'a tuple ((...))');
      if (node.items.length !== types.length) {
        throw new WaveError(`expected a ${types.length}-tuple, found ${node.items.length} values`, node.at);
      }
      return node.items.map((item, i) => nodeToJs(item, types[i]));
    }
    case 'record': {
      const fields = recordFields(type);
      const given = node.n === 'record' ? node.fields : node.n === 'flags' && node.labels.length === 0 ? [] : null;
      if (given === null) throw mismatch(node, type, 'a record ({field: value, ...})');
      const byName = new Map(given.map((f) => [f.name, f.value]));
      for (const f of given) {
        if (!fields.some((x) => x.name === f.name)) throw new WaveError(`unknown field \`${f.name}\``, f.value.at);
      }
      const out = {};
      for (const field of fields) {
        const value = byName.get(field.name);
        if (value === undefined) {
          if (field.type.kind !== 'option') throw new WaveError(`missing field \`${field.name}\``, node.at);
          out[lowerCamelCase(field.name)] = noneOf(field.type);
        } else {
          out[lowerCamelCase(field.name)] = nodeToJs(value, field.type);
        }
      }
      return out;
    }
    case 'variant': {
      if (node.n !== 'case' || (!node.escaped && KEYWORDS.has(node.name))) {
        throw mismatch(node, type, 'a variant case (keyword cases need a `%` prefix)');
      }
      const c = variantCases(type).find((x) => x.name === node.name);
      if (!c) throw new WaveError(`unknown variant case \`${node.name}\``, node.at);
      if ((c.type === null) !== (node.payload === null)) {
        throw new WaveError(`case \`${c.name}\` ${c.type ? 'needs' : 'takes no'} payload`, node.at);
      }
      return c.type ? { tag: c.name, val: nodeToJs(node.payload, c.type) } : { tag: c.name };
    }
    case 'enum': {
      if (node.n !== 'case' || node.payload || (!node.escaped && KEYWORDS.has(node.name))) {
        throw mismatch(node, type, 'an enum case (keyword cases need a `%` prefix)');
      }
      if (!labelNames(type).includes(node.name)) throw new WaveError(`unknown enum case \`${node.name}\``, node.at);
      return node.name;
    }
    case 'option': {
      const inner = elementType(type);
      if (isKeywordCase(node, 'none')) return noneOf(type);
      if (isKeywordCase(node, 'some')) return someOf(type, nodeToJs(node.payload, inner));
      if (mayBeFlat(inner)) return someOf(type, nodeToJs(node, inner));
      throw mismatch(node, type, '`some(...)` or `none`');
    }
    case 'result': {
      for (const tag of ['ok', 'err']) {
        if (!isKeywordCase(node, tag)) continue;
        const payloadType = tag === 'ok' ? okType(type) : errType(type);
        if ((payloadType === null) !== (node.payload === null)) {
          throw new WaveError(`\`${tag}\` ${payloadType ? 'needs' : 'takes no'} payload`, node.at);
        }
        return { tag, val: payloadType ? nodeToJs(node.payload, payloadType) : undefined };
      }
      if (mayBeFlat(okType(type))) return { tag: 'ok', val: nodeToJs(node, okType(type)) };
      throw mismatch(node, type, '`ok(...)` or `err(...)`');
    }
    case 'flags': {
      if (node.n !== 'flags') throw mismatch(node, type, 'flags ({a, b})');
      const labels = labelNames(type);
      for (const label of node.labels) {
        if (!labels.includes(label)) throw new WaveError(`unknown flag \`${label}\``, node.at);
      }
      return Object.fromEntries(labels.map((l) => [lowerCamelCase(l), node.labels.includes(l)]));
    }
    default:
      throw new WaveError(`values of type ${type.kind} have no WAVE syntax`, node.at);
  }
}

// jco: option<T> is `T | undefined`, except that an option whose payload is itself an
// option is tagged, so that some(none) and none stay apart.
function noneOf(optionType) {
  return elementType(optionType).kind === 'option' ? { tag: 'none' } : undefined;
}

function someOf(optionType, value) {
  return elementType(optionType).kind === 'option' ? { tag: 'some', val: value } : value;
}

// One WAVE value of the given type -> our JS value. Throws WaveError.
export function parseValue(text, type) {
  const parser = new Parser(text);
  const node = parser.value();
  parser.finish();
  return nodeToJs(node, type);
}

// `name(arg, arg, ...)` -> { name, args: [argument text...] }. The name is everything
// before the first `(` (export names such as `local:demo/api#f` are fine); the
// arguments are split at top-level commas and trimmed, not yet typed.
export function parseCall(text) {
  const open = text.indexOf('(');
  if (open < 0) throw new WaveError('expected `name(arguments)`', text.length);
  const name = text.slice(0, open).trim();
  if (name === '' || /[\s"'{}]/.test(name)) throw new WaveError(`invalid function name \`${name}\``, 0);
  const tokens = tokenize(text.slice(open)).map((t) => ({ ...t, at: t.at + open }));
  const args = [];
  let depth = 0;
  let argStart = null;
  let end = -1;
  for (let k = 0; k < tokens.length && end < 0; k++) {
    const tok = tokens[k];
    if (tok.t === '(' || tok.t === '[' || tok.t === '{') {
      if (depth === 1 && argStart === null) argStart = tok.at;
      depth++;
    } else if (tok.t === ')' || tok.t === ']' || tok.t === '}') {
      depth--;
      if (depth === 0) {
        if (argStart !== null) args.push(text.slice(argStart, tok.at).trim());
        end = k;
      }
    } else if (tok.t === ',' && depth === 1) {
      if (argStart === null) throw new WaveError('empty argument', tok.at);
      args.push(text.slice(argStart, tok.at).trim());
      argStart = null;
    } else if (depth === 1 && argStart === null) {
      argStart = tok.at;
    }
  }
  if (end < 0) throw new WaveError('unclosed argument list', text.length);
  if (end !== tokens.length - 1) throw new WaveError('unexpected text after the argument list', tokens[end + 1].at);
  return { name, args };
}

// Argument texts + the function's params ([{name, type}]) -> JS argument values.
// Trailing option parameters may be left out (they are none).
export function parseArguments(argTexts, params) {
  if (argTexts.length > params.length) {
    throw new WaveError(`expected at most ${params.length} arguments, found ${argTexts.length}`);
  }
  return params.map((param, i) => {
    if (i < argTexts.length) {
      try {
        return parseValue(argTexts[i], param.type);
      } catch (e) {
        if (e instanceof WaveError) e.message = `argument \`${param.name}\`: ${e.message}`;
        throw e;
      }
    }
    if (param.type.kind !== 'option') throw new WaveError(`missing argument \`${param.name}\``);
    return noneOf(param.type);
  });
}

// ---------------------------------------------------------------------------
// Formatting: JS value + type -> WAVE text (as Wasmtime prints it)

function escapeChar(ch) {
  switch (ch) {
    case '\\': return '\\\\';
    case '"': return '\\"';
    case "'": return "\\'";
    case '\t': return '\\t';
    case '\r': return '\\r';
    case '\n': return '\\n';
  }
  const cp = ch.codePointAt(0);
  // Control characters (Unicode Cc) and lone surrogates are written as escapes.
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0xd800 && cp < 0xe000)) return `\\u{${cp.toString(16)}}`;
  return ch;
}

function quote(text, delimiter) {
  let out = delimiter;
  for (const ch of text) out += escapeChar(ch);
  return out + delimiter;
}

// JS exponent notation ("1.5e+21", "1e-7") -> plain decimal digits, as Rust prints.
function plainDecimal(text) {
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) return text;
  const [, sign, int, frac = '', expText] = m;
  const digits = int + frac;
  const point = int.length + Number(expText);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

export function formatFloat(value, kind) {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  if (kind === 'f32') {
    // The shortest decimal that reads back as the same f32.
    for (let p = 1; p <= 9; p++) {
      const text = value.toPrecision(p);
      if (Math.fround(Number(text)) === value) return plainDecimal(String(Number(text)));
    }
  }
  return plainDecimal(String(value));
}

function label(name) {
  return KEYWORDS.has(name) ? `%${name}` : name;
}

function isNoneValue(value, optionType) {
  return elementType(optionType).kind === 'option' ? value?.tag === 'none' : value === undefined;
}

export function formatValue(value, type) {
  switch (type.kind) {
    case 'bool':
      return value ? 'true' : 'false';
    case 'u8': case 's8': case 'u16': case 's16':
    case 'u32': case 's32': case 'u64': case 's64':
      return String(value);
    case 'f32': case 'f64':
      return formatFloat(value, type.kind);
    case 'char':
      return quote(value, "'");
    case 'string':
      return quote(value, '"');
    case 'list': case 'fixed-list': {
      const elem = elementType(type);
      return `[${Array.from(value, (v) => formatValue(v, elem)).join(', ')}]`;
    }
    case 'tuple': {
      const types = tupleTypes(type);
      return `(${types.map((t, i) => formatValue(value[i], t)).join(', ')})`;
    }
    case 'record': {
      // Fields whose option value is none are left out, as Wasmtime does.
      const parts = [];
      for (const field of recordFields(type)) {
        const v = value[lowerCamelCase(field.name)];
        if (field.type.kind === 'option' && isNoneValue(v, field.type)) continue;
        parts.push(`${field.name}: ${formatValue(v, field.type)}`);
      }
      return parts.length ? `{${parts.join(', ')}}` : '{:}';
    }
    case 'variant': {
      const c = variantCases(type).find((x) => x.name === value.tag);
      if (!c) throw new WaveError(`unknown variant case \`${value.tag}\``);
      return c.type ? `${label(c.name)}(${formatValue(value.val, c.type)})` : label(c.name);
    }
    case 'enum':
      return label(value);
    case 'option': {
      const inner = elementType(type);
      if (isNoneValue(value, type)) return 'none';
      return `some(${formatValue(inner.kind === 'option' ? value.val : value, inner)})`;
    }
    case 'result': {
      const payloadType = value.tag === 'err' ? errType(type) : okType(type);
      const tag = value.tag === 'err' ? 'err' : 'ok';
      return payloadType ? `${tag}(${formatValue(value.val, payloadType)})` : tag;
    }
    case 'flags': {
      const set = labelNames(type).filter((l) => value[lowerCamelCase(l)]);
      return `{${set.join(', ')}}`;
    }
    default:
      throw new WaveError(`values of type ${type.kind} have no WAVE syntax`);
  }
}
