// WAST script reader for the Component Model conformance suite.
//
// Two layers, kept apart like a lexer and a grammar:
//   readSExpressions(source)  -> s-expression tree (atoms, strings as bytes, lists),
//                                every node keeping its [start, end) span in the source;
//   parseScript(source)       -> top-level commands (component, invoke, assert_*...).
// A component written as text is not interpreted here: its source span is handed on
// (as text jco can turn into a binary), because the component text format is wasm-tools'
// business, not ours.

import { parseWastValue } from './wast-values.mjs';

export class WastSyntaxError extends Error {
  constructor(message, line, column) {
    super(`${message} (line ${line}, column ${column})`);
    this.name = 'WastSyntaxError';
    this.line = line;
    this.column = column;
  }
}

// ---------------------------------------------------------------------------
// S-expressions

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function lineStarts(source) {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

// Returns a function mapping a source offset to {line, column}, both 1-based.
export function makeLocator(source) {
  const starts = lineStarts(source);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] + 1 };
  };
}

function isSpace(c) {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

// Characters that end an atom. `;` ends one too, so `x;;comment` reads as `x`.
function endsAtom(c) {
  return isSpace(c) || c === '(' || c === ')' || c === '"' || c === ';';
}

const HEX = /^[0-9a-fA-F]$/;

// Reads the string literal whose opening quote is at `i`. WAST strings are byte
// strings: `\hh` adds one raw byte, `\u{...}` the UTF-8 of a code point, other
// characters their own UTF-8.
function readString(source, i, fail) {
  const bytes = [];
  let j = i + 1;
  for (;;) {
    if (j >= source.length) fail('unterminated string', i);
    const c = source[j];
    if (c === '"') return { bytes: Uint8Array.from(bytes), end: j + 1 };
    if (c === '\\') {
      const e = source[j + 1];
      const simple = { t: 9, n: 10, r: 13, '"': 34, "'": 39, '\\': 92 }[e];
      if (simple !== undefined) {
        bytes.push(simple);
        j += 2;
      } else if (e === 'u') {
        const close = source.indexOf('}', j);
        const digits = source.slice(j + 3, close);
        if (source[j + 2] !== '{' || close < 0 || !/^[0-9a-fA-F]+(_[0-9a-fA-F]+)*$/.test(digits)) {
          fail('malformed \\u{...} escape', j);
        }
        const cp = parseInt(digits.replace(/_/g, ''), 16);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) fail('\\u{...} is not a Unicode scalar value', j);
        bytes.push(...utf8.encode(String.fromCodePoint(cp)));
        j = close + 1;
      } else if (HEX.test(e ?? '') && HEX.test(source[j + 2] ?? '')) {
        bytes.push(parseInt(source.slice(j + 1, j + 3), 16));
        j += 3;
      } else {
        fail(`unknown escape \\${e}`, j);
      }
    } else {
      const cp = source.codePointAt(j);
      const ch = String.fromCodePoint(cp);
      bytes.push(...utf8.encode(ch));
      j += ch.length;
    }
  }
}

