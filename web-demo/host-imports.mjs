// The imports the page gives a component. Two names have a real host behind them, as the
// bundled examples expect: `log(...)` writes its arguments to the page's host log, and
// `sleep(ms)` (an async import) resolves after ms milliseconds. Any other imported
// function gets a stub (the package's js/tools/stub-imports.mjs) that logs the call and
// returns the zero value of its result type, so that components with imports the page
// knows nothing of still instantiate; a stub whose result has no zero (a handle, a stream)
// traps when called, and says why. Resource imports get no stub: instantiation then fails
// with a LinkError naming them.
import { describeValue as describe, withStubs } from '../js/tools/stub-imports.mjs';

const KNOWN = {
  log: (write) => (...args) => write(`log: ${args.map((a) => (typeof a === 'string' ? a : describe(a))).join(' ')}`),
  sleep: (write) => (ms) => {
    write(`sleep(${ms})`);
    return new Promise((resolve) => setTimeout(resolve, Number(ms)));
  },
};

/**
 * The imports object for `component` (its plan lists the imported functions by path:
 * ['log'], or ['local:demo/host', 'get']): `given` (WASI's), log and sleep, stubs for the
 * rest. `write(line)` appends to the host log.
 */
export function hostImportsFor(component, write, given = {}) {
  const known = { ...given };
  for (const path of importedFunctions(component.plan.imports ?? [])) {
    const name = path[path.length - 1];
    if (!KNOWN[name]) continue;
    let target = known;
    for (const outer of path.slice(0, -1)) target = (target[outer] ??= {});
    target[name] = KNOWN[name](write);
  }
  return withStubs(component, known, (name, args) => write(`${name}(${args.map(describe).join(', ')}) called: the page's stub answers with zeros`));
}

// The paths of the imported functions, in imported instances too.
function importedFunctions(items) {
  const paths = [];
  for (const { item } of items) {
    if (item.kind === 'func' && item.func?.import) paths.push(item.func.import);
    if (item.kind === 'instance' && item.exports) paths.push(...importedFunctions(item.exports));
  }
  return paths;
}
