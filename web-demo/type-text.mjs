// Component types as text, in WIT's spelling, from the type descriptors the runtime hangs
// on every exported function (`fn[Symbol.for('cmbridge.type')]`). The descriptors carry
// structure, not the names WIT gives records and variants, so those are written out in
// place: `record { width: f64, height: f64 }`.
import { elementType, errType, labelNames, okType, recordFields, tupleTypes, variantCases } from '../js/wave.mjs';

export const TYPE = Symbol.for('cmbridge.type');

export function typeText(type) {
  if (type === null) return '_';
  switch (type.kind) {
    case 'list': return `list<${typeText(elementType(type))}>`;
    case 'fixed-list': return `list<${typeText(elementType(type))}, ${type.length}>`;
    case 'option': return `option<${typeText(elementType(type))}>`;
    case 'result': {
      const ok = okType(type);
      const err = errType(type);
      if (!ok && !err) return 'result';
      return err ? `result<${ok ? typeText(ok) : '_'}, ${typeText(err)}>` : `result<${typeText(ok)}>`;
    }
    case 'tuple': return `tuple<${tupleTypes(type).map(typeText).join(', ')}>`;
    case 'record': return `record { ${recordFields(type).map((f) => `${f.name}: ${typeText(f.type)}`).join(', ')} }`;
    case 'variant':
      return `variant { ${variantCases(type).map((c) => (c.type ? `${c.name}(${typeText(c.type)})` : c.name)).join(', ')} }`;
    case 'enum': return `enum { ${labelNames(type).join(', ')} }`;
    case 'flags': return `flags { ${labelNames(type).join(', ')} }`;
    case 'stream': case 'future': return type.element ? `${type.kind}<${typeText(type.element)}>` : type.kind;
    case 'own': case 'borrow': return `${type.kind}<resource>`;
    default: return type.kind;
  }
}

/** `func(a: u32, b: u32) -> u32`, with `async` in front for async function types. */
export function funcText(fnType) {
  const params = fnType.params.map((p) => `${p.name}: ${typeText(p.type)}`).join(', ');
  const result = fnType.result ? ` -> ${typeText(fnType.result)}` : '';
  return `${fnType.async ? 'async ' : ''}func(${params})${result}`;
}

/** An export's label as code: the interface part (`local:demo/api#`), if any, muted. */
export function labelParts(label) {
  const hash = label.lastIndexOf('#');
  return hash === -1 ? { iface: '', name: label } : { iface: label.slice(0, hash + 1), name: label.slice(hash + 1) };
}