// Reads the whole script into a list of top-level nodes:
//   { kind: 'list', items, start, end }
//   { kind: 'atom', text, start, end }        keywords, $ids, numbers, `@annotation` heads
//   { kind: 'string', bytes, start, end }
// Comments (`;; ...` and nested `(; ... ;)`) are dropped. An annotation `(@name ...)` is an
// ordinary list whose head atom starts with `@`; components keep them inside their
// source span, where the text parser deals with them.
export function readSExpressions(source) {
  const locate = makeLocator(source);
  const fail = (message, offset) => {
    const { line, column } = locate(offset);
    throw new WastSyntaxError(message, line, column);
  };
  const root = { kind: 'list', items: [], start: 0, end: source.length };
  const stack = [root];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (isSpace(c)) {
      i++;
    } else if (c === ';' && source[i + 1] === ';') {
      const nl = source.indexOf('\n', i);
      i = nl < 0 ? source.length : nl + 1;
    } else if (c === '(' && source[i + 1] === ';') {
      let depth = 1;
      let j = i + 2;
      while (depth > 0) {
        if (j >= source.length) fail('unterminated block comment', i);
        if (source[j] === '(' && source[j + 1] === ';') { depth++; j += 2; }
        else if (source[j] === ';' && source[j + 1] === ')') { depth--; j += 2; }
        else j++;
      }
      i = j;
    } else if (c === '(') {
      const list = { kind: 'list', items: [], start: i, end: -1 };
      stack[stack.length - 1].items.push(list);
      stack.push(list);
      i++;
    } else if (c === ')') {
      if (stack.length === 1) fail('unbalanced `)`', i);
      stack.pop().end = i + 1;
      i++;
    } else if (c === '"') {
      const { bytes, end } = readString(source, i, fail);
      stack[stack.length - 1].items.push({ kind: 'string', bytes, start: i, end });
      i = end;
    } else if (c === ';') {
      fail('stray `;`', i);
    } else {
      let j = i;
      while (j < source.length && !endsAtom(source[j])) j++;
      // A quoted identifier `$"..."` is one atom.
      if (j === i + 1 && c === '$' && source[j] === '"') {
        const { bytes, end } = readString(source, j, fail);
        stack[stack.length - 1].items.push({ kind: 'atom', text: '$' + utf8Strict.decode(bytes), start: i, end });
        i = end;
      } else {
        stack[stack.length - 1].items.push({ kind: 'atom', text: source.slice(i, j), start: i, end: j });
        i = j;
      }
    }
  }
  if (stack.length > 1) fail('unclosed `(`', stack[stack.length - 1].start);
  return root.items;
}

export function isAtom(node, text) {
  return node?.kind === 'atom' && (text === undefined || node.text === text);
}

export function isId(node) {
  return node?.kind === 'atom' && node.text.startsWith('$');
}

export function head(node) {
  return node?.kind === 'list' && node.items[0]?.kind === 'atom' ? node.items[0].text : undefined;
}

// The UTF-8 text of a string node (names, str.const...). Invalid UTF-8 is an error.
export function stringText(node) {
  if (node?.kind !== 'string') throw new TypeError('expected a string literal');
  try {
    return utf8Strict.decode(node.bytes);
  } catch {
    throw new TypeError('string literal is not valid UTF-8');
  }
}

// ---------------------------------------------------------------------------
// Commands

// A component as the script gives it. One of:
//   { format: 'text',   text }    `(component ...)` source, ready for `jco parse`
//   { format: 'binary', bytes }   `(component binary "..."*)`
//   { format: 'quote',  text }    `(component quote "..."*)`, strings joined and wrapped
//                                 in `(component ...)`, so it too is text for `jco parse`
// plus `id` ($name or null) and `definition` (true for `component definition`, which is
// compiled but not instantiated). `kind` is 'component' or 'module' (a core module at
// top level, which this suite does not use but the grammar allows).
function parseModuleForm(node, source) {
  const kind = head(node);
  const items = node.items;
  let k = 1;
  let definition = false;
  let definitionAtom = null;
  if (isAtom(items[k], 'definition')) {
    definition = true;
    definitionAtom = items[k];
    k++;
  }
  let id = null;
  if (isId(items[k])) id = items[k++].text;
  const form = items[k];
  if (isAtom(form, 'binary') || isAtom(form, 'quote')) {
    const strings = items.slice(k + 1);
    if (strings.some((s) => s.kind !== 'string')) throw new TypeError(`${form.text} takes only strings`);
    if (form.text === 'binary') {
      const total = strings.reduce((n, s) => n + s.bytes.length, 0);
      const bytes = new Uint8Array(total);
      let at = 0;
      for (const s of strings) { bytes.set(s.bytes, at); at += s.bytes.length; }
      return { kind, id, definition, format: 'binary', bytes };
    }
    const body = strings.map((s) => new TextDecoder().decode(s.bytes)).join(' ');
    return { kind, id, definition, format: 'quote', text: `(${kind} ${body})` };
  }
  // Text form: the source span, minus the `definition` keyword (not part of the
  // component text format).
  const text = definitionAtom
    ? source.slice(node.start, definitionAtom.start) + source.slice(definitionAtom.end, node.end)
    : source.slice(node.start, node.end);
  return { kind, id, definition, format: 'text', text };
}

