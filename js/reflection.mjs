// What a compiled component imports and exports, as data, before anything is instantiated
// (Component#imports() and #exports(), in the spirit of WebAssembly.Module.imports and
// .exports), so that a page can build a UI for a component it was given or check it first.
//
// Each item: { name, kind, ... } with `name` as the component spells it and `kind` one of
//  - 'function': `jsName` (how JS calls it) and `type` ({ async, params: [{ name, type }],
//    result }, the tree the runtime's functions carry under Symbol.for('cmbridge.type'));
//  - 'interface': `items`, its functions, resources and types, each an item like these;
//  - 'resource': `jsName` (its class's name), and `resource`, the id the types' own and
//    borrow handles refer to;
//  - 'type': a named type, `type` its tree.
// A resource's constructor, methods and static functions are functions of their interface
// (or of the world), named as in the component: `[method]blob.size`.
import { lowerCamelCase, parseFunctionName, upperCamelCase } from './names.mjs';
import { describeFuncType, describeType } from './runtime/signature.mjs';

/** The plan's imports, described. */
export function describeImports(plan) {
  return plan.imports.map(({ name, item }) => describeItem(plan, name, item));
}

/** The plan's exports, described. */
export function describeExports(plan) {
  return plan.exports.map(({ name, item }) => describeItem(plan, name, item));
}

function describeItem(plan, name, item) {
  switch (item.kind) {
    case 'func':
      return { name, kind: 'function', jsName: functionJsName(name), type: describeFuncType(plan.funcTypes[item.func.type], plan.types) };
    case 'instance':
      return { name, kind: 'interface', items: item.exports.map((inner) => describeItem(plan, inner.name, inner.item)) };
    case 'resource':
      return { name, kind: 'resource', jsName: upperCamelCase(name), resource: item.resource };
    case 'type':
      return { name, kind: 'type', type: describeType(item.type, plan.types) };
    default:
      return { name, kind: item.kind };
  }
}

// A plain function is called by its lowerCamelCase name; a resource's member by its own.
function functionJsName(name) {
  const parsed = parseFunctionName(name);
  if (parsed.kind === 'constructor') return upperCamelCase(parsed.resource);
  return lowerCamelCase(parsed.name);
}
