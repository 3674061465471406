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
