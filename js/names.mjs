// Names as JS sees them. Component names are kebab-case ("add-async", "[method]r.do-it");
// JS gets lowerCamelCase for functions, fields and flags, UpperCamelCase for resource
// classes, as jco does. The exact name is always accepted too.

export function lowerCamelCase(kebab) {
  return kebab.replace(/-([a-z0-9])/gi, (_, c) => c.toUpperCase());
}

export function upperCamelCase(kebab) {
  const camel = lowerCamelCase(kebab);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

/**
 * Splits an annotated function name ("[method]r.m", "[static]r.s", "[constructor]r",
 * "[async]f", plain "f") into its parts.
 */
export function parseFunctionName(name) {
  const m = /^\[(constructor|method|static|async method|async static|async)\](.*)$/.exec(name);
  if (!m) return { kind: 'plain', name };
  const [, annotation, rest] = m;
  if (annotation === 'constructor') return { kind: 'constructor', resource: rest };
  if (annotation === 'async') return { kind: 'plain', name: rest };
  const dot = rest.indexOf('.');
  const kind = annotation.endsWith('method') ? 'method' : 'static';
  return { kind, resource: rest.slice(0, dot), name: rest.slice(dot + 1) };
}

/** Looks `name` up in a host object: exact name first, then its lowerCamelCase form. */
export function hostMember(object, name) {
  if (object == null) return undefined;
  if (name in object) return object[name];
  const camel = lowerCamelCase(name);
  if (camel in object) return object[camel];
  return undefined;
}

/**
 * Short names for a component's exported interfaces, as jco offers them: `add` for
 * `docs:adder/add@0.1.0` (the interface's own name, lowerCamelCase). `exports`: the
 * component's top-level exports as [name, isInterface]. Returns Map<full name, short name>
 * holding only the short names that one interface alone would have and that no other
 * export is known by (its exact, lowerCamelCase or UpperCamelCase name).
 */
export function interfaceShortNames(exports) {
  const taken = new Set();
  const byShort = new Map();
  for (const [name, isInterface] of exports) {
    const m = isInterface ? /^[^:/]+:[^/]+\/([^/@]+)(@.*)?$/.exec(name) : null;
    if (m) {
      const short = lowerCamelCase(m[1]);
      byShort.set(short, [...(byShort.get(short) ?? []), name]);
    } else {
      taken.add(name).add(lowerCamelCase(name)).add(upperCamelCase(name));
    }
  }
  const out = new Map();
  for (const [short, names] of byShort) {
    if (names.length === 1 && !taken.has(short)) out.set(names[0], short);
  }
  return out;
}
