// Stubs for the imports nobody provides (`cmbridge run --stub-imports`; the demo page), so
// that a component whose imports the host knows nothing of still instantiates and its
// exports can be tried. A stubbed function reports each call and returns the zero value
// of its result type: 0, 0n, false, '', an empty list, none, the first case of a variant
// or enum, a record of zeros; for result<T, E>, ok with T's zero. Where a type has no zero
// (a resource handle, a stream, a future, an error-context), calling the stub throws, so
// the guest traps saying which import it was. Resource types get no stub: instantiation
// then fails with a LinkError naming them.
import { describeFuncType } from '../runtime/signature.mjs';
import { hostMember, lowerCamelCase } from '../names.mjs';
import { findImport } from '../runtime/import-names.mjs';
import { labelNames, okType, recordFields, tupleTypes, variantCases } from '../wave.mjs';

/**
 * `provided` with a stub added for each imported function of `component` it lacks
 * (looked up as instantiate looks it up). `report(name,
 * args)` is told of each call to a stub. Returns a new imports object.
 */
export function withStubs(component, provided, report) {
  const plan = component.plan;
  const imports = { ...provided };
  const stubFor = (label, func) => stub(label, describeFuncType(plan.funcTypes[func.type], plan.types), report);
  for (const { name, item } of plan.imports) {
    // Found as instantiate finds it: by exact or lowerCamelCase name, an interface also
    // under a key of a semver-compatible version (wasiImports' `…@0.2.12` for `…@0.2.0`).
    const given = findImport(imports, name);
    if (item.kind === 'func' && item.func?.import) {
      if (given === undefined) imports[name] = stubFor(name, item.func);
    } else if (item.kind === 'instance' && item.exports) {
      const iface = given !== null && typeof given === 'object' ? { ...given } : {};
      let stubbed = false;
      for (const { name: fn, item: inner } of item.exports) {
        // Resource members ([constructor]r, [method]r.f) come with the resource's class.
        if (inner.kind !== 'func' || !inner.func?.import || fn.startsWith('[') || hostMember(iface, fn) !== undefined) continue;
        iface[fn] = stubFor(`${name}#${fn}`, inner.func);
        stubbed = true;
      }
      // Under the exact name, which instantiate prefers to any other key.
      if (stubbed) imports[name] = iface;
    }
  }
  return imports;
}

function stub(label, type, report) {
  const fn = (...args) => {
    report(label, args);
    if (type.result === null) return undefined;
    // A result<T, E> import returns T (throwing a ComponentError would be the error case).
    const returned = type.result.kind === 'result' ? okType(type.result) : type.result;
    if (returned === null) return undefined;
    try {
      return zeroOf(returned);
    } catch (e) {
      throw new Error(`the import \`${label}\` is a stub (--stub-imports), and its result (${e.message}) has no default value`);
    }
  };
  Object.defineProperty(fn, 'name', { value: `stub ${label}` });
  return fn;
}

/** The zero value of a described type; throws (naming the kind) for one that has none. */
export function zeroOf(type) {
  switch (type.kind) {
    case 'bool': return false;
    case 'u64': case 's64': return 0n;
    case 'u8': case 'u16': case 'u32': case 's8': case 's16': case 's32': case 'f32': case 'f64': return 0;
    case 'char': return '\0';
    case 'string': return '';
    case 'list': return type.length === undefined ? [] : Array.from({ length: type.length }, () => zeroOf(type.element));
    case 'option': return undefined;
    case 'result': {
      const ok = okType(type);
      return { tag: 'ok', val: ok === null ? undefined : zeroOf(ok) };
    }
    case 'tuple': return tupleTypes(type).map(zeroOf);
    case 'record': return Object.fromEntries(recordFields(type).map((f) => [lowerCamelCase(f.name), zeroOf(f.type)]));
    case 'variant': {
      const [first] = variantCases(type);
      return { tag: first.name, val: first.type === null ? undefined : zeroOf(first.type) };
    }
    case 'enum': return labelNames(type)[0];
    case 'flags': return {};
    default: throw new Error(type.kind);
  }
}

/** A value as a short text for a log line (a stub's arguments). */
export function describeValue(value) {
  if (typeof value === 'bigint') return `${value}`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof ReadableStream === 'function' && value instanceof ReadableStream) return 'ReadableStream';
  try {
    return JSON.stringify(value, (k, v) => (typeof v === 'bigint' ? `${v}` : v)) ?? String(value);
  } catch {
    return String(value);
  }
}