function isModuleForm(node) {
  const h = head(node);
  return (h === 'component' || h === 'module') && !isAtom(node.items[1], 'instance');
}

// `(invoke $inst? "name" value*)` -> { kind: 'invoke', instance, name, args }
function parseAction(node) {
  const h = head(node);
  if (h !== 'invoke') throw new TypeError(`unsupported action \`${h ?? node.kind}\``);
  let k = 1;
  let instance = null;
  if (isId(node.items[k])) instance = node.items[k++].text;
  const name = stringText(node.items[k++]);
  const args = node.items.slice(k).map((arg) => parseWastValue(arg));
  return { kind: 'invoke', instance, name, args };
}

function expectMessage(node) {
  if (node?.kind !== 'string') throw new TypeError('expected the failure message string');
  return stringText(node);
}

// Parses one top-level node into a command. Throws TypeError on a form it cannot read.
function parseCommand(node, source) {
  const h = head(node);
  const items = node.items;
  if (node.kind !== 'list' || h === undefined) throw new TypeError('expected a parenthesised command');
  if (h === 'component' && isAtom(items[1], 'instance')) {
    // (component instance $i $Definition)
    if (!isId(items[2]) || !isId(items[3]) || items.length !== 4) {
      throw new TypeError('expected (component instance $name $definition)');
    }
    return { kind: 'instance', id: items[2].text, definition: items[3].text };
  }
  if (isModuleForm(node)) {
    return { kind: h, module: parseModuleForm(node, source) };
  }
  switch (h) {
    case 'invoke':
      return { kind: 'invoke', action: parseAction(node) };
    case 'assert_return':
      return {
        kind: 'assert_return',
        action: parseAction(items[1]),
        expected: items.slice(2).map((v) => parseWastValue(v)),
      };
    case 'assert_trap': {
      // Either an action that traps, or a component whose instantiation traps.
      const target = items[1];
      const message = expectMessage(items[2]);
      if (isModuleForm(target)) return { kind: 'assert_trap', module: parseModuleForm(target, source), message };
      return { kind: 'assert_trap', action: parseAction(target), message };
    }
    case 'assert_invalid':
    case 'assert_malformed':
    case 'assert_unlinkable': {
      if (!isModuleForm(items[1])) throw new TypeError(`${h} expects a component`);
      return { kind: h, module: parseModuleForm(items[1], source), message: expectMessage(items[2]) };
    }
    case 'register': {
      // (register "name" $instance?)
      const name = stringText(items[1]);
      const instance = isId(items[2]) ? items[2].text : null;
      return { kind: 'register', name, instance };
    }
    default:
      throw new TypeError(`unknown command \`${h}\``);
  }
}

// Splits a script into commands. Never throws for a bad command: a command that cannot
// be read becomes { kind: 'unreadable', reason }, so one odd form costs one result, not
// the file. A lexical error (unbalanced parens, bad string) does throw WastSyntaxError.
// Every command carries `line` (1-based) and `span` [start, end) in the source.
export function parseScript(source) {
  const locate = makeLocator(source);
  return readSExpressions(source).map((node) => {
    const where = { line: locate(node.start).line, span: [node.start, node.end] };
    try {
      return { ...parseCommand(node, source), ...where };
    } catch (e) {
      if (!(e instanceof TypeError || e instanceof RangeError)) throw e;
      return { kind: 'unreadable', head: head(node) ?? node.kind, reason: e.message, ...where };
    }
  });
}
