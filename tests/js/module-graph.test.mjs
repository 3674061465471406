// The package's modules (js/) import each other without cycles. A cycle makes a module
// run before one it needs has finished evaluating, so a `const` or class it uses at load
// time is still in its temporal dead zone; which order wins depends on which module an
// application happens to import first. Both cycles this test first found (the call
// paths, then in functions.mjs, with async/driver.mjs and with async/async-lower.mjs) are
// mended: guest-trap.mjs and signature.mjs are leaves, and the linker chooses the async
// lowering.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../../js/', import.meta.url));

function modulesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.mjs'))
    .map((e) => path.join(e.parentPath ?? e.path, e.name));
}

// Static `import ... from './x.mjs'` and `export ... from './x.mjs'` of a module, resolved.
function relativeImports(file) {
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/gm)]
    .concat([...source.matchAll(/^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm)]);
  return specifiers.map((m) => path.resolve(path.dirname(file), m[1]));
}

/** Every cycle reachable in `graph` (Map file -> files), each as a list of files. */
function findCycles(graph) {
  const ON_STACK = 1;
  const DONE = 2;
  const state = new Map();
  const stack = [];
  const cycles = [];
  const visit = (file) => {
    state.set(file, ON_STACK);
    stack.push(file);
    for (const dep of graph.get(file) ?? []) {
      if (state.get(dep) === ON_STACK) cycles.push([...stack.slice(stack.indexOf(dep)), dep]);
      else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(file, DONE);
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

test('the cycle finder finds a cycle and its members', () => {
  const graph = new Map([['a', ['b']], ['b', ['c']], ['c', ['a', 'd']], ['d', []]]);
  assert.deepEqual(findCycles(graph), [['a', 'b', 'c', 'a']]);
  assert.deepEqual(findCycles(new Map([['a', ['b']], ['b', []]])), []);
});

test('js/ has no import cycles', () => {
  const files = modulesUnder(packageDir);
  assert.ok(files.length > 40, `found only ${files.length} modules under ${packageDir}`);
  const graph = new Map(files.map((f) => [f, relativeImports(f)]));
  // Every relative import names a module that exists (else the graph would miss edges).
  for (const [file, deps] of graph) {
    for (const dep of deps) assert.ok(graph.has(dep), `${path.relative(packageDir, file)} imports ${dep}, not a module of js/`);
  }
  const cycles = findCycles(graph).map((c) => c.map((f) => path.relative(packageDir, f)).join(' -> '));
  assert.deepEqual(cycles, []);
});
