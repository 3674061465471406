// The callable functions of an instance's exports, found by walking the exports object:
// functions at the top, and inside exported interfaces (`exports['local:demo/api'].f`,
// labelled `local:demo/api#f` as the CLI's --invoke spells it).
// A function carries its component type under Symbol.for('cmbridge.type'); exported
// resource classes are listed as such (their methods are called on instances, which
// only the component's own functions hand out).
import { TYPE } from './type-text.mjs';

/**
 * [{ kind: 'function', label: 'checkedDiv' | 'local:demo/api#doThing', fn, type }
 *  | { kind: 'resource', label }]
 */
export function collectExports(exports, prefix = '') {
  const found = [];
  for (const [name, value] of Object.entries(exports)) {
    const label = prefix + name;
    if (typeof value === 'function' && value[TYPE]) {
      found.push({ kind: 'function', label, fn: value, type: value[TYPE] });
    } else if (typeof value === 'function') {
      found.push({ kind: 'resource', label });
    } else if (value !== null && typeof value === 'object') {
      found.push(...collectExports(value, `${label}#`));
    }
  }
  return found;
}

/** Whether an export is a `stream<u8> -> stream<u8>` transform that a file can go through. */
export function isByteTransform(entry) {
  const { params, result } = entry.type;
  const isBytes = (t) => t?.kind === 'stream' && t.element?.kind === 'u8';
  return typeof entry.fn.asTransform === 'function' && params.length === 1 && isBytes(params[0].type) && isBytes(result);
}
