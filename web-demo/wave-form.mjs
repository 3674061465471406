// Values at the call form's edge: WAVE text in (one text per parameter), WAVE text out.
// WAVE has no syntax for streams and futures, so the form takes their contents instead:
// a stream<T> argument is written as a list<T> (for stream<u8> a "string" works too, sent
// as its UTF-8 bytes), a future<T> as its T; a stream result is read to its end and
// shown as a list, a future result is awaited.
import { ComponentError } from '../js/index.mjs';
import { WaveError, formatValue, parseArguments } from '../js/wave.mjs';

const MAX_SHOWN_ELEMENTS = 4096;

/** The form's texts -> the JS arguments of a call of a function of type `fnType`. */
export function parseFormArguments(texts, fnType) {
  const params = fnType.params;
  // Trailing option parameters left empty are `none` (parseArguments fills them in).
  let count = texts.length;
  while (count > 0 && texts[count - 1].trim() === '' && params[count - 1].type.kind === 'option') count--;
  const given = texts.slice(0, count);
  const waveParams = params.map((p, i) => ({ name: p.name, type: waveTypeOf(p.type, given[i]) }));
  const values = parseArguments(given, waveParams);
  return values.map((value, i) => toArgument(value, params[i].type, waveParams[i].type));
}

function isBytes(type) {
  return type.kind === 'stream' && type.element?.kind === 'u8';
}

// The type the text of a parameter is parsed as.
function waveTypeOf(type, text) {
  if (isBytes(type) && text?.trim().startsWith('"')) return { kind: 'string' };
  if (type.kind === 'stream') {
    if (!type.element) throw new WaveError('a stream without elements cannot be written in the form');
    return { kind: 'list', element: type.element };
  }
  if (type.kind === 'future') {
    if (!type.element) throw new WaveError('a future without a value cannot be written in the form');
    return type.element;
  }
  return type;
}

function toArgument(value, type, parsedAs) {
  if (type.kind === 'stream' && parsedAs.kind === 'string') return new TextEncoder().encode(value);
  if (type.kind === 'future') return Promise.resolve(value);
  return value;  // a stream<T> argument may be an Array or TypedArray of its elements
}

/**
 * What a call's outcome shows: { text, kind } with kind 'ok' (a value), 'err' (an err(e)
 * of a result type: a value too), 'invalid' (the input did not parse or fit), 'trap', or
 * 'error' (anything else).
 */
export async function showResult(value, fnType) {
  const type = fnType.result;
  if (!type) return { text: '(no result)', kind: 'ok' };
  if (type.kind === 'result') return { text: formatShown({ tag: 'ok', val: value }, type), kind: 'ok' };
  if (type.kind === 'stream') return { text: await showStream(value, type), kind: 'ok' };
  if (type.kind === 'future') {
    const settled = await value;
    return { text: `future → ${type.element ? formatShown(settled, type.element) : '(resolved)'}`, kind: 'ok' };
  }
  return { text: formatShown(value, type), kind: 'ok' };
}

/**
 * The same for a call that failed. The runtime checks arguments before the guest runs and
 * throws (or rejects with) a TypeError or RangeError: input it refused. Once the call has
 * returned, reading its stream or future result can fail too, but not for the input.
 */
export function showError(error, fnType, { readingResult = false } = {}) {
  if (error instanceof ComponentError && fnType.result?.kind === 'result') {
    return { text: formatShown({ tag: 'err', val: error.payload }, fnType.result), kind: 'err' };
  }
  if (error instanceof WaveError) return { text: `invalid input: ${error.message}`, kind: 'invalid' };
  if (!readingResult && (error instanceof TypeError || error instanceof RangeError)) {
    return { text: `invalid input: ${error.name}: ${error.message}`, kind: 'invalid' };
  }
  if (error instanceof WebAssembly.RuntimeError) return { text: `trap: ${error.message}`, kind: 'trap' };
  return { text: `${error?.name ?? 'Error'}: ${error?.message ?? String(error)}`, kind: 'error' };
}

// WAVE where WAVE can say it; values it cannot (a resource inside a record, say) are
// described instead of failing the whole display.
function formatShown(value, type) {
  try {
    return formatValue(value, type);
  } catch (e) {
    if (!(e instanceof WaveError)) throw e;
    return `${value?.constructor?.name ?? typeof value} (${e.message})`;
  }
}

async function showStream(stream, type) {
  const items = [];
  let total = 0;
  // A reader rather than `for await`: Safari's ReadableStream is not async-iterable.
  const reader = stream.getReader();
  for (;;) {
    const { done, value: chunk } = await reader.read();
    if (done) break;
    const elements = type.element?.kind === 'u8' ? chunk : [chunk];
    total += elements.length;
    for (const element of elements) if (items.length < MAX_SHOWN_ELEMENTS) items.push(element);
  }
  const more = total > items.length ? ` … (${total - items.length} more)` : '';
  if (type.element?.kind === 'u8') {
    const bytes = Uint8Array.from(items);
    let text = null;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      // not UTF-8: shown as bytes below
    }
    const shown = text !== null ? formatValue(text, { kind: 'string' }) : formatValue(bytes, { kind: 'list', element: type.element });
    return `stream of ${total} bytes: ${shown}${more}`;
  }
  const shown = type.element ? formatShown(items, { kind: 'list', element: type.element }) : '';
  return `stream of ${total} elements: ${shown}${more}`;
}

/** A WAVE text of `type` to start an empty input with. */
export function exampleText(type) {
  switch (type.kind) {
    case 'bool': return 'true';
    case 'f32': case 'f64': return '1.5';
    case 'char': return "'x'";
    case 'string': return '"text"';
    case 'list': case 'fixed-list': {
      const count = type.kind === 'fixed-list' ? type.length : 2;
      return `[${Array.from({ length: count }, () => exampleText(type.element)).join(', ')}]`;
    }
    case 'option': return `some(${exampleText(type.cases.find((c) => c.name === 'some').type)})`;
    case 'result': {
      const ok = type.cases.find((c) => c.name === 'ok').type;
      return ok ? `ok(${exampleText(ok)})` : 'ok';
    }
    case 'tuple': return `(${type.fields.map((f) => exampleText(f.type)).join(', ')})`;
    case 'record': return `{${type.fields.map((f) => `${f.name}: ${exampleText(f.type)}`).join(', ')}}`;
    case 'variant': {
      const [first] = type.cases;
      return first.type ? `${first.name}(${exampleText(first.type)})` : first.name;
    }
    case 'enum': return type.cases[0].name;
    case 'flags': return `{${type.labels[0] ?? ''}}`;
    case 'stream': return type.element?.kind === 'u8' ? '"text"' : `[${type.element ? exampleText(type.element) : ''}]`;
    case 'future': return type.element ? exampleText(type.element) : '';
    case 'own': case 'borrow': return '';
    default: return '1';  // the integers
  }
}
